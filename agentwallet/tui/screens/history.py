"""The History screen: every action the chain recorded, joined with the journal, newest first.

Entries are loaded on the wallet thread, so the UI never waits on the chain; the table draws
only the rows on screen (widgets/history_table.py), so ten thousand show as fast as ten.
Filters work on the entries in memory. The steps of a plan are shown together under a row of
their own (the request, how many steps, what became of them), in the plan's order, wherever
the plan's newest step falls. Enter shows one action in full; e and j export what is shown.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Label, Select

from agentwallet.actions.entries import moved, recipient, signer
from agentwallet.errors import WalletError
from agentwallet.tui.format import amount, short_address, shown_literally
from agentwallet.tui.screens.base import ChainView
from agentwallet.tui.screens.history_detail import HistoryDetailScreen
from agentwallet.tui.widgets.connection_bar import ConnectionBar
from agentwallet.tui.widgets.history_table import Column, HistoryTable

if TYPE_CHECKING:
    from agentwallet.actions.history import HistoryEntry
    from agentwallet.tui.session import WalletInfo

STATUSES = ("executed", "denied", "failed")
EXPORT = Binding.Group("Export CSV/JSON")  # one footer item for e and j: room for q at 80 columns
# what was proposed (the tool, or the event's kind), and which key signed, where there is room (not
# at 80 columns: the request first); the tx hash and the rest are in the detail view (enter)
COLUMNS = (Column("when", 12), Column("✓ status", 10), Column("kind", 11, optional=True),
           Column("amount", 14, most=24), Column("to", 12, most=16), Column("signed", 6, optional=True),
           Column("request", 20))


@dataclass(frozen=True)
class PlanRow:
    """The row above a plan's steps: its request, once for all of them."""
    steps: tuple[HistoryEntry, ...]  # in the plan's order

    @property
    def first(self) -> HistoryEntry:
        return self.steps[0]


class HistoryScreen(ChainView):
    AUTO_FOCUS = "#table"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("e", "export('csv')", "Export CSV", group=EXPORT),
        Binding("j", "export('json')", "Export JSON", group=EXPORT),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[HistoryEntry] = []
        self.shown: list[HistoryEntry] = []
        self.rows: list[HistoryEntry | PlanRow] = []  # what the table shows: the entries, plans grouped
        self.filled = asyncio.Event()  # set while the table shows every entry that passes the filters

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select([(status, status) for status in STATUSES], prompt="any status", id="status")
            yield Input(placeholder="recipient: a contact or 0x…", id="recipient")
            yield Label("loading…", id="count")
        yield Label(id="made-elsewhere")
        yield HistoryTable(COLUMNS, id="table")
        yield ConnectionBar()
        yield Footer(compact=True)

    def action_focus_filter(self) -> None:
        self.query_one("#recipient", Input).focus()

    @work(exclusive=True, group="history-load")
    async def load(self) -> None:
        if not self.app.session.is_open:
            return
        self.query_one("#count", Label).update("loading…")
        self.filled.clear()
        try:
            with _cycle_collection_paused():
                self.entries = await self.app.session.history()
        except WalletError as error:
            self.app.report(error)
            self.filled.set()
            return
        self.fill()

    @on(Select.Changed, "#status")
    @on(Input.Changed, "#recipient")
    def _filter_changed(self) -> None:
        self.fill()

    def fill(self) -> None:
        """Show the entries that pass the filters."""
        info = self.app.wallet_info
        status = self.query_one("#status", Select).value
        wanted = self.query_one("#recipient", Input).value.strip().lower()
        self.shown = [entry for entry in self.entries if _passes(entry, info, status, wanted)]
        year = datetime.fromtimestamp(self.app.clock(), timezone.utc).year
        self.rows = grouped(self.shown)
        self.query_one(HistoryTable).show(self.rows, lambda row: _row(row, info, year) if isinstance(row, PlanRow)
                                          else _entry_row(row, info, year))
        self.query_one("#count", Label).update(
            f"{len(self.shown)} of {len(self.entries)} actions" if self.entries else "no actions yet")
        elsewhere = sum(entry.made_elsewhere for entry in self.entries)
        warning = self.query_one("#made-elsewhere", Label)
        warning.display = bool(elsewhere)
        warning.update(f"!! {elsewhere} of these actions (marked !) were made with this wallet's keys but not by "
                       "this wallet: if it was not you, someone else holds a key. The Wallet screen says what to do.")
        self.filled.set()

    @on(HistoryTable.RowChosen)
    def _show_detail(self, event: HistoryTable.RowChosen) -> None:
        if 0 <= event.index < len(self.rows):
            row = self.rows[event.index]
            entry = row.first if isinstance(row, PlanRow) else row  # a plan's row: its first step

            def chosen(kind: str | None) -> None:
                if kind is not None:
                    self.replace_transaction(entry, kind)

            self.app.push_screen(HistoryDetailScreen(entry, self.app.wallet_info), chosen)

    @work(group="replace")
    async def replace_transaction(self, entry: HistoryEntry, kind: str) -> None:
        """Speed up or cancel an action sent and not mined, once the person confirms it."""
        from agentwallet.tui.screens.confirm import ConfirmScreen

        what = f"action {entry.action_id[:10]}… ({entry.tool})"
        if kind == "speedup":
            title, lines = f"Speed up {what}?", ["The same transaction, same nonce, at higher fees the node asks "
                                                 "today; whichever of them is mined carries it out, once."]
        else:
            title, lines = f"Cancel {what}?", ["A transfer of nothing from its signer to itself takes its nonce; "
                                               "once mined, the action has failed and nothing moved."]
        if not await self.app.push_screen_wait(ConfirmScreen(title, lines, "Speed up" if kind == "speedup"
                                                             else "Cancel it")):
            return
        try:
            async with self.app.sending(f"tx {kind}") as progress:
                outcome = await self.app.session.replace_transaction(entry.action_id, kind, progress)
        except WalletError as error:
            self.app.report(error)
            return
        self.app.notify_outcome(outcome, f"{'speed-up' if kind == 'speedup' else 'cancel'} of {what}")

    def action_export(self, kind: str) -> None:
        self.export(kind)

    @work(group="export")
    async def export(self, kind: str) -> None:
        if not self.app.session.is_open:
            self.notify("Not connected to the chain yet.", severity="warning", markup=False)
            return
        await self.filled.wait()  # from the command palette, the screen may still be loading
        try:
            path = await self.app.session.export_history(list(self.shown), kind, self.app.clock())
        except WalletError as error:
            self.app.report(error)
            return
        self.notify(f"Exported {len(self.shown)} actions to {path}", title=f"History as {kind.upper()}",
                    markup=False)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Loading ten thousand entries allocates a few hundred thousand objects, and the cyclic
    collector would sweep the whole heap several times meanwhile. None of these objects form
    cycles; reference counting frees them as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _passes(entry: HistoryEntry, info: WalletInfo | None, status: object, wanted: str) -> bool:
    """Whether the entry passes the status filter and the recipient filter (part of an address
    or of a contact's name)."""
    if status is not Select.NULL and entry.status != status:
        return False
    if not wanted:
        return True
    to = recipient(entry)
    if to is None:
        return False
    name = info.name_of(to) if info else None
    return wanted in to.lower() or (name is not None and wanted in name.lower())


def grouped(entries: list[HistoryEntry]) -> list[HistoryEntry | PlanRow]:
    """The entries, newest first, with each plan's steps gathered under a PlanRow where its
    newest step is, in the plan's order."""
    plans: dict[str, list[HistoryEntry]] = {}
    for entry in entries:
        if entry.plan_id is not None:
            plans.setdefault(entry.plan_id, []).append(entry)
    rows: list[HistoryEntry | PlanRow] = []
    for entry in entries:
        if entry.plan_id is None:
            rows.append(entry)
        elif entry.plan_id in plans:
            steps = tuple(sorted(plans.pop(entry.plan_id), key=lambda step: step.step or 0))
            rows.append(PlanRow(steps))
            rows.extend(steps)
    return rows


STATUS_STYLES = {"executed": "green", "denied": "yellow", "failed": "red", "submitted": "cyan", "confirming": "cyan"}


def _row(plan: PlanRow, info: WalletInfo | None, year: int) -> tuple[Text, ...]:
    """A plan's row: when its first step was made, the verified mark of all its steps, how many
    steps there are and what became of them, and the request they answer."""
    states = [step.state for step in plan.steps]
    state = states[0] if len(set(states)) == 1 else "mixed"
    verified = all(step.verified and not step.made_elsewhere for step in plan.steps)
    status = Text(f"{'✓' if verified else '✗'} {state}", style=STATUS_STYLES.get(state, ""), end="")
    status.stylize("green" if verified else "bold red", 0, 1)
    return (
        Text(_when(plan.first.timestamp, year), end=""),
        status,
        Text("plan", style="bold", end=""),
        Text("", end=""),
        Text(f"{len(states)} steps", end=""),
        Text("", end=""),
        Text(shown_literally(plan.first.request or ""), style="bold", end=""),
    )


def _entry_row(entry: HistoryEntry, info: WalletInfo | None, year: int) -> tuple[Text, ...]:
    """One table row, built when it first scrolls into view; `year` is this year's. A plan's step
    says which it is, under the plan's row that holds the request."""
    token, value, proposed = moved(entry)
    symbol, decimals = info.token_unit(token) if info else ("ETH", 18)
    to = recipient(entry)
    name = info.name_of(to) if info and to else None
    # ! made with the wallet's keys but not by the wallet, ✓ its hash matches the chain's, ✗ it does not
    mark, mark_style = (("!", "bold red") if entry.made_elsewhere else ("✓", "green") if entry.verified
                        else ("✗", "bold red"))
    status = Text(f"{mark} {_state_in_a_cell(entry)}", style=STATUS_STYLES.get(entry.state, ""), end="")
    status.stylize(mark_style, 0, 1)
    if to is None:
        to_cell = Text("—", style="dim", end="")
    else:
        to_cell = Text(shown_literally(name) if name else short_address(to), end="")
    moved_text = f"{amount(value, decimals)} {shown_literally(symbol)}" if value else ""
    return (
        Text(_when(entry.timestamp, year), end=""),
        status,
        Text(shown_literally(entry.tool or entry.kind), end=""),
        Text(moved_text, style="dim" if proposed else "", end=""),
        to_cell,
        Text(signer(entry, info.owner, info.agent) if info else short_address(entry.actor), end=""),
        Text(f"  └ step {entry.step}", style="dim", end="") if entry.plan_id is not None
        else Text(shown_literally(entry.request or entry.tool or ""), end=""),
    )


def _state_in_a_cell(entry: HistoryEntry) -> str:
    """The state in the status column's eight cells: "pending" for submitted (not mined), "conf 1/3"
    while it is confirming; the detail says it in full."""
    if entry.pending == "submitted":
        return "pending"
    if entry.pending == "confirming":
        return f"conf {entry.confirmations}/{entry.confirmations_needed}"
    return entry.state


def _when(iso: str, year: int) -> str:
    """"Jan 15 06:00" this year; an earlier year's date without the time (the detail has it)."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return moment.strftime("%b %d %H:%M") if moment.year == year else moment.strftime("%Y-%m-%d")
