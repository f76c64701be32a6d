"""SVG snapshots of every screen and of the Approval modals, at 80×24 unless named, from fixed
data (fixed.py).

`pytest tests/tui/test_snapshots.py --snapshot-update` rewrites them after a deliberate change;
look at the report before accepting it.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.plan_approval import PlanApprovalScreen
from agentwallet.tui.widgets.history_table import HistoryTable
from tests.tui.fixed import AGENTS, HISTORY, HISTORY_WITH_A_PLAN, fixed_app, plan_review, review
from tests.tui.support import until


async def loaded(pilot: Pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.chain_state == "online" and app.model_state == "ready")


def on(mode: str, ready_when=lambda screen: True):
    async def run_before(pilot: Pilot) -> None:
        await loaded(pilot)
        await pilot.app.switch_mode(mode)
        await until(pilot, lambda: ready_when(pilot.app.screen))
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a focused field's cursor would blink between snapshots
        await pilot.pause()

    return run_before


def test_wallet_screen(snap_compare):
    assert snap_compare(fixed_app(), run_before=on("wallet", lambda screen: screen.overview is not None))


def test_agent_screen_with_a_streamed_answer_and_its_tool_card(snap_compare):
    async def run_before(pilot: Pilot) -> None:
        await on("agent")(pilot)
        ask = pilot.app.screen.query_one("#ask", Input)
        ask.cursor_blink = False
        await pilot.press(*"what is my balance?", "enter")
        await until(pilot, lambda: pilot.app.screen.query("ToolCard") and not pilot.app.screen.turn_running)

    assert snap_compare(fixed_app(), run_before=run_before)


def test_limits_screen(snap_compare):
    assert snap_compare(fixed_app(), run_before=on("limits", lambda screen: screen.limits is not None))


def test_history_screen(snap_compare):
    def filled(screen) -> bool:
        return screen.query_one(HistoryTable).row_count == len(HISTORY)

    assert snap_compare(fixed_app(), run_before=on("history", filled))


def test_agents_screen(snap_compare):
    def filled(screen) -> bool:
        return screen.query_one("#agents-table", DataTable).row_count == len(AGENTS.agents)

    assert snap_compare(fixed_app(), run_before=on("agents", filled))


def test_an_agents_detail(snap_compare):
    async def run_before(pilot: Pilot) -> None:
        await on("agents", lambda screen: screen.query_one("#agents-table", DataTable).row_count)(pilot)
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: getattr(pilot.app.screen, "fresh", None) is not None)
        await pilot.pause()

    assert snap_compare(fixed_app(), run_before=run_before)


def test_history_screen_with_a_plan_grouped_under_its_request(snap_compare):
    def filled(screen) -> bool:
        return screen.query_one(HistoryTable).row_count == len(HISTORY_WITH_A_PLAN) + 1  # + the plan's row

    assert snap_compare(fixed_app(HISTORY_WITH_A_PLAN), run_before=on("history", filled), terminal_size=(120, 40))


def test_history_detail_of_a_plans_step(snap_compare):
    async def run_before(pilot: Pilot) -> None:
        await on("history", lambda screen: screen.query_one(HistoryTable).row_count)(pilot)
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: pilot.app.screen.query("#detail"))
        await pilot.pause()

    assert snap_compare(fixed_app(HISTORY_WITH_A_PLAN), run_before=run_before)


def test_settings_screen(snap_compare):
    def shown(screen) -> bool:
        return screen.query_one("#contacts-table", DataTable).row_count == 2

    assert snap_compare(fixed_app(), run_before=on("settings", shown))


def test_approval_modal(snap_compare):
    async def run_before(pilot: Pilot) -> None:
        await on("agent")(pilot)
        pilot.app.screen.query_one("#ask", Input).cursor_blink = False
        await pilot.app.push_screen(ApprovalScreen(review()))

    assert snap_compare(fixed_app(), run_before=run_before)


def test_approval_modal_with_critical_flags_unacknowledged(snap_compare):
    async def run_before(pilot: Pilot) -> None:
        await on("wallet", lambda screen: screen.overview is not None)(pilot)
        await pilot.app.push_screen(ApprovalScreen(review(critical=True)))

    assert snap_compare(fixed_app(), run_before=run_before)


def test_plan_approval_modal_at_120_columns(snap_compare):
    async def run_before(pilot: Pilot) -> None:
        await on("wallet", lambda screen: screen.overview is not None)(pilot)
        await pilot.app.push_screen(PlanApprovalScreen(plan_review()))

    assert snap_compare(fixed_app(), run_before=run_before, terminal_size=(120, 40))


def test_plan_approval_modal_with_a_critical_flag_and_a_step_dropped(snap_compare):
    async def run_before(pilot: Pilot) -> None:
        await on("wallet", lambda screen: screen.overview is not None)(pilot)
        await pilot.app.push_screen(PlanApprovalScreen(plan_review(critical=True)))
        await pilot.press("2")

    assert snap_compare(fixed_app(), run_before=run_before)


def test_help(snap_compare):
    assert snap_compare(fixed_app(), run_before=on("wallet", lambda screen: screen.overview is not None),
                        press=["question_mark"])
