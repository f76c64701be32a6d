"""Helpers for the EIP-3009 and x402 payment tests: authorizations, their digests and
signatures in a DemoToken's own domain, and the v, r, s calls only raw calldata reaches."""

from __future__ import annotations

import boa
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from agentwallet.chain.eip3009 import Authorization, TokenDomain, digest

NONCES = iter(range(1, 10**9))


def domain_of(token) -> TokenDomain:
    """The token's EIP-712 domain, read as a signer reads it (EIP-5267)."""
    _, name, version, chain_id, verifying_contract, _, _ = token.eip712Domain()
    return TokenDomain(name, version, chain_id, verifying_contract)


def fresh_nonce() -> bytes:
    return keccak(text=f"nonce {next(NONCES)}")


def authorization(payer: str, payee: str, value: int, *, lasts: int = 600, valid_after: int = 0,
                  nonce: bytes | None = None) -> Authorization:
    """An authorization valid from `valid_after` until `lasts` seconds from the current block."""
    return Authorization(payer, payee, value, valid_after, boa.env.timestamp + lasts, nonce or fresh_nonce())


def signed_digest(account, message_hash: bytes) -> bytes:
    """`account`'s 65-byte ECDSA signature (r, s, v) of a 32-byte hash itself."""
    return bytes(Account.unsafe_sign_hash(message_hash, account.key).signature)


def signed(account, token, auth: Authorization) -> bytes:
    """`account`'s signature of the authorization's digest in the token's domain."""
    return signed_digest(account, digest(domain_of(token), auth))


def vrs_call(token, function: str, arguments: tuple, types: list[str], signature: bytes, sender: str):
    """Call one of the token's v, r, s overloads (which __default__ decodes) as `sender`."""
    selector = keccak(text=f"{function}({','.join(types + ['uint8', 'bytes32', 'bytes32'])})")[:4]
    r, s, v = signature[:32], signature[32:64], signature[64]
    data = selector + encode(types + ["uint8", "bytes32", "bytes32"], [*arguments, v, r, s])
    return boa.env.raw_call(token.address, sender=sender, data=data)


AUTHORIZATION_TYPES = ["address", "address", "uint256", "uint256", "uint256", "bytes32"]
