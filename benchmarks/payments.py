"""An x402 payment between two wallets on one devnet, as `pay` and `serve` make it: the time
from request to answer, and the gas per payment next to a guarded token transfer.

Wallet A (devnet) serves its bundled model's answers for 0.01 USDC in this process; wallet B
(`init --network` on A's node) pays it N times through its vault, approved at once. Each payment
is two transactions: B's agent authorizes it through B's guardrail (authorize_payment, which logs
it), A's agent settles it (transferWithAuthorization). Goal (benchmarks/gas.py's): the two
together within a guarded send_token + 95,000 gas. Times depend on the machine's load.

    .venv/bin/python benchmarks/payments.py [--payments N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eth_account import Account  # noqa: E402

from agentwallet.actions import pipeline  # noqa: E402
from agentwallet.actions.arguments import normalise_arguments  # noqa: E402
from agentwallet.actions.proposal import Proposal  # noqa: E402
from agentwallet.actions.setup import Registries, initialize  # noqa: E402
from agentwallet.actions.wallet import Wallet  # noqa: E402
from agentwallet.agent.bundled import bundled_model_path  # noqa: E402
from agentwallet.agent.skill import Answerer  # noqa: E402
from agentwallet.chain import transactions  # noqa: E402
from agentwallet.chain.devnet import Devnet  # noqa: E402
from agentwallet.chain.tokens import demo_token  # noqa: E402
from agentwallet.cli import main as cli  # noqa: E402
from agentwallet.config import update_config  # noqa: E402
from agentwallet.keys import KeyStore  # noqa: E402
from agentwallet.payments.pay import pay  # noqa: E402
from agentwallet.payments.serve import ASK, Earnings, Price, build_app, listening_socket, running  # noqa: E402

PASSPHRASE = "bench"
ETH, USDC, PRICE = 10**18, 10**6, 10_000
GAS_GOAL_OVER_SEND_TOKEN = 95_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=5)
    count = parser.parse_args().payments
    root = Path(tempfile.mkdtemp(prefix="aw-x402-bench-"))
    os.environ.update(AGENTWALLET_KEYRING="file", AGENTWALLET_PASSPHRASE=PASSPHRASE)
    a_home, b_home = root / "a", root / "b"
    initialize(a_home, keys=KeyStore(a_home, kdf_iterations=2**10))
    try:
        a, b = Wallet.open(a_home), set_up_b(a_home, b_home, root)
        answerer = Answerer(bundled_model_path())
        model_seconds = statistics.median(timed(lambda: answerer.answer("What is the capital of France?"))
                                          for _ in range(3))
        app = build_app(a, Price(a.config.tokens[0], PRICE), answerer.answer, Earnings(), lambda _line: None)
        seconds, authorize_gas, settle_gas = [], [], []
        with running(app, listening_socket(0)) as base:
            for _ in range(count):
                started = time.perf_counter()
                payment = pay(b, f"{base}{ASK}?q=What+is+the+capital+of+France%3F", "0.01", lambda _: True)
                seconds.append(time.perf_counter() - started)
                assert payment.status == "paid", payment.reason
                authorize_gas.append(gas_used(b, payment.outcome.tx_hash))
                settle_gas.append(gas_used(a, payment.settled.transaction))
        send_token = guarded_send_token(b, a.guardrail.address)
        report(count, seconds, model_seconds, authorize_gas, settle_gas, send_token)
    finally:
        Devnet(a_home).stop()


def set_up_b(a_home: Path, b_home: Path, root: Path) -> Wallet:
    """B on A's node: 1 USDC in its vault, USDC known, 0.05 a payment and 1 a day."""
    a = Wallet.open(a_home)
    owner = Account.create()
    a.rpc("anvil_setBalance", [owner.address, hex(5 * ETH)])
    keystore = root / "b-owner.json"
    keystore.write_text(json.dumps(Account.encrypt(owner.key, PASSPHRASE, kdf="scrypt", iterations=2**10)))
    config = initialize(b_home, a.rpc_url, keystore, keys=KeyStore(b_home, kdf_iterations=2**10),
                        registries=Registries(a.config.identity_registry, a.config.reputation_registry)).config
    a.rpc("anvil_setBalance", [config.agent, hex(ETH)])
    usdc = a.config.tokens[0]
    mint = demo_token(a.w3, usdc.address).functions.mint(config.guardrail, 1 * USDC)
    signed = transactions.sign(a.w3, a.account("owner"), mint, mint.estimate_gas({"from": a.owner_address}))
    transactions.broadcast(a.w3, signed.raw)
    assert transactions.wait(a.w3, signed.tx_hash).ok
    update_config(b_home, lambda c: c.with_token(usdc))
    os.environ["AGENTWALLET_HOME"] = str(b_home)
    assert cli(["limits", "set", "--token", "USDC", "--daily", "1", "--per-tx", "0.05"]) == 0
    return Wallet.open(b_home)


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def guarded_send_token(b: Wallet, to: str) -> int:
    """Gas of a send_token of 0.01 USDC by B's agent through its guardrail to `to` (A's vault,
    as the payments paid), through the same pipeline."""
    usdc = b.config.tokens[0].address
    args = normalise_arguments(b, "send_token", {"token": usdc, "to": to, "amount": str(PRICE)})
    proposal = Proposal(tool="send_token", args=args, rationale="benchmark", request="benchmark",
                        chain_id=b.config.chain_id, guardrail=b.guardrail.address)
    outcome = pipeline.carry_out(b, proposal, lambda _: True)
    assert outcome.state == "executed", outcome.error
    return gas_used(b, outcome.tx_hash)


def gas_used(wallet: Wallet, tx_hash: str) -> int:
    return wallet.w3.eth.get_transaction_receipt(tx_hash)["gasUsed"]


def report(count, seconds, model_seconds, authorize_gas, settle_gas, send_token) -> None:
    payment = authorize_gas[-1] + settle_gas[-1]
    goal = send_token + GAS_GOAL_OVER_SEND_TOKEN
    print(f"{count} paid answers, B's pay from request to answer (402, authorize through B's guardrail, paid "
          f"retry: A verifies, answers, settles):")
    print(f"  median {statistics.median(seconds):.2f} s, fastest {min(seconds):.2f} s, slowest {max(seconds):.2f} s"
          f" (the model's answer alone, median of 3: {model_seconds:.2f} s)")
    print(f"gas per x402 payment: {payment:,} = authorize_payment {authorize_gas[-1]:,} (B's agent) + "
          f"transferWithAuthorization {settle_gas[-1]:,} (A's agent)")
    print(f"guarded token transfer (send_token by B's agent): {send_token:,}; the payment costs "
          f"{payment - send_token:+,} more (goal ≤ +{GAS_GOAL_OVER_SEND_TOKEN:,}: "
          f"{'meets' if payment <= goal else 'MISSES'})")
    if payment > goal:
        sys.exit(1)


if __name__ == "__main__":
    main()
