"""Constants and helpers shared by the contract tests (fixtures live in conftest.py)."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from functools import cache
from pathlib import Path

import boa
from eth_utils import keccak

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"

ETH = 10**18
USDC = 10**6
DAY = 86_400
PER_TX = 1 * ETH
ALLOWANCE = 3 * ETH
VAULT_FUNDS = 10 * ETH
TOKEN_PER_TX = 100 * USDC
TOKEN_ALLOWANCE = 300 * USDC
VAULT_TOKENS = 1_000 * USDC

KIND_NATIVE, KIND_TOKEN, KIND_CALL, KIND_OWNER_EXECUTE, KIND_RECORD = 1, 2, 3, 4, 5
EXECUTED, DENIED, FAILED = 1, 2, 3
ZERO = "0x0000000000000000000000000000000000000000"

_serial = itertools.count(1)


@cache
def deployer(name: str):
    """A compiled contract, ready to deploy: contracts/<name>.vy or the mock contracts/mocks/<name>.vy."""
    path = CONTRACTS / f"{name}.vy"
    return boa.load_partial(str(path if path.exists() else CONTRACTS / "mocks" / f"{name}.vy"))


def load_script(relative_path: str):
    """Import one of the repository's scripts (contracts/build.py, benchmarks/gas.py) as a module."""
    path = CONTRACTS.parent / relative_path
    name = "_script_" + path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def ids() -> tuple[bytes, bytes]:
    """A fresh (action_id, intent_hash) pair, as the client makes them."""
    n = next(_serial)
    return keccak(text=f"action {n}"), keccak(text=f"intent {n}")


def last_event(contract, name: str, computation=None):
    """The one event called `name` emitted by the contract's last call (or by `computation`)."""
    logs = contract.get_logs(computation)
    events = [log for log in logs if type(log).__name__ == name]
    assert len(events) == 1, f"expected one {name} event, got {logs}"
    return events[0]


def sent_by(sender, function, *args, **kwargs):
    """Call a contract function as `sender`: sent_by(agent, vault.send_native, to, amount, *ids())."""
    with boa.env.prank(sender):
        return function(*args, **kwargs)
