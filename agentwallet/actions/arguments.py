"""Turning a tool's arguments, from the agent or from `propose KEY=VALUE`, into checked values.

The result is what the proposal carries and the intent hash covers: EIP-55 addresses
resolved from contacts, amounts as base-unit integer strings. Which arguments a tool takes,
and of what type, is the registry's (agentwallet/tools.py); anything else is refused here,
before a proposal exists.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agentwallet import tools
from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet
    from agentwallet.config import Config

_WHOLE_NUMBER = re.compile(r"[0-9]+")  # ASCII digits only: "²" and "١٠" are not amounts


def normalise_arguments(wallet: Wallet | Config, tool_name: str, args: dict[str, object]) -> dict[str, object]:
    """Recipients and tokens are looked up in the config's contacts and tokens: the wallet's, or
    the config alone where no wallet is opened (`ask --dry-run`)."""
    tool = tools.tool(tool_name)
    if tool is None or not tool.is_proposal:
        known = ", ".join(t.name for t in tools.proposal_tools())
        raise WalletError(f"unknown action {tool_name!r}: one of {known}")
    unknown = set(args) - tool.required - tool.optional
    if unknown:
        takes = ", ".join(sorted(tool.required | tool.optional)) or "nothing"
        raise WalletError(f"{tool.name} takes no {', '.join(sorted(unknown))} (it takes {takes})")
    missing = tool.required - set(args)
    if missing:
        raise WalletError(f"{tool.name} needs {', '.join(sorted(missing))}")
    if tool.changes_something and not set(args) & tool.optional:
        raise WalletError(f"{tool.name} needs at least one limit to change")
    result: dict[str, object] = {}
    for key, value in args.items():
        argument = tool.argument(key)
        text = str(value).strip()
        if argument.type == "address":
            result[key] = wallet.resolve_address(text)
        elif argument.type == "token":
            result[key] = wallet.token(text).address
        elif argument.type == "text":
            result[key] = text
        else:
            result[key] = str(_whole_number(argument, text))
    return result


def _whole_number(argument: tools.Argument, text: str) -> int:
    key = argument.name
    if text.startswith("-"):
        raise WalletError(f"{key} must not be negative: {text}")
    if not _WHOLE_NUMBER.fullmatch(text):
        raise WalletError(f"{key} must be a whole number of base units written in digits 0-9, got {text!r}")
    value = int(text)
    if argument.type in ("amount", "seconds", "count") and value == 0:
        raise WalletError(f"{key} must be more than zero")
    if value > argument.maximum:
        raise WalletError(f"{key} is too large: {text} (at most {argument.maximum})")
    return value
