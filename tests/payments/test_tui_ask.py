"""The issue's "done when" in the TUI, without the model: on one devnet, wallet A sells its skill
(served in this process, advertised on its card); wallet B's TUI asks A's agent from the Agents
screen (`b`), sees the price in the Approval modal, approves, and gets A's answer, shown as
typed. A denial pays nothing; a price over B's cap is refused by B's guardrail."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from textual.widgets import DataTable

from agentwallet.actions.history import history
from agentwallet.actions.registrations import own_agent
from agentwallet.actions.verification import verify
from agentwallet.chain.tokens import balance_of
from agentwallet.config import update_config
from agentwallet.tui.screens.agents import AgentsScreen
from agentwallet.tui.screens.answer import AnswerScreen
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.prompt import PromptScreen
from tests.payments.seller import PRICE, serving
from tests.payments.test_serve_card import publish_as
from tests.tui.support import ScriptedAgent, painted, ready, scripted_app, until, until_shown

QUESTION = "translate 'hello' into French"
MARKUP_ANSWER = "[b]bonjour[/b] [link=https://evil.example]click[/link]"  # shown as typed, never styled


def answer(question: str) -> str:
    """A's skill: a fixed answer in markup, so the test sees it shown literally."""
    return MARKUP_ANSWER


def vault_usdc(wallet) -> int:
    return balance_of(wallet.w3, wallet.config.tokens[0].address, wallet.guardrail.address)


def advertised(seller, seller_home, url, monkeypatch, capsys) -> int:
    """A's card, published with the skill at `url`: A's agent id."""
    port = int(url.split(":")[2].split("/")[0])
    update_config(seller_home, lambda config: replace(config, serve=replace(config.serve, port=port)))
    publish_as(seller_home, monkeypatch, capsys)
    return own_agent(seller)


async def ask_in_the_tui(home, agent_id: int, decide: str) -> tuple[str, str, float]:
    """B's TUI: Agents, A's row, `b`, the question, then `decide` ("a" or "d") in the Approval
    modal. What the Approval modal and the answer painted, and the seconds from the question
    sent to the answer shown."""
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AgentsScreen), what="the Agents screen")
        screen = app.screen
        table = screen.query_one("#agents-table", DataTable)
        await until(pilot, lambda: any(e.agent_id == agent_id for e in screen.shown), what="A's agent")
        table.move_cursor(row=next(i for i, e in enumerate(screen.shown) if e.agent_id == agent_id))
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, PromptScreen), what="the question prompt")
        await pilot.press(*QUESTION)
        started = time.monotonic()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ApprovalScreen), what="the payment's approval")
        approval = await until_shown(pilot, app.screen.query_one("#dialog"), "Simulation", "You asked")
        approval = " ".join(painted(app.screen.query_one("#summary")).split()) + "\n" + approval
        await pilot.press(decide)
        await until(pilot, lambda: isinstance(app.screen, AnswerScreen), timeout=60, what="the answer")
        seconds = time.monotonic() - started
        shown = await until_shown(pilot, app.screen, "Esc closes")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, what="back on the Agents screen")
    return approval, shown, seconds


def test_b_asks_as_agent_through_the_agents_screen_approves_and_gets_the_answer(
        seller, seller_home, wallet, home, monkeypatch, capsys):
    a_before, b_before = vault_usdc(seller), vault_usdc(wallet)
    with serving(seller, answer) as (url, earnings, _):
        agent_id = advertised(seller, seller_home, url, monkeypatch, capsys)
        approval, shown, seconds = asyncio.run(ask_in_the_tui(home, agent_id, "a"))
    with capsys.disabled():
        print(f"\nTUI: question to answer on devnet, approved at once, A settling: {seconds:.1f} s")
    asked = url + "?q=translate+%27hello%27+into+French"
    assert f"Pay 0.01 USDC to {seller.guardrail.address} for {asked} (the resource of agent #{agent_id} 'oracle')" \
        in approval
    assert "Paid, and answered" in shown and MARKUP_ANSWER in shown and "evil.example" in shown
    assert vault_usdc(seller) == a_before + PRICE and vault_usdc(wallet) == b_before - PRICE
    assert earnings.answered == 1
    (paid,) = [entry for entry in history(wallet) if entry.tool == "pay_for"]
    assert (paid.kind, paid.status, paid.to, paid.amount) == ("payment", "executed", seller.guardrail.address,
                                                              str(PRICE))
    assert paid.args["url"] == asked and paid.request == f"ask agent #{agent_id}: {QUESTION}"
    for either in (seller, wallet):
        assert verify(either)[1] == []


def test_a_denied_question_pays_nothing_and_gets_no_answer(seller, seller_home, wallet, home, monkeypatch, capsys):
    a_before, b_before = vault_usdc(seller), vault_usdc(wallet)
    with serving(seller, answer) as (url, earnings, _):
        agent_id = advertised(seller, seller_home, url, monkeypatch, capsys)
        _, shown, _ = asyncio.run(ask_in_the_tui(home, agent_id, "d"))
    assert "Denied: nothing was paid" in shown and MARKUP_ANSWER not in shown
    assert vault_usdc(seller) == a_before and vault_usdc(wallet) == b_before and earnings.answered == 0
    (denied,) = [entry for entry in history(wallet) if entry.tool == "pay_for"]
    assert denied.status == "denied" and verify(wallet)[1] == []


def test_a_price_over_bs_cap_is_refused_by_bs_guardrail(seller, seller_home, wallet, home, monkeypatch, capsys):
    cap = wallet.guardrail.token_policy(wallet.agent_address, wallet.config.tokens[0].address).per_tx_max
    a_before, b_before = vault_usdc(seller), vault_usdc(wallet)
    with serving(seller, answer, price=cap + 1) as (url, earnings, _):
        agent_id = advertised(seller, seller_home, url, monkeypatch, capsys)
        approval, shown, _ = asyncio.run(ask_in_the_tui(home, agent_id, "a"))
    assert "✗ would fail: guardrail: over per-tx limit" in approval
    assert "No answer" in shown and "guardrail: over per-tx limit" in shown and MARKUP_ANSWER not in shown
    assert vault_usdc(seller) == a_before and vault_usdc(wallet) == b_before and earnings.answered == 0
    assert verify(wallet)[1] == []
