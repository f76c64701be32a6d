"""Connecting to a node: one Web3 per RPC URL, with the chain id checked."""

from __future__ import annotations

from web3 import HTTPProvider, Web3

from agentwallet.errors import WalletError


def connect(rpc_url: str, expected_chain_id: int | None = None) -> Web3:
    if not rpc_url.startswith(("http://", "https://")):
        raise WalletError(f"not an RPC URL: {rpc_url!r} (use http:// or https://, or devnet)")
    w3 = Web3(HTTPProvider(rpc_url, request_kwargs={"timeout": 10}))
    try:
        chain_id = w3.eth.chain_id
    except Exception:  # requests/aiohttp/JSON errors all mean the same to the user
        raise WalletError(f"cannot reach the node at {rpc_url}: is it running?") from None
    if expected_chain_id is not None and chain_id != expected_chain_id:
        raise WalletError(
            f"wrong chain at {rpc_url}: chain id {chain_id}, the wallet was set up on {expected_chain_id}"
        )
    return w3
