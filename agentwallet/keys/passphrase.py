"""Where a key's passphrase comes from, and what this process has already unlocked.

A key's passphrase is read from its role's variable, ``AGENTWALLET_OWNER_PASSPHRASE`` or
``AGENTWALLET_AGENT_PASSPHRASE``, else from ``AGENTWALLET_PASSPHRASE`` (both keys' secret: the
devnet demo, tests), else is the one typed earlier in this process for the same wallet, else is
asked for: by the prompt the caller gave (the TUI's dialog) or by getpass on a terminal.

A secret per role lets a script hold the agent's secret without the owner's. When a role's
variable is set it is the only one read for that key: a wrong one is reported by its name,
never quietly replaced by the shared one.

What was typed and what was unlocked are kept for the rest of the process, by wallet, so a
command decrypts each key once and the owner and agent keys of one wallet ask once.
"""

from __future__ import annotations

import getpass
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Literal

from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from agentwallet.keys import Role

PASSPHRASE_ENV = "AGENTWALLET_PASSPHRASE"
OWNER_PASSPHRASE_ENV = "AGENTWALLET_OWNER_PASSPHRASE"
AGENT_PASSPHRASE_ENV = "AGENTWALLET_AGENT_PASSPHRASE"
ROLE_PASSPHRASE_ENV: dict[Role, str] = {"owner": OWNER_PASSPHRASE_ENV, "agent": AGENT_PASSPHRASE_ENV}
NO_PASSPHRASE = f"no passphrase: set {PASSPHRASE_ENV} or run in a terminal"


def locked(role: Role) -> str:
    """What a key that cannot be unlocked here says: the variable that unlocks it alone first."""
    return f"the {role} key is locked: set {ROLE_PASSPHRASE_ENV[role]} (or {PASSPHRASE_ENV}) or run in a terminal"


Source = Literal["given", "env", "remembered", "prompt"]

_lock = threading.RLock()
_unlocked: dict[tuple[str, Role], LocalAccount] = {}  # (home id, role) -> account
_typed: dict[str, str] = {}  # home id -> the passphrase last typed at a prompt for that wallet


@dataclass(frozen=True)
class Passphrase:
    """A passphrase and where it came from, which decides whether it is remembered and what a
    wrong one's message says."""

    text: str = field(repr=False)
    source: Source
    variable: str | None = None  # the environment variable it was read from

    @property
    def hint(self) -> str:
        """How the message for a wrong passphrase ends: the variable to check, if it came from one."""
        return f": check {self.variable}" if self.variable else ""


class Passphrases:
    """Where one wallet's passphrases come from."""

    def __init__(self, home_id: str, prompt: Callable[[str], str] | None) -> None:
        """``home_id`` tells wallets apart; ``prompt`` asks the user (None: getpass on a terminal)."""
        self._home_id = home_id
        self._prompt = prompt

    def for_key(self, role: Role, label: str, *, confirm: bool, missing: str = NO_PASSPHRASE) -> Passphrase:
        """For the role's key: from the environment, typed earlier in this process, or asked for
        (`missing` is the error where nobody can be asked)."""
        return self.from_environment(role) or self._remembered() or self.ask(label, confirm=confirm, missing=missing)

    def from_environment(self, role: Role) -> Passphrase | None:
        """The role's own variable if it is set, else the one both roles share; an empty one is unset."""
        for variable in (ROLE_PASSPHRASE_ENV[role], PASSPHRASE_ENV):
            text = os.environ.get(variable)
            if text:
                return Passphrase(text, "env", variable)
        return None

    def ask(self, label: str, *, confirm: bool, missing: str = NO_PASSPHRASE) -> Passphrase:
        """Ask the user; with ``confirm``, twice, and an empty passphrase is refused. Where there
        is nobody to ask, WalletError(missing)."""
        prompt = self._prompt or (getpass.getpass if _stdin_is_terminal() else None)
        if prompt is None:
            raise WalletError(missing)
        try:
            text = prompt(label)
            if confirm:
                if not text:
                    raise WalletError("the passphrase must not be empty")
                if prompt("Repeat the passphrase: ") != text:
                    raise WalletError("the passphrases do not match")
        except EOFError:
            raise WalletError(missing) from None
        return Passphrase(text, "prompt")

    def remember(self, passphrase: Passphrase) -> None:
        """Keep a passphrase the user typed, once it proved right, for this wallet's next key."""
        if passphrase.source == "prompt":
            with _lock:
                _typed[self._home_id] = passphrase.text

    def _remembered(self) -> Passphrase | None:
        text = _typed.get(self._home_id)
        return Passphrase(text, "remembered") if text is not None else None


def unlocked(home_id: str, role: Role, unlock: Callable[[], LocalAccount]) -> LocalAccount:
    """The role's account as unlocked earlier in this process, or else ``unlock()``'s, kept."""
    with _lock:
        account = _unlocked.get((home_id, role))
        if account is None:
            account = _unlocked[(home_id, role)] = unlock()
        return account


def keep_unlocked(home_id: str, role: Role, store: Callable[[], LocalAccount]) -> LocalAccount:
    """``store()`` a new key and keep the account it returns unlocked, for the rest of the process."""
    with _lock:
        account = _unlocked[(home_id, role)] = store()
        return account


def forget(home_id: str) -> None:
    """Forget the wallet's unlocked keys and typed passphrase for the rest of the process."""
    with _lock:
        for key in [key for key in _unlocked if key[0] == home_id]:
            del _unlocked[key]
        _typed.pop(home_id, None)


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # stdin closed
        return False
