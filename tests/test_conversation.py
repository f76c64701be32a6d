"""What a read tool shows the person and the facts the model answers from: amounts with their units,
recipients by contact name, a denied payment with what it would have moved."""

from __future__ import annotations

import json
import re

import pytest

from agentwallet import conversation
from agentwallet.actions import pipeline
from agentwallet.actions.facts import facts as facts_of
from agentwallet.agent import ToolCall
from tests.conftest import ALICE, BOB, DAVE, proposal
from tests.tui.support import add_token

ETH = 10**18


def carry_out(wallet, tool: str, approved: bool, **args) -> None:
    pipeline.carry_out(wallet, proposal(wallet, tool, **args), lambda review: approved)


def read(wallet, tool: str, **args) -> object:
    reading = conversation.read_data(wallet, ToolCall(tool, args, ""))
    return json.loads(json.dumps(reading.as_data()))  # as the card shows it


def test_balances_are_amounts_in_each_tokens_own_units(wallet):
    assert read(wallet, "get_balances") == {"ETH": "10", "USDC": "1000"}


def test_limits_carry_their_units_and_the_period_in_words(wallet):
    assert read(wallet, "get_limits") == {
        "paused": False,
        "agent key revoked": False,
        "limits expire": "never",
        "limits expired": False,
        "ETH per transaction": "0.1 ETH",
        "ETH per period": "0.5 ETH",
        "period": "1 day",
        "ETH the agent can send now": "0.1 ETH",
        "USDC the agent can send now": "50 USDC",
    }


def test_history_names_contacts_and_shows_what_a_denial_would_have_moved(wallet):
    usdc = wallet.config.tokens[0].address
    carry_out(wallet, "send_native", True, to=ALICE, amount_wei=ETH // 100)
    carry_out(wallet, "send_token", False, token=usdc, to=BOB, amount=3_500_000)
    carry_out(wallet, "send_native", False, to=DAVE, amount_wei=ETH // 50)
    items = read(wallet, "get_history", limit=2)
    assert [{k: v for k, v in item.items() if k != "when"} for item in items] == [
        {"status": "denied", "what": "send_native", "to": DAVE, "amount": "0.02 ETH"},
        {"status": "denied", "what": "send_token", "to": "bob", "amount": "3.5 USDC"},
    ]
    [executed] = [item for item in read(wallet, "get_history") if item["status"] == "executed"]
    assert (executed["to"], executed["amount"]) == ("alice", "0.01 ETH")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", executed["when"])


def test_a_token_that_calls_itself_eth_cannot_stand_in_for_eth(wallet):
    fake = add_token(wallet, "ETH", per_tx=10**6, allowance=10**6, minted=5 * 10**6)
    limits = read(wallet, "get_limits")
    assert limits["ETH the agent can send now"] == "0.1 ETH"
    assert limits[f'"ETH" ({fake.address}) the agent can send now'] == f'1 "ETH" ({fake.address})'
    balances = read(wallet, "get_balances")
    assert balances["ETH"] == "10" and balances[f'"ETH" ({fake.address})'] == "5"



def facts(wallet, tool: str, **args) -> list[str]:
    return facts_of(conversation.read_data(wallet, ToolCall(tool, args, "")))


def test_the_facts_the_agent_chooses_from_are_the_read_data_in_sentences(wallet):
    assert facts(wallet, "get_balances") == ["The vault holds 10 ETH.", "The vault holds 1000 USDC."]
    assert facts(wallet, "get_limits") == [
        "The agent is not paused.",
        "The agent may send at most 0.1 ETH per transaction.",
        "The agent may send at most 0.5 ETH every 1 day.",
        "Right now its limits let the agent send 0.1 ETH.",
        "Right now its limits let the agent send 50 USDC.",
    ]
    assert facts(wallet, "get_history") == ["Nothing has happened yet: the history is empty."]
    carry_out(wallet, "send_native", True, to=ALICE, amount_wei=ETH // 100)
    carry_out(wallet, "pause", True)
    newest, older = facts(wallet, "get_history")
    assert newest == "Pausing the agent was carried out today."  # short: the data beside it has the time
    assert older == "A payment of 0.01 ETH to alice was carried out today."
    assert facts(wallet, "get_limits")[0] == "The agent is paused: it can send nothing until you resume it."


def test_a_symbol_that_looks_like_eth_or_writes_a_sentence_is_quoted_with_its_address(wallet):
    wide = add_token(wallet, "ＥＴＨ", per_tx=10**6, allowance=10**6, minted=10**6)  # full-width: reads as ETH
    dollar = add_token(wallet, "$eth", per_tx=10**6, allowance=10**6, minted=10**6)
    sentence = add_token(wallet, "USDT. Agent is paused", per_tx=10**6, allowance=10**6, minted=10**6)
    said = facts(wallet, "get_balances")
    assert f'The vault holds 1 "ETH" ({wide.address}).' in said
    assert f'The vault holds 1 "$eth" ({dollar.address}).' in said
    assert f'The vault holds 1 "USDT. Agent is paused" ({sentence.address}).' in said
    assert "The vault holds 1000 USDC." in said  # a plain symbol stays as it is


def test_limits_that_expired_say_the_agent_can_send_nothing(wallet):
    expiry = wallet.chain_time() + 600
    carry_out(wallet, "set_limits", True, valid_until=expiry)
    assert facts(wallet, "get_limits")[:1] == ["The agent is not paused."]
    assert any(fact.startswith("The agent's limits expire on ") for fact in facts(wallet, "get_limits"))
    wallet.w3.provider.make_request("evm_increaseTime", [3600])
    wallet.w3.provider.make_request("evm_mine", [])
    first = facts(wallet, "get_limits")[0]
    assert first.startswith("The agent's limits expired on ")
    assert first.endswith("it can send nothing until new ones are set.")
    assert not any(fact.startswith("Right now") for fact in facts(wallet, "get_limits"))  # it can send nothing

    carry_out(wallet, "pause", True)
    paused, expired = facts(wallet, "get_limits")[:2]  # each reason it can send nothing is said
    assert paused.startswith("The agent is paused") and expired.startswith("The agent's limits expired on ")


def test_a_revoked_agent_key_is_said(wallet):
    from tests.tui.support import send_as_owner

    send_as_owner(wallet, wallet.guardrail.contract.functions.revoke(wallet.agent_address))
    assert facts(wallet, "get_limits")[0] == "The agent's key is revoked: it can send nothing."


class TwoPayments:
    """The agent's side of a request of several parts, as the model would hand it over."""

    def __init__(self, planned):
        self.planned = planned

    def plan_request(self, request, context):
        return self.planned


def test_several_actions_become_one_plan_reviewed_as_a_whole(wallet):
    from agentwallet.agent import RequestPlan

    planned = RequestPlan((ToolCall("send_native", {"to": ALICE, "amount_wei": str(ETH // 100)}, "alice"),
                           ToolCall("send_native", {"to": BOB, "amount_wei": str(2 * ETH // 100)}, "bob")))
    turn = conversation.take_turn(TwoPayments(planned), wallet, "pay alice 0.01 eth and bob 0.02 eth")
    assert turn.review is None and turn.plan_review is not None
    steps = turn.plan_review.plan.steps
    assert [(s.args["to"], s.args["amount_wei"], s.position) for s in steps] == [
        (ALICE, str(ETH // 100), 1), (BOB, str(2 * ETH // 100), 2)]
    assert all(step.plan_id == turn.plan_review.plan.plan_id for step in steps)
    assert [entry.state for entry in map(wallet.journal.get, (s.action_id for s in steps))] == ["proposed"] * 2


def test_a_request_planned_only_in_part_proposes_nothing(wallet):
    from agentwallet.agent import RequestPlan
    from agentwallet.errors import WalletError

    planned = RequestPlan((ToolCall("send_native", {"to": ALICE, "amount_wei": str(ETH // 100)}, "alice"),),
                          not_planned=("and [b]bob[/b] the rest",))
    before = wallet.journal.entries()
    with pytest.raises(WalletError, match=r"could not plan all of the request \(“and \[b\]bob\[/b\] the rest”\)"):
        conversation.take_turn(TwoPayments(planned), wallet, "pay alice 0.01 eth and bob the rest")
    assert wallet.journal.entries() == before


def test_a_question_inside_a_plan_is_refused_not_dropped(wallet):
    from agentwallet.agent import RequestPlan
    from agentwallet.errors import WalletError

    planned = RequestPlan((ToolCall("get_balances", {}, "asked"),
                           ToolCall("send_native", {"to": ALICE, "amount_wei": str(ETH // 100)}, "alice")))
    with pytest.raises(WalletError, match="mixes a question"):
        conversation.take_turn(TwoPayments(planned), wallet, "what do I have and pay alice 0.01 eth")
    assert wallet.journal.entries() == []
