"""1,000 agents registered on a devnet, then `agents list` over them: time, cold and incremental.

Goal: the list in ≤ 2 s from a cold start (no cache: every registration read from the node's
logs and every card decoded), and an incremental read of what came after in well under that.
Each agent is registered with a real card (a ~600-character data: URI) by one of anvil's
accounts; a tenth of them are rated by the trusted rater, so the list asks for summaries too.

    .venv/bin/python benchmarks/agents.py [--agents N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gas import _deploy, anvil, card_uri  # noqa: E402

from agentwallet.agents.directory import list_agents  # noqa: E402
from agentwallet.chain.registries import IdentityRegistry, ReputationRegistry  # noqa: E402

GOAL_SECONDS = 2.0


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
        for n in range(count):
            last = identity.functions.register(card).transact({"from": accounts[1 + n % 9]})
        rater = accounts[0]
        for agent_id in range(0, count, 10):
            last = reputation.functions.giveFeedback(agent_id, 80, 0, "starred", "", "", "", b"\x00" * 32).transact(
                {"from": rater})
        w3.eth.wait_for_transaction_receipt(last)
        print(f"set-up: {count} agents registered, {len(range(0, count, 10))} rated, "
              f"in {time.perf_counter() - started:.1f} s")

        def rpc(method, params):
            return w3.provider.make_request(method, params)["result"]

        registry, ratings = IdentityRegistry(w3, identity.address), ReputationRegistry(w3, reputation.address)
        started = time.perf_counter()
        entries = list_agents(registry, ratings, rpc, (rater,))
        cold = time.perf_counter() - started
        assert len(entries) == count and all(entry.card is not None for entry in entries)
        assert sum(1 for entry in entries if entry.reputation.count) == len(range(0, count, 10))
        verdict = "meets" if cold <= GOAL_SECONDS else "MISSES"
        print(f"agents list, cold: {cold:.2f} s for {count} agents (goal ≤ {GOAL_SECONDS} s, {verdict})")

        block = w3.eth.block_number
        known = registry.agents(rpc, to_block=block)
        for _ in range(10):
            last = identity.functions.register(card).transact({"from": accounts[1]})
        w3.eth.wait_for_transaction_receipt(last)
        started = time.perf_counter()
        updated = registry.agents(rpc, from_block=block + 1, known=known)
        incremental = time.perf_counter() - started
        assert len(updated) == count + 10
        print(f"registry read, incremental (10 new agents after {count}): {incremental * 1000:.0f} ms")
    return 0 if cold <= GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
