"""One agent in full: its card as the registry says it is now (fetched if it is on a web server),
where it is paid, its reputation, and every way its card and the registry disagree.

All of it but the labels is untrusted: shown literally (tui/format.py), a long text wrapped,
never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label

from agentwallet.agents.directory import price_text, reputation_text
from agentwallet.errors import WalletError
from agentwallet.payments.asking import paid_skill
from agentwallet.tui.format import untrusted, untrusted_lines

if TYPE_CHECKING:
    from agentwallet.agents.directory import AgentEntry
    from agentwallet.tui.app import AgentWalletApp
    from agentwallet.tui.session import WalletInfo


class AgentDetailScreen(ModalScreen[bool]):
    """Dismissed with True when the person asks the agent's paid skill (`b`), else False."""
    AUTO_FOCUS = "#agent-detail"
    BINDINGS = [Binding("escape", "dismiss(False)", "Close"), Binding("enter", "dismiss(False)", "Close", show=False),
                Binding("b", "dismiss(True)", "Ask (paid)")]

    def __init__(self, entry: AgentEntry, own: bool = False, info: WalletInfo | None = None):
        """`entry` as the list read it, shown until the registry's answer for it now is in."""
        super().__init__()
        self.entry = entry
        self.own = own
        self.info = info  # the tokens a price is said in
        self.fresh: AgentEntry | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self._title(), id="agent-title", classes="dialog-title")
            with VerticalScroll(id="agent-detail"):
                yield Grid(classes="facts", id="agent-facts")
            yield Label("reading the registry…", id="agent-hint", classes="dialog-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show(self.entry)
        self.refresh_entry()

    @work(exclusive=True, group="agent-detail")
    async def refresh_entry(self) -> None:
        app: AgentWalletApp = self.app  # type: ignore[assignment]
        hint = self.query_one("#agent-hint", Label)
        try:
            self.fresh = await app.session.agent(self.entry.agent_id)
        except WalletError as error:
            hint.update(untrusted(f"could not read it again: {error}"))
            return
        self._show(self.fresh)
        hint.update("b asks its paid skill · Esc closes" if paid_skill(self.fresh.card) else "Esc closes")

    def _title(self) -> Text:
        whose = " (this wallet's)" if self.own else ""
        return Text(f"Agent #{self.entry.agent_id}{whose}", style="bold")

    def _show(self, entry: AgentEntry) -> None:
        grid = self.query_one("#agent-facts", Grid)
        grid.remove_children()
        labels = []
        for name, value in facts(entry, self.info):
            labels += [Label(name, classes="fact-name"), Label(value, classes="fact-value")]
        grid.mount_all(labels)


def facts(entry: AgentEntry, info: WalletInfo | None = None) -> list[tuple[str, Text]]:
    """The agent's facts in the order a person checks them: is it safe to pay, then what it is."""
    rows: list[tuple[str, Text]] = [("!! warning", untrusted_lines(warning, "bold red")) for warning in entry.warnings]
    rows += [
        ("agent wallet", Text(entry.agent_wallet, style="bold") if entry.agent_wallet
         else Text("none: cleared when it changed hands, do not pay it", style="bold red")),
        ("owner", Text(entry.owner)),
        ("reputation", Text(reputation_text(entry.reputation))),
        ("card URI", untrusted(entry.uri[:300] + ("…" if len(entry.uri) > 300 else ""))),
    ]
    card = entry.card
    if card is None:
        return rows + [("card", Text.assemble(("unreadable: ", "bold red"), untrusted_lines(entry.problem)))]
    rows += [
        ("name", untrusted_lines(card.name, "bold")),
        ("description", untrusted_lines(card.description)),
        ("skills", untrusted(", ".join(card.skills) or "-")),
        ("x402", Text("yes: its services ask for a price per call" if card.x402 else "no")),
        ("active", Text("yes" if card.active else "no")),
    ]
    tokens, chain_id = (info.tokens, info.chain_id) if info else ((), None)
    rows += [("endpoint", Text.assemble(untrusted(service.name), ": ", untrusted(service.endpoint),
                                        f" at {price_text(service.price, tokens, chain_id)}" if service.price else ""))
             for service in card.endpoints]
    if card.paid_to() is not None:
        rows.append(("card says paid at", untrusted(card.paid_to())))
    return rows
