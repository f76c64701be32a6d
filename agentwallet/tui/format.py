"""How the TUI writes untrusted text, amounts, addresses and times.

Untrusted text (model output, token symbols, anything read from the chain) goes through
`untrusted`: display.literal makes control characters visible, and rich.text.Text keeps
markup such as "[b red]" as typed. Nothing here parses markup.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from rich.text import Text

from agentwallet.display import literal
from agentwallet.units import ETH_DECIMALS, duration, format_amount, format_short, moment, short_address

__all__ = ["amount", "amount_with_unit", "duration", "moment", "parse_iso", "short_address", "short_amount",
           "shown_literally", "untrusted", "untrusted_lines"]


def shown_literally(text: str) -> str:
    """display.literal(text), remembered: every history cell drawn calls it, and symbols and
    names repeat."""
    return _literal(text)


_literal = lru_cache(maxsize=4096)(literal)


def untrusted(text: str | None, style: str = "") -> Text:
    """One line of untrusted text, shown exactly as it was typed."""
    return Text(shown_literally(text or ""), style=style, end="")


def untrusted_lines(text: str | None, style: str = "") -> Text:
    """Untrusted text that may span lines: each line shown literally, the line breaks kept."""
    lines = (text or "").split("\n")
    return Text("\n".join(shown_literally(line) for line in lines), style=style, end="")


def amount(base_units: int, decimals: int = ETH_DECIMALS) -> str:
    return format_amount(base_units, decimals)


def short_amount(base_units: int, decimals: int = ETH_DECIMALS) -> str:
    """An amount to read at a glance ("≈0.9998"); detail views show `amount`'s exact text."""
    return format_short(base_units, decimals)


def amount_with_unit(base_units: int, decimals: int, unit: str) -> Text:
    """"0.25 ETH"; the unit may be a token's (untrusted) symbol."""
    return Text.assemble(amount(base_units, decimals), " ", untrusted(unit))


def parse_iso(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())
