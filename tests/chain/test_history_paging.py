"""History on a long chain through a provider's getLogs caps: paged, cursor kept, O(1) refresh.

anvil_mine slows past a few thousand blocks (about 15 ms a block on this machine), and the
work scales with blocks over the cap: a 10-block cap over 1,250 blocks pages as much as a
100-block cap over 12,500 or a 10,000-block cap over a million and a quarter.

These tests mine on an anvil of their own: an anvil that mined a long chain and was reverted
keeps no state for the blocks before (eth_getCode there is "block out of range", nonces read
wrong), which the session's shared devnet must never see.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from agentwallet.actions.setup import initialize
from agentwallet.chain.devnet import Devnet
from agentwallet.chain.events import ACTION_TOPIC
from agentwallet.chain.logs import LogReader
from agentwallet.chain.rpc import JsonRpc, RpcError
from agentwallet.cli import main
from agentwallet.config import load_config, update_config
from agentwallet.keys import KeyStore
from tests.conftest import PASSPHRASE


@pytest.fixture(scope="module")
def own_template(tmp_path_factory):
    """A wallet set up on a devnet of this module's own."""
    home = tmp_path_factory.mktemp("long-chain")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AGENTWALLET_KEYRING", "file")
        env.setenv("AGENTWALLET_PASSPHRASE", PASSPHRASE)
        initialize(home, keys=KeyStore(home, kdf_iterations=2**10))
    yield home
    Devnet(home).stop()


@pytest.fixture
def home(own_template, tmp_path, monkeypatch):
    """A copy of that wallet for one test, its chain reverted afterwards (shadows conftest's)."""
    copy = tmp_path / "home"
    shutil.copytree(own_template, copy, ignore=shutil.ignore_patterns("state.json", "anvil.log"))
    monkeypatch.setenv("AGENTWALLET_HOME", str(copy))
    devnet = JsonRpc(Devnet(copy).running().rpc_url, timeout=300)
    snapshot = devnet("evm_snapshot", [])
    yield copy
    assert devnet("evm_revert", [snapshot]) is True


def deny(capsys, amount_wei: int) -> None:
    """One action, its denial logged on chain by the agent's record()."""
    assert main(["propose", "send_native", "to=alice", f"amount_wei={amount_wei}", "--no"]) == 0
    capsys.readouterr()


def history(capsys) -> list[dict]:
    assert main(["history", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def mine(home, blocks: int) -> None:
    JsonRpc(Devnet(home).running().rpc_url, timeout=300)("anvil_mine", [hex(blocks)])


@pytest.fixture
def long_chain(proxied_home, node, capsys) -> list[int]:
    """Four actions spread over 1,250 blocks after the vault's deployment; their amounts."""
    amounts = []
    for i in range(4):
        deny(capsys, 1000 + i)
        amounts.append(1000 + i)
        mine(proxied_home, 310)
    node.reset_counts()
    return amounts


def test_an_old_config_without_the_deployment_block_finds_it_on_chain_and_keeps_it(proxied_home, node,
                                                                                  long_chain, capsys):
    # First in this file: it reads the state of old blocks, which none of the reverts before lost.
    deployed = load_config(proxied_home).guardrail_block
    update_config(proxied_home, lambda config: replace(config, guardrail_block=None))
    node.logs_block_range = 10
    assert len(history(capsys)) == 4
    assert load_config(proxied_home).guardrail_block == deployed
    assert node.log_ranges[0][0] == deployed and node.calls["eth_getCode"] <= 30


def test_history_over_a_thousand_blocks_pages_through_a_10_block_cap(proxied_home, node, long_chain, capsys):
    node.logs_block_range = 10
    entries = history(capsys)
    assert sorted(int(e["args"]["amount_wei"]) for e in entries) == long_chain
    deployed = load_config(proxied_home).guardrail_block
    head = int(JsonRpc(node.plain_url)("eth_blockNumber", []), 16)
    assert all(last - first < 10 for first, last in node.log_ranges)
    assert node.log_ranges[0][0] == deployed and node.log_ranges[-1][1] == head
    pages = -(-(head - deployed + 1) // 10)
    assert node.calls["eth_getLogs"] <= pages + 1  # one refusal teaches the cap (Alchemy's words name it)


def test_a_refresh_when_nothing_changed_costs_one_call(proxied_home, node, long_chain, capsys):
    node.logs_block_range = 10
    first = history(capsys)
    node.reset_counts()
    assert history(capsys) == first
    assert dict(node.calls) == {"eth_chainId": 1, "eth_getBlockByNumber": 1}


def test_the_cap_learned_is_kept_for_the_next_run(proxied_home, node, long_chain, capsys):
    node.logs_block_range = 10
    history(capsys)
    mine(proxied_home, 99)
    deny(capsys, 7)  # the 100th block since
    node.reset_counts()
    assert 7 in [int(e["args"]["amount_wei"]) for e in history(capsys)]
    assert node.calls["eth_getLogs"] in (10, 11) and all(last - first < 10 for first, last in node.log_ranges)


@pytest.mark.parametrize("wording", ["alchemy", "quicknode", "plain"])
def test_each_providers_words_for_a_range_cap_are_understood(proxied_home, node, long_chain, wording):
    upstream, query = JsonRpc(Devnet(proxied_home).running().rpc_url), {"topics": [ACTION_TOPIC]}
    head = int(upstream("eth_blockNumber", []), 16)
    expected = LogReader(upstream).logs(query, 0, head)
    node.logs_block_range, node.range_error = 100, wording
    reader = LogReader(JsonRpc(node.url))
    assert reader.logs(query, 0, head) == expected and len(expected) == 4
    assert reader.span <= node.logs_block_range
    refused = node.calls["eth_getLogs"] - len(node.log_ranges)
    assert refused == 1 if wording != "plain" else refused <= 10  # no number: halved until it fits


def test_a_result_cap_splits_that_window_and_keeps_the_span(proxied_home, node, capsys):
    for i in range(3):
        deny(capsys, 50 + i)
    node.logs_result_cap = 1  # Infura's -32005 "query returned more than 1 results"
    reader = LogReader(JsonRpc(node.url))
    head = int(JsonRpc(node.url)("eth_blockNumber", []), 16)
    logs = reader.logs({"topics": [ACTION_TOPIC]}, 0, head)
    assert len(logs) == 3 and reader.span == 50_000  # a dense window says nothing of the next one


def test_a_block_with_more_logs_than_the_cap_is_one_clear_error(proxied_home, node, capsys):
    deny(capsys, 1)
    node.logs_result_cap = 0
    head = int(JsonRpc(node.url)("eth_blockNumber", []), 16)
    with pytest.raises(RpcError, match="refused eth_getLogs: query returned more than 0 results"):
        LogReader(JsonRpc(node.url)).logs({"topics": [ACTION_TOPIC]}, 0, head)


def test_init_records_the_block_the_vault_was_deployed_in(proxied_home):
    config = load_config(proxied_home)
    upstream = JsonRpc(Devnet(proxied_home).running().rpc_url)
    block = upstream("eth_getBlockByNumber", [hex(config.guardrail_block), False])
    created = [upstream("eth_getTransactionReceipt", [tx])["contractAddress"] for tx in block["transactions"]]
    assert config.guardrail.lower() in [address.lower() for address in created if address]


def test_a_node_behind_the_cursor_changes_nothing_cached(proxied_home, node, long_chain, capsys):
    first = history(capsys)
    node.head_lag = 3
    node.reset_counts()
    assert history(capsys) == first and node.calls["eth_getLogs"] == 0
