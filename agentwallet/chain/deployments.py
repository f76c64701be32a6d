"""Contracts an account deployed, found from the chain alone.

A contract made by a plain transaction lives at keccak(rlp([sender, nonce]))[12:], so the
contracts an account created are at the addresses of its nonces: no indexer needed. This is
how `init` finds a vault its owner key already deployed, and where its next one will be.
"""

from __future__ import annotations

import rlp
from eth_utils import keccak, to_checksum_address
from web3 import Web3

MAX_NONCES_SEARCHED = 256  # set-up deploys first; an owner key this busy has its config still


def create_address(sender: str, nonce: int) -> str:
    """Where the contract deployed by `sender`'s transaction with `nonce` is (or will be)."""
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:])


def next_create_address(w3: Web3, sender: str) -> str:
    """Where `sender`'s next transaction, if it deploys, puts its contract."""
    return create_address(sender, w3.eth.get_transaction_count(sender, "pending"))


def contracts_created_by(w3: Web3, sender: str) -> list[str]:
    """The contracts `sender`'s transactions deployed that have code now, oldest first."""
    sent = min(w3.eth.get_transaction_count(sender, "latest"), MAX_NONCES_SEARCHED)
    candidates = (create_address(sender, nonce) for nonce in range(sent))
    return [address for address in candidates if w3.eth.get_code(address)]
