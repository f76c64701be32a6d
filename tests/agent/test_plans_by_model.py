"""The real bundled model plans requests of several actions: it cuts the request into its parts,
each part becomes its calls, and what it cannot plan is named rather than left out."""

from __future__ import annotations

from agentwallet.agent import RequestPlan
from agentwallet.errors import WalletError
from tests.agent.conftest import ALICE, BOB, CAROL, USDC, assert_follows_design

ETHER = 10**18


def steps(planned: RequestPlan) -> list[tuple[str, dict]]:
    assert not planned.not_planned, planned
    for call in planned.calls:
        assert_follows_design(call)
    return [(call.tool, call.args) for call in planned.calls]


def test_a_payment_in_eth_and_one_in_a_token_become_two_steps(agent, wallet):
    assert steps(agent.plan_request("pay alice 0.01 eth and bob 2 usdc", wallet)) == [
        ("send_native", {"to": ALICE, "amount_wei": str(ETHER // 100)}),
        ("send_token", {"token": USDC, "to": BOB, "amount": "2000000"}),
    ]


def test_each_pays_the_amount_to_every_one_named(agent, wallet):
    assert steps(agent.plan_request("pay 0.1 eth each to alice and bob", wallet)) == [
        ("send_native", {"to": ALICE, "amount_wei": str(ETHER // 10)}),
        ("send_native", {"to": BOB, "amount_wei": str(ETHER // 10)}),
    ]


def test_a_split_pays_exact_equal_shares(agent, wallet):
    assert steps(agent.plan_request("split 30 usdc between alice and bob", wallet)) == [
        ("send_token", {"token": USDC, "to": ALICE, "amount": "15000000"}),
        ("send_token", {"token": USDC, "to": BOB, "amount": "15000000"}),
    ]


def test_parts_after_the_first_need_no_verb_of_their_own(agent, wallet):
    assert steps(agent.plan_request("send alice 2 usdc, carol 3 usdc and bob 4 usdc", wallet)) == [
        ("send_token", {"token": USDC, "to": ALICE, "amount": "2000000"}),
        ("send_token", {"token": USDC, "to": CAROL, "amount": "3000000"}),
        ("send_token", {"token": USDC, "to": BOB, "amount": "4000000"}),
    ]


def test_a_payment_then_a_pause_keeps_its_order(agent, wallet):
    assert steps(agent.plan_request("pay carol 1 usdc, then pause", wallet)) == [
        ("send_token", {"token": USDC, "to": CAROL, "amount": "1000000"}),
        ("pause", {}),
    ]


def test_a_payment_and_a_limits_change(agent, wallet):
    assert steps(agent.plan_request("send bob 0.5 eth and set the daily limit to 2 eth", wallet)) == [
        ("send_native", {"to": BOB, "amount_wei": str(ETHER // 2)}),
        ("set_limits", {"daily_wei": str(2 * ETHER)}),
    ]


def refusal(agent, wallet, request: str) -> str:
    """What the agent says it could not plan of `request`: the parts named, or its one-line error."""
    try:
        planned = agent.plan_request(request, wallet)
    except WalletError as error:
        return str(error)
    assert planned.not_planned, planned
    return " ".join(planned.not_planned)


def test_a_part_it_cannot_plan_is_named_rather_than_left_out(agent, wallet):
    said = refusal(agent, wallet, "pay alice 0.1 eth and dave 0.2 eth")
    assert "dave" in said or "0.2 eth" in said  # the part, or the amount it leaves for nobody


def test_a_split_that_does_not_come_out_even_is_refused(agent, wallet):
    said = refusal(agent, wallet, "split 10 usdc between alice, bob and carol")
    assert "does not split evenly" in said or "10 usdc" in said


def test_single_requests_stay_single(agent, wallet):
    for request, tool in (("send 0.2 eth to bob", "send_native"), ("daily limit 1 eth, per payment 0.1 eth",
                                                                   "set_limits"),
                          ("give carol 5 usdc, thanks", "send_token"), ("what's my balance", "get_balances")):
        planned = agent.plan_request(request, wallet)
        assert [call.tool for call in planned.calls] == [tool] and not planned.not_planned, (request, planned)


def test_a_pause_asked_beside_payments_is_planned_or_named(agent, wallet):
    for request in ("give alice 3 usdc and freeze everything", "pay carol 1 usdc, then pause",
                    "send bob 0.01 eth, alice 0.02 eth, then halt the agent"):
        try:
            planned = agent.plan_request(request, wallet)
        except WalletError:
            continue  # refused whole: nothing that looks like the plan
        tools = [call.tool for call in planned.calls]
        assert "pause" in tools or planned.not_planned, (request, planned)


def test_a_resume_the_agent_cannot_propose_is_named_rather_than_left_out(agent, wallet):
    assert "resume the agent" in refusal(agent, wallet, "send bob 2 usdc and then resume the agent")


def test_a_request_cut_in_two_whose_uncut_form_is_planned_last_ranks_no_ways(agent, wallet):
    """Its one cut way is tried first, whatever the model thinks of it: nothing is read to rank it."""
    request = "pay alice 0.01 eth and bob 2 usdc"
    before = agent.reading
    assert agent._ways(request, whole_later=True) == [(request,), ("pay alice 0.01 eth", "bob 2 usdc")]
    assert agent.reading == before
    assert set(agent._ways(request, whole_later=False)) == {(request,), ("pay alice 0.01 eth", "bob 2 usdc")}
    assert agent.reading.tokens > before.tokens
