"""The OS keyring: each key an entry (service ``agentwallet``, username ``<home id>:<role>``).

The backend wherever the ``keyring`` package finds a real one (macOS Keychain, Windows
Credential Locker, the Secret Service on Linux desktops) and ``AGENTWALLET_KEYRING=file`` does not
turn it off. Beside each entry, ``<keys dir>/<role>.public.json`` records the address, so
showing an address never touches the keyring; the home id tells data dirs apart.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import keyring
import keyring.backends.fail
import keyring.backends.null
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import is_hex_address, to_checksum_address
from keyring.backend import KeyringBackend

from agentwallet.errors import WalletError
from agentwallet.private_files import write_new

if TYPE_CHECKING:
    from agentwallet.keys import Role

SERVICE = "agentwallet"
KEYRING_ENV = "AGENTWALLET_KEYRING"


class OSKeyring:
    """The wallet's keys in the OS keyring, when there is one here."""

    backend: KeyringBackend | None  # None: no OS keyring here, or AGENTWALLET_KEYRING=file
    turned_off: bool  # AGENTWALLET_KEYRING=file

    def __init__(self, keys_dir: Path, home_id: str) -> None:
        choice = os.environ.get(KEYRING_ENV, "").strip().lower()
        if choice not in ("", "file"):
            raise WalletError(f"{KEYRING_ENV}={choice!r} is not understood: set it to 'file' or leave it unset")
        self.turned_off = choice == "file"
        self.backend = None if self.turned_off else _os_keyring()
        self.keys_dir = keys_dir
        self._home_id = home_id

    def _public_path(self, role: Role) -> Path:
        return self.keys_dir / f"{role}.public.json"

    def holds(self, role: Role) -> bool:
        return self._public_path(role).exists()

    def address(self, role: Role) -> str:
        return self._read_public(role)["address"]

    def store(self, role: Role, account: LocalAccount) -> None:
        """Keep the key in the OS keyring and its address in the public file; a key already there is kept."""
        backend = self.backend
        assert backend is not None, "KeyStore stores in the OS keyring only when there is one"
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

    def unlock(self, role: Role) -> LocalAccount:
        public = self._read_public(role)
        path = self._public_path(role)
        backend = self.backend
        if backend is None:
            fix = f": unset {KEYRING_ENV}" if self.turned_off else ""
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

    def _write_public(self, backend: KeyringBackend, role: Role, address: str) -> None:
        record = {"address": address, "keyring": backend.name, "service": SERVICE, "username": self._username(role)}
        write_new(self._public_path(role), json.dumps(record, indent=2) + "\n")


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
