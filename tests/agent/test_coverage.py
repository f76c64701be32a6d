"""The agent hands on calls that make each payment the request asks for once, or names what is missing."""

from __future__ import annotations

from agentwallet.agent import ToolCall
from agentwallet.agent.coverage import uncovered
from tests.agent.conftest import ALICE, BOB, USDC


def eth(to: str, wei: int) -> ToolCall:
    return ToolCall("send_native", {"to": to, "amount_wei": str(wei)}, "")


def usdc(to: str, amount: int) -> ToolCall:
    return ToolCall("send_token", {"token": USDC, "to": to, "amount": str(amount)}, "")


REQUEST = "pay alice 0.01 eth and bob 2 usdc"


def test_calls_that_make_every_asked_payment_once_cover_the_request(wallet):
    assert uncovered(REQUEST, [eth(ALICE, 10**16), usdc(BOB, 2 * 10**6)], wallet) == ()


def test_a_payment_left_out_is_named_in_the_requests_words(wallet):
    assert uncovered(REQUEST, [eth(ALICE, 10**16)], wallet) == ("bob 2 usdc",)


def test_another_pairing_of_the_same_names_and_amounts_is_not_the_request(wallet):
    assert uncovered(REQUEST, [usdc(ALICE, 2 * 10**6), eth(BOB, 10**16)], wallet) == ("alice 0.01 eth", "bob 2 usdc")


def test_a_payment_made_twice_is_not_the_request(wallet):
    calls = [eth(ALICE, 10**16), eth(ALICE, 10**16), usdc(BOB, 2 * 10**6)]
    assert uncovered(REQUEST, calls, wallet) == (REQUEST,)


def test_a_single_payment_is_left_to_the_reviews_pair_checks(wallet):
    assert uncovered("send 0.2 eth to bob", [eth(ALICE, 1)], wallet) == ()


def test_a_payment_for_a_split_that_cannot_be_exact_is_not_the_request(wallet):
    request = "split 10 usdc between alice, bob and carol"
    assert uncovered(request, [usdc(ALICE, 10 * 10**6)], wallet) == (request,)


def test_an_amount_for_nobody_the_wallet_knows_is_named(wallet):
    assert uncovered("pay alice 0.1 eth and dave 0.2 eth", [eth(ALICE, 10**17)], wallet) == ("0.2 eth",)


def test_an_amount_a_limits_change_sets_is_used(wallet):
    calls = [eth(BOB, 10**17), ToolCall("set_limits", {"daily_wei": str(2 * 10**18)}, "")]
    assert uncovered("send bob 0.1 eth and set the daily limit to 2 eth", calls, wallet) == ()


def test_in_a_request_that_could_be_cut_a_single_payment_must_be_the_one_asked(wallet):
    request = "send bob 3 usdc and swap 5 usdc for eth"
    assert uncovered(request, [usdc(BOB, 5 * 10**6)], wallet, cut=True) == ("bob 3 usdc",)
