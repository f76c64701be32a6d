"""call(): guarantees 2 and 5 — only allowlisted (target, selector) pairs, value is native spend."""

import boa
import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector as selector
from guardrail_kit import (
    ALLOWANCE,
    EXECUTED,
    KIND_CALL,
    PER_TX,
    VAULT_FUNDS,
    ZERO,
    ids,
    last_event,
    sent_by,
)

POKE = selector("poke(uint256)")


def poke(argument: int) -> bytes:
    return POKE + encode(["uint256"], [argument])


@pytest.fixture
def allowed_target(vault, owner, agent, target):
    sent_by(owner, vault.set_call, agent, target.address, POKE, True)
    return target


def test_agent_calls_an_allowlisted_target_and_gets_its_answer(vault, agent, allowed_target):
    answer = sent_by(agent, vault.call, allowed_target.address, 0, poke(41), *ids())
    assert answer == encode(["uint256"], [42])
    assert allowed_target.last_caller() == vault.address
    assert allowed_target.last_argument() == 41


def test_call_emits_one_action_event(vault, agent, allowed_target):
    action_id, intent_hash = ids()
    sent_by(agent, vault.call, allowed_target.address, 5, poke(1), action_id, intent_hash)
    action = last_event(vault, "Action")
    assert (action.action_id, action.actor, action.kind, action.target, action.token, action.amount,
            action.intent_hash, action.status) == (
        action_id, agent, KIND_CALL, allowed_target.address, ZERO, 5, intent_hash, EXECUTED)


def test_call_value_counts_against_the_native_limits(vault, agent, alice, allowed_target):
    sent_by(agent, vault.call, allowed_target.address, PER_TX, poke(1), *ids())
    assert allowed_target.last_value() == PER_TX
    assert vault.policy(agent).spent_in_current_window == PER_TX
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    sent_by(agent, vault.call, allowed_target.address, ALLOWANCE - 2 * PER_TX, poke(1), *ids())
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.call, allowed_target.address, 1, poke(1), *ids())


def test_call_value_over_per_tx_max_is_rejected(vault, agent, allowed_target):
    with boa.reverts("guardrail: over per-tx limit"):
        sent_by(agent, vault.call, allowed_target.address, PER_TX + 1, poke(1), *ids())


def test_call_to_a_target_that_is_not_allowlisted_is_rejected(vault, agent, target):
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, target.address, 0, poke(1), *ids())


def test_allowlisting_is_per_selector(vault, agent, allowed_target):
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, allowed_target.address, 0, selector("fail()"), *ids())


def test_allowlisting_is_per_agent(vault, owner, stranger, allowed_target):
    sent_by(owner, vault.set_policy, stranger, PER_TX, ALLOWANCE, 86_400, 0)
    with boa.reverts("guardrail: call not allowed"):
        sent_by(stranger, vault.call, allowed_target.address, 0, poke(1), *ids())


def test_removing_a_call_from_the_allowlist_stops_it(vault, owner, agent, allowed_target):
    sent_by(owner, vault.set_call, agent, allowed_target.address, POKE, False)
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, allowed_target.address, 0, poke(1), *ids())


@pytest.mark.parametrize("data", [b"", b"\x01\x02\x03"])
def test_call_without_a_selector_is_rejected(vault, agent, allowed_target, data):
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, allowed_target.address, 0, data, *ids())


@pytest.mark.parametrize("signature", [
    "approve(address,uint256)",
    "transfer(address,uint256)",
    "transferFrom(address,address,uint256)",
    "increaseAllowance(address,uint256)",
    "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
    "setApprovalForAll(address,bool)",
    "safeTransferFrom(address,address,uint256)",
    "transferAndCall(address,uint256,bytes)",
    "approve(address,address,uint160,uint48)",
])
def test_token_moving_selectors_cannot_be_allowlisted(vault, owner, agent, target, signature):
    with boa.reverts("guardrail: selector moves or approves tokens"):
        sent_by(owner, vault.set_call, agent, target.address, selector(signature), True)
    assert not vault.call_allowed(agent, target.address, selector(signature))


def test_approve_cannot_be_called_even_on_a_target_that_has_it(vault, agent, target):
    data = selector("approve(address,uint256)") + encode(["address", "uint256"], [agent, 2**256 - 1])
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, target.address, 0, data, *ids())


def test_call_can_never_reach_a_token_that_has_a_token_policy(vault, usdc, owner, agent):
    name = selector("name()")
    sent_by(owner, vault.set_call, agent, usdc.address, name, True)
    sent_by(agent, vault.call, usdc.address, 0, name, *ids())
    sent_by(owner, vault.set_token_policy, agent, usdc.address, 1, 1)
    assert not vault.call_allowed(agent, usdc.address, name)
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, usdc.address, 0, name, *ids())


def test_a_token_policy_for_one_agent_shields_the_token_from_all_agents(vault, usdc, owner, agent, stranger):
    name = selector("name()")
    sent_by(owner, vault.set_call, agent, usdc.address, name, True)
    sent_by(owner, vault.set_token_policy, stranger, usdc.address, 1, 1)
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, usdc.address, 0, name, *ids())


def test_the_vault_itself_cannot_be_allowlisted(vault, owner, agent):
    with boa.reverts("guardrail: target is the vault"):
        sent_by(owner, vault.set_call, agent, vault.address, selector("pause()"), True)


def test_call_passes_on_the_target_revert(vault, owner, agent, target):
    sent_by(owner, vault.set_call, agent, target.address, selector("fail()"), True)
    with boa.reverts("target says no"):
        sent_by(agent, vault.call, target.address, 0, selector("fail()"), *ids())
    assert vault.policy(agent).spent_in_current_window == 0


def test_call_while_paused_is_rejected(vault, owner, agent, allowed_target):
    sent_by(owner, vault.pause)
    with boa.reverts("guardrail: paused"):
        sent_by(agent, vault.call, allowed_target.address, 0, poke(1), *ids())


def test_call_after_revocation_is_rejected(vault, agent, allowed_target):
    sent_by(agent, vault.revoke, agent)
    with boa.reverts("guardrail: policy revoked"):
        sent_by(agent, vault.call, allowed_target.address, 0, poke(1), *ids())


def test_call_beyond_the_vault_balance_fails_cleanly(bare_vault, owner, agent, target):
    sent_by(owner, bare_vault.set_policy, agent, 2 * VAULT_FUNDS, 2 * VAULT_FUNDS, 86_400, 0)
    sent_by(owner, bare_vault.set_call, agent, target.address, POKE, True)
    with boa.reverts("guardrail: vault balance too low"):
        sent_by(agent, bare_vault.call, target.address, VAULT_FUNDS + 1, poke(1), *ids())


def test_call_allowed_reports_the_allowlist(vault, agent, allowed_target):
    assert vault.call_allowed(agent, allowed_target.address, POKE)
    assert not vault.call_allowed(agent, allowed_target.address, selector("fail()"))
