"""The owner and agent keys: kept in the OS keyring, or in encrypted keystore files where there is none.

Where an OS keyring backend exists, each private key lives in it (service ``agentwallet``,
username ``<home id>:<role>``, the home id telling data dirs apart) and
``<home>/keys/<role>.public.json`` records the address, so showing an address never touches
the keyring. Where none exists (a headless box, CI), or with ``AGENTWALLET_KEYRING=file``, each
key is a Web3 Secret Storage file ``<home>/keys/<role>.json`` (what geth and ``cast wallet``
read), encrypted with scrypt under the wallet passphrase: ``AGENTWALLET_PASSPHRASE`` or, on a
terminal, a prompt.

Where a key lives is read from the files on disk, so keys made under one backend stay usable
when the machine gains or loses a keyring. An unlocked key is cached for the rest of the
process, so a command decrypts once; a passphrase typed at a prompt is remembered likewise,
so the owner and agent keys of one wallet ask for it once.

A private key is held only inside a ``LocalAccount``: never in an attribute, a message, a log
line or any file but its keyring entry or encrypted keystore.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Callable, Literal, get_args

import keyring
import keyring.backends.fail
import keyring.backends.null
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import is_hex_address, to_checksum_address
from keyring.backend import KeyringBackend

from agentwallet.errors import WalletError
from agentwallet.keys.keystore_file import Keyfile, KeystoreFiles
from agentwallet.keys.passphrase import (
    NO_PASSPHRASE,
    PASSPHRASE_ENV,
    Passphrase,
    Passphrases,
    forget,
    keep_unlocked,
    unlocked,
)
from agentwallet.keys.private_file import make_private_dir, write_new_file

Role = Literal["owner", "agent"]
ROLES: tuple[Role, ...] = get_args(Role)

SERVICE = "agentwallet"
KEYRING_ENV = "AGENTWALLET_KEYRING"
__all__ = ["KEYRING_ENV", "NO_PASSPHRASE", "PASSPHRASE_ENV", "ROLES", "SERVICE", "KeyStore", "Role"]


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

        choice = os.environ.get(KEYRING_ENV, "").strip().lower()
        if choice not in ("", "file"):
            raise WalletError(f"{KEYRING_ENV}={choice!r} is not understood: set it to 'file' or leave it unset")
        self._forced_file = choice == "file"
        self._keyring = None if self._forced_file else _os_keyring()
        if self._keyring is not None:
            self.backend = f"os-keyring ({self._keyring.name})"
            self.notice = None
        else:
            self.backend = "keystore-file"
            self.notice = None if self._forced_file else (
                f"no OS keyring backend here: keys are kept in encrypted keystore files under "
                f"{self.keys_dir} (passphrase from {PASSPHRASE_ENV} or a prompt)"
            )

    def __repr__(self) -> str:
        return f"KeyStore({str(self.home)!r}, backend={self.backend!r})"

    def has(self, role: Role) -> bool:
        _check_role(role)
        return self._files.holds(role) or self._public_path(role).exists()

    def address(self, role: Role) -> str:
        """The role's EIP-55 address, read from public data: no passphrase, no keyring access."""
        _check_role(role)
        if self._files.holds(role):
            return self._files.address(role)
        if self._public_path(role).exists():
            return self._read_public(role)["address"]
        raise _missing(role)

    def create(self, role: Role) -> str:
        """Make a new random key for the role and return its address; an existing key is kept."""
        _check_role(role)
        self._refuse_existing(role)
        return self._store(role, Account.create())

    def account(self, role: Role) -> LocalAccount:
        """The role's signing account, unlocked once per process."""
        _check_role(role)
        return unlocked(self._home_id, role, lambda: self._unlock(role))

    def import_keystore(self, role: Role, path: Path, passphrase: str | None = None) -> str:
        """Take the key in a keystore file (geth, cast wallet, MetaMask export) as the role's key."""
        _check_role(role)
        self._refuse_existing(role)
        source = Path(path)
        keyfile = Keyfile.read(source, "the keystore")
        if passphrase is None:
            given = (self._passphrases.from_environment()
                     or self._passphrases.ask(f"Passphrase for {source.name}: ", confirm=False))
        else:
            given = Passphrase(passphrase, "given")
        account = keyfile.decrypt(given.text)
        if account is None:
            raise WalletError(f"wrong passphrase for {keyfile.what}{given.hint}")
        return self._store(role, account)

    def export_keystore(self, role: Role, dest: Path, passphrase: str | None = None) -> Path:
        """Write the role's key as a new keystore file (mode 0600) that geth and cast wallet read.

        Without ``passphrase`` it is encrypted under the wallet passphrase (``AGENTWALLET_PASSPHRASE``,
        the one typed earlier in this process, or a new one asked for twice).
        """
        _check_role(role)
        dest = Path(dest)
        if dest.exists():
            raise WalletError(f"{dest} already exists: choose another file, it is never overwritten")
        account = self.account(role)
        if passphrase is None:
            label = "Passphrase for the exported keystore: "
            passphrase = self._passphrases.wallet_passphrase(label, confirm=True).text
        if not passphrase:
            raise WalletError("the passphrase must not be empty")
        self._files.write(dest, account, passphrase)
        return dest

    def lock(self) -> None:
        """Forget this wallet's unlocked keys and typed passphrase for the rest of the process."""
        forget(self._home_id)

    # where the keys are

    def _public_path(self, role: Role) -> Path:
        return self.keys_dir / f"{role}.public.json"

    def _username(self, role: Role) -> str:
        return f"{self._home_id}:{role}"

    def _read_public(self, role: Role) -> dict[str, str]:
        path = self._public_path(role)
        try:
            record = json.loads(path.read_bytes())
        except OSError as exc:
            raise WalletError(f"cannot read {path}: {exc.strerror}") from None
        except ValueError:
            record = None
        if not isinstance(record, dict) or not is_hex_address(record.get("address")):
            raise WalletError(f"{path} is corrupt: it should record the {role} key's address")
        return {**record, "address": to_checksum_address(record["address"])}

    def _refuse_existing(self, role: Role) -> None:
        if self.has(role):
            raise WalletError(f"an {role} key already exists ({self.address(role)}): keys are never overwritten")

    # storing

    def _store(self, role: Role, account: LocalAccount) -> str:
        other: Role = "agent" if role == "owner" else "owner"
        if self.has(other) and self.address(other) == account.address:
            raise WalletError(f"that key is already the {other} key: the owner and agent keys must differ")
        make_private_dir(self.keys_dir)

        def store() -> LocalAccount:
            if self._keyring is None:
                self._files.store(role, account)
            else:
                self._store_in_keyring(self._keyring, role, account)
            return account

        return keep_unlocked(self._home_id, role, store).address

    def _store_in_keyring(self, backend: KeyringBackend, role: Role, account: LocalAccount) -> None:
        username = self._username(role)
        held = _keyring_call(backend, "read", role, backend.get_password, SERVICE, username)
        if held is not None:
            # The address file was lost but the key was not: restore the record, keep the key.
            held_account = _account_from_secret(held)
            if held_account is None:
                raise WalletError(
                    f"the OS keyring ({backend.name}) holds an unreadable {role} key under "
                    f"{SERVICE}/{username}: keys are never overwritten"
                )
            self._write_public(backend, role, held_account.address)
            raise WalletError(
                f"an {role} key already exists in the OS keyring ({held_account.address}); its address "
                f"file was missing and is restored: keys are never overwritten"
            )
        secret = "0x" + bytes(account.key).hex()
        _keyring_call(backend, "store", role, backend.set_password, SERVICE, username, secret, secret=secret)
        stored = _keyring_call(backend, "read", role, backend.get_password, SERVICE, username)
        if stored != secret:
            raise WalletError(f"the OS keyring ({backend.name}) did not keep the {role} key")
        try:
            self._write_public(backend, role, account.address)
        except WalletError:
            _keyring_call(backend, "remove", role, backend.delete_password, SERVICE, username)
            raise

    def _write_public(self, backend: KeyringBackend, role: Role, address: str) -> None:
        record = {"address": address, "keyring": backend.name, "service": SERVICE, "username": self._username(role)}
        write_new_file(self._public_path(role), json.dumps(record, indent=2) + "\n")

    # unlocking

    def _unlock(self, role: Role) -> LocalAccount:
        if self._files.holds(role):
            return self._files.unlock(role)
        if self._public_path(role).exists():
            return self._unlock_keyring(role)
        raise _missing(role)

    def _unlock_keyring(self, role: Role) -> LocalAccount:
        public = self._read_public(role)
        path = self._public_path(role)
        backend = self._keyring
        if backend is None:
            fix = f": unset {KEYRING_ENV}" if self._forced_file else ""
            raise WalletError(
                f"the {role} key is in the OS keyring ({public.get('keyring', 'unknown')}), "
                f"which is not available here{fix}"
            )
        secret = _keyring_call(backend, "read", role, backend.get_password, SERVICE, self._username(role))
        if secret is None:
            raise WalletError(
                f"the {role} key ({public['address']}) is missing from the OS keyring ({backend.name}); "
                f"{path} records it under {SERVICE}/{self._username(role)}"
            )
        account = _account_from_secret(secret)
        if account is None or account.address != public["address"]:
            raise WalletError(
                f"the OS keyring ({backend.name}) entry {SERVICE}/{self._username(role)} is not the "
                f"{role} key {public['address']} recorded in {path}"
            )
        return account


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise WalletError(f"unknown key role {role!r}: it is 'owner' or 'agent'")


def _missing(role: Role) -> WalletError:
    return WalletError(f"no {role} key: run `agentwallet init`")


def _os_keyring() -> KeyringBackend | None:
    """The OS keyring backend, or None where keyring found only its fail and null stand-ins."""
    try:
        backend = keyring.get_keyring()
        priority = backend.priority
    except Exception:  # a broken third-party backend is no backend
        return None
    if isinstance(backend, (keyring.backends.fail.Keyring, keyring.backends.null.Keyring)) or priority <= 0:
        return None
    return backend


def _account_from_secret(secret: str) -> LocalAccount | None:
    try:
        return Account.from_key(secret)
    except Exception:  # whatever eth_keys rejects, without carrying the text along
        return None


def _keyring_call(backend: KeyringBackend, action: str, role: Role, method: Callable[..., Any], *args: Any,
                  secret: str | None = None) -> Any:
    """Call the OS keyring, turning its failures into a WalletError that cannot echo ``secret``."""
    try:
        return method(*args)
    except Exception as exc:  # backends raise their own types (D-Bus, Keychain, ...)
        reason = str(exc) or type(exc).__name__
    if secret is not None:
        reason = re.sub(re.escape(secret.removeprefix("0x")), "<private key>", reason, flags=re.IGNORECASE)
        reason = reason.replace("0x<private key>", "<private key>")
    raise WalletError(f"the OS keyring ({backend.name}) could not {action} the {role} key: {reason}")
