"""What an x402 payment proposal (`pay_for`) asks the vault to sign: the EIP-3009
authorization the agent approves through the guardrail's authorize_payment (docs/guardrail.md),
rebuilt from the proposal's arguments alone, so the journal is enough to retry the request."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agentwallet.actions.proposal import Proposal
from agentwallet.chain.eip3009 import Authorization
from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet

_NONCE = re.compile(r"0x[0-9a-fA-F]{64}")


def authorization_of(wallet: Wallet, proposal: Proposal) -> tuple[str, Authorization]:
    """The token and the EIP-3009 authorization a pay_for proposal asks the vault to make."""
    args = proposal.args
    nonce = str(args["nonce"])
    if not _NONCE.fullmatch(nonce):
        raise WalletError(f"nonce must be 0x and 64 hex digits, got {nonce!r}")
    authorization = Authorization(wallet.guardrail.address, str(args["to"]), int(str(args["amount"])), 0,
                                  int(str(args["valid_before"])), bytes.fromhex(nonce[2:]))
    return str(args["token"]), authorization
