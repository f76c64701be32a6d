"""The chain side of the facilitator `serve` runs itself: what the x402 package's `exact` EVM
facilitator asks of a signer (x402.mechanisms.evm.signer.FacilitatorEvmSigner), on this
wallet's node. It reads anything; it writes one thing only: `transferWithAuthorization` of a
token this server is paid in, to this wallet's vault. That transaction is not signed here but
handed, with its gas, to `send` (the wallet's sending path, which holds the sending lock)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from web3 import Web3
from x402.mechanisms.evm.constants import TX_STATUS_SUCCESS
from x402.mechanisms.evm.types import TransactionReceipt

from agentwallet.chain import transactions
from agentwallet.chain.tokens import erc20

SETTLING = "transferWithAuthorization"
RECEIPT_TIMEOUT = 60  # seconds: a settlement not mined by then is reported failed, the answer withheld

Send = Callable[[Any, int], str]  # (the contract call, its gas estimate) -> transaction hash


class SettlementRefused(Exception):
    """A settlement this wallet will not send: not one it sells for, or one the chain would refuse."""


class SettlementSigner:
    def __init__(self, w3: Web3, sender: str, vault: str, tokens: frozenset[str], send: Send):
        self._w3 = w3
        self._sender = sender
        self._vault = vault
        self._tokens = tokens
        self._send = send

    def get_addresses(self) -> list[str]:
        return [self._sender]

    def get_chain_id(self) -> int:
        return self._w3.eth.chain_id

    def read_contract(self, address: str, abi: list[dict[str, Any]], function_name: str, *args: Any) -> Any:
        contract = self._w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi)
        return getattr(contract.functions, function_name)(*args).call({"from": self._sender})

    def verify_typed_data(self, *_args: Any) -> bool:
        # Only Permit2 payments ask this, and the server offers EIP-3009 only.
        return False

    def write_contract(self, address: str, abi: list[dict[str, Any]], function_name: str, *args: Any,
                       data_suffix: str | None = None) -> str:
        token = Web3.to_checksum_address(address)
        if function_name != SETTLING or token not in self._tokens or data_suffix:
            raise SettlementRefused(f"the facilitator settles only {SETTLING} of the tokens it is paid in")
        if len(args) < 2 or Web3.to_checksum_address(args[1]) != self._vault:
            raise SettlementRefused("the facilitator settles only payments to this wallet's vault")
        call = getattr(self._w3.eth.contract(address=token, abi=abi).functions, function_name)(*args)
        simulation = transactions.simulate(self._w3, call, self._sender)
        if not simulation.ok:  # never spend gas on a settlement the chain refuses (a used nonce, say)
            raise SettlementRefused(f"execution reverted: {simulation.revert_reason}")
        return self._send(call, simulation.gas)

    def send_transaction(self, to: str, data: bytes) -> str:
        raise SettlementRefused("the facilitator deploys no wallets and sends no other transaction")

    def wait_for_transaction_receipt(self, tx_hash: str) -> TransactionReceipt:
        receipt = self._w3.eth.wait_for_transaction_receipt(tx_hash, timeout=RECEIPT_TIMEOUT, poll_latency=0.05)
        return TransactionReceipt(status=TX_STATUS_SUCCESS if receipt["status"] == 1 else 0,
                                  block_number=receipt["blockNumber"], tx_hash=tx_hash,
                                  logs=list(receipt.get("logs") or []))

    def get_balance(self, address: str, token_address: str) -> int:
        return erc20(self._w3, token_address).functions.balanceOf(Web3.to_checksum_address(address)).call()

    def get_code(self, address: str) -> bytes:
        return bytes(self._w3.eth.get_code(Web3.to_checksum_address(address)))


def token_domain(w3: Web3, token: str) -> tuple[str, str]:
    """The token's EIP-712 name and version (ERC-5267's eip712Domain), which the server's
    payment requirements name in `extra` so that payers sign (or approve) the right digest."""
    abi = [{"name": "eip712Domain", "type": "function", "stateMutability": "view", "inputs": [], "outputs": [
        {"name": "fields", "type": "bytes1"}, {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"},
        {"name": "salt", "type": "bytes32"}, {"name": "extensions", "type": "uint256[]"}]}]
    contract = w3.eth.contract(address=Web3.to_checksum_address(token), abi=abi)
    _, name, version, *_ = contract.functions.eip712Domain().call()
    return name, version
