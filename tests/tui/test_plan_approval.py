"""Plans in the TUI on a real devnet: one request, two actions, decided in the Plan approval modal
and carried out by the real pipeline; the chain holds each step and one record of the plan.

The model's planning is scripted (support.ScriptedAgent plans both calls at once); alice and
bob are the wallet's contacts, USDC its demo token.
"""

from __future__ import annotations

from eth_utils import keccak
from textual.widgets import Button

from agentwallet.actions import history, verification
from agentwallet.agent import ToolCall
from agentwallet.chain import tokens
from agentwallet.tui.screens.history_detail import HistoryDetailScreen
from agentwallet.tui.screens.plan_approval import KEEP_A_STEP, PlanApprovalScreen
from agentwallet.tui.widgets.chat import PlanCard
from tests.conftest import ALICE, BOB
from tests.tui.support import ScriptedAgent, history_rows, painted, ready, scripted_app, until, until_shown

CENTI_ETH = 10**16
USDC = 10**6
PAY_BOTH = "pay alice 0.01 eth and bob 2 usdc"
OVERPAY = "pay alice 0.01 eth and bob 20 usdc"  # the plan pays bob 2: a critical flag
PLAN_TOPIC = "0x" + keccak(text="Plan(bytes32,address,bytes32,bytes32[],uint256)").hex()


def plan_agent() -> ScriptedAgent:
    both = [ToolCall("send_native", {"to": ALICE, "amount_wei": str(CENTI_ETH)}, "alice, 0.01 ETH as asked"),
            ToolCall("send_token", {"token": "USDC", "to": BOB, "amount": str(2 * USDC)}, "bob, 2 USDC as asked")]
    return ScriptedAgent({PAY_BOTH: both, OVERPAY: both})


def usdc_of(wallet, who: str) -> int:
    return tokens.balance_of(wallet.w3, wallet.config.tokens[0].address, who)


def plan_records(wallet) -> list:
    return wallet.w3.eth.get_logs({"address": wallet.guardrail.address, "topics": [PLAN_TOPIC], "fromBlock": 0})


def said(app, message: str) -> bool:
    return any(n.message == message for n in app._notifications)


async def ask_for_a_plan(pilot, request: str = PAY_BOTH) -> PlanApprovalScreen:
    app = pilot.app
    await ready(pilot)
    await pilot.press("c", *request, "enter")
    await until(pilot, lambda: isinstance(app.screen, PlanApprovalScreen) and app.screen.query("#dialog"),
                what="the plan approval modal")
    await until_shown(pilot, app.screen.query_one("#dialog"), "Step 2 of 2")
    return app.screen


async def settled(pilot) -> PlanCard:
    app = pilot.app
    await until(pilot, lambda: not isinstance(app.screen, PlanApprovalScreen))
    card = app.screen.query(PlanCard).last()
    state = card.query_one(".state")
    await until(pilot, lambda: any(state.has_class(s) for s in ("executed", "denied", "failed")),
                what="the plan to be settled")
    return card


async def test_the_modal_shows_each_step_decoded_and_what_the_whole_plan_leaves_in_the_window(home, wallet):
    async with scripted_app(home, plan_agent()).run_test(size=(120, 40)) as pilot:
        screen = await ask_for_a_plan(pilot)
        shown = painted(screen.query_one("#dialog"))
        details = screen.query_one("#details")
        details.scroll_end(animate=False)
        shown += await until_shown(pilot, details, "The whole plan", "98 USDC")
    assert "The agent proposes a plan of 2 steps — approve?" in shown
    assert "Step 1 of 2  Send 0.01 ETH to alice 0x7099…79C8" in shown
    assert "Step 2 of 2  Send 2 USDC to bob 0x3C44…93BC" in shown
    assert "Guardrail.send_native(" in shown and "to=0x70997970C51812dc3A010C7d01b50e0d17dc79C8," in shown
    assert "Per-action cap       0.1 ETH" in shown  # each step's, as the Approval modal shows it
    assert "Left in this window  0.5 → 0.49 ETH" in shown  # the whole plan's, once per asset
    assert "Left in this window  100 → 98 USDC" in shown
    assert "Approve all (a)" in shown and "Deny all (d)" in shown


async def test_approving_the_whole_plan_executes_both_steps_and_records_the_plan_once(home, wallet):
    app = scripted_app(home, plan_agent())
    eth_before, usdc_before = wallet.w3.eth.get_balance(ALICE), usdc_of(wallet, BOB)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ask_for_a_plan(pilot)
        await pilot.press("a")
        card = await settled(pilot)
        assert card.query_one(".state").has_class("executed")
        assert [label.has_class("executed") for label in card.query(".step-state")] == [True, True]
        await until(pilot, lambda: said(app, "Paid: 0.01 ETH to alice, 2 USDC to bob (logged on chain)"),
                    what="the notice")
    assert wallet.w3.eth.get_balance(ALICE) - eth_before == CENTI_ETH
    assert usdc_of(wallet, BOB) - usdc_before == 2 * USDC
    assert len(plan_records(wallet)) == 1
    steps = [e for e in history.history(wallet) if e.request == PAY_BOTH]
    assert sorted((e.step, e.status) for e in steps) == [(1, "executed"), (2, "executed")]
    assert verification.verify(wallet)[1] == []


async def test_a_step_dropped_is_denied_and_the_other_is_carried_out(home, wallet):
    app = scripted_app(home, plan_agent())
    usdc_before = usdc_of(wallet, BOB)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await ask_for_a_plan(pilot)
        await pilot.press("2")
        assert screen.kept == [True, False]
        await until_shown(pilot, screen.query_one("#buttons"), "Approve 1 of 2 (a)")
        await pilot.press("a")
        card = await settled(pilot)
        first, second = card.query(".step-state")
        assert first.has_class("executed") and second.has_class("denied")
        await until(pilot, lambda: said(app, "Paid: 0.01 ETH to alice; denied step 2 (2 USDC to bob) "
                                             "(logged on chain)"), what="the notice")
        table, rows = await history_rows(pilot, 3, "the plan's rows")
        # the plan's row holds the request, its steps under it in the plan's order, each verified
        assert rows[0][1:5] == ["✓ mixed", "plan", "", "2 steps"] and rows[0][6] == PAY_BOTH
        assert rows[1][1:5] == ["✓ executed", "send_native", "0.01 ETH", "alice"] and rows[1][6] == "  └ step 1"
        assert rows[2][1:5] == ["✓ denied", "send_token", "2 USDC", "bob"] and rows[2][6] == "  └ step 2"
        table.focus()
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, HistoryDetailScreen))
        plan_id = app.screen.entry.plan_id
        await until_shown(pilot, app.screen.query_one("#detail"), "step 2 of plan 0x")
    assert usdc_of(wallet, BOB) == usdc_before
    steps = {e.step: e.status for e in history.history(wallet) if e.request == PAY_BOTH}
    assert steps == {1: "executed", 2: "denied"}
    assert len(plan_records(wallet)) == 1
    assert plan_records(wallet)[0]["topics"][1].hex().removeprefix("0x") == plan_id.removeprefix("0x")


async def test_space_on_a_step_drops_it_and_dropping_every_step_leaves_nothing_to_approve(home, wallet):
    app = scripted_app(home, plan_agent())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await ask_for_a_plan(pilot)
        assert app.focused.id == "step-1"
        await pilot.press("space", "2")
        assert screen.kept == [False, False]
        await until_shown(pilot, screen.query_one("#buttons"), "Approve (keep a step)")
        await pilot.press("a")
        assert said(app, KEEP_A_STEP) and isinstance(app.screen, PlanApprovalScreen)
        await pilot.press("1", "d")
        await settled(pilot)


async def test_denying_the_plan_moves_nothing_and_logs_every_step_denied(home, wallet):
    app = scripted_app(home, plan_agent())
    eth_before = wallet.w3.eth.get_balance(ALICE)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ask_for_a_plan(pilot)
        await pilot.press("escape")
        card = await settled(pilot)
        assert card.query_one(".state").has_class("denied")
        await until(pilot, lambda: said(app, "Denied: plan of 2 steps (logged on chain)"), what="the notice")
    assert wallet.w3.eth.get_balance(ALICE) == eth_before
    steps = {e.step: e.status for e in history.history(wallet) if e.request == PAY_BOTH}
    assert steps == {1: "denied", 2: "denied"}
    assert len(plan_records(wallet)) == 1


async def test_a_plan_with_a_critical_flag_needs_k_before_a(home, wallet):
    app = scripted_app(home, plan_agent())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await ask_for_a_plan(pilot, OVERPAY)
        assert screen.review.critical_flags
        assert screen.query_one("#approve", Button).disabled
        assert "Approve (k first)" in painted(screen.query_one("#buttons"))
        assert "!! " in painted(screen.query_one("#details"))
        await pilot.press("a")
        assert said(app, "Acknowledge the flags marked !! with k first")
        assert isinstance(app.screen, PlanApprovalScreen)
        await pilot.press("k")
        await until_shown(pilot, screen.query_one("#buttons"), "Approve all (a)")
        await pilot.press("a")
        card = await settled(pilot)
        assert card.query_one(".state").has_class("executed")
