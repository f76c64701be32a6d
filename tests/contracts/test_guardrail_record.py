"""record(): denied and failed decisions go on chain too (guarantee 7)."""

import boa
import pytest
from guardrail_kit import DENIED, EXECUTED, FAILED, KIND_RECORD, ZERO, ids, last_event, sent_by


@pytest.mark.parametrize("status", [DENIED, FAILED])
def test_agent_records_a_decision_that_moved_nothing(vault, agent, status):
    action_id, intent_hash = ids()
    sent_by(agent, vault.record, action_id, intent_hash, status)
    action = last_event(vault, "Action")
    assert (action.action_id, action.actor, action.kind, action.target, action.token, action.amount,
            action.intent_hash, action.status) == (
        action_id, agent, KIND_RECORD, ZERO, ZERO, 0, intent_hash, status)


@pytest.mark.parametrize("status", [0, 4, 255])
def test_record_takes_only_denied_failed_or_executed(vault, agent, status):
    with boa.reverts("guardrail: status must be denied or failed"):
        sent_by(agent, vault.record, *ids(), status)


@pytest.mark.parametrize("who", ["agent", "stranger"])
def test_only_the_owner_records_an_executed_decision(vault, agent, stranger, who):
    with boa.reverts("guardrail: only the owner records executed"):
        sent_by(agent if who == "agent" else stranger, vault.record, *ids(), EXECUTED)


def test_the_owner_records_an_executed_policy_decision(vault, owner):
    action_id, intent_hash = ids()
    sent_by(owner, vault.record, action_id, intent_hash, EXECUTED)
    action = last_event(vault, "Action")
    assert (action.actor, action.kind, action.status, action.intent_hash) == (owner, KIND_RECORD, EXECUTED, intent_hash)


def test_record_works_while_paused(vault, owner, agent):
    sent_by(owner, vault.pause)
    sent_by(agent, vault.record, *ids(), DENIED)


def test_the_owner_can_record_too(vault, owner):
    sent_by(owner, vault.record, *ids(), DENIED)
    assert last_event(vault, "Action").actor == owner


def test_a_stranger_record_is_attributed_to_the_stranger(vault, stranger):
    sent_by(stranger, vault.record, *ids(), FAILED)
    assert last_event(vault, "Action").actor == stranger


def test_record_moves_nothing(vault, agent):
    before = (boa.env.get_balance(vault.address), vault.remaining_native(agent))
    sent_by(agent, vault.record, *ids(), FAILED)
    assert (boa.env.get_balance(vault.address), vault.remaining_native(agent)) == before


def test_a_reused_action_id_is_not_rejected_on_chain(vault, agent, alice):
    # uniqueness is the client's job (GUARANTEES.md): the chain only logs
    action_id, intent_hash = ids()
    sent_by(agent, vault.record, action_id, intent_hash, DENIED)
    sent_by(agent, vault.record, action_id, intent_hash, DENIED)
