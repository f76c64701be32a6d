"""A transaction signed again for the nonce it holds, with higher fees: sped up (the same call)
or cancelled (a transfer of nothing to the sender itself), for one that is not being mined.

Nodes take a replacement only when both EIP-1559 fee fields are at least 10% above the one it
replaces (geth's and reth's price bump; anvil's too), and miners take it only when its fee
covers the base fee of the block to come: the new fees are the higher of those two, from what
the node says today (eth_feeHistory, eth_maxPriorityFeePerGas), never a constant.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from eth_account.typed_transactions import TypedTransaction
from hexbytes import HexBytes
from web3 import Web3

from agentwallet.chain.transactions import SignedTx
from agentwallet.errors import WalletError

PLAIN_TRANSFER_GAS = 21_000


@dataclass(frozen=True)
class Fees:
    max_fee: int  # wei per gas
    priority_fee: int


def offered(raw: bytes) -> Fees:
    """The fees a signed transaction offers."""
    tx = _decoded(raw)
    return Fees(tx["maxFeePerGas"], tx["maxPriorityFeePerGas"])


def fees_to_replace(w3: Web3, old: Fees) -> Fees:
    """Fees a replacement of a transaction offering `old` is taken with, and mined at today's
    base fee: at least 10% (and a wei) above both of old's, and at least what the node asks."""
    history = w3.eth.fee_history(1, "latest", [])
    next_base_fee = history["baseFeePerGas"][-1]  # the block to come's, as the node reckons it
    priority = max(w3.eth.max_priority_fee, _bumped(old.priority_fee))
    return Fees(max(_bumped(old.max_fee), 2 * next_base_fee + priority), priority)


def _bumped(fee: int) -> int:
    return fee + fee // 10 + 1


def speed_up(w3: Web3, account: LocalAccount, raw: bytes) -> SignedTx:
    """The same transaction (call, value, gas, nonce) at higher fees."""
    tx = _decoded(raw)
    return _signed(w3, account, tx, {"to": tx["to"], "value": tx["value"], "data": tx["data"], "gas": tx["gas"]})


def cancel(w3: Web3, account: LocalAccount, raw: bytes) -> SignedTx:
    """A transfer of nothing from the sender to itself, with the nonce of `raw`: once it is
    mined, `raw` never can be, and nothing moved."""
    return _signed(w3, account, _decoded(raw), {"to": account.address, "value": 0, "data": b"",
                                                 "gas": PLAIN_TRANSFER_GAS})


def _signed(w3: Web3, account: LocalAccount, old: dict, what: dict) -> SignedTx:
    fees = fees_to_replace(w3, Fees(old["maxFeePerGas"], old["maxPriorityFeePerGas"]))
    signed = account.sign_transaction({
        **what, "type": 2, "chainId": old["chainId"], "nonce": old["nonce"],
        "maxFeePerGas": fees.max_fee, "maxPriorityFeePerGas": fees.priority_fee,
    })
    return SignedTx(raw=bytes(signed.raw_transaction), tx_hash=Web3.to_hex(signed.hash),
                    nonce=old["nonce"], sender=account.address)


def _decoded(raw: bytes) -> dict:
    try:
        tx = TypedTransaction.from_bytes(HexBytes(raw)).as_dict()
    except (ValueError, TypeError):
        raise WalletError("the kept transaction is not an EIP-1559 one: it cannot be replaced") from None
    if "maxFeePerGas" not in tx:
        raise WalletError("the kept transaction is not an EIP-1559 one: it cannot be replaced")
    tx["to"] = Web3.to_checksum_address(tx["to"])
    return tx
