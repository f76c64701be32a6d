"""Passphrases: from the environment, typed earlier in this process, or asked for; unlocked keys kept."""

from __future__ import annotations

import pytest

from agentwallet.errors import WalletError
from tests.keys.support import Answers, store_at


def test_unlock_without_passphrase_or_terminal_says_how_to_give_one(home, monkeypatch):
    store_at(home).create("owner")
    store_at(home).lock()
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")

    with pytest.raises(WalletError, match="^no passphrase: set AGENTWALLET_PASSPHRASE or run in a terminal$"):
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
