"""The owner's changes in the ERC-8004 registries, as the review shows them: this wallet's card,
its agent wallet (the vault), and ratings of other agents.

Each is a policy tool of the registry (agentwallet/tools.py): the review builds its call here,
the pipeline signs it with the owner key and logs the decision with record(), as for a change
of the guardrail's limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentwallet.actions.figures import Change
from agentwallet.agents.card import Card, CardError, parse_card
from agentwallet.agents.sources import card_content

if TYPE_CHECKING:
    from agentwallet.actions.review import PolicyCall
    from agentwallet.actions.wallet import Wallet


def raters(wallet: Wallet) -> tuple[str, ...]:
    """Whose ratings count: the owner's own and the config's trusted raters (docs/cli.md)."""
    return tuple(dict.fromkeys((wallet.owner_address, *wallet.config.trusted_raters)))


def own_agent(wallet: Wallet) -> int | None:
    """This wallet's agent: the oldest the owner key holds in the registry, if any."""
    held = wallet.identity.agents_of(wallet.owner_address)
    return held[0] if held else None


def publish_card(wallet: Wallet, args: dict[str, object]) -> PolicyCall:
    uri, agent_id = str(args["agent_uri"]), own_agent(wallet)
    if agent_id is None:
        return (wallet.identity.register(uri), f"IdentityRegistry.register(agentURI=<{len(uri)} characters>)",
                "Register this wallet's card: a new agent in the ERC-8004 identity registry, for anyone to read")
    return (wallet.identity.set_agent_uri(agent_id, uri),
            f"IdentityRegistry.setAgentURI(agentId={agent_id}, newURI=<{len(uri)} characters>)",
            f"Update the card of this wallet's agent #{agent_id}, for anyone to read")


def card_changes(wallet: Wallet, args: dict[str, object]) -> list[Change]:
    """What the card published says, each field before → after (before: the card published now)."""
    agent_id = own_agent(wallet)
    before = _readable(wallet.identity.uri(agent_id)) if agent_id is not None else None
    after = _readable(str(args["agent_uri"]))
    if after is None:
        return [Change("card", "-" if before is None else "a card", "not a card this wallet can read")]
    rows = []
    for what, value in (("name", lambda c: c.name), ("description", lambda c: c.description),
                        ("skills", lambda c: ", ".join(c.skills) or "-"),
                        ("endpoints", lambda c: ", ".join(f"{s.name} {s.endpoint}" for s in c.endpoints) or "-"),
                        ("paid to (card)", lambda c: c.paid_to() or "-"),
                        ("x402", lambda c: "yes" if c.x402 else "no")):
        rows.append(Change(what, "-" if before is None else value(before), value(after)))
    return rows


def _readable(uri: str) -> Card | None:
    try:
        return parse_card(card_content(uri, fetch=False))
    except CardError:
        return None


def set_agent_wallet(wallet: Wallet, args: dict[str, object]) -> PolicyCall:
    """setAgentWallet with the owner's EIP-712 AgentWalletSet signature, which the vault's
    ERC-1271 isValidSignature takes as its own. The signature is made here, for the simulation:
    it is a message, not a transaction, good for a few minutes and usable only by
    the agent's owner, which is this same key (docs/tools.md)."""
    agent_id, vault = int(str(args["agent_id"])), wallet.guardrail.address
    deadline = wallet.identity.signature_deadline()
    signature = wallet.identity.wallet_signature(wallet.account("owner"), agent_id, vault, wallet.owner_address,
                                                 deadline)
    return (wallet.identity.set_agent_wallet(agent_id, vault, deadline, signature),
            f"IdentityRegistry.setAgentWallet(agentId={agent_id}, newWallet={vault}, deadline={deadline}, "
            "signature=<the owner's, for the vault>)",
            f"Make the vault {vault} the agent wallet of agent #{agent_id}: where other agents pay it")


def rate_agent(wallet: Wallet, args: dict[str, object]) -> PolicyCall:
    agent_id, score, tag = int(str(args["agent_id"])), int(str(args["score"])), str(args.get("tag", ""))
    tagged = f", tag {tag!r}" if tag else ""
    return (wallet.reputation.give_feedback(agent_id, score, tag),
            f"ReputationRegistry.giveFeedback(agentId={agent_id}, value={score}, valueDecimals=0, "
            f"tag1=starred, tag2={tag!r})",
            f"Rate agent #{agent_id} {score}/100{tagged}, as your owner key, for anyone to read")
