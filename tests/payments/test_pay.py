"""Paying an x402 resource from the vault, on the tests' devnet, against a real x402 v2 seller
(the x402 package's FastAPI middleware and facilitator): the payment goes through the pipeline
and the guardrail, settles once, and the answer comes back; what should not be paid is not."""

from __future__ import annotations

import json

import pytest

from agentwallet.chain.tokens import balance_of
from agentwallet.errors import WalletError
from agentwallet.payments.pay import pay, quote
from tests.payments.kit import (
    ANSWER,
    PRICE,
    SELLER,
    payment_required_header,
    requirement,
    scripted_server,
    usdc,
    x402_seller,
)

reviews = []


def approve(review) -> bool:
    reviews.append(review)
    return True


def deny(review) -> bool:
    reviews.append(review)
    return False


def vault_usdc(wallet) -> int:
    return balance_of(wallet.w3, usdc(wallet).address, wallet.guardrail.address)


def test_an_approved_payment_is_settled_once_and_the_answer_comes_back(wallet):
    before, seller_before = vault_usdc(wallet), balance_of(wallet.w3, usdc(wallet).address, SELLER)
    with x402_seller(wallet) as url:
        payment = pay(wallet, url, "0.05", approve)
    assert payment.status == "paid", payment.reason
    assert json.loads(payment.answer.body) == ANSWER
    assert vault_usdc(wallet) == before - PRICE
    assert balance_of(wallet.w3, usdc(wallet).address, SELLER) == seller_before + PRICE
    assert payment.settled is not None and payment.settled.success
    entry = wallet.journal.get(payment.outcome.action_id)
    args = json.loads(entry.canonical)["args"]
    assert (entry.tool, entry.state, args["url"], args["amount"]) == ("pay_for", "executed", url, str(PRICE))


def test_the_person_sees_the_price_the_payee_and_the_resource(wallet):
    reviews.clear()
    with x402_seller(wallet) as url:
        pay(wallet, url, None, deny)
    (review,) = reviews
    assert review.summary == f"Pay 0.01 USDC to {SELLER} for {url}"
    assert review.executor == "agent" and review.simulation.ok
    assert review.planned.description.startswith("Guardrail.authorize_payment(")


def test_a_denied_payment_pays_nothing_and_is_logged(wallet):
    before = vault_usdc(wallet)
    with x402_seller(wallet) as url:
        payment = pay(wallet, url, None, deny)
    assert payment.status == "denied" and payment.answer is None
    assert vault_usdc(wallet) == before
    assert wallet.journal.get(payment.outcome.action_id).state == "denied"


def test_a_price_above_max_is_refused_before_anything_is_proposed(wallet):
    with x402_seller(wallet) as url:
        payment = pay(wallet, url, "0.005", approve)
    assert payment.status == "refused"
    assert payment.reason == "the resource asks 0.01 USDC, more than your --max of 0.005 USDC"
    assert wallet.journal.unfinished() == [] and payment.outcome is None


def test_a_payment_over_the_agents_limit_is_refused_by_the_guardrail(wallet):
    before = vault_usdc(wallet)
    allowance = wallet.guardrail.token_policy(wallet.agent_address, usdc(wallet).address).per_tx_max
    with x402_seller(wallet, price=allowance + 1) as url:
        payment = pay(wallet, url, None, approve)
    assert payment.status == "failed"
    assert "guardrail: over per-tx limit" in payment.reason
    assert vault_usdc(wallet) == before


@pytest.mark.parametrize(("changes", "reason"), [
    ({"network": "eip155:8453"}, "the resource asks for payment on eip155:8453; this wallet is on eip155:31337"),
    ({"asset": "0x" + "42" * 20}, "the resource asks for an unknown asset"),
    ({"scheme": "upto"}, "the resource takes only the schemes upto; the vault pays `exact`"),
    ({"extra": {"assetTransferMethod": "permit2"}}, "the resource asks for a Permit2 payment"),
])
def test_an_offer_the_wallet_cannot_pay_is_refused_and_proposes_nothing(wallet, changes, reason):
    header = payment_required_header(requirement(wallet, **changes))
    with scripted_server(lambda _: (402, {"PAYMENT-REQUIRED": header}, b"{}")) as (url, seen):
        payment = pay(wallet, url, None, approve)
    assert payment.status == "refused" and payment.reason.startswith(reason)
    assert len(seen) == 1 and wallet.journal.unfinished() == []


@pytest.mark.parametrize("header", [
    "not base64 at all %%%", "eyJ4NDAyVmVyc2lvbiI6IDJ9",  # {"x402Version": 2}: no accepts
    "W10=",  # []
    "bnVsbA==",  # null
])
def test_a_malformed_402_is_one_clear_error_and_changes_nothing(wallet, header):
    before = vault_usdc(wallet)
    with scripted_server(lambda _: (402, {"PAYMENT-REQUIRED": header}, b"")) as (url, _):
        with pytest.raises(WalletError, match="payment request is malformed"):
            pay(wallet, url, None, approve)
    assert vault_usdc(wallet) == before and wallet.journal.unfinished() == []


def test_a_hostile_price_is_an_error_not_a_payment(wallet):
    header = payment_required_header(requirement(wallet, amount="1e30"))
    with scripted_server(lambda _: (402, {"PAYMENT-REQUIRED": header}, b"")) as (url, _):
        with pytest.raises(WalletError, match="not a whole number of base units"):
            pay(wallet, url, None, approve)


def test_a_second_402_after_paying_is_a_failure_never_a_second_payment(wallet):
    reviews.clear()
    header = payment_required_header(requirement(wallet))
    with scripted_server(lambda _: (402, {"PAYMENT-REQUIRED": header}, b"")) as (url, seen):
        payment = pay(wallet, url, None, approve)
    assert payment.status == "failed"
    assert payment.reason.startswith("the resource asked for payment again after the vault authorized it")
    assert len(reviews) == 1 and len(seen) == 2
    assert "PAYMENT-SIGNATURE" in seen[1]


def test_a_resource_that_asks_nothing_is_not_paid(wallet):
    with scripted_server(lambda _: (200, {}, b'{"answer": "free"}')) as (url, _):
        payment = pay(wallet, url, None, approve)
    assert payment.status == "free" and payment.outcome is None


def never_asked(review) -> bool:
    raise AssertionError("a resumed payment must not be proposed again")


def test_a_payment_authorized_before_a_crash_is_resumed_not_paid_twice(wallet):
    from agentwallet.actions import pipeline

    before = vault_usdc(wallet)
    with x402_seller(wallet) as url:
        # what `pay` did before the process died: the payment authorized on chain, no retry
        quoted = quote(wallet, url, None)
        authorized = pipeline.settle(wallet, quoted.review, True)
        assert authorized.state == "executed" and vault_usdc(wallet) == before
        payment = pay(wallet, url, None, never_asked)
    assert payment.status == "paid" and json.loads(payment.answer.body) == ANSWER
    assert payment.outcome.action_id == quoted.review.proposal.action_id
    assert vault_usdc(wallet) == before - PRICE


def test_a_used_authorization_is_never_resumed(wallet):
    reviews.clear()
    with x402_seller(wallet) as url:
        assert pay(wallet, url, None, approve).status == "paid"
        assert pay(wallet, url, None, approve).status == "paid"
    assert len(reviews) == 2  # each answer was a payment the person approved


def test_an_expired_unused_payment_is_given_back_to_the_allowance_by_the_next_pay(wallet):
    from agentwallet.actions import pipeline
    from agentwallet.payments import http, protocol
    from agentwallet.payments.pay import _proposal, release_expired
    from agentwallet.payments.requirements import price

    def spent() -> int:
        return wallet.guardrail.token_policy(wallet.agent_address, usdc(wallet).address).spent

    before = spent()
    with x402_seller(wallet) as url:
        asked = protocol.payment_required(http.get(url))
        offer = price(wallet, asked, None)
        valid_before = wallet.chain_time() + 60
        proposal = _proposal(wallet, url, offer, valid_before, asked)
        assert pipeline.settle(wallet, pipeline.propose(wallet, proposal), True).state == "executed"
    assert spent() == before + PRICE
    # past valid_before by the chain's clock, which a shared devnet's reverts may leave behind this machine's
    wallet.rpc("evm_mine", [valid_before + 60])
    assert release_expired(wallet) == 1
    assert spent() == before
    assert release_expired(wallet) == 0  # once


def _register_seller_card(wallet, url: str) -> int:
    from tests.agents.kit import as_data_uri, card, register

    base = url.rsplit("/", 1)[0]
    return register(wallet, as_data_uri(card("translator", services=[{"name": "web", "endpoint": base}])))


def test_a_payee_other_than_the_cards_agent_wallet_is_a_critical_flag(wallet):
    reviews.clear()
    with x402_seller(wallet) as url:  # pays SELLER; the card's agent wallet is its registrant, the owner
        agent_id = _register_seller_card(wallet, url)
        payment = pay(wallet, url, None, approve)
    (review,) = reviews
    (flag,) = [f for f in review.flags if f.name == "payee_not_card_wallet"]
    assert flag.critical and flag.text == (
        f"the resource belongs to agent #{agent_id} 'translator', whose agent wallet on chain is "
        f"{wallet.owner_address}, but it asks to be paid at {SELLER}")
    assert payment.status == "paid"  # the person approved it despite the flag


def test_the_payee_is_named_from_its_card(wallet):
    reviews.clear()
    with x402_seller(wallet, pay_to=wallet.owner_address) as url:
        agent_id = _register_seller_card(wallet, url)
        pay(wallet, url, None, deny)
    (review,) = reviews
    assert review.summary.endswith(f"for {url} (the resource of agent #{agent_id} 'translator')")
    assert not review.critical_flags
