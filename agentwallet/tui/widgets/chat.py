"""What the chat shows: your requests, the agent's replies and answers, and cards for its tools.

Everything the model wrote, and everything read from the chain, is untrusted: it goes
through format.untrusted*, so it can neither style nor move the terminal.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static

from agentwallet.tui.format import untrusted, untrusted_lines

if TYPE_CHECKING:
    from agentwallet.actions.pipeline import Outcome
    from agentwallet.actions.review import Review


class UserMessage(Static):
    def __init__(self, request: str):
        super().__init__(Text.assemble(("you  ", "bold"), untrusted_lines(request)))


class AgentReply(Static):
    """The agent's answer: a reply, or the facts that answer a read, shown as it arrives."""

    def __init__(self) -> None:
        super().__init__(Text("agent  thinking…", style="italic"))
        self._text = ""

    def append(self, chunk: str) -> None:
        self._text += chunk
        self.update(Text.assemble(("agent  ", "bold"), untrusted_lines(self._text)))

    def progress(self, step: str) -> None:
        if not self._text:
            self.update(Text.assemble(("agent  ", "bold"), (f"{step}…", "italic")))

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
    """A read tool the agent used, and the data it got back (the answer is facts from it)."""

    def __init__(self, tool: str, result: str | None):
        super().__init__(untrusted_lines(_pretty(result)), classes="card")
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
        parts = [outcome.state]
        if outcome.tx_hash:
            parts.append(f"tx {outcome.tx_hash}")
        if outcome.log_tx_hash:
            parts.append(f"logged in {outcome.log_tx_hash}")
        text = Text(" · ".join(parts))
        if outcome.error:
            text.append(" · ")
            text.append_text(untrusted(outcome.error))
        self._state(text, outcome.state)

    def failed(self, message: str) -> None:
        self._state(untrusted(message), "failed")

    def _state(self, text: Text, state: str) -> None:
        label = self.query_one(".state", Label)
        label.update(text)
        label.set_classes(f"state {state}")


def _pretty(result: str | None) -> str:
    if not result:
        return "(no data)"
    try:
        return json.dumps(json.loads(result), indent=1, ensure_ascii=False)
    except ValueError:
        return result
