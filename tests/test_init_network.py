"""`init --network RPC_URL` on a chain that is not the devnet: an anvil started here as Base
(chain id 8453) stands for it. Before the owner signs, init names the chain, states the fee, and
refuses (sending nothing) an owner who cannot pay it; afterwards it says what to fund, in ETH."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from eth_account import Account
from web3 import HTTPProvider, Web3

from agentwallet.chain.devnet import find_anvil, free_port, rpc_alive
from agentwallet.cli import main
from tests.conftest import PASSPHRASE

ETH = 10**18


@pytest.fixture(scope="module")
def base_node():
    port = free_port()
    process = subprocess.Popen([find_anvil(), "--port", str(port), "--chain-id", "8453", "--silent"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not rpc_alive(url):
        assert process.poll() is None and time.monotonic() < deadline, "anvil did not start"
        time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(10)


def owner_keystore(tmp_path, w3: Web3, funds: int):
    owner = Account.create()
    w3.provider.make_request("anvil_setBalance", [owner.address, hex(funds)])
    keystore = tmp_path / "owner.json"
    keystore.write_text(json.dumps(Account.encrypt(owner.key, PASSPHRASE, kdf="scrypt", iterations=2**10)))
    return owner, keystore


def test_init_on_base_names_the_chain_states_the_fee_and_what_to_fund(base_node, tmp_path, monkeypatch, capsys):
    w3 = Web3(HTTPProvider(base_node))
    owner, keystore = owner_keystore(tmp_path, w3, ETH)
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path / "home"))
    code = main(["init", "--network", base_node, "--import-keystore", str(keystore)])
    out, err = capsys.readouterr()
    assert code == 0, err
    [fee] = [line for line in err.splitlines() if line.startswith("… deploying on ")]
    assert fee.startswith("… deploying on Base (chain id 8453): about 0.") and " ETH in fees (up to 0." in fee
    assert fee.endswith(f"paid by the owner {owner.address}, which holds 1 ETH")
    assert "on Base (chain id 8453)" in out.splitlines()[0]
    to_do = [line for line in out.splitlines() if line.startswith("to do: ")]
    assert "(its policy lets the agent move at most 0.1 ETH per action and 0.5 ETH per day)" in to_do[0]
    assert to_do[1].startswith("to do: send about 0.")
    assert "ETH for gas to the agent" in to_do[1] and "(enough for about 20 actions at today's fees on Base" in to_do[1]


def test_init_refuses_an_owner_who_cannot_pay_the_fee_and_sends_nothing(base_node, tmp_path, monkeypatch, capsys):
    w3 = Web3(HTTPProvider(base_node))
    owner, keystore = owner_keystore(tmp_path, w3, 10**9)  # one gwei: far too little
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path / "home"))
    code = main(["init", "--network", base_node, "--import-keystore", str(keystore)])
    _, err = capsys.readouterr()
    assert code == 1
    message = err.strip().splitlines()[-1]
    assert message.startswith(f"agentwallet: the owner {owner.address} holds 0.000000001 ETH on Base (chain id 8453); "
                              "deploying the guardrail and setting the agent's policy costs about 0.")
    assert message.endswith("then run init again")
    assert w3.eth.get_transaction_count(owner.address) == 0
