"""The Agents screen: the other agents of the network's ERC-8004 registry, and this wallet's card.

The directory is read on the wallet thread, as `agents list` reads it (actions/registrations,
agents/directory). Everything a card says is untrusted: each cell is a rich Text of its
literal text, cut to the column, never markup. Marks say where a card cannot be trusted as it
reads: malformed, its agent wallet cleared, or its card naming another address to be paid at.
`/` filters by part of a skill; Enter shows one agent in full, its card fetched if it is on a
web server; `u` publishes or updates this wallet's card, an owner action approved like any other;
`b` asks the highlighted agent's paid skill a question, its price approved like any payment
(tui/screens/asking.py).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Label

from agentwallet.agents.card import X402_SERVICE
from agentwallet.agents.directory import mean_score, price_text
from agentwallet.agents.sources import is_fetched
from agentwallet.errors import WalletError
from agentwallet.payments.asking import paid_skill
from agentwallet.tui.format import short_address, untrusted
from agentwallet.tui.screens.agent_detail import AgentDetailScreen
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.asking import ask_agent
from agentwallet.tui.screens.base import ChainView
from agentwallet.tui.screens.publish_card import PublishCardScreen
from agentwallet.tui.widgets.connection_bar import ConnectionBar

if TYPE_CHECKING:
    from agentwallet.actions.pipeline import Outcome
    from agentwallet.actions.review import Review
    from agentwallet.agents.card import Card
    from agentwallet.agents.directory import AgentEntry
    from agentwallet.tui.session import Directory, WalletInfo

# (header, width): a card's text is cut to its column, so a 10 KB name cannot push the rest away
COLUMNS = (("id", 4), ("name", 12), ("skills", 11), ("price", 10), ("rating", 7), ("paid to", 11), ("marks", 9))
LEGEND = "✗ unreadable card · ∅ wallet cleared: do not pay · ≠ card names another wallet"
NO_REGISTRY = ("This network has no agent registry: on devnet run `agentwallet agents deploy`; elsewhere "
               "`agentwallet init --identity-registry ADDRESS --reputation-registry ADDRESS`.")


class AgentsScreen(ChainView):
    AUTO_FOCUS = "#agents-table"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("b", "ask", "Ask (paid)"),
        Binding("u", "publish", "Publish card"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.directory: Directory | None = None
        self.shown: list[AgentEntry] = []
        self.loaded = asyncio.Event()  # set once the directory has been read (or could not be)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="skill: part of one, as translate", id="skill")
            yield Label("loading…", id="count")
        yield Label("", id="own-card")
        yield Label(LEGEND, id="legend", markup=False)
        table: DataTable = DataTable(id="agents-table", cursor_type="row", zebra_stripes=True)
        for header, width in COLUMNS:
            table.add_column(header, width=width, key=header)
        yield table
        yield ConnectionBar()
        yield Footer(compact=True)

    def action_leave_field(self) -> None:
        self.query_one("#agents-table", DataTable).focus()  # Enter shows the highlighted agent again

    def action_focus_filter(self) -> None:
        self.query_one("#skill", Input).focus()

    @work(exclusive=True, group="agents-load")
    async def load(self) -> None:
        if not self.app.session.is_open:
            return
        self.query_one("#count", Label).update("loading…")
        try:
            self.directory = await self.app.session.agents()
        except WalletError as error:
            self.app.report(error)
            return
        finally:
            self.loaded.set()
        self.fill()

    @on(Input.Changed, "#skill")
    def _filter_changed(self) -> None:
        self.fill()

    def fill(self) -> None:
        directory = self.directory
        if directory is None:
            return
        wanted = self.query_one("#skill", Input).value.strip().casefold()
        self.shown = [entry for entry in directory.agents if _offers_part(entry, wanted)]
        table = self.query_one("#agents-table", DataTable)
        table.clear()
        for entry in self.shown:
            table.add_row(*_row(entry, directory, self.app.wallet_info), key=str(entry.agent_id))
        count = self.query_one("#count", Label)
        if directory.registry is None:
            count.update("no registry")
        else:
            count.update(f"{len(self.shown)} of {len(directory.agents)} agents")
        self.query_one("#own-card", Label).update(_own_line(directory))

    @on(DataTable.RowSelected, "#agents-table")
    def _show_detail(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            entry = self.shown[event.cursor_row]
            own = self.directory is not None and entry.agent_id == self.directory.own
            self.app.push_screen(AgentDetailScreen(entry, own, self.app.wallet_info),
                                 callback=lambda asked: self.ask(entry) if asked else None)

    # another agent's paid skill

    def action_ask(self) -> None:
        table = self.query_one("#agents-table", DataTable)
        if 0 <= table.cursor_row < len(self.shown):
            self.ask(self.shown[table.cursor_row])

    @work(exclusive=True, group="ask")
    async def ask(self, entry: AgentEntry) -> None:
        if paid_skill(entry.card) is None:
            self.notify(f"Agent #{entry.agent_id} sells no skill: its card lists no x402 service on a web address.",
                        severity="warning", markup=False)
            return
        await ask_agent(self.app, entry.agent_id, whom(entry))

    # this wallet's card

    def action_publish(self) -> None:
        self.publish()

    @work(exclusive=True, group="publish")
    async def publish(self) -> None:
        """This wallet's card, published or updated; then, if need be, the vault made its agent
        wallet. Each is an owner action through the pipeline: reviewed, approved, logged."""
        if not self.app.session.is_open:
            self.notify("Not connected to the chain yet.", severity="warning", markup=False)
            return
        await self.loaded.wait()  # from the command palette, the screen may still be reading
        directory = self.directory
        if directory is None:
            return
        if directory.registry is None:
            self.notify(NO_REGISTRY, severity="warning", markup=False)
            return
        own = directory.own_entry
        form = await self.app.push_screen_wait(PublishCardScreen(own.card if own else None))
        if form is None:
            return
        outcome = await self._decide(lambda progress: self.app.session.propose_card(
            form.name, form.description, form.skills, form.endpoint, progress))
        if outcome is not None and outcome.state == "executed":
            await self._decide(self.app.session.propose_agent_wallet)

    async def _decide(self, propose) -> Outcome | None:
        """Propose (the review read on the wallet thread), ask in the Approval modal, carry out."""
        try:
            review: Review | None = await propose(self._proposing)
        except WalletError as error:
            self.app.report(error)
            return None
        finally:
            self.app.activity = ""
        if review is None:
            return None
        approved = bool(await self.app.push_screen_wait(ApprovalScreen(review)))
        try:
            async with self.app.sending(review.proposal.tool) as progress:
                outcome = await self.app.session.settle(review, approved, progress)
        except WalletError as error:
            self.app.report(error)
            return None
        self.app.notify_outcome(outcome, review.summary)
        return outcome

    def _proposing(self, step: str) -> None:
        self.app.activity = f"reviewing: {step}"


def whom(entry: AgentEntry) -> str:
    """The agent as a dialog names it: its id, and the name its card gives (untrusted, cut)."""
    name = entry.card.name if entry.card else ""
    return f"agent #{entry.agent_id}" + (f" “{name[:40]}”" if name else "")


def _offers_part(entry: AgentEntry, wanted: str) -> bool:
    """Whether any skill of the card contains what was typed (nothing typed: every agent)."""
    if not wanted:
        return True
    return entry.card is not None and any(wanted in skill.casefold() for skill in entry.card.skills)


def _row(entry: AgentEntry, directory: Directory, info: WalletInfo | None) -> tuple[Text, ...]:
    card = entry.card
    widths = dict(COLUMNS)
    if card is None:
        name = Text("(on the web)" if is_fetched(entry.uri) else "(no card)", style="dim", end="")
        skills = Text("", end="")
        price = Text("", end="")
    else:
        name = _cut(card.name, widths["name"])
        skills = _cut(", ".join(card.skills), widths["skills"])
        price = _price(card, info)
    summary = entry.reputation
    if summary is not None and summary.count:
        rating = Text(f"{mean_score(summary):g} ({summary.count})", end="")
    else:
        rating = Text("—", style="dim", end="")
    if entry.agent_wallet is None:
        paid = Text("nowhere", style="bold red", end="")
    else:
        paid = Text("the vault" if entry.agent_wallet == directory.vault else short_address(entry.agent_wallet),
                    end="")
    return (Text(f"#{entry.agent_id}", end=""), name, skills, price, rating, paid, _marks(entry, directory))


def _price(card: Card, info: WalletInfo | None) -> Text:
    """What its first priced x402 service says it asks (a claim: a payment pays what the 402
    asks, once approved); "x402" for a card that takes x402 and names no price."""
    priced = next((s.price for s in card.endpoints if s.name == X402_SERVICE and s.price), None)
    if priced is not None:
        return _cut(price_text(priced, info.tokens if info else (), info.chain_id if info else None),
                    dict(COLUMNS)["price"])
    return Text("x402" if card.x402 else "—", style="" if card.x402 else "dim", end="")


def _cut(text: str, width: int) -> Text:
    shown = untrusted(text)
    if shown.cell_len > width:
        shown.truncate(width - 1)
        shown.append("…")
    return shown


MARKS = {"unreadable": "✗ card", "on the web": "on web", "cleared": "∅ wallet", "differs": "≠ wallet",
         "other": "! check"}


def marks(entry: AgentEntry) -> list[str]:
    """What the table marks about the agent's card, worst first (the detail says it in full)."""
    found = []
    if entry.card is None:
        found.append("on the web" if is_fetched(entry.uri) else "unreadable")
    if entry.wallet_cleared:
        found.append("cleared")
    if entry.wallet_differs:
        found.append("differs")
    if entry.card is not None and not found and entry.warnings:
        found.append("other")
    return found


def _marks(entry: AgentEntry, directory: Directory) -> Text:
    found = marks(entry)
    style = "dim" if found == ["on the web"] else "bold red"
    text = Text(" ".join(MARKS[mark] for mark in found), style=style if found else "", end="")
    if entry.agent_id == directory.own:
        text = Text.assemble(("you", "bold green"), " " if found else "", text, end="")
    return text


def _own_line(directory: Directory) -> Text:
    if directory.registry is None:
        return Text(NO_REGISTRY, style="dim")
    own = directory.own_entry
    if own is None:
        return Text("This wallet has no card yet: u publishes one, the vault as its agent wallet.")
    name = untrusted(own.card.name if own.card else "(its card cannot be read)", style="bold")
    paid = ("paid to the vault" if own.agent_wallet == directory.vault
            else "NOT paid to the vault yet: u again sets it")
    return Text.assemble(f"This wallet is agent #{own.agent_id}, ", name, f", {paid}. u updates its card.")
