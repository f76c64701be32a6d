"""Confirmations: an action is executed once the network's number of blocks is built on its
transaction, and until then it is shown as submitted (not mined) or confirming (with the count).
On the real devnet, its mining driven by hand (evm_setAutomine false, evm_mine)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from agentwallet import config as config_module
from agentwallet.actions import history, pipeline, verification
from agentwallet.actions.wallet import Wallet
from agentwallet.chain.networks import confirmations_needed
from agentwallet.errors import WalletError
from tests.conftest import ALICE, proposal
from tests.test_processes import _wait_for_line, finish, start

AMOUNT = 10**16


def rpc(wallet: Wallet, method: str, *params) -> object:
    answer = wallet.w3.provider.make_request(method, list(params))
    assert "error" not in answer, answer
    return answer["result"]


@pytest.fixture
def deep_wallet(home):
    """The devnet wallet, told to wait for two blocks on each transaction, as on a real network."""
    config_module.update_config(home, lambda config: replace(config, confirmations=2))
    opened = Wallet.open(home)
    yield opened
    opened.close()


@pytest.fixture
def mined_by_hand(wallet):
    rpc(wallet, "evm_setAutomine", False)
    yield
    rpc(wallet, "anvil_dropAllTransactions")  # evm_revert keeps the pool: the next test must not mine these
    rpc(wallet, "evm_setAutomine", True)


def test_each_network_has_its_confirmations_and_the_config_overrides_them(home):
    assert confirmations_needed(31337) == 0  # a local node never reorganises unless told to
    assert confirmations_needed(1) == 3 and confirmations_needed(8453) == 2
    assert confirmations_needed(999_999) == 3  # a chain this wallet does not know: careful
    assert confirmations_needed(31337, configured=5) == 5
    config_module.update_config(home, lambda config: replace(config, confirmations=0))
    assert config_module.load_config(home).confirmations == 0
    path = config_module.config_path(home)
    path.write_text(path.read_text().replace("confirmations = 0", "confirmations = -1"))
    with pytest.raises(WalletError, match="confirmations must be how many blocks"):
        config_module.load_config(home)


def test_a_payment_is_executed_only_once_it_has_the_networks_confirmations(deep_wallet):
    before = deep_wallet.w3.eth.get_balance(ALICE)
    process = start("propose", "send_native", f"to={ALICE}", f"amount_wei={AMOUNT}", "--yes", "--json")
    _wait_for_line(process, "confirming: 0 of 2 blocks on it")
    entry = deep_wallet.journal.entries()[-1]
    assert entry.state == "signed"  # mined, and not yet executed
    code, out, err = finish(start("history", "--json"))
    shown = json.loads(out)[0]
    assert code == 0 and shown["action_id"] == entry.action_id, err
    assert (shown["state"], shown["status"], shown["confirmations"], shown["confirmations_needed"]) == (
        "confirming", "executed", 0, 2)
    rpc(deep_wallet, "evm_mine")
    _wait_for_line(process, "confirming: 1 of 2 blocks on it")
    assert deep_wallet.journal.get(entry.action_id).state == "signed"
    rpc(deep_wallet, "evm_mine")
    code, out, err = finish(process)
    assert code == 0 and json.loads(out)["status"] == "executed", err
    assert deep_wallet.journal.get(entry.action_id).state == "executed"
    assert history.history(deep_wallet)[0].state == "executed"
    assert deep_wallet.w3.eth.get_balance(ALICE) - before == AMOUNT


def test_a_payment_not_mined_in_time_is_left_submitted_and_settled_at_the_next_start(
        wallet, mined_by_hand, monkeypatch):
    monkeypatch.setattr(pipeline, "RECEIPT_WAIT_SECONDS", 0.3)
    before = wallet.w3.eth.get_balance(ALICE)
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=AMOUNT)
    outcome = pipeline.settle(wallet, pipeline.propose(wallet, p), True)
    assert outcome.state == "submitted" and outcome.error == pipeline.NOT_MINED
    assert outcome.tx_hash == wallet.journal.get(p.action_id).tx_hash
    shown = history.history(wallet)[0]
    assert (shown.action_id, shown.state, shown.block, shown.tx_hash) == (p.action_id, "submitted", None,
                                                                          outcome.tx_hash)
    assert pipeline.reconcile(wallet)[0].state == "submitted"  # a start-up looks once and goes on
    rpc(wallet, "evm_mine")
    assert [o.state for o in pipeline.reconcile(wallet)] == ["executed"]
    assert wallet.w3.eth.get_balance(ALICE) - before == AMOUNT
    assert [e.state for e in history.history(wallet) if e.action_id == p.action_id] == ["executed"]
    assert verification.verify(wallet)[1] == []


def test_history_shows_a_payment_executed_once_it_is_deep_enough_before_any_process_settles_it(
        deep_wallet, monkeypatch):
    monkeypatch.setattr(pipeline, "RECEIPT_WAIT_SECONDS", 0.2)
    p = proposal(deep_wallet, "send_native", to=ALICE, amount_wei=AMOUNT)
    assert pipeline.settle(deep_wallet, pipeline.propose(deep_wallet, p), True).state == "confirming"
    rpc(deep_wallet, "evm_mine")
    assert history.history(deep_wallet)[0].state_text == "confirming 1/2"
    rpc(deep_wallet, "evm_mine")
    assert deep_wallet.journal.get(p.action_id).state == "signed"
    shown = history.history(deep_wallet)[0]
    assert (shown.state, shown.confirmations) == ("executed", None)  # never "confirming 2/2"
    assert [o.state for o in pipeline.reconcile(deep_wallet)] == ["executed"]
