"""Acting with the wallet's agent key from outside the wallet, as someone holding a leaked key
would: the exported keystore and Foundry's cast, straight at the guardrail."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from agentwallet.actions.wallet import Wallet
from tests.conftest import ALICE, PASSPHRASE

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LEAKED_ACTION = "0x" + "11" * 32


def cast() -> str:
    found = sorted((PROJECT_ROOT / "node_modules" / "@foundry-rs").glob("cast-*/bin/cast"))
    assert found, "Foundry's cast is not in node_modules: run scripts/setup (it installs @foundry-rs/cast)"
    return str(found[0])


def pay_with_the_leaked_agent_key(wallet: Wallet, keystore: Path, amount_wei: int = 10**15) -> str:
    """send_native to alice from the agent key, outside the wallet; the transaction's hash."""
    wallet.keys.export_keystore("agent", keystore, PASSPHRASE)
    sent = subprocess.run([cast(), "send", wallet.guardrail.address, "send_native(address,uint256,bytes32,bytes32)",
                           ALICE, str(amount_wei), LEAKED_ACTION, "0x" + "22" * 32, "--keystore", str(keystore),
                           "--password", PASSPHRASE, "--rpc-url", wallet.rpc_url, "--json"],
                          capture_output=True, text=True, timeout=120)
    assert sent.returncode == 0, sent.stderr
    receipt = json.loads(sent.stdout)
    assert receipt["status"] == "0x1"
    return receipt["transactionHash"]
