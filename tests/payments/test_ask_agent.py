"""Asking another agent in words, with the real bundled model: `ask "ask agent #N to …"` and the
TUI's chat plan an ask_agent call, whose skill's price is met and decided as `pay`'s is: A's
skill is served in this process and advertised on A's card, B asks it."""

from __future__ import annotations

import asyncio
import json

from agentwallet.cli import main
from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.screens.answer import AnswerScreen
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.widgets.chat import AgentReply
from tests.payments.seller import PRICE, serving
from tests.payments.test_tui_ask import MARKUP_ANSWER, advertised, answer, vault_usdc
from tests.tui.support import until, until_shown

MODEL_SECONDS = 300  # loading and planning with the real model on a busy 2-core machine


def asked(agent_id: int) -> str:
    return f"ask agent #{agent_id} to translate 'hello' into French"


def test_ask_yes_pays_within_max_and_prints_the_answer(seller, seller_home, wallet, monkeypatch, capsys):
    a_before, b_before = vault_usdc(seller), vault_usdc(wallet)
    with serving(seller, answer) as (url, earnings, _):
        agent_id = advertised(seller, seller_home, url, monkeypatch, capsys)
        code = main(["ask", asked(agent_id), "--yes", "--json"])  # no --max: nothing is asked
        refused = capsys.readouterr()
        unpaid = vault_usdc(wallet)
        code_paid = main(["ask", asked(agent_id), "--max", "0.01", "--yes", "--json"])
        paid = json.loads(capsys.readouterr().out)
    assert code == 1 and "--yes needs --max" in refused.err and unpaid == b_before
    assert code_paid == 0 and paid["status"] == "paid" and paid["response"] == {"answer": MARKUP_ANSWER}
    assert paid["url"] == url + "?q=translate+%27hello%27+into+French"
    assert vault_usdc(seller) == a_before + PRICE and vault_usdc(wallet) == b_before - PRICE
    assert earnings.answered == 1
    assert wallet.journal.get(paid["payment"]["action_id"]).request == asked(agent_id)


async def chat(home, request: str) -> tuple[str, str]:
    """B's TUI with the real model: the request in the chat, approved; what the Approval modal
    and the chat's reply painted."""
    app = AgentWalletApp(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.model_state == "ready" and app.chain_state == "online",
                    timeout=MODEL_SECONDS, what="the model and the chain")
        await pilot.press("c", *request, "enter")
        await until(pilot, lambda: isinstance(app.screen, ApprovalScreen), timeout=MODEL_SECONDS, what="the price")
        approval = await until_shown(pilot, app.screen.query_one("#dialog"), "Simulation")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AnswerScreen), timeout=60, what="the answer")
        await pilot.press("escape")
        reply = app.screen.query(AgentReply).last()
        said = await until_shown(pilot, reply, "bonjour")
    return approval, said


def test_in_the_chat_a_question_for_another_agent_is_paid_once_approved(seller, seller_home, wallet, home,
                                                                        monkeypatch, capsys):
    a_before = vault_usdc(seller)
    with serving(seller, answer) as (url, earnings, _):
        agent_id = advertised(seller, seller_home, url, monkeypatch, capsys)
        approval, said = asyncio.run(chat(home, asked(agent_id)))
    assert "Pay 0.01 USDC to" in approval and "the resource of agent" in approval
    assert MARKUP_ANSWER in said  # shown as typed
    assert vault_usdc(seller) == a_before + PRICE and earnings.answered == 1
