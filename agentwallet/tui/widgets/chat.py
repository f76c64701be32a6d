"""What the chat shows: your requests, the agent's replies and answers, and cards for its tools.

Everything the model wrote, and everything read from the chain, is untrusted: it goes
through format.untrusted*, so it can neither style nor move the terminal.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static

from agentwallet.tui.format import untrusted, untrusted_lines
from agentwallet.tui.notices import logged

if TYPE_CHECKING:
    from agentwallet.actions.pipeline import Outcome
    from agentwallet.actions.plan_review import PlanReview
    from agentwallet.actions.review import Review


class UserMessage(Static):
    def __init__(self, request: str):
        super().__init__(Text.assemble(("you  ", "bold"), untrusted_lines(request)))


class AgentReply(Static):
    """The agent's answer: a reply, or the facts that answer a read, shown as it arrives. Until
    the first words, what it waits for and for how long, and that Esc cancels."""

    def __init__(self) -> None:
        super().__init__(Text("agent  thinking…", style="italic"))
        self._text = ""
        self._step = "thinking"
        self._started = time.monotonic()
        self._cancelled = False

    def append(self, chunk: str) -> None:
        if self._cancelled:  # the model may still be writing on the wallet thread: nobody reads it
            return
        self._text += chunk
        self.update(Text.assemble(("agent  ", "bold"), untrusted_lines(self._text)))

    def progress(self, step: str) -> None:
        self._step = step
        self.tick()

    def tick(self) -> None:
        """Count the seconds waited (the screen calls it every second)."""
        if self._text or self._cancelled:
            return
        waited = int(time.monotonic() - self._started)
        self.update(Text.assemble(("agent  ", "bold"), (f"{untrusted(self._step)}… {waited}s", "italic"),
                                  ("  esc cancels", "dim")))

    def cancel(self) -> None:
        self._cancelled = True
        said = untrusted_lines(self._text) if self._text else Text("")
        self.update(Text.assemble(("agent  ", "bold"), said, (" cancelled: nothing was proposed", "italic dim")))

    def finish(self, answer: str | None) -> None:
        """The whole answer, once the turn is over (a proposal's reply may carry none)."""
        if answer and answer != self._text:
            self._text = ""
            self.append(answer)
        elif not self._text:
            self.remove()

    def fail(self, message: str) -> None:
        self.add_class("failed")
        self.update(Text.assemble(("agent  ", "bold"), untrusted(message)))


class ToolCard(Static):
    """A read tool the agent used, and the data it got back (the answer is facts from it), as a
    small table: a record's fields one a line, a list's items one a row."""

    def __init__(self, tool: str, result: str | None):
        super().__init__(data_table(result), classes="card")
        self.border_title = untrusted(tool)


class ProposalCard(Vertical):
    """An action the agent proposed, and what became of it."""

    def __init__(self, review: Review):
        super().__init__(classes="card proposal")
        self.review = review
        self.border_title = untrusted(review.proposal.tool)

    def compose(self) -> ComposeResult:
        yield Label(untrusted(self.review.summary), classes="summary")
        rationale = self.review.proposal.rationale
        if rationale:
            yield Label(Text.assemble("“", untrusted_lines(rationale), "”"), classes="rationale")
        yield Label("waiting for your decision: a approve · d deny", classes="state")

    def progress(self, step: str) -> None:
        self._state(Text(f"{step}…"), "working")

    def decided(self, approved: bool) -> None:
        self._state(Text("approved: sending…" if approved else "denied: logging the denial on chain…"), "working")

    def settled(self, outcome: Outcome) -> None:
        self._state(outcome_text(outcome), outcome.state)

    def failed(self, message: str) -> None:
        self._state(untrusted(message), "failed")

    def _state(self, text: Text, state: str) -> None:
        label = self.query_one(".state", Label)
        label.update(text)
        label.set_classes(f"state {state}")


class PlanCard(Vertical):
    """A plan the agent proposed: each step and what became of it, as the steps settle one
    after the other, and the plan's own record on chain."""

    def __init__(self, review: PlanReview):
        super().__init__(classes="card proposal plan")
        self.review = review
        self.border_title = f"plan of {len(review.steps)} steps"

    def compose(self) -> ComposeResult:
        for position, step in enumerate(self.review.steps, start=1):
            yield Label(Text.assemble(f"{position}  ", untrusted(step.summary)), classes="summary")
            yield Label("proposed", classes="step-state", id=f"step-state-{position}")
        rationale = self.review.plan.rationale
        if rationale:
            yield Label(Text.assemble("“", untrusted_lines(rationale), "”"), classes="rationale")
        yield Label("waiting for your decision: a approve · d deny · 1-5 drop a step", classes="state")

    def decided(self, approved: list[bool]) -> None:
        for position, kept in enumerate(approved, start=1):
            self._step(position, Text("approved: waiting its turn…" if kept else "dropped: to be logged denied"),
                       "working")
        self._state(Text("logging the plan's decision on chain…"), "working")

    def progress(self, step: str) -> None:
        self._state(Text(f"{step}…"), "working")

    def step_settled(self, outcome: Outcome) -> None:
        for position, step in enumerate(self.review.steps, start=1):
            if step.proposal.action_id == outcome.action_id:
                self._step(position, outcome_text(outcome, with_log=False), outcome.state)

    def settled(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.step_settled(outcome)
        states = {outcome.state for outcome in outcomes}
        state = "failed" if "failed" in states else "executed" if "executed" in states else "denied"
        record = next((outcome.log_tx_hash for outcome in outcomes if outcome.log_tx_hash), None)
        said = f"plan {state}"
        if record:
            said += f" · logged in {record}"
        elif not all(map(logged, outcomes)):
            said += " · not logged on chain yet: it is retried at the next start"
        self._state(Text(said), state)

    def failed(self, message: str) -> None:
        self._state(untrusted(message), "failed")

    def _step(self, position: int, text: Text, state: str) -> None:
        label = self.query_one(f"#step-state-{position}", Label)
        label.update(Text.assemble("   ", text))
        label.set_classes(f"step-state {state}")

    def _state(self, text: Text, state: str) -> None:
        label = self.query_one(".state", Label)
        label.update(text)
        label.set_classes(f"state {state}")


def outcome_text(outcome: Outcome, with_log: bool = True) -> Text:
    """"executed · tx 0x… · logged in 0x…", and what went wrong, if anything."""
    parts = [outcome.state]
    if outcome.tx_hash:
        parts.append(f"tx {outcome.tx_hash}")
    if outcome.log_tx_hash and with_log:
        parts.append(f"logged in {outcome.log_tx_hash}")
    text = Text(" · ".join(parts))
    if outcome.error:
        text.append(" · ")
        text.append_text(untrusted(outcome.error))
    return text


def data_table(result: str | None) -> Table | Text:
    """A read's JSON as a table; every name and value shown literally (they hold token symbols
    and requests from the chain). What is not a record or a list of records stays as it came."""
    try:
        data = json.loads(result) if result else None
    except ValueError:
        return untrusted_lines(result)
    if isinstance(data, dict) and data:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim")
        table.add_column()
        for name, value in data.items():
            table.add_row(untrusted(str(name)), untrusted(_cell(value)))
        return table
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        names = list(dict.fromkeys(name for item in data for name in item))
        table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="dim")
        for name in names:
            table.add_column(untrusted(str(name)))
        for item in data:
            table.add_row(*(untrusted(_cell(item.get(name, ""))) for name in names))
        return table
    if data in (None, [], {}):
        return Text("(no data)", style="dim")
    return untrusted_lines(json.dumps(data, indent=1, ensure_ascii=False))


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
