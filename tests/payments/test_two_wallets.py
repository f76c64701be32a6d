"""The issue's "done when", on one devnet, by the command line: wallet A sells its model's answers
(`serve`, a process of its own) and advertises them (`agents publish`); wallet B, set up on A's
node (`init --network URL`), finds the skill (`agents list`), pays it through its vault with
approval (`pay URL --yes` within its limits) and gets A's answer; A's vault is paid the price;
both histories and both `verify`s agree; a payment over B's cap is refused by B's guardrail."""

from __future__ import annotations

import json
import re
import time

from eth_account import Account

from agentwallet.chain.tokens import balance_of, demo_token
from agentwallet.cli import main
from agentwallet.config import load_config
from tests.agents.kit import send_as_owner
from tests.conftest import PASSPHRASE
from tests.payments.seller import ETH, PRICE
from tests.payments.test_serve_cli import start_serving

USDC = 10**6


def as_wallet(home, monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    with monkeypatch.context() as inside:
        inside.setenv("AGENTWALLET_HOME", str(home))
        code = main(list(argv))
    said = capsys.readouterr()
    return code, said.out, said.err


def set_up_b(a, tmp_path, monkeypatch, capsys):
    """B: its own owner (a keystore it imports), vault and agent on A's node; 1 USDC in its
    vault (minted by A's owner, who owns the demo token); USDC known, capped at 0.05 a payment."""
    owner = Account.create()
    a.rpc("anvil_setBalance", [owner.address, hex(5 * ETH)])
    keystore = tmp_path / "b-owner.json"
    keystore.write_text(json.dumps(Account.encrypt(owner.key, PASSPHRASE, kdf="scrypt", iterations=2**10)))
    b = tmp_path / "b"
    code, out, err = as_wallet(b, monkeypatch, capsys, "init", "--network", a.rpc_url, "--import-keystore",
                               str(keystore), "--identity-registry", a.config.identity_registry,
                               "--reputation-registry", a.config.reputation_registry)
    assert code == 0, err
    config = load_config(b)
    a.rpc("anvil_setBalance", [config.agent, hex(ETH)])
    usdc = a.config.tokens[0].address
    send_as_owner(a, demo_token(a.w3, usdc).functions.mint(config.guardrail, 1 * USDC))
    assert as_wallet(b, monkeypatch, capsys, "tokens", "add", usdc)[0] == 0
    code, out, err = as_wallet(b, monkeypatch, capsys, "limits", "set", "--token", "USDC", "--daily", "1",
                               "--per-tx", "0.05")
    assert code == 0, err + out
    return b, config


def test_b_finds_a_pays_it_through_its_vault_and_gets_the_answer(wallet, tmp_path, monkeypatch, capsys):
    a = wallet
    served = start_serving(a.home, "--port", "0", "--price", "0.01", "USDC")
    try:
        assert as_wallet(a.home, monkeypatch, capsys, "agents", "publish", "--name", "oracle", "--yes")[0] == 0
        b, b_config = set_up_b(a, tmp_path, monkeypatch, capsys)
        usdc = a.config.tokens[0].address
        a_before, b_before = balance_of(a.w3, usdc, a.guardrail.address), balance_of(a.w3, usdc, b_config.guardrail)

        code, out, _ = as_wallet(b, monkeypatch, capsys, "agents", "list")
        (line,) = [line for line in out.splitlines() if " oracle " in line]
        url = re.search(r"sells (\S+) at 0\.01 USDC", line).group(1)
        assert url == served.url and f"paid to {a.guardrail.address}" in line

        started = time.monotonic()
        code, out, err = as_wallet(b, monkeypatch, capsys, "pay", url + "?q=What+is+the+capital+of+France%3F",
                                   "--max", "0.01", "--yes", "--json")
        seconds = time.monotonic() - started
        paid = json.loads(out)
        assert code == 0 and paid["status"] == "paid", err + out
        assert isinstance(paid["response"]["answer"], str) and paid["response"]["answer"]
        assert "(the resource of agent #" in err and "'oracle')" in err  # the review named the payee
        with capsys.disabled():
            print(f"\nrequest to answer on devnet, through B's approval and A's settlement: {seconds:.1f} s")
        assert balance_of(a.w3, usdc, a.guardrail.address) == a_before + PRICE
        assert balance_of(a.w3, usdc, b_config.guardrail) == b_before - PRICE

        code, out, _ = as_wallet(b, monkeypatch, capsys, "limits", "set", "--token", "USDC", "--per-tx", "0.005")
        assert code == 0
        code, out, err = as_wallet(b, monkeypatch, capsys, "pay", url + "?q=again", "--max", "0.01", "--yes",
                                   "--json")
        over = json.loads(out)
        assert code == 1 and over["status"] == "failed" and "guardrail: over per-tx limit" in over["reason"]
        assert over["response"] is None
        assert balance_of(a.w3, usdc, a.guardrail.address) == a_before + PRICE
    finally:
        said = served.stop()
    assert f"paid: 0.01 USDC from {b_config.guardrail}" in said

    code, out, _ = as_wallet(a.home, monkeypatch, capsys, "history", "--json")
    (incoming,) = [entry for entry in json.loads(out) if entry["direction"] == "in"]
    assert (incoming["payer"], incoming["amount"], incoming["tx_hash"]) == (
        b_config.guardrail, str(PRICE), paid["payment"]["settlement_tx_hash"])
    code, out, _ = as_wallet(b, monkeypatch, capsys, "history", "--json")
    entries = {entry["action_id"]: entry for entry in json.loads(out)}
    mine = entries[paid["payment"]["action_id"]]
    assert (mine["kind"], mine["direction"], mine["to"], mine["amount"], mine["status"], mine["verified"]) == (
        "payment", "out", a.guardrail.address, str(PRICE), "executed", True)
    refused = entries[over["payment"]["action_id"]]  # its failure logged on chain by record()
    assert (refused["kind"], refused["status"], refused["verified"]) == ("record", "failed", True)
    for home in (a.home, b):
        code, out, _ = as_wallet(home, monkeypatch, capsys, "verify")
        assert code == 0 and out.endswith(" 0 mismatches\n"), out
