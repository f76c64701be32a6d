"""The wallet's transport against a node that limits, stalls, lags and dies, as hosted RPCs do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from agentwallet.actions.wallet import Wallet
from agentwallet.chain.rpc import Backoff, JsonRpc, NodeUnreachable, RpcError
from agentwallet.cli import main
from agentwallet.errors import WalletError
from tests.chain.conftest import SECRETS

ETH = 10**18


def cli(*argv: str, env_home) -> subprocess.CompletedProcess:
    """The real command line in a child process: what a user sees, tracebacks included."""
    return subprocess.run([sys.executable, "-m", "agentwallet", *argv], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "AGENTWALLET_HOME": str(env_home)})


def test_a_read_refused_with_http_429_is_sent_again_after_a_wait(node):
    node.rate_limited = 3
    rpc = JsonRpc(node.url, backoff=Backoff(first=0.05))
    assert int(rpc("eth_chainId", []), 16) == 31337
    assert node.calls["eth_chainId"] == 4


def test_a_json_limit_exceeded_reply_is_waited_out_too(node):
    node.rate_limited, node.rate_limit_style = 2, "json"
    rpc = JsonRpc(node.url, backoff=Backoff(first=0.05))
    assert int(rpc("eth_blockNumber", []), 16) > 0
    assert node.calls["eth_blockNumber"] == 3


def test_a_node_that_keeps_refusing_is_one_error_after_a_bounded_wait(node):
    node.rate_limited = 1_000
    rpc = JsonRpc(node.url, backoff=Backoff(tries=4, first=0.05, longest=0.1))
    started = time.monotonic()
    with pytest.raises(WalletError, match="kept refusing eth_chainId for its rate limit .* after 4 tries"):
        rpc("eth_chainId", [])
    assert node.calls["eth_chainId"] == 4 and time.monotonic() - started < 1.0


def test_backoff_waits_double_with_jitter_and_stay_bounded():
    backoff = Backoff(first=0.25, longest=4.0)
    waits = [[backoff.wait(attempt) for _ in range(200)] for attempt in range(8)]
    assert all(0.125 <= w <= 0.25 for w in waits[0]) and len(set(waits[0])) > 100  # jittered
    assert all(1.0 <= w <= 2.0 for w in waits[3])
    assert max(max(w) for w in waits) <= 4.0 and backoff.wait(2, asked=60) == 4.0


def test_a_node_too_slow_to_answer_is_one_error_naming_it_without_its_key(node):
    node.delay = 1.0
    rpc = JsonRpc(node.url, timeout=0.2)
    with pytest.raises(NodeUnreachable) as refused:
        rpc("eth_chainId", [])
    assert str(refused.value).startswith(f"the node at http://127.0.0.1:{node.url.rsplit(':', 1)[1].split('/')[0]}/…")
    assert "did not answer eth_chainId within 0.2 s" in str(refused.value)
    assert not any(secret in str(refused.value) for secret in SECRETS)


def test_an_error_the_node_gives_is_an_rpc_error_with_its_code(node):
    with pytest.raises(RpcError) as refused:
        JsonRpc(node.url)("eth_noSuchMethod", [])
    assert refused.value.code is not None and "eth_noSuchMethod" in str(refused.value)


def test_a_dead_endpoint_is_one_line_from_the_cli_without_a_traceback_or_a_key(proxied_home, node):
    node.stop()
    for argv in (["status"], ["history"]):
        done = cli(*argv, env_home=proxied_home)
        assert done.returncode == 1, (argv, done.stderr)
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("agentwallet: cannot reach the node at "
                                                                       "http://127.0.0.1:")
        assert "Traceback" not in done.stderr
        assert not any(secret in done.stdout + done.stderr for secret in SECRETS)


def test_the_endpoint_dying_mid_session_is_a_wallet_error_naming_it(proxied_home, node):
    wallet = Wallet.open(proxied_home)
    try:
        assert wallet.balances()[0].amount == 10 * ETH
        node.stop()
        with pytest.raises(NodeUnreachable, match="cannot reach the node at http://127.0.0.1:[0-9]+/…"):
            wallet.balances()
    finally:
        wallet.close()


def test_credentials_in_the_rpc_url_are_never_printed(proxied_home, node, capsys):
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["network"]["rpc_url"] == node.plain_url + "/…"
    assert main(["status"]) == 0 and main(["doctor"]) in (0, 1)
    node.rate_limited = 1_000  # a refusal's message names the node too
    assert main(["history"]) == 1
    shown = capsys.readouterr()
    assert "rate limit" in shown.err and node.plain_url + "/…" in shown.out + shown.err
    assert not any(secret in shown.out + shown.err for secret in SECRETS)


def test_a_payment_through_a_node_whose_view_lags_executes_once(proxied_home, node, capsys):
    node.hidden_receipts = 5  # "not found" five times after the node took the transaction
    assert main(["propose", "send_native", "to=alice", f"amount_wei={ETH // 100}", "--yes"]) == 0
    assert "executed" in capsys.readouterr().out
    assert node.calls["eth_sendRawTransaction"] == 1
    assert main(["history", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["status"] == "executed" and entry["verified"] is True
