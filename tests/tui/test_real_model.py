"""The mission with the real bundled model, through the app's own loader: the model loads in the
background with visible progress while the wallet works; then a person asks for a payment and
approves it, asks for another and denies it, asks a question, and finds both decisions in the
history; and asks for two payments at once, approves the plan, and finds it grouped in the
history. Nothing is scripted: the model plans, the pipeline signs and logs on the real anvil."""

from __future__ import annotations

import shutil

from eth_utils import keccak

from agentwallet.actions import verification
from agentwallet.chain import tokens
from agentwallet.config import cache_dir
from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.plan_approval import PlanApprovalScreen
from agentwallet.tui.widgets.chat import PlanCard, ProposalCard, ToolCard
from tests.conftest import ALICE, BOB
from tests.tui.support import history_rows, until, until_shown

MODEL_LOAD_SECONDS = 300  # the bundled model reads its worked examples at start-up: slow on a busy CI box
TURN_SECONDS = 120
CENTI_ETH = 10**16
USDC = 10**6
PLAN_TOPIC = "0x" + keccak(text="Plan(bytes32,address,bytes32,bytes32[],uint256)").hex()


async def test_with_the_bundled_model_a_person_asks_approves_denies_and_reviews_the_history(home, wallet):
    shutil.rmtree(cache_dir(home), ignore_errors=True)  # a first start: the model reads its openings, slowly
    alice_before = wallet.w3.eth.get_balance(ALICE)
    app = AgentWalletApp(home)
    seen: set[float] = set()
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await until(pilot, lambda: app.chain_state == "online")
        assert app.model_state == "loading"

        def loaded() -> bool:
            seen.add(app.model_progress)
            return app.model_state != "loading"

        await until(pilot, loaded, timeout=MODEL_LOAD_SECONDS, what="the model")
        assert app.model_state == "ready", [n.message for n in app._notifications]
        assert len({p for p in seen if 0 < p < 1}) >= 2  # the bar moved while it loaded

        async def ask(request: str) -> None:
            await pilot.press("c", *request, "enter")
            # pushed is not yet composed: on a busy machine its dialog comes a frame or more later
            await until(pilot, lambda: isinstance(app.screen, ApprovalScreen) and app.screen.query("#dialog"),
                        timeout=TURN_SECONDS, what=f"a proposal for {request!r}")

        async def decide(key: str, state: str) -> None:
            await pilot.press(key)
            await until(pilot, lambda: not isinstance(app.screen, ApprovalScreen))
            card = app.screen.query(ProposalCard).last().query_one(".state")
            await until(pilot, lambda: card.has_class(state), timeout=TURN_SECONDS, what=state)

        await ask("send 0.01 eth to alice")
        await until_shown(pilot, app.screen.query_one("#dialog"), "Send 0.01 ETH to alice")
        await decide("a", "executed")
        assert wallet.w3.eth.get_balance(ALICE) - alice_before == CENTI_ETH

        await pilot.press("escape")
        await ask("pay bob 3.5 usdc")
        await until_shown(pilot, app.screen.query_one("#dialog"), "Send 3.5 USDC to bob")
        await decide("d", "denied")

        await pilot.press("escape", "c", *"what are my balances", "enter")
        chat = app.screen
        await until(pilot, lambda: chat.query(ToolCard) and not chat.turn_running, timeout=TURN_SECONDS,
                    what="the answer")
        # the vault after the payment, read from the chain
        await until_shown(pilot, chat.query(ToolCard).last(), "9.99", "1000")

        _, rows = await history_rows(pilot, 2, "both decisions in the history")
        assert rows[0][1:5] == ["✓ denied", "send_token", "3.5 USDC", "bob"]  # status, kind, amount, to
        assert rows[1][1:5] == ["✓ executed", "send_native", "0.01 ETH", "alice"]


async def test_with_the_bundled_model_a_person_asks_for_two_payments_and_approves_the_plan(home, wallet):
    request = "pay alice 0.01 eth and bob 2 usdc"
    usdc = wallet.config.tokens[0].address
    alice_before, bob_before = wallet.w3.eth.get_balance(ALICE), tokens.balance_of(wallet.w3, usdc, BOB)
    app = AgentWalletApp(home)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until(pilot, lambda: app.model_state != "loading", timeout=MODEL_LOAD_SECONDS, what="the model")
        assert app.model_state == "ready", [n.message for n in app._notifications]
        await pilot.press("c", *request, "enter")
        await until(pilot, lambda: isinstance(app.screen, PlanApprovalScreen) and app.screen.query("#dialog"),
                    timeout=TURN_SECONDS, what="the plan approval modal")
        dialog = app.screen.query_one("#dialog")
        await until_shown(pilot, dialog, "Step 1 of 2  Send 0.01 ETH to alice", "Step 2 of 2  Send 2 USDC to bob")
        assert not app.screen.review.critical_flags
        await pilot.press("a")
        await until(pilot, lambda: not isinstance(app.screen, PlanApprovalScreen))
        state = app.screen.query(PlanCard).last().query_one(".state")
        await until(pilot, lambda: state.has_class("executed"), timeout=TURN_SECONDS, what="the plan executed")

        _, rows = await history_rows(pilot, 3, "the plan and its two steps in the history")
        assert rows[0][1:5] == ["✓ executed", "plan", "", "2 steps"] and rows[0][6] == request
        assert rows[1][1:5] == ["✓ executed", "send_native", "0.01 ETH", "alice"]
        assert rows[2][1:5] == ["✓ executed", "send_token", "2 USDC", "bob"]
    assert wallet.w3.eth.get_balance(ALICE) - alice_before == CENTI_ETH
    assert tokens.balance_of(wallet.w3, usdc, BOB) - bob_before == 2 * USDC
    plans = wallet.w3.eth.get_logs({"address": wallet.guardrail.address, "topics": [PLAN_TOPIC], "fromBlock": 0})
    assert len(plans) == 1
    assert verification.verify(wallet)[1] == []
