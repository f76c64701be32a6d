"""Signing, sending and simulating transactions, split at the seams the journal needs.

A transaction is signed first and its raw bytes kept, then broadcast, then awaited. The
journal stores the raw bytes between the first two steps, so after a crash the very same
transaction (same nonce, same hash) can be sent again: it can be mined at most once.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError, TimeExhausted, TransactionNotFound, Web3Exception, Web3RPCError

from agentwallet.errors import WalletError

GAS_MARGIN = 1.25


@dataclass(frozen=True)
class SignedTx:
    raw: bytes
    tx_hash: str
    nonce: int
    sender: str


@dataclass(frozen=True)
class Receipt:
    tx_hash: str
    ok: bool
    block: int
    gas_used: int


@dataclass(frozen=True)
class Simulation:
    ok: bool
    gas: int
    revert_reason: str | None


def simulate(w3: Web3, call: ContractFunction, sender: str, value: int = 0) -> Simulation:
    """Run the call as `sender` against the latest state: would it succeed, at what gas."""
    tx = {"from": sender, "value": value}
    try:
        gas = call.estimate_gas(tx)
    except ContractLogicError as exc:
        return Simulation(ok=False, gas=0, revert_reason=revert_reason(exc))
    return Simulation(ok=True, gas=gas, revert_reason=None)


def revert_reason(exc: ContractLogicError) -> str:
    message = exc.message or str(exc)
    return message.removeprefix("execution reverted: ").removeprefix("execution reverted")or "reverted"


def gas_limit(estimate: int) -> int:
    """The gas limit a transaction is signed with: the estimate and a margin."""
    return int(estimate * GAS_MARGIN) + 10_000


def most_it_can_cost(w3: Web3, estimate: int) -> int | None:
    """The wei a sender must hold for the node to take the transaction: its gas limit at the
    highest fee per gas web3 signs with (twice the latest base fee plus the priority fee).
    None when the node cannot say."""
    try:
        base_fee = w3.eth.get_block("latest").get("baseFeePerGas", 0)
        return gas_limit(estimate) * (2 * base_fee + w3.eth.max_priority_fee)
    except (Web3Exception, ValueError, OSError):
        return None


def likely_cost(w3: Web3, estimate: int) -> int | None:
    """The wei `estimate` gas is likely to cost at today's fees (the latest base fee plus the
    priority fee), to show before signing; None when the node cannot say."""
    try:
        base_fee = w3.eth.get_block("latest").get("baseFeePerGas", 0)
        return estimate * (base_fee + w3.eth.max_priority_fee)
    except (Web3Exception, ValueError, OSError):
        return None


def balance_or_none(w3: Web3, address: str) -> int | None:
    """The address's ETH in wei, or None when the node cannot say."""
    try:
        return w3.eth.get_balance(address)
    except (Web3Exception, ValueError, OSError):
        return None


def sign(w3: Web3, account: LocalAccount, call: ContractFunction, gas: int, value: int = 0) -> SignedTx:
    nonce = w3.eth.get_transaction_count(account.address, "pending")
    tx = call.build_transaction({
        "from": account.address, "value": value, "nonce": nonce,
        "gas": gas_limit(gas), "chainId": w3.eth.chain_id,
    })
    signed = account.sign_transaction(tx)
    return SignedTx(raw=bytes(signed.raw_transaction), tx_hash=Web3.to_hex(signed.hash),
                    nonce=nonce, sender=account.address)


# What a node's refusal means when a nonce is contested, in the words of geth, reth and anvil.
NONCE_REFUSALS = {
    "nonce too low": "another transaction from this account already used its nonce",
    "replacement transaction underpriced": "another transaction with its nonce is waiting to be mined",
}


# What a node says when it holds the very transaction already (geth, reth; anvil): it is sent.
ALREADY_HAS_IT = ("already known", "AlreadyKnown", "already imported")


def broadcast(w3: Web3, raw: bytes) -> str:
    try:
        return Web3.to_hex(w3.eth.send_raw_transaction(raw))
    except (ValueError, Web3RPCError) as exc:
        text = _refusal_text(exc)
        if any(words in text for words in ALREADY_HAS_IT):
            return Web3.to_hex(Web3.keccak(raw))
        meaning = next((meaning for words, meaning in NONCE_REFUSALS.items() if words in text.lower()), None)
        raise WalletError(f"the node refused the transaction: {meaning} ({text})" if meaning
                          else f"the node refused the transaction: {text}") from None


def _refusal_text(exc: Exception) -> str:
    """The node's own message, not the dict web3 prints ({'code': -32003, 'message': ...})."""
    error = getattr(exc, "rpc_response", None) or {}
    message = error.get("error", {}).get("message") if isinstance(error.get("error"), dict) else None
    if message is None and exc.args and isinstance(exc.args[0], dict):
        message = exc.args[0].get("message")
    return str(message if message is not None else exc)


def wait(w3: Web3, tx_hash: str, timeout: float = 120) -> Receipt:
    try:
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=timeout, poll_latency=0.05)
    except TimeExhausted:
        raise WalletError(f"no receipt for {tx_hash} after {timeout:.0f} s; it is kept and retried") from None
    return Receipt(tx_hash=tx_hash, ok=receipt["status"] == 1, block=receipt["blockNumber"],
                   gas_used=receipt["gasUsed"])


def receipt_within(w3: Web3, tx_hash: str, seconds: float) -> Receipt | None:
    """The receipt, waited for up to `seconds`: a load-balanced RPC's node that is behind the one
    that mined the transaction answers "not found" for a while, and that is not "not mined"."""
    try:
        return wait(w3, tx_hash, timeout=seconds)
    except WalletError:
        return None


def find_receipt(w3: Web3, tx_hash: str) -> Receipt | None:
    try:
        receipt = w3.eth.get_transaction_receipt(tx_hash)
    except TransactionNotFound:
        return None
    return Receipt(tx_hash=tx_hash, ok=receipt["status"] == 1, block=receipt["blockNumber"],
                   gas_used=receipt["gasUsed"])


def head(w3: Web3) -> int:
    """The latest block's number."""
    return w3.eth.block_number


def nonce_used(w3: Web3, sender: str, nonce: int) -> bool:
    return w3.eth.get_transaction_count(sender, "latest") > nonce


def deploy(w3: Web3, account: LocalAccount, constructor) -> str:
    """Deploy a contract and wait for it; set-up uses this, never the agent's action path."""
    gas = constructor.estimate_gas({"from": account.address})
    signed = sign(w3, account, constructor, gas)
    broadcast(w3, signed.raw)
    if not wait(w3, signed.tx_hash).ok:
        raise WalletError("contract deployment failed")
    return w3.eth.get_transaction_receipt(signed.tx_hash)["contractAddress"]
