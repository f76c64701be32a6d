"""The wallet's reads as the agent's read tools return them: records in a person's units.

Amounts carry their unit and recipients their contact name, since a small model can neither
convert wei nor look up an address. Each record is shown to the person as data beside the
agent's answer (`as_data`), and turned into the sentences the agent answers with
(actions/facts.py). READS maps each read tool of the registry (agentwallet/tools.py) to the
function that makes its record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from agentwallet.actions import history as history_module
from agentwallet.actions.entries import moved, recipient
from agentwallet.actions.registrations import raters
from agentwallet.agents.directory import list_agents, mean_score
from agentwallet.config import cache_dir
from agentwallet.units import ETH_DECIMALS, NATIVE_UNITS, duration_text, format_amount, moment
from agentwallet.untrusted import label as untrusted_label

if TYPE_CHECKING:
    from agentwallet.actions.history import HistoryEntry
    from agentwallet.actions.wallet import Wallet

DEFAULT_HISTORY_LIMIT = 5


@dataclass(frozen=True)
class Holding:
    label: str  # ETH, a plain token symbol, or a quoted symbol with its address (token_labels)
    amount: str  # in the asset's own units: "1000"


@dataclass(frozen=True)
class Balances:
    holdings: tuple[Holding, ...]

    def as_data(self) -> dict[str, str]:
        return {holding.label: holding.amount for holding in self.holdings}


@dataclass(frozen=True)
class Sendable:
    label: str
    amount: str  # with its unit: "0.1 ETH"


@dataclass(frozen=True)
class LimitsReading:
    paused: bool
    revoked: bool
    expires: str | None  # when the agent's policy ends, in words; None: never
    expired: bool  # judged at Wallet.chain_time
    per_tx: str  # with its unit: "0.1 ETH"
    allowance: str
    period_s: int  # 0 when no ETH policy was ever set
    sendable_now: tuple[Sendable, ...]  # ETH first, then each token with a policy

    @property
    def period(self) -> str:
        return period_words(self.period_s)

    @property
    def blocked(self) -> bool:
        """Whether the agent can send nothing at all, whatever its figures say."""
        return self.paused or self.revoked or self.expired

    def as_data(self) -> dict[str, object]:
        data: dict[str, object] = {
            "paused": self.paused,
            "agent key revoked": self.revoked,
            "limits expire": self.expires or "never",
            "limits expired": self.expired,
            "ETH per transaction": self.per_tx,
            "ETH per period": self.allowance,
            "period": self.period,
        }
        data |= {f"{sendable.label} the agent can send now": sendable.amount for sendable in self.sendable_now}
        return data


@dataclass(frozen=True)
class HistoryItem:
    status: str  # executed | denied | failed
    what: str  # the tool, or the event's kind where the journal does not know it
    to: str | None  # a contact's name or an address
    amount: str | None  # with its unit
    when: str  # "2026-11-27 06:55:41 UTC"

    def as_data(self) -> dict[str, str]:
        return {"status": self.status, "what": self.what, "to": self.to or "-", "amount": self.amount or "-",
                "when": self.when}


@dataclass(frozen=True)
class HistoryReading:
    items: tuple[HistoryItem, ...]  # newest first
    today: str | None = None  # the UTC date when it was read ("2026-11-27"): facts say "today", "yesterday"

    def as_data(self) -> list[dict[str, str]]:
        return [item.as_data() for item in self.items]


@dataclass(frozen=True)
class AgentItem:
    agent_id: int
    name: str  # the card's, as an untrusted label: no call syntax, bounded
    skills: tuple[str, ...]  # labels too
    paid_to: str | None  # the registry's proven agent wallet
    rating: str | None  # "90/100 from 1 rating", by you and the raters you trust
    marked: bool  # its card and the registry disagree (`agents show` says how)

    def as_data(self) -> dict[str, object]:
        return {"agent": self.agent_id, "name": self.name, "skills": list(self.skills),
                "paid to": self.paid_to or "nowhere (no agent wallet)", "rating": self.rating or "none",
                "marked": self.marked}


@dataclass(frozen=True)
class AgentsReading:
    items: tuple[AgentItem, ...]
    registry: bool  # whether the network has registries configured

    def as_data(self) -> list[dict[str, object]]:
        return [item.as_data() for item in self.items]


Reading = Balances | LimitsReading | HistoryReading | AgentsReading
Unit = Callable[[str | None], tuple[str, int]]  # token address (None: ETH) -> (label, decimals)


def read_balances(wallet: Wallet, args: dict[str, object]) -> Balances:
    unit = token_labels(wallet)
    return Balances(tuple(Holding(unit(b.token)[0], format_amount(b.amount, b.decimals)) for b in wallet.balances()))


def read_limits(wallet: Wallet, args: dict[str, object]) -> LimitsReading:
    unit = token_labels(wallet)
    limits = wallet.limits()
    native = limits.native
    sendable = [Sendable("ETH", f"{format_amount(limits.remaining_native, ETH_DECIMALS)} ETH")]
    for entry, _, remaining in limits.tokens:
        label = unit(entry.address)[0]
        sendable.append(Sendable(label, f"{format_amount(remaining, entry.decimals)} {label}"))
    return LimitsReading(
        paused=limits.paused,
        revoked=native.revoked,
        expires=moment(native.valid_until) if native.valid_until else None,
        expired=bool(native.valid_until) and native.valid_until <= wallet.chain_time(),
        per_tx=f"{format_amount(native.per_tx_max, ETH_DECIMALS)} ETH",
        allowance=f"{format_amount(native.allowance, ETH_DECIMALS)} ETH",
        period_s=native.period,
        sendable_now=tuple(sendable),
    )


def read_history(wallet: Wallet, args: dict[str, object]) -> HistoryReading:
    unit = token_labels(wallet)
    limit = int(str(args.get("limit") or DEFAULT_HISTORY_LIMIT))
    names = {address: name for name, address in wallet.config.contacts.items()}
    items = tuple(_history_item(entry, unit, names) for entry in history_module.history(wallet, limit))
    return HistoryReading(items, today=datetime.now(timezone.utc).date().isoformat())


def read_agents(wallet: Wallet, args: dict[str, object]) -> AgentsReading:
    """The agents of the registry with a readable card, what their untrusted cards say made
    into labels (agents/directory.py reads and checks them)."""
    if not wallet.config.identity_registry:
        return AgentsReading((), registry=False)
    items = []
    for entry in list_agents(wallet.identity, wallet.reputation, wallet.rpc, raters(wallet),
                             cache_dir=cache_dir(wallet.home)):
        if entry.card is None or entry.owner == wallet.owner_address:
            continue
        summary = entry.reputation
        rating = None
        if summary is not None and summary.count:
            rating = f"{mean_score(summary):g}/100 from {summary.count} rating{'s' if summary.count > 1 else ''}"
        items.append(AgentItem(entry.agent_id, untrusted_label(entry.card.name) or "unnamed",
                               tuple(label for s in entry.card.skills if (label := untrusted_label(s))),
                               entry.agent_wallet, rating, bool(entry.warnings)))
    return AgentsReading(tuple(items), registry=True)


# The record each read tool of the registry returns: one entry per tool of kind "read".
READS: dict[str, Callable[[Wallet, dict[str, object]], Reading]] = {
    "get_balances": read_balances,
    "get_limits": read_limits,
    "get_history": read_history,
    "find_agents": read_agents,
}


def period_words(seconds: int) -> str:
    """A length of time in the largest whole unit: "1 day", "6 hours", "90 seconds"."""
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds and seconds % size == 0:
            return duration_text(str(seconds // size), unit)
    return duration_text(str(seconds), "second")


_PLAIN_SYMBOL = re.compile(r"[A-Za-z][A-Za-z0-9]{0,15}")


def token_labels(wallet: Wallet) -> Unit:
    """(label, decimals) of a token address, ETH's for None. A symbol is whatever the token's
    deployer chose, so the label is the symbol only when it is a plain one (a letter, then letters
    and digits), names none of ETH's units and no other token's, as a person reads it (full-width
    ＥＴＨ is ETH, $ETH and E-T-H are too); otherwise the cleaned symbol in quotes and the address."""
    cleaned = {t.address: untrusted_label(t.symbol) for t in wallet.config.tokens}
    read_as = {address: re.sub(r"[^a-z0-9]", "", symbol.casefold()) for address, symbol in cleaned.items()}
    said = list(read_as.values())

    def label(address: str) -> str:
        symbol = cleaned[address]
        plain = (_PLAIN_SYMBOL.fullmatch(symbol) is not None and read_as[address] not in NATIVE_UNITS
                 and said.count(read_as[address]) == 1)
        return symbol if plain else f'"{symbol}" ({address})'

    units = {t.address: (label(t.address), t.decimals) for t in wallet.config.tokens}
    return lambda token: ("ETH", ETH_DECIMALS) if token is None else units.get(token, (token, 0))


def _history_item(entry: HistoryEntry, unit: Unit, names: dict[str, str]) -> HistoryItem:
    token, amount, _ = moved(entry)
    to = recipient(entry)
    label, decimals = unit(token)
    return HistoryItem(
        status=entry.state,
        what=entry.tool or entry.kind,
        to=names.get(to, to) if to else None,
        amount=f"{format_amount(amount, decimals)} {label}" if amount else None,
        when=entry.timestamp.replace("T", " ").replace("Z", " UTC"),
    )
