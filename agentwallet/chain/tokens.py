"""ERC-20 tokens: what the wallet reads of them, and the demo token devnet deploys."""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from web3 import Web3

from agentwallet.chain import artifacts, transactions
from agentwallet.errors import WalletError
from agentwallet.units import MAX_TOKEN_DECIMALS

ERC20_ABI = [
    {"name": "symbol", "type": "function", "stateMutability": "view", "inputs": [],
     "outputs": [{"name": "", "type": "string"}]},
    {"name": "decimals", "type": "function", "stateMutability": "view", "inputs": [],
     "outputs": [{"name": "", "type": "uint8"}]},
    {"name": "balanceOf", "type": "function", "stateMutability": "view",
     "inputs": [{"name": "owner", "type": "address"}], "outputs": [{"name": "", "type": "uint256"}]},
    {"name": "transfer", "type": "function", "stateMutability": "nonpayable",
     "inputs": [{"name": "to", "type": "address"}, {"name": "amount", "type": "uint256"}],
     "outputs": [{"name": "", "type": "bool"}]},
]
MAX_SYMBOL_LENGTH = 32


@dataclass(frozen=True)
class TokenInfo:
    address: str
    symbol: str  # untrusted: whatever the token contract says
    decimals: int


def erc20(w3: Web3, address: str):
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=ERC20_ABI)


def token_info(w3: Web3, address: str) -> TokenInfo:
    if not w3.eth.get_code(address):
        raise WalletError(f"no contract at {address} on this chain")
    contract = erc20(w3, address)
    try:
        symbol = contract.functions.symbol().call()
        decimals = contract.functions.decimals().call()
    except Exception:
        raise WalletError(f"{address} does not look like an ERC-20 token (no symbol/decimals)") from None
    if not 0 <= decimals <= MAX_TOKEN_DECIMALS:
        raise WalletError(f"{address} claims {decimals} decimals; refusing a token like that")
    return TokenInfo(address=contract.address, symbol=symbol[:MAX_SYMBOL_LENGTH], decimals=decimals)


def balance_of(w3: Web3, token: str, holder: str) -> int:
    return erc20(w3, token).functions.balanceOf(holder).call()


_AUTHORIZATION_STATE_ABI = [{"name": "authorizationState", "type": "function", "stateMutability": "view",
                              "inputs": [{"name": "authorizer", "type": "address"},
                                         {"name": "nonce", "type": "bytes32"}],
                              "outputs": [{"name": "", "type": "bool"}]}]


def authorization_used(w3: Web3, token: str, payer: str, nonce: bytes) -> bool:
    """Whether an EIP-3009 token has spent `payer`'s nonce (the authorization was used or cancelled)."""
    contract = w3.eth.contract(address=Web3.to_checksum_address(token), abi=_AUTHORIZATION_STATE_ABI)
    return contract.functions.authorizationState(payer, nonce).call()


def transfer_calldata(w3: Web3, token: str, to: str, amount: int) -> bytes:
    call = erc20(w3, token).functions.transfer(to, amount)
    return bytes.fromhex(call._encode_transaction_data().removeprefix("0x"))


def deploy_demo_token(w3: Web3, owner: LocalAccount, symbol: str, decimals: int) -> str:
    artifact = artifacts.load("DemoToken")
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    return transactions.deploy(w3, owner, factory.constructor(f"Demo {symbol}", symbol, decimals))


def demo_token(w3: Web3, address: str):
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=artifacts.load("DemoToken").abi)
