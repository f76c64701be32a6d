"""The owner and agent keys: kept in the OS keyring, or in encrypted keystore files where there is none.

``KeyStore`` is the one door; behind it a module per backend, as ape has one account class per
key backend:
- ``os_keyring``: where an OS keyring exists, each private key is an entry in it and
  ``<home>/keys/<role>.public.json`` records the address, so showing an address never touches
  the keyring.
- ``keystore_file``: where none exists (a headless box, CI), or with ``AGENTWALLET_KEYRING=file``,
  each key is a Web3 Secret Storage file ``<home>/keys/<role>.json`` (what geth and ``cast
  wallet`` read), encrypted with scrypt under the key's passphrase.
- ``passphrase``: where a key's passphrase comes from (its role's variable
  ``AGENTWALLET_OWNER_PASSPHRASE`` / ``AGENTWALLET_AGENT_PASSPHRASE``, else
  ``AGENTWALLET_PASSPHRASE`` for both, else a prompt), and the keys already unlocked in this
  process, so a command decrypts once and the owner and agent keys of one wallet ask once.

Where a key lives is read from the files on disk, so keys made under one backend stay usable
when the machine gains or loses a keyring.

A private key is held only inside a ``LocalAccount``: never in an attribute, a message, a log
line or any file but its keyring entry or encrypted keystore.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Literal, get_args

from eth_account import Account
from eth_account.signers.local import LocalAccount

from agentwallet.errors import WalletError
from agentwallet.keys.keystore_file import Keyfile, KeystoreFiles
from agentwallet.keys.os_keyring import KEYRING_ENV, SERVICE, OSKeyring
from agentwallet.keys.passphrase import (
    AGENT_PASSPHRASE_ENV,
    NO_PASSPHRASE,
    OWNER_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    ROLE_PASSPHRASE_ENV,
    Passphrase,
    Passphrases,
    forget,
    keep_unlocked,
    unlocked,
)
from agentwallet.private_files import private_dir

Role = Literal["owner", "agent"]
ROLES: tuple[Role, ...] = get_args(Role)

__all__ = [
    "AGENT_PASSPHRASE_ENV", "KEYRING_ENV", "NO_PASSPHRASE", "OWNER_PASSPHRASE_ENV", "PASSPHRASE_ENV",
    "ROLE_PASSPHRASE_ENV", "ROLES", "SERVICE", "KeyStore", "Role",
]


class KeyStore:
    """The wallet's two keys under one data dir."""

    backend: str
    notice: str | None

    def __init__(
        self,
        home: Path,
        *,
        prompt: Callable[[str], str] | None = None,
        kdf_iterations: int | None = None,
    ) -> None:
        """``prompt`` asks the user for a passphrase (default: getpass, when stdin is a terminal).

        ``kdf_iterations`` is the scrypt work factor n of keystores written from here; None
        keeps eth_account's 2**18, the strength geth uses. Lower it only in tests.
        """
        self.home = Path(home)
        self.keys_dir = self.home / "keys"
        self._home_id = hashlib.sha256(str(self.home.resolve()).encode()).hexdigest()[:12]
        self._passphrases = Passphrases(self._home_id, prompt)
        self._files = KeystoreFiles(self.keys_dir, self._passphrases, kdf_iterations=kdf_iterations)
        self._keyring = OSKeyring(self.keys_dir, self._home_id)
        self._new_keys: KeystoreFiles | OSKeyring
        if self._keyring.backend is not None:
            self._new_keys = self._keyring
            self.backend = f"os-keyring ({self._keyring.backend.name})"
            self.notice = None
        else:
            self._new_keys = self._files
            self.backend = "keystore-file"
            self.notice = None if self._keyring.turned_off else (
                f"no OS keyring backend here: keys are kept in encrypted keystore files under "
                f"{self.keys_dir} (passphrase from {PASSPHRASE_ENV} or a prompt)"
            )

    def __repr__(self) -> str:
        return f"KeyStore({str(self.home)!r}, backend={self.backend!r})"

    def has(self, role: Role) -> bool:
        _check_role(role)
        return self._holder(role) is not None

    def address(self, role: Role) -> str:
        """The role's EIP-55 address, read from public data: no passphrase, no keyring access."""
        _check_role(role)
        return self._held_by(role).address(role)

    def create(self, role: Role) -> str:
        """Make a new random key for the role and return its address; an existing key is kept."""
        _check_role(role)
        self._refuse_existing(role)
        return self._store(role, Account.create())

    def account(self, role: Role) -> LocalAccount:
        """The role's signing account, unlocked once per process."""
        _check_role(role)
        return unlocked(self._home_id, role, lambda: self._held_by(role).unlock(role))

    def import_keystore(self, role: Role, path: Path, passphrase: str | None = None) -> str:
        """Take the key in a keystore file (geth, cast wallet, MetaMask export) as the role's key."""
        _check_role(role)
        self._refuse_existing(role)
        source = Path(path)
        keyfile = Keyfile.read(source, "the keystore")
        if passphrase is None:
            given = (self._passphrases.from_environment(role)
                     or self._passphrases.ask(f"Passphrase for {source.name}: ", confirm=False))
        else:
            given = Passphrase(passphrase, "given")
        account = keyfile.decrypt(given.text)
        if account is None:
            raise WalletError(f"wrong passphrase for {keyfile.what}{given.hint}")
        return self._store(role, account)

    def export_keystore(self, role: Role, dest: Path, passphrase: str | None = None) -> Path:
        """Write the role's key as a new keystore file (mode 0600) that geth and cast wallet read.

        Without ``passphrase`` it is encrypted under the key's passphrase (its role's variable or
        ``AGENTWALLET_PASSPHRASE``, the one typed earlier in this process, or a new one asked for twice).
        """
        _check_role(role)
        dest = Path(dest)
        if dest.exists():
            raise WalletError(f"{dest} already exists: choose another file, it is never overwritten")
        account = self.account(role)
        if passphrase is None:
            label = "Passphrase for the exported keystore: "
            passphrase = self._passphrases.for_key(role, label, confirm=True).text
        if not passphrase:
            raise WalletError("the passphrase must not be empty")
        self._files.write(dest, account, passphrase)
        return dest

    def lock(self) -> None:
        """Forget this wallet's unlocked keys and typed passphrase for the rest of the process."""
        forget(self._home_id)

    def _holder(self, role: Role) -> KeystoreFiles | OSKeyring | None:
        """The backend holding the role's key, as the files on disk say: a keystore file first."""
        return next((backend for backend in (self._files, self._keyring) if backend.holds(role)), None)

    def _held_by(self, role: Role) -> KeystoreFiles | OSKeyring:
        holder = self._holder(role)
        if holder is None:
            raise WalletError(f"no {role} key: run `agentwallet init`")
        return holder

    def _refuse_existing(self, role: Role) -> None:
        if self.has(role):
            raise WalletError(f"an {role} key already exists ({self.address(role)}): keys are never overwritten")

    def _store(self, role: Role, account: LocalAccount) -> str:
        other: Role = "agent" if role == "owner" else "owner"
        if self.has(other) and self.address(other) == account.address:
            raise WalletError(f"that key is already the {other} key: the owner and agent keys must differ")
        private_dir(self.keys_dir)

        def store() -> LocalAccount:
            self._new_keys.store(role, account)
            return account

        return keep_unlocked(self._home_id, role, store).address


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise WalletError(f"unknown key role {role!r}: it is 'owner' or 'agent'")
