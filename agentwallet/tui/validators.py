"""What a person may type into the TUI's forms, checked as they type.

Each parse_* function turns the text into the value the services take or raises WalletError
with a message the form shows; each Validator wraps one for an Input. Empty means "keep".
"""

from __future__ import annotations

from collections.abc import Callable

from textual.validation import ValidationResult, Validator

from agentwallet import tools
from agentwallet.config import TokenEntry, parse_contact_name
from agentwallet.errors import WalletError
from agentwallet.units import ETH_DECIMALS, parse_address, parse_amount, parse_expiry, parse_period

__all__ = ["Parses", "parse_address", "parse_contact_name", "parse_eth", "parse_expiry", "parse_period",
           "parse_token_limit"]


def parse_eth(text: str) -> int:
    """An ETH limit: at most what the guardrail's ETH policy holds, said in ETH."""
    return parse_amount(text, ETH_DECIMALS, "ETH", tools.BY_NAME["set_limits"].argument("daily_wei").maximum)


def parse_token_limit(text: str, token: TokenEntry) -> int:
    """A limit of `token`, in its own units: at most what a token policy holds, said in them."""
    return parse_amount(text, token.decimals, token.symbol, tools.BY_NAME["set_token_limits"].argument("daily").maximum)


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
