"""The agents the registry knows, each with its card read and checked, and its reputation.

Everything comes from the chain: the identity registry's logs for the list, its views for one
agent, the reputation registry for ratings. A card that cannot be read is listed with what
is wrong (never a crash), and what a card claims is checked against the registry: where the
agent is paid is the registry's proven agent wallet, not what its card says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from agentwallet.agents import cache
from agentwallet.agents.card import Card, CardError, ServicePrice, parse_card
from agentwallet.agents.sources import card_content
from agentwallet.chain.registries import IdentityRegistry, RegisteredAgent, ReputationRegistry, Summary
from agentwallet.config import TokenEntry
from agentwallet.display import literal
from agentwallet.errors import WalletError
from agentwallet.units import format_amount

Rpc = Callable[[str, list], object]


@dataclass(frozen=True)
class AgentEntry:
    agent_id: int
    uri: str  # untrusted
    owner: str
    agent_wallet: str | None  # the registry's: proven by the wallet's own signature
    card: Card | None
    problem: str | None = None  # why there is no card
    warnings: tuple[str, ...] = ()  # where the card and the registry disagree
    reputation: Summary | None = None  # over the owner and the trusted raters only
    raters: tuple[str, ...] = field(default=())

    @property
    def wallet_cleared(self) -> bool:
        """No proven agent wallet: cleared when the agent changed hands, so it must not be paid."""
        return self.agent_wallet is None

    @property
    def wallet_differs(self) -> bool:
        """The card names another address to be paid at than the registry's proven agent wallet."""
        claimed = self.card.paid_to() if self.card is not None else None
        return claimed is not None and self.agent_wallet is not None and claimed.lower() != self.agent_wallet.lower()

    def offers(self, skill: str) -> bool:
        wanted = skill.casefold()
        return self.card is not None and any(wanted == s.casefold() or wanted in s.casefold().split("/")
                                             for s in self.card.skills)


def list_agents(identity: IdentityRegistry, reputation: ReputationRegistry, rpc: Rpc, raters: tuple[str, ...],
                skill: str | None = None, cache_dir: Path | None = None) -> list[AgentEntry]:
    """Every registered agent, by id, from the registry's logs; cards stored as data: URIs read
    (cards on a web server are fetched by `show` only: listing must not make a thousand requests).
    With `cache_dir`, what this read found is kept there, and the next read asks only for the
    blocks after it (agents/cache.py)."""
    chain_id = identity.w3.eth.chain_id
    latest = int(str(rpc("eth_blockNumber", [])), 16)
    path = cache.cache_file(cache_dir, chain_id, identity.address, reputation.address) if cache_dir else None
    kept = cache.load(path, rpc, latest) if path else None
    start = kept.block + 1 if kept else 0
    agents = identity.agents(rpc, start, latest, kept.agents if kept else None)
    same_raters = kept is not None and kept.raters == raters
    # the rated agents whose summary may have changed since: all of them, without a cache
    touched = reputation.rated_agents(rpc, raters, start if same_raters else 0, latest) if raters else set()
    rated = (kept.rated if kept and same_raters else frozenset()) | touched
    summaries = {i: s for i, s in kept.summaries.items() if i not in touched} if kept and same_raters else {}
    summaries |= reputation.summaries(rpc, sorted(rated - summaries.keys()), raters)
    if path is not None and (hash_now := cache.block_hash(rpc, latest)) is not None:
        cache.save(path, cache.DirectoryState(latest, hash_now, agents, raters, frozenset(rated), summaries))
    entries = []
    for registered in sorted(agents.values(), key=lambda agent: agent.agent_id):
        entry = _entry(registered, identity.address, chain_id, fetch=False)
        if skill is not None and not entry.offers(skill):
            continue
        summary = summaries.get(entry.agent_id, Summary(0, 0, 0, raters))
        entries.append(_with_reputation(entry, summary, raters))
    return entries


def show_agent(identity: IdentityRegistry, reputation: ReputationRegistry, agent_id: int,
               raters: tuple[str, ...]) -> AgentEntry:
    """One agent as the registry says it is now, its card fetched wherever it is served."""
    if not identity.exists(agent_id):
        raise WalletError(f"no agent #{agent_id} in the registry {identity.address}")
    registered = RegisteredAgent(agent_id, identity.uri(agent_id), identity.owner_of(agent_id),
                                 identity.agent_wallet(agent_id), registered_block=0)
    entry = _entry(registered, identity.address, identity.w3.eth.chain_id, fetch=True)
    return _with_reputation(entry, reputation.summary(agent_id, raters), raters)


def _with_reputation(entry: AgentEntry, summary: Summary, raters: tuple[str, ...]) -> AgentEntry:
    # An agent's own owner cannot rate it (the registry refuses), so asking about it is harmless.
    return AgentEntry(entry.agent_id, entry.uri, entry.owner, entry.agent_wallet, entry.card, entry.problem,
                      entry.warnings, summary, raters)


def _entry(registered: RegisteredAgent, registry: str, chain_id: int, fetch: bool) -> AgentEntry:
    try:
        card = parse_card(card_content(registered.uri, fetch)) if fetch else _stored_card(registered.uri)
    except CardError as exc:
        return AgentEntry(registered.agent_id, registered.uri, registered.owner, registered.agent_wallet, None,
                          problem=str(exc))
    return AgentEntry(registered.agent_id, registered.uri, registered.owner, registered.agent_wallet, card,
                      warnings=tuple(_warnings(card, registered, registry, chain_id)))


@lru_cache(maxsize=2048)
def _stored_card(uri: str) -> Card:
    """A card its URI holds, decoded once per process: a list read again (the TUI's, the
    agent's find_agents) decodes only the cards that changed. A card is immutable, so sharing
    it is safe; a CardError is not kept and is raised again."""
    return parse_card(card_content(uri, fetch=False))


def _warnings(card: Card, registered: RegisteredAgent, registry: str, chain_id: int) -> list[str]:
    warnings = []
    if not card.type_ok:
        warnings.append("its card does not say it is an ERC-8004 registration file (type)")
    if registered.agent_wallet is None:
        warnings.append("it has no agent wallet (cleared when the agent changed hands): do not pay it")
    elif (claimed := card.paid_to()) is not None and claimed.lower() != registered.agent_wallet.lower():
        warnings.append(f"its card says it is paid at {claimed}, but its proven agent wallet is "
                        f"{registered.agent_wallet}: pay only the agent wallet")
    here = (registered.agent_id, f"eip155:{chain_id}:{registry}".lower())
    if card.registrations and here not in {(i, r.lower()) for i, r in card.registrations}:
        warnings.append(f"its card names other registrations, not agent #{registered.agent_id} of this registry: "
                        "it may be a copy of another agent's card")
    if not card.active:
        warnings.append("its card says it is not active")
    return warnings


def reputation_text(summary: Summary | None) -> str:
    if summary is None or summary.count == 0:
        return "no ratings from you or the raters you trust"
    ratings = "rating" if summary.count == 1 else "ratings"
    return f"{mean_score(summary):g}/100 from {summary.count} {ratings} by you or the raters you trust"


def price_text(price: ServicePrice, tokens: Sequence[TokenEntry], chain_id: int | None) -> str:
    """A card's price in words: in a token this wallet knows, on its network, as an amount of
    it; else as written. Either way a claim: `pay` pays what the 402 asks, if approved."""
    token = next((t for t in tokens if t.address.lower() == price.asset.lower()), None)
    if token is not None and price.network == f"eip155:{chain_id}" and price.amount.isascii() \
            and price.amount.isdigit() and len(price.amount) <= 40:
        return f"{format_amount(int(price.amount), token.decimals)} {literal(token.symbol)}"
    return f"{literal(price.amount, 40)} base units of {literal(price.asset, 42)} on {literal(price.network, 40)}"


def mean_score(summary: Summary) -> float:
    return summary.value / 10**summary.decimals if summary.decimals else summary.value
