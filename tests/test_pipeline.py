"""The action pipeline on a real devnet: approve, deny, revert, owner path, pause, crash recovery."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from agentwallet.actions import history, pipeline, verification
from agentwallet.actions.arguments import normalise_arguments
from agentwallet.actions.wallet import Wallet
from agentwallet.errors import WalletError
from agentwallet.units import moment
from tests.conftest import ALICE, BOB, DAVE, proposal

ETH = 10**18


def approve(review) -> bool:
    return True


def deny(review) -> bool:
    return False


def events_for(wallet: Wallet, action_id: str):
    return [e for e in history.history(wallet) if e.action_id == action_id]


def test_an_approved_send_executes_once_as_the_agent(wallet):
    before = wallet.w3.eth.get_balance(ALICE)
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    outcome = pipeline.carry_out(wallet, p, approve)
    assert outcome.state == "executed"
    assert wallet.w3.eth.get_balance(ALICE) - before == ETH // 100
    [event] = events_for(wallet, p.action_id)
    assert (event.status, event.kind, event.actor) == ("executed", "native", wallet.agent_address)
    assert event.intent_hash == p.intent_hash and event.verified
    assert wallet.journal.get(p.action_id).state == "executed"


def test_a_denied_proposal_moves_nothing_and_is_logged_on_chain(wallet):
    before = wallet.w3.eth.get_balance(ALICE)
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    outcome = pipeline.carry_out(wallet, p, deny)
    assert outcome.state == "denied" and outcome.log_tx_hash
    assert wallet.w3.eth.get_balance(ALICE) == before
    [event] = events_for(wallet, p.action_id)
    assert event.status == "denied" and event.verified


def test_the_review_shows_remaining_allowance_before_and_after(wallet):
    p = proposal(wallet, "send_native", to=DAVE, amount_wei=ETH // 100)
    review = pipeline.propose(wallet, p)
    assert review.executor == "agent" and review.simulation.ok
    assert review.remaining_before == ETH // 10  # the default per-tx cap bounds what one send can do
    assert review.remaining_after == ETH // 10 - ETH // 100
    assert review.summary == f"Send 0.01 ETH to {DAVE}"
    assert "new_recipient" in {f.name for f in review.flags}  # not a contact, never paid before
    to_contact = pipeline.propose(wallet, proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100))
    assert to_contact.summary == "Send 0.01 ETH to alice 0x7099…79C8"  # named, with its address
    assert "new_recipient" not in {f.name for f in to_contact.flags}


def test_the_review_shows_what_is_left_in_the_window_before_and_after_and_the_cap(wallet):
    """The figures must be true: after the send, the window holds what the review said it would."""
    pipeline.carry_out(wallet, proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100), approve)
    policy = wallet.limits().native
    review = pipeline.propose(wallet, proposal(wallet, "send_native", to=DAVE, amount_wei=ETH // 100))
    assert review.window_left_before == policy.allowance - ETH // 100
    assert review.window_left_after == review.window_left_before - ETH // 100
    assert review.per_action_cap == policy.per_tx_max
    assert review.gas_cost and review.gas_cost > 0
    pipeline.settle(wallet, review, True)
    after = wallet.limits().native
    assert after.allowance - after.spent == review.window_left_after
    shown = review.as_json()
    assert shown["window_left_after"] == str(review.window_left_after) and shown["remaining_before"]


def test_an_owner_execution_leaves_the_agents_window_as_it_was(wallet):
    review = pipeline.propose(wallet, proposal(wallet, "send_native", to=BOB, amount_wei=2 * ETH))
    assert review.executor == "owner"
    assert review.window_left_after == review.window_left_before == wallet.limits().native.allowance


def test_a_limits_proposal_shows_each_value_before_and_after_and_that_the_window_restarts(wallet):
    pipeline.carry_out(wallet, proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100), approve)
    before = wallet.limits().native
    wallet.rpc("evm_increaseTime", [60])  # a later block than the policy's own: a reverted devnet may not move on
    review = pipeline.propose(wallet, proposal(wallet, "set_limits", "daily 3 eth, 1 eth a go",
                                               daily_wei=3 * ETH, per_tx_wei=ETH))
    assert [(c.what, c.before, c.after) for c in review.changes] == [
        ("per-action cap", "0.1 ETH", "1 ETH"), ("allowance per window", "0.5 ETH", "3 ETH")]
    assert f"instead of {moment(before.resets_at)}" in review.window_note
    assert "the 0.01 ETH spent in this window still counts" in review.window_note
    pipeline.settle(wallet, review, True)
    after = wallet.limits().native
    assert after.resets_at > before.resets_at and after.spent == ETH // 100  # restarted, spend carried
    assert review.as_json()["changes"][0] == {"what": "per-action cap", "before": "0.1 ETH", "after": "1 ETH"}


def test_a_token_limits_proposal_shows_before_and_after_and_leaves_the_window(wallet):
    usdc = wallet.config.tokens[0]
    review = pipeline.propose(wallet, proposal(wallet, "set_token_limits", token=usdc.address, daily=250_000_000))
    assert [(c.what, c.before, c.after) for c in review.changes] == [("allowance per window", "100 USDC", "250 USDC")]
    assert review.window_note is None


def test_a_send_over_the_agents_limit_goes_to_the_owner_and_is_flagged(wallet):
    p = proposal(wallet, "send_native", to=BOB, amount_wei=2 * ETH)
    review = pipeline.propose(wallet, p)
    assert review.executor == "owner"
    [flag] = [f for f in review.flags if f.name == "owner_execution"]
    assert "(guardrail: over per-tx limit)" in flag.text  # the guardrail's own words, naming it
    before = wallet.w3.eth.get_balance(BOB)
    outcome = pipeline.settle(wallet, review, True)
    assert outcome.state == "executed"
    assert wallet.w3.eth.get_balance(BOB) - before == 2 * ETH
    [event] = events_for(wallet, p.action_id)
    assert event.actor == wallet.owner_address and event.kind == "owner_execute"


def test_a_send_the_chain_refuses_by_the_time_it_is_approved_is_not_signed_and_logged_as_failed(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    review = pipeline.propose(wallet, p)
    # The world changes between review and approval: the owner pauses the agent.
    pipeline.carry_out(wallet, proposal(wallet, "pause"), approve)
    outcome = pipeline.settle(wallet, review, True)
    assert outcome.state == "failed"
    entry = wallet.journal.get(p.action_id)
    assert entry.raw_tx is None and "would refuse it (guardrail: paused)" in entry.error
    [event] = events_for(wallet, p.action_id)
    assert event.status == "failed"


def test_while_paused_the_agent_path_is_refused_and_flagged(wallet):
    pipeline.carry_out(wallet, proposal(wallet, "pause"), approve)
    assert wallet.guardrail.paused()
    review = pipeline.propose(wallet, proposal(wallet, "send_native", to=ALICE, amount_wei=1))
    names = {f.name for f in review.flags}
    assert "paused" in names and review.executor == "owner"


def test_limits_change_is_an_owner_action_logged_with_its_intent(wallet):
    p = proposal(wallet, "set_limits", daily_wei=3 * ETH, per_tx_wei=ETH)
    outcome = pipeline.carry_out(wallet, p, approve)
    assert outcome.state == "executed"
    policy = wallet.guardrail.policy(wallet.agent_address)
    assert (policy.allowance, policy.per_tx_max) == (3 * ETH, ETH)
    [event] = events_for(wallet, p.action_id)
    assert event.status == "executed" and event.verified


def test_a_crash_after_signing_resends_the_same_transaction_exactly_once(wallet):
    """The seam: the signed transaction is in the journal, the process dies before broadcast."""
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 50)
    review = pipeline.propose(wallet, p)
    before = wallet.w3.eth.get_balance(ALICE)

    def crash(*_args, **_kwargs):
        raise SystemExit("killed")

    original = pipeline.transactions.broadcast
    pipeline.transactions.broadcast = crash
    try:
        with pytest.raises(SystemExit):
            pipeline.settle(wallet, review, True)
    finally:
        pipeline.transactions.broadcast = original
    assert wallet.journal.get(p.action_id).state == "signed"
    reopened = Wallet.open(wallet.home)
    [outcome] = pipeline.reconcile(reopened)
    assert outcome.state == "executed"
    assert pipeline.reconcile(reopened) == []
    assert wallet.w3.eth.get_balance(ALICE) - before == ETH // 50
    assert len(events_for(reopened, p.action_id)) == 1


def test_a_crash_after_broadcast_settles_without_a_second_send(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 50)
    review = pipeline.propose(wallet, p)
    before = wallet.w3.eth.get_balance(ALICE)
    original = pipeline._finish_sent

    def die_waiting(*_args, **_kwargs):
        raise SystemExit("killed while waiting for the receipt")

    pipeline._finish_sent = die_waiting
    try:
        with pytest.raises(SystemExit):
            pipeline.settle(wallet, review, True)
    finally:
        pipeline._finish_sent = original
    reopened = Wallet.open(wallet.home)
    [outcome] = pipeline.reconcile(reopened)
    assert outcome.state == "executed"
    assert wallet.w3.eth.get_balance(ALICE) - before == ETH // 50
    assert len(events_for(reopened, p.action_id)) == 1


def test_an_approval_interrupted_before_signing_is_not_sent_later(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 50)
    pipeline.propose(wallet, p)
    wallet.journal.update(p.action_id, state="approved", executor="agent")
    before = wallet.w3.eth.get_balance(ALICE)
    [outcome] = pipeline.reconcile(wallet)
    assert outcome.state == "failed"
    assert wallet.w3.eth.get_balance(ALICE) == before


def test_history_rebuilt_from_events_alone_matches_the_journal(wallet):
    done = [pipeline.carry_out(wallet, proposal(wallet, "send_native", to=ALICE, amount_wei=1 + i),
                               approve if i % 2 else deny) for i in range(4)]
    wallet.journal.forget_events()
    entries = history.history(wallet)
    by_id = {e.action_id: e for e in entries}
    for outcome in done:
        entry = by_id[outcome.action_id]
        journal = wallet.journal.get(outcome.action_id)
        assert entry.status == journal.state and entry.intent_hash == journal.intent_hash and entry.verified
    assert [e.block for e in entries] == sorted((e.block for e in entries), reverse=True)


def test_verify_catches_a_journal_entry_edited_by_hand(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    pipeline.carry_out(wallet, p, approve)
    assert verification.verify(wallet) == (1, [])
    tampered = wallet.journal.get(p.action_id).canonical.replace(ALICE, BOB)
    wallet.journal.update(p.action_id, canonical=tampered)
    checked, problems = verification.verify(wallet)
    assert checked == 1 and [m.action_id for m in problems] == [p.action_id]
    assert not events_for(wallet, p.action_id)[0].verified


def test_arguments_are_checked_before_anything_is_proposed(wallet):
    with pytest.raises(WalletError, match="unknown contact"):
        normalise_arguments(wallet, "send_native", {"to": "mallory", "amount_wei": "1"})
    with pytest.raises(WalletError, match="negative"):
        normalise_arguments(wallet, "send_native", {"to": ALICE, "amount_wei": "-1"})
    with pytest.raises(WalletError, match="whole number"):
        normalise_arguments(wallet, "send_native", {"to": ALICE, "amount_wei": "0.5"})
    with pytest.raises(WalletError, match="unknown token"):
        normalise_arguments(wallet, "send_token", {"token": "DAI", "to": ALICE, "amount": "1"})
    assert wallet.journal.entries() == []


def test_records_by_strangers_are_not_part_of_the_history(wallet):
    from eth_account import Account

    stranger = Account.create()
    wallet.w3.provider.make_request("anvil_setBalance", [stranger.address, hex(ETH)])
    call = wallet.guardrail.record("0x" + "11" * 32, "0x" + "22" * 32, "denied")
    signed = pipeline.transactions.sign(wallet.w3, stranger, call, 100_000)
    pipeline.transactions.broadcast(wallet.w3, signed.raw)
    assert pipeline.transactions.wait(wallet.w3, signed.tx_hash).ok
    assert history.history(wallet) == []


def test_a_denial_log_that_lost_its_nonce_is_signed_again_at_the_next_start(wallet, monkeypatch):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=1)
    review = pipeline.propose(wallet, p)
    agent = wallet.account("agent")
    original = pipeline.transactions.broadcast

    def steal_the_nonce_once(w3, raw):
        """Between the log's signing and its broadcast, a transaction from elsewhere takes its nonce."""
        monkeypatch.setattr(pipeline.transactions, "broadcast", original)
        nonce = wallet.journal.get(p.action_id).log_nonce
        other = agent.sign_transaction({"to": agent.address, "value": 0, "gas": 21_000, "nonce": nonce,
                                        "chainId": w3.eth.chain_id, "maxFeePerGas": w3.eth.gas_price * 2,
                                        "maxPriorityFeePerGas": 0})
        original(w3, bytes(other.raw_transaction))
        return original(w3, raw)

    monkeypatch.setattr(pipeline.transactions, "broadcast", steal_the_nonce_once)
    pipeline.settle(wallet, review, False)
    assert wallet.journal.get(p.action_id).logged == 0
    assert events_for(wallet, p.action_id) == []
    [outcome] = pipeline.reconcile(wallet)
    assert outcome.state == "denied" and wallet.journal.get(p.action_id).logged == 1
    [event] = events_for(wallet, p.action_id)
    assert event.status == "denied" and event.verified


def test_the_agents_eth_spending_counts_only_what_it_executed(wallet):
    sent = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    assert pipeline.carry_out(wallet, sent, approve).state == "executed"
    denied = proposal(wallet, "send_native", to=BOB, amount_wei=ETH // 50)
    assert pipeline.carry_out(wallet, denied, deny).state == "denied"
    token = wallet.config.tokens[0].address
    assert pipeline.carry_out(wallet, proposal(wallet, "send_token", token=token, to=BOB, amount=10**6),
                              approve).state == "executed"
    over = pipeline.propose(wallet, proposal(wallet, "send_native", to=BOB, amount_wei=2 * ETH))
    assert pipeline.settle(wallet, over, True).state == "executed"  # by the owner, not the agent
    [(moment, wei)] = history.agent_native_spending(wallet)
    [event] = events_for(wallet, sent.action_id)
    assert wei == ETH // 100
    assert datetime.fromtimestamp(moment, timezone.utc).isoformat().startswith(event.timestamp[:19])


def test_an_agent_that_cannot_pay_the_gas_is_flagged_and_an_approval_sends_nothing(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    assert "agent_low_gas" not in [flag.name for flag in pipeline.propose(wallet, p).flags]
    wallet.w3.provider.make_request("anvil_setBalance", [wallet.agent_address, hex(10**9)])
    before = wallet.w3.eth.get_balance(ALICE)
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    review = pipeline.propose(wallet, p)
    [flag] = [flag for flag in review.flags if flag.name == "agent_low_gas"]
    assert not flag.critical and wallet.agent_address in flag.text and "0.000000001 ETH" in flag.text
    assert review.as_json()["flags"][-1]["name"] == "agent_low_gas"

    outcome = pipeline.settle(wallet, review, True)
    assert outcome.state == "failed" and "not sent" in wallet.journal.get(p.action_id).error
    assert wallet.journal.get(p.action_id).tx_hash is None  # nothing signed that could go out later
    assert "not logged on chain yet" in outcome.error  # the agent cannot pay for the log either
    assert wallet.w3.eth.get_balance(ALICE) == before

    wallet.w3.provider.make_request("anvil_setBalance", [wallet.agent_address, hex(ETH)])
    pipeline.reconcile(wallet)  # at the next start, with gas, the failure is logged
    assert wallet.journal.get(p.action_id).logged
    [event] = events_for(wallet, p.action_id)
    assert event.status == "failed"
    assert wallet.w3.eth.get_balance(ALICE) == before


def test_a_denial_the_agent_cannot_pay_to_log_is_kept_and_logged_once_it_can(wallet):
    wallet.w3.provider.make_request("anvil_setBalance", [wallet.agent_address, hex(10**9)])
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    outcome = pipeline.carry_out(wallet, p, deny)
    assert outcome.state == "denied" and "not logged on chain yet" in outcome.error
    assert pipeline.reconcile(wallet)[0].error  # still no gas: said again, nothing crashes
    wallet.w3.provider.make_request("anvil_setBalance", [wallet.agent_address, hex(ETH)])
    pipeline.reconcile(wallet)
    [event] = events_for(wallet, p.action_id)
    assert event.status == "denied" and wallet.journal.get(p.action_id).logged


def test_a_limits_change_that_leaves_out_or_adds_an_amount_or_time_is_a_critical_flag(wallet):
    request = "set the per-transaction limit to 0.05 eth and allow 1 eth per day"

    def mismatches(request: str, **args) -> list[str]:
        review = pipeline.propose(wallet, proposal(wallet, "set_limits", request, **args))
        return [flag.text for flag in review.flags if flag.name == "request_limit_mismatch" and flag.critical]

    assert mismatches(request, per_tx_wei=ETH // 20) == ["the request says 1 eth, which this change does not set"]
    assert mismatches(request, per_tx_wei=ETH // 20, daily_wei=ETH) == []
    assert mismatches("reset the limit every 12 hours", period_s=43_200) == []
    assert mismatches("reset the limit every 12h", period_s=43_200) == []
    assert mismatches("reset the limit every 12 hours", daily_wei=12) == [
        "the request says 12 hours, which this change does not set",
        "this sets the allowance to 0.000000000000000012 ETH, which the request does not say"]
    assert mismatches("set the period to 3600", daily_wei=3600 * ETH) == [
        "this sets the allowance to 3600 ETH, which the request does not say"]
    assert mismatches("set the period to 3600", period_s=3600) == []
    assert mismatches("set the daily limit to 1,000 eth", daily_wei=1000 * ETH) == []
    # what the policy already has counts: the default period is a day, the default cap 0.1 ETH
    assert mismatches("0.1 eth per payment and 2 eth every 1 day", daily_wei=2 * ETH) == []


def test_the_owners_own_limits_commands_carry_no_mismatch_flag(wallet):
    from agentwallet.tui.policy_change import native_change

    change = native_change(wallet.limits(), wallet.chain_time(), ETH // 2, 1000 * ETH, 3600, None)
    review = pipeline.propose(wallet, proposal(wallet, "set_limits", change.request, **change.args))
    assert [flag.name for flag in review.flags] == ["owner_action"]
