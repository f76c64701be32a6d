"""What a person is told once a decision is carried out: what happened, in words.

"Denied: send 3 USDC to bob 0x3C44…93BC (logged on chain)", "Limits changed (logged on
chain)": the status word the History screen uses, then what the action did. The transaction
hashes are on the chat's card and in History, where they can be read and copied; a notice
that only said "Action 0x2dc190bb… denied, logged in 0x82af40a9…" told nobody anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentwallet.display import literal
from agentwallet.tui.format import short_address

if TYPE_CHECKING:
    from agentwallet.actions.pipeline import Outcome
    from agentwallet.actions.plan_review import PlanReview
    from agentwallet.actions.review import Review

SEVERITIES = {"executed": "information", "denied": "warning", "submitted": "warning", "confirming": "information"}


@dataclass(frozen=True)
class Notice:
    message: str  # shown literally: it holds names and symbols from the chain
    severity: str


def outcome_notice(outcome: Outcome, what: str, done: str = "") -> Notice:
    """`what` the action does ("send 0.05 ETH to alice 0x7099…79C8"); `done` says an executed
    owner change in its own words ("Limits changed")."""
    if outcome.state == "executed" and done:
        said = done
    else:
        said = f"{outcome.state.capitalize()}: {what[:1].lower()}{what[1:]}"
    if outcome.error:
        said += f": {outcome.error}"
    if logged(outcome):
        said += " (logged on chain)"
    return Notice(literal(said), SEVERITIES.get(outcome.state, "error"))


def plan_notice(review: PlanReview, outcomes: list[Outcome], name_of: Callable[[str], str | None]) -> Notice:
    """What became of a plan: "Paid: 0.01 ETH to alice, 2 USDC to bob (logged on chain)",
    "Denied: plan of 2 steps (logged on chain)"; the steps that did not run say which and why."""
    steps = list(zip(review.steps, outcomes, strict=True))
    if all(outcome.state == "denied" for outcome in outcomes):
        said = f"Denied: plan of {len(steps)} steps"
    else:
        done = [step for step, outcome in steps if outcome.state == "executed"]
        parts = []
        if done:
            lead = "Paid" if all(step.amount is not None for step in done) else "Done"
            parts.append(f"{lead}: " + ", ".join(step_words(step, name_of) for step in done))
        for position, (step, outcome) in enumerate(steps, start=1):
            if outcome.state != "executed":
                reason = f": {outcome.error}" if outcome.error and outcome.state == "failed" else ""
                parts.append(f"{outcome.state} step {position} ({step_words(step, name_of)}){reason}")
        said = "; ".join(parts)
        said = said[:1].upper() + said[1:]
    if all(map(logged, outcomes)):  # the steps left out by the plan's record, the others by their own
        said += " (logged on chain)"
    states = {outcome.state for outcome in outcomes}
    severity = "error" if "failed" in states else "information" if "executed" in states else "warning"
    return Notice(literal(said), severity)


def step_words(review: Review, name_of: Callable[[str], str | None]) -> str:
    """A step in a few words: "0.01 ETH to alice" for a payment, else what it does."""
    to = review.proposal.args.get("to")
    if review.amount is not None and review.amount_text and isinstance(to, str):
        return f"{review.amount_text} {review.unit} to {name_of(to) or short_address(to)}"
    return review.summary[:1].lower() + review.summary[1:]


def logged(outcome: Outcome) -> bool:
    """Whether the chain holds the decision: its record(), or an executed action's own event (an
    owner change is executed, then recorded: its record failing is its error)."""
    if outcome.log_tx_hash is not None:
        return True
    return outcome.state == "executed" and outcome.tx_hash is not None and not outcome.error
