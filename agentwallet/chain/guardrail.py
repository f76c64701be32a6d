"""The guardrail vault on chain, in the wallet's own types.

Reads return Policy / TokenPolicy; writes return unsent ContractFunction calls, which the
action pipeline simulates, signs and sends (chain.transactions), so there is one place where
anything is signed.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import BadFunctionCallOutput, ContractLogicError

from agentwallet.chain import artifacts, transactions
from agentwallet.chain.eip3009 import Authorization
from agentwallet.chain.events import STATUS_CODES


@dataclass(frozen=True)
class Policy:
    per_tx_max: int
    allowance: int
    period: int
    valid_until: int  # 0: no expiry
    start: int
    spent: int  # in the current window
    resets_at: int
    revoked: bool
    recipients_restricted: bool


@dataclass(frozen=True)
class TokenPolicy:
    token: str
    per_tx_max: int
    allowance: int
    spent: int


def b32(hex_text: str) -> bytes:
    return bytes.fromhex(hex_text.removeprefix("0x"))


class Guardrail:
    def __init__(self, w3: Web3, address: str):
        self.w3 = w3
        self.address = Web3.to_checksum_address(address)
        self.contract = w3.eth.contract(address=self.address, abi=artifacts.load("Guardrail").abi)

    @classmethod
    def deploy(cls, w3: Web3, owner: LocalAccount) -> Guardrail:
        artifact = artifacts.load("Guardrail")
        factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        address = transactions.deploy(w3, owner, factory.constructor())
        return cls(w3, address)

    @staticmethod
    def deployment_gas(w3: Web3, owner: str) -> int:
        """The gas deploying a guardrail from `owner` takes, as the node estimates it."""
        artifact = artifacts.load("Guardrail")
        return w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode).constructor().estimate_gas({"from": owner})

    def exists(self) -> bool:
        return len(self.w3.eth.get_code(self.address)) > 0

    def is_vault_of(self, owner: str) -> bool:
        """Whether a guardrail that `owner` owns is at this address (another contract, even one
        with an owner() of its own, is not one: it has no remaining_native)."""
        if not self.exists():
            return False
        try:
            return self.owner() == owner and self.remaining_native(owner) >= 0
        except (ContractLogicError, BadFunctionCallOutput, ValueError):
            return False

    # reads

    def owner(self) -> str:
        return self.contract.functions.owner().call()

    def paused(self) -> bool:
        return self.contract.functions.paused().call()

    def policy(self, agent: str) -> Policy:
        return Policy(*self.contract.functions.policy(agent).call())

    def token_policy(self, agent: str, token: str) -> TokenPolicy:
        return TokenPolicy(token, *self.contract.functions.token_policy(agent, token).call())

    def remaining_native(self, agent: str) -> int:
        return self.contract.functions.remaining_native(agent).call()

    def remaining_token(self, agent: str, token: str) -> int:
        return self.contract.functions.remaining_token(agent, token).call()

    def balance(self) -> int:
        return self.w3.eth.get_balance(self.address)

    # calls for the pipeline (not sent here)

    def send_native(self, to: str, amount: int, action_id: str, intent_hash: str) -> ContractFunction:
        return self.contract.functions.send_native(to, amount, b32(action_id), b32(intent_hash))

    def send_token(self, token: str, to: str, amount: int, action_id: str, intent_hash: str) -> ContractFunction:
        return self.contract.functions.send_token(token, to, amount, b32(action_id), b32(intent_hash))

    def owner_execute(self, target: str, amount: int, data: bytes, action_id: str,
                      intent_hash: str) -> ContractFunction:
        return self.contract.functions.owner_execute(target, amount, data, b32(action_id), b32(intent_hash))

    def authorize_payment(self, token: str, authorization: Authorization, action_id: str,
                          intent_hash: str) -> ContractFunction:
        """The agent's approval of an EIP-3009 transfer from the vault (an x402 payment)."""
        _, payee, value, valid_after, valid_before, nonce = authorization.arguments()
        return self.contract.functions.authorize_payment(token, payee, value, valid_after, valid_before, nonce,
                                                         b32(action_id), b32(intent_hash))

    def cancel_payment(self, token: str, authorization: Authorization) -> ContractFunction:
        _, payee, value, valid_after, valid_before, nonce = authorization.arguments()
        return self.contract.functions.cancel_payment(token, payee, value, valid_after, valid_before, nonce)

    def record(self, action_id: str, intent_hash: str, status: str) -> ContractFunction:
        return self.contract.functions.record(b32(action_id), b32(intent_hash), STATUS_CODES[status])

    def record_plan(self, plan_id: str, plan_hash: str, action_ids: list[str], intent_hashes: list[str],
                    approved: int) -> ContractFunction:
        return self.contract.functions.record_plan(b32(plan_id), b32(plan_hash), [b32(a) for a in action_ids],
                                                   [b32(h) for h in intent_hashes], approved)

    def set_policy(self, agent: str, per_tx_max: int, allowance: int, period: int,
                   valid_until: int) -> ContractFunction:
        return self.contract.functions.set_policy(agent, per_tx_max, allowance, period, valid_until)

    def set_token_policy(self, agent: str, token: str, per_tx_max: int, allowance: int) -> ContractFunction:
        return self.contract.functions.set_token_policy(agent, token, per_tx_max, allowance)

    def pause(self) -> ContractFunction:
        return self.contract.functions.pause()

    def unpause(self) -> ContractFunction:
        return self.contract.functions.unpause()

