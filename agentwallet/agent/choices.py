"""What the model may say in its call for one request: to whom, how much, in what.

Candidates come from the request itself (the contacts and 0x addresses it names, the numbers
and units it writes, "half an eth" as 0.5) and from the wallet (its contacts, its tokens), so the small model can
only copy something that is really there. Where the request names nothing, the wallet's
contacts and the request's own words are offered instead, so that "send 1 eth to dave"
without a contact dave ends in a clear error rather than in a payment to somebody else.
Nothing here decides which tool is called; the model does. A number in scientific notation
(1e18) is refused with the reason, since its digits alone would be read as other numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from agentwallet import untrusted
from agentwallet.agent.context import KnownToken, WalletContext
from agentwallet.errors import WalletError
from agentwallet.mentions import EACH_WORDS, SPLIT_VERBS, SPLIT_WORDS
from agentwallet.units import (
    DECIMAL_IN_TEXT,
    DURATION_IN_TEXT,
    NATIVE_UNITS,
    NUMBER_WORDS_IN_TEXT,
    duration_text,
    number_in_words,
)

REQUEST_LIMIT = 400  # characters of a request the model reads
WORD_LIMIT = 40

_ADDRESS = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
_NUMBER = re.compile(DECIMAL_IN_TEXT)
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_UNIT_AFTER = re.compile(r"\s+([^\W\d_][\w'-]*)")  # the word after an amount in words: its unit, if it is one
# What says a limit is per payment ("per transaction", "in one payment") or per period ("a day",
# "daily", "allowance"): a request that writes only one kind may set only that kind.
_PER_PAYMENT = re.compile(
    r"(?<![\w-])(?:per[\s-]?tx|(?:per|each|every|any|one|a|single|no)[\s-]+(?:single\s+)?"
    r"(?:payment|transaction|transfer|tx|send|action)s?|(?:payment|transaction|transfer)\s+(?:cap|limit|max)|"
    r"at a time|in one go)(?![\w-])", re.IGNORECASE)
_PER_PERIOD = re.compile(
    r"(?<![\w-])(?:daily|weekly|hourly|monthly|allowance|"
    r"(?:a|per|each|every|in a|one)\s+(?:day|week|hour|month|period))(?![\w-])", re.IGNORECASE)
# 1e18, 2.5E-3: read as numbers, "1e18 wei" would offer the model 1 and 18, and a payment of 1 wei
# another agent: "#2", "agent 2", "agent #2"; or a paid skill's address
_AGENT = re.compile(r"(?<![\w#])(?:agent\s*#?\s*|#)(\d{1,9})(?!\w)", re.IGNORECASE)
_URL = re.compile(r"(?<!\w)https?://[^\s()\"'<>]{1,400}")
# what joins the agent to the question: "ask agent #2 to …", "ask #2: …", "agent 7, …"
_QUESTION_LEAD = re.compile(r"^(?:[:,;\-–—]+\s*)?(?:to\s+|for\s+)?", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"(?<![\w.])\d+(?:\.\d+)?e[+-]?\d+(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Choices:
    request: str  # the request as the model reads it: one cleaned line, addresses shortened
    contacts: dict[str, str]  # every contact: label -> checksummed address
    addresses: dict[str, str]  # short form the model reads (0x4444…4444) -> address as written
    recipients: tuple[str, ...]  # what a payment's `to` may be
    amounts: tuple[str, ...]  # decimals written in the request
    counts: tuple[str, ...]  # the whole numbers among them
    limit_amounts: tuple[str, ...]  # numbers written other than as a length of time
    durations: dict[str, str]  # lengths of time written (12h, 12-hour: "12 hours") -> what they come from
    times_written: dict[str, int]  # how often the request writes each of those numbers and lengths
    units: tuple[str, ...]  # what a payment may be counted in
    native_units: tuple[str, ...]  # what a spending limit may be counted in
    tokens: dict[str, tuple[KnownToken, ...]]  # label (cleaned symbol) -> the tokens that carry it
    shares: tuple[str, ...] = ()  # how one payment may go to several recipients the request names: each, shared
    limit_keys: tuple[str, ...] = ("daily", "per_tx", "period")  # the limits the request's words may set
    agents: tuple[str, ...] = ()  # other agents the request names (#2) and skills' addresses it writes
    questions: tuple[str, ...] = ()  # what the request asks of them: its own words after the first


def choices_for(request: str, context: WalletContext) -> Choices:
    request = untrusted.line(request, limit=REQUEST_LIMIT)
    addresses: dict[str, str] = {}
    for address in dict.fromkeys(_ADDRESS.findall(request)):
        short = f"{address[:6]}…{address[-4:]}"
        addresses[address if short in addresses else short] = address
    shortened = {address: short for short, address in addresses.items()}
    rest = _ADDRESS.sub(" ", request)
    if scientific := _SCIENTIFIC.search(rest):
        raise WalletError(f"{scientific[0]} is written in scientific notation, which the agent does not read: "
                          "write the number out, like 1 eth or 1000000000000000000 wei")
    tokens = _tokens_by_label(context)
    token_names = {label.casefold() for label in tokens}
    written = [number.replace(",", "") for number in _NUMBER.findall(rest)]
    written += _in_words(rest, set(NATIVE_UNITS) | token_names)
    amounts = tuple(dict.fromkeys(written))
    written_durations = DURATION_IN_TEXT.findall(rest)
    typed = Counter(duration_text(count, word) for count, word in written_durations)
    limit_amounts = Counter(written) - Counter(str(int(count)) for count, _ in written_durations)
    words = tuple(dict.fromkeys(_WORD.findall(rest)))[:WORD_LIMIT]

    contacts = {untrusted.label(c.name): c.address for c in context.contacts if untrusted.label(c.name)}
    found = {name: re.search(rf"(?<!\w){re.escape(name)}(?!\w)", rest, re.IGNORECASE) for name in contacts}
    named = sorted((name for name, at in found.items() if at), key=lambda name: found[name].start())
    others = tuple(word for word in words if word.casefold() not in NATIVE_UNITS)
    recipients = (*named, *addresses) or (*contacts, *others)

    said_units = tuple(w for w in words if w.casefold() in NATIVE_UNITS or w.casefold() in token_names)
    said_native = tuple(unit for unit in said_units if unit.casefold() in NATIVE_UNITS)
    durations = {text: text for text in typed}
    if not said_native:  # no ETH unit written: a whole number may be a period in seconds ("period 3600")
        durations |= {duration_text(number, "seconds"): number for number in limit_amounts if number.isdigit()}
    per_payment, per_period = bool(_PER_PAYMENT.search(rest)), bool(_PER_PERIOD.search(rest))
    agents, questions = _asked(request)
    return Choices(
        limit_keys=tuple(key for key, kept in (("daily", per_period or not per_payment),
                                               ("per_tx", per_payment or not per_period), ("period", True)) if kept),
        agents=agents,
        questions=questions,
        shares=_shares(rest) if len(named) + len(addresses) > 1 else (),
        request=_ADDRESS.sub(lambda found: shortened[found[0]], request),
        contacts=contacts,
        addresses=addresses,
        recipients=tuple(dict.fromkeys(recipients)),
        amounts=amounts,
        counts=tuple(number for number in amounts if number.isdigit()),
        limit_amounts=tuple(limit_amounts),
        durations=durations,
        times_written={**limit_amounts, **typed},
        # a unit nobody wrote is offered only when none was written, with the request's words
        # among them so that a token the wallet lacks ends in a clear error
        units=said_units or tuple(dict.fromkeys(("ETH", "gwei", "wei", *tokens, *others))),
        native_units=said_native or ("ETH", "gwei", "wei"),
        tokens=tokens,
    )


def _in_words(text: str, units: set[str]) -> list[str]:
    """The amounts written in words right before a unit ("half an eth": 0.5), as decimals the
    model may copy; the review reads them the same way (agentwallet.mentions)."""
    found = []
    for words in NUMBER_WORDS_IN_TEXT.finditer(text):
        unit = _UNIT_AFTER.match(text, words.end())
        number = number_in_words(text, words)
        if number and unit and unit[1].casefold() in units:
            found.append(number)
    return found


def _asked(request: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The agents the request names ("#2") and the skills' addresses it writes, and what it asks
    of them: its words after the first of those, as written, but for what joins them ("to",
    ":"); a question holds no ")", which ends a call."""
    found = sorted([*_AGENT.finditer(request), *_URL.finditer(request)], key=lambda match: match.start())
    agents = tuple(dict.fromkeys(f"#{int(m[1])}" if m.re is _AGENT else m[0].rstrip(".,;:!?") for m in found))
    if not found:
        return (), ()
    rest = request[found[0].end():].strip()
    if found[0].re is _URL:
        rest = request[found[0].start() + len(agents[0]):].strip()
    question = _QUESTION_LEAD.sub("", rest, count=1).strip()
    return agents, (question,) if question and ")" not in question else ()


def _shares(text: str) -> tuple[str, ...]:
    """ "each" where the request says each one gets the amount, "shared" where it says they
    split it (the words agentwallet.mentions reads the request's payments by)."""
    written = text.casefold()
    return tuple(share for share, words in (("each", EACH_WORDS), ("shared", SPLIT_VERBS | SPLIT_WORDS))
                 if any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", written) for word in words))


def _tokens_by_label(context: WalletContext) -> dict[str, tuple[KnownToken, ...]]:
    """Tokens under their cleaned symbols; a symbol that is ETH's own name is not offered."""
    tokens: dict[str, tuple[KnownToken, ...]] = {}
    for token in context.tokens:
        name = untrusted.label(token.symbol)
        if not name or name.casefold() in NATIVE_UNITS:
            continue
        same = next((known for known in tokens if known.casefold() == name.casefold()), name)
        tokens[same] = (*tokens.get(same, ()), token)
    return tokens
