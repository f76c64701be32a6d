"""The OS keyring: the backend where one exists, with the address in a public file beside it."""

from __future__ import annotations

import json
import re

import keyring
import pytest

from agentwallet.errors import WalletError
from tests.keys.support import KeyringThatEchoesSecrets, store_at, use_keyring


def test_os_keyring_holds_the_key_and_a_public_file_the_address(home, os_keyring):
    store = store_at(home)
    address = store.create("owner")

    assert store.backend.startswith("os-keyring (") and store.notice is None
    [(service, username)] = os_keyring.secrets
    assert service == "agentwallet" and username.endswith(":owner")
    assert not (home / "keys" / "owner.json").exists()
    assert json.loads((home / "keys" / "owner.public.json").read_text())["address"] == address
    store.lock()
    again = store_at(home)
    assert again.address("owner") == address
    assert again.account("owner").address == address


def test_data_dirs_keep_separate_keyring_entries(tmp_path, os_keyring):
    first = store_at(tmp_path / "first").create("owner")
    second = store_at(tmp_path / "second").create("owner")

    assert first != second
    assert len(os_keyring.secrets) == 2


def test_a_lost_address_file_is_restored_from_the_os_keyring_and_the_key_kept(home, os_keyring):
    store = store_at(home)
    address = store.create("owner")
    secrets = dict(os_keyring.secrets)
    (home / "keys" / "owner.public.json").unlink()

    with pytest.raises(WalletError, match=f"already exists in the OS keyring \\({address}\\).*restored"):
        store.create("owner")
    assert os_keyring.secrets == secrets
    assert store.address("owner") == address


def test_key_gone_from_the_os_keyring_is_reported(home, os_keyring):
    store = store_at(home)
    address = store.create("owner")
    store.lock()
    os_keyring.secrets.clear()

    with pytest.raises(WalletError, match=f"the owner key \\({address}\\) is missing from the OS keyring"):
        store_at(home).account("owner")


def test_keyring_failures_never_echo_the_private_key(home, monkeypatch):
    previous = use_keyring(monkeypatch, KeyringThatEchoesSecrets())
    try:
        store = store_at(home)
        with pytest.raises(WalletError, match="could not store the owner key: cannot store <private key>") as caught:
            store.create("owner")
    finally:
        keyring.set_keyring(previous)
    assert not re.search("[0-9a-f]{64}", str(caught.value), re.IGNORECASE)
    assert not store.has("owner")


def test_a_key_in_the_os_keyring_stays_shown_but_unusable_where_files_are_forced(home, os_keyring, monkeypatch):
    address = store_at(home).create("owner")
    store_at(home).lock()
    monkeypatch.setenv("AGENTWALLET_KEYRING", "file")

    store = store_at(home)
    assert store.address("owner") == address
    with pytest.raises(WalletError, match="^the owner key is in the OS keyring \\(.*\\), which is not available here: "
                                          "unset AGENTWALLET_KEYRING$"):
        store.account("owner")
