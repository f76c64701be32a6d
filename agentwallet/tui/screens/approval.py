"""The Approval modal: everything the user needs to decide on one proposal, and nothing signed yet.

`a` approves and `d` denies; the buttons are never focused, so Enter alone decides nothing.
Where a flag is critical (what was asked differs from what the transaction does), `a` stays
disabled until the user acknowledges the warnings, with `k` or the checkbox, the way a wallet
greys out Sign until its warnings are ticked off.

All of the review is untrusted text except the labels: it came from the model or the chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Label

from agentwallet.actions.figures import LEFT_IN_WINDOW, PER_ACTION_CAP
from agentwallet.tui.format import amount, short_amount, untrusted, untrusted_lines
from agentwallet.tui.widgets.decision_button import DecisionButton

if TYPE_CHECKING:
    from agentwallet.actions.flags import Flag
    from agentwallet.actions.review import Review

T = TypeVar("T")

ACKNOWLEDGE = "I read the !! warnings (k)"
ACKNOWLEDGE_FIRST = "Acknowledge the flags marked !! with k first"


class Acknowledgement(Checkbox):
    """The acknowledge box: empty until ticked, then a ✓ (Textual's dim X read as ticked)."""
    BUTTON_INNER = "✓"


class DecisionScreen(ModalScreen[T]):
    """What the Approval and Plan approval modals share: `a` approves, `d` denies, and where a
    flag is critical, `a` stays greyed out until `k` (or the checkbox) acknowledges the flags."""
    BINDINGS = [
        Binding("a", "approve", "Approve"),
        Binding("d", "deny", "Deny"),
        Binding("k", "acknowledge", "Acknowledge warnings"),
    ]

    acknowledged = reactive(False, init=False)

    def __init__(self, critical: bool):
        super().__init__()
        self.needs_acknowledgement = critical

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "approve" and self.needs_acknowledgement and not self.acknowledged:
            return None  # shown, greyed out, until the warnings are acknowledged
        if action == "acknowledge" and not self.needs_acknowledgement:
            return False
        return True

    def decision_buttons(self) -> ComposeResult:
        with Horizontal(id="buttons"):
            if self.needs_acknowledgement:
                yield Acknowledgement(ACKNOWLEDGE, id="acknowledge")
            yield DecisionButton(self.approve_label(), variant="success", id="approve",
                                 disabled=self.needs_acknowledgement)
            yield DecisionButton(self.deny_label(), variant="error", id="deny")

    def approve_label(self) -> str:
        return "Approve (k first)" if self.needs_acknowledgement and not self.acknowledged else "Approve (a)"

    def deny_label(self) -> str:
        return "Deny (d)"

    def watch_acknowledged(self, acknowledged: bool) -> None:
        if not self.needs_acknowledgement:
            return
        approve = self.query_one("#approve", Button)
        approve.disabled, approve.label = not acknowledged, self.approve_label()
        self.query_one("#acknowledge", Checkbox).value = acknowledged
        self.refresh_bindings()

    def on_key(self, event: events.Key) -> None:
        # `a` is greyed out in the footer until the warnings are acknowledged, so its binding
        # does not run: say why instead of doing nothing
        if event.key == "a" and self.needs_acknowledgement and not self.acknowledged:
            event.stop()
            self.action_approve()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "acknowledge":
            self.acknowledged = event.value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "approve":
            self.action_approve()
        elif event.button.id == "deny":
            self.action_deny()

    def action_acknowledge(self) -> None:
        self.acknowledged = not self.acknowledged

    def action_approve(self) -> None:
        if self.needs_acknowledgement and not self.acknowledged:
            self.notify(ACKNOWLEDGE_FIRST, severity="warning", markup=False)
            return
        self.approve()

    def approve(self) -> None:
        raise NotImplementedError

    def action_deny(self) -> None:
        raise NotImplementedError


class ApprovalScreen(DecisionScreen[bool]):
    AUTO_FOCUS = "#details"

    def __init__(self, review: Review):
        super().__init__(bool(review.critical_flags))
        self.review = review

    def compose(self) -> ComposeResult:
        review = self.review
        with Vertical(id="dialog"):
            yield Label(self._title(), id="title")
            yield Label(untrusted(review.summary), id="summary")
            with VerticalScroll(id="details"):
                yield from flag_labels(review.flags)
                yield fact_grid(review_facts(review))
            yield from self.decision_buttons()
        yield Footer(compact=True)

    def _title(self) -> str:
        if self.review.executor == "owner":
            return "Approve? This is signed by your owner key"
        return "The agent proposes — approve?"

    def approve(self) -> None:
        self.dismiss(True)

    def action_deny(self) -> None:
        self.dismiss(False)


def flag_labels(flags: list[Flag]) -> ComposeResult:
    """Each flag on a line, the critical ones (`!!`) first."""
    for flag in sorted(flags, key=lambda flag: not flag.critical):
        mark = "!!" if flag.critical else "! "
        yield Label(Text.assemble(f"{mark} ", (flag.name, "bold"), "  ", untrusted(flag.text)),
                    classes="flag critical" if flag.critical else "flag")


def fact_grid(facts: list[tuple[str, Text]]) -> Grid:
    return Grid(*(label for name, value in facts
                  for label in (Label(name, classes="fact-name"), Label(value, classes="fact-value"))),
                classes="facts")


def call_text(description: str) -> Text:
    """The decoded call, its arguments from the next line on: "Guardrail.send_native(to=0x…" is
    one word longer than the column at 80 columns, and would be cut inside the address."""
    name, paren, arguments = description.partition("(")
    if not paren:
        return untrusted(description)
    return Text.assemble(untrusted(name + paren), "\n", untrusted(arguments))


def review_facts(review: Review, in_plan: bool = False) -> list[tuple[str, Text]]:
    """What the wallet decoded and simulated of one proposal, in the words of the CLI and the
    Limits screen. A plan's step leaves out what the plan shows once for all its steps: what is
    left in the window (its total), and the request."""
    simulation = review.simulation
    unit, d = review.unit or "", review.decimals
    facts = [("Call", call_text(review.planned.description)),
             ("Signed by", Text(f"the {review.executor} key"))]
    if review.amount is not None:
        facts.append(("Amount", Text.assemble(
            (review.amount_text or amount(review.amount, d), "bold"), " ", untrusted(unit),
            f"  ({review.amount} base units)")))
    gas = f"~{simulation.gas:,}" if simulation.gas else "unknown"
    if review.gas_cost is not None:
        gas += f"  (costs about {short_amount(review.gas_cost).lstrip('≈')} ETH)"
    facts.append(("Gas", Text(gas)))
    if simulation.ok:
        facts.append(("Simulation", Text("✓ would succeed", style="bold green")))
    else:
        facts.append(("Simulation", Text.assemble(("✗ would fail: ", "bold red"),
                                                  untrusted(simulation.revert_reason or "no reason given"))))
    if not in_plan and review.window_left_before is not None and review.window_left_after is not None:
        untouched = "  (an owner execution does not count)" if review.executor == "owner" else ""
        facts.append((LEFT_IN_WINDOW.capitalize(), Text.assemble(
            amount(review.window_left_before, d), " → ", (amount(review.window_left_after, d), "bold"), " ",
            untrusted(unit), untouched)))
    if review.per_action_cap is not None:
        facts.append((PER_ACTION_CAP.capitalize(), Text.assemble(amount(review.per_action_cap, d), " ",
                                                                 untrusted(unit))))
    for change in review.changes:
        facts.append((change.what.capitalize(), Text.assemble(
            untrusted(change.before), " → ", untrusted(change.after, "bold"))))
    if review.window_note:
        facts.append(("Window", untrusted(review.window_note)))
    if not in_plan:
        facts.append(("You asked", Text.assemble("“", untrusted_lines(review.proposal.request), "”")))
    facts.append(("Rationale", Text.assemble("“", untrusted_lines(review.proposal.rationale), "”")))
    return facts
