"""The line above the footer on every screen: the chain, the model, and what is being done now."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from agentwallet.tui.format import untrusted

MARKS = {"connecting": "◌", "online": "●", "offline": "✕", "not set up": "○",
         "loading": "◌", "ready": "●", "failed": "✕"}


class ConnectionBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Label(id="chain")
        yield Label(id="activity")
        yield Label(id="model")
        yield ProgressBar(total=1.0, show_eta=False, show_percentage=True, id="model-progress")

    def on_mount(self) -> None:
        app = self.app
        self.watch(app, "chain_state", self._show_chain)
        self.watch(app, "chain_text", self._show_chain)
        self.watch(app, "activity", self._show_activity)
        self.watch(app, "model_state", self._show_model)
        self.watch(app, "model_progress", self._show_model)

    def _show_chain(self) -> None:
        state = self.app.chain_state
        label = self.query_one("#chain", Label)
        label.update(Text.assemble(MARKS.get(state, "·"), " ", untrusted(self.app.chain_text)))
        label.set_classes(state.replace(" ", "-"))

    def _show_activity(self) -> None:
        self.query_one("#activity", Label).update(untrusted(self.app.activity))

    def _show_model(self) -> None:
        state = self.app.model_state
        label = self.query_one("#model", Label)
        label.update(Text.assemble(MARKS.get(state, "·"), f" model {state}"))
        label.set_classes(state)
        bar = self.query_one("#model-progress", ProgressBar)
        bar.display = state == "loading"
        bar.update(progress=self.app.model_progress)
