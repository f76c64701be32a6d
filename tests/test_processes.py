"""Several processes on one wallet home: real `agentwallet` subprocesses on the real devnet.

The testers' finding this guards against: two `propose … --yes` started 0–0.4 s apart in one
home, where the second process's start-up reconcile settled the first one's live entry as
"interrupted before it was sent" while the first went on and paid: one action both failed
and executed on chain, nonces clashed, payments were lost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from agentwallet.actions import history, pipeline, verification
from agentwallet.actions.leases import Lease, sending
from agentwallet.actions.wallet import Wallet
from agentwallet.chain import transactions
from agentwallet.errors import WalletError
from tests.conftest import ALICE, proposal

ETH = 10**18


def start(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "agentwallet", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def statuses_by_action(wallet: Wallet) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in history.history(wallet):
        found.setdefault(entry.action_id, []).append(entry.status)
    return found


def test_six_payments_two_at_a_time_started_apart_each_pay_once_and_verify_is_clean(home):
    wallet = Wallet.open(home)
    before = wallet.w3.eth.get_balance(ALICE)
    amounts = []
    for round_index, offset in enumerate((0.0, 0.2, 0.4)):
        pair = []
        for second in range(2):
            amount = 10**15 * (1 + 2 * round_index + second)  # each payment its own amount
            amounts.append(amount)
            pair.append(start("propose", "send_native", f"to={ALICE}", f"amount_wei={amount}", "--yes", "--json"))
            if not second:
                time.sleep(offset)
        for process in pair:
            code, out, err = finish(process)
            assert code == 0, err
            assert json.loads(out)["status"] == "executed", out + err
    assert wallet.w3.eth.get_balance(ALICE) - before == sum(amounts)
    statuses = statuses_by_action(wallet)
    assert len(statuses) == len(amounts)
    assert all(found == ["executed"] for found in statuses.values()), statuses
    assert verification.verify(wallet) == (len(amounts), [])
    wallet.close()


def test_another_processes_start_up_leaves_an_action_in_progress_alone(wallet):
    """The testers' finding, made certain: an approved action whose process lives (it holds the
    lease) is not settled as interrupted by a second process starting up."""
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    pipeline.propose(wallet, p)
    lease = Lease.take(wallet.home, p.action_id, wait=False)
    wallet.journal.update(p.action_id, state="approved", executor="agent")  # as settle does, holding it
    code, _, err = finish(start("limits", "show"))
    assert code == 0, err
    assert wallet.journal.get(p.action_id).state == "approved"
    assert "recovered" not in err
    lease.release(finished=False)  # its process is gone: now it is interrupted, and said so
    code, _, err = finish(start("limits", "show"))
    assert code == 0 and f"recovered action {p.action_id[:10]}…: failed" in err
    assert wallet.journal.get(p.action_id).error == "interrupted before it was sent; nothing was sent"
    assert statuses_by_action(wallet)[p.action_id] == ["failed"]


def test_a_process_waits_for_the_sending_lock_and_takes_the_next_nonce(wallet):
    """While one process holds the nonce it signed with, another's payment waits, then takes the
    next nonce; without the lock both would sign with one nonce and one payment be lost."""
    agent = wallet.account("agent")
    before = wallet.w3.eth.get_balance(ALICE)
    with sending(wallet.home):
        nonce = wallet.w3.eth.get_transaction_count(agent.address, "pending")
        ours = agent.sign_transaction({"to": ALICE, "value": 1, "gas": 21_000, "nonce": nonce,
                                       "chainId": wallet.w3.eth.chain_id, "maxFeePerGas": wallet.w3.eth.gas_price * 2,
                                       "maxPriorityFeePerGas": 0})
        other = start("propose", "send_native", f"to={ALICE}", f"amount_wei={ETH // 100}", "--yes", "--json")
        _wait_for_line(other, "signing as the agent")
        time.sleep(0.5)  # it would sign now, if the lock let it
        transactions.broadcast(wallet.w3, bytes(ours.raw_transaction))
    code, out, err = finish(other)
    assert code == 0 and json.loads(out)["status"] == "executed", err
    assert wallet.journal.entries()[-1].nonce == nonce + 1
    assert wallet.w3.eth.get_balance(ALICE) - before == ETH // 100 + 1


def _wait_for_line(process: subprocess.Popen, text: str) -> None:
    for line in process.stderr:
        if text in line:
            return
    raise AssertionError(f"the process ended without saying {text!r}")


def test_a_nonce_taken_from_outside_the_wallet_fails_the_action_with_one_clear_message(wallet, monkeypatch):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    review = pipeline.propose(wallet, p)
    agent = wallet.account("agent")
    before = wallet.w3.eth.get_balance(ALICE)
    original = pipeline.transactions.broadcast

    def outside_sender_first(w3, raw):
        """A leaked agent key used elsewhere takes the nonce the wallet just signed with."""
        monkeypatch.setattr(pipeline.transactions, "broadcast", original)
        nonce = wallet.journal.get(p.action_id).nonce
        stolen = agent.sign_transaction({"to": agent.address, "value": 0, "gas": 21_000, "nonce": nonce,
                                         "chainId": w3.eth.chain_id, "maxFeePerGas": w3.eth.gas_price * 2,
                                         "maxPriorityFeePerGas": 0})
        original(w3, bytes(stolen.raw_transaction))
        return original(w3, raw)

    monkeypatch.setattr(pipeline.transactions, "broadcast", outside_sender_first)
    outcome = pipeline.settle(wallet, review, True)
    assert outcome.state == "failed"
    assert outcome.error == (f"not sent: another transaction from the agent's account took its nonce "
                             f"({wallet.journal.get(p.action_id).nonce}); nothing moved for this action")
    assert wallet.w3.eth.get_balance(ALICE) == before
    assert statuses_by_action(wallet)[p.action_id] == ["failed"]


def test_a_refused_nonce_reads_as_what_it_means_not_as_the_nodes_json(wallet):
    agent = wallet.account("agent")
    nonce = wallet.w3.eth.get_transaction_count(agent.address, "pending")
    first, second = (agent.sign_transaction({
        "to": ALICE, "value": value, "gas": 21_000, "nonce": nonce, "chainId": wallet.w3.eth.chain_id,
        "maxFeePerGas": wallet.w3.eth.gas_price * 2, "maxPriorityFeePerGas": 0}) for value in (1, 2))
    transactions.wait(wallet.w3, transactions.broadcast(wallet.w3, bytes(first.raw_transaction)))
    with pytest.raises(WalletError) as refused:  # the nonce used by a mined transaction, not a pending one
        transactions.broadcast(wallet.w3, bytes(second.raw_transaction))
    assert str(refused.value) == ("the node refused the transaction: another transaction from this account "
                                  "already used its nonce (nonce too low)")


def test_an_action_is_decided_once_however_often_it_is_settled(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    review = pipeline.propose(wallet, p)
    assert pipeline.settle(wallet, review, True).state == "executed"
    with pytest.raises(WalletError, match="was already decided .executed.: nothing more was done"):
        pipeline.settle(wallet, review, False)
    assert statuses_by_action(wallet)[p.action_id] == ["executed"]
