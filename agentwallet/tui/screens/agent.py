"""The Agent screen: ask in words; reads are answered at once, actions come back for approval.

One turn at a time. A request sent while the model is still loading (or the chain still
connecting) is shown as waiting and planned once both are ready. A proposal opens the
Approval modal, a plan of several the Plan approval modal; the decision is carried out (and
logged on chain) by the wallet thread while the chat shows each step on the proposal's or the
plan's card. A question to another agent's paid skill shows its price in the Approval modal;
once decided, the Answer dialog says how it ended, and the chat keeps the answer.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Label

from agentwallet.errors import WalletError
from agentwallet.tui.notices import plan_notice
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.asking import paid_answer, settle_asked
from agentwallet.tui.screens.base import AppScreen
from agentwallet.tui.screens.plan_approval import PlanApprovalScreen
from agentwallet.tui.widgets.chat import AgentReply, PlanCard, ProposalCard, ToolCard, UserMessage
from agentwallet.tui.widgets.connection_bar import ConnectionBar

if TYPE_CHECKING:
    from textual.worker import Worker

    from agentwallet.actions.plan_review import PlanReview
    from agentwallet.actions.review import Review

GREETING = ("Ask the agent in plain words: “what is my balance?”, “send 0.01 ETH to alice”. "
            "It proposes; nothing moves until you approve.")


class AgentScreen(AppScreen):
    AUTO_FOCUS = "#ask"
    # While the agent plans, Esc cancels the request instead of leaving the field (check_action).
    # Both here: a screen's binding for a key replaces its base class's.
    BINDINGS = [Binding("escape", "leave_field", "Leave field"), Binding("escape", "cancel_request", "Cancel request")]

    def __init__(self) -> None:
        super().__init__()
        self.turn_running = False
        self.planning: Worker | None = None  # the turn, until its plan is back

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="chat"):
            yield Label(GREETING, id="greeting", markup=False)
        yield Input(placeholder="Ask the agent… (Enter sends, Esc leaves)", id="ask")
        yield ConnectionBar()
        yield Footer(compact=True)

    def focus_input(self) -> None:
        self.query_one("#ask", Input).focus()

    def action_leave_field(self) -> None:
        self.query_one("#chat").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_request":
            return self.planning is not None
        if action == "leave_field" and self.planning is not None:
            return False
        return super().check_action(action, parameters)

    def action_cancel_request(self) -> None:
        """Stop waiting for the plan: llama.cpp cannot be interrupted, so the model finishes on the
        wallet thread, and what it planned is dropped (a proposal it made stays undecided in the
        journal, as one left when the app quits: nothing was signed)."""
        if self.planning is not None:
            self.planning.cancel()

    def on_screen_resume(self) -> None:
        """Back from a dialog (approval, pause, help), the request box has the focus again: what
        is typed next is a request, never a screen key ("pay…" must not press p)."""
        self.focus_input()

    @on(Input.Submitted, "#ask")
    def ask(self, event: Input.Submitted) -> None:
        request = event.value.strip()
        if not request:
            return
        if self.turn_running:
            self.notify("The agent is still on your last request.", severity="warning", markup=False)
            return
        problem = self.app.agent_problem()
        if problem:
            self.notify(problem, severity="warning", markup=False)
            return
        event.input.clear()
        self.turn_running = True
        self.planning = self.take_turn(request)
        self.refresh_bindings()

    def _planned(self) -> None:
        self.planning = None
        self.refresh_bindings()

    async def _add(self, *cards: Widget) -> None:
        chat = self.query_one("#chat", VerticalScroll)
        await chat.mount_all(cards)
        chat.scroll_end(animate=False)

    @work(group="turn")
    async def take_turn(self, request: str) -> None:
        try:
            await self._take_turn(request)
        finally:
            self.turn_running = False

    async def _take_turn(self, request: str) -> None:
        reply = AgentReply()
        await self._add(UserMessage(request), reply)
        ticking = self.set_interval(1, reply.tick)
        try:
            agent = await self.app.ready_agent(reply.progress)
            reply.progress("thinking")
            turn = await self.app.session.take_turn(agent, request, stream=reply.append, progress=reply.progress)
        except WalletError as error:
            reply.fail(error.for_tui)
            self.app.report(error)
            return
        except asyncio.CancelledError:
            reply.cancel()
            raise
        finally:
            ticking.stop()
            self._planned()
        if turn.plan_review is not None:
            reply.finish(None)
            await self.decide_plan(turn.plan_review)
            return
        if turn.asked is not None:
            reply.progress("the price is shown for your approval")
            payment = await settle_asked(self.app, turn.asked, request)
            reply.finish(None if payment is None else paid_answer(payment) or payment.account)
            return
        if turn.review is None:
            if turn.call.tool != "reply":
                await self._add(ToolCard(turn.call.tool, turn.tool_result))
                self._move_to_end(reply)
            reply.finish(turn.answer)
            return
        reply.finish(None)
        await self.decide(turn.review)

    def _move_to_end(self, reply: AgentReply) -> None:
        """The answer reads after the card of the data it is based on."""
        chat = self.query_one("#chat", VerticalScroll)
        chat.move_child(reply, after=chat.children[-1])
        chat.scroll_end(animate=False)

    async def decide(self, review: Review) -> None:
        card = ProposalCard(review)
        await self._add(card)
        approved = bool(await self.app.push_screen_wait(ApprovalScreen(review)))
        card.decided(approved)
        try:
            async with self.app.sending(review.proposal.tool) as in_status_bar:
                def progress(step: str) -> None:
                    card.progress(step)
                    in_status_bar(step)

                outcome = await self.app.session.settle(review, approved, progress=progress)
        except WalletError as error:
            card.failed(error.for_tui)
            self.app.report(error)
            return
        card.settled(outcome)
        self.app.notify_outcome(outcome, review.summary)

    async def decide_plan(self, review: PlanReview) -> None:
        card = PlanCard(review)
        await self._add(card)
        approved = list(await self.app.push_screen_wait(PlanApprovalScreen(review)))
        card.decided(approved)
        try:
            async with self.app.sending(f"plan of {len(approved)} steps") as in_status_bar:
                def progress(step: str) -> None:
                    card.progress(step)
                    in_status_bar(step)

                outcomes = await self.app.session.settle_plan(review, approved, progress, card.step_settled)
        except WalletError as error:
            card.failed(error.for_tui)
            self.app.report(error)
            return
        card.settled(outcomes)
        info = self.app.wallet_info
        notice = plan_notice(review, outcomes, info.name_of if info else lambda _: None)
        self.app.notify(notice.message, severity=notice.severity, markup=False)
