"""Passphrases: from the environment, typed earlier in this process, or asked for; unlocked keys kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_account import Account

from agentwallet.errors import WalletError
from tests.conftest import PASSPHRASE
from tests.keys.support import Answers, store_at, write_foreign_keystore

OWNER_SECRET = "the owner's own words"
AGENT_SECRET = "the agent's own words"


def test_unlock_without_passphrase_or_terminal_says_how_to_give_one(home, monkeypatch):
    store_at(home).create("owner")
    store_at(home).lock()
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")

    with pytest.raises(WalletError, match=r"^the owner key is locked: set AGENTWALLET_OWNER_PASSPHRASE "
                                          r"\(or AGENTWALLET_PASSPHRASE\) or run in a terminal$"):
        store_at(home).account("owner")


def test_create_without_passphrase_or_terminal_writes_nothing(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")

    with pytest.raises(WalletError, match="^no passphrase: set AGENTWALLET_PASSPHRASE or run in a terminal$"):
        store_at(home).create("owner")
    assert not store_at(home).has("owner")


def test_create_asks_for_the_passphrase_twice_and_rejects_a_mismatch(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    answers = Answers("one passphrase", "another")

    with pytest.raises(WalletError, match="the passphrases do not match"):
        store_at(home, prompt=answers).create("owner")
    assert len(answers.asked) == 2
    assert not (home / "keys" / "owner.json").exists()


def test_one_typed_passphrase_serves_both_keys_of_a_wallet(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    creating = Answers("typed passphrase", "typed passphrase")
    store = store_at(home, prompt=creating)
    owner, agent = store.create("owner"), store.create("agent")
    assert len(creating.asked) == 2
    store.lock()

    unlocking = Answers("typed passphrase")
    later = store_at(home, prompt=unlocking)
    assert later.account("owner").address == owner
    assert later.account("agent").address == agent
    assert len(unlocking.asked) == 1


def test_a_key_with_its_own_passphrase_is_asked_for_separately(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    owner = store_at(home, prompt=Answers("owner words", "owner words")).create("owner")
    store_at(home).lock()
    agent = store_at(home, prompt=Answers("agent words", "agent words")).create("agent")
    store_at(home).lock()

    answers = Answers("owner words", "agent words")
    store = store_at(home, prompt=answers)
    assert store.account("owner").address == owner
    assert store.account("agent").address == agent
    assert len(answers.asked) == 2


def test_terminal_users_are_prompted_with_getpass(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    answers = Answers("typed at the terminal", "typed at the terminal")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", answers)

    address = store_at(home).create("owner")
    assert answers.asked == ["New passphrase for the wallet's keys: ", "Repeat the passphrase: "]
    store_at(home).lock()
    monkeypatch.setenv("AGENTWALLET_PASSPHRASE", "typed at the terminal")
    assert store_at(home).account("owner").address == address


def test_unlocked_key_is_cached_for_the_process(home, monkeypatch):
    store = store_at(home)
    address = store.create("owner")
    store.lock()
    account = store_at(home).account("owner")
    monkeypatch.setenv("AGENTWALLET_PASSPHRASE", "no longer needed")

    assert store_at(home).account("owner") is account
    assert account.address == address


# a secret per role: AGENTWALLET_OWNER_PASSPHRASE, AGENTWALLET_AGENT_PASSPHRASE


def opens_with(path: Path, passphrase: str) -> str | None:
    """The address whose key the keystore at ``path`` gives up to ``passphrase``, or None."""
    try:
        return Account.from_key(Account.decrypt(path.read_text(), passphrase)).address
    except ValueError:  # MAC mismatch: not its passphrase
        return None


@pytest.fixture
def role_secrets(monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    monkeypatch.setenv("AGENTWALLET_OWNER_PASSPHRASE", OWNER_SECRET)
    monkeypatch.setenv("AGENTWALLET_AGENT_PASSPHRASE", AGENT_SECRET)


def test_each_key_is_encrypted_with_its_own_secret_when_both_are_given(home, role_secrets):
    store = store_at(home)
    owner, agent = store.create("owner"), store.create("agent")

    assert opens_with(home / "keys" / "owner.json", OWNER_SECRET) == owner
    assert opens_with(home / "keys" / "agent.json", AGENT_SECRET) == agent
    assert opens_with(home / "keys" / "owner.json", AGENT_SECRET) is None
    assert opens_with(home / "keys" / "agent.json", OWNER_SECRET) is None


def test_the_agent_secret_alone_unlocks_the_agent_key_and_not_the_owner_key(home, role_secrets, monkeypatch):
    store = store_at(home)
    agent = store.create("agent")
    store.create("owner")
    store.lock()
    monkeypatch.delenv("AGENTWALLET_OWNER_PASSPHRASE")

    unattended = store_at(home)
    assert unattended.account("agent").address == agent
    with pytest.raises(WalletError, match=r"^the owner key is locked: set AGENTWALLET_OWNER_PASSPHRASE "
                                          r"\(or AGENTWALLET_PASSPHRASE\) or run in a terminal$"):
        unattended.account("owner")


def test_a_roles_own_secret_comes_before_the_shared_passphrase(home, monkeypatch):
    monkeypatch.setenv("AGENTWALLET_OWNER_PASSPHRASE", OWNER_SECRET)
    store = store_at(home)
    owner, agent = store.create("owner"), store.create("agent")
    store.lock()

    assert opens_with(home / "keys" / "owner.json", OWNER_SECRET) == owner
    assert opens_with(home / "keys" / "agent.json", PASSPHRASE) == agent
    again = store_at(home)
    assert (again.account("owner").address, again.account("agent").address) == (owner, agent)


def test_a_wrong_role_secret_is_named_and_not_retried_with_the_shared_passphrase(home, monkeypatch):
    store_at(home).create("owner")  # under the shared passphrase, still set
    store_at(home).lock()
    monkeypatch.setenv("AGENTWALLET_OWNER_PASSPHRASE", "not it")

    with pytest.raises(WalletError, match="^wrong passphrase for the owner keystore .*: "
                                          "check AGENTWALLET_OWNER_PASSPHRASE$"):
        store_at(home).account("owner")


def test_an_empty_role_secret_counts_as_unset(home, monkeypatch):
    monkeypatch.setenv("AGENTWALLET_OWNER_PASSPHRASE", "")
    owner = store_at(home).create("owner")

    assert opens_with(home / "keys" / "owner.json", PASSPHRASE) == owner


def test_an_imported_key_is_read_and_kept_under_its_roles_secret(home, tmp_path, monkeypatch):
    foreign = write_foreign_keystore(tmp_path / "foreign.json", OWNER_SECRET)
    monkeypatch.setenv("AGENTWALLET_OWNER_PASSPHRASE", OWNER_SECRET)

    assert store_at(home).import_keystore("owner", tmp_path / "foreign.json") == foreign.address
    assert opens_with(home / "keys" / "owner.json", OWNER_SECRET) == foreign.address


def test_an_export_without_a_passphrase_is_encrypted_under_its_roles_secret(home, tmp_path, role_secrets):
    store = store_at(home)
    agent = store.create("agent")

    exported = store.export_keystore("agent", tmp_path / "agent-backup.json")
    assert opens_with(exported, AGENT_SECRET) == agent
