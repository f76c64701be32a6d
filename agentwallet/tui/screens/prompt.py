"""Asks for one line of text: a passphrase (hidden) or a file path. Enter gives it, Esc cancels;
the two buttons say so, and a click does the same."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label

from agentwallet.tui.widgets.decision_button import DecisionButton


class PromptScreen(ModalScreen[str | None]):
    AUTO_FOCUS = "Input"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", *, password: bool = False, hint: str = "",
                 confirm: str = "Go on"):
        super().__init__()
        self.question = question
        self.value = value
        self.password = password
        self.hint = hint
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            yield Input(self.value, password=self.password, id="answer")
            if self.hint:
                yield Label(self.hint, classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield DecisionButton(f"{self.confirm} (enter)", variant="primary", id="go-on")
                yield DecisionButton("Cancel (esc)", id="cancel")
        yield Footer(compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "go-on":
            self.dismiss(self.query_one("#answer", Input).value)
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)
