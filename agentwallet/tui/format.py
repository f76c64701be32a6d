"""How the TUI writes untrusted text, amounts, addresses and times.

Untrusted text (model output, token symbols, anything read from the chain) goes through
`untrusted`: display.literal makes control characters visible, and rich.text.Text keeps
markup such as "[b red]" as typed. Nothing here parses markup.

agentwallet.units is imported inside the functions that need it: it pulls in eth_utils,
which costs a fifth of a second that the first paint should not wait for. By the time an
amount is shown, the wallet thread has imported it anyway.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from rich.text import Text

from agentwallet.display import literal

ETH_DECIMALS = 18


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
    from agentwallet.units import format_amount

    return format_amount(base_units, decimals)


def short_amount(base_units: int, decimals: int = ETH_DECIMALS) -> str:
    """An amount to read at a glance ("≈0.9998"); detail views show `amount`'s exact text."""
    from agentwallet.units import format_short

    return format_short(base_units, decimals)


def amount_with_unit(base_units: int, decimals: int, unit: str) -> Text:
    """"0.25 ETH"; the unit may be a token's (untrusted) symbol."""
    return Text.assemble(amount(base_units, decimals), " ", untrusted(unit))


def short_address(address: str) -> str:
    from agentwallet.units import short_address as shorten

    return shorten(address)


def duration(seconds: int) -> str:
    """A span of time in its two largest units, zeros left out: "3d 4h", "1d", "5h 12m", "45s"."""
    from agentwallet.units import duration as in_units

    return in_units(seconds)


def moment(timestamp: int) -> str:
    """A chain timestamp as UTC, to the minute."""
    from agentwallet.units import moment as utc_moment

    return utc_moment(timestamp)


def parse_iso(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())
