"""Shown where no wallet is set up yet: what to do, and a way to do it from here (on devnet)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Label, Log

from agentwallet.display import literal
from agentwallet.errors import WalletError
from agentwallet.tui.screens.base import AppScreen


class SetupScreen(AppScreen[bool]):
    BINDINGS = [Binding("i", "initialize", "Set up on devnet"), Binding("q", "app.quit", "Quit")]

    def __init__(self, home: Path):
        super().__init__()
        self.home = home

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="setup", classes="panel") as panel:
            panel.border_title = "No wallet here yet"
            yield Label(Text.assemble(
                "There is no wallet in ", (str(self.home), "bold"), ".\n\n",
                "Set one up in a shell with\n\n    ", ("agentwallet init", "bold"),
                "\n\nor press ", ("i", "bold"), " to set up a local devnet wallet now: two new keys, "
                "a guardrail vault with 10 test ETH, and a demo USDC token.",
            ))
            with Horizontal(id="setup-buttons"):
                yield Button("Set up on devnet (i)", id="initialize", variant="primary")
                yield Button("Quit (q)", id="quit")
            yield Log(id="setup-log", auto_scroll=True)
        yield Footer(compact=True)

    @on(Button.Pressed, "#initialize")
    def action_initialize(self) -> None:
        self.initialize()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit(0)

    @work(exclusive=True, group="setup")
    async def initialize(self) -> None:
        log = self.query_one(Log)
        button = self.query_one("#initialize", Button)
        button.disabled = True
        try:
            await self.app.session.initialize(progress=lambda step: log.write_line(f"… {literal(step)}"))
        except WalletError as error:
            log.write_line(f"failed: {literal(str(error))}")
            self.app.report(error)
            button.disabled = False
            return
        log.write_line("done")
        self.dismiss(True)
