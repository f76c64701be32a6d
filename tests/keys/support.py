"""What the key store tests share: a light scrypt, in-memory keyrings, a scripted prompt."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.errors
from eth_account import Account
from keyring.backend import KeyringBackend

from agentwallet.keys import KeyStore

LIGHT_SCRYPT = 2**10  # tests only: the production default is scrypt n=2**18


class InMemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps its secrets in a dict."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


class KeyringThatEchoesSecrets(InMemoryKeyring):
    """A badly behaved backend whose errors quote the secret it was given."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"cannot store {password} for {username}")


def store_at(home: Path, **kwargs) -> KeyStore:
    return KeyStore(home, kdf_iterations=LIGHT_SCRYPT, **kwargs)


def use_keyring(monkeypatch, backend: KeyringBackend):
    monkeypatch.delenv("AGENTWALLET_KEYRING")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    return previous


class Answers:
    """Stands in for the passphrase prompt; records how often it was asked."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, label: str) -> str:
        self.asked.append(label)
        return self.answers.pop(0)


def write_foreign_keystore(path: Path, passphrase: str):
    account = Account.create()
    path.write_text(json.dumps(Account.encrypt(account.key, passphrase, kdf="scrypt", iterations=LIGHT_SCRYPT)))
    return account
