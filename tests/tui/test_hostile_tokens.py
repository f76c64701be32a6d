"""A token's symbol is whatever its deployer chose: markup and escape sequences must show as typed,
on the Approval modal and in the History table, and never style or move the terminal."""

from __future__ import annotations

import pytest

from agentwallet.agent import ToolCall
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.history import HistoryScreen
from agentwallet.tui.widgets.history_table import HistoryTable
from tests.conftest import DAVE
from tests.tui.support import ScriptedAgent, add_token, painted, ready, scripted_app, until, until_shown

ONE = 10**6  # one unit of a 6-decimal token

HOSTILE = [
    pytest.param("[b red]0 ETH[/]", "[b red]0 ETH[/]", id="markup"),
    pytest.param("\x1b[31mX", "\\x1b[31mX", id="escape-sequence"),
]


@pytest.mark.parametrize(("symbol", "shown"), HOSTILE)
async def test_a_hostile_symbol_shows_as_typed_on_the_approval_modal_and_in_the_history(home, wallet, symbol, shown):
    token = add_token(wallet, symbol, per_tx=10 * ONE, allowance=100 * ONE, minted=1_000 * ONE)
    request = f"send 1 of my new token to {DAVE}"
    agent = ScriptedAgent({request: ToolCall("send_token", {"token": token.address, "to": DAVE, "amount": str(ONE)},
                                         "sending 1 as you asked")})
    app = scripted_app(home, agent)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c", *request, "enter")
        await until(pilot, lambda: isinstance(app.screen, ApprovalScreen), what="the approval modal")
        dialog = await until_shown(pilot, app.screen.query_one("#dialog"), f"Send 1 {shown} to {DAVE}")
        assert f"1 {shown}  (1000000 base units)" in dialog
        assert f"100 → 99 {shown}" in dialog and f"Per-action cap       10 {shown}" in dialog
        assert "\x1b" not in dialog

        await pilot.press("k", "a")  # "1 of my new token" names no asset the review can hold it to: critical
        await until(pilot, lambda: not app.settling and not isinstance(app.screen, ApprovalScreen))
        await pilot.press("escape", "h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table = app.screen.query_one(HistoryTable)
        await until(pilot, lambda: table.row_count == 1, what="the token transfer in the history")
        assert table.get_row_at(0)[3].plain == f"1 {shown}"  # when, status, kind, amount
        await until(pilot, lambda: f"1 {shown}" in painted(table), what="the row on screen")
        assert "\x1b" not in painted(table)
