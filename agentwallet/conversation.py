"""One turn of the conversation: the agent plans; a read runs at once, an action becomes a proposal.

Both the command line (`ask`) and the TUI's chat go through here. Nothing is signed on this
path: an action comes back as a reviewed proposal for the user to approve or deny.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from agentwallet import tools
from agentwallet.actions import pipeline
from agentwallet.actions.arguments import normalise_arguments
from agentwallet.actions.facts import facts
from agentwallet.actions.proposal import Proposal
from agentwallet.actions.reads import READS, Reading
from agentwallet.actions.review import Review
from agentwallet.actions.wallet import Wallet
from agentwallet.agent import Agent, Contact, KnownToken, Plan, WalletContext


@dataclass(frozen=True)
class Turn:
    plan: Plan
    answer: str | None = None  # a reply's text (the model's), or the fact the model chose for a read
    tool_result: str | None = None  # the data a read tool returned (JSON), shown beside the answer
    review: Review | None = None  # for actions: the proposal, journaled and simulated


def wallet_context(wallet: Wallet) -> WalletContext:
    return WalletContext(
        contacts=tuple(Contact(name, address) for name, address in sorted(wallet.config.contacts.items())),
        tokens=tuple(KnownToken(t.symbol, t.address, t.decimals) for t in wallet.config.tokens),
    )


def plan(agent: Agent, wallet: Wallet, request: str) -> Plan:
    return agent.plan(request, wallet_context(wallet))


def take_turn(agent: Agent, wallet: Wallet, request: str, stream: Callable[[str], None] | None = None,
              progress: Callable[[str], None] = lambda _: None) -> Turn:
    return respond(agent, wallet, request, plan(agent, wallet, request), stream, progress)


def respond(agent: Agent, wallet: Wallet, request: str, planned: Plan, stream: Callable[[str], None] | None = None,
            progress: Callable[[str], None] = lambda _: None) -> Turn:
    """Carry a plan one step: answer a read at once, or journal and simulate an action."""
    kind = tools.BY_NAME[planned.tool].kind
    if kind == "reply":
        text = str(planned.args.get("text") or "")
        if stream and text:
            stream(text)
        return Turn(planned, answer=text)
    if kind == "read":
        reading = read_data(wallet, planned)
        return Turn(planned, answer=agent.answer(request, facts(reading), stream),
                        tool_result=json.dumps(reading.as_data(), ensure_ascii=True))
    args = normalise_arguments(wallet, planned.tool, dict(planned.args))
    proposal = Proposal(tool=planned.tool, args=args, rationale=planned.rationale, request=request,
                        chain_id=wallet.config.chain_id, guardrail=wallet.guardrail.address)
    return Turn(planned, review=pipeline.propose(wallet, proposal, progress))


def read_data(wallet: Wallet, planned: Plan) -> Reading:
    """What a read tool found (actions/reads.py)."""
    return READS[planned.tool](wallet, planned.args)
