"""`agentwallet pay URL`: the command line of an x402 payment, against a real x402 seller."""

from __future__ import annotations

import json

from agentwallet.cli import main
from tests.payments.kit import ANSWER, PRICE, SELLER, usdc, x402_seller


def test_pay_json_says_what_was_paid_and_what_came_back(wallet, capsys):
    with x402_seller(wallet) as url:
        code = main(["pay", url, "--max", "0.01", "--yes", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (out["status"], out["url"], out["response"], out["reason"]) == ("paid", url, ANSWER, None)
    payment = out["payment"]
    assert (payment["amount"], payment["asset"], payment["symbol"], payment["pay_to"]) == (
        str(PRICE), usdc(wallet).address, "USDC", SELLER)
    assert payment["tx_hash"].startswith("0x") and payment["settlement_tx_hash"].startswith("0x")


def test_pay_prints_the_answer_and_the_payment_on_stderr(wallet, capsys):
    with x402_seller(wallet) as url:
        code = main(["pay", url, "--max", "0.01", "--yes"])
    said = capsys.readouterr()
    assert code == 0 and json.loads(said.out.splitlines()[-1]) == ANSWER  # after the review
    assert said.err.splitlines()[-1].startswith(f"paid: 0.01 USDC to {SELLER}, authorized in 0x")


def test_pay_yes_needs_a_max(wallet, capsys):
    assert main(["pay", "http://127.0.0.1:1/ask", "--yes"]) == 1
    assert capsys.readouterr().err.strip() == (
        "agentwallet: --yes needs --max: say the most you will pay without being asked")


def test_pay_no_denies_and_logs_and_exits_0(wallet, capsys):
    with x402_seller(wallet) as url:
        code = main(["pay", url, "--no", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["status"] == "denied" and out["response"] is None


def test_pay_refuses_a_price_above_max_and_exits_1(wallet, capsys):
    with x402_seller(wallet) as url:
        code = main(["pay", url, "--max", "0.001", "--yes"])
    assert code == 1
    assert capsys.readouterr().out.strip() == (
        "refused (the resource asks 0.01 USDC, more than your --max of 0.001 USDC)")


def test_a_payment_is_in_history_as_a_payment_and_verify_agrees(wallet, capsys):
    with x402_seller(wallet) as url:
        assert main(["pay", url, "--max", "0.01", "--yes", "--json"]) == 0
    action_id = json.loads(capsys.readouterr().out)["payment"]["action_id"]
    assert main(["history", "--json"]) == 0
    (entry,) = [e for e in json.loads(capsys.readouterr().out) if e["action_id"] == action_id]
    assert (entry["kind"], entry["status"], entry["to"], entry["amount"], entry["token"]) == (
        "payment", "executed", SELLER, str(PRICE), usdc(wallet).address)
    assert entry["verified"] is True and entry["request"] == f"pay {url}"
    assert main(["verify"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 mismatches")
