"""Keystore files: each key a Web3 Secret Storage (version 3) file ``<keys dir>/<role>.json``.

The backend where there is no OS keyring (a headless box, CI) or ``AGENTWALLET_KEYRING=file``
asks for it; also the format of import and export. It is what geth and ``cast wallet`` read,
encrypted with scrypt under the key's passphrase (see ``passphrase``: each role may have its own).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import is_hex_address, to_checksum_address

from agentwallet.errors import WalletError
from agentwallet.keys.passphrase import Passphrases, locked
from agentwallet.private_files import write_new

if TYPE_CHECKING:
    from agentwallet.keys import Role

_CRYPTO_FIELDS = {"cipher", "cipherparams", "ciphertext", "kdf", "kdfparams", "mac"}


@dataclass(frozen=True)
class Keyfile:
    """One keystore file as read from disk, its key still encrypted."""

    what: str  # how messages name it: "the owner keystore /home/keys/owner.json"
    content: dict[str, Any] = field(repr=False)

    @classmethod
    def read(cls, path: Path, kind: str) -> Keyfile:
        """Read ``path``; ``kind`` ("the keystore", "the owner keystore") starts its messages."""
        what = f"{kind} {path}"
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise WalletError(f"{what} does not exist") from None
        except OSError as exc:
            raise WalletError(f"cannot read {what}: {exc.strerror}") from None
        try:
            content = json.loads(raw)
        except ValueError:
            content = None
        crypto = (content.get("crypto") or content.get("Crypto")) if isinstance(content, dict) else None
        if not isinstance(crypto, dict) or content.get("version") != 3 or not _CRYPTO_FIELDS <= crypto.keys():
            raise WalletError(f"{what} is corrupt: it is not a Web3 Secret Storage (version 3) keystore")
        return cls(what, content)

    @property
    def recorded_address(self) -> str | None:
        """The address the file records, EIP-55; None where it records none (it may leave it out)."""
        address = self.content.get("address")
        if isinstance(address, str) and not address.startswith("0x"):
            address = "0x" + address
        return to_checksum_address(address) if is_hex_address(address) else None

    def address(self) -> str:
        """The recorded address, which every keystore this wallet keeps must have."""
        address = self.recorded_address
        if address is None:
            raise WalletError(f"{self.what} is corrupt: it records no valid address")
        return address

    def decrypt(self, passphrase: str) -> LocalAccount | None:
        """The account, or None when the passphrase is wrong.

        Errors are raised outside the ``except`` blocks so no eth_account exception rides along as
        ``__context__``.
        """
        try:
            key = bytes(Account.decrypt(self.content, passphrase))
        except ValueError as exc:
            wrong_passphrase = "MAC mismatch" in str(exc)
        except Exception:  # eth_keyfile's errors for malformed parameters are of several types
            wrong_passphrase = False
        else:
            return self._account(key)
        if wrong_passphrase:
            return None
        raise WalletError(f"{self.what} is corrupt: it cannot be decrypted")

    def _account(self, key: bytes) -> LocalAccount:
        account = Account.from_key(key)
        recorded = self.recorded_address
        if recorded is not None and recorded != account.address:
            raise WalletError(f"{self.what} is corrupt: its key does not belong to its address {recorded}")
        return account


class KeystoreFiles:
    """The wallet's keys as keystore files in its keys dir."""

    def __init__(self, keys_dir: Path, passphrases: Passphrases, *, kdf_iterations: int | None) -> None:
        """``kdf_iterations`` is the scrypt work factor n of keystores written from here; None
        keeps eth_account's 2**18, the strength geth uses. Lower it only in tests."""
        if kdf_iterations is not None and (kdf_iterations < 2 or kdf_iterations & (kdf_iterations - 1)):
            raise ValueError("kdf_iterations is scrypt's n: a power of two, at least 2")
        self.keys_dir = keys_dir
        self._passphrases = passphrases
        self._kdf_iterations = kdf_iterations

    def path(self, role: Role) -> Path:
        return self.keys_dir / f"{role}.json"

    def holds(self, role: Role) -> bool:
        return self.path(role).exists()

    def address(self, role: Role) -> str:
        return self._open(role).address()

    def store(self, role: Role, account: LocalAccount) -> None:
        """Write the role's keystore, under the key's passphrase (asked for twice if it is new)."""
        passphrase = self._passphrases.for_key(role, "New passphrase for the wallet's keys: ", confirm=True)
        self.write(self.path(role), account, passphrase.text)
        self._passphrases.remember(passphrase)

    def unlock(self, role: Role) -> LocalAccount:
        keyfile = self._open(role)
        keyfile.address()  # a keystore without one is corrupt: say so before asking for a passphrase
        label = f"Passphrase for the {role} key: "
        passphrase = self._passphrases.for_key(role, label, confirm=False, missing=locked(role))
        account = keyfile.decrypt(passphrase.text)
        if account is None and passphrase.source == "remembered":  # the other key's passphrase; this one may differ
            passphrase = self._passphrases.ask(label, confirm=False, missing=locked(role))
            account = keyfile.decrypt(passphrase.text)
        if account is None:
            raise WalletError(f"wrong passphrase for {keyfile.what}{passphrase.hint}")
        self._passphrases.remember(passphrase)
        return account

    def write(self, path: Path, account: LocalAccount, passphrase: str) -> None:
        """Write ``account`` as a new keystore file at ``path``, mode 0600, never replacing one."""
        keyfile = Account.encrypt(account.key, passphrase, kdf="scrypt", iterations=self._kdf_iterations)
        write_new(path, json.dumps(keyfile))

    def _open(self, role: Role) -> Keyfile:
        return Keyfile.read(self.path(role), f"the {role} keystore")
