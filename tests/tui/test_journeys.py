"""Whole journeys through the TUI on a real devnet: ask, decide, and find the decision on chain.

The model's planning step is scripted (see support.ScriptedAgent); everything after it is the
real pipeline, signing with the wallet's keys and logging on the shared anvil.
"""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from agentwallet.actions import history
from agentwallet.agent import ToolCall
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.confirm import ConfirmScreen
from agentwallet.tui.screens.history import HistoryScreen, recipient
from agentwallet.tui.screens.limits import LimitsScreen
from agentwallet.tui.widgets.chat import AgentReply, ProposalCard, ToolCard
from agentwallet.tui.widgets.history_table import HistoryTable
from tests.conftest import ALICE, BOB
from tests.tui.support import ScriptedAgent, click, open_limits, painted, ready, scripted_app, until, until_shown

CENTI_ETH = 10**16
PAY_ALICE = "send 0.01 ETH to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def pay_alice_agent() -> ScriptedAgent:
    return ScriptedAgent({PAY_ALICE: ToolCall("send_native", {"to": ALICE, "amount_wei": str(CENTI_ETH)},
                                          "You asked me to send 0.01 ETH to that address.")})


async def ask(pilot, request: str) -> None:
    await pilot.press("c")
    await pilot.press(*request)
    await pilot.press("enter")


async def decide(pilot, key: str) -> ProposalCard:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ApprovalScreen), what="the approval modal")
    await pilot.press(key)
    await until(pilot, lambda: not isinstance(app.screen, ApprovalScreen))
    card = app.screen.query(ProposalCard).last()
    state = card.query_one(".state")
    await until(pilot, lambda: any(state.has_class(s) for s in ("executed", "denied", "failed")),
                what="the decision to be settled")
    return card


def said(app, message: str) -> bool:
    """Whether a notice says `message` now (a notice goes after its timeout: wait for it as it comes)."""
    return any(n.message == message for n in app._notifications)


async def history_rows(pilot) -> HistoryTable:
    app = pilot.app
    await pilot.press("escape", "h")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    table = app.screen.query_one(HistoryTable)
    await until(pilot, lambda: table.row_count > 0, what="history rows")
    return table


async def test_asking_then_approving_executes_and_the_history_shows_it(home, wallet):
    app = scripted_app(home, pay_alice_agent())
    before = wallet.w3.eth.get_balance(ALICE)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, PAY_ALICE)
        card = await decide(pilot, "a")
        assert card.query_one(".state").has_class("executed")
        table = await history_rows(pilot)
        first = [cell.plain for cell in table.get_row_at(0)]
        assert first[1:6] == ["✓ executed", "send_native", "0.01 ETH", "alice", "agent"] and PAY_ALICE in first[6]
    assert wallet.w3.eth.get_balance(ALICE) - before == CENTI_ETH
    [entry] = [e for e in history.history(wallet) if e.request == PAY_ALICE]
    assert (entry.status, entry.kind, entry.verified) == ("executed", "native", True)


async def test_asking_then_denying_moves_nothing_and_the_denial_is_in_the_history(home, wallet):
    app = scripted_app(home, pay_alice_agent())
    before = wallet.w3.eth.get_balance(ALICE)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        await ask(pilot, PAY_ALICE)
        card = await decide(pilot, "d")
        assert card.query_one(".state").has_class("denied")
        # said in words, not hashes: the hashes are on the card
        await until(pilot, lambda: said(app, "Denied: send 0.01 ETH to alice 0x7099…79C8 (logged on chain)"),
                    what="the notice")
        table = await history_rows(pilot)
        assert [cell.plain for cell in table.get_row_at(0)[1:6]] == ["✓ denied", "send_native", "0.01 ETH", "alice",
                                                                     "agent"]
    assert wallet.w3.eth.get_balance(ALICE) == before
    [entry] = [e for e in history.history(wallet) if e.request == PAY_ALICE]
    assert (entry.status, entry.verified) == ("denied", True)


async def test_a_read_is_answered_at_once_with_the_data_shown_on_a_card(home):
    agent = ScriptedAgent({"what is in the vault?": ToolCall("get_balances", {}, "you asked about the vault")},
                          answer="The vault holds 10 ETH and 1000 USDC.")
    app = scripted_app(home, agent)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "what is in the vault?")
        screen = app.screen
        await until(pilot, lambda: screen.query(ToolCard) and not screen.turn_running, what="the answer")
        await until_shown(pilot, screen.query_one(ToolCard), "ETH   10", "USDC  1000")  # a table, not JSON
        await until_shown(pilot, screen.query(AgentReply).last(), "The vault holds 10 ETH and 1000 USDC.")
        assert not isinstance(app.screen, ApprovalScreen)


async def test_setting_limits_confirms_then_the_owner_changes_the_policy(home, wallet):
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        screen = await open_limits(pilot)
        assert isinstance(screen, LimitsScreen)
        screen.query_one("#per-tx", Input).value = "0.2"
        screen.query_one("#allowance", Input).value = "1.5"
        screen.query_one("#period", Input).value = "3600"
        await click(pilot, "#apply-eth")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
        await until_shown(pilot, app.screen, "per-action cap: 0.1 ETH → 0.2 ETH",
                          "allowance per window: 0.5 ETH → 1.5 ETH", "window length: 86400 s (1d) → 3600 s (1h)",
                          "restarts the spending window now")
        await pilot.press("y")
        await until(pilot, lambda: wallet.limits().native.allowance == 3 * 10**18 // 2, what="the new policy")
        await until(pilot, lambda: "1.5 ETH per 3600 s (1h) window" in painted(screen.query_one("#policy-table")),
                    what="the screen to show the new policy")
    policy = wallet.limits().native
    assert (policy.per_tx_max, policy.allowance, policy.period) == (2 * 10**17, 3 * 10**18 // 2, 3600)
    [entry] = [e for e in wallet.journal.entries() if e.tool == "set_limits"]
    assert entry.state == "executed" and entry.executor == "owner"


async def test_cancelling_the_confirmation_changes_nothing(home, wallet):
    app = scripted_app(home, ScriptedAgent())
    before = wallet.limits().native
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await open_limits(pilot)
        app.screen.query_one("#per-tx", Input).value = "0.3"
        await click(pilot, "#apply-eth")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, LimitsScreen))
    assert wallet.limits().native == before


async def test_p_pauses_after_confirming_and_again_resumes(home, wallet):
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the pause confirmation")
        assert "Pause" in app.screen.title_text
        await pilot.press("y")
        await until(pilot, lambda: wallet.limits().paused, what="the pause")
        await until(pilot, lambda: said(app, "Agent paused (logged on chain)"), what="the notice")
        await until(pilot, lambda: not app.settling)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the resume confirmation")
        assert "Resume" in app.screen.title_text
        await pilot.press("y")
        await until(pilot, lambda: not wallet.limits().paused, what="the resume")
        await until(pilot, lambda: said(app, "Agent resumed (logged on chain)"), what="the notice")
        await app.run_action("verify")  # as from the command palette
        await until(pilot, lambda: any(n.title in ("Verified", "Verify") for n in app._notifications), timeout=30,
                    what=f"the verification {[(n.title, n.message) for n in app._notifications]}")
        assert [n.message for n in app._notifications if n.title in ("Verified", "Verify")] == [
            "2 actions checked: each matches the chain."]
    assert [(e.tool, e.state, e.executor) for e in wallet.journal.entries()] == [
        ("pause", "executed", "owner"), ("resume", "executed", "owner")]


async def test_history_filters_by_status_and_recipient_and_exports_csv_and_json(home, wallet):
    agent = ScriptedAgent({
        "pay alice 0.01 eth": ToolCall("send_native", {"to": ALICE, "amount_wei": str(CENTI_ETH)}, "paying as asked"),
        "pay bob 0.01 eth": ToolCall("send_native", {"to": BOB, "amount_wei": str(CENTI_ETH)}, "paying as asked"),
    })
    app = scripted_app(home, agent)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        await ask(pilot, "pay alice 0.01 eth")
        await decide(pilot, "a")
        await pilot.press("escape")
        await ask(pilot, "pay bob 0.01 eth")
        await decide(pilot, "d")
        table = await history_rows(pilot)
        screen = app.screen
        await until(pilot, lambda: table.row_count == 2)

        screen.query_one("#status", Select).value = "denied"
        await until(pilot, lambda: table.row_count == 1)
        assert [recipient(e) for e in screen.shown] == [BOB]

        screen.query_one("#status", Select).clear()
        screen.query_one("#recipient", Input).value = ALICE[:8].lower()
        await until(pilot, lambda: [recipient(e) for e in screen.shown] == [ALICE])

        await pilot.press("e")
        await until(pilot, lambda: any("Exported" in n.message for n in app._notifications))
        await pilot.press("j")
        await until(pilot, lambda: sum("Exported" in n.message for n in app._notifications) == 2)
    exports = sorted((home / "exports").iterdir())
    assert [p.suffix for p in exports] == [".csv", ".json"]
    csv_lines = exports[0].read_text().splitlines()
    assert len(csv_lines) == 2 and ALICE in csv_lines[1]
    [exported] = json.loads(exports[1].read_text())
    assert exported["to"] == ALICE and exported["status"] == "executed" and exported["request"] == "pay alice 0.01 eth"


async def test_what_the_wallet_does_not_know_is_said_in_the_tuis_words_never_as_a_command(home):
    agent = ScriptedAgent({"pay dave 1 eth": ToolCall("send_native", {"to": "dave", "amount_wei": str(CENTI_ETH)},
                                                      "dave"),
                           "send 1 DAI to alice": ToolCall("send_token", {"token": "DAI", "to": ALICE, "amount": "1"},
                                                           "DAI")})
    app = scripted_app(home, agent)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        for request, said_instead in (("pay dave 1 eth", "unknown contact 'dave': add it in Settings (s)"),
                                      ("send 1 DAI to alice", "unknown token 'DAI': Settings (s) lists the known")):
            await pilot.press("escape")  # out of the request box, so that c is a key
            await ask(pilot, request)
            reply = app.screen.query(AgentReply).last()
            shown = await until_shown(pilot, reply, said_instead)
            assert "agentwallet" not in shown
            await until(pilot, lambda: not app.screen.turn_running)
        assert not any("agentwallet " in n.message for n in app._notifications)
