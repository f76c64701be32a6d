"""`propose` with several steps (`... then ...`), as docs/cli.md says, on a real devnet."""

from __future__ import annotations

import json
import sys

import pytest

from agentwallet.chain import tokens
from tests.conftest import ALICE, BOB
from tests.test_cli import run, run_json

ETH = 10**18
USDC = 10**6
ALICE_AND_BOB = ["propose", "send_native", "to=alice", f"amount_wei={ETH // 100}",
                 "then", "send_token", "token=USDC", "to=bob", f"amount={2 * USDC}"]


def test_propose_two_steps_yes_executes_both_records_the_plan_and_verify_is_clean(home, wallet, capsys):
    usdc = wallet.config.tokens[0].address
    eth_before, usdc_before = wallet.w3.eth.get_balance(ALICE), tokens.balance_of(wallet.w3, usdc, BOB)
    code, out, err = run(capsys, *ALICE_AND_BOB, "--yes")
    assert code == 0, err
    assert "Plan of 2 steps" in out and "Step 1 of 2:" in out and "Step 2 of 2:" in out
    words = " ".join(out.split())  # the rows are aligned in columns
    assert "ETH leaves the vault: 0.01 ETH" in words and "USDC left in this window: 100 → 98 USDC" in words
    assert out.count("executed in") == 2
    assert wallet.w3.eth.get_balance(ALICE) - eth_before == ETH // 100
    assert tokens.balance_of(wallet.w3, usdc, BOB) - usdc_before == 2 * USDC
    entries = run_json(capsys, "history")
    assert [e["status"] for e in entries] == ["executed", "executed"]
    assert len({e["plan_id"] for e in entries}) == 1 and entries[0]["plan_id"] is not None
    assert sorted(e["step"] for e in entries) == [1, 2] and all(e["verified"] for e in entries)
    code, out, _ = run(capsys, "history")
    plan = entries[0]["plan_id"][:10]
    assert f"[plan {plan}… step 1] propose send_native" in out and f"[plan {plan}… step 2] propose" in out
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "3 actions checked, 0 mismatches" in out  # two steps and the plan


def test_propose_two_steps_json_gives_the_plan_and_each_steps_outcome(home, capsys):
    code, out, err = run(capsys, *ALICE_AND_BOB, "--no", "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert set(shown) == {"plan_id", "plan_hash", "steps"}
    assert [step["status"] for step in shown["steps"]] == ["denied", "denied"]
    assert shown["steps"][0]["log_tx_hash"] == shown["steps"][1]["log_tx_hash"]  # one record_plan for both
    assert "Plan of 2 steps" in err and "denied (--no)" in err
    assert [e["status"] for e in run_json(capsys, "history")] == ["denied", "denied"]


def test_at_a_terminal_the_person_keeps_some_steps_and_drops_the_rest(home, wallet, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda: "2")
    code, out, err = run(capsys, *ALICE_AND_BOB)
    assert code == 0, err
    assert "Approve all 2 steps? [y/N], or the steps to keep (1 3): " in out
    assert "step 1: denied" in out and "step 2: executed" in out
    statuses = {e["step"]: (e["kind"], e["status"]) for e in run_json(capsys, "history")}
    assert statuses == {1: ("record", "denied"), 2: ("token", "executed")}


def test_yes_never_approves_a_plan_with_a_critical_step(home, wallet, capsys):
    before = wallet.w3.eth.get_balance(ALICE)
    code, out, _ = run(capsys, "propose", "send_native", "to=alice", f"amount_wei={3 * ETH}",
                       "then", "send_native", "to=bob", "amount_wei=1000", "--yes")
    assert code == 0 and "!! owner_execution" in out and "--yes does not approve a plan with critical flags" in out
    assert wallet.w3.eth.get_balance(ALICE) == before
    assert [e["status"] for e in run_json(capsys, "history")] == ["denied", "denied"]


@pytest.mark.parametrize("words, message", [
    (["send_native", "to=alice", "amount_wei=1", "then"], "`then` comes between two steps"),
    (["then", "send_native", "to=alice", "amount_wei=1"], "`then` comes between two steps"),
    (["pause", "then", "then", "resume"], "`then` comes between two steps"),
    (["send_native", "to=alice", "amount_wei=1", "then", "send_native", "to=mallory", "amount_wei=1"],
     "unknown contact"),
    ([*["send_native", "to=alice", "amount_wei=1", "then"] * 5, "pause"], "a plan has 2 to 5 steps, not 6"),
])
def test_a_bad_plan_is_refused_in_one_line_and_changes_nothing(home, capsys, words, message):
    code, _, err = run(capsys, "propose", *words, "--yes")
    assert code != 0 and message in err and len(err.strip().splitlines()) == 1
    assert run_json(capsys, "history") == []
