"""send_native: guarantees 1, 3, 4 and 8 for the chain's own currency."""

import boa
from guardrail_kit import (
    ALLOWANCE,
    DAY,
    ETH,
    EXECUTED,
    KIND_NATIVE,
    PER_TX,
    VAULT_FUNDS,
    ZERO,
    ids,
    last_event,
    sent_by,
)


def test_agent_sends_native_within_its_limits(vault, agent, alice):
    action_id, intent_hash = ids()
    sent_by(agent, vault.send_native, alice, PER_TX, action_id, intent_hash)
    assert boa.env.get_balance(alice) == PER_TX
    assert boa.env.get_balance(vault.address) == VAULT_FUNDS - PER_TX
    action = last_event(vault, "Action")
    assert (action.action_id, action.actor, action.kind, action.target, action.token, action.amount,
            action.intent_hash, action.status) == (
        action_id, agent, KIND_NATIVE, alice, ZERO, PER_TX, intent_hash, EXECUTED)


def test_send_native_emits_exactly_one_event(vault, agent, alice):
    sent_by(agent, vault.send_native, alice, 1, *ids())
    assert [type(log).__name__ for log in vault.get_logs()] == ["Action"]


def test_agent_cannot_send_more_than_per_tx_max(vault, agent, alice):
    with boa.reverts("guardrail: over per-tx limit"):
        sent_by(agent, vault.send_native, alice, PER_TX + 1, *ids())


def test_agent_cannot_exceed_its_allowance_within_a_window(vault, agent, alice):
    for _ in range(ALLOWANCE // PER_TX):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_native, alice, 1, *ids())


def test_allowance_refills_when_the_window_ends(vault, agent, alice):
    for _ in range(ALLOWANCE // PER_TX):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    boa.env.time_travel(seconds=DAY - 1)
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_native, alice, 1, *ids())
    boa.env.time_travel(seconds=1)
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())


def test_windows_are_anchored_at_the_policy_start_not_at_the_first_spend(vault, agent, alice):
    boa.env.time_travel(seconds=DAY - 60)
    for _ in range(ALLOWANCE // PER_TX):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    boa.env.time_travel(seconds=60)  # a new window, one minute after the spending
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())


def test_one_period_can_see_at_most_twice_the_allowance_across_a_boundary(vault, agent, alice):
    boa.env.time_travel(seconds=DAY - 1)
    for _ in range(ALLOWANCE // PER_TX):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    boa.env.time_travel(seconds=1)
    for _ in range(ALLOWANCE // PER_TX):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_native, alice, 1, *ids())
    assert boa.env.get_balance(alice) == 2 * ALLOWANCE  # within two seconds, and no more


def test_agent_cannot_spend_while_paused(vault, owner, agent, alice):
    sent_by(owner, vault.pause)
    with boa.reverts("guardrail: paused"):
        sent_by(agent, vault.send_native, alice, 1, *ids())


def test_agent_can_spend_again_after_unpause(vault, owner, agent, alice):
    sent_by(owner, vault.pause)
    sent_by(owner, vault.unpause)
    sent_by(agent, vault.send_native, alice, 1, *ids())


def test_agent_cannot_spend_from_the_second_its_policy_expires(bare_vault, owner, agent, alice):
    valid_until = boa.env.timestamp + 3 * DAY + 100
    sent_by(owner, bare_vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, valid_until)
    boa.env.timestamp = valid_until - 1
    sent_by(agent, bare_vault.send_native, alice, 1, *ids())
    boa.env.timestamp = valid_until
    with boa.reverts("guardrail: policy expired"):
        sent_by(agent, bare_vault.send_native, alice, 1, *ids())


def test_expiry_inside_a_window_ends_it_early(bare_vault, owner, agent, alice):
    valid_until = boa.env.timestamp + 100
    sent_by(owner, bare_vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, valid_until)
    sent_by(agent, bare_vault.send_native, alice, 1, *ids())
    boa.env.time_travel(seconds=100)
    with boa.reverts("guardrail: policy expired"):
        sent_by(agent, bare_vault.send_native, alice, 1, *ids())


def test_agent_cannot_spend_after_the_owner_revokes_it(vault, owner, agent, alice):
    sent_by(owner, vault.revoke, agent)
    with boa.reverts("guardrail: policy revoked"):
        sent_by(agent, vault.send_native, alice, 1, *ids())


def test_agent_can_revoke_its_own_key(vault, agent, alice):
    sent_by(agent, vault.revoke, agent)
    with boa.reverts("guardrail: policy revoked"):
        sent_by(agent, vault.send_native, alice, 1, *ids())


def test_revocation_outlasts_window_rollovers(vault, agent, alice):
    sent_by(agent, vault.revoke, agent)
    boa.env.time_travel(seconds=5 * DAY)
    with boa.reverts("guardrail: policy revoked"):
        sent_by(agent, vault.send_native, alice, 1, *ids())


def test_address_without_policy_cannot_send(vault, stranger, alice):
    with boa.reverts("guardrail: no policy"):
        sent_by(stranger, vault.send_native, alice, 1, *ids())


def test_agent_with_recipients_restricted_pays_only_allowlisted_addresses(vault, owner, agent, alice, bob):
    sent_by(owner, vault.set_recipients_restricted, agent, True)
    sent_by(owner, vault.set_recipient, agent, alice, True)
    sent_by(agent, vault.send_native, alice, 1, *ids())
    with boa.reverts("guardrail: recipient not allowed"):
        sent_by(agent, vault.send_native, bob, 1, *ids())


def test_unlisting_a_recipient_stops_payments_to_it(vault, owner, agent, alice):
    sent_by(owner, vault.set_recipients_restricted, agent, True)
    sent_by(owner, vault.set_recipient, agent, alice, True)
    sent_by(owner, vault.set_recipient, agent, alice, False)
    with boa.reverts("guardrail: recipient not allowed"):
        sent_by(agent, vault.send_native, alice, 1, *ids())


def test_agent_pays_anyone_when_recipients_are_not_restricted(vault, owner, agent, alice, bob):
    sent_by(owner, vault.set_recipient, agent, alice, True)  # a list alone restricts nothing
    sent_by(agent, vault.send_native, bob, 1, *ids())


def test_send_native_to_the_zero_address_is_rejected(vault, agent):
    with boa.reverts("guardrail: recipient is the zero address"):
        sent_by(agent, vault.send_native, ZERO, 1, *ids())


def test_send_native_beyond_the_vault_balance_fails_and_counts_nothing(bare_vault, owner, agent, alice):
    sent_by(owner, bare_vault.set_policy, agent, 100 * ETH, 100 * ETH, DAY, 0)
    with boa.reverts("guardrail: vault balance too low"):
        sent_by(agent, bare_vault.send_native, alice, VAULT_FUNDS + 1, *ids())
    assert bare_vault.policy(agent).spent_in_current_window == 0


def test_send_native_forwards_all_gas_to_a_contract_recipient(vault, agent, hostile):
    # the recipient writes storage when paid, which the 2300 gas stipend would not allow
    sent_by(agent, vault.send_native, hostile.address, PER_TX, *ids())
    assert hostile.received() == PER_TX


def test_send_native_carries_no_calldata(vault, agent, hostile):
    sent_by(agent, vault.send_native, hostile.address, 1, *ids())
    assert hostile.calldata_size() == 0


def test_send_native_to_a_refusing_recipient_fails_and_counts_nothing(vault, agent, hostile):
    hostile.set_refuse(True)
    with boa.reverts("guardrail: native transfer failed"):
        sent_by(agent, vault.send_native, hostile.address, PER_TX, *ids())
    assert vault.policy(agent).spent_in_current_window == 0
    assert boa.env.get_balance(vault.address) == VAULT_FUNDS


def test_send_native_takes_no_value(vault, agent, alice):
    boa.env.set_balance(agent, ETH)
    with boa.reverts():
        sent_by(agent, vault.send_native, alice, 1, *ids(), value=1)


def test_several_agents_have_independent_policies(vault, owner, agent, stranger, alice):
    sent_by(owner, vault.set_policy, stranger, 2 * PER_TX, 2 * PER_TX, DAY, 0)
    sent_by(stranger, vault.send_native, alice, 2 * PER_TX, *ids())
    assert vault.remaining_native(stranger) == 0
    assert vault.remaining_native(agent) == PER_TX
