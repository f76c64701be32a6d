"""Guarantee 8: the bug classes audits found in comparable wallets, one named test each.

1. spend counted on failed transfers
2. native limits that let arbitrary calldata through
3. usage never persisted
4. wrapping nonces / counters
"""

import boa
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector as selector
from eth_utils import keccak
from guardrail_kit import ALLOWANCE, DAY, PER_TX, TOKEN_PER_TX, VAULT_FUNDS, VAULT_TOKENS, deployer, ids, sent_by

# 1. spend counted on failed transfers

def test_spend_is_not_counted_when_a_token_returns_false(vault, owner, agent, alice):
    token = deployer("FalseToken").deploy()
    token.mint(vault.address, VAULT_TOKENS)
    sent_by(owner, vault.set_token_policy, agent, token.address, TOKEN_PER_TX, TOKEN_PER_TX)
    token.set_answer(0)
    with boa.reverts("guardrail: token transfer failed"):
        sent_by(agent, vault.send_token, token.address, alice, TOKEN_PER_TX, *ids())
    token.set_answer(1)
    sent_by(agent, vault.send_token, token.address, alice, TOKEN_PER_TX, *ids())  # the full allowance is still there
    assert token.balanceOf(alice) == TOKEN_PER_TX


def test_spend_is_not_counted_when_a_native_transfer_fails(vault, agent, hostile):
    hostile.set_refuse(True)
    with boa.reverts("guardrail: native transfer failed"):
        sent_by(agent, vault.send_native, hostile.address, PER_TX, *ids())
    assert vault.remaining_native(agent) == PER_TX
    assert vault.policy(agent).spent_in_current_window == 0


def test_spend_is_not_counted_when_a_call_fails(vault, owner, agent, target):
    sent_by(owner, vault.set_call, agent, target.address, selector("fail()"), True)
    with boa.reverts("target says no"):
        sent_by(agent, vault.call, target.address, PER_TX, selector("fail()"), *ids())
    assert vault.policy(agent).spent_in_current_window == 0
    assert boa.env.get_balance(vault.address) == VAULT_FUNDS


# 2. native limits that let arbitrary calldata through

def test_send_native_never_delivers_calldata(vault, agent, hostile):
    sent_by(agent, vault.send_native, hostile.address, 1, *ids())
    assert hostile.calldata_size() == 0


def test_calldata_within_native_limits_still_needs_the_allowlist(vault, agent, target):
    data = selector("poke(uint256)") + encode(["uint256"], [1])
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, target.address, 0, data, *ids())


def test_calldata_cannot_move_a_token_within_native_limits(vault, usdc, agent, alice):
    data = selector("transfer(address,uint256)") + encode(["address", "uint256"], [alice, VAULT_TOKENS])
    with boa.reverts("guardrail: call not allowed"):
        sent_by(agent, vault.call, usdc.address, 0, data, *ids())
    assert usdc.balanceOf(alice) == 0


# 3. usage never persisted

def test_spend_is_persisted_across_transactions(vault, agent, alice):
    for _ in range(ALLOWANCE // PER_TX):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())


def test_token_spend_is_persisted_across_transactions(vault, usdc_policy, owner, agent, alice):
    sent_by(owner, vault.set_token_policy, agent, usdc_policy.address, TOKEN_PER_TX, TOKEN_PER_TX)
    sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX, *ids())
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())


def test_new_limits_do_not_wipe_the_spend(vault, owner, agent, alice):
    for _ in range(ALLOWANCE // PER_TX):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    sent_by(owner, vault.set_policy, agent, 2 * PER_TX, ALLOWANCE, DAY, 0)
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_native, alice, 1, *ids())


# 4. wrapping nonces / counters

def _config_slot(vault, agent) -> int:
    base = vault.compiler_data.storage_layout["storage_layout"]["_config"]["slot"]
    return int.from_bytes(keccak(encode(["uint256", "address"], [base, agent])), "big")


def test_the_window_counter_stops_instead_of_wrapping(vault, agent, alice):
    slot = _config_slot(vault, agent)
    config = boa.env.get_storage(vault.address, slot)
    epoch_field = (2**40 - 1) << 208
    assert config & epoch_field == 1 << 208  # the first policy opened window 1
    boa.env.set_storage(vault.address, slot, config | epoch_field)
    boa.env.time_travel(seconds=DAY)
    with boa.reverts("guardrail: window counter exhausted"):
        sent_by(agent, vault.send_native, alice, 1, *ids())
    assert boa.env.get_storage(vault.address, slot) == config | epoch_field  # nothing wrapped into `revoked`


def test_amounts_wider_than_their_field_are_refused_not_truncated(vault, owner, agent):
    with boa.reverts("guardrail: allowance too large"):
        sent_by(owner, vault.set_policy, agent, PER_TX, 2**96 + ALLOWANCE, DAY, 0)
    assert vault.policy(agent).allowance == ALLOWANCE


def test_timestamps_wider_than_their_field_are_refused(vault, owner, agent):
    with boa.reverts("guardrail: valid_until too large"):
        sent_by(owner, vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, 2**40 + boa.env.timestamp + DAY)


def test_a_spend_can_never_borrow_from_the_neighbouring_field(bare_vault, owner, agent, alice):
    sent_by(owner, bare_vault.set_policy, agent, 2**96 - 1, 0, DAY, 0)
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, bare_vault.send_native, alice, 1, *ids())
    assert bare_vault.policy(agent).per_tx_max == 2**96 - 1
