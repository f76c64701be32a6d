"""Hostile recipients, tokens and call targets cannot re-enter the vault mid-action."""

from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector as selector
from guardrail_kit import DAY, ETH, PER_TX, TOKEN_ALLOWANCE, TOKEN_PER_TX, VAULT_TOKENS, deployer, ids, sent_by


def send_native_data(to, amount) -> bytes:
    return selector("send_native(address,uint256,bytes32,bytes32)") + encode(
        ["address", "uint256", "bytes32", "bytes32"], [to, amount, *ids()])


def test_a_paid_agent_contract_cannot_reenter_send_native(vault, owner, hostile):
    sent_by(owner, vault.set_policy, hostile.address, PER_TX, 10 * PER_TX, DAY, 0)
    hostile.arm(vault.address, send_native_data(hostile.address, PER_TX))
    hostile.act(send_native_data(hostile.address, PER_TX))
    assert hostile.attempts() == 1
    assert not hostile.reentered()
    assert hostile.received() == PER_TX
    assert vault.policy(hostile.address).spent_in_current_window == PER_TX


def test_a_recipient_cannot_reenter_owner_functions(vault, owner, agent, hostile):
    hostile.arm(vault.address, selector("pause()"))
    sent_by(agent, vault.send_native, hostile.address, 1, *ids())
    assert hostile.attempts() == 1
    assert not hostile.reentered()
    assert not vault.paused()


def test_a_hostile_token_cannot_reenter_during_send_token(vault, owner, agent, alice):
    token = deployer("HostileToken").deploy()
    token.mint(vault.address, VAULT_TOKENS)
    sent_by(owner, vault.set_token_policy, agent, token.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    sent_by(owner, vault.set_policy, token.address, PER_TX, PER_TX, DAY, 0)  # the token is an agent too
    token.arm(vault.address, send_native_data(token.address, PER_TX))
    sent_by(agent, vault.send_token, token.address, alice, TOKEN_PER_TX, *ids())
    assert token.attempts() == 1
    assert not token.reentered()
    assert token.balanceOf(alice) == TOKEN_PER_TX
    assert vault.remaining_native(token.address) == PER_TX


def test_a_hostile_token_cannot_reenter_during_withdraw_token(vault, owner, agent, alice):
    token = deployer("HostileToken").deploy()
    token.mint(vault.address, VAULT_TOKENS)
    sent_by(owner, vault.set_policy, token.address, PER_TX, PER_TX, DAY, 0)
    token.arm(vault.address, send_native_data(token.address, PER_TX))
    sent_by(owner, vault.withdraw_token, token.address, alice, 1)
    assert not token.reentered()


def test_a_call_target_cannot_reenter(vault, owner, hostile):
    sent_by(owner, vault.set_policy, hostile.address, PER_TX, 10 * PER_TX, DAY, 0)
    sent_by(owner, vault.set_call, hostile.address, hostile.address, selector("poke()"), True)
    hostile.arm(vault.address, send_native_data(hostile.address, PER_TX))
    call = selector("call(address,uint256,bytes,bytes32,bytes32)") + encode(
        ["address", "uint256", "bytes", "bytes32", "bytes32"], [hostile.address, 0, selector("poke()"), *ids()])
    hostile.act(call)
    assert hostile.attempts() == 1
    assert not hostile.reentered()
    assert vault.policy(hostile.address).spent_in_current_window == 0


def test_a_withdrawal_recipient_cannot_reenter(vault, owner, hostile):
    sent_by(owner, vault.set_policy, hostile.address, PER_TX, PER_TX, DAY, 0)
    hostile.arm(vault.address, send_native_data(hostile.address, PER_TX))
    sent_by(owner, vault.withdraw_native, hostile.address, ETH)
    assert not hostile.reentered()
    assert vault.remaining_native(hostile.address) == PER_TX


def test_an_owner_execute_target_cannot_reenter(vault, owner, hostile):
    hostile.arm(vault.address, selector("pause()"))
    sent_by(owner, vault.owner_execute, hostile.address, 0, selector("poke()"), *ids())
    assert not hostile.reentered()


def test_views_read_during_a_send_already_show_the_spend(vault, agent, hostile):
    hostile.arm(vault.address, selector("remaining_native(address)") + encode(["address"], [agent]))
    sent_by(agent, vault.send_native, hostile.address, PER_TX, *ids())
    assert hostile.reentered()  # views stay open, and consistent
    assert hostile.result() == encode(["uint256"], [vault.remaining_native(agent)])
