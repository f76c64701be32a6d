"""`agentwallet serve` as a user runs it: a process of its own (wallet A) on the tests' devnet,
its URL read from what it prints; wallet B pays it with `agentwallet pay`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from agentwallet.cli import main
from agentwallet.config import load_config
from agentwallet.keys import KeyStore
from agentwallet.payments import http, serving
from tests.conftest import PASSPHRASE, interruptible
from tests.payments.seller import PRICE


class Served:
    def __init__(self, process: subprocess.Popen, url: str, lines: list[str]):
        self.process, self.url, self.lines = process, url, lines

    def stop(self) -> str:
        """Ctrl-C, then everything it printed (stdout and stderr)."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=120)  # the model may still be loading: it is not interrupted
        return "\n".join(self.lines) + out + err


def start_serving(home, *argv: str) -> Served:
    env = {**os.environ, "AGENTWALLET_HOME": str(home)}
    process = subprocess.Popen([sys.executable, "-m", "agentwallet", "serve", *argv], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=interruptible)
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"serve ended: {lines} {process.stderr.read()}")
        lines.append(line)
        if line.startswith("listening on "):
            return Served(process, line.split()[2].split("?")[0], lines)
    process.kill()
    raise AssertionError(f"serve did not start: {lines}")


@pytest.fixture
def served(seller_home, home):
    serving = start_serving(seller_home, "--port", "0", "--price", "0.01", "USDC")
    yield serving
    if serving.process.poll() is None:
        serving.process.kill()
        serving.process.wait(10)


def test_serve_prints_where_it_listens_and_keeps_the_price_and_port(served, seller_home):
    assert served.url.startswith("http://127.0.0.1:") and served.url.endswith("/ask")
    kept = load_config(seller_home).serve
    assert (kept.url, kept.amount) == (served.url, PRICE)
    assert served.lines[-1].rstrip().endswith(
        f"0.01 USDC an answer, paid to the vault {load_config(seller_home).guardrail} on eip155:31337; Ctrl-C stops")


def test_b_pays_a_and_no_key_or_secret_reaches_a_response_or_the_log(served, seller_home, wallet, capsys):
    keys = [KeyStore(where).account(role).key.hex().removeprefix("0x").lower()
            for where in (seller_home, wallet.home) for role in ("owner", "agent")]
    assert main(["pay", served.url + "?q=hello", "--max", "0.01", "--yes", "--json"]) == 0
    paid = json.loads(capsys.readouterr().out)
    assert paid["status"] == "paid" and isinstance(paid["response"]["answer"], str)
    kept = serving.read(seller_home)  # what the TUI shows of the running server
    assert (kept.url, kept.answered, kept.earned, kept.pid) == (served.url, 1, PRICE, served.process.pid)
    answers = [http.get(served.url + "?q=hello"), http.get(served.url + "?q="),
               http.get(served.url.removesuffix("/ask") + "/docs")]
    said = served.stop()
    assert f"paid: 0.01 USDC from {wallet.guardrail.address}, settled in " in said
    responses = "".join(answer.body.decode("latin-1") + json.dumps(answer.headers) for answer in answers)
    seen = (said + json.dumps(paid) + responses).lower()
    for secret in [*keys, PASSPHRASE.lower()]:
        assert secret not in seen
    assert served.process.returncode == 0 and said.rstrip().endswith("stopped: 1 paid answers")
    assert serving.read(seller_home) is None and not (seller_home / serving.FILE).exists()


def test_a_second_serve_of_the_same_wallet_is_refused(served, seller_home):
    env = {**os.environ, "AGENTWALLET_HOME": str(seller_home)}
    second = subprocess.run([sys.executable, "-m", "agentwallet", "serve", "--port", "0"], env=env, text=True,
                            capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    assert second.returncode != 0
    assert f"`serve` already runs for this wallet ({served.url}, pid {served.process.pid}): one server per " \
           "wallet" in second.stderr
    assert http.get(served.url + "?q=hi").status == 402  # the first one serves on


def test_serve_needs_a_price_the_first_time(seller_home, home, capsys, monkeypatch):
    from dataclasses import replace

    from agentwallet.config import update_config

    update_config(seller_home, lambda config: replace(config, serve=None))
    monkeypatch.setenv("AGENTWALLET_HOME", str(seller_home))
    assert main(["serve"]) == 1
    assert capsys.readouterr().err.strip() == (
        "agentwallet: say what an answer costs the first time: --price 0.01 USDC")


def test_serve_says_when_the_agent_cannot_pay_for_settlements(seller_home, home, wallet):
    agent = load_config(seller_home).agent
    wallet.rpc("anvil_setBalance", [agent, "0x0"])
    serving_it = start_serving(seller_home, "--port", "0")
    try:
        assert any(line.rstrip() == f"note: the agent holds 0 ETH for gas: payments cannot be settled (nor "
                   f"answered) until you send ETH to the agent {agent}" for line in serving_it.lines)
    finally:
        serving_it.stop()


@pytest.mark.parametrize(("argv", "message"), [
    (["--price", "0.01", "NOPE"], "agentwallet: unknown token 'NOPE'"),
    (["--price", "0", "USDC"], "agentwallet: the price must be above zero"),
    (["--price", "0.0000001", "USDC"], "agentwallet: 0.0000001 USDC has more than the 6 decimals USDC allows"),
    (["--port", "70000"], "agentwallet: --port is a TCP port from 0 (a free one) to 65535"),
])
def test_a_bad_price_or_port_is_one_line_and_changes_nothing(seller_home, home, capsys, monkeypatch, argv, message):
    before = (seller_home / "config.toml").read_bytes()
    monkeypatch.setenv("AGENTWALLET_HOME", str(seller_home))
    assert main(["serve", *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert (seller_home / "config.toml").read_bytes() == before
