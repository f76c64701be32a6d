"""The agent hands on calls that make each payment the request asks for once, or names what is missing."""

from __future__ import annotations

from agentwallet.agent import ToolCall
from agentwallet.agent.coverage import beyond_one_call, uncovered
from tests.agent.conftest import ALICE, BOB, CAROL, USDC


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


def test_an_amount_for_nobody_the_wallet_knows_is_named_by_the_part_it_stands_in(wallet):
    assert uncovered("pay alice 0.1 eth and dave 0.2 eth", [eth(ALICE, 10**17)], wallet) == ("dave 0.2 eth",)


def test_an_amount_a_limits_change_sets_is_used(wallet):
    calls = [eth(BOB, 10**17), ToolCall("set_limits", {"daily_wei": str(2 * 10**18)}, "")]
    assert uncovered("send bob 0.1 eth and set the daily limit to 2 eth", calls, wallet) == ()


def test_in_a_request_that_could_be_cut_a_single_payment_must_be_the_one_asked(wallet):
    request = "send bob 3 usdc and swap 5 usdc for eth"
    assert uncovered(request, [usdc(BOB, 5 * 10**6)], wallet, cut=True) == ("bob 3 usdc",)


PAUSE = ToolCall("pause", {}, "")


def limits(**wei: int) -> ToolCall:
    return ToolCall("set_limits", {key: str(value) for key, value in wei.items()}, "")


def test_a_pause_asked_after_a_payment_is_named_when_the_calls_leave_it_out(wallet):
    assert uncovered("pay carol 1 usdc, then pause", [usdc(CAROL, 10**6)], wallet, cut=True) == ("pause",)


def test_a_payment_then_the_pause_asked_covers_the_request(wallet):
    assert uncovered("pay carol 1 usdc, then pause", [usdc(CAROL, 10**6), PAUSE], wallet, cut=True) == ()


def test_a_pause_asked_in_other_words_is_named_too(wallet):
    request = "give alice 8 usdc then stop everything"
    assert uncovered(request, [usdc(ALICE, 8 * 10**6)], wallet, cut=True) == ("stop everything",)


def test_a_pause_left_out_of_a_request_that_was_not_cut_is_named(wallet):
    assert uncovered("pay carol 1 usdc and freeze the agent", [usdc(CAROL, 10**6)], wallet) == ("freeze the agent",)


def test_a_limits_change_asked_beside_a_payment_is_named_when_left_out(wallet):
    request = "send bob 0.5 eth and set the daily limit to 2 eth"
    assert uncovered(request, [eth(BOB, 10**17 * 5)], wallet, cut=True) == ("set the daily limit to 2 eth",)


def test_a_limits_change_without_a_number_is_still_asked(wallet):
    request = "send bob 0.5 eth and lower the daily limit"
    assert uncovered(request, [eth(BOB, 10**17 * 5)], wallet, cut=True) == ("lower the daily limit",)


def test_a_resume_is_asked_and_no_pause_stands_for_it(wallet):
    assert uncovered("resume the agent", [PAUSE], wallet) == ("resume the agent",)


def test_a_limits_change_planned_as_a_pause_is_not_the_request(wallet):
    request = "don't let the agent spend more than 1 eth a day"
    assert uncovered(request, [PAUSE], wallet) == (request,)
    assert uncovered(request, [limits(daily_wei=10**18)], wallet) == ()


def test_a_part_that_names_a_payment_is_that_payment_whatever_its_words(wallet):
    assert uncovered("pay alice her daily 5 usdc", [usdc(ALICE, 5 * 10**6)], wallet) == ()


def test_a_question_about_pausing_answered_by_a_read_or_reply_is_no_plan_to_check(wallet):
    reply = ToolCall("reply", {"text": "While I am paused, the guardrail lets me move nothing."}, "")
    assert uncovered("what happens if I pause you", [reply], wallet) == ()
    assert uncovered("is the agent paused?", [ToolCall("get_limits", {}, "")], wallet) == ()


def test_a_pause_written_only_in_quoted_text_is_not_asked(wallet):
    request = 'send bob 1 usdc for the note "pause everything"'
    assert uncovered(request, [usdc(BOB, 10**6)], wallet) == ()


def test_a_limit_the_calls_leave_unset_is_named(wallet):
    request = "daily limit 1.5 eth, per payment 0.3 eth"
    assert uncovered(request, [limits(daily_wei=15 * 10**17)], wallet) == ("per payment 0.3 eth",)
    assert uncovered(request, [limits(daily_wei=15 * 10**17, per_tx_wei=3 * 10**17)], wallet) == ()


def test_payments_of_two_amounts_are_beyond_one_call(wallet):
    assert beyond_one_call(REQUEST, wallet)
    assert all(uncovered(REQUEST, [call], wallet, cut=True) for call in (eth(ALICE, 10**16), usdc(BOB, 2 * 10**6)))


def test_a_payment_and_a_pause_in_a_part_of_its_own_are_beyond_one_call(wallet):
    request = "pay carol 1 usdc, then pause"
    assert beyond_one_call(request, wallet)
    assert all(uncovered(request, [call], wallet, cut=True) for call in (usdc(CAROL, 10**6), PAUSE))


def test_what_one_call_can_do_is_not_beyond_it(wallet):
    for request in ("send 0.1 eth each to alice and bob", "split 30 usdc between alice, bob and carol",
                    "send 0.2 eth to bob", "daily limit 1 eth and per payment 0.1 eth", "pay alice her daily 5 usdc",
                    "pause and show my balances"):
        assert not beyond_one_call(request, wallet), request
