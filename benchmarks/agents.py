"""1,000 agents registered on a devnet, then `agents list` over them: time, cold and incremental.

Goal: the list in ≤ 2 s from a cold start (no cache: every registration read from the node's
logs and every card decoded), and afterwards incremental: with the cache the list keeps
(agents/cache.py), only the blocks after the last read are asked for.
Each agent is registered with a real card (a ~600-character data: URI) by one of anvil's
accounts; a tenth of them are rated by the trusted rater, so the list asks for summaries too.

    .venv/bin/python benchmarks/agents.py [--agents N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gas import _deploy, anvil, card_uri  # noqa: E402

from agentwallet.agents.directory import list_agents  # noqa: E402
from agentwallet.chain.registries import IdentityRegistry, ReputationRegistry  # noqa: E402
from agentwallet.chain.rpc import JsonRpc  # noqa: E402

GOAL_SECONDS = 2.0


def in_blocks(w3, calls, sender, chunk: int = 40) -> None:
    """Send `calls` with automine off, `chunk` at a time, each chunk mined in one block: a
    thousand transactions in seconds rather than a block each."""
    w3.provider.make_request("evm_setAutomine", [False])
    try:
        for begin in range(0, len(calls), chunk):
            hashes = [call.transact({"from": sender(begin + n), "gas": 1_000_000})
                      for n, call in enumerate(calls[begin:begin + chunk])]
            w3.provider.make_request("evm_mine", [])
            assert all(w3.eth.get_transaction_receipt(tx_hash).status == 1 for tx_hash in hashes), "not all mined"
    finally:
        w3.provider.make_request("evm_setAutomine", [True])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=1_000)
    count = parser.parse_args().agents
    with anvil() as w3:
        accounts = w3.eth.accounts
        identity = _deploy(w3, "IdentityRegistry", accounts[0])
        reputation = _deploy(w3, "ReputationRegistry", accounts[0], identity.address)
        started = time.perf_counter()
        card = card_uri(600)
        first = identity.functions.register(card).call({"from": accounts[1]})
        in_blocks(w3, [identity.functions.register(card) for _ in range(count)],
                  lambda n: accounts[1 + n % 9])
        rater = accounts[0]
        rated = range(first, first + count, 10)
        in_blocks(w3, [reputation.functions.giveFeedback(agent_id, 80, 0, "starred", "", "", "", b"\x00" * 32)
                       for agent_id in rated], lambda n: rater)
        print(f"set-up: {count} agents registered, {len(rated)} rated, in {time.perf_counter() - started:.1f} s")

        rpc = JsonRpc(w3.provider.endpoint_uri)  # the wallet's own client (Wallet.rpc)

        registry, ratings = IdentityRegistry(w3, identity.address), ReputationRegistry(w3, reputation.address)
        cache_dir = Path(tempfile.mkdtemp(prefix="agents-benchmark-"))
        started = time.perf_counter()
        entries = list_agents(registry, ratings, rpc, (rater,), cache_dir=cache_dir)
        cold = time.perf_counter() - started
        assert len(entries) == count and all(entry.card is not None for entry in entries)
        assert sum(1 for entry in entries if entry.reputation.count) == len(rated)
        verdict = "meets" if cold <= GOAL_SECONDS else "MISSES"
        print(f"agents list, cold (no cache): {cold:.2f} s for {count} agents (goal ≤ {GOAL_SECONDS} s, {verdict})")

        started = time.perf_counter()
        again = list_agents(registry, ratings, rpc, (rater,), cache_dir=cache_dir)
        print(f"agents list, warm, nothing new: {(time.perf_counter() - started) * 1000:.0f} ms")
        assert again == entries

        in_blocks(w3, [identity.functions.register(card) for _ in range(10)], lambda n: accounts[1])
        in_blocks(w3, [reputation.functions.giveFeedback(first + 1, 60, 0, "starred", "", "", "", b"\x00" * 32)],
                  lambda n: rater)
        started = time.perf_counter()
        warm = list_agents(registry, ratings, rpc, (rater,), cache_dir=cache_dir)
        incremental = time.perf_counter() - started
        assert warm == list_agents(registry, ratings, rpc, (rater,))  # as read with no cache
        assert len(warm) == count + 10 and warm[1].reputation.count == 1
        print(f"agents list, warm, 10 new agents and 1 new rating after {count}: {incremental * 1000:.0f} ms")
        print(f"the cache: {sum(f.stat().st_size for f in cache_dir.iterdir()) // 1024} KB in {cache_dir}")
    return 0 if cold <= GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
