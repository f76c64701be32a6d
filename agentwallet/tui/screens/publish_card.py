"""This wallet's card, as the owner wants it: name, description, skills, web endpoint.

Filled in with what the published card says (or left empty for the defaults `agents publish`
uses). Enter in the last field, or the button, goes on to the review; Esc cancels. Nothing is
signed here: the Agents screen proposes the card and the Approval modal decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label

from agentwallet.tui.widgets.decision_button import DecisionButton

if TYPE_CHECKING:
    from agentwallet.agents.card import Card


@dataclass(frozen=True)
class CardForm:
    name: str
    description: str
    skills: tuple[str, ...]
    endpoint: str


FIELDS = ("name", "description", "skills", "endpoint")


class PublishCardScreen(ModalScreen[CardForm | None]):
    AUTO_FOCUS = "#card-name"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: Card | None):
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        card = self.current
        web = [s.endpoint for s in card.endpoints if s.name == "web"] if card else []
        values = {"name": card.name if card else "", "description": card.description if card else "",
                  "skills": ", ".join(card.skills) if card else "", "endpoint": web[0] if web else ""}
        hints = {"name": "agentwallet", "description": "what this agent does", "skills": "translate, summarize",
                 "endpoint": "https://… (optional)"}
        with Vertical(classes="dialog", id="publish"):
            title = "Update this wallet's card" if card else "Publish this wallet's card"
            yield Label(title, classes="dialog-title", markup=False)
            for field in FIELDS:
                yield Label(field, classes="dialog-line", markup=False)
                yield Input(values[field], placeholder=hints[field], id=f"card-{field}")
            yield Label("Anyone can read it; the vault is where it is paid. Empty fields keep what the card says.",
                        classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield DecisionButton("Review (enter)", variant="primary", id="review")
                yield DecisionButton("Cancel (esc)", id="cancel")
        yield Footer(compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == f"card-{FIELDS[-1]}":
            self.dismiss(self.form())
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "review":
            self.dismiss(self.form())
        else:
            self.action_cancel()

    def form(self) -> CardForm:
        value = {field: self.query_one(f"#card-{field}", Input).value for field in FIELDS}
        skills = tuple(dict.fromkeys(s.strip() for s in value["skills"].split(",") if s.strip()))
        return CardForm(value["name"], value["description"], skills, value["endpoint"])

    def action_cancel(self) -> None:
        self.dismiss(None)
