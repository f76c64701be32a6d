"""What a directory read found, kept under the wallet's home so the next read asks only for what
came after: every agent as the registry's logs left it up to a block, and the reputation of
those the trusted raters rated.

One file per registry pair in <home>/cache, 0600 (private_files). It is a cache: kept only for
the same chain, registries and raters, and thrown away when the node no longer has the block it
was read at with the same hash (a reorg, a devnet started afresh or reverted); then the next
read starts from block 0, as with no cache. A file that cannot be read is treated as absent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentwallet.chain.registries import RegisteredAgent, Summary
from agentwallet.private_files import private_dir, write_atomically

Rpc = Callable[[str, list], object]
VERSION = 1


@dataclass(frozen=True)
class DirectoryState:
    block: int  # read up to and with this block
    block_hash: str
    agents: dict[int, RegisteredAgent]
    raters: tuple[str, ...]  # whose ratings `rated` and `summaries` are of
    rated: frozenset[int]
    summaries: dict[int, Summary]


def cache_file(cache_dir: Path, chain_id: int, identity: str, reputation: str) -> Path:
    return cache_dir / f"agents-{chain_id}-{identity.lower()}-{reputation.lower()}.json"


def load(path: Path, rpc: Rpc, latest: int) -> DirectoryState | None:
    """The state kept at `path`, if the node still has its block as it was read."""
    try:
        raw = json.loads(path.read_text())
        if raw.get("version") != VERSION or raw["block"] > latest:
            return None
        state = DirectoryState(
            raw["block"], raw["block_hash"],
            {int(i): RegisteredAgent(int(i), a["uri"], a["owner"], a["agent_wallet"], a["registered_block"])
             for i, a in raw["agents"].items()},
            tuple(raw["raters"]), frozenset(raw["rated"]),
            {int(i): Summary(*s, tuple(raw["raters"])) for i, s in raw["summaries"].items()})
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state if block_hash(rpc, state.block) == state.block_hash else None


def save(path: Path, state: DirectoryState) -> None:
    raw = {"version": VERSION, "block": state.block, "block_hash": state.block_hash,
           "agents": {str(i): {"uri": a.uri, "owner": a.owner, "agent_wallet": a.agent_wallet,
                               "registered_block": a.registered_block} for i, a in state.agents.items()},
           "raters": list(state.raters), "rated": sorted(state.rated),
           "summaries": {str(i): [s.count, s.value, s.decimals] for i, s in state.summaries.items()}}
    private_dir(path.parent)
    write_atomically(path, json.dumps(raw, separators=(",", ":")).encode())


def block_hash(rpc: Rpc, number: int) -> str | None:
    block = rpc("eth_getBlockByNumber", [hex(number), False])
    return block.get("hash") if isinstance(block, dict) else None

