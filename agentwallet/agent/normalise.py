"""From the model's words to a plan with arguments as DESIGN states them.

Contact names become checksummed addresses, amounts in units become base-unit integer
strings (exact Decimal arithmetic in `units`), periods become seconds. What cannot be made
exact is refused with a message the person can act on; nothing is guessed.
"""

from __future__ import annotations

from agentwallet.agent.calls import Call, in_words
from agentwallet.agent.choices import NATIVE_UNITS, PERIOD_UNITS, Choices
from agentwallet.agent.context import KnownToken
from agentwallet.agent.tools import Plan
from agentwallet.errors import WalletError
from agentwallet.units import parse_address, parse_amount


def plan_for(call: Call, choices: Choices) -> Plan:
    said = call.said
    args: dict[str, object]
    match call.tool:
        case "send_native":
            args = {"to": recipient(said["to"], choices), "amount_wei": native_amount(said["amount"])}
        case "send_token":
            number, _, name = said["amount"].partition(" ")
            token = token_named(name, choices)
            args = {
                "token": token.address,
                "to": recipient(said["to"], choices),
                "amount": _positive(parse_amount(number, token.decimals, name), said["amount"]),
            }
        case "set_limits":
            args = {}
            if "daily" in said:
                args["daily_wei"] = native_amount(said["daily"])
            if "per_tx" in said:
                args["per_tx_wei"] = native_amount(said["per_tx"])
            if "period" in said:
                args["period_s"] = period_seconds(said["period"])
        case "get_history":
            args = {"limit": int(said["limit"])} if "limit" in said else {}
        case "reply":
            args = {"text": said["text"]}
        case _:
            args = {}
    return Plan(call.tool, args, in_words(call))


def recipient(name: str, choices: Choices) -> str:
    """A checksummed address from a contact's name or an address written in the request."""
    if name in choices.addresses:
        return parse_address(choices.addresses[name])
    matches = [address for contact, address in choices.contacts.items() if contact.casefold() == name.casefold()]
    if not matches:
        raise WalletError(
            f"{name!r} is not one of your contacts: add it with "
            f"`agentwallet contacts add {name} ADDRESS`, or give the 0x address"
        )
    return parse_address(matches[0])


def token_named(name: str, choices: Choices) -> KnownToken:
    tokens = next((found for label, found in choices.tokens.items() if label.casefold() == name.casefold()), ())
    if not tokens:
        raise WalletError(f"the wallet knows no token called {name!r}: add it with `agentwallet tokens add ADDRESS`")
    if len(tokens) > 1:
        addresses = ", ".join(token.address for token in tokens)
        raise WalletError(f"several tokens are called {name!r} ({addresses}); say which by its address")
    return tokens[0]


def native_amount(said: str) -> str:
    """ "0.2 ETH" or "5 gwei" as a wei integer string."""
    number, _, unit = said.partition(" ")
    return _positive(parse_amount(number, NATIVE_UNITS[unit], unit), said)


def period_seconds(said: str) -> str:
    count, _, unit = said.partition(" ")
    seconds = int(count) * PERIOD_UNITS[unit.removesuffix("s")]
    return _positive(seconds, said)


def _positive(base_units: int, said: str) -> str:
    if base_units <= 0:
        raise WalletError(f"{said} is nothing: give an amount above zero")
    return str(base_units)
