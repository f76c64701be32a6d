"""The Plan approval modal: one request answered with several actions, decided on as a whole.

Each step is shown as the Approval modal shows a single proposal, decoded from its own
transaction; then what the whole plan moves of each asset, and what it leaves in the agent's
window. `a` approves the steps kept, `d` denies the plan; space (on a step) or its number drops
a step or keeps it again. A critical flag, of a step or of the plan, needs `k` before `a`, as in
the Approval modal. Nothing is signed until the plan is decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Label

from agentwallet.actions.figures import LEFT_IN_WINDOW
from agentwallet.tui.format import amount, untrusted, untrusted_lines
from agentwallet.tui.screens.approval import DecisionScreen, fact_grid, flag_labels, review_facts

if TYPE_CHECKING:
    from agentwallet.actions.plan_review import PlanReview
    from agentwallet.actions.review import Review

KEEP_A_STEP = "Every step is dropped: keep one (space or its number), or deny the plan with d"


class StepToggle(Checkbox):
    """A step's head line, ticked while the step is kept."""
    BUTTON_INNER = "✓"


class PlanApprovalScreen(DecisionScreen[list[bool]]):
    """Dismissed with one decision per step: all False when the plan is denied."""
    AUTO_FOCUS = "#step-1"
    BINDINGS = [Binding("d", "deny", "Deny all"), Binding("escape", "deny", "Deny all", show=False),
                Binding("1", "toggle_step(1)", "Drop/keep step", key_display="1-5"),
                *(Binding(str(n), f"toggle_step({n})", show=False) for n in range(2, 6))]

    def __init__(self, review: PlanReview):
        super().__init__(bool(review.critical_flags))
        self.review = review
        self.kept = [True] * len(review.steps)

    def compose(self) -> ComposeResult:
        review, steps = self.review, len(self.review.steps)
        with Vertical(id="dialog"):
            yield Label(self._title(), id="title")
            yield Label(Text.assemble("“", untrusted_lines(review.plan.request), "”"), id="summary")
            with VerticalScroll(id="details"):
                yield from flag_labels(review.flags)
                for position, step in enumerate(review.steps, start=1):
                    with Vertical(classes="step", id=f"step-block-{position}"):
                        yield StepToggle(_step_head(position, steps, step), True, id=f"step-{position}")
                        yield from flag_labels(step.flags)
                        yield fact_grid(review_facts(step, in_plan=True))
                yield Label("The whole plan", classes="plan-heading")
                yield fact_grid(self._totals()).add_class("totals")
            yield from self.decision_buttons()
        yield Footer(compact=True)

    def _title(self) -> str:
        owner = [str(n) for n, step in enumerate(self.review.steps, start=1) if step.executor == "owner"]
        signed = f" (step {', '.join(owner)} signed by your owner key)" if owner else ""
        return f"The agent proposes a plan of {len(self.review.steps)} steps — approve?{signed}"

    def _totals(self) -> list[tuple[str, Text]]:
        """What the plan moves, per asset, and what it leaves in the agent's window, in the words of
        the Approval modal and the Limits screen (each step shows its per-action cap)."""
        facts = []
        for total in self.review.totals:
            unit, d = untrusted(total.unit), total.decimals
            owner = total.amount - total.by_agent
            by_owner = f"  ({amount(owner, d)} of it from the owner key)" if owner else ""
            facts.append(("Leaves the vault", Text.assemble((amount(total.amount, d), "bold"), " ", unit, by_owner)))
            if total.window_left_before is not None and total.window_left_after is not None:
                facts.append((LEFT_IN_WINDOW.capitalize(), Text.assemble(
                    amount(total.window_left_before, d), " → ", (amount(total.window_left_after, d), "bold"), " ",
                    unit)))
        if not facts:
            facts.append(("Moves", Text("nothing out of the vault")))
        return facts

    def approve_label(self) -> str:
        if self.needs_acknowledgement and not self.acknowledged:
            return "Approve (k first)"
        kept, steps = sum(self.kept), len(self.kept)
        if kept == steps:
            return "Approve all (a)"
        return f"Approve {kept} of {steps} (a)" if kept else "Approve (keep a step)"

    def deny_label(self) -> str:
        return "Deny all (d)"

    def action_toggle_step(self, position: int) -> None:
        if position <= len(self.kept):
            toggle = self.query_one(f"#step-{position}", StepToggle)
            toggle.value = not toggle.value

    @on(Checkbox.Changed, "StepToggle")
    def step_toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        position = int(str(event.checkbox.id).removeprefix("step-"))
        self.kept[position - 1] = event.value
        self.query_one(f"#step-block-{position}").set_class(not event.value, "dropped")
        if not self.needs_acknowledgement or self.acknowledged:
            approve = self.query_one("#approve", Button)
            approve.label = self.approve_label()
            approve.refresh(layout=True)  # the label grows: "Approve 1 of 2 (a)"

    def approve(self) -> None:
        if not any(self.kept):
            self.notify(KEEP_A_STEP, severity="warning", markup=False)
            return
        self.dismiss(list(self.kept))

    def action_deny(self) -> None:
        self.dismiss([False] * len(self.kept))


def _step_head(position: int, steps: int, step: Review) -> Text:
    mark = "!! " if step.critical_flags else ""
    return Text.assemble(f"Step {position} of {steps}  ", (mark, "bold red"), untrusted(step.summary, "bold"))

