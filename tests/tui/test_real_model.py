"""The one TUI journey with the real bundled model, through the app's own loader: it loads in the
background with visible progress while the wallet works, then a request gets its reply in the
chat. What the model says is tested in tests/agent; here, that the TUI carries it."""

from __future__ import annotations

from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.widgets.chat import AgentReply, ProposalCard, ToolCard, UserMessage
from tests.tui.support import painted, until

MODEL_LOAD_SECONDS = 300  # the bundled model reads its prompt opening at start-up: slow on a busy CI box


async def test_the_bundled_model_loads_with_visible_progress_then_replies_in_the_chat(home):
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

        await pilot.press("c", *"what is my balance?", "enter")
        screen = app.screen
        await until(pilot, lambda: screen.query(UserMessage), what="the request in the chat")
        await until(pilot, lambda: not screen.turn_running or isinstance(app.screen, ApprovalScreen),
                    timeout=120, what="the agent's turn")
        if isinstance(app.screen, ApprovalScreen):  # it proposed an action: deny it, then it is settled
            await pilot.press("d")
            await until(pilot, lambda: not screen.turn_running, timeout=60)
        said = [painted(card) for card in screen.query(AgentReply)]
        cards = screen.query(ToolCard).results() or screen.query(ProposalCard).results()
        assert any(text.strip() and "thinking" not in text for text in said) or list(cards)
