"""The Approval modal on real reviews: what it shows, and that only a deliberate `a` approves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot
from textual.widgets import Button, Checkbox

from agentwallet.actions import pipeline
from agentwallet.actions.review import Review
from agentwallet.actions.wallet import Wallet
from agentwallet.tui.screens.approval import ApprovalScreen
from tests.conftest import DAVE, proposal
from tests.tui.fixed import fixed_app
from tests.tui.support import painted, until_shown

CENTI_ETH = 10**16


def review(wallet: Wallet, request: str, rationale: str = "as you asked", amount: int = CENTI_ETH) -> Review:
    return pipeline.propose(wallet, proposal(wallet, "send_native", request, rationale, to=DAVE, amount_wei=amount))


@asynccontextmanager
async def approving(review: Review) -> AsyncIterator[tuple[Pilot, list[bool]]]:
    """The app (on fixed wallet data) with the modal open on a real review; the decisions it made."""
    app = fixed_app()
    decisions: list[bool] = []
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await app.push_screen(ApprovalScreen(review), decisions.append)
        await until_shown(pilot, app.screen.query_one("#dialog"))
        yield pilot, decisions


async def test_the_modal_shows_the_decoded_call_amounts_gas_simulation_allowance_and_rationale(wallet):
    async with approving(review(wallet, f"send 0.01 ETH to {DAVE}", rationale="Rent, as agreed.\nSecond line.")) \
            as (pilot, _):
        shown = painted(pilot.app.screen.query_one("#dialog"))
    assert f"Send 0.01 ETH to {DAVE}" in shown
    assert "Call                 Guardrail.send_native(" in shown and f"  to={DAVE}," in shown
    assert "0.01 ETH  (10000000000000000 base units)" in shown
    assert "✓ would succeed" in shown and "Gas                  ~" in shown and " ETH)" in shown
    assert "Left in this window  0.5 → 0.49 ETH" in shown  # the window's allowance less what was spent
    assert "Per-action cap       0.1 ETH" in shown
    assert "“Rent, as agreed." in shown and "Second line.”" in shown
    assert "new_recipient" in shown


async def test_focus_starts_on_neither_button_and_enter_alone_decides_nothing(wallet):
    async with approving(review(wallet, f"send 0.01 ETH to {DAVE}")) as (pilot, decisions):
        app = pilot.app
        assert not isinstance(app.focused, Button)
        await pilot.press("enter", "tab", "enter", "tab", "enter", "space")
        assert not isinstance(app.focused, Button)
        assert decisions == [] and isinstance(app.screen, ApprovalScreen)
        await pilot.press("a")
        assert decisions == [True]


async def test_d_denies(wallet):
    async with approving(review(wallet, f"send 0.01 ETH to {DAVE}")) as (pilot, decisions):
        await pilot.press("d")
        assert decisions == [False]


async def test_critical_flags_must_be_acknowledged_before_a_approves(wallet):
    mismatched = review(wallet, f"send 0.5 ETH to {DAVE}")
    assert mismatched.critical_flags
    async with approving(mismatched) as (pilot, decisions):
        screen = pilot.app.screen
        assert screen.query_one("#approve", Button).disabled
        assert "!! request_pair_mismatch" in painted(screen.query_one("#details"))
        assert "Approve (k first)" in painted(screen.query_one("#buttons"))
        await pilot.press("a")
        assert any(n.message == "Acknowledge the flags marked !! with k first" for n in pilot.app._notifications)
        await pilot.click("#approve")
        assert decisions == []
        await pilot.press("k")
        assert screen.query_one(Checkbox).value and not screen.query_one("#approve", Button).disabled
        await until_shown(pilot, screen.query_one("#buttons"), "▐✓▌ I read the !! warnings", "Approve (a)")
        await pilot.press("k")
        assert not screen.query_one(Checkbox).value
        await pilot.press("a")
        assert decisions == []
        await pilot.click("#acknowledge")
        await pilot.press("a")
        assert decisions == [True]


async def test_a_proposal_the_chain_would_refuse_says_why(wallet):
    over_the_cap = review(wallet, f"send 0.2 ETH to {DAVE}", amount=2 * 10**17)
    async with approving(over_the_cap) as (pilot, _):
        shown = painted(pilot.app.screen.query_one("#dialog"))
    assert over_the_cap.executor == "owner"
    assert "signed by your owner key" in shown and "owner_execution" in shown
    assert "Guardrail.owner_execute(" in shown


async def test_at_80_columns_no_address_is_cut_in_two(wallet):
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ApprovalScreen(review(wallet, f"send 0.01 ETH to {DAVE}")))
        shown = await until_shown(pilot, app.screen.query_one("#details"), "Guardrail.send_native(")
    assert f"to={DAVE}," in shown  # on one line, whole
