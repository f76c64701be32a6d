"""Keystore files: the backend where there is no OS keyring, in the format geth and cast wallet read."""

from __future__ import annotations

import json
import stat

import pytest
from eth_account import Account

from agentwallet.errors import WalletError
from agentwallet.keys import KeyStore
from tests.keys.support import store_at, write_foreign_keystore


def test_keys_survive_a_new_keystore_and_unlock_from_disk(home):
    first = store_at(home)
    owner, agent = first.create("owner"), first.create("agent")
    first.lock()

    second = store_at(home)
    assert second.address("owner") == owner
    assert second.account("owner").address == owner
    assert second.account("agent").address == agent


def test_wrong_passphrase_is_a_clean_wallet_error(home, monkeypatch):
    store = store_at(home)
    store.create("owner")
    store.lock()
    monkeypatch.setenv("AGENTWALLET_PASSPHRASE", "not it")

    wrong = "wrong passphrase for the owner keystore .*check AGENTWALLET_PASSPHRASE"
    with pytest.raises(WalletError, match=wrong) as caught:
        store_at(home).account("owner")
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_address_needs_no_passphrase(home, monkeypatch):
    address = store_at(home).create("owner")
    store_at(home).lock()
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")

    assert store_at(home).address("owner") == address


@pytest.mark.parametrize("content", ["not json at all", '{"version": 3}', "[]"])
def test_corrupt_keystore_is_reported_with_its_path(home, content):
    (home / "keys").mkdir(parents=True)
    path = home / "keys" / "owner.json"
    path.write_text(content)

    with pytest.raises(WalletError, match="is corrupt") as caught:
        store_at(home).account("owner")
    assert str(path) in str(caught.value)


def test_keystore_files_are_private_to_the_user(home, tmp_path):
    store = store_at(home)
    store.create("owner")
    exported = store.export_keystore("owner", tmp_path / "backup.json", "export passphrase")

    assert stat.S_IMODE((home / "keys").stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "keys" / "owner.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600


def test_keystores_use_scrypt_at_geth_strength_by_default(home):
    KeyStore(home).create("owner")

    crypto = json.loads((home / "keys" / "owner.json").read_text())["crypto"]
    assert crypto["kdf"] == "scrypt"
    assert crypto["kdfparams"]["n"] == 2**18


# import and export


def test_import_takes_a_keystore_made_by_eth_account(home, tmp_path):
    foreign = write_foreign_keystore(tmp_path / "foreign.json", "foreign passphrase")
    store = store_at(home)

    assert store.import_keystore("owner", tmp_path / "foreign.json", "foreign passphrase") == foreign.address
    store.lock()
    assert store_at(home).account("owner").key == foreign.key  # kept under the wallet passphrase


def test_import_with_a_wrong_passphrase_stores_nothing(home, tmp_path):
    write_foreign_keystore(tmp_path / "foreign.json", "foreign passphrase")
    store = store_at(home)

    with pytest.raises(WalletError, match="wrong passphrase for the keystore .*foreign.json") as caught:
        store.import_keystore("owner", tmp_path / "foreign.json", "guess")
    assert caught.value.__context__ is None
    assert not store.has("owner")


def test_import_refuses_to_replace_an_existing_key(home, tmp_path):
    write_foreign_keystore(tmp_path / "foreign.json", "foreign passphrase")
    store = store_at(home)
    address = store.create("owner")

    with pytest.raises(WalletError, match="already exists"):
        store.import_keystore("owner", tmp_path / "foreign.json", "foreign passphrase")
    assert store.address("owner") == address


def test_import_of_a_missing_file_names_it_once(home, tmp_path):
    with pytest.raises(WalletError, match="does not exist") as caught:
        store_at(home).import_keystore("owner", tmp_path / "nowhere.json", "x")
    assert str(caught.value) == f"the keystore {tmp_path / 'nowhere.json'} does not exist"


def test_export_then_import_elsewhere_gives_the_same_key(home, tmp_path):
    store = store_at(home)
    address = store.create("agent")
    exported = store.export_keystore("agent", tmp_path / "agent-backup.json", "backup passphrase")

    assert Account.from_key(Account.decrypt(exported.read_text(), "backup passphrase")).address == address
    elsewhere = store_at(tmp_path / "other-home")
    assert elsewhere.import_keystore("agent", exported, "backup passphrase") == address


def test_export_refuses_to_overwrite_a_file(home, tmp_path):
    store = store_at(home)
    store.create("owner")
    dest = tmp_path / "taken.json"
    dest.write_text("precious")

    with pytest.raises(WalletError, match="already exists"):
        store.export_keystore("owner", dest, "export passphrase")
    assert dest.read_text() == "precious"
