"""Plans on a real devnet: one request, several steps, reviewed and decided as a whole, the
decision recorded on chain (record_plan), the steps carried out in order, exactly once each
across crashes. alice, bob and carol are the wallet's contacts; USDC its demo token."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from agentwallet.actions import history, pipeline, verification
from agentwallet.actions.arguments import normalise_arguments
from agentwallet.actions.plan import Plan, Step
from agentwallet.actions.wallet import Wallet
from agentwallet.chain import tokens
from agentwallet.errors import WalletError
from tests.conftest import ALICE, BOB, CAROL, proposal

ETH = 10**18
USDC = 10**6
PLAN_TOPIC = "0x" + keccak(text="Plan(bytes32,address,bytes32,bytes32[],uint256)").hex()


def plan_of(wallet: Wallet, request: str, *steps: tuple[str, dict], command: bool = False) -> Plan:
    return Plan.of(request, "as you asked", [Step(tool, normalise_arguments(wallet, tool, args), "as you asked")
                                             for tool, args in steps],
                   wallet.config.chain_id, wallet.guardrail.address, command)


def usdc(wallet: Wallet) -> str:
    return wallet.config.tokens[0].address


def alice_and_bob(wallet: Wallet) -> Plan:
    return plan_of(wallet, "pay alice 0.01 eth and bob 2 usdc",
                   ("send_native", {"to": ALICE, "amount_wei": ETH // 100}),
                   ("send_token", {"token": usdc(wallet), "to": BOB, "amount": 2 * USDC}))


def usdc_balance(wallet: Wallet, who: str) -> int:
    return tokens.balance_of(wallet.w3, usdc(wallet), who)


def plan_events(wallet: Wallet) -> list[dict]:
    return wallet.w3.eth.get_logs({"address": wallet.guardrail.address, "topics": [PLAN_TOPIC], "fromBlock": 0})


def statuses(wallet: Wallet, plan: Plan) -> list[tuple[str, ...]]:
    """Each step's events on chain, as (kind, status), in the plan's order."""
    events = history.history(wallet)
    return [tuple(f"{e.kind} {e.status}" for e in events if e.action_id == step.action_id) for step in plan.steps]


def test_a_plan_approved_whole_pays_each_step_once_and_records_the_plan_on_chain(wallet):
    plan = alice_and_bob(wallet)
    eth_before, usdc_before = wallet.w3.eth.get_balance(ALICE), usdc_balance(wallet, BOB)
    review = pipeline.propose_plan(wallet, plan)
    assert review.critical_flags == []
    outcomes = pipeline.settle_plan(wallet, review, [True, True])
    assert [o.state for o in outcomes] == ["executed", "executed"]
    assert wallet.w3.eth.get_balance(ALICE) - eth_before == ETH // 100
    assert usdc_balance(wallet, BOB) - usdc_before == 2 * USDC
    assert statuses(wallet, plan) == [("native executed",), ("token executed",)]
    [event] = plan_events(wallet)
    assert event["topics"][1].hex().removeprefix("0x") == plan.plan_id.removeprefix("0x")
    assert wallet.journal.get_plan(plan.plan_id).logged == 1
    assert verification.verify(wallet)[1] == []


def test_each_steps_intent_hash_covers_its_plan_and_position(wallet):
    plan = alice_and_bob(wallet)
    first, second = plan.steps
    assert (first.plan_id, first.position, second.position) == (plan.plan_id, 1, 2)
    moved = type(first)(**{**first.__dict__, "position": 2})
    other = type(first)(**{**first.__dict__, "plan_id": "0x" + "11" * 32})
    assert len({first.intent_hash, moved.intent_hash, other.intent_hash}) == 3
    single = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    assert "plan_id" not in single.canonical_json()  # a single proposal hashes as it always did


def test_a_step_left_out_is_logged_denied_by_the_plans_record_and_the_rest_runs(wallet):
    plan = alice_and_bob(wallet)
    usdc_before = usdc_balance(wallet, BOB)
    outcomes = pipeline.settle_plan(wallet, pipeline.propose_plan(wallet, plan), [True, False])
    assert [o.state for o in outcomes] == ["executed", "denied"]
    assert usdc_balance(wallet, BOB) == usdc_before
    assert statuses(wallet, plan) == [("native executed",), ("record denied",)]
    assert outcomes[1].log_tx_hash == wallet.journal.get_plan(plan.plan_id).log_tx_hash
    assert wallet.journal.get(plan.steps[1].action_id).logged == 1
    assert pipeline.reconcile(wallet) == []  # nothing left to log: no second record of the denial


def test_a_plan_denied_whole_moves_nothing_in_one_transaction(wallet):
    plan = alice_and_bob(wallet)
    before = wallet.w3.eth.get_balance(ALICE)
    block = wallet.w3.eth.block_number
    outcomes = pipeline.settle_plan(wallet, pipeline.propose_plan(wallet, plan), [False, False])
    assert [o.state for o in outcomes] == ["denied", "denied"]
    assert wallet.w3.eth.get_balance(ALICE) == before
    assert wallet.w3.eth.block_number == block + 1  # the plan's record, which logs both denials
    assert statuses(wallet, plan) == [("record denied",), ("record denied",)]


def test_when_a_step_fails_the_steps_after_it_are_not_sent(wallet):
    plan = plan_of(wallet, "pay alice 0.01 eth, then bob 0.02 eth",
                   ("send_native", {"to": ALICE, "amount_wei": ETH // 100}),
                   ("send_native", {"to": BOB, "amount_wei": ETH // 50}))
    review = pipeline.propose_plan(wallet, plan)
    pipeline.carry_out(wallet, proposal(wallet, "pause"), lambda _: True)  # the chain changes while it is shown
    bob_before = wallet.w3.eth.get_balance(BOB)
    outcomes = pipeline.settle_plan(wallet, review, [True, True])
    assert [o.state for o in outcomes] == ["failed", "failed"]
    assert "paused" in outcomes[0].error and outcomes[1].error == "not sent: step 1 did not execute"
    assert wallet.w3.eth.get_balance(BOB) == bob_before
    assert statuses(wallet, plan) == [("record failed",), ("record failed",)]


def test_a_kill_between_steps_never_sends_the_later_step_behind_the_persons_back(wallet):
    plan = alice_and_bob(wallet)
    review = pipeline.propose_plan(wallet, plan)
    usdc_before, eth_before = usdc_balance(wallet, BOB), wallet.w3.eth.get_balance(ALICE)
    original = pipeline._send_approved
    sent = []

    def killed_after_the_first(wallet_, step, progress):
        if sent:
            raise SystemExit("killed between steps")
        sent.append(step)
        return original(wallet_, step, progress)

    pipeline._send_approved = killed_after_the_first
    try:
        with pytest.raises(SystemExit):
            pipeline.settle_plan(wallet, review, [True, True])
    finally:
        pipeline._send_approved = original
    reopened = Wallet.open(wallet.home)
    [outcome] = pipeline.reconcile(reopened)
    assert (outcome.action_id, outcome.state) == (plan.steps[1].action_id, "failed")
    assert "nothing was sent" in outcome.error
    assert pipeline.reconcile(reopened) == []
    assert wallet.w3.eth.get_balance(ALICE) - eth_before == ETH // 100  # the first step, once
    assert usdc_balance(wallet, BOB) == usdc_before
    assert statuses(reopened, plan) == [("native executed",), ("record failed",)]


def test_a_kill_after_a_step_was_signed_sends_those_same_bytes_once(wallet):
    plan = alice_and_bob(wallet)
    review = pipeline.propose_plan(wallet, plan)
    usdc_before = usdc_balance(wallet, BOB)
    original, broadcasts = pipeline.transactions.broadcast, []

    def killed_at_the_third_broadcast(w3, raw):  # the plan's record, step 1, then step 2 is signed
        broadcasts.append(raw)
        if len(broadcasts) == 3:
            raise SystemExit("killed")
        return original(w3, raw)

    pipeline.transactions.broadcast = killed_at_the_third_broadcast
    try:
        with pytest.raises(SystemExit):
            pipeline.settle_plan(wallet, review, [True, True])
    finally:
        pipeline.transactions.broadcast = original
    assert wallet.journal.get(plan.steps[1].action_id).state == "signed"
    reopened = Wallet.open(wallet.home)
    [outcome] = pipeline.reconcile(reopened)
    assert outcome.state == "executed"
    assert usdc_balance(wallet, BOB) - usdc_before == 2 * USDC
    assert statuses(reopened, plan) == [("native executed",), ("token executed",)]


def test_a_kill_before_the_plans_record_is_mined_logs_it_at_the_next_start(wallet):
    plan = alice_and_bob(wallet)
    review = pipeline.propose_plan(wallet, plan)
    original = pipeline.transactions.broadcast

    def killed(w3, raw):
        raise SystemExit("killed")

    pipeline.transactions.broadcast = killed
    try:
        with pytest.raises(SystemExit):
            pipeline.settle_plan(wallet, review, [False, True])
    finally:
        pipeline.transactions.broadcast = original
    reopened = Wallet.open(wallet.home)
    outcomes = pipeline.reconcile(reopened)
    assert [(o.action_id, o.state) for o in outcomes] == [(plan.steps[1].action_id, "failed")]
    assert reopened.journal.get_plan(plan.plan_id).logged == 1
    assert statuses(reopened, plan) == [("record denied",), ("record failed",)]
    assert len(plan_events(reopened)) == 1


def test_a_plan_is_decided_once(wallet):
    review = pipeline.propose_plan(wallet, alice_and_bob(wallet))
    pipeline.settle_plan(wallet, review, [False, False])
    with pytest.raises(WalletError, match="was already decided"):
        pipeline.settle_plan(wallet, review, [True, True])
    with pytest.raises(WalletError, match="decide on each"):
        pipeline.settle_plan(wallet, pipeline.propose_plan(wallet, alice_and_bob(wallet)), [True])


def test_a_plan_has_two_to_five_steps(wallet):
    step = ("send_native", {"to": ALICE, "amount_wei": 1})
    for steps in ([step], [step] * 6):
        with pytest.raises(WalletError, match="a plan has 2 to 5 steps"):
            plan_of(wallet, "pay alice", *steps)


# the review of the plan as a whole

def test_the_review_adds_up_each_asset_against_what_is_left_in_the_window(wallet):
    plan = plan_of(wallet, "pay alice 0.01 eth, bob 0.02 eth and carol 3 usdc",
                   ("send_native", {"to": ALICE, "amount_wei": ETH // 100}),
                   ("send_native", {"to": BOB, "amount_wei": ETH // 50}),
                   ("send_token", {"token": usdc(wallet), "to": CAROL, "amount": 3 * USDC}))
    review = pipeline.propose_plan(wallet, plan)
    eth, token = review.totals
    assert (eth.unit, eth.amount, eth.by_agent) == ("ETH", 3 * ETH // 100, 3 * ETH // 100)
    assert eth.window_left_before - eth.window_left_after == 3 * ETH // 100
    assert (token.unit, token.amount, token.window_left_before - token.window_left_after) == ("USDC", 3 * USDC,
                                                                                            3 * USDC)
    assert review.critical_flags == []
    assert review.as_json()["plan_hash"] == plan.plan_hash


def test_steps_that_each_fit_but_together_pass_the_allowance_are_critical(wallet):
    pipeline.carry_out(wallet, proposal(wallet, "set_limits", per_tx_wei=ETH // 2, daily_wei=6 * ETH // 10),
                       lambda _: True)
    plan = plan_of(wallet, "pay alice 0.4 eth and bob 0.4 eth",
                   ("send_native", {"to": ALICE, "amount_wei": 4 * ETH // 10}),
                   ("send_native", {"to": BOB, "amount_wei": 4 * ETH // 10}))
    review = pipeline.propose_plan(wallet, plan)
    assert [step.critical_flags for step in review.steps] == [[], []]
    [flag] = review.flags
    assert flag.name == "plan_over_allowance" and flag.critical
    assert flag.text == ("together the steps send 0.8 ETH within the agent's limits, and only 0.6 ETH is left in "
                         "its window: the steps past it would fail")


def test_a_plan_that_pairs_the_request_wrongly_is_critical_step_by_step(wallet):
    """The issue's case, as a plan: both steps swap what alice and bob were asked to get."""
    plan = plan_of(wallet, "pay alice 0.02 eth and bob 5 usdc",
                   ("send_token", {"token": usdc(wallet), "to": ALICE, "amount": 5 * USDC}),
                   ("send_native", {"to": BOB, "amount_wei": ETH // 50}))
    review = pipeline.propose_plan(wallet, plan)
    names = [[f.name for f in step.flags if f.critical] for step in review.steps]
    assert names == [["request_pair_mismatch"], ["request_pair_mismatch"]]


def test_a_plan_that_leaves_out_an_asked_payment_says_so_for_the_whole(wallet):
    plan = plan_of(wallet, "pay alice 0.01 eth, bob 0.02 eth and carol 0.03 eth",
                   ("send_native", {"to": ALICE, "amount_wei": ETH // 100}),
                   ("send_native", {"to": BOB, "amount_wei": ETH // 50}))
    review = pipeline.propose_plan(wallet, plan)
    [flag] = [f for f in review.flags if f.critical]
    assert flag.name == "request_not_covered" and "0.03 eth to carol" in flag.text
