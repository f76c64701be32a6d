"""What the person sees before deciding on a plan: every step reviewed, and the plan as a whole.

Each step is decoded from its own transaction and simulated as a single proposal is
(actions/review.py). The request is then held against all the steps together (each payment it
asks for paid by exactly one step, nothing else paid: actions/coverage.py), and what the steps
move is added up per asset against what is left in the agent's window: steps that each pass on
their own but together go past it are a critical flag, since the later ones would fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentwallet.actions.flags import Flag
from agentwallet.actions.plan import Plan
from agentwallet.actions.review import Review, add_before_gas, request_flags, review_step
from agentwallet.units import format_amount

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet


@dataclass(frozen=True)
class Total:
    """What the plan moves of one asset."""
    unit: str  # untrusted for a token: its symbol as the chain gives it
    decimals: int
    amount: int  # leaves the vault, all steps together
    by_agent: int  # of it, within the agent's limits (the rest is sent from the owner key)
    window_left_before: int | None  # the agent's allowance left in the window, before the plan
    window_left_after: int | None  # and after it

    def as_json(self) -> dict:
        return {"unit": self.unit, "decimals": self.decimals, "amount": str(self.amount),
                "by_agent": str(self.by_agent),
                "window_left_before": _text(self.window_left_before),
                "window_left_after": _text(self.window_left_after)}


@dataclass
class PlanReview:
    plan: Plan
    steps: list[Review]
    flags: list[Flag]  # of the plan as a whole; each step has its own
    totals: list[Total]

    @property
    def critical_flags(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.critical] + [f for step in self.steps for f in step.critical_flags]

    def as_json(self) -> dict:
        return {
            "plan_id": self.plan.plan_id, "plan_hash": self.plan.plan_hash, "request": self.plan.request,
            "rationale": self.plan.rationale, "steps": [step.as_json() for step in self.steps],
            "totals": [total.as_json() for total in self.totals],
            "flags": [{"name": f.name, "text": f.text, "critical": f.critical} for f in self.flags],
        }


def review_plan(wallet: Wallet, plan: Plan) -> PlanReview:
    reviews = [review_step(wallet, step) for step in plan.steps]
    whole: list[Flag] = []
    if not plan.command:
        per_step, whole = request_flags(wallet, plan.request, reviews)
        for review, flags in zip(reviews, per_step, strict=True):
            add_before_gas(review, flags)
    totals = _totals(reviews)
    whole += [Flag("plan_over_allowance", f"together the steps send {format_amount(t.by_agent, t.decimals)} {t.unit} "
                   f"within the agent's limits, and only {format_amount(t.window_left_before, t.decimals)} {t.unit} "
                   "is left in its window: the steps past it would fail", critical=True)
              for t in totals if t.window_left_before is not None and t.by_agent > t.window_left_before]
    return PlanReview(plan, reviews, whole, totals)


def _totals(reviews: list[Review]) -> list[Total]:
    moving = [review for review in reviews if review.amount is not None]
    totals = []
    for asset in dict.fromkeys(map(_asset, moving)):  # a token by its address: two may share a symbol
        of_unit = [review for review in moving if _asset(review) == asset]
        by_agent = sum(review.amount for review in of_unit if review.executor == "agent")
        # Every step was reviewed against the chain as it is now, so each saw the same window.
        before = next((review.window_left_before for review in of_unit), None)
        after = None if before is None else max(before - by_agent, 0)
        total = sum(review.amount for review in of_unit)
        totals.append(Total(str(of_unit[0].unit), of_unit[0].decimals, total, by_agent, before, after))
    return totals


def _asset(review: Review) -> str:
    return str(review.proposal.args.get("token", "ETH"))


def _text(base_units: int | None) -> str | None:
    return None if base_units is None else str(base_units)
