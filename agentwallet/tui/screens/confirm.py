"""Asks the owner to confirm a change before it is signed: y to go ahead, n or Esc to cancel."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label

from agentwallet.tui.widgets.decision_button import DecisionButton


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel", show=False),
    ]

    def __init__(self, title: str, lines: Sequence[Text | str], confirm: str = "Yes"):
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            for line in self.lines:
                yield Label(line, classes="dialog-line")
            with Horizontal(classes="dialog-buttons"):
                yield DecisionButton(f"{self.confirm} (y)", variant="primary", id="yes")
                yield DecisionButton("Cancel (n)", id="no")
        yield Footer(compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
