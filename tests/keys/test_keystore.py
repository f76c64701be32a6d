"""The key store: the wallet's two keys, whichever backend holds them."""

from __future__ import annotations

import logging
import traceback

import keyring
import keyring.backends.fail
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import to_checksum_address

from agentwallet.errors import WalletError
from tests.keys.support import InMemoryKeyring, store_at, use_keyring, write_foreign_keystore


def test_created_key_signs_for_its_checksummed_address(home):
    store = store_at(home)
    address = store.create("owner")

    assert address == to_checksum_address(address)
    assert store.has("owner")
    assert store.address("owner") == address
    account = store.account("owner")
    signed = account.sign_message(encode_defunct(text="hello"))
    assert Account.recover_message(encode_defunct(text="hello"), signature=signed.signature) == address


def test_roles_are_separate_keys(home):
    store = store_at(home)
    owner = store.create("owner")

    assert not store.has("agent")
    agent = store.create("agent")
    assert agent != owner
    assert store.account("agent").address == agent


def test_create_refuses_to_overwrite_an_existing_key(home):
    store = store_at(home)
    address = store.create("owner")
    before = (home / "keys" / "owner.json").read_bytes()

    with pytest.raises(WalletError, match=f"an owner key already exists \\({address}\\)"):
        store.create("owner")
    assert (home / "keys" / "owner.json").read_bytes() == before


def test_missing_key_tells_the_user_to_run_init(home):
    store = store_at(home)

    with pytest.raises(WalletError, match="^no owner key: run `agentwallet init`$"):
        store.address("owner")
    with pytest.raises(WalletError, match="^no agent key: run `agentwallet init`$"):
        store.account("agent")


def test_owner_and_agent_keys_must_differ(home, tmp_path):
    write_foreign_keystore(tmp_path / "foreign.json", "foreign passphrase")
    store = store_at(home)
    store.import_keystore("owner", tmp_path / "foreign.json", "foreign passphrase")

    with pytest.raises(WalletError, match="the owner and agent keys must differ"):
        store.import_keystore("agent", tmp_path / "foreign.json", "foreign passphrase")
    assert not store.has("agent")


# backend choice


def test_fallback_to_keystore_files_is_announced_where_no_os_keyring_exists(home, monkeypatch):
    previous = use_keyring(monkeypatch, keyring.backends.fail.Keyring())
    try:
        store = store_at(home)
    finally:
        keyring.set_keyring(previous)

    assert store.backend == "keystore-file"
    assert store.notice.startswith("no OS keyring backend here: keys are kept in encrypted keystore files under ")
    assert str(home / "keys") in store.notice


def test_forcing_keystore_files_needs_no_announcement(home):
    store = store_at(home)

    assert store.backend == "keystore-file"
    assert store.notice is None


def test_an_unknown_keyring_setting_is_rejected(home, monkeypatch):
    monkeypatch.setenv("AGENTWALLET_KEYRING", "vault")

    with pytest.raises(WalletError, match="AGENTWALLET_KEYRING='vault' is not understood"):
        store_at(home)


# secrecy


def leaks(text: str, key_hex: str) -> bool:
    return key_hex.lower() in text.lower()


def chain_text(error: BaseException) -> str:
    parts, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        parts += [str(error), repr(error), *map(str, error.args)]
        error = error.__cause__ or error.__context__
    return "\n".join(parts)


@pytest.mark.parametrize("backend", ["keystore-file", "os-keyring"])
def test_private_key_never_appears_in_messages_reprs_files_or_output(backend, home, tmp_path, monkeypatch, capsys,
                                                                     caplog):
    caplog.set_level(logging.DEBUG)
    memory = InMemoryKeyring()
    previous = use_keyring(monkeypatch, memory) if backend == "os-keyring" else None
    try:
        store = store_at(home)
        store.create("owner")
        account = store.account("owner")
        key_hex = bytes(account.key).hex()  # checked with and without 0x, in any case
        export = store.export_keystore("owner", tmp_path / "export.json", "export passphrase")
        texts = [repr(store), str(store), repr(account), str(account), repr(vars(store))]

        failures = [
            lambda: store.create("owner"),
            lambda: store.export_keystore("owner", export, "export passphrase"),
            lambda: store.import_keystore("agent", export, "wrong passphrase"),
            lambda: store.import_keystore("owner", export, "export passphrase"),
            lambda: store_at(tmp_path / "empty").account("owner"),
        ]
        if backend == "keystore-file":
            store.lock()
            monkeypatch.setenv("AGENTWALLET_PASSPHRASE", "wrong passphrase")
            failures.append(lambda: store_at(home).account("owner"))
        errors = []
        for fail in failures:
            with pytest.raises(WalletError) as caught:
                fail()
            errors.append(caught.value)
    finally:
        if previous is not None:
            keyring.set_keyring(previous)

    texts += [chain_text(e) for e in errors]
    texts += ["".join(traceback.format_exception(e)) for e in errors]
    texts += [p.read_text() for p in [*home.rglob("*"), export] if p.is_file()]
    captured = capsys.readouterr()
    texts += [captured.out, captured.err, caplog.text]
    assert len(errors) == len(failures)
    assert not [t for t in texts if leaks(t, key_hex)]
