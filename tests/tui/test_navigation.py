"""Keys, help, the command palette, quitting, and the screens' own small tools, on fixed data."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from textual.command import CommandList, CommandPalette
from textual.widgets import Footer, Input
from textual.widgets._toast import Toast

from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.commands import COMMANDS
from agentwallet.tui.screens.agent import AgentScreen
from agentwallet.tui.screens.agents import AgentsScreen
from agentwallet.tui.screens.confirm import ConfirmScreen
from agentwallet.tui.screens.help import HelpScreen
from agentwallet.tui.screens.history import HistoryScreen
from agentwallet.tui.screens.history_detail import HistoryDetailScreen
from agentwallet.tui.screens.limits import LimitsScreen
from agentwallet.tui.screens.publish_card import PublishCardScreen
from agentwallet.tui.screens.settings import SettingsScreen
from agentwallet.tui.screens.wallet import WalletScreen
from agentwallet.tui.widgets.chat import AgentReply
from agentwallet.tui.widgets.history_table import HistoryTable
from tests.tui.fixed import HISTORY, LIMITS, NOW, OVERVIEW, FixedSession, fixed_app
from tests.tui.support import painted, until, until_shown


async def loaded(pilot) -> None:
    await until(pilot, lambda: pilot.app.chain_state == "online" and pilot.app.model_state == "ready")


def test_every_key_of_the_app_is_also_a_command_in_the_palette():
    palette = {command.action for command in COMMANDS}
    assert {binding.action for binding in AgentWalletApp.BINDINGS} <= palette


async def test_the_screen_keys_switch_screens_and_c_focuses_the_chat_input():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key, screen in (("l", LimitsScreen), ("h", HistoryScreen), ("a", AgentsScreen), ("s", SettingsScreen),
                            ("w", WalletScreen)):
            await pilot.press("escape", key)  # Esc first: Limits and Settings arrive in their first field
            assert isinstance(app.screen, screen)
        await pilot.press("c")
        assert isinstance(app.screen, AgentScreen) and app.focused.id == "ask"
        await pilot.press("h")  # typed into the chat input, not a screen switch
        assert isinstance(app.screen, AgentScreen) and app.focused.value == "h"
        await pilot.press("escape", "h")
        assert isinstance(app.screen, HistoryScreen)


async def test_the_palettes_publish_opens_the_card_form_filled_in_with_the_published_card():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await app.run_action("publish_card")  # as from the command palette, before the screen has read anything
        await until(pilot, lambda: isinstance(app.screen, PublishCardScreen), what="the card form")
        assert app.screen.query_one("#card-name", Input).value == "agentwallet" and app.focused.id == "card-name"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AgentsScreen))


async def test_a_form_screen_arrives_in_its_first_field_and_esc_leaves_it():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key, first, other_key in (("l", "per-tx", "h"), ("s", "contact-name", "w")):
            await pilot.press(key)
            await until(pilot, lambda first=first: app.focused is not None and app.focused.id == first)
            await until_shown(pilot, app.screen.query_one(Footer), "esc Leave field")
            await pilot.press(other_key, "question_mark")  # typed into the field: it has the focus
            assert app.focused.value == other_key + "?" and not isinstance(app.screen, HelpScreen)
            app.focused.clear()
            await pilot.press("escape")
            assert not isinstance(app.focused, Input)
            await pilot.press(other_key)
            assert not isinstance(app.screen, (LimitsScreen, SettingsScreen))


async def test_after_a_dialog_what_is_typed_in_the_chat_is_a_request_not_a_key():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("c", "escape", "p")  # out of the box, p asks to pause
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, AgentScreen))
        await pilot.press(*"pay bob")
        assert isinstance(app.screen, AgentScreen) and app.screen.query_one("#ask", Input).value == "pay bob"


async def test_a_notice_never_covers_the_field_being_typed_in():
    app = fixed_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        for key, field in (("c", "ask"), ("escape", None), ("s", "contact-name"), ("l", "per-tx")):
            await pilot.press(key)
            await until(pilot, lambda field=field: app.focused is not None and app.focused.id == field if field
                        else not isinstance(app.focused, Input))
            app.notify("A notice two lines long at eighty columns: it must find room elsewhere.", title="Notice")
            await until(pilot, lambda: len(app.screen.query(Toast)) == len(app._notifications))
            await pilot.pause(0.1)
            if field:
                for toast in app.screen.query(Toast):
                    assert not toast.region.overlaps(app.focused.region), (key, toast.region, app.focused.region)
            app.clear_notifications()
            if field:
                await pilot.press("escape")


async def test_at_80_columns_every_screens_footer_keeps_help_and_quit():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key in ("w", "c", "l", "h", "s"):
            await pilot.press("escape", key, "escape")  # out of the field a screen arrives in
            await until_shown(pilot, app.screen.query_one(Footer), "? Help", "q Quit")


async def test_the_footer_says_resume_while_the_agent_is_paused():
    class PausedSession(FixedSession):
        async def overview(self):
            return replace(OVERVIEW, limits=replace(LIMITS, paused=True))

    app = AgentWalletApp(session=PausedSession(), agent_factory=lambda progress: object(), clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        shown = await until_shown(pilot, app.screen.query_one(Footer), "p Resume")
        assert "Pause" not in shown


async def test_thinking_counts_the_seconds_and_esc_cancels_the_request():
    class SlowSession(FixedSession):
        async def take_turn(self, agent, request, stream, progress):
            await asyncio.sleep(60)  # a model still planning
            raise AssertionError("the cancelled turn went on")

    app = AgentWalletApp(session=SlowSession(), agent_factory=lambda progress: object(), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("c", *"what is my balance?", "enter")
        reply = app.screen.query(AgentReply).last()
        await until_shown(pilot, reply, "thinking… 1s", "esc cancels")
        await until_shown(pilot, app.screen.query_one(Footer), "esc Cancel request")
        await pilot.press("escape")
        await until_shown(pilot, reply, "cancelled: nothing was proposed")
        assert not app.screen.turn_running and app.focused.id == "ask"  # the next request can be typed
        await until_shown(pilot, app.screen.query_one(Footer), "esc Leave field")


async def test_enter_in_a_limits_field_sends_the_form_to_its_confirmation():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("l")
        await until(pilot, lambda: app.screen.limits is not None)
        await pilot.press(*"0.2", "enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
        await until_shown(pilot, app.screen, "per-action cap: 0.1 ETH → 0.2 ETH")


async def test_question_mark_lists_the_keys():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        shown = painted(app.screen)
        help_keys = app.screen.query_one("#help-keys")
        for key in ("a ", "d ", "l ", "h ", "w ", "c ", "p ", "q ", "ctrl+p", "tab", "esc", "del", "r "):
            while key not in shown and help_keys.scroll_y < help_keys.max_scroll_y:  # at 80×24 it scrolls
                help_keys.scroll_down(animate=False)
                await pilot.pause()
                shown += painted(app.screen)
            assert key in shown, key
        await pilot.press("escape")
        assert isinstance(app.screen, WalletScreen)


async def test_the_command_palette_finds_an_action_by_the_word_a_person_types():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for typed, wanted in (("contact", "Add a contact"), ("verify", "Verify the journal against the chain"),
                              ("model", "Use another model"), ("keystore", "Export the owner keystore"),
                              ("limits", "Change the ETH limits")):
            await pilot.press("escape", "ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*typed)
            hits = app.screen.query_one(CommandList)

            def found(hits=hits, wanted=wanted) -> bool:
                return any(wanted in str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count))

            await until(pilot, found, what=f"{wanted} among the hits for {typed}")
            await pilot.press("escape")
        await pilot.press("ctrl+p", *"add a contact")
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "contact-name",
                    what="Settings, in the new contact's name")


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
        assert "send_native  (event: record)" in shown and f"agent {HISTORY[1].actor}" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)
