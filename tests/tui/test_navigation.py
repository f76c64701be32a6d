"""Keys, help, the command palette, quitting, and the screens' own small tools, on fixed data."""

from __future__ import annotations

from textual.command import CommandPalette

from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.commands import COMMANDS
from agentwallet.tui.screens.agent import AgentScreen
from agentwallet.tui.screens.confirm import ConfirmScreen
from agentwallet.tui.screens.help import HelpScreen
from agentwallet.tui.screens.history import HistoryScreen
from agentwallet.tui.screens.history_detail import HistoryDetailScreen
from agentwallet.tui.screens.limits import LimitsScreen
from agentwallet.tui.screens.settings import SettingsScreen
from agentwallet.tui.screens.wallet import WalletScreen
from agentwallet.tui.widgets.history_table import HistoryTable
from tests.tui.fixed import HISTORY, fixed_app
from tests.tui.support import painted, until


async def loaded(pilot) -> None:
    await until(pilot, lambda: pilot.app.chain_state == "online" and pilot.app.model_state == "ready")


def test_every_key_of_the_app_is_also_a_command_in_the_palette():
    palette = {action for _, _, action in COMMANDS}
    assert {binding.action for binding in AgentWalletApp.BINDINGS} <= palette


async def test_the_screen_keys_switch_screens_and_c_focuses_the_chat_input():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key, screen in (("l", LimitsScreen), ("h", HistoryScreen), ("s", SettingsScreen), ("w", WalletScreen)):
            await pilot.press(key)
            assert isinstance(app.screen, screen)
        await pilot.press("c")
        assert isinstance(app.screen, AgentScreen) and app.focused.id == "ask"
        await pilot.press("h")  # typed into the chat input, not a screen switch
        assert isinstance(app.screen, AgentScreen) and app.focused.value == "h"
        await pilot.press("escape", "h")
        assert isinstance(app.screen, HistoryScreen)


async def test_question_mark_lists_the_keys():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        shown = painted(app.screen)
        for key in ("a ", "d ", "l ", "h ", "w ", "c ", "p ", "q ", "ctrl+p"):
            assert key in shown
        await pilot.press("escape")
        assert isinstance(app.screen, WalletScreen)


async def test_the_command_palette_runs_the_apps_actions():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"History")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), what="the History screen")


async def test_q_quits_at_once_when_nothing_is_being_sent():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 0


async def test_q_asks_first_while_an_approved_action_is_being_sent():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.settling = 1
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert app.is_running and isinstance(app.screen, WalletScreen)
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running)


async def test_enter_on_a_history_row_shows_the_journal_rationale_and_the_verified_mark():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("h")
        table = app.screen.query_one(HistoryTable)
        await until(pilot, lambda: table.row_count == len(HISTORY))
        table.focus()
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, HistoryDetailScreen))
        await pilot.pause()
        shown = painted(app.screen)
        assert "✓ verified" in shown
        assert "“Carol sent an invoice.”" in shown and "“pay carol 0.09”" in shown
        assert HISTORY[1].action_id[:40] in shown
        assert "0.09 ETH  (90000000000000000 base units)  proposed, not moved" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)
