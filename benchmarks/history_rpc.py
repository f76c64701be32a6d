"""`agentwallet history --json` through a hosted provider's getLogs cap, next to no cap.

Goals: through a 100-block cap, the first run (every event read from the node) and the warm
run (the cursor kept) each within 2x of the uncapped figure; a refresh when nothing changed
costs O(1) RPC calls, whatever the chain's length. The node is anvil behind tests/rpc_proxy.py
(the same proxy both ways, so its own overhead cancels out).

anvil_mine slows as the chain grows (each block costs more than the last: about 10 s for the
first thousand blocks here, a minute for the third under load), so 20,000 blocks cannot be
mined in a benchmark's time. The work scales with blocks over the cap, so the default is the
same number of pages: actions spread over 2,000 blocks under a 10-block cap are 200 queries,
as 20,000 blocks under a 100-block cap are. --blocks and --cap set both.

    .venv/bin/python benchmarks/history_rpc.py [--actions N] [--blocks B] [--cap C]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from history import make_actions  # noqa: E402

from agentwallet.actions.journal import Journal  # noqa: E402
from agentwallet.actions.setup import initialize  # noqa: E402
from agentwallet.actions.wallet import Wallet  # noqa: E402
from agentwallet.chain.devnet import Devnet  # noqa: E402
from agentwallet.chain.rpc import JsonRpc  # noqa: E402
from agentwallet.config import load_config, update_config  # noqa: E402
from agentwallet.keys import KeyStore  # noqa: E402
from tests.rpc_proxy import FaultyNode  # noqa: E402

GOAL_RATIO = 2.0
GOAL_REFRESH_CALLS = 2  # eth_chainId (the light history checks the chain) and eth_getBlockByNumber


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=2_000)
    parser.add_argument("--blocks", type=int, default=2_000)
    parser.add_argument("--cap", type=int, default=10)
    options = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="aw-history-rpc-bench-"))
    os.environ.update(AGENTWALLET_HOME=str(home), AGENTWALLET_KEYRING="file", AGENTWALLET_PASSPHRASE="bench")
    initialize(home, keys=KeyStore(home, kdf_iterations=2**10))
    try:
        started = time.perf_counter()
        spread_actions(home, options.actions, options.blocks)
        deployed, head = load_config(home).guardrail_block, block_number(home)
        print(f"set-up: {options.actions} actions over {head - deployed:,} blocks (from the vault's deployment, "
              f"block {deployed}) in {time.perf_counter() - started:.0f} s")
        node = FaultyNode(Devnet(home).running().rpc_url)
        update_config(home, lambda config: replace(config, network=node.url))
        figures = {}
        for label, cap in (("uncapped", None), (f"{options.cap}-block cap", options.cap)):
            node.logs_block_range = cap
            forget_cursor(home)
            figures[label] = [timed_history(node) for _ in ("first", "warm")]
        report(figures, options)
    finally:
        Devnet(home).stop()


def spread_actions(home: Path, count: int, blocks: int) -> None:
    """`count` real actions (journaled proposals, their denials logged on chain) in batches,
    empty blocks mined between them, so that they span `blocks` blocks."""
    batches = max(1, min(count // 10, 20))
    wallet = Wallet.open(home)
    try:
        for batch in range(batches):
            make_actions(wallet, count // batches + (count % batches if batch == 0 else 0))
            wallet.rpc("anvil_mine", [hex(max(1, blocks // batches - 1))])
    finally:
        wallet.close()


def block_number(home: Path) -> int:
    return int(JsonRpc(Devnet(home).running().rpc_url)("eth_blockNumber", []), 16)


def forget_cursor(home: Path) -> None:
    journal = Journal(home / "journal.sqlite3")
    journal.forget_events()
    journal.db.execute("DELETE FROM meta WHERE key LIKE 'logs_span %'")
    journal.close()


def timed_history(node: FaultyNode) -> tuple[float, int, int]:
    """Seconds, RPC calls and entries of one `agentwallet history --json`."""
    node.reset_counts()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "agentwallet", "history", "--json"],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - started, sum(node.calls.values()), done.stdout.count('"action_id"')


def report(figures: dict[str, list[tuple[float, int, int]]], options) -> None:
    (uncapped_first, uncapped_warm), (capped_first, capped_warm) = figures.values()
    for label, runs in figures.items():
        for run, (seconds, calls, entries) in zip(("first run", "warm run"), runs, strict=True):
            print(f"history --json, {label}, {run}: {seconds:.2f} s, {calls} RPC calls, {entries} entries")
    for run, capped, uncapped in (("first", capped_first, uncapped_first), ("warm", capped_warm, uncapped_warm)):
        ratio = capped[0] / uncapped[0]
        print(f"{run} run through the cap: {ratio:.2f}x the uncapped time "
              f"(goal ≤ {GOAL_RATIO:g}x, {'meets' if ratio <= GOAL_RATIO else 'MISSES'})")
    calls = capped_warm[1]
    print(f"RPC calls per history refresh when nothing changed: {calls} "
          f"(goal O(1), ≤ {GOAL_REFRESH_CALLS}: {'meets' if calls <= GOAL_REFRESH_CALLS else 'MISSES'}; "
          f"the first run made {capped_first[1]} for {options.blocks} blocks under a {options.cap}-block cap)")


if __name__ == "__main__":
    main()
