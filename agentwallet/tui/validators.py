"""What a person may type into the TUI's forms, checked as they type.

Each parse_* function turns the text into the value the services take or raises WalletError
with a message the form shows; each Validator wraps one for an Input. Empty means "keep".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone

from textual.validation import ValidationResult, Validator

from agentwallet.errors import WalletError

CONTACT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
MAX_PERIOD = 10 * 365 * 86_400


def parse_amount(text: str, decimals: int, unit: str) -> int:
    from agentwallet.units import parse_amount as parse

    return parse(text, decimals, unit)


def parse_eth(text: str) -> int:
    return parse_amount(text, 18, "ETH")


def parse_period(text: str) -> int:
    cleaned = text.strip().replace("_", "")
    if not cleaned.isdigit() or int(cleaned) == 0:
        raise WalletError(f"the period is a whole number of seconds above zero, got {text!r}")
    if int(cleaned) > MAX_PERIOD:
        raise WalletError("the period is at most ten years")
    return int(cleaned)


def parse_expiry(text: str, now: float) -> int:
    """An ISO 8601 moment in the future as a timestamp, or 0 for "never"."""
    cleaned = text.strip()
    if cleaned.lower() == "never":
        return 0
    try:
        when = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise WalletError(f"write the expiry like 2027-01-31T00:00:00Z, or never; got {text!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if when.timestamp() <= now:
        raise WalletError(f"{cleaned} is in the past")
    return int(when.timestamp())


def parse_contact_name(text: str) -> str:
    if not CONTACT_NAME.match(text):
        raise WalletError("a contact name is lowercase letters, digits, - and _ (up to 32), starting with a letter")
    return text


def parse_address(text: str) -> str:
    from agentwallet.units import parse_address as parse

    return parse(text)


class Parses(Validator):
    """Valid when `parse` accepts the text; its WalletError message is the failure shown."""

    def __init__(self, parse: Callable[[str], object]):
        super().__init__()
        self.parse = parse

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            self.parse(value)
        except WalletError as error:
            return self.failure(str(error))
        return self.success()
