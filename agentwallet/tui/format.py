"""How the TUI writes untrusted text, amounts, addresses and times.

Untrusted text (model output, token symbols, anything read from the chain) goes through
`untrusted`: display.literal makes control characters visible, and rich.text.Text keeps
markup such as "[b red]" as typed. Nothing here parses markup.

agentwallet.units is imported inside the functions that need it: it pulls in eth_utils,
which costs a fifth of a second that the first paint should not wait for. By the time an
amount is shown, the wallet thread has imported it anyway.
"""

from __future__ import annotations

from datetime import datetime, timezone

from rich.text import Text

from agentwallet.display import literal

ETH_DECIMALS = 18


def untrusted(text: str | None, style: str = "") -> Text:
    """One line of untrusted text, shown exactly as it was typed."""
    return Text(literal(text or ""), style=style, end="")


def untrusted_lines(text: str | None, style: str = "") -> Text:
    """Untrusted text that may span lines: each line shown literally, the line breaks kept."""
    lines = (text or "").split("\n")
    return Text("\n".join(literal(line) for line in lines), style=style, end="")


def amount(base_units: int, decimals: int = ETH_DECIMALS) -> str:
    from agentwallet.units import format_amount

    return format_amount(base_units, decimals)


def amount_with_unit(base_units: int, decimals: int, unit: str) -> Text:
    """"0.25 ETH"; the unit may be a token's (untrusted) symbol."""
    return Text.assemble(amount(base_units, decimals), " ", untrusted(unit))


def short_address(address: str) -> str:
    from agentwallet.units import short_address as shorten

    return shorten(address)


def duration(seconds: int) -> str:
    """A span of time in the two largest units that matter: "3d 4h", "5h 12m", "45s"."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    if minutes:
        return f"{minutes}m {secs}s"
    return f"{secs}s"


def moment(timestamp: int) -> str:
    """A chain timestamp as UTC, to the minute."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def iso_moment(iso: str) -> str:
    """History's ISO 8601 timestamps, shortened for a table cell."""
    return iso.replace("T", " ")[:16]


def parse_iso(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())
