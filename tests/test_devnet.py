"""The devnet is a real anvil the app starts, finds again, and stops, keeping its state."""

import json
import urllib.request

import pytest

from agentwallet.chain.devnet import Devnet, rpc_alive

ADDRESS = "0x1111111111111111111111111111111111111111"


def rpc(url: str, method: str, params: list) -> object:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["result"]


@pytest.fixture
def devnet(tmp_path):
    net = Devnet(tmp_path)
    yield net
    net.stop()


def test_devnet_listens_on_loopback_with_chain_id_31337(devnet):
    process = devnet.start()
    assert process.rpc_url.startswith("http://127.0.0.1:")
    assert int(rpc(process.rpc_url, "eth_chainId", []), 16) == 31337


def test_a_second_start_reuses_the_running_devnet(devnet):
    assert devnet.start() == devnet.start()


def test_devnet_state_survives_a_restart(devnet):
    url = devnet.start().rpc_url
    rpc(url, "anvil_setBalance", [ADDRESS, hex(12345)])
    rpc(url, "evm_mine", [])
    assert devnet.stop() is True
    assert not rpc_alive(url)
    url = devnet.start().rpc_url
    assert int(rpc(url, "eth_getBalance", [ADDRESS, "latest"]), 16) == 12345
    assert int(rpc(url, "eth_blockNumber", []), 16) == 1


def test_stop_without_a_running_devnet_says_so(devnet):
    assert devnet.stop() is False
    assert devnet.running() is None
