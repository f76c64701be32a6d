"""x402 payments through the guardrail: the agent authorizes an EIP-3009 transfer from the
vault within its token policy (counted as a send_token), the vault's ERC-1271 answer makes the
token accept it, once, for its payee and amount only; pause, revoke, expiry and cancellation
stop it, and an authorization that can no longer be used stops counting."""

import boa
import pytest
from guardrail_kit import DAY, TOKEN_ALLOWANCE, TOKEN_PER_TX, USDC, VAULT_TOKENS, deployer, ids, last_event, sent_by
from payment_kit import authorization, domain_of

from agentwallet.chain.eip3009 import digest

MAGIC = bytes.fromhex("1626ba7e")
INVALID = bytes.fromhex("ffffffff")
KIND_PAYMENT = 6
NO_SIGNATURE = b""  # the vault's signature of an authorized payment: the approval is on chain


def authorize(vault, agent, token, auth):
    return sent_by(agent, vault.authorize_payment, token.address, auth.payee, auth.value, auth.valid_after,
                   auth.valid_before, auth.nonce, *ids())


def settle(token, auth, by):
    sent_by(by, token.transferWithAuthorization, *auth.arguments(), NO_SIGNATURE)


def cancel(vault, token, auth, by):
    sent_by(by, vault.cancel_payment, token.address, auth.payee, auth.value, auth.valid_after, auth.valid_before,
            auth.nonce)


def remaining(vault, agent, token):
    return vault.remaining_token(agent, token.address)


@pytest.fixture
def pay(vault, usdc_policy, alice):
    """An authorization of 40 USDC from the vault to alice, lasting ten minutes."""
    return authorization(vault.address, alice, 40 * USDC)


# ------------------------------------------------------------------ paying

def test_an_authorized_payment_is_settled_by_anyone_and_pays_its_payee(vault, usdc_policy, agent, alice, stranger,
                                                                       pay):
    assert authorize(vault, agent, usdc_policy, pay) == digest(domain_of(usdc_policy), pay)
    settle(usdc_policy, pay, stranger)
    assert usdc_policy.balanceOf(alice) == 40 * USDC
    assert usdc_policy.balanceOf(vault.address) == VAULT_TOKENS - 40 * USDC


def test_authorizing_counts_against_the_allowance_at_once_and_settling_does_not_count_again(
        vault, usdc_policy, agent, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 40 * USDC
    settle(usdc_policy, pay, stranger)
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 40 * USDC


def test_an_authorization_logs_one_payment_action(vault, usdc_policy, agent, alice, pay):
    action_id, intent_hash = ids()
    sent_by(agent, vault.authorize_payment, usdc_policy.address, alice, pay.value, pay.valid_after,
            pay.valid_before, pay.nonce, action_id, intent_hash)
    event = last_event(vault, "Action")
    assert (event.action_id, event.actor, event.kind, event.target, event.token, event.amount, event.intent_hash,
            event.status) == (action_id, agent, KIND_PAYMENT, alice, usdc_policy.address, 40 * USDC, intent_hash, 1)


def test_an_authorization_is_used_once(vault, usdc_policy, agent, alice, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    settle(usdc_policy, pay, stranger)
    with boa.reverts("demo token: authorization is used or canceled"):
        settle(usdc_policy, pay, stranger)
    assert usdc_policy.balanceOf(alice) == 40 * USDC


def test_front_running_the_settlement_pays_the_payee_once(vault, usdc_policy, agent, alice, bob, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    settle(usdc_policy, pay, bob)  # someone who saw it first
    with boa.reverts("demo token: authorization is used or canceled"):
        settle(usdc_policy, pay, stranger)  # the facilitator
    assert usdc_policy.balanceOf(alice) == 40 * USDC
    assert usdc_policy.balanceOf(bob) == 0


@pytest.mark.parametrize("changed", ["payee", "amount", "valid_before", "nonce"])
def test_the_approval_moves_only_its_payee_and_amount(vault, usdc_policy, agent, bob, stranger, pay, changed):
    authorize(vault, agent, usdc_policy, pay)
    payer, payee, value, after, before, nonce = pay.arguments()
    altered = {"payee": (payer, bob, value, after, before, nonce),
               "amount": (payer, payee, value + 1, after, before, nonce),
               "valid_before": (payer, payee, value, after, before - 1, nonce),
               "nonce": (payer, payee, value, after, before, b"\x01" * 32)}[changed]
    with boa.reverts("demo token: invalid signature"):
        sent_by(stranger, usdc_policy.transferWithAuthorization, *altered, NO_SIGNATURE)
    assert usdc_policy.balanceOf(vault.address) == VAULT_TOKENS


def test_the_approval_answers_only_the_token_it_was_counted_for(vault, usdc_policy, agent, stranger, pay):
    approved = authorize(vault, agent, usdc_policy, pay)
    assert sent_by(usdc_policy.address, vault.isValidSignature, approved, NO_SIGNATURE) == MAGIC
    assert sent_by(stranger, vault.isValidSignature, approved, NO_SIGNATURE) == INVALID
    other = deployer("DemoToken").deploy("Other", "OTH", 6)
    assert sent_by(other.address, vault.isValidSignature, approved, NO_SIGNATURE) == INVALID


def test_the_same_authorization_cannot_be_counted_twice(vault, usdc_policy, agent, pay):
    authorize(vault, agent, usdc_policy, pay)
    with boa.reverts("guardrail: payment already authorized"):
        authorize(vault, agent, usdc_policy, pay)


def test_a_nonce_the_token_has_used_is_refused(vault, usdc_policy, agent, alice, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    settle(usdc_policy, pay, stranger)
    again = authorization(vault.address, alice, 10 * USDC, nonce=pay.nonce)
    with boa.reverts("guardrail: nonce already used"):
        authorize(vault, agent, usdc_policy, again)


# ------------------------------------------------------------------ within the policy, as a transfer

def test_over_the_per_tx_limit_is_refused(vault, usdc_policy, agent, alice):
    with boa.reverts("guardrail: over per-tx limit"):
        authorize(vault, agent, usdc_policy, authorization(vault.address, alice, TOKEN_PER_TX + 1))


def test_over_the_allowance_is_refused_counting_pending_authorizations(vault, usdc_policy, agent, alice):
    for _ in range(TOKEN_ALLOWANCE // TOKEN_PER_TX):
        authorize(vault, agent, usdc_policy, authorization(vault.address, alice, TOKEN_PER_TX))
    with boa.reverts("guardrail: over allowance"):
        authorize(vault, agent, usdc_policy, authorization(vault.address, alice, 1))
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 1, *ids())


def test_a_token_without_a_policy_cannot_be_authorized(vault, usdc, agent, alice):
    with boa.reverts("guardrail: no token policy"):
        authorize(vault, agent, usdc, authorization(vault.address, alice, USDC))


def test_with_the_allowlist_on_only_listed_payees(vault, usdc_policy, owner, agent, alice, bob):
    sent_by(owner, vault.set_recipients_restricted, agent, True)
    sent_by(owner, vault.set_recipient, agent, alice, True)
    with boa.reverts("guardrail: recipient not allowed"):
        authorize(vault, agent, usdc_policy, authorization(vault.address, bob, USDC))
    authorize(vault, agent, usdc_policy, authorization(vault.address, alice, USDC))


OFF = [("paused", "guardrail: paused"), ("revoked", "guardrail: policy revoked"),
       ("expired", "guardrail: policy expired")]


@pytest.mark.parametrize(("state", "reason"), OFF)
def test_nothing_is_authorized_while_off(vault, usdc_policy, owner, agent, alice, state, reason):
    if state == "paused":
        sent_by(owner, vault.pause)
    elif state == "revoked":
        sent_by(agent, vault.revoke, agent)
    else:
        sent_by(owner, vault.set_policy, agent, TOKEN_PER_TX, TOKEN_ALLOWANCE, DAY, boa.env.timestamp + 60)
        boa.env.time_travel(seconds=60)
    with boa.reverts(reason):
        authorize(vault, agent, usdc_policy, authorization(vault.address, alice, USDC))


def test_an_authorization_may_not_outlast_the_window_it_is_counted_in(vault, usdc_policy, agent, alice):
    window_end = vault.policy(agent).window_resets_at
    with boa.reverts("guardrail: authorization outlasts the window"):
        authorize(vault, agent, usdc_policy, authorization(vault.address, alice, USDC,
                                                           lasts=window_end - boa.env.timestamp + 1))
    lasts = window_end - boa.env.timestamp
    authorize(vault, agent, usdc_policy, authorization(vault.address, alice, USDC, lasts=lasts))


def test_an_authorization_may_not_outlast_the_policy(vault, usdc_policy, owner, agent, alice):
    sent_by(owner, vault.set_policy, agent, TOKEN_PER_TX, TOKEN_ALLOWANCE, DAY, boa.env.timestamp + 300)
    with boa.reverts("guardrail: authorization outlasts the window"):
        authorize(vault, agent, usdc_policy, authorization(vault.address, alice, USDC, lasts=301))


@pytest.mark.parametrize(("valid_after", "lasts", "reason"), [
    (0, 0, "guardrail: authorization already expired"),
    (10**10, 60, "guardrail: authorization never valid")])
def test_an_authorization_that_could_never_be_used_is_refused(vault, usdc_policy, agent, alice, valid_after, lasts,
                                                               reason):
    with boa.reverts(reason):
        authorize(vault, agent, usdc_policy, authorization(vault.address, alice, USDC, lasts=lasts,
                                                           valid_after=valid_after))


# ------------------------------------------------------------------ off between authorize and settle

def test_a_pause_between_authorize_and_settle_stops_the_settlement(vault, usdc_policy, owner, agent, alice, stranger,
                                                                   pay):
    authorize(vault, agent, usdc_policy, pay)
    sent_by(owner, vault.pause)
    with boa.reverts("demo token: invalid signature"):
        settle(usdc_policy, pay, stranger)
    sent_by(owner, vault.unpause)
    settle(usdc_policy, pay, stranger)
    assert usdc_policy.balanceOf(alice) == 40 * USDC


def test_a_revocation_between_authorize_and_settle_stops_it_for_good(vault, usdc_policy, owner, agent, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    sent_by(agent, vault.revoke, agent)
    with boa.reverts("demo token: invalid signature"):
        settle(usdc_policy, pay, stranger)
    sent_by(owner, vault.set_policy, agent, TOKEN_PER_TX, TOKEN_ALLOWANCE, DAY, 0)  # a fresh start, nothing spent
    assert not vault.payment_usable(usdc_policy.address, digest(domain_of(usdc_policy), pay))
    with boa.reverts("demo token: invalid signature"):
        settle(usdc_policy, pay, stranger)
    assert usdc_policy.balanceOf(vault.address) == VAULT_TOKENS


def test_an_expired_authorization_cannot_be_settled(vault, usdc_policy, agent, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    boa.env.timestamp = pay.valid_before
    assert not vault.payment_usable(usdc_policy.address, digest(domain_of(usdc_policy), pay))
    with boa.reverts("demo token: authorization is expired"):
        settle(usdc_policy, pay, stranger)


def test_a_policy_that_ends_the_window_sooner_ends_the_authorization_with_it(vault, usdc_policy, owner, agent,
                                                                              stranger, pay):
    authorize(vault, agent, usdc_policy, pay)  # counted in a day-long window, valid ten minutes
    sent_by(owner, vault.set_policy, agent, TOKEN_PER_TX, TOKEN_ALLOWANCE, 60, 0)  # spend carried, window 60 s
    boa.env.timestamp += 120  # the window it was counted in is over; its valid_before is not
    assert boa.env.timestamp < pay.valid_before
    assert not vault.payment_usable(usdc_policy.address, digest(domain_of(usdc_policy), pay))
    with boa.reverts("demo token: invalid signature"):
        settle(usdc_policy, pay, stranger)
    assert usdc_policy.balanceOf(vault.address) == VAULT_TOKENS


# ------------------------------------------------------------------ an unused authorization stops counting

def test_the_agent_cancels_an_unused_authorization_and_gets_its_allowance_back(vault, usdc_policy, agent, stranger,
                                                                                pay):
    authorize(vault, agent, usdc_policy, pay)
    cancel(vault, usdc_policy, pay, agent)
    event = last_event(vault, "PaymentCancelled")
    assert (event.agent, event.by, event.refunded) == (agent, agent, 40 * USDC)
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 0
    with boa.reverts("demo token: invalid signature"):
        settle(usdc_policy, pay, stranger)


def test_the_owner_may_cancel_an_authorization(vault, usdc_policy, owner, agent, pay):
    authorize(vault, agent, usdc_policy, pay)
    cancel(vault, usdc_policy, pay, owner)
    assert remaining(vault, agent, usdc_policy) == TOKEN_PER_TX


def test_no_one_else_cancels_an_authorization_still_usable(vault, usdc_policy, agent, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    with boa.reverts("guardrail: caller is not the owner or the agent"):
        cancel(vault, usdc_policy, pay, stranger)


def test_anyone_releases_an_authorization_past_its_valid_before(vault, usdc_policy, agent, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    boa.env.timestamp = pay.valid_before
    cancel(vault, usdc_policy, pay, stranger)
    assert last_event(vault, "PaymentCancelled").refunded == 40 * USDC
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 0


def test_a_settled_payment_is_never_given_back(vault, usdc_policy, agent, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    settle(usdc_policy, pay, stranger)
    with boa.reverts("guardrail: payment already settled"):
        cancel(vault, usdc_policy, pay, agent)
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 40 * USDC


def test_a_release_after_the_window_reset_gives_nothing_back_twice(vault, usdc_policy, agent, stranger, pay):
    authorize(vault, agent, usdc_policy, pay)
    boa.env.time_travel(seconds=DAY)
    cancel(vault, usdc_policy, pay, stranger)
    assert last_event(vault, "PaymentCancelled").refunded == 0
    assert remaining(vault, agent, usdc_policy) == TOKEN_PER_TX


def test_a_refund_never_lifts_the_window_above_its_allowance(vault, usdc_policy, owner, agent, alice, pay):
    authorize(vault, agent, usdc_policy, pay)
    sent_by(owner, vault.set_token_policy, agent, usdc_policy.address, TOKEN_PER_TX, 30 * USDC)  # carried: 30 spent
    cancel(vault, usdc_policy, pay, agent)
    assert vault.token_policy(agent, usdc_policy.address).spent_in_current_window == 0
    with boa.reverts("guardrail: over allowance"):
        sent_by(agent, vault.send_token, usdc_policy.address, alice, 30 * USDC + 1, *ids())


def test_cancelling_what_was_never_authorized_is_refused(vault, usdc_policy, agent, pay):
    with boa.reverts("guardrail: no such authorization"):
        cancel(vault, usdc_policy, pay, agent)
