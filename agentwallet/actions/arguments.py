"""Turning a tool's arguments, from the agent or from `propose KEY=VALUE`, into checked values.

The result is what the proposal carries and the intent hash covers: EIP-55 addresses
resolved from contacts, amounts as base-unit integer strings. Anything else is refused here,
before a proposal exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentwallet.errors import WalletError
from agentwallet.units import UINT256_MAX

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet

TOOL_ARGUMENTS: dict[str, tuple[set[str], set[str]]] = {  # tool: (required, optional)
    "send_native": ({"to", "amount_wei"}, set()),
    "send_token": ({"token", "to", "amount"}, set()),
    "set_limits": (set(), {"daily_wei", "per_tx_wei", "period_s", "valid_until"}),
    "set_token_limits": ({"token"}, {"daily", "per_tx"}),
    "pause": (set(), set()),
    "resume": (set(), set()),
}
UINT96_MAX = 2**96 - 1


def normalise_arguments(wallet: Wallet, tool: str, args: dict[str, object]) -> dict[str, object]:
    if tool not in TOOL_ARGUMENTS:
        known = ", ".join(TOOL_ARGUMENTS)
        raise WalletError(f"unknown action {tool!r}: one of {known}")
    required, optional = TOOL_ARGUMENTS[tool]
    unknown = set(args) - required - optional
    if unknown:
        raise WalletError(f"{tool} takes no {', '.join(sorted(unknown))} (it takes {', '.join(sorted(required | optional)) or 'nothing'})")
    missing = required - set(args)
    if missing:
        raise WalletError(f"{tool} needs {', '.join(sorted(missing))}")
    if tool in ("set_limits", "set_token_limits") and not (set(args) - {"token"}):
        raise WalletError(f"{tool} needs at least one limit to change")
    result: dict[str, object] = {}
    for key, value in args.items():
        text = str(value).strip()
        if key == "to":
            result[key] = wallet.resolve_address(text)
        elif key == "token":
            result[key] = wallet.token(text).address
        else:
            result[key] = str(_base_units(key, text, positive=key in ("amount_wei", "amount", "period_s")))
    return result


def _base_units(key: str, text: str, positive: bool) -> int:
    if text.startswith("-"):
        raise WalletError(f"{key} must not be negative: {text}")
    if not text.isdigit():
        raise WalletError(f"{key} must be a whole number of base units, got {text!r}")
    value = int(text)
    if positive and value == 0:
        raise WalletError(f"{key} must be more than zero")
    limit = UINT96_MAX if key in ("daily_wei", "per_tx_wei") else UINT256_MAX
    if value > limit:
        raise WalletError(f"{key} is too large: {text}")
    return value
