"""send_token: guarantees 2, 3, 4 and 8 for ERC-20 tokens, the awkward ones included."""

import boa
from guardrail_kit import (
    DAY,
    EXECUTED,
    KIND_TOKEN,
    TOKEN_ALLOWANCE,
    TOKEN_PER_TX,
    USDC,
    VAULT_TOKENS,
    ZERO,
    deployer,
    ids,
    last_event,
    sent_by,
)


def test_agent_sends_a_token_within_its_limits(vault, usdc_policy, agent, alice):
    usdc = usdc_policy
    action_id, intent_hash = ids()
    sent_by(agent, vault.send_token, usdc.address, alice, TOKEN_PER_TX, action_id, intent_hash)
    assert usdc.balanceOf(alice) == TOKEN_PER_TX
    assert usdc.balanceOf(vault.address) == VAULT_TOKENS - TOKEN_PER_TX
    action = last_event(vault, "Action")
    assert (action.action_id, action.actor, action.kind, action.target, action.token, action.amount,
            action.intent_hash, action.status) == (
        action_id, agent, KIND_TOKEN, alice, usdc.address, TOKEN_PER_TX, intent_hash, EXECUTED)


def test_token_without_a_policy_cannot_be_moved_by_the_agent(vault, usdc, agent, alice):
    with boa.reverts("guardrail: no token policy"):
        sent_by(agent, vault.send_token, usdc.address, alice, 1, *ids())


def test_agent_cannot_send_more_token_than_per_tx_max(vault, usdc_policy, agent, alice):
    with boa.reverts("guardrail: over per-tx limit"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX + 1, *ids())


def test_agent_cannot_exceed_its_token_allowance_within_a_window(vault, usdc_policy, agent, alice):
    for _ in range(TOKEN_ALLOWANCE // TOKEN_PER_TX):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX, *ids())
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())


def test_token_allowance_refills_with_the_native_window(vault, usdc_policy, agent, alice):
    for _ in range(TOKEN_ALLOWANCE // TOKEN_PER_TX):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX, *ids())
    boa.env.time_travel(seconds=DAY)
    sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX, *ids())


def test_token_and_native_limits_are_counted_apart(vault, usdc_policy, agent, alice):
    native_before = vault.remaining_native(agent)
    sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX, *ids())
    assert vault.remaining_native(agent) == native_before


def test_agent_cannot_move_tokens_while_paused(vault, usdc_policy, owner, agent, alice):
    sent_by(owner, vault.pause)
    with boa.reverts("guardrail: paused"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())


def test_agent_cannot_move_tokens_after_expiry(bare_vault, owner, agent, alice):
    valid_until = boa.env.timestamp + 10
    sent_by(owner, bare_vault.set_policy, agent, 0, 0, DAY, valid_until)
    usdc = deployer("DemoToken").deploy("Demo USDC", "USDC", 6)
    usdc.mint(bare_vault.address, VAULT_TOKENS)
    sent_by(owner, bare_vault.set_token_policy, agent, usdc.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    boa.env.time_travel(seconds=10)
    with boa.reverts("guardrail: policy expired"):
        sent_by(agent, bare_vault.send_token, usdc.address, alice, 1, *ids())


def test_agent_cannot_move_tokens_after_revocation(vault, usdc_policy, agent, alice):
    sent_by(agent, vault.revoke, agent)
    with boa.reverts("guardrail: policy revoked"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())


def test_a_token_policy_alone_does_not_let_an_agent_act(bare_vault, owner, stranger, alice):
    usdc = deployer("DemoToken").deploy("Demo USDC", "USDC", 6)
    usdc.mint(bare_vault.address, VAULT_TOKENS)
    sent_by(owner, bare_vault.set_token_policy, stranger, usdc.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    with boa.reverts("guardrail: no policy"):
        sent_by(stranger, bare_vault.send_token, usdc.address, alice, 1, *ids())


def test_agent_with_recipients_restricted_pays_tokens_only_to_allowlisted(vault, usdc_policy, owner, agent, alice, bob):
    sent_by(owner, vault.set_recipients_restricted, agent, True)
    sent_by(owner, vault.set_recipient, agent, alice, True)
    sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())
    with boa.reverts("guardrail: recipient not allowed"):
        sent_by(agent, vault.send_token, usdc_policy.address, bob, 1, *ids())


def test_send_token_to_the_zero_address_is_rejected(vault, usdc_policy, agent):
    with boa.reverts("guardrail: recipient is the zero address"):
        sent_by(agent, vault.send_token, usdc_policy.address, ZERO, 1, *ids())


def test_usdt_style_token_that_returns_nothing_is_sent(vault, owner, agent, alice):
    token = deployer("NoReturnToken").deploy()
    token.mint(vault.address, VAULT_TOKENS)
    sent_by(owner, vault.set_token_policy, agent, token.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    sent_by(agent, vault.send_token, token.address, alice, TOKEN_PER_TX, *ids())
    assert token.balanceOf(alice) == TOKEN_PER_TX
    assert vault.token_policy(agent, token.address).spent_in_current_window == TOKEN_PER_TX


def test_usdt_style_token_that_reverts_fails_the_send(vault, owner, agent, alice):
    token = deployer("NoReturnToken").deploy()  # the vault holds none: the transfer reverts
    sent_by(owner, vault.set_token_policy, agent, token.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    with boa.reverts("guardrail: token transfer failed"):
        sent_by(agent, vault.send_token, token.address, alice, 1, *ids())


def test_token_returning_false_is_a_failed_transfer(vault, owner, agent, alice):
    token = deployer("FalseToken").deploy()
    token.mint(vault.address, VAULT_TOKENS)
    token.set_answer(0)
    sent_by(owner, vault.set_token_policy, agent, token.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    with boa.reverts("guardrail: token transfer failed"):
        sent_by(agent, vault.send_token, token.address, alice, 1, *ids())


def test_token_returning_a_word_other_than_true_is_a_failed_transfer(vault, owner, agent, alice):
    token = deployer("FalseToken").deploy()
    token.mint(vault.address, VAULT_TOKENS)
    token.set_answer(2)
    sent_by(owner, vault.set_token_policy, agent, token.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    with boa.reverts("guardrail: token transfer failed"):
        sent_by(agent, vault.send_token, token.address, alice, 1, *ids())


def test_token_returning_true_is_sent(vault, owner, agent, alice):
    token = deployer("FalseToken").deploy()
    token.mint(vault.address, VAULT_TOKENS)
    sent_by(owner, vault.set_token_policy, agent, token.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    sent_by(agent, vault.send_token, token.address, alice, 5, *ids())
    assert token.balanceOf(alice) == 5


def test_token_balance_too_low_fails_the_send(vault, usdc_policy, owner, agent, alice):
    sent_by(owner, vault.withdraw_token, usdc_policy.address, owner, VAULT_TOKENS)
    with boa.reverts("guardrail: token transfer failed"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 0


def test_token_policy_for_an_address_without_code_is_refused(vault, owner, agent, stranger):
    with boa.reverts("guardrail: token is not a contract"):
        sent_by(owner, vault.set_token_policy, agent, stranger, TOKEN_PER_TX, TOKEN_ALLOWANCE)


def test_changing_a_token_policy_mid_window_keeps_what_was_spent(vault, usdc_policy, owner, agent, alice):
    sent_by(agent, vault.send_token, usdc_policy.address, alice, 80 * USDC, *ids())
    sent_by(owner, vault.set_token_policy, agent, usdc_policy.address, TOKEN_PER_TX, 100 * USDC)
    assert vault.remaining_token(agent, usdc_policy.address) == 20 * USDC
    sent_by(owner, vault.set_token_policy, agent, usdc_policy.address, TOKEN_PER_TX, 50 * USDC)
    assert vault.remaining_token(agent, usdc_policy.address) == 0
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 50 * USDC


def test_token_policy_set_after_a_window_rolled_over_starts_that_window_fresh(vault, usdc_policy, owner, agent, alice):
    sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX, *ids())
    boa.env.time_travel(seconds=DAY)
    sent_by(owner, vault.set_token_policy, agent, usdc_policy.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 0
    for _ in range(TOKEN_ALLOWANCE // TOKEN_PER_TX):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX, *ids())
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())


def test_a_zeroed_token_policy_moves_nothing(vault, usdc_policy, owner, agent, alice):
    sent_by(owner, vault.set_token_policy, agent, usdc_policy.address, 0, 0)
    with boa.reverts("guardrail: over per-tx limit"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())
