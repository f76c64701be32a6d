"""What the TUI tests share: a scripted stand-in for the model's planning step, waiting for the
app to reach a state, reading what a widget paints, and adding a token to a wallet on chain."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.widget import Widget

from agentwallet.actions.wallet import Wallet
from agentwallet.agent import RequestPlan, ToolCall
from agentwallet.chain import tokens, transactions
from agentwallet.config import TokenEntry
from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.screens.history import HistoryScreen
from agentwallet.tui.widgets.history_table import HistoryTable


class ScriptedAgent:
    """Plans exactly what the test scripted for each request, and streams a fixed answer.

    Only for tests about the TUI's flow (what is shown, what keys do, what reaches the chain):
    the model's own planning is tested with the real model in tests/agent. Everything after
    planning (normalising, journaling, simulating, signing, logging) is the real pipeline.
    """

    def __init__(self, plans: dict[str, ToolCall | Sequence[ToolCall]] | None = None,
                 answer: str = "You have 10 ETH in the vault."):
        self.plans = plans or {}
        self.answer_text = answer
        self.requests: list[str] = []

    def plan_request(self, request: str, context: object) -> RequestPlan:
        self.requests.append(request)
        planned = self.plans[request]
        return RequestPlan((planned,) if isinstance(planned, ToolCall) else tuple(planned))

    def answer(self, request: str, facts: Sequence[str], stream: Callable[[str], None] | None = None) -> str:
        for word in self.answer_text.split(" "):
            if stream:
                stream(word + " ")
        return self.answer_text


def scripted_app(home, agent: object, **options) -> AgentWalletApp:
    return AgentWalletApp(home, agent_factory=lambda progress: agent, **options)


async def until(pilot: Pilot, condition: Callable[[], object], timeout: float = 30.0, what: str = "") -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.05)


async def click(pilot: Pilot, selector: str) -> None:
    """Scroll the widget into view, as a user would, then click it once it is on screen and stays
    where it is (a busy machine may take more than a frame to scroll, and a screen still loading
    moves its widgets down as what is above them fills in)."""
    screen = pilot.app.screen
    widget = screen.query_one(selector)
    last = [None]

    def on_screen_and_still() -> bool:
        # what a click at the widget's centre would hit: the widget, not a bar docked over it
        try:
            hit, _ = screen.get_widget_at(*widget.region.center)
        except NoWidget:  # off screen
            hit = None
        if hit is not widget and (hit is None or widget not in hit.ancestors):
            widget.scroll_visible(animate=False)  # again: the layout may have moved since
            return False
        still, last[0] = last[0] == widget.region, widget.region
        return still

    await until(pilot, on_screen_and_still, what=f"{selector} on screen")
    await pilot.click(selector)


async def ready(pilot: Pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.chain_state == "online" and app.model_state == "ready", what="chain and model")


async def open_limits(pilot: Pilot):
    """`l`, then wait for the policy on chain: the form moves down once it is shown."""
    await pilot.press("l")
    await until_shown(pilot, pilot.app.screen.query_one("#policy-table"), "per-action cap")
    return pilot.app.screen


async def until_shown(pilot: Pilot, widget: Widget, *texts: str, timeout: float = 30.0) -> str:
    """Let the app run until `widget` paints every one of `texts` (or, with none, anything at all),
    and return what it paints. A screen just pushed or a widget just updated is drawn a frame or
    more later, later still on a loaded machine; reading it at once can see nothing or the old text."""
    deadline = time.monotonic() + timeout
    while True:
        shown = painted(widget)
        if all(text in shown for text in texts) and (texts or shown.strip()):
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {texts or 'anything'} in {widget!r}, which shows:\n{shown}")
        await pilot.pause(0.05)


async def history_rows(pilot: Pilot, count: int, what: str) -> tuple[HistoryTable, list[list[str]]]:
    """Leave the chat for History (Esc, h), wait until its table holds `count` rows, and return
    the table and each row's cells as plain text."""
    app = pilot.app
    await pilot.press("escape", "h")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    table = app.screen.query_one(HistoryTable)
    await until(pilot, lambda: table.row_count == count, what=what)
    return table, [[cell.plain for cell in table.get_row_at(index)] for index in range(count)]


def painted(widget: Widget) -> str:
    """The text on the terminal inside the widget's region (its children included), line by
    line, styles left out. Read from the screen's compositor: exactly what the user would see."""
    strips = widget.screen._compositor.render_strips()
    region = widget.region
    return "\n".join(strips[y].crop(region.x, region.right).text.rstrip() for y in range(region.y, region.bottom))


def add_token(wallet: Wallet, symbol: str, per_tx: int, allowance: int, minted: int) -> TokenEntry:
    """Deploy a 6-decimal token called `symbol`, mint it to the vault, let the agent move it, and
    add it to the wallet's config (so an app opened on this home knows it)."""
    owner = wallet.account("owner")
    address = tokens.deploy_demo_token(wallet.w3, owner, symbol, 6)
    send_as_owner(wallet, tokens.demo_token(wallet.w3, address).functions.mint(wallet.guardrail.address, minted))
    send_as_owner(wallet, wallet.guardrail.set_token_policy(wallet.agent_address, address, per_tx, allowance))
    entry = TokenEntry(address, symbol, 6)
    wallet.update_config(lambda config: config.with_token(entry))
    return entry


def send_as_owner(wallet: Wallet, call) -> None:
    simulation = transactions.simulate(wallet.w3, call, wallet.owner_address)
    assert simulation.ok, simulation.revert_reason
    signed = transactions.sign(wallet.w3, wallet.account("owner"), call, simulation.gas)
    transactions.broadcast(wallet.w3, signed.raw)
    assert transactions.wait(wallet.w3, signed.tx_hash).ok
