"""Exact amounts and addresses at the edges of the wallet.

Money inside the program is an int of base units (wei, or a token's smallest unit). Text a
person typed becomes that int here, through Decimal, or is refused with a message that says
what is wrong. Nothing here touches the network.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from agentwallet.eip55 import checksummed
from agentwallet.errors import WalletError

ETH_DECIMALS = 18
UINT256_MAX = 2**256 - 1
MAX_TOKEN_DECIMALS = 36  # a token claiming more is refused: its amounts would not be readable
MAX_PERIOD = 10 * 365 * 86_400  # an allowance window longer than ten years is a typo
NATIVE_UNITS = {"eth": 18, "ether": 18, "gwei": 9, "wei": 0}  # ETH's units in words, casefolded: decimals
PERIOD_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}  # in seconds
_PERIOD_SPELLINGS = {  # how people write them, casefolded: the unit they mean
    **{f"{unit}{plural}": unit for unit in PERIOD_UNITS for plural in ("", "s")},
    "s": "second", "sec": "second", "secs": "second", "min": "minute", "mins": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "d": "day", "wk": "week", "wks": "week",
}
# A whole number and a period unit, as in "12 hours", "12h", "a 12-hour window", "2 wks".
DURATION_IN_TEXT = re.compile(
    rf"(?<![\w.,])(\d+)(?:\s*-\s*|\s*)({'|'.join(sorted(_PERIOD_SPELLINGS, key=len, reverse=True))})(?![\w])",
    re.IGNORECASE)
DECIMAL_IN_TEXT = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"  # a decimal as people write it: 1,000 or 0.5 or .5
# Amounts people write in words, and the exact decimal each one is: "half an eth" is 0.5 ETH.
# A reader takes one only where a unit follows it at once ("half my eth" states no amount) and
# never as a piece of a bigger number ("twenty five", "one and half a", "zero point five").
NUMBER_WORDS = {
    "half a": "0.5", "half an": "0.5", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}
_SPELLED = "|".join(word.replace(" ", r"\s+") for word in sorted(NUMBER_WORDS, key=len, reverse=True))
NUMBER_WORDS_IN_TEXT = re.compile(rf"(?<![\w.,-])(?:{_SPELLED})(?![\w-])", re.IGNORECASE)
_BIGGER_NUMBER = re.compile(
    r"(?:(?:\d|(?<![\w-])(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half|quarter))"
    r"[\s-]*(?:and[\s-]+)?|(?<![\w-])point[\s-]+)$", re.IGNORECASE)


def number_in_words(text: str, found: re.Match[str]) -> str | None:
    """The decimal that NUMBER_WORDS_IN_TEXT's match in `text` stands for, or None where the words
    before it make it part of a bigger number."""
    if _BIGGER_NUMBER.search(text[:found.start()]):
        return None
    return NUMBER_WORDS[" ".join(found[0].casefold().split())]


ADDRESS_IN_TEXT = re.compile(r"0x[0-9a-fA-F]{40}")  # an address written somewhere in free text
_PLAIN_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")  # ASCII digits: "²" or "١٠" is not an amount
_WHOLE_NUMBER = re.compile(r"[0-9]+")


def parse_amount(text: str, decimals: int, unit: str = "ETH", maximum: int = UINT256_MAX) -> int:
    """Turn "0.25" into base units; refuse what is not a plain non-negative decimal of at most
    `maximum` base units (said in `unit`, as the person wrote it)."""
    cleaned = text.strip().replace("_", "")
    if not _PLAIN_DECIMAL.fullmatch(cleaned):
        if cleaned.startswith("-"):
            raise WalletError(f"amount must not be negative: {text!r}")
        raise WalletError(f"not an amount: {text!r} (write it like 0.25)")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise WalletError(f"not an amount: {text!r}") from None
    fraction = cleaned.partition(".")[2]
    if len(fraction.rstrip("0")) > decimals:
        raise WalletError(f"{text} {unit} has more than the {decimals} decimals {unit} allows")
    base = int(value.scaleb(decimals))
    if base > maximum:
        raise WalletError(f"{text} {unit} is too large: at most {format_amount(maximum, decimals)} {unit}")
    return base


def format_amount(base_units: int, decimals: int) -> str:
    """Base units to the shortest exact decimal text: 1500000 with 6 decimals is "1.5"."""
    sign = "-" if base_units < 0 else ""
    whole, fraction = divmod(abs(base_units), 10**decimals)
    text = f"{whole}.{fraction:0{decimals}d}".rstrip("0").rstrip(".") if decimals else str(whole)
    return sign + text


SHORT_DIGITS = 4  # significant digits of a fraction in a short amount


def format_short(base_units: int, decimals: int) -> str:
    """An amount to read at a glance: exact when it has at most six decimals, otherwise "≈" and
    four significant digits of its fraction ("≈0.9998" for 0.999803604146224166). Detail views
    and --json show format_amount's exact text."""
    exact = format_amount(base_units, decimals)
    fraction = exact.partition(".")[2]
    if len(fraction) <= 6:
        return exact
    zeros = len(fraction) - len(fraction.lstrip("0")) if abs(base_units) < 10**decimals else 0
    places = zeros + SHORT_DIGITS
    rounded = Decimal(base_units).scaleb(-decimals).quantize(Decimal(1).scaleb(-places))
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    return exact if text == exact else "≈" + text


_HEX_ADDRESS = re.compile(r"(0x)?[0-9a-f]{40}", re.IGNORECASE | re.ASCII)  # what eth_utils takes for one


def parse_address(text: str) -> str:
    """An EIP-55 address from text; a mixed-case address with a wrong checksum is refused."""
    candidate = text.strip()
    if not _HEX_ADDRESS.fullmatch(candidate):
        raise WalletError(f"not an address: {text!r} (expected 0x and 40 hex digits)")
    address = checksummed(candidate[-40:])
    body = candidate[2:]
    if body != body.lower() and body != body.upper() and candidate != address:
        raise WalletError(f"bad address checksum: {text} (check for a typo)")
    return address


def short_address(address: str) -> str:
    """0x1111…1111, for places where the full address does not fit."""
    return f"{address[:6]}…{address[-4:]}"


def duration(seconds: int) -> str:
    """A span of time in its two largest units, zeros left out: "3d 4h", "1d", "5h 12m", "45s"."""
    rest = max(0, int(seconds))
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        count, rest = divmod(rest, size)
        if count or parts:
            parts.append((count, unit))
    shown = [f"{count}{unit}" for count, unit in parts[:2] if count]
    return " ".join(shown) or "0s"


def period_unit(word: str) -> str | None:
    """The period unit ("hour") a word written after a number means ("h", "hrs", "hours"), if any."""
    return _PERIOD_SPELLINGS.get(word.casefold())


def duration_text(count: str, word: str) -> str:
    """A duration as the agent writes it: "12 hours", "1 day"."""
    unit = _PERIOD_SPELLINGS[word.casefold()]
    return f"{int(count)} {unit}" + ("" if int(count) == 1 else "s")


def moment(timestamp: int) -> str:
    """A chain timestamp as UTC, to the minute. The chain allows moments past the year 9999,
    which datetime cannot write: those are given as the Unix time they are."""
    try:
        return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return f"Unix time {timestamp}"


def parse_period(text: str) -> int:
    """An allowance window length in whole seconds."""
    cleaned = text.strip().replace("_", "")
    if not _WHOLE_NUMBER.fullmatch(cleaned) or int(cleaned) == 0:
        raise WalletError(f"the period is a whole number of seconds above zero, got {text!r}")
    if int(cleaned) > MAX_PERIOD:
        raise WalletError("the period is at most ten years")
    return int(cleaned)


def parse_expiry(text: str, now: float) -> int:
    """An ISO 8601 moment after `now` as a Unix timestamp, or 0 for "never"."""
    cleaned = text.strip()
    if cleaned.lower() == "never":
        return 0
    try:
        when = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise WalletError(f"write the expiry in ISO 8601 like 2027-01-31T00:00:00Z, or never; got {text!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if when.timestamp() <= now:
        raise WalletError(f"the expiry {cleaned} is in the past")
    return int(when.timestamp())
