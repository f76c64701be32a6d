"""`ask` with a request of several actions, planned by the real bundled model and carried out
as one plan on a real devnet (docs/cli.md)."""

from __future__ import annotations

import json

from agentwallet.chain import tokens
from agentwallet.chain.events import PLAN_TOPIC
from tests.conftest import ALICE, BOB
from tests.test_cli import run, run_json

ETH = 10**18
USDC = 10**6


def test_ask_yes_carries_out_two_payments_as_one_plan_recorded_on_chain(home, wallet, capsys):
    usdc = wallet.config.tokens[0].address
    eth_before, usdc_before = wallet.w3.eth.get_balance(ALICE), tokens.balance_of(wallet.w3, usdc, BOB)
    code, out, err = run(capsys, "ask", "pay alice 0.01 eth and bob 2 usdc", "--yes")
    assert code == 0, err
    assert "Plan of 2 steps" in out and out.count("executed in") == 2
    assert wallet.w3.eth.get_balance(ALICE) - eth_before == ETH // 100
    assert tokens.balance_of(wallet.w3, usdc, BOB) - usdc_before == 2 * USDC
    entries = sorted(run_json(capsys, "history"), key=lambda entry: entry["step"])
    assert [(e["tool"], e["status"], e["to"]) for e in entries] == [("send_native", "executed", ALICE),
                                                                    ("send_token", "executed", BOB)]
    plan_ids = {e["plan_id"] for e in entries}
    assert len(plan_ids) == 1 and None not in plan_ids and all(e["verified"] for e in entries)
    [record] = wallet.w3.eth.get_logs({"address": wallet.guardrail.address, "topics": [PLAN_TOPIC],
                                       "fromBlock": 0, "toBlock": "latest"})
    assert "0x" + record["topics"][1].hex().removeprefix("0x") == plan_ids.pop()
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "3 actions checked, 0 mismatches" in out  # two steps and the plan


def test_ask_dry_run_json_prints_the_steps_and_changes_nothing(home, capsys):
    code, out, err = run(capsys, "ask", "split 30 usdc between alice and bob", "--dry-run", "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["tool"] == "plan" and set(shown) == {"tool", "steps", "rationale"}
    assert [(step["tool"], step["args"]["to"], step["args"]["amount"]) for step in shown["steps"]] == [
        ("send_token", ALICE, str(15 * USDC)), ("send_token", BOB, str(15 * USDC))]
    assert shown["rationale"] == "; ".join(dict.fromkeys(step["rationale"] for step in shown["steps"]))
    assert "not_planned" not in shown
    assert run_json(capsys, "history") == []


def test_ask_refuses_a_request_it_cannot_plan_whole_and_says_why(home, capsys):
    code, _, err = run(capsys, "ask", "pay alice 0.01 eth and dave 2 usdc", "--yes")
    assert code != 0 and ("could not plan all of the request" in err or "dave" in err)
    assert run_json(capsys, "history") == []
