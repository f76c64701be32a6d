"""Connecting to a node: one Web3 per RPC URL, over the wallet's own transport, chain id checked."""

from __future__ import annotations

from web3 import Web3
from web3.providers.base import JSONBaseProvider
from web3.types import RPCEndpoint, RPCResponse

from agentwallet.chain.rpc import JsonRpc
from agentwallet.errors import WalletError


class WalletProvider(JSONBaseProvider):
    """web3's requests go through chain.rpc, so rate limits are waited out, a dead node is one
    clear WalletError, and no credential in the URL reaches a message (web3's HTTPProvider
    logs and prints its URI)."""

    def __init__(self, rpc: JsonRpc):
        super().__init__()
        self.rpc = rpc
        self.endpoint_uri = rpc.url

    def make_request(self, method: RPCEndpoint, params) -> RPCResponse:
        return self.rpc.reply(method, list(params or []))

    def __str__(self) -> str:
        return f"RPC connection {self.rpc.shown}"


def connect(rpc_url: str, expected_chain_id: int | None = None) -> Web3:
    rpc = JsonRpc(rpc_url)
    chain_id = int(rpc("eth_chainId", []), 16)
    if expected_chain_id is not None and chain_id != expected_chain_id:
        raise WalletError(
            f"wrong chain at {rpc.shown}: chain id {chain_id}, the wallet was set up on {expected_chain_id}"
        )
    return Web3(WalletProvider(rpc))
