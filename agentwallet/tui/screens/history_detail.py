"""One action in full: what the chain recorded, what the journal adds, and whether they agree.
An action sent and not mined yet can be sped up (s) or cancelled (c) from here: the screen
answers which, and History carries it out."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label

from agentwallet.actions.entries import moved, recipient, signer
from agentwallet.tui.format import amount, untrusted, untrusted_lines

if TYPE_CHECKING:
    from agentwallet.actions.history import HistoryEntry
    from agentwallet.tui.session import WalletInfo


# Facts whose value holds a 32-byte hash (66 characters): on a narrow terminal it takes a line of its
# own under its name rather than being cut in two mid-word.
HASHES = {"plan", "action id", "tx", "intent hash"}
NARROW = 90  # columns: below this, the value column is narrower than a hash


class HistoryDetailScreen(ModalScreen[str | None]):
    AUTO_FOCUS = "#detail"
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("enter", "dismiss", "Close", show=False),
                Binding("s", "replace('speedup')", "Speed up"), Binding("c", "replace('cancel')", "Cancel it")]

    def __init__(self, entry: HistoryEntry, info: WalletInfo | None):
        super().__init__()
        self.entry = entry
        self.info = info

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self._verdict(), classes="dialog-title")
            with VerticalScroll(id="detail"):
                with Vertical(classes="facts"):
                    for name, value in self._facts():
                        yield Horizontal(Label(name, classes="fact-name"), Label(value, classes="fact-value"),
                                         classes="fact hash" if name in HASHES else "fact")
            if self.replaceable:
                yield Label("Not mined yet: s sends it again at higher fees (same nonce), c cancels it "
                            "(a transfer of nothing to its signer takes the nonce)", classes="dialog-line", id="stuck")
            yield Label("Esc closes", classes="dialog-hint")
        yield Footer(compact=True)

    @property
    def replaceable(self) -> bool:
        """Sent by this wallet and not mined: a speed-up or a cancel can still replace it."""
        return self.entry.pending == "submitted" and self.entry.tool is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.replaceable if action == "replace" else True

    def action_replace(self, kind: str) -> None:
        self.dismiss(kind)

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(".facts").set_class(event.size.width < NARROW, "narrow")

    def _verdict(self) -> Text:
        e = self.entry
        if e.tool is None:
            return Text("Not in this journal: the chain's record only", style="bold")
        if e.verified:
            return Text("✓ verified: the journal hashes to the intent hash on chain", style="bold green")
        return Text("✗ MISMATCH: the journal does not hash to the intent hash on chain", style="bold red")

    def _facts(self) -> list[tuple[str, Text]]:
        e = self.entry
        token, value, proposed = moved(e)
        symbol, decimals = self.info.token_unit(token) if self.info else ("ETH", 18)
        to = recipient(e)
        name = self.info.name_of(to) if self.info and to else None
        facts = [
            ("status", Text(e.state_text, style="bold")),
            ("kind", Text.assemble(untrusted(e.tool or e.kind), f"  (event: {e.kind})" if e.tool else "")),
            ("when", Text(f"{e.timestamp} (signed; not mined yet)" if e.block is None
                          else f"{e.timestamp} (block {e.block})")),
            ("to", Text.assemble(untrusted(name) + " " if name else "", to or "nobody")),
            ("amount", Text.assemble(amount(value, decimals), " ", untrusted(symbol), f"  ({value} base units)",
                                     "  proposed, not moved" if proposed else "")),
            ("token", Text(token or "none (ETH)")),
            ("signed by", Text.assemble(signer(e, self.info.owner, self.info.agent) + " " if self.info else "",
                                        e.actor)),
            *([("plan", Text(f"step {e.step} of plan {e.plan_id}"))] if e.plan_id else []),
            ("action id", Text(e.action_id)),
            ("tx", Text(e.tx_hash)),
            ("intent hash", Text(e.intent_hash)),
        ]
        if e.tool is not None:
            facts += [
                ("tool", untrusted(e.tool)),
                ("request", Text.assemble("“", untrusted_lines(e.request), "”")),
                ("rationale", Text.assemble("“", untrusted_lines(e.rationale), "”")),
                ("arguments", untrusted_lines(json.dumps(e.args, indent=1, sort_keys=True, ensure_ascii=False))),
            ]
        return facts
