"""The owner's changes in the ERC-8004 registries, as the review shows them: this wallet's card,
its agent wallet (the vault), and ratings of other agents.

Each is a policy tool of the registry (agentwallet/tools.py): the review builds its call here,
the pipeline signs it with the owner key and logs the decision with record(), as for a change
of the guardrail's limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentwallet.actions.figures import Change
from agentwallet.agents.card import (
    WEB_SERVICE,
    X402_SERVICE,
    Card,
    CardError,
    Service,
    ServicePrice,
    data_uri,
    parse_card,
    registration_file,
)
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


DEFAULT_NAME = "agentwallet"
DEFAULT_DESCRIPTION = ("A wallet whose local agent proposes and whose owner approves every action; "
                       "paid through its guardrail vault, which caps what the agent may spend.")


def published_card(wallet: Wallet) -> Card | None:
    """This wallet's card as the registry holds it now, if it has one this wallet can read."""
    agent_id = own_agent(wallet)
    return _readable(wallet.identity.uri(agent_id)) if agent_id is not None else None


def card_uri(wallet: Wallet, name: str | None = None, description: str | None = None,
             skills: tuple[str, ...] | None = None, endpoint: str | None = None) -> str:
    """This wallet's card as a data: URI: what is given, else what the published card says, else
    the defaults; the vault its agent wallet. The card names its own registration, so a first
    card names the id register() would give now."""
    agent_id = own_agent(wallet)
    current = published_card(wallet)
    if agent_id is None:
        agent_id = wallet.identity.register("").call({"from": wallet.owner_address})
    web = [s.endpoint for s in current.endpoints if s.name == WEB_SERVICE] if current else []
    return data_uri(registration_file(
        name=name or (current.name if current else DEFAULT_NAME),
        description=description or (current.description if current else DEFAULT_DESCRIPTION),
        vault=wallet.guardrail.address, chain_id=wallet.config.chain_id,
        skills=skills if skills else (current.skills if current else ()),
        endpoint=endpoint or (web[0] if web else None),
        registration=(agent_id, wallet.identity.address), x402=current.x402 if current else False,
        paid=_served(wallet)))


def _served(wallet: Wallet) -> Service | None:
    """The skill `serve` sells, as the config's [serve] table says (docs/cli.md, `serve`)."""
    serve = wallet.config.serve
    if serve is None:
        return None
    return Service(X402_SERVICE, serve.url, "2", price=ServicePrice(str(serve.amount), serve.token,
                                                                     f"eip155:{wallet.config.chain_id}"))


def wallet_to_prove(wallet: Wallet) -> int | None:
    """This wallet's agent, when its agent wallet is not (yet) the vault: set_agent_wallet is next."""
    agent_id = own_agent(wallet)
    if agent_id is None or wallet.identity.agent_wallet(agent_id) == wallet.guardrail.address:
        return None
    return agent_id


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
