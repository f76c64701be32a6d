"""Stuck transactions: an action's transaction that blocks no longer take (the base fee rose
past what it offered), sped up or cancelled with `agentwallet tx speedup|cancel`. Each signs
one more transaction for the action's nonce and the action is settled by whichever is mined:
exactly once. On the real devnet: the payment sent while nothing is mined, then a block with
a base fee far above its offer (anvil_setNextBlockBaseFeePerGas) leaves it behind."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from agentwallet.actions import history, pipeline, stuck, verification
from agentwallet.actions.wallet import Wallet
from agentwallet.chain import replacements, transactions
from agentwallet.errors import WalletError
from tests.conftest import ALICE, proposal
from tests.test_confirmations import rpc
from tests.test_custody import AGENT_SECRET_ONLY, BOTH_SECRETS, run, secrets
from tests.test_processes import _wait_for_line, finish, start

AMOUNT = 10**16


@contextmanager
def left_behind(wallet: Wallet, monkeypatch, tool: str = "send_native", **args) -> Iterator[str]:
    """An action (by default a payment) sent and left behind by a block whose base fee is 20
    times what it offers; blocks are then mined as transactions come again (the base fee falls
    an eighth a block). Its action id."""
    monkeypatch.setattr(pipeline, "RECEIPT_WAIT_SECONDS", 0.2)
    base_fee = wallet.w3.eth.get_block("latest")["baseFeePerGas"]
    rpc(wallet, "evm_setAutomine", False)
    try:
        p = proposal(wallet, tool, **(args or {"to": ALICE, "amount_wei": AMOUNT}))
        assert pipeline.settle(wallet, pipeline.propose(wallet, p), True).state == "submitted"
        offered = replacements.offered(wallet.journal.get(p.action_id).raw_tx)
        rpc(wallet, "anvil_setNextBlockBaseFeePerGas", hex(20 * offered.max_fee))
        rpc(wallet, "evm_mine")
    finally:
        rpc(wallet, "evm_setAutomine", True)
    assert transactions.find_receipt(wallet.w3, wallet.journal.get(p.action_id).tx_hash) is None
    try:
        yield p.action_id
    finally:
        # evm_revert keeps the pool and the base fee to come: the next test must find neither
        rpc(wallet, "anvil_dropAllTransactions")
        rpc(wallet, "anvil_setNextBlockBaseFeePerGas", hex(base_fee))


@pytest.fixture
def stuck_payment(wallet, monkeypatch):
    with left_behind(wallet, monkeypatch) as action_id:
        yield action_id


def test_a_stuck_payment_sped_up_executes_once_and_the_journal_shows_both_hashes(wallet, stuck_payment):
    before = wallet.w3.eth.get_balance(ALICE)
    original = wallet.journal.get(stuck_payment)
    outcome = stuck.speed_up(wallet, stuck_payment)
    assert outcome.state == "executed"
    sent = wallet.journal.sent_for(stuck_payment)
    assert [tx.purpose for tx in sent] == ["action", "speedup"] and sent[0].tx_hash == original.tx_hash
    assert outcome.tx_hash == sent[1].tx_hash == wallet.journal.get(stuck_payment).tx_hash
    old, new = (replacements.offered(tx.raw_tx) for tx in sent)
    assert new.max_fee >= old.max_fee * 11 // 10 and new.priority_fee >= old.priority_fee * 11 // 10
    assert new.max_fee >= wallet.w3.eth.get_block(transactions.head(wallet.w3))["baseFeePerGas"]  # from the node
    assert transactions.find_receipt(wallet.w3, original.tx_hash) is None
    assert wallet.w3.eth.get_balance(ALICE) - before == AMOUNT
    assert [e.state for e in history.history(wallet) if e.action_id == stuck_payment] == ["executed"]
    assert verification.verify(wallet)[1] == []
    with pytest.raises(WalletError, match="is already executed: nothing is pending to speed up"):
        stuck.speed_up(wallet, stuck_payment)


def test_a_cancel_leaves_the_payment_failed_logged_and_nothing_moved(wallet, stuck_payment):
    before = wallet.w3.eth.get_balance(ALICE), wallet.w3.eth.get_balance(wallet.guardrail_address)
    code, out, err = finish(start("tx", "cancel", stuck_payment, "--json"))
    assert code == 1, err
    shown = json.loads(out)
    assert shown["status"] == "failed" and shown["error"].startswith("cancelled: ")
    assert shown["log_tx_hash"] is not None  # the failure is logged on chain, as every failure
    assert [tx.purpose for tx in wallet.journal.sent_for(stuck_payment)] == ["action", "cancel"]
    assert (wallet.w3.eth.get_balance(ALICE), wallet.w3.eth.get_balance(wallet.guardrail_address)) == before
    assert [e.status for e in history.history(wallet) if e.action_id == stuck_payment] == ["failed"]
    assert verification.verify(wallet)[1] == []


def test_a_kill_between_signing_the_speed_up_and_sending_it_is_settled_by_the_next_start(
        wallet, stuck_payment, monkeypatch):
    before = wallet.w3.eth.get_balance(ALICE)

    def killed(*_args):
        raise SystemExit("killed")

    monkeypatch.setattr(stuck.transactions, "broadcast", killed)
    with pytest.raises(SystemExit):
        stuck.speed_up(wallet, stuck_payment)
    monkeypatch.undo()
    assert [tx.purpose for tx in wallet.journal.sent_for(stuck_payment)] == ["action", "speedup"]
    reopened = Wallet.open(wallet.home)
    assert [o.state for o in pipeline.reconcile(reopened)] == ["executed"]  # the newest kept bytes, sent
    assert reopened.journal.get(stuck_payment).tx_hash == reopened.journal.sent_for(stuck_payment)[1].tx_hash
    assert wallet.w3.eth.get_balance(ALICE) - before == AMOUNT
    reopened.close()


def test_a_cancel_killed_while_it_waits_is_settled_by_the_next_start(wallet, stuck_payment):
    before = wallet.w3.eth.get_balance(ALICE)
    rpc(wallet, "evm_setAutomine", False)
    try:
        process = start("tx", "cancel", stuck_payment)
        _wait_for_line(process, "sent 0x")
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        rpc(wallet, "evm_mine")
    finally:
        rpc(wallet, "evm_setAutomine", True)
    code, _, err = finish(start("limits", "show"))
    assert code == 0 and f"recovered action {stuck_payment[:10]}…: failed" in err
    assert wallet.journal.get(stuck_payment).error.startswith("cancelled: ")
    assert wallet.w3.eth.get_balance(ALICE) == before
    assert verification.verify(wallet)[1] == []


def test_what_cannot_be_sped_up_or_cancelled_is_one_clear_error(wallet, stuck_payment):
    with pytest.raises(WalletError, match="no action 0x1234 in this wallet's journal"):
        stuck.cancel(wallet, "0x1234")
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=AMOUNT)
    pipeline.propose(wallet, p)
    with pytest.raises(WalletError, match="is proposed: nothing was sent for it, nothing to cancel"):
        stuck.cancel(wallet, p.action_id)
    code, _, err = finish(start("tx", "speedup", p.action_id))
    assert code == 1 and "nothing was sent for it, nothing to speed up" in err and "Traceback" not in err
    assert stuck.speed_up(wallet, stuck_payment).state == "executed"
    with pytest.raises(WalletError, match="is already executed: nothing is pending to cancel"):
        stuck.cancel(wallet, stuck_payment)


def test_an_owner_signed_action_is_replaced_only_with_the_owner_key(wallet, monkeypatch):
    with left_behind(wallet, monkeypatch, "set_limits", daily_wei=3 * 10**18) as action_id:
        assert wallet.journal.get(action_id).executor == "owner"
        done = run(secrets(*AGENT_SECRET_ONLY), "tx", "speedup", action_id)
        assert done.returncode == 1
        assert done.stderr.endswith("agentwallet: the owner key is locked: set AGENTWALLET_OWNER_PASSPHRASE "
                                    "(or AGENTWALLET_PASSPHRASE) or run in a terminal\n")
        assert len(wallet.journal.sent_for(action_id)) == 1  # nothing signed
        done = run(secrets(*BOTH_SECRETS), "tx", "speedup", action_id)
        assert done.returncode == 0 and done.stdout.startswith("executed in 0x"), done.stderr
        assert wallet.guardrail.policy(wallet.agent_address).allowance == 3 * 10**18


def test_doctor_names_an_action_sent_and_not_mined_and_what_to_do(wallet, stuck_payment):
    code, out, err = finish(start("doctor"))
    assert code == 1, err
    assert (f"PROBLEM  action {stuck_payment} was sent and is not mined (the agent's nonce "
            f"{wallet.journal.get(stuck_payment).nonce})") in out
    assert f"fix: wait, or `agentwallet tx speedup {stuck_payment}` (higher fees), or `agentwallet tx cancel" in out


def test_an_action_already_mined_and_confirming_cannot_be_replaced(home, monkeypatch):
    from dataclasses import replace

    from agentwallet import config as config_module

    config_module.update_config(home, lambda config: replace(config, confirmations=2))
    monkeypatch.setattr(pipeline, "RECEIPT_WAIT_SECONDS", 0.2)
    wallet = Wallet.open(home)
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=AMOUNT)
    assert pipeline.settle(wallet, pipeline.propose(wallet, p), True).state == "confirming"
    with pytest.raises(WalletError, match=r"is already mined \(in 0x[0-9a-f]{64}, block \d+\): it cannot be replaced"):
        stuck.cancel(wallet, p.action_id)
    assert len(wallet.journal.sent_for(p.action_id)) == 1
    wallet.close()
