"""10,000 actions on a devnet, then `agentwallet history --json`: time and peak memory.

Goal: history --json ≤ 2 s. The actions are real: each one a journaled proposal whose
denial is logged on chain by the agent's record() call, as the pipeline does, but signed and
sent in bulk so the set-up takes minutes, not hours.

    .venv/bin/python benchmarks/history.py [--actions N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agentwallet.actions.journal import Journal  # noqa: E402
from agentwallet.actions.proposal import Proposal  # noqa: E402
from agentwallet.actions.setup import initialize  # noqa: E402
from agentwallet.actions.wallet import Wallet  # noqa: E402
from agentwallet.chain.devnet import Devnet  # noqa: E402
from agentwallet.keys import KeyStore  # noqa: E402

GOAL_SECONDS = 2.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=10_000)
    count = parser.parse_args().actions
    home = Path(tempfile.mkdtemp(prefix="aw-history-bench-"))
    os.environ.update(AGENTWALLET_HOME=str(home), AGENTWALLET_KEYRING="file", AGENTWALLET_PASSPHRASE="bench")
    initialize(home, keys=KeyStore(home, kdf_iterations=2**10))
    try:
        wallet = Wallet.open(home)
        started = time.perf_counter()
        make_actions(wallet, count)
        print(f"set-up: {count} actions journaled and logged on chain in {time.perf_counter() - started:.1f} s")
        wallet.close()
        for label in ("first run (reads all events from the node)", "second run (events cached)"):
            seconds, peak_mib, entries = timed_history()
            verdict = "meets" if seconds <= GOAL_SECONDS else "MISSES"
            print(f"history --json, {label}: {seconds:.2f} s (goal ≤ {GOAL_SECONDS} s, {verdict}), "
                  f"peak memory {peak_mib:.0f} MiB, {entries} entries")
    finally:
        Devnet(home).stop()


def make_actions(wallet: Wallet, count: int) -> None:
    w3, agent = wallet.w3, wallet.account("agent")
    w3.provider.make_request("anvil_setBalance", [agent.address, hex(10**24)])
    journal: Journal = wallet.journal
    nonce = w3.eth.get_transaction_count(agent.address)
    chain_id, fee = w3.eth.chain_id, w3.eth.gas_price * 2
    w3.provider.make_request("evm_setAutomine", [False])
    for i in range(count):
        proposal = Proposal(tool="send_native", args={"to": wallet.owner_address, "amount_wei": str(i + 1)},
                            rationale="benchmark", request=f"benchmark action {i}",
                            chain_id=chain_id, guardrail=wallet.guardrail.address)
        journal.add(proposal)
        tx = wallet.guardrail.record(proposal.action_id, proposal.intent_hash, "denied").build_transaction({
            "from": agent.address, "nonce": nonce + i, "gas": 60_000, "chainId": chain_id,
            "maxFeePerGas": fee, "maxPriorityFeePerGas": 0})
        raw = agent.sign_transaction(tx).raw_transaction
        w3.eth.send_raw_transaction(raw)
        journal.update(proposal.action_id, state="denied", logged=1)
        if i % 500 == 499:
            w3.provider.make_request("evm_mine", [])
    w3.provider.make_request("evm_mine", [])
    w3.provider.make_request("evm_setAutomine", [True])


def timed_history() -> tuple[float, float, int]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "agentwallet", "history", "--json"],
                            capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024, len(json.loads(result.stdout))


if __name__ == "__main__":
    main()
