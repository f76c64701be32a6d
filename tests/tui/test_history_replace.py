"""History's action detail offers to speed up or cancel an action sent and not mined, and
carries it out once confirmed: on the real devnet, the payment left behind by a base fee far
above its offer (tests/test_stuck.py)."""

from __future__ import annotations

from agentwallet.tui.screens.confirm import ConfirmScreen
from agentwallet.tui.screens.history import HistoryScreen
from agentwallet.tui.screens.history_detail import HistoryDetailScreen
from agentwallet.tui.widgets.history_table import HistoryTable
from tests.conftest import ALICE
from tests.test_stuck import AMOUNT, left_behind
from tests.tui.support import ScriptedAgent, painted, ready, scripted_app, until


async def open_detail_of_the_newest(app, pilot) -> HistoryDetailScreen:
    await until(pilot, lambda: app.screen.overview is not None, what="the overview")
    await pilot.press("h")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    table = app.screen.query_one(HistoryTable)
    await until(pilot, lambda: "✓ pending" in painted(table), what="the row of the payment not mined")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, HistoryDetailScreen), what="the detail")
    return app.screen


async def test_a_stuck_payment_is_sped_up_from_its_detail_and_executes_once(home, wallet, monkeypatch):
    with left_behind(wallet, monkeypatch) as action_id:
        before = wallet.w3.eth.get_balance(ALICE)
        app = scripted_app(home, ScriptedAgent())
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            detail = await open_detail_of_the_newest(app, pilot)
            assert detail.entry.action_id == action_id
            assert "s sends it again at higher fees" in painted(detail.query_one("#stuck"))
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
            await pilot.press("y")
            await until(pilot, lambda: wallet.journal.get(action_id).state == "executed", what="the speed-up mined")
        assert [tx.purpose for tx in wallet.journal.sent_for(action_id)] == ["action", "speedup"]
        assert wallet.w3.eth.get_balance(ALICE) - before == AMOUNT


async def test_a_stuck_payment_is_cancelled_from_its_detail_and_nothing_moves(home, wallet, monkeypatch):
    with left_behind(wallet, monkeypatch) as action_id:
        before = wallet.w3.eth.get_balance(ALICE)
        app = scripted_app(home, ScriptedAgent())
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await open_detail_of_the_newest(app, pilot)
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
            await pilot.press("y")
            await until(pilot, lambda: wallet.journal.get(action_id).state == "failed", what="the cancel mined")
        assert wallet.journal.get(action_id).error.startswith("cancelled: ")
        assert wallet.w3.eth.get_balance(ALICE) == before


async def test_a_settled_actions_detail_offers_neither(home, wallet):
    from agentwallet.actions import pipeline
    from tests.conftest import proposal

    p = proposal(wallet, "send_native", to=ALICE, amount_wei=AMOUNT)
    assert pipeline.settle(wallet, pipeline.propose(wallet, p), True).state == "executed"
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.screen.overview is not None, what="the overview")
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await until(pilot, lambda: app.screen.query_one(HistoryTable).row_count == 1, what="the row")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HistoryDetailScreen), what="the detail")
        assert not app.screen.query("#stuck")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, HistoryDetailScreen)  # nothing to speed up: s does nothing
