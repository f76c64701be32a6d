"""What the planner may know about the wallet: the person's contacts and the tokens it holds.

Contacts are the user's own words. Token symbols are chain data chosen by whoever deployed the
token, so they are untrusted: they never enter a prompt, and reach the model's grammar only as
cleaned, shortened names it may write back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Contact:
    name: str
    address: str  # EIP-55 checksummed


@dataclass(frozen=True)
class KnownToken:
    symbol: str  # untrusted chain data
    address: str  # EIP-55 checksummed
    decimals: int


@dataclass(frozen=True)
class WalletContext:
    contacts: tuple[Contact, ...] = ()
    tokens: tuple[KnownToken, ...] = ()
