"""Asking another agent's paid skill from the TUI, without the model: the question typed, the
skill's price met and shown in the Approval modal, the decision carried out (logged on chain),
the answer shown. The chat's turns that ask another agent (conversation.ask_agent) end the same
way (settle_asked). The wallet thread does the fetching and paying (session.ask_agent,
complete_payment); the screens only show and ask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentwallet.errors import WalletError
from agentwallet.tui.screens.answer import AnswerScreen
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.prompt import PromptScreen

if TYPE_CHECKING:
    from agentwallet.payments.pay import Payment, Quote
    from agentwallet.tui.app import AgentWalletApp

HINT = ("The wallet asks its skill for the price and shows it to you; nothing is paid until you "
        "approve, and then only what you saw, within the agent's limits.")


async def ask_agent(app: AgentWalletApp, agent_id: int, whom: str) -> Payment | None:
    """Ask agent #`agent_id` (`whom`: how the screen names it) a question, paying its price if
    the person approves. Call from a worker. None if nothing was asked."""
    question = await app.push_screen_wait(PromptScreen(f"Ask {whom}", hint=HINT, confirm="Ask"))
    if question is None or not question.strip():
        return None

    def asking(step: str) -> None:
        app.activity = f"asking: {step}"

    try:
        quoted = await app.session.ask_agent(agent_id, question, asking)
    except WalletError as error:
        app.report(error)
        return None
    finally:
        app.activity = ""
    return await settle_asked(app, quoted, question)


async def settle_asked(app: AgentWalletApp, quoted: Quote | Payment, question: str) -> Payment | None:
    """A met price (a Quote) shown in the Approval modal and the decision carried out, or the
    Payment it already was; then the Answer dialog. Call from a worker. None if it failed."""
    from agentwallet.payments.pay import Payment

    if isinstance(quoted, Payment):  # it asked nothing, or a price the wallet will not pay
        payment = quoted
    else:
        approved = quoted.review is None or bool(await app.push_screen_wait(ApprovalScreen(quoted.review)))
        try:
            async with app.sending("pay_for") as progress:
                payment = await app.session.complete_payment(quoted, approved, progress)
        except WalletError as error:
            app.report(error)
            return None
    await app.push_screen_wait(AnswerScreen(payment, question, paid_answer(payment)))
    return payment


def paid_answer(payment: Payment) -> str | None:
    """The skill's answer, where there is one to show (payments/asking.answer_text)."""
    from agentwallet.payments.asking import answer_text

    if payment.answer is None or payment.status not in ("paid", "free"):
        return None
    return answer_text(payment.answer)
