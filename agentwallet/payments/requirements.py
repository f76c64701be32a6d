"""Which of a 402's offers this wallet may pay: scheme `exact` (EIP-3009), on the wallet's own
network, in a token the wallet knows, to a real address, at no more than the person's --max.
A well-formed offer the wallet will not pay is a Refusal (its reason said); a malformed one is
a WalletError before anything is proposed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from x402.schemas import PaymentRequired, PaymentRequirements

from agentwallet.config import TokenEntry
from agentwallet.errors import WalletError
from agentwallet.tools import UINT104_MAX
from agentwallet.units import format_amount, parse_address, parse_amount

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet

_DIGITS = re.compile(r"[0-9]{1,40}")
ZERO_ADDRESS = "0x" + "00" * 20


@dataclass(frozen=True)
class Price:
    """One offer the wallet can pay: `amount` base units of `token` to `pay_to`."""

    accepted: PaymentRequirements  # sent back as the payment's `accepted`, unchanged
    token: TokenEntry
    pay_to: str
    amount: int
    timeout: int  # seconds the server gives the payment to arrive

    @property
    def text(self) -> str:
        return f"{format_amount(self.amount, self.token.decimals)} {self.token.symbol}"


class Refusal(Exception):
    """The wallet will not pay this resource; the reason is for the person."""


def network_of(wallet: Wallet) -> str:
    return f"eip155:{wallet.config.chain_id}"


def price(wallet: Wallet, asked: PaymentRequired, max_text: str | None) -> Price:
    """The offer to pay, or a Refusal saying why none can be. `max_text` is the most the person
    will pay, written in the asked token's units (`--max 0.05`)."""
    if not asked.accepts:
        raise WalletError("the resource's payment request offers no way to pay")
    network = network_of(wallet)
    exact = [offer for offer in asked.accepts if offer.scheme == "exact"]
    if not exact:
        raise Refusal(f"the resource takes only the schemes {_listed(o.scheme for o in asked.accepts)}; "
                      "the vault pays `exact`")
    here = [offer for offer in exact if offer.network == network]
    if not here:
        raise Refusal(f"the resource asks for payment on {_listed(o.network for o in exact)}; "
                      f"this wallet is on {network}")
    reasons = []
    for offer in here:
        try:
            return _checked(wallet, offer, max_text)
        except Refusal as refusal:
            reasons.append(str(refusal))
    raise Refusal("; ".join(dict.fromkeys(reasons)))


def _checked(wallet: Wallet, offer: PaymentRequirements, max_text: str | None) -> Price:
    if (offer.extra or {}).get("assetTransferMethod", "eip3009") != "eip3009":
        raise Refusal("the resource asks for a Permit2 payment; the vault pays by EIP-3009 authorization")
    try:
        asset = parse_address(offer.asset)
        pay_to = parse_address(offer.pay_to)
    except WalletError as exc:
        raise WalletError(f"the resource's payment request is malformed ({exc})") from None
    token = next((entry for entry in wallet.config.tokens if entry.address == asset), None)
    if token is None:
        raise Refusal(f"the resource asks for an unknown asset {asset}; `agentwallet tokens add` makes it known")
    if pay_to == ZERO_ADDRESS or pay_to == wallet.guardrail.address:
        raise Refusal(f"the resource asks to be paid at {pay_to}, which no one can be paid at")
    if not _DIGITS.fullmatch(offer.amount) or int(offer.amount) == 0 or int(offer.amount) > UINT104_MAX:
        raise WalletError(f"the resource's price is not a whole number of base units above zero: "
                          f"{offer.amount[:40]!r}")
    if offer.max_timeout_seconds <= 0:
        raise WalletError("the resource's payment request gives the payment no time to arrive")
    found = Price(offer, token, pay_to, int(offer.amount), offer.max_timeout_seconds)
    if max_text is not None and found.amount > parse_amount(max_text, token.decimals, token.symbol):
        raise Refusal(f"the resource asks {found.text}, more than your --max of {max_text} {token.symbol}")
    return found


def _listed(values) -> str:
    return ", ".join(sorted({str(value)[:40] for value in values}))
