"""Incoming payments in History: what B paid A's `serve` is in A's history as a payment in, with
its payer, and in B's as its payment out; both histories and both `verify`s agree."""

from __future__ import annotations

import json

from agentwallet.actions import pipeline
from agentwallet.cli import main
from agentwallet.payments.pay import pay
from tests.conftest import proposal
from tests.payments.seller import PRICE, serving


def history_of(home, monkeypatch, capsys, *argv: str) -> tuple[int, str]:
    with monkeypatch.context() as inside:
        inside.setenv("AGENTWALLET_HOME", str(home))
        code = main(list(argv))
    return code, capsys.readouterr().out


def test_a_payment_served_is_in_the_sellers_history_as_incoming_and_verify_agrees(
        wallet, seller, seller_home, answerer, monkeypatch, capsys):
    with serving(seller, answerer.answer) as (url, _, _):
        payment = pay(wallet, url + "?q=hi", "0.01", lambda _review: True)
    assert payment.status == "paid", payment.reason
    settlement = payment.settled.transaction

    code, out = history_of(seller_home, monkeypatch, capsys, "history", "--json")
    (incoming,) = [entry for entry in json.loads(out) if entry["direction"] == "in"]
    assert code == 0 and incoming | {"timestamp": None, "block": None, "action_id": None} == {
        "action_id": None, "block": None, "timestamp": None, "tx_hash": settlement, "kind": "payment",
        "status": "executed", "actor": wallet.guardrail.address, "to": seller.guardrail.address,
        "token": seller.config.tokens[0].address, "amount": str(PRICE), "intent_hash": "0x" + "00" * 32,
        "verified": True, "tool": None, "request": None, "rationale": None, "args": None, "plan_id": None,
        "step": None, "confirmations": None, "confirmations_needed": None, "direction": "in",
        "payer": wallet.guardrail.address, "state": "executed"}
    code, out = history_of(seller_home, monkeypatch, capsys, "history")
    assert f"paid in by {wallet.guardrail.address}" in out and "NOT MADE BY THIS WALLET" not in out
    assert history_of(seller_home, monkeypatch, capsys, "verify") == (0, "0 actions checked, 0 mismatches\n")

    code, out = history_of(wallet.home, monkeypatch, capsys, "history", "--json")
    (paid,) = [entry for entry in json.loads(out) if entry["action_id"] == payment.outcome.action_id]
    assert (paid["kind"], paid["direction"], paid["payer"], paid["to"], paid["amount"], paid["verified"]) == (
        "payment", "out", None, seller.guardrail.address, str(PRICE), True)
    code, out = history_of(wallet.home, monkeypatch, capsys, "verify")
    assert code == 0 and out.endswith(" 0 mismatches\n")


def test_a_plain_transfer_into_the_vault_is_no_incoming_payment(wallet, seller, seller_home, monkeypatch, capsys):
    usdc = wallet.config.tokens[0].address
    sent = pipeline.carry_out(wallet, proposal(wallet, "send_token", token=usdc, to=seller.guardrail.address,
                                               amount="5"), lambda _review: True)
    assert sent.state == "executed"
    code, out = history_of(seller_home, monkeypatch, capsys, "history", "--json")
    assert code == 0 and [entry for entry in json.loads(out) if entry["direction"] == "in"] == []
