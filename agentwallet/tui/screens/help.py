"""? — every key, in one place."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KEYS = (
    ("Anywhere", (
        ("w", "the wallet: balances, allowance gauges, spending"),
        ("c", "chat with the agent (focus the request box)"),
        ("l", "limits: the on-chain policy, and changing it"),
        ("h", "history of every action, from the chain"),
        ("a", "agents on chain: the registry's directory, this wallet's card"),
        ("s", "settings: network, model, keys, contacts"),
        ("p", "pause or resume the agent (asks first)"),
        ("ctrl+p", "command palette: every action by name"),
        ("tab / shift+tab", "the next / previous field or button"),
        ("esc", "leave a text field, so single keys work again"),
        ("?", "this help"),
        ("q", "quit"),
    )),
    ("Approval", (
        ("a", "approve (after acknowledging critical warnings)"),
        ("d", "deny (logged on chain)"),
        ("k", "acknowledge the warnings marked !!"),
    )),
    ("Plan approval", (
        ("a", "approve the steps kept (after acknowledging critical warnings)"),
        ("d / esc", "deny the whole plan (logged on chain)"),
        ("space / 1-5", "drop the focused step / step N, or keep it again"),
        ("k", "acknowledge the warnings marked !!"),
    )),
    ("Chat", (
        ("enter", "send the request"),
        ("esc", "leave the request box; while the agent plans, cancel the request"),
    )),
    ("Limits", (
        ("enter", "in a field: review and send its form"),
    )),
    ("History", (
        ("enter", "details of the highlighted action"),
        ("/", "filter by recipient"),
        ("e / j", "export what is shown as CSV / JSON"),
        ("r", "reload from the chain"),
    )),
    ("Agents", (
        ("enter", "the highlighted agent in full, with its reputation"),
        ("/", "filter by skill"),
        ("b", "ask the highlighted agent's paid skill a question: its price shown for approval first"),
        ("u", "publish or update this wallet's card (approved like any action)"),
        ("r", "reload from the chain"),
    )),
    ("Settings", (
        ("enter", "in a contact's name: on to its address; there, add it"),
        ("del", "remove the highlighted contact (asks first)"),
    )),
    ("Dialogs", (
        ("y / n", "yes / no; esc is no"),
        ("enter / esc", "go on / cancel"),
    )),
)


class HelpScreen(ModalScreen[None]):
    AUTO_FOCUS = "#help-keys"
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for section, keys in KEYS:
            table.add_row(Text(section, style="underline"), "")
            for key, meaning in keys:
                table.add_row(Text(key), Text(meaning))
        with Vertical(classes="dialog", id="help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                yield Static(table)
            yield Label("↑/↓ scroll · Esc closes", classes="dialog-hint")
