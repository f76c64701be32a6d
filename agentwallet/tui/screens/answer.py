"""What became of a question paid for at another agent's skill: how the payment ended (paid,
denied, refused, failed, or free), the question, and the skill's answer.

The answer, the reason and the token's symbol are another party's words: shown literally
(tui/format.py), never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label

from agentwallet.tui.format import untrusted, untrusted_lines

if TYPE_CHECKING:
    from agentwallet.payments.pay import Payment

TITLES = {"paid": "Paid, and answered", "free": "Answered, for nothing", "denied": "Denied: nothing was paid",
          "refused": "Not paid: the wallet refused the price", "failed": "No answer"}


class AnswerScreen(ModalScreen[None]):
    AUTO_FOCUS = "#answer-detail"
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("enter", "dismiss", "Close", show=False)]

    def __init__(self, payment: Payment, question: str, answer: str | None):
        """`answer` is the skill's (payments/asking.answer_text), None when there is none."""
        super().__init__()
        self.payment = payment
        self.question = question
        self.answer = answer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(TITLES.get(self.payment.status, self.payment.status), style="bold"), id="answer-title",
                        classes="dialog-title")
            with VerticalScroll(id="answer-detail"):
                yield Grid(*(label for name, value in self.facts()
                             for label in (Label(name, classes="fact-name"), Label(value, classes="fact-value"))),
                           classes="facts")
            yield Label("Esc closes", classes="dialog-hint")
        yield Footer(compact=True)

    def facts(self) -> list[tuple[str, Text]]:
        rows = [("payment", untrusted(self.payment.account)), ("resource", untrusted(self.payment.url)),
                ("you asked", Text.assemble("“", untrusted_lines(self.question), "”"))]
        if self.answer is not None:
            rows.append(("answer", untrusted_lines(self.answer, "bold")))
        return rows
