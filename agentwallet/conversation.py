"""One turn of the conversation: the agent plans; a read runs at once, actions become a proposal.

Both the command line (`ask`) and the TUI's chat go through here. Nothing is signed on this
path: one action comes back as a reviewed proposal, several as a reviewed plan (actions/plan.py),
for the user to approve or deny; a question to another agent's paid skill comes back as its
price met and proposed (payments/pay.quote), to be decided and completed as `pay` is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
from agentwallet.agent import Agent, RequestPlan, ToolCall, wallet_context
from agentwallet.display import literal
from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from agentwallet.payments.pay import Payment, Quote


@dataclass(frozen=True)
class Turn:
    planned: RequestPlan
    answer: str | None = None  # a reply's text (the model's), or the fact the model chose for a read
    tool_result: str | None = None  # the data a read tool returned (JSON), shown beside the answer
    review: Review | None = None  # one action: the proposal, journaled and simulated
    plan_review: PlanReview | None = None  # several actions: the plan, its steps journaled and simulated
    asked: Quote | Payment | None = None  # another agent's skill: its price proposed, or what it already is

    @property
    def call(self) -> ToolCall:
        """The one call of a turn that is not a plan."""
        return self.planned.calls[0]


def plan(agent: Agent, wallet: Wallet, request: str) -> RequestPlan:
    return agent.plan_request(request, wallet_context(wallet.config))


def take_turn(agent: Agent, wallet: Wallet, request: str, stream: Callable[[str], None] | None = None,
              progress: Callable[[str], None] = lambda _: None) -> Turn:
    return respond(agent, wallet, request, plan(agent, wallet, request), stream, progress)


def respond(agent: Agent, wallet: Wallet, request: str, planned: RequestPlan,
            stream: Callable[[str], None] | None = None, progress: Callable[[str], None] = lambda _: None,
            max_text: str | None = None) -> Turn:
    """Carry what the agent planned one step: answer a read at once, or journal and simulate the
    action, or the plan's actions, or meet another agent's price (at most `max_text`, in its
    token's units, when given). A request the agent could plan only in part is refused whole:
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
    if kind == "ask":
        return Turn(planned, asked=ask_agent(wallet, request, call, progress, max_text))
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
    return Plan.of(request, planned.rationale, steps, wallet.config.chain_id, wallet.guardrail.address)


def ask_agent(wallet: Wallet, request: str, call: ToolCall, progress: Callable[[str], None],
              max_text: str | None = None) -> Quote | Payment:
    """An ask_agent call: the skill's URL (the agent's card read from the registry now, or the
    address the request wrote, the question added as ?q=), its 402 met and its price proposed,
    with the request as the person's words. Nothing is paid here."""
    from agentwallet.payments.asking import question_url, skill_url
    from agentwallet.payments.pay import quote

    question = str(call.args.get("question") or "")
    if "agent_id" in call.args:
        agent_id = int(str(call.args["agent_id"]))
        if not question:
            raise WalletError(f"say what to ask agent #{agent_id}: “ask agent #{agent_id} to …”")
        url = skill_url(wallet, agent_id, question)
    else:
        url = str(call.args["url"])
        if question:
            url = question_url(url, question)
    return quote(wallet, url, max_text, progress, request=request)


def read_data(wallet: Wallet, call: ToolCall) -> Reading:
    """What a read tool found (actions/reads.py)."""
    return READS[call.tool](wallet, call.args)
