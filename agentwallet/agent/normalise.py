"""From the model's call to a plan whose arguments are as docs/tools.md states them.

Contact names become checksummed addresses, amounts in units become base-unit integer
strings (exact Decimal arithmetic in `units`), periods become seconds. What cannot be made
exact is refused with a message the person can act on; nothing is guessed.
"""

from __future__ import annotations

import re

from agentwallet.agent.call import ToolCall
from agentwallet.agent.calls import Call, in_words, share_words
from agentwallet.agent.choices import Choices
from agentwallet.agent.context import KnownToken
from agentwallet.errors import WalletError
from agentwallet.units import NATIVE_UNITS, PERIOD_UNITS, format_amount, parse_address, parse_amount


def calls_for(call: Call, choices: Choices) -> tuple[ToolCall, ...]:
    """The tool calls of the model's call: one, or one payment to each recipient of a payment
    to several ("0.1 eth each", "30 usdc shared": 15 each, exact, or refused)."""
    if call.name != "send" or "share" not in call.said:
        return (plan_for(call, choices),)
    names = call.said["to"].split(", ")
    addresses = [recipient(name, choices) for name in names]
    if len(set(addresses)) < len(addresses):
        raise WalletError(f"the payment to {call.said['to']} names someone twice: say each one once")
    number, _, unit = call.said["amount"].partition(" ")
    token = None if unit.casefold() in NATIVE_UNITS else token_named(unit, choices)
    decimals = token.decimals if token else NATIVE_UNITS[unit.casefold()]
    base = int(_positive(parse_amount(number, decimals, unit), call.said["amount"]))
    if call.said["share"] == "shared":
        base, rest = divmod(base, len(addresses))
        if rest or not base:
            raise WalletError(f"{call.said['amount']} does not split evenly {len(addresses)} ways: "
                              "say each one's amount")
    words = [share_words(call, name, f"{format_amount(base, decimals)} {unit}") for name in names]
    if token is None:
        return tuple(ToolCall("send_native", {"to": to, "amount_wei": str(base)}, said)
                     for to, said in zip(addresses, words, strict=True))
    return tuple(ToolCall("send_token", {"token": parse_address(token.address), "to": to, "amount": str(base)}, said)
                 for to, said in zip(addresses, words, strict=True))


def plan_for(call: Call, choices: Choices) -> ToolCall:
    said = call.said
    match call.name:
        case "send":
            number, _, unit = said["amount"].partition(" ")
            to = recipient(said["to"], choices)
            if unit.casefold() in NATIVE_UNITS:
                tool, args = "send_native", {"to": to, "amount_wei": native_amount(said["amount"])}
            else:
                token = token_named(unit, choices)
                amount = _positive(parse_amount(number, token.decimals, unit), said["amount"])
                tool, args = "send_token", {"token": parse_address(token.address), "to": to, "amount": amount}
        case "set_limits":
            tool, args = call.name, {}
            if "daily" in said:
                args["daily_wei"] = native_amount(said["daily"])
            if "per_tx" in said:
                args["per_tx_wei"] = native_amount(said["per_tx"])
            if "period" in said:
                args["period_s"] = period_seconds(said["period"])
        case "get_history":
            tool, args = call.name, {"limit": int(said["limit"])} if "limit" in said else {}
        case "reply":
            tool, args = call.name, {"text": said["text"]}
        case "ask":
            tool = "ask_agent"
            agent = said["agent"]
            args = {"agent_id": agent.removeprefix("#")} if agent.startswith("#") else {"url": agent}
            if "question" in said:
                args["question"] = said["question"]
        case _:
            tool, args = call.name, {}
    return ToolCall(tool, args, in_words(call))


def recipient(name: str, choices: Choices) -> str:
    """A checksummed address from a contact's name or from an address written in the request."""
    if name in choices.addresses:
        return parse_address(choices.addresses[name])
    if name in choices.contacts:
        return parse_address(choices.contacts[name])
    same = [address for contact, address in choices.contacts.items() if contact.casefold() == name.casefold()]
    if len(same) != 1:
        raise WalletError(_nobody_to_pay(name, choices))
    return parse_address(same[0])


# What people ask of wallets that this one cannot do: a payment planned for such a request has
# picked some other word of it as the recipient ("swap 10 usdc for eth" to "for").
CANNOT = ("swap", "trade", "exchange", "convert", "buy", "sell", "bridge", "stake", "unstake", "lend", "borrow")


def _nobody_to_pay(name: str, choices: Choices) -> str:
    """Why a payment has no recipient, in words that hold in the command line and the TUI alike."""
    asked = next((word for word in re.findall(r"[^\W\d_]+", choices.request.casefold()) if word in CANNOT), None)
    if asked:
        return (f"the wallet cannot {asked}: it sends ETH or a token to a contact or a 0x address, "
                "changes the agent's limits and pauses it, and nothing else")
    return f"{name!r} is not one of your contacts: add {name} to your contacts first, or give the 0x address"


def token_named(name: str, choices: Choices) -> KnownToken:
    tokens = next((found for label, found in choices.tokens.items() if label.casefold() == name.casefold()), ())
    if not tokens:
        raise WalletError(f"the wallet knows no token called {name!r}: add the token's address to your tokens first")
    if len(tokens) > 1:
        addresses = ", ".join(token.address for token in tokens)
        raise WalletError(f"several tokens are called {name!r} ({addresses}); say which one by its address")
    return tokens[0]


def native_amount(said: str) -> str:
    """ "0.2 eth" or "5 gwei" as a wei integer string."""
    number, _, unit = said.partition(" ")
    return _positive(parse_amount(number, NATIVE_UNITS[unit.casefold()], unit), said)


def period_seconds(said: str) -> str:
    count, _, unit = said.partition(" ")
    return _positive(int(count) * PERIOD_UNITS[unit.removesuffix("s")], said)


def _positive(base_units: int, said: str) -> str:
    if base_units <= 0:
        raise WalletError(f"{said} is nothing to act on: give an amount above zero")
    return str(base_units)
