"""Views: guarantee 9 — what the agent can move now, without any client window logic."""

import boa
from guardrail_kit import ALLOWANCE, DAY, ETH, PER_TX, TOKEN_ALLOWANCE, TOKEN_PER_TX, USDC, ids, sent_by


def test_remaining_native_is_the_smaller_of_per_tx_max_and_what_is_left(vault, agent, alice):
    assert vault.remaining_native(agent) == PER_TX
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    sent_by(agent, vault.send_native, alice, PER_TX // 4, *ids())
    assert vault.remaining_native(agent) == ALLOWANCE - 2 * PER_TX - PER_TX // 4


def test_remaining_native_refills_at_the_window_end_without_a_transaction(vault, agent, alice):
    for _ in range(ALLOWANCE // PER_TX):
        sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    assert vault.remaining_native(agent) == 0
    boa.env.time_travel(seconds=DAY)
    assert vault.remaining_native(agent) == PER_TX


def test_remaining_native_is_zero_while_paused(vault, owner, agent):
    sent_by(owner, vault.pause)
    assert vault.remaining_native(agent) == 0


def test_remaining_native_is_zero_once_expired(bare_vault, owner, agent):
    sent_by(owner, bare_vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, boa.env.timestamp + 60)
    boa.env.time_travel(seconds=60)
    assert bare_vault.remaining_native(agent) == 0


def test_remaining_native_is_zero_once_revoked(vault, agent):
    sent_by(agent, vault.revoke, agent)
    assert vault.remaining_native(agent) == 0


def test_remaining_native_is_zero_without_a_policy(vault, stranger):
    assert vault.remaining_native(stranger) == 0


def test_remaining_native_ignores_the_vault_balance(bare_vault, owner, agent):
    sent_by(owner, bare_vault.set_policy, agent, 100 * ETH, 100 * ETH, DAY, 0)
    assert bare_vault.remaining_native(agent) == 100 * ETH  # the vault holds 10


def test_remaining_token_follows_its_policy(vault, usdc_policy, agent, alice):
    assert vault.remaining_token(agent, usdc_policy.address) == TOKEN_PER_TX
    for _ in range(TOKEN_ALLOWANCE // TOKEN_PER_TX - 1):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, TOKEN_PER_TX, *ids())
    sent_by(agent, vault.send_token, usdc_policy.address, alice, 30 * USDC, *ids())
    assert vault.remaining_token(agent, usdc_policy.address) == 70 * USDC
    boa.env.time_travel(seconds=DAY)
    assert vault.remaining_token(agent, usdc_policy.address) == TOKEN_PER_TX


def test_remaining_token_is_zero_without_a_token_policy(vault, usdc, agent):
    assert vault.remaining_token(agent, usdc.address) == 0


def test_remaining_token_is_zero_while_paused_or_revoked(vault, usdc_policy, owner, agent):
    sent_by(owner, vault.pause)
    assert vault.remaining_token(agent, usdc_policy.address) == 0
    sent_by(owner, vault.unpause)
    sent_by(owner, vault.revoke, agent)
    assert vault.remaining_token(agent, usdc_policy.address) == 0


def test_policy_shows_limits_spend_and_the_next_reset(bare_vault, owner, agent, alice):
    start = boa.env.timestamp
    sent_by(owner, bare_vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, start + 10 * DAY)
    sent_by(owner, bare_vault.set_recipients_restricted, agent, True)
    sent_by(owner, bare_vault.set_recipient, agent, alice, True)
    sent_by(agent, bare_vault.send_native, alice, PER_TX // 2, *ids())
    boa.env.time_travel(seconds=DAY // 2)
    assert tuple(bare_vault.policy(agent)) == (
        PER_TX, ALLOWANCE, DAY, start + 10 * DAY, start, PER_TX // 2, start + DAY, False, True)


def test_policy_moves_to_the_window_containing_now(vault, agent, alice):
    start = vault.policy(agent).start
    sent_by(agent, vault.send_native, alice, PER_TX, *ids())
    boa.env.time_travel(seconds=3 * DAY + 5)
    policy = vault.policy(agent)
    assert policy.spent_in_current_window == 0
    assert policy.window_resets_at == start + 4 * DAY


def test_policy_of_an_expired_agent_shows_no_spend_and_no_reset(bare_vault, owner, agent, alice):
    sent_by(owner, bare_vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, boa.env.timestamp + 60)
    sent_by(agent, bare_vault.send_native, alice, 1, *ids())
    boa.env.time_travel(seconds=60)
    policy = bare_vault.policy(agent)
    assert (policy.spent_in_current_window, policy.window_resets_at) == (0, 0)
    assert policy.allowance == ALLOWANCE


def test_policy_of_an_unknown_address_is_all_zero(vault, stranger):
    assert tuple(vault.policy(stranger)) == (0, 0, 0, 0, 0, 0, 0, False, False)


def test_token_policy_shows_limits_and_spend(vault, usdc_policy, agent, alice):
    sent_by(agent, vault.send_token, usdc_policy.address, alice, 12 * USDC, *ids())
    assert tuple(vault.token_policy(agent, usdc_policy.address)) == (TOKEN_PER_TX, TOKEN_ALLOWANCE, 12 * USDC)
    boa.env.time_travel(seconds=DAY)
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 0


def test_recipient_allowed_is_true_for_anyone_when_not_restricted(vault, agent, alice):
    assert vault.recipient_allowed(agent, alice)


def test_recipient_allowed_follows_the_list_when_restricted(vault, owner, agent, alice, bob):
    sent_by(owner, vault.set_recipients_restricted, agent, True)
    sent_by(owner, vault.set_recipient, agent, alice, True)
    assert vault.recipient_allowed(agent, alice)
    assert not vault.recipient_allowed(agent, bob)
