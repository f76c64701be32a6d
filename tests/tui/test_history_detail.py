"""The History screen's grouping of plans and the detail view, on fixed data (fixed.py)."""

from __future__ import annotations

from agentwallet.tui.screens.history_detail import HistoryDetailScreen
from agentwallet.tui.widgets.history_table import HistoryTable
from tests.tui.fixed import HISTORY_WITH_A_PLAN, fixed_app
from tests.tui.support import until, until_shown


async def detail_of_the_plans_first_step(size: tuple[int, int]) -> str:
    app = fixed_app(HISTORY_WITH_A_PLAN)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.chain_state == "online")
        await app.switch_mode("history")
        table = app.screen.query_one(HistoryTable)
        await until(pilot, lambda: table.row_count == len(HISTORY_WITH_A_PLAN) + 1)
        assert [table.get_row_at(1)[2].plain, table.get_row_at(2)[6].plain] == ["plan", "  └ step 1"]
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, HistoryDetailScreen))
        return await until_shown(pilot, app.screen.query_one("#detail"), "intent hash")


async def test_a_steps_detail_names_its_plan():
    shown = await detail_of_the_plans_first_step((120, 40))
    assert "plan         step 1 of plan 0x" + "cd" * 32 in shown


async def test_at_80_columns_a_hash_takes_a_line_of_its_own_and_is_never_cut():
    shown = await detail_of_the_plans_first_step((80, 24))
    lines = [line.strip("█ ") for line in shown.splitlines()]
    assert "0x" + "cd" * 32 in lines and "0x" + "0" * 60 + "1007" in lines
    assert "to           alice 0x70997970C51812dc3A010C7d01b50e0d17dc79C8" in lines  # an address fits beside
