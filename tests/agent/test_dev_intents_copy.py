"""The agent tests read a copy of the shared dev intents, so they run without ../shared; where
../shared is beside the repo (as in CI), the copy must be the same file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.agent.conftest import DEV_INTENTS

SHARED = Path(__file__).resolve().parents[3] / "shared" / "dev-intents.jsonl"


@pytest.mark.skipif(not SHARED.exists(), reason="no ../shared beside the repo")
def test_the_copy_of_the_dev_intents_is_the_shared_file():
    assert DEV_INTENTS.read_bytes() == SHARED.read_bytes(), f"copy {SHARED} over {DEV_INTENTS}"
