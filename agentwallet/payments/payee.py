"""Who a resource's payee is, by the ERC-8004 cards on chain: the agent whose card offers the
resource's address as one of its endpoints. Its agent wallet is proven on chain, so a payTo
that differs from it is a critical flag; a matching one names the payee in the review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentwallet import untrusted
from agentwallet.actions.review import Flag, Review
from agentwallet.agents.directory import AgentEntry, list_agents
from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet


def agent_serving(wallet: Wallet, url: str) -> AgentEntry | None:
    """The registered agent whose card lists the endpoint that `url` is at (the longest such
    endpoint), or None: no registries, no such card."""
    try:
        identity, reputation = wallet.identity, wallet.reputation
    except WalletError:
        return None
    best: tuple[int, AgentEntry] | None = None
    for entry in list_agents(identity, reputation, wallet.rpc, (wallet.owner_address,)):
        if entry.card is None:
            continue
        for service in entry.card.endpoints:
            endpoint = service.endpoint.rstrip("/")
            if endpoint.startswith(("http://", "https://")) and (
                    url == endpoint or url.startswith((endpoint + "/", endpoint + "?"))):
                if best is None or len(endpoint) > best[0]:
                    best = (len(endpoint), entry)
    return None if best is None else best[1]


def name_the_payee(review: Review, agent: AgentEntry | None, pay_to: str) -> None:
    """Say in the review whose resource it is, and flag a payTo that is not that agent's wallet."""
    if agent is None:
        return
    name = untrusted.label(agent.card.name) if agent.card else ""
    who = f"agent #{agent.agent_id} {name!r}" if name else f"agent #{agent.agent_id}"
    if agent.agent_wallet is not None and agent.agent_wallet != pay_to:
        review.flags.append(Flag("payee_not_card_wallet", (
            f"the resource belongs to {who}, whose agent wallet on chain is {agent.agent_wallet}, but it asks to be "
            f"paid at {pay_to}"), critical=True))
        return
    review.summary += f" (the resource of {who})"
