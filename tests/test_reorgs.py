"""Reorgs: a block that held an action's transaction is replaced. The action is noticed gone,
its same signed bytes are sent again (never a new transaction behind the user's back), and it
executes exactly once; history forgets the events of the dropped blocks. On the real devnet:
anvil_rollback drops blocks, evm_mine builds others in their place."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agentwallet import config as config_module
from agentwallet.actions import history, pipeline, verification
from agentwallet.actions.wallet import Wallet
from tests.conftest import ALICE, proposal
from tests.test_confirmations import rpc

AMOUNT = 10**16


@pytest.fixture
def deep_wallet(home, monkeypatch):
    """Two blocks on each transaction before it counts, as on a real network; a command waits
    a moment only, so the test can drop the block while the action is confirming."""
    config_module.update_config(home, lambda config: replace(config, confirmations=2))
    monkeypatch.setattr(pipeline, "RECEIPT_WAIT_SECONDS", 0.2)
    opened = Wallet.open(home)
    yield opened
    opened.close()


def test_a_reorg_drops_a_payment_and_it_executes_exactly_once(deep_wallet):
    wallet = deep_wallet
    before = wallet.w3.eth.get_balance(ALICE)
    spent = wallet.limits().native.spent
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=AMOUNT)
    outcome = pipeline.settle(wallet, pipeline.propose(wallet, p), True)
    assert outcome.state == "confirming"
    signed = wallet.journal.get(p.action_id)
    mined_in = wallet.w3.eth.get_transaction_receipt(signed.tx_hash)["blockNumber"]
    assert [e.state for e in history.history(wallet)][:1] == ["confirming"]  # its event is cached

    rpc(wallet, "anvil_rollback", 1)  # the block that held the payment is gone...
    rpc(wallet, "evm_mine")  # ...and another, empty, is built at its height
    assert wallet.w3.eth.get_balance(ALICE) == before
    assert [e.action_id for e in history.history(wallet)].count(p.action_id) == 1
    assert history.history(wallet)[0].state == "submitted"  # the dropped event is forgotten

    assert [o.state for o in pipeline.reconcile(wallet)] == ["confirming"]  # the same bytes, sent again
    assert [tx.tx_hash for tx in wallet.journal.sent_for(p.action_id)] == [signed.tx_hash]
    assert wallet.w3.eth.get_transaction_receipt(signed.tx_hash)["blockNumber"] == mined_in + 1
    rpc(wallet, "evm_mine")
    rpc(wallet, "evm_mine")
    assert [o.state for o in pipeline.reconcile(wallet)] == ["executed"]

    assert wallet.w3.eth.get_balance(ALICE) - before == AMOUNT
    assert wallet.limits().native.spent - spent == AMOUNT  # the guardrail counted it once
    assert wallet.w3.eth.get_transaction_count(wallet.agent_address) == signed.nonce + 1
    assert [e.state for e in history.history(wallet) if e.action_id == p.action_id] == ["executed"]
    assert verification.verify(wallet)[1] == []


def test_a_reorg_that_moves_a_payment_to_another_block_counts_its_confirmations_there(deep_wallet):
    wallet = deep_wallet
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=AMOUNT)
    assert pipeline.settle(wallet, pipeline.propose(wallet, p), True).state == "confirming"
    tx_hash = wallet.journal.get(p.action_id).tx_hash
    rpc(wallet, "evm_mine")
    rpc(wallet, "anvil_reorg", 2, [])  # the last two blocks replaced: the payment's among them
    outcomes = pipeline.reconcile(wallet)
    assert [o.state for o in outcomes] == ["confirming"] and outcomes[0].error == pipeline.confirming(0, 2)
    rpc(wallet, "evm_mine")
    rpc(wallet, "evm_mine")
    assert [o.state for o in pipeline.reconcile(wallet)] == ["executed"]
    assert wallet.journal.get(p.action_id).tx_hash == tx_hash
    assert [e.status for e in history.history(wallet) if e.action_id == p.action_id] == ["executed"]
