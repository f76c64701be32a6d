"""EIP-3009 transfer authorizations as typed data: the message an x402 `exact` payment carries,
and the EIP-712 digest a token checks (and the guardrail approves for the vault)."""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.messages import encode_typed_data
from eth_utils import keccak, to_checksum_address

TRANSFER_WITH_AUTHORIZATION = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "validAfter", "type": "uint256"},
    {"name": "validBefore", "type": "uint256"},
    {"name": "nonce", "type": "bytes32"},
]


@dataclass(frozen=True)
class TokenDomain:
    """The token's EIP-712 domain: what x402 requirements name in `extra` (name, version)."""

    name: str
    version: str
    chain_id: int
    token: str

    def as_typed_data(self) -> dict:
        return {"name": self.name, "version": self.version, "chainId": self.chain_id,
                "verifyingContract": to_checksum_address(self.token)}


@dataclass(frozen=True)
class Authorization:
    """One transferWithAuthorization: `value` base units from `payer` to `payee`, usable once
    (its nonce) strictly between valid_after and valid_before."""

    payer: str
    payee: str
    value: int
    valid_after: int
    valid_before: int
    nonce: bytes

    def message(self) -> dict:
        return {"from": to_checksum_address(self.payer), "to": to_checksum_address(self.payee), "value": self.value,
                "validAfter": self.valid_after, "validBefore": self.valid_before, "nonce": self.nonce}

    def arguments(self) -> tuple:
        """The first six arguments of transferWithAuthorization and of the guardrail's calls."""
        return (to_checksum_address(self.payer), to_checksum_address(self.payee), self.value, self.valid_after,
                self.valid_before, self.nonce)


def typed_data(domain: TokenDomain, authorization: Authorization):
    """The signable EIP-712 message of `authorization` in `domain`."""
    return encode_typed_data(
        domain_data=domain.as_typed_data(),
        message_types={"TransferWithAuthorization": TRANSFER_WITH_AUTHORIZATION},
        message_data=authorization.message(),
    )


def digest(domain: TokenDomain, authorization: Authorization) -> bytes:
    """The 32-byte hash the token recovers the payer's signature over."""
    message = typed_data(domain, authorization)
    return keccak(b"\x19" + message.version + message.header + message.body)
