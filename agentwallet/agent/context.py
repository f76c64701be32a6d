"""What the planner may know about the wallet: the person's contacts and the tokens it holds.

Contacts are the user's own words. Token symbols are chain data chosen by whoever deployed the
token, so they are untrusted: they never enter a prompt, and reach the model's grammar only as
cleaned, shortened names it may write back.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentwallet.config import Config


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


def wallet_context(config: Config) -> WalletContext:
    """What the planner knows of the wallet whose config this is."""
    return WalletContext(
        contacts=tuple(Contact(name, address) for name, address in sorted(config.contacts.items())),
        tokens=tuple(KnownToken(t.symbol, t.address, t.decimals) for t in config.tokens),
    )
