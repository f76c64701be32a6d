"""`serve`: wallet A sells its model's answers behind x402 and settles the payments itself, on the
tests' devnet, paid by wallet B's vault through B's guardrail (`pay`); what must not be served
or settled is not."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

import pytest
from x402.http.utils import decode_payment_signature_header, encode_payment_signature_header

from agentwallet.actions import pipeline
from agentwallet.actions.payment import authorization_of
from agentwallet.chain.tokens import balance_of
from agentwallet.errors import WalletError
from agentwallet.payments import http, protocol
from agentwallet.payments.pay import _proposal, _valid_before, pay
from agentwallet.payments.requirements import price
from agentwallet.payments.serve import ASK
from tests.conftest import DAVE
from tests.http_kit import losing_proxy
from tests.payments.seller import PRICE, serving


def approve(_review) -> bool:
    return True


def usdc_of(wallet, holder: str) -> int:
    return balance_of(wallet.w3, wallet.config.tokens[0].address, holder)


def authorized(wallet, url: str, **changes) -> tuple[dict[str, str], object]:
    """B's vault authorizes, through its guardrail, a payment for `url` as it asks, but with
    `changes` (pay_to, amount) made to what is authorized: the header B would send, and the ask."""
    asked = protocol.payment_required(http.get(url))
    offer = price(wallet, asked, None)
    paid = replace(offer, **changes)
    proposal = _proposal(wallet, url, paid, _valid_before(wallet, offer.timeout), asked)
    assert pipeline.settle(wallet, pipeline.propose(wallet, proposal), True).state == "executed"
    _, authorization = authorization_of(wallet, proposal.args)
    return protocol.payment_header(asked, offer.accepted, authorization), asked


def test_an_unpaid_question_is_answered_with_the_price_to_the_vault(wallet, seller, answerer):
    with serving(seller, answerer.answer) as (url, _, _):
        answer = http.get(url + "?q=hello")
    assert answer.status == 402
    (offer,) = protocol.payment_required(answer).accepts
    assert (offer.scheme, offer.network, offer.pay_to, offer.asset, offer.amount) == (
        "exact", "eip155:31337", seller.guardrail.address, seller.config.tokens[0].address, str(PRICE))
    assert offer.extra == {"name": "Demo USDC", "version": "1"}


def test_a_paid_question_is_answered_by_the_model_and_the_vault_is_paid(wallet, seller, answerer):
    a_before, b_before = usdc_of(seller, seller.guardrail.address), usdc_of(wallet, wallet.guardrail.address)
    with serving(seller, answerer.answer) as (url, earnings, said):
        payment = pay(wallet, url + "?q=What+is+the+capital+of+France%3F", "0.01", approve)
    assert payment.status == "paid", payment.reason
    answer = json.loads(payment.answer.body)["answer"]
    assert answer == answerer.answer("What is the capital of France?") and answer
    assert usdc_of(seller, seller.guardrail.address) == a_before + PRICE
    assert usdc_of(wallet, wallet.guardrail.address) == b_before - PRICE
    assert payment.settled.success and payment.settled.payer == wallet.guardrail.address
    assert (earnings.answered, earnings.earned, earnings.last_payer) == (1, PRICE, wallet.guardrail.address)
    assert said[-1].startswith(f"paid: 0.01 USDC from {wallet.guardrail.address}, settled in "
                               f"{payment.settled.transaction}; answered (1 so far, 0.01 USDC earned)")


def test_a_settled_payment_sent_again_gets_the_same_answer_and_is_charged_once(wallet, seller, answerer):
    before = usdc_of(seller, seller.guardrail.address)
    with serving(seller, answerer.answer) as (url, earnings, said):
        header, _ = authorized(wallet, url + "?q=hi")
        first = http.get(url + "?q=hi", header)
        again = http.get(url + "?q=hi", header)  # the payer never heard the first response
        other = http.get(url + "?q=what+else", header)  # a payment buys the answer to its own question
    assert first.status == 200 and again.status == 200
    assert json.loads(again.body) == json.loads(first.body) and "answer" in json.loads(first.body)
    assert protocol.settlement(again).transaction == protocol.settlement(first).transaction
    assert "private" in again.header("Cache-Control")  # no shared cache hands it to an unpaid request
    assert other.status == 402 and b"answer" not in other.body
    assert usdc_of(seller, seller.guardrail.address) == before + PRICE
    assert earnings.answered == 1
    assert said[-1].startswith(f"answered again: the payment from {wallet.guardrail.address.lower()} was settled "
                               f"in {protocol.settlement(first).transaction}")


def test_the_answer_a_payment_bought_is_kept_across_a_restart_of_serve(wallet, seller, answerer):
    with serving(seller, answerer.answer) as (url, _, _):
        header, _ = authorized(wallet, url + "?q=hi")
        first = http.get(url + "?q=hi", header)
    with serving(seller, answerer.answer) as (url, earnings, _):  # as after a crash between settling and answering
        again = http.get(url + "?q=hi", header)
    assert first.status == 200 and again.status == 200 and json.loads(again.body) == json.loads(first.body)
    assert earnings.answered == 0  # nothing answered or settled anew


def test_a_nonce_spent_on_another_payee_buys_no_kept_answer(wallet, seller, answerer):
    from agentwallet.chain.events import payment_settled
    from agentwallet.chain.logs import LogReader
    from agentwallet.chain.tokens import demo_token
    from agentwallet.payments.answered import AnswersServed, Kept

    with serving(seller, answerer.answer) as (url, _, _):
        header, _ = authorized(wallet, url + "?q=hi", pay_to=DAVE)  # the payer's nonce, to someone else
        payload = decode_payment_signature_header(header["PAYMENT-SIGNATURE"])
        authorization = payload.payload["authorization"]
        payer, nonce = authorization["from"].lower(), authorization["nonce"].lower()
        # as if A had answered this payment and kept the answer, while the nonce paid DAVE instead
        AnswersServed(seller.home).keep(Kept(payer, nonce, "hi", "a kept answer", seller.config.tokens[0].address,
                                             PRICE, seller.w3.eth.block_number, time.time()))
        token = demo_token(wallet.w3, seller.config.tokens[0].address)
        wallet.rpc("anvil_impersonateAccount", [DAVE])  # anyone may submit an authorization; DAVE does
        wallet.rpc("anvil_setBalance", [DAVE, hex(10**18)])
        token.functions.transferWithAuthorization(
            authorization["from"], DAVE, int(authorization["value"]), int(authorization["validAfter"]),
            int(authorization["validBefore"]), bytes.fromhex(nonce[2:]), b"").transact({"from": DAVE})
        reader = LogReader(seller.rpc)
        latest = seller.w3.eth.block_number
        assert payment_settled(reader, token.address, payer, nonce, DAVE, PRICE, 0, latest) is not None
        assert payment_settled(reader, token.address, payer, nonce, seller.guardrail.address, PRICE, 0, latest) is None
    with serving(seller, answerer.answer) as (url, earnings, _):
        answer = http.get(url + "?q=hi", header)
    assert answer.status == 402 and b"a kept answer" not in answer.body and earnings.answered == 0


def test_a_paid_answer_lost_on_the_way_is_sent_again_and_charged_once(wallet, seller, answerer):
    a_before, b_before = usdc_of(seller, seller.guardrail.address), usdc_of(wallet, wallet.guardrail.address)
    with serving(seller, answerer.answer) as (url, earnings, said):
        with losing_proxy(url.removesuffix(ASK), losses=1) as (proxied, lost):
            payment = pay(wallet, proxied + ASK + "?q=hi", "0.01", approve)
    assert lost == [1] and payment.status == "paid", payment.reason
    assert json.loads(payment.answer.body)["answer"] == answerer.answer("hi")
    assert usdc_of(seller, seller.guardrail.address) == a_before + PRICE
    assert usdc_of(wallet, wallet.guardrail.address) == b_before - PRICE
    assert earnings.answered == 1 and said[-1].startswith("answered again")


def test_a_kept_answer_the_node_cannot_confirm_says_ask_again_not_pay_again(wallet, seller, seller_home, answerer):
    from agentwallet.actions.wallet import Wallet
    from agentwallet.config import update_config
    from tests.rpc_proxy import FaultyNode

    node = FaultyNode(seller.rpc_url)
    update_config(seller_home, lambda config: replace(config, network=node.url))
    proxied = Wallet.open(seller_home)
    try:
        with serving(proxied, answerer.answer) as (url, _, _):
            header, _ = authorized(wallet, url + "?q=hi")
            first = http.get(url + "?q=hi", header)
            node.stop()  # A's node goes away before the payer asks again
            again = http.get(url + "?q=hi", header)
    finally:
        proxied.close()
    assert first.status == 200
    assert again.status == 503 and json.loads(again.body) == {
        "error": "the payment's settlement cannot be confirmed now; ask again with the same payment"}


def test_a_payment_whose_settlement_failed_buys_one_answer_not_two(wallet, seller, answerer):
    before = usdc_of(seller, seller.guardrail.address)
    with serving(seller, answerer.answer) as (url, earnings, _):
        header, _ = authorized(wallet, url + "?q=hi")
        gas = seller.w3.eth.get_balance(seller.agent_address)
        seller.rpc("anvil_setBalance", [seller.agent_address, "0x0"])  # A's agent cannot pay the settlement's gas
        unsettled = http.get(url + "?q=hi", header)
        seller.rpc("anvil_setBalance", [seller.agent_address, hex(gas)])
        other = http.get(url + "?q=what+else", header)  # the same payment, another question: settled now
        first_again = http.get(url + "?q=hi", header)
    assert unsettled.status == 402 and other.status == 200
    assert first_again.status == 402 and b"answer" not in first_again.body  # its answer was replaced, not kept
    assert usdc_of(seller, seller.guardrail.address) == before + PRICE and earnings.answered == 1


def test_a_retry_while_the_answer_is_still_coming_is_not_taken_for_it(wallet, seller, answerer, monkeypatch):
    def slow(question: str) -> str:
        time.sleep(3)
        return answerer.answer(question)

    monkeypatch.setattr(http, "PAID_TIMEOUT", 1.0)  # the payer gives up before the server has answered
    b_before = usdc_of(wallet, wallet.guardrail.address)
    with serving(seller, slow) as (url, earnings, _):
        first = pay(wallet, url + "?q=hi", "0.01", approve)  # times out, retries: 409, still being answered
        deadline = time.monotonic() + 30
        while earnings.answered == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        monkeypatch.setattr(http, "PAID_TIMEOUT", 30.0)
        second = pay(wallet, url + "?q=hi", "0.01", never_asked)
    assert first.status == "failed" and "409" in first.reason
    assert second.status == "paid", second.reason
    assert json.loads(second.answer.body)["answer"] == answerer.answer("hi")
    assert usdc_of(wallet, wallet.guardrail.address) == b_before - PRICE and earnings.answered == 1


def never_asked(_review) -> bool:
    raise AssertionError("the answer a payment bought must not be paid for again")


def test_an_answer_that_never_arrived_is_asked_for_by_the_next_pay_at_no_new_cost(wallet, seller, answerer):
    b_before = usdc_of(wallet, wallet.guardrail.address)
    with serving(seller, answerer.answer) as (url, earnings, _):
        with losing_proxy(url.removesuffix(ASK), losses=2) as (proxied, lost):
            with pytest.raises(WalletError, match="pays nothing more"):
                pay(wallet, proxied + ASK + "?q=hi", "0.01", approve)
            assert lost == [2] and earnings.answered == 1  # settled, and its answer lost twice
            payment = pay(wallet, proxied + ASK + "?q=hi", "0.01", never_asked)
    assert payment.status == "paid", payment.reason
    assert json.loads(payment.answer.body)["answer"] == answerer.answer("hi")
    assert usdc_of(wallet, wallet.guardrail.address) == b_before - PRICE
    assert [entry.tool for entry in wallet.journal.entries()].count("pay_for") == 1


def test_one_payment_sent_twice_at_once_serves_one_answer(wallet, seller, answerer):
    with serving(seller, answerer.answer) as (url, earnings, _):
        header, _ = authorized(wallet, url + "?q=hi")
        answers = []
        both = [threading.Thread(target=lambda: answers.append(http.get(url + "?q=hi", header))) for _ in range(2)]
        for thread in both:
            thread.start()
        for thread in both:
            thread.join()
    assert sorted(answer.status for answer in answers) in ([200, 402], [200, 409])
    assert sum(b'"answer"' in answer.body for answer in answers) == 1 and earnings.answered == 1


@pytest.mark.parametrize("changes", [{"pay_to": DAVE}, {"amount": PRICE - 1}])
def test_a_payment_to_another_payee_or_of_another_amount_is_refused(wallet, seller, answerer, changes):
    before = usdc_of(seller, seller.guardrail.address)
    with serving(seller, answerer.answer) as (url, earnings, _):
        header, _ = authorized(wallet, url + "?q=hi", **changes)
        answer = http.get(url + "?q=hi", header)
    assert answer.status == 402 and b"answer" not in answer.body
    assert usdc_of(seller, seller.guardrail.address) == before and earnings.answered == 0


@pytest.mark.parametrize("changes", [{"network": "eip155:8453"}, {"asset": "0x" + "42" * 20},
                                     {"pay_to": DAVE}, {"amount": str(PRICE - 1)}])
def test_a_payment_for_another_network_asset_payee_or_price_is_refused(wallet, seller, answerer, changes):
    with serving(seller, answerer.answer) as (url, earnings, _):
        header, _ = authorized(wallet, url + "?q=hi")
        payload = decode_payment_signature_header(header["PAYMENT-SIGNATURE"])
        tampered = payload.model_copy(update={"accepted": payload.accepted.model_copy(update=changes)})
        answer = http.get(url + "?q=hi", {"PAYMENT-SIGNATURE": encode_payment_signature_header(tampered)})
    assert answer.status == 402 and b"answer" not in answer.body and earnings.answered == 0


def test_a_settlement_that_fails_serves_no_answer(wallet, seller, answerer):
    b_before = usdc_of(wallet, wallet.guardrail.address)
    with serving(seller, answerer.answer) as (url, earnings, said):
        header, _ = authorized(wallet, url + "?q=hi")
        seller.rpc("anvil_setBalance", [seller.agent_address, "0x0"])  # A's agent cannot pay the settlement's gas
        answer = http.get(url + "?q=hi", header)
    assert answer.status == 402 and b"answer" not in answer.body
    assert usdc_of(wallet, wallet.guardrail.address) == b_before  # authorized, never taken
    assert (earnings.answered, earnings.refused) == (0, 1)
    assert said[-1].startswith("not paid: the settlement failed") and said[-1].endswith("the answer was withheld")


@pytest.mark.parametrize(("method", "path", "headers", "status"), [
    ("POST", "/ask", {}, 405),
    ("GET", "/ask?q=hi", {"Content-Length": "5"}, 413),
    ("GET", "/other", {}, 404),
    ("GET", "/ask?q=hi", {"X-Big": "x" * 20_000}, 431),
])
def test_a_request_out_of_bounds_is_refused_before_any_payment(seller, answerer, method, path, headers, status):
    import http.client

    with serving(seller, answerer.answer) as (url, _, _):
        host, port = url.removeprefix("http://").split("/")[0].split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        body = b"hello" if "Content-Length" in headers else None
        connection.request(method, path, body=body, headers=headers)
        assert connection.getresponse().status == status


def test_an_answer_that_takes_too_long_is_not_served_nor_charged(wallet, seller, answerer, monkeypatch):
    import agentwallet.payments.serve as serve

    monkeypatch.setattr(serve, "ANSWER_SECONDS", 0.01)  # less than the model needs for any answer
    b_before = usdc_of(wallet, wallet.guardrail.address)
    with serving(seller, answerer.answer) as (url, earnings, said):
        header, _ = authorized(wallet, url + "?q=hi")
        answer = http.get(url + "?q=hi", header)
    assert answer.status == 503 and json.loads(answer.body) == {
        "error": "not answered: the model took too long; you were not charged"}
    assert usdc_of(wallet, wallet.guardrail.address) == b_before and earnings.answered == 0
    assert said[-1] == "not answered: the model took too long; nothing was settled"


def test_a_settlement_that_raises_gives_the_payment_back_for_its_retry(wallet, seller, answerer, monkeypatch):
    from x402 import x402FacilitatorSync

    settle = x402FacilitatorSync.settle
    calls = []

    def raises_once(self, payload, requirements):
        calls.append(payload)
        if len(calls) == 1:  # as a node gone mid-settlement, or a library's own error, would
            raise RuntimeError("the node went away")
        return settle(self, payload, requirements)

    monkeypatch.setattr(x402FacilitatorSync, "settle", raises_once)
    with serving(seller, answerer.answer) as (url, earnings, _):
        header, _ = authorized(wallet, url + "?q=hi")
        first = http.get(url + "?q=hi", header)
        again = http.get(url + "?q=hi", header)  # the payer retries with the same payment
    assert first.status == 402 and b"answer" not in first.body
    assert again.status == 200 and "answer" in json.loads(again.body)  # not 409: the payment was given back
    assert earnings.answered == 1
