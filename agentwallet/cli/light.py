"""Commands that must start fast: they read the journal and the node without web3 or keys."""

from __future__ import annotations

import argparse
import json

from agentwallet import config as config_module
from agentwallet.actions import history as history_module
from agentwallet.cli import render
from agentwallet.errors import WalletError


def cmd_history(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise WalletError("--limit must be at least 1")
    home = config_module.home_dir()
    entries = history_module.history(history_module.LightHistorySource.open(home), args.limit)
    if args.json:
        # One entry per line: readable, and json's C encoder (indent= would use the slow one).
        rows = ",\n".join(json.dumps(e.as_json(), ensure_ascii=False) for e in entries)
        print(f"[\n{rows}\n]" if rows else "[]")
    else:
        tokens = config_module.load_config(home).tokens
        print(render.history_text(entries, {t.address: (t.symbol, t.decimals) for t in tokens}))
    return 0
