"""The real bundled model, loaded once per session, and the wallet the agent plans for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentwallet.agent import Agent, Contact, KnownToken, WalletContext, bundled_model_path

ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
CAROL = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
USDC = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
DEV_INTENTS = Path(__file__).with_name("dev-intents.jsonl")


class LoadedAgent:
    """The session's agent, the progress it reported while loading, and the cache it left: it
    read its openings (no cache yet) and wrote their reading in `cache_dir`."""

    def __init__(self, cache_dir: Path) -> None:
        self.progress: list[float] = []
        self.cache_dir = cache_dir
        self.agent = Agent(bundled_model_path(), n_threads=1, progress=self.progress.append, cache_dir=cache_dir)


@pytest.fixture(scope="session")
def loaded(tmp_path_factory) -> LoadedAgent:
    return LoadedAgent(tmp_path_factory.mktemp("agent-cache"))


@pytest.fixture(scope="session")
def agent(loaded) -> Agent:
    return loaded.agent


@pytest.fixture(scope="session")
def wallet() -> WalletContext:
    return WalletContext(
        contacts=(Contact("alice", ALICE), Contact("bob", BOB), Contact("carol", CAROL)),
        tokens=(KnownToken("USDC", USDC, 6),),
    )


def dev_intents() -> list[dict]:
    return [json.loads(line) for line in DEV_INTENTS.read_text().splitlines() if line.strip()]


def expected_args(args: dict[str, object]) -> dict[str, object]:
    """"@bob" stands for bob's address and "@USDC" for the token's, as in the intents file."""
    names = {"alice": ALICE, "bob": BOB, "carol": CAROL, "USDC": USDC}
    return {key: names[value[1:]] if isinstance(value, str) and value.startswith("@") else value
            for key, value in args.items()}


def assert_follows_design(plan) -> None:
    """One of the agent's tools in the registry, with its arguments as docs/tools.md says:
    checksummed addresses, amounts as base-unit integer strings, `limit` an int, nothing else."""
    from eth_utils import is_checksum_address

    from agentwallet.tools import BY_NAME

    tool = BY_NAME.get(plan.tool)
    assert tool is not None and tool.agent_call is not None, plan
    assert tool.required <= set(plan.args) <= tool.required | tool.optional, plan
    if tool.changes_something:
        assert plan.args, plan
    for key, value in plan.args.items():
        if key in ("to", "token"):
            assert is_checksum_address(value), plan
        elif key in ("amount_wei", "amount", "daily_wei", "per_tx_wei", "period_s"):
            assert isinstance(value, str) and value.isdigit() and int(value) > 0, plan
        elif key == "limit":
            assert type(value) is int and value > 0, plan
        else:
            assert key == "text" and isinstance(value, str), plan
    assert isinstance(plan.rationale, str) and 0 < len(plan.rationale) <= 200, plan
