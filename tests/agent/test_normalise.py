"""What the model said becomes arguments as docs/tools.md states them, exactly, or a clear refusal."""

from __future__ import annotations

import pytest

from agentwallet.agent.calls import Call
from agentwallet.agent.choices import choices_for
from agentwallet.agent.context import KnownToken, WalletContext
from agentwallet.agent.normalise import plan_for
from agentwallet.errors import WalletError
from tests.agent.conftest import BOB, USDC

ADDRESS = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"


def planned(wallet, request: str, name: str, **said: str):
    return plan_for(Call(name, said), choices_for(request, wallet))


def test_a_contact_becomes_its_checksummed_address_and_eth_becomes_wei(wallet):
    plan = planned(wallet, "send 0.2 eth to bob", "send", to="bob", amount="0.2 eth")
    assert (plan.tool, plan.args) == ("send_native", {"to": BOB, "amount_wei": "200000000000000000"})


def test_a_token_amount_becomes_base_units_of_that_token(wallet):
    plan = planned(wallet, "pay bob 3.5 usdc", "send", to="bob", amount="3.5 usdc")
    assert (plan.tool, plan.args) == ("send_token", {"token": USDC, "to": BOB, "amount": "3500000"})


def test_an_address_in_the_request_is_checksummed(wallet):
    plan = planned(wallet, f"send 1 eth to {ADDRESS.lower()}", "send", to="0x15d3…6a65", amount="1 eth")
    assert plan.args["to"] == ADDRESS


def test_gwei_and_hours_are_converted_exactly(wallet):
    assert planned(wallet, "send 3 gwei to bob", "send", to="bob", amount="3 gwei").args["amount_wei"] == "3000000000"
    limits = planned(wallet, "daily 0.5 eth every 12 hours", "set_limits", daily="0.5 eth", period="12 hours")
    assert limits.args == {"daily_wei": "500000000000000000", "period_s": "43200"}


def test_history_limit_is_an_int(wallet):
    assert planned(wallet, "show the last 3 transactions", "get_history", limit="3").args == {"limit": 3}


@pytest.mark.parametrize(("request_text", "to", "amount", "message"), [
    ("send 1.1234567 usdc to bob", "bob", "1.1234567 usdc", "6 decimals"),
    ("send 0.0000000000000000001 eth to bob", "bob", "0.0000000000000000001 eth", "18 decimals"),
    ("send 1 eth to dave", "dave", "1 eth", "add dave to your contacts"),  # and says what to do
    ("swap 10 usdc for eth", "for", "10 usdc", "the wallet cannot swap"),  # not "add 'for' as a contact"
    ("send 5 dai to bob", "bob", "5 dai", "no token called 'dai'"),
    ("send 0 eth to bob", "bob", "0 eth", "above zero"),
])
def test_a_payment_that_cannot_be_made_exact_is_refused(wallet, request_text, to, amount, message):
    with pytest.raises(WalletError, match=message):
        planned(wallet, request_text, "send", to=to, amount=amount)


def test_a_refusal_names_no_command_so_it_reads_right_in_the_tui_too(wallet):
    for request_text, to, amount in (("send 1 eth to dave", "dave", "1 eth"), ("send 5 dai to bob", "bob", "5 dai")):
        with pytest.raises(WalletError) as refused:
            planned(wallet, request_text, "send", to=to, amount=amount)
        assert "agentwallet" not in str(refused.value) and "`" not in str(refused.value)


def test_two_tokens_with_one_symbol_are_refused(wallet):
    twins = WalletContext(wallet.contacts, wallet.tokens + (KnownToken("usdc", "0x" + "77" * 20, 6),))
    with pytest.raises(WalletError, match="several tokens"):
        planned(twins, "send 5 usdc to bob", "send", to="bob", amount="5 usdc")


def test_a_mistyped_checksum_is_refused(wallet):
    typo = "0x15D34AAF54267DB7D7c367839AAf71A00a2C6A65"
    with pytest.raises(WalletError, match="checksum"):
        planned(wallet, f"send 1 eth to {typo}", "send", to="0x15D3…6A65", amount="1 eth")


def test_the_model_refuses_a_payment_to_a_name_that_is_no_contact(agent, wallet):
    with pytest.raises(WalletError, match="dave"):
        agent.plan("send 1 eth to dave", wallet)


def test_the_model_refuses_more_decimals_than_usdc_has(agent, wallet):
    with pytest.raises(WalletError, match="decimals"):
        agent.plan("send 1.1234567 usdc to bob", wallet)


def model_says(wallet, request: str, arguments: str):
    from agentwallet.agent.calls import read_call
    from agentwallet.agent.normalise import calls_for

    return calls_for(read_call("send", arguments), choices_for(request, wallet))


def test_each_is_one_payment_of_the_amount_to_every_recipient(wallet):
    from tests.agent.conftest import ALICE

    calls = model_says(wallet, "pay 0.1 eth each to alice and bob", "alice, bob, 0.1 eth each)")
    assert [(c.tool, c.args) for c in calls] == [("send_native", {"to": ALICE, "amount_wei": str(10**17)}),
                                                 ("send_native", {"to": BOB, "amount_wei": str(10**17)})]
    assert [c.rationale for c in calls] == ["Send 0.1 eth to alice, as you asked: the same to each.",
                                            "Send 0.1 eth to bob, as you asked: the same to each."]


def test_a_split_is_exact_equal_shares_in_base_units(wallet):
    calls = model_says(wallet, "split 30 usdc between alice and bob", "alice, bob, 30 usdc shared)")
    assert [c.args["amount"] for c in calls] == ["15000000", "15000000"]
    assert calls[1].rationale == "Send 15 usdc to bob, as you asked: an equal share."


@pytest.mark.parametrize(("request_text", "arguments", "message"), [
    ("split 10 usdc between alice, bob and carol", "alice, bob, carol, 10 usdc shared)", "does not split evenly"),
    ("split 1 wei between alice and bob", "alice, bob, 1 wei shared)", "does not split evenly"),
    ("0.1 eth each to alice and alice", "alice, alice, 0.1 eth each)", "names someone twice"),
])
def test_a_payment_to_several_that_cannot_be_exact_is_refused(wallet, request_text, arguments, message):
    with pytest.raises(WalletError, match=message):
        model_says(wallet, request_text, arguments)
