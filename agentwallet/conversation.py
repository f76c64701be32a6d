"""One turn of the conversation: the agent plans; a read runs at once, actions become a proposal.

Both the command line (`ask`) and the TUI's chat go through here. Nothing is signed on this
path: one action comes back as a reviewed proposal, several as a reviewed plan (actions/plan.py),
for the user to approve or deny.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from agentwallet import tools
from agentwallet.actions import pipeline
from agentwallet.actions.arguments import normalise_arguments
from agentwallet.actions.facts import facts
from agentwallet.actions.plan import Plan, Step
from agentwallet.actions.plan_review import PlanReview
from agentwallet.actions.proposal import Proposal
from agentwallet.actions.reads import READS, Reading
from agentwallet.actions.review import Review
from agentwallet.actions.wallet import Wallet
from agentwallet.agent import Agent, Contact, KnownToken, RequestPlan, ToolCall, WalletContext
from agentwallet.display import literal
from agentwallet.errors import WalletError


@dataclass(frozen=True)
class Turn:
    planned: RequestPlan
    answer: str | None = None  # a reply's text (the model's), or the fact the model chose for a read
    tool_result: str | None = None  # the data a read tool returned (JSON), shown beside the answer
    review: Review | None = None  # one action: the proposal, journaled and simulated
    plan_review: PlanReview | None = None  # several actions: the plan, its steps journaled and simulated

    @property
    def call(self) -> ToolCall:
        """The one call of a turn that is not a plan."""
        return self.planned.calls[0]


def wallet_context(wallet: Wallet) -> WalletContext:
    return WalletContext(
        contacts=tuple(Contact(name, address) for name, address in sorted(wallet.config.contacts.items())),
        tokens=tuple(KnownToken(t.symbol, t.address, t.decimals) for t in wallet.config.tokens),
    )


def plan(agent: Agent, wallet: Wallet, request: str) -> RequestPlan:
    return agent.plan_request(request, wallet_context(wallet))


def take_turn(agent: Agent, wallet: Wallet, request: str, stream: Callable[[str], None] | None = None,
              progress: Callable[[str], None] = lambda _: None) -> Turn:
    return respond(agent, wallet, request, plan(agent, wallet, request), stream, progress)


def respond(agent: Agent, wallet: Wallet, request: str, planned: RequestPlan,
            stream: Callable[[str], None] | None = None, progress: Callable[[str], None] = lambda _: None) -> Turn:
    """Carry what the agent planned one step: answer a read at once, or journal and simulate the
    action, or the plan's actions. A request the agent could plan only in part is refused whole:
    a partial plan would look complete."""
    check_whole(planned)
    if len(planned.calls) > 1:
        return Turn(planned, plan_review=pipeline.propose_plan(wallet, plan_of(wallet, request, planned), progress))
    call = planned.calls[0]
    kind = tools.BY_NAME[call.tool].kind
    if kind == "reply":
        text = str(call.args.get("text") or "")
        if stream and text:
            stream(text)
        return Turn(planned, answer=text)
    if kind == "read":
        reading = read_data(wallet, call)
        return Turn(planned, answer=agent.answer(request, facts(reading), stream),
                    tool_result=json.dumps(reading.as_data(), ensure_ascii=True))
    args = normalise_arguments(wallet, call.tool, dict(call.args))
    proposal = Proposal(tool=call.tool, args=args, rationale=call.rationale, request=request,
                        chain_id=wallet.config.chain_id, guardrail=wallet.guardrail.address)
    return Turn(planned, review=pipeline.propose(wallet, proposal, progress))


def check_whole(planned: RequestPlan) -> None:
    """WalletError unless every part of the request became a call, and a request of several calls
    asks only for actions (a question is answered on its own, not inside a plan)."""
    if planned.not_planned:
        parts = "; ".join(f"“{literal(part)}”" for part in planned.not_planned)
        raise WalletError(f"the agent could not plan all of the request ({parts}): nothing was proposed; "
                          "ask for that part on its own or in other words")
    if not planned.calls:
        raise WalletError("the agent found nothing to do in the request: say what you would like it to do")
    if len(planned.calls) > 1:
        asks = [call.tool for call in planned.calls if not tools.BY_NAME[call.tool].is_proposal]
        if asks:
            raise WalletError(f"the request mixes a question ({asks[0]}) with actions: nothing was proposed; "
                              "ask the question on its own")


def plan_of(wallet: Wallet, request: str, planned: RequestPlan) -> Plan:
    """The agent's calls as one plan of normalised steps, bound to this wallet's chain."""
    steps = [Step(call.tool, normalise_arguments(wallet, call.tool, dict(call.args)), call.rationale)
             for call in planned.calls]
    rationale = "; ".join(dict.fromkeys(call.rationale for call in planned.calls if call.rationale))
    return Plan.of(request, rationale, steps, wallet.config.chain_id, wallet.guardrail.address)


def read_data(wallet: Wallet, call: ToolCall) -> Reading:
    """What a read tool found (actions/reads.py)."""
    return READS[call.tool](wallet, call.args)
