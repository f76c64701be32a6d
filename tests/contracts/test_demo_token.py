"""DemoToken: the plain ERC-20 the devnet deploys as a 6-decimal "USDC"."""

import boa
import pytest
from guardrail_kit import USDC, ZERO, deployer, last_event, sent_by


@pytest.fixture
def token(owner):
    with boa.env.prank(owner):
        return deployer("DemoToken").deploy("Demo USDC", "USDC", 6)


def test_token_describes_itself(token, owner):
    assert (token.name(), token.symbol(), token.decimals(), token.totalSupply(), token.owner()) == (
        "Demo USDC", "USDC", 6, 0, owner)


def test_owner_mints(token, owner, alice):
    sent_by(owner, token.mint, alice, 5 * USDC)
    event = last_event(token, "Transfer")
    assert (event.sender, event.receiver, event.value) == (ZERO, alice, 5 * USDC)
    assert token.balanceOf(alice) == 5 * USDC
    assert token.totalSupply() == 5 * USDC


def test_only_the_owner_mints(token, alice):
    with boa.reverts("demo token: caller is not the owner"):
        sent_by(alice, token.mint, alice, 1)


def test_transfer_moves_balance_and_logs(token, owner, alice, bob):
    sent_by(owner, token.mint, alice, 5 * USDC)
    assert sent_by(alice, token.transfer, bob, 2 * USDC) is True
    event = last_event(token, "Transfer")
    assert (event.sender, event.receiver, event.value) == (alice, bob, 2 * USDC)
    assert (token.balanceOf(alice), token.balanceOf(bob)) == (3 * USDC, 2 * USDC)


def test_transfer_beyond_the_balance_reverts(token, alice, bob):
    with boa.reverts("demo token: balance too low"):
        sent_by(alice, token.transfer, bob, 1)


def test_transfer_to_the_zero_address_reverts(token, owner, alice):
    sent_by(owner, token.mint, alice, 1)
    with boa.reverts("demo token: receiver is the zero address"):
        sent_by(alice, token.transfer, ZERO, 1)


def test_approve_and_transfer_from(token, owner, alice, bob):
    sent_by(owner, token.mint, alice, 5 * USDC)
    assert sent_by(alice, token.approve, bob, 3 * USDC) is True
    event = last_event(token, "Approval")
    assert (event.owner, event.spender, event.value) == (alice, bob, 3 * USDC)
    sent_by(bob, token.transferFrom, alice, bob, 2 * USDC)
    assert token.allowance(alice, bob) == 1 * USDC
    with boa.reverts("demo token: allowance exceeded"):
        sent_by(bob, token.transferFrom, alice, bob, 2 * USDC)


def test_an_unlimited_approval_is_not_spent_down(token, owner, alice, bob):
    sent_by(owner, token.mint, alice, 5 * USDC)
    sent_by(alice, token.approve, bob, 2**256 - 1)
    sent_by(bob, token.transferFrom, alice, bob, 2 * USDC)
    assert token.allowance(alice, bob) == 2**256 - 1
