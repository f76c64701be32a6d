"""The owner's side: guarantee 6 (only the owner), and the events of guarantee 7."""

import boa
import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector as selector
from guardrail_kit import (
    ALLOWANCE,
    DAY,
    ETH,
    EXECUTED,
    KIND_OWNER_EXECUTE,
    PER_TX,
    USDC,
    VAULT_FUNDS,
    VAULT_TOKENS,
    ZERO,
    deployer,
    ids,
    last_event,
    sent_by,
)

MAX_U96 = 2**96 - 1
MAX_U104 = 2**104 - 1


def owner_only_calls(vault, agent, alice, token):
    return {
        "set_policy": (agent, 1, 1, DAY, 0),
        "set_token_policy": (agent, token, 1, 1),
        "set_recipient": (agent, alice, True),
        "set_recipients_restricted": (agent, True),
        "set_call": (agent, alice, b"\x12\x34\x56\x78", True),
        "pause": (),
        "unpause": (),
        "withdraw_native": (alice, 1),
        "withdraw_token": (token, alice, 1),
        "owner_execute": (alice, 1, b"", *ids()),
        "transfer_ownership": (alice,),
    }


@pytest.mark.parametrize("function", list(owner_only_calls(None, None, None, None)))
def test_only_the_owner_may(function, vault, usdc, agent, alice):
    args = owner_only_calls(vault, agent, alice, usdc.address)[function]
    with boa.reverts("guardrail: caller is not the owner"):
        sent_by(agent, getattr(vault, function), *args)


def test_the_deployer_is_the_owner(bare_vault, owner):
    assert bare_vault.owner() == owner
    assert bare_vault.pending_owner() == ZERO
    assert not bare_vault.paused()


# ------------------------------------------------------------------ set_policy

def test_set_policy_emits_policy_set(bare_vault, owner, agent):
    sent_by(owner, bare_vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, boa.env.timestamp + 7 * DAY)
    event = last_event(bare_vault, "PolicySet")
    assert (event.agent, event.per_tx_max, event.allowance, event.period, event.valid_until, event.start) == (
        agent, PER_TX, ALLOWANCE, DAY, boa.env.timestamp + 7 * DAY, boa.env.timestamp)


@pytest.mark.parametrize(("per_tx", "allowance", "period", "expires_in", "reason"), [
    (MAX_U96 + 1, 1, DAY, None, "guardrail: per_tx_max too large"),
    (1, MAX_U96 + 1, DAY, None, "guardrail: allowance too large"),
    (1, 1, 0, None, "guardrail: period out of range"),
    (1, 1, 2**32, None, "guardrail: period out of range"),
    (1, 1, DAY, 0, "guardrail: valid_until in the past"),
    (1, 1, DAY, -DAY, "guardrail: valid_until in the past"),
])
def test_set_policy_rejects_values_that_do_not_fit(bare_vault, owner, agent, per_tx, allowance, period,
                                                   expires_in, reason):
    valid_until = 0 if expires_in is None else boa.env.timestamp + expires_in
    with boa.reverts(reason):
        sent_by(owner, bare_vault.set_policy, agent, per_tx, allowance, period, valid_until)


def test_set_policy_rejects_a_valid_until_past_40_bits(bare_vault, owner, agent):
    with boa.reverts("guardrail: valid_until too large"):
        sent_by(owner, bare_vault.set_policy, agent, 1, 1, DAY, 2**40)


def test_set_policy_for_the_zero_address_is_rejected(bare_vault, owner):
    with boa.reverts("guardrail: agent is the zero address"):
        sent_by(owner, bare_vault.set_policy, ZERO, 1, 1, DAY, 0)


def test_set_policy_takes_the_widest_values(bare_vault, owner, agent):
    sent_by(owner, bare_vault.set_policy, agent, MAX_U96, MAX_U96, 2**32 - 1, 2**40 - 1)
    policy = bare_vault.policy(agent)
    assert (policy.per_tx_max, policy.allowance, policy.period, policy.valid_until) == (
        MAX_U96, MAX_U96, 2**32 - 1, 2**40 - 1)
    assert bare_vault.remaining_native(agent) == MAX_U96


def test_valid_until_zero_means_no_expiry(bare_vault, owner, agent, alice):
    sent_by(owner, bare_vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, 0)
    boa.env.time_travel(seconds=100 * 365 * DAY)
    sent_by(agent, bare_vault.send_native, alice, 1, *ids())


def test_changing_limits_mid_window_keeps_what_was_spent(vault, owner, agent, alice):
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    sent_by(owner, vault.set_policy, agent, PER_TX, 2 * ETH, DAY, 0)
    assert vault.policy(agent).spent_in_current_window == PER_TX
    assert vault.remaining_native(agent) == ETH
    sent_by(owner, vault.set_policy, agent, PER_TX, ETH // 2, DAY, 0)
    assert vault.remaining_native(agent) == 0


def test_set_policy_starts_a_new_window_now(vault, owner, agent, alice):
    boa.env.time_travel(seconds=DAY // 2)
    sent_by(owner, vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, 0)
    policy = vault.policy(agent)
    assert policy.start == boa.env.timestamp
    assert policy.window_resets_at == boa.env.timestamp + DAY


def test_set_policy_after_revocation_starts_fresh(vault, owner, agent, alice):
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    sent_by(owner, vault.revoke, agent)
    sent_by(owner, vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, 0)
    policy = vault.policy(agent)
    assert not policy.revoked
    assert policy.spent_in_current_window == 0
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())


def test_set_policy_keeps_the_recipient_restriction(vault, owner, agent, alice):
    sent_by(owner, vault.set_recipients_restricted, agent, True)
    sent_by(owner, vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, 0)
    with boa.reverts("guardrail: recipient not allowed"):
        sent_by(agent, vault.send_native, alice, 1, *ids())


# ------------------------------------------------------------------ token policy, lists

def test_set_token_policy_emits_token_policy_set(vault, usdc, owner, agent):
    sent_by(owner, vault.set_token_policy, agent, usdc.address, 5 * USDC, 50 * USDC)
    event = last_event(vault, "TokenPolicySet")
    assert (event.agent, event.token, event.per_tx_max, event.allowance) == (agent, usdc.address, 5 * USDC, 50 * USDC)


@pytest.mark.parametrize(("per_tx", "allowance", "reason"), [
    (MAX_U104 + 1, 1, "guardrail: per_tx_max too large"),
    (1, MAX_U104 + 1, "guardrail: allowance too large"),
])
def test_set_token_policy_rejects_values_that_do_not_fit(vault, usdc, owner, agent, per_tx, allowance, reason):
    with boa.reverts(reason):
        sent_by(owner, vault.set_token_policy, agent, usdc.address, per_tx, allowance)


def test_set_token_policy_takes_the_widest_values(vault, usdc, owner, agent):
    sent_by(owner, vault.set_token_policy, agent, usdc.address, MAX_U104, MAX_U104)
    assert vault.remaining_token(agent, usdc.address) == MAX_U104


def test_set_token_policy_for_the_zero_address_is_rejected(vault, usdc, owner):
    with boa.reverts("guardrail: agent is the zero address"):
        sent_by(owner, vault.set_token_policy, ZERO, usdc.address, 1, 1)


def test_set_recipient_emits_recipient_set(vault, owner, agent, alice):
    sent_by(owner, vault.set_recipient, agent, alice, True)
    event = last_event(vault, "RecipientSet")
    assert (event.agent, event.recipient, event.allowed) == (agent, alice, True)


def test_set_recipients_restricted_emits_recipients_restricted_set(vault, owner, agent):
    sent_by(owner, vault.set_recipients_restricted, agent, True)
    event = last_event(vault, "RecipientsRestrictedSet")
    assert (event.agent, event.restricted) == (agent, True)
    sent_by(owner, vault.set_recipients_restricted, agent, False)
    assert not vault.policy(agent).recipients_restricted


def test_set_call_emits_call_set(vault, owner, agent, target):
    sent_by(owner, vault.set_call, agent, target.address, selector("poke(uint256)"), True)
    event = last_event(vault, "CallSet")
    assert (event.agent, event.target, event.selector, event.allowed) == (
        agent, target.address, selector("poke(uint256)"), True)


def test_a_token_selector_may_still_be_switched_off(vault, owner, agent, target):
    sent_by(owner, vault.set_call, agent, target.address, selector("approve(address,uint256)"), False)
    assert last_event(vault, "CallSet").allowed is False


# ------------------------------------------------------------------ revoke

def test_revoke_emits_revoked_naming_who_revoked(vault, owner, agent):
    sent_by(owner, vault.revoke, agent)
    event = last_event(vault, "Revoked")
    assert (event.agent, event.by) == (agent, owner)
    assert vault.policy(agent).revoked


def test_an_agent_revoking_itself_is_named_in_the_event(vault, agent):
    sent_by(agent, vault.revoke, agent)
    assert last_event(vault, "Revoked").by == agent


def test_a_stranger_cannot_revoke_an_agent(vault, agent, stranger):
    with boa.reverts("guardrail: caller is not the owner or the agent"):
        sent_by(stranger, vault.revoke, agent)


def test_an_agent_cannot_revoke_another_agent(vault, owner, agent, stranger):
    sent_by(owner, vault.set_policy, stranger, 1, 1, DAY, 0)
    with boa.reverts("guardrail: caller is not the owner or the agent"):
        sent_by(agent, vault.revoke, stranger)


def test_revoking_twice_is_rejected(vault, agent):
    sent_by(agent, vault.revoke, agent)
    with boa.reverts("guardrail: already revoked"):
        sent_by(agent, vault.revoke, agent)


def test_revoking_an_address_without_policy_is_rejected(vault, owner, stranger):
    with boa.reverts("guardrail: no policy"):
        sent_by(owner, vault.revoke, stranger)


# ------------------------------------------------------------------ pause

def test_pause_and_unpause_emit_events(vault, owner):
    sent_by(owner, vault.pause)
    assert last_event(vault, "Paused").by == owner
    assert vault.paused()
    sent_by(owner, vault.unpause)
    assert last_event(vault, "Unpaused").by == owner
    assert not vault.paused()


def test_pausing_twice_is_rejected(vault, owner):
    sent_by(owner, vault.pause)
    with boa.reverts("guardrail: already paused"):
        sent_by(owner, vault.pause)


def test_unpausing_when_not_paused_is_rejected(vault, owner):
    with boa.reverts("guardrail: not paused"):
        sent_by(owner, vault.unpause)


# ------------------------------------------------------------------ withdrawals

def test_owner_withdraws_native_and_it_is_logged(vault, owner, alice):
    sent_by(owner, vault.withdraw_native, alice, 2 * ETH)
    assert boa.env.get_balance(alice) == 2 * ETH
    event = last_event(vault, "Withdrawal")
    assert (event.token, event.to, event.amount) == (ZERO, alice, 2 * ETH)


def test_owner_withdraws_tokens_and_it_is_logged(vault, usdc, owner, alice):
    sent_by(owner, vault.withdraw_token, usdc.address, alice, 7 * USDC)
    assert usdc.balanceOf(alice) == 7 * USDC
    event = last_event(vault, "Withdrawal")
    assert (event.token, event.to, event.amount) == (usdc.address, alice, 7 * USDC)


def test_owner_withdraws_while_paused(vault, owner, alice):
    sent_by(owner, vault.pause)
    sent_by(owner, vault.withdraw_native, alice, 1)


def test_withdrawing_more_than_the_vault_holds_is_rejected(vault, usdc, owner, alice):
    with boa.reverts("guardrail: vault balance too low"):
        sent_by(owner, vault.withdraw_native, alice, VAULT_FUNDS + 1)
    with boa.reverts("guardrail: token transfer failed"):
        sent_by(owner, vault.withdraw_token, usdc.address, alice, VAULT_TOKENS + 1)


def test_withdrawing_to_the_zero_address_is_rejected(vault, usdc, owner):
    with boa.reverts("guardrail: recipient is the zero address"):
        sent_by(owner, vault.withdraw_native, ZERO, 1)
    with boa.reverts("guardrail: recipient is the zero address"):
        sent_by(owner, vault.withdraw_token, usdc.address, ZERO, 1)


def test_withdrawing_a_token_from_an_address_without_code_fails(vault, owner, alice, stranger):
    with boa.reverts("guardrail: token transfer failed"):
        sent_by(owner, vault.withdraw_token, stranger, alice, 1)


def test_withdraw_to_a_refusing_contract_fails(vault, owner, hostile):
    hostile.set_refuse(True)
    with boa.reverts("guardrail: native transfer failed"):
        sent_by(owner, vault.withdraw_native, hostile.address, 1)


# ------------------------------------------------------------------ owner_execute

def test_owner_executes_beyond_the_agent_limits_and_it_is_logged(vault, owner, alice):
    action_id, intent_hash = ids()
    sent_by(owner, vault.owner_execute, alice, 5 * ETH, b"", action_id, intent_hash)
    assert boa.env.get_balance(alice) == 5 * ETH
    action = last_event(vault, "Action")
    assert (action.action_id, action.actor, action.kind, action.target, action.token, action.amount,
            action.intent_hash, action.status) == (
        action_id, owner, KIND_OWNER_EXECUTE, alice, ZERO, 5 * ETH, intent_hash, EXECUTED)


def test_owner_execute_of_a_token_transfer_logs_token_recipient_and_amount(vault, usdc, owner, alice):
    data = selector("transfer(address,uint256)") + encode(["address", "uint256"], [alice, 500 * USDC])
    sent_by(owner, vault.owner_execute, usdc.address, 0, data, *ids())
    assert usdc.balanceOf(alice) == 500 * USDC
    action = last_event(vault, "Action")
    assert (action.target, action.token, action.amount) == (alice, usdc.address, 500 * USDC)


def test_owner_execute_returns_the_answer(vault, owner, target):
    data = selector("poke(uint256)") + encode(["uint256"], [9])
    assert sent_by(owner, vault.owner_execute, target.address, 3, data, *ids()) == encode(["uint256"], [10])
    assert target.last_value() == 3


def test_owner_execute_passes_on_the_target_revert(vault, owner, target):
    with boa.reverts("target says no"):
        sent_by(owner, vault.owner_execute, target.address, 0, selector("fail()"), *ids())


def test_owner_execute_beyond_the_vault_balance_is_rejected(vault, owner, alice):
    with boa.reverts("guardrail: vault balance too low"):
        sent_by(owner, vault.owner_execute, alice, VAULT_FUNDS + 1, b"", *ids())


def test_owner_execute_works_while_paused(vault, owner, alice):
    sent_by(owner, vault.pause)
    sent_by(owner, vault.owner_execute, alice, 1, b"", *ids())


# ------------------------------------------------------------------ ownership

def test_ownership_moves_in_two_steps(vault, owner, alice):
    sent_by(owner, vault.transfer_ownership, alice)
    started = last_event(vault, "OwnershipTransferStarted")
    assert (started.previous_owner, started.new_owner) == (owner, alice)
    assert vault.owner() == owner
    assert vault.pending_owner() == alice
    sent_by(alice, vault.accept_ownership)
    transferred = last_event(vault, "OwnershipTransferred")
    assert (transferred.previous_owner, transferred.new_owner) == (owner, alice)
    assert vault.owner() == alice
    assert vault.pending_owner() == ZERO


def test_the_old_owner_loses_its_powers(vault, owner, alice):
    sent_by(owner, vault.transfer_ownership, alice)
    sent_by(alice, vault.accept_ownership)
    with boa.reverts("guardrail: caller is not the owner"):
        sent_by(owner, vault.pause)
    sent_by(alice, vault.pause)


def test_only_the_pending_owner_can_accept(vault, owner, alice, stranger):
    sent_by(owner, vault.transfer_ownership, alice)
    with boa.reverts("guardrail: caller is not the pending owner"):
        sent_by(stranger, vault.accept_ownership)


def test_a_pending_transfer_can_be_cancelled(vault, owner, alice):
    sent_by(owner, vault.transfer_ownership, alice)
    sent_by(owner, vault.transfer_ownership, ZERO)
    with boa.reverts("guardrail: caller is not the pending owner"):
        sent_by(alice, vault.accept_ownership)


def test_deployment_logs_the_first_owner(owner):
    with boa.env.prank(owner):
        vault = deployer("Guardrail").deploy()
    transferred = last_event(vault, "OwnershipTransferred")
    assert (transferred.previous_owner, transferred.new_owner) == (ZERO, owner)


# ------------------------------------------------------------------ deposits

def test_plain_deposits_are_accepted_and_logged(bare_vault, stranger):
    boa.env.set_balance(stranger, ETH)
    computation = boa.env.raw_call(bare_vault.address, sender=stranger, value=ETH)
    assert boa.env.get_balance(bare_vault.address) == VAULT_FUNDS + ETH
    deposit = last_event(bare_vault, "Deposit", computation)
    assert (deposit.sender, deposit.amount) == (stranger, ETH)


def test_calls_to_unknown_functions_are_rejected(bare_vault, stranger):
    computation = boa.env.execute_code(bare_vault.address, sender=stranger, data=selector("nothing()"))
    assert computation.is_error
    assert computation.output == selector("Error(string)") + encode(["string"], ["guardrail: unknown function"])
