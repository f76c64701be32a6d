"""The TUI's first paint and the command line's start never wait for web3 or llama.cpp, checked
in a fresh interpreter as harlequin does. (The import contracts themselves, pyproject.toml's
[tool.importlinter], run in ./scripts/test beside ruff.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def loaded_after(statement: str) -> set[str]:
    script = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(json.loads(result.stdout))


def test_importing_the_tui_app_loads_neither_web3_nor_llama_cpp():
    loaded = loaded_after("import agentwallet.tui.app")
    assert not {name for name in loaded if name.split(".")[0] in ("web3", "llama_cpp", "eth_account")}


def test_importing_the_command_line_loads_neither_web3_nor_llama_cpp():
    loaded = loaded_after("import agentwallet.cli")
    assert not {name for name in loaded if name.split(".")[0] in ("web3", "llama_cpp")}



def test_reading_the_config_loads_no_eth_utils():
    """`ask` reads the config before its model starts loading: eth_utils (pydantic) is half a second."""
    loaded = loaded_after("import agentwallet.config")
    assert not {name for name in loaded if name.split(".")[0] in ("web3", "eth_utils", "pydantic", "llama_cpp")}


def test_ask_starts_planning_with_none_of_the_wallets_imports():
    """All `ask` imports before its model loads, and all `ask --dry-run` needs: the chain's side
    (web3, eth_utils, aiohttp: a second or more) is imported only for a wallet that is opened."""
    loaded = loaded_after("import agentwallet.cli.ask, agentwallet.agent, agentwallet.config")
    assert not {name for name in loaded if name.split(".")[0] in ("web3", "eth_utils", "eth_account", "aiohttp")}
