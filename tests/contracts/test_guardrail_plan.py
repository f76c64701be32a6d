"""record_plan(): the person's decision on a plan goes on chain in one transaction (guarantee 7)."""

import boa
import pytest
from guardrail_kit import DENIED, KIND_RECORD, ZERO, ids, last_event, sent_by


def steps(n: int) -> tuple[list[bytes], list[bytes]]:
    pairs = [ids() for _ in range(n)]
    return [action_id for action_id, _ in pairs], [intent for _, intent in pairs]


def denied_actions(vault) -> list[tuple]:
    return [(log.action_id, log.actor, log.kind, log.target, log.token, log.amount, log.intent_hash, log.status)
            for log in vault.get_logs() if type(log).__name__ == "Action"]


def test_a_plan_approved_whole_logs_the_plan_and_no_denials(vault, agent):
    (plan_id, plan_hash), (action_ids, intents) = ids(), steps(3)
    sent_by(agent, vault.record_plan, plan_id, plan_hash, action_ids, intents, 0b111)
    plan = last_event(vault, "Plan")
    assert (plan.plan_id, plan.actor, plan.plan_hash, list(plan.action_ids), plan.approved) == (
        plan_id, agent, plan_hash, action_ids, 0b111)
    assert denied_actions(vault) == []


def test_each_step_left_out_is_logged_denied_as_record_would(vault, agent):
    (plan_id, plan_hash), (action_ids, intents) = ids(), steps(3)
    sent_by(agent, vault.record_plan, plan_id, plan_hash, action_ids, intents, 0b010)
    assert denied_actions(vault) == [(action_ids[i], agent, KIND_RECORD, ZERO, ZERO, 0, intents[i], DENIED)
                                     for i in (0, 2)]
    assert last_event(vault, "Plan").approved == 0b010


def test_a_plan_denied_whole_logs_every_step_denied(vault, stranger):
    (plan_id, plan_hash), (action_ids, intents) = ids(), steps(2)
    sent_by(stranger, vault.record_plan, plan_id, plan_hash, action_ids, intents, 0)
    assert [log[0] for log in denied_actions(vault)] == action_ids
    assert last_event(vault, "Plan").actor == stranger  # open to anyone; readers attribute by actor


@pytest.mark.parametrize("n", [0, 1])
def test_a_plan_has_at_least_two_steps(vault, agent, n):
    with boa.reverts("guardrail: a plan has 2 to 5 steps"):
        sent_by(agent, vault.record_plan, *ids(), *steps(n), 0)


def test_a_plan_has_at_most_five_steps(vault, agent):
    with boa.reverts(compiler="DynArray[bytes32, 5] bounds check"):
        sent_by(agent, vault.record_plan, *ids(), *steps(6), 0)


def test_each_step_has_one_intent_hash(vault, agent):
    action_ids, intents = steps(3)
    with boa.reverts("guardrail: one intent hash per step"):
        sent_by(agent, vault.record_plan, *ids(), action_ids, intents[:2], 0)


@pytest.mark.parametrize("approved", [0b100, 0b111, 2**255])
def test_approved_names_only_steps_the_plan_has(vault, agent, approved):
    with boa.reverts("guardrail: approved names a step the plan does not have"):
        sent_by(agent, vault.record_plan, *ids(), *steps(2), approved)


def test_a_plan_record_works_while_paused_and_moves_nothing(vault, owner, agent):
    sent_by(owner, vault.pause)
    before = (boa.env.get_balance(vault.address), vault.remaining_native(agent))
    sent_by(agent, vault.record_plan, *ids(), *steps(2), 0b01)
    assert (boa.env.get_balance(vault.address), vault.remaining_native(agent)) == before
