"""What a person may type into the TUI's forms, checked as they type.

Each parse_* function turns the text into the value the services take or raises WalletError
with a message the form shows; each Validator wraps one for an Input. Empty means "keep".
"""

from __future__ import annotations

from collections.abc import Callable

from textual.validation import ValidationResult, Validator

from agentwallet.config import parse_contact_name
from agentwallet.errors import WalletError
from agentwallet.units import ETH_DECIMALS, parse_address, parse_amount, parse_expiry, parse_period

__all__ = ["Parses", "parse_address", "parse_amount", "parse_contact_name", "parse_eth", "parse_expiry", "parse_period"]


def parse_eth(text: str) -> int:
    return parse_amount(text, ETH_DECIMALS, "ETH")


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
