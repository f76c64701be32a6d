"""What the model may name in its call for one request: who, how much, which token.

Candidates come from the wallet (contacts, known tokens) and from the request itself (0x
addresses, numbers and words it contains), so the small model can only copy something that is
really there. Nothing here decides which tool is called; the model does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentwallet.agent import untrusted
from agentwallet.agent.context import KnownToken, WalletContext

NATIVE_UNITS = {"ETH": 18, "gwei": 9, "wei": 0}
PERIOD_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
WORD_LIMIT = 40
REQUEST_LIMIT = 400

_ADDRESS = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
_WORD = re.compile(r"[^\W\d_][\w'-]*")


@dataclass(frozen=True)
class Choices:
    contacts: dict[str, str]  # label -> checksummed address
    request: str  # the request as the model reads it: cleaned, long addresses shortened
    addresses: dict[str, str]  # short form the model reads (0x4444…4444) -> address as written
    words: tuple[str, ...]  # other words of the request: a name the wallet may not know
    amounts: tuple[str, ...]  # plain decimals written in the request
    counts: tuple[str, ...]  # the whole numbers among them
    tokens: dict[str, tuple[KnownToken, ...]]  # label (cleaned symbol) -> tokens that carry it

    @property
    def recipients(self) -> tuple[str, ...]:
        named = [*self.contacts, *self.addresses]
        folded = {name.casefold() for name in named}
        return (*named, *(word for word in self.words if word.casefold() not in folded))

    @property
    def token_labels(self) -> tuple[str, ...]:
        """Known symbols first, then request words that may name a token the wallet lacks."""
        known = list(self.tokens)
        folded = {name.casefold() for name in known}
        return (*known, *(word for word in self.words if word.casefold() not in folded))


def choices_for(request: str, context: WalletContext) -> Choices:
    request = untrusted.data(request, limit=REQUEST_LIMIT).replace("\n", " ")
    addresses: dict[str, str] = {}
    for address in dict.fromkeys(_ADDRESS.findall(request)):
        short = f"{address[:6]}…{address[-4:]}"
        addresses[address if short in addresses else short] = address
    shortened = {address: short for short, address in addresses.items()}
    shown = _ADDRESS.sub(lambda found: shortened[found[0]], request)
    rest = _ADDRESS.sub(" ", request)
    amounts = tuple(dict.fromkeys(number.replace(",", "") for number in _NUMBER.findall(rest)))
    native = {unit.casefold() for unit in NATIVE_UNITS} | {"ether"}
    words = tuple(
        word for word in dict.fromkeys(_WORD.findall(rest)) if word.casefold() not in native
    )[:WORD_LIMIT]
    contacts = {untrusted.label(c.name): c.address for c in context.contacts if untrusted.label(c.name)}
    tokens: dict[str, tuple[KnownToken, ...]] = {}
    for token in context.tokens:
        name = untrusted.label(token.symbol)
        if not name or name.casefold() in native:
            continue  # a token never goes by ETH's name
        same = next((known for known in tokens if known.casefold() == name.casefold()), name)
        tokens[same] = (*tokens.get(same, ()), token)
    return Choices(
        request=shown,
        contacts=contacts,
        addresses=addresses,
        words=words,
        amounts=amounts,
        counts=tuple(number for number in amounts if number.isdigit()),
        tokens=tokens,
    )
