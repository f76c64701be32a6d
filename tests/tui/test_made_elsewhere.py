"""The TUI warns when the wallet's agent key acted on chain without the wallet (a leaked key used
with Foundry's cast): on the Wallet screen, with what to do, and in History, on the row itself."""

from __future__ import annotations

from dataclasses import replace

from agentwallet.actions.verification import MadeElsewhere
from agentwallet.chain.events import ChainAction
from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.screens.history import HistoryScreen
from agentwallet.tui.widgets.history_table import HistoryTable
from tests.outside import pay_with_the_leaked_agent_key
from tests.tui.fixed import AGENT, ALICE, NOW, OVERVIEW, ZERO, FixedSession, ReadyModel
from tests.tui.support import ScriptedAgent, painted, ready, scripted_app, until, until_shown


async def test_the_wallet_screen_and_history_warn_of_an_action_made_outside_the_wallet(home, wallet, tmp_path):
    pay_with_the_leaked_agent_key(wallet, tmp_path / "agent.json")
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        warning = app.screen.query_one("#made-elsewhere")
        shown = await until_shown(pilot, warning, "!! 1 action on chain not made by this wallet")
        flat = " ".join(shown.split())  # as the label wraps it
        assert "the agent key executed a native action that this wallet never made (0.001 ETH" in flat
        assert "pause the agent now (press p)" in flat
        await until(pilot, lambda: app.screen.overview is not None, what="the whole overview")
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table = app.screen.query_one(HistoryTable)
        await until(pilot, lambda: table.row_count == 1, what="the history row")
        await until_shown(pilot, app.screen.query_one("#made-elsewhere"),
                          "!! 1 of these actions (marked !) were made with this wallet's keys")
        await until(pilot, lambda: "! executed" in painted(table), what="the row marked !")


async def test_no_warning_when_every_action_was_made_by_the_wallet(home):
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.screen.overview is not None, what="the overview")
        assert not app.screen.query_one("#made-elsewhere").display


async def test_the_wallet_screen_says_what_to_do_in_the_tuis_words():
    leaked = MadeElsewhere(ChainAction("0x" + "11" * 32, 7, 0, "0x" + "22" * 32, NOW, AGENT, 1, ALICE, ZERO, 10**15,
                                       "0x" + "33" * 32, 1), "agent")

    class LeakedSession(FixedSession):
        async def overview(self):
            return replace(OVERVIEW, made_elsewhere=(leaked,))

    app = AgentWalletApp(session=LeakedSession(), agent_factory=lambda progress: ReadyModel(), clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.overview is not None, what="the overview")
        shown = await until_shown(pilot, app.screen.query_one("#made-elsewhere"), "not made by this wallet")
        await pilot.pause()
    flat = " ".join(shown.split())
    assert "pause the agent now (press p)" in flat and "agentwallet" not in flat
