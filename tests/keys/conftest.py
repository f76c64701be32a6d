"""Fixtures of the key store tests; tests/conftest.py already makes them headless (keystore
files, AGENTWALLET_PASSPHRASE set)."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest

from tests.keys.support import InMemoryKeyring, use_keyring


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty data dir, not the set-up wallet of tests/conftest.py: these tests make their own keys."""
    return tmp_path / "home"


@pytest.fixture
def os_keyring(monkeypatch):
    memory = InMemoryKeyring()
    previous = use_keyring(monkeypatch, memory)
    yield memory
    keyring.set_keyring(previous)
