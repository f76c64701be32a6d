"""The call language the model writes, read back into a `Call`.

One line per request, compact so the small model writes it in a dozen tokens:

    send_native(to=RECIPIENT, amount=AMOUNT UNIT)      UNIT is ETH, gwei or wei
    send_token(to=RECIPIENT, amount=AMOUNT TOKEN)
    set_limits(daily=AMOUNT UNIT, per_tx=AMOUNT UNIT, period=COUNT PERIOD)   any of the three, in this order
    pause()
    get_balances()
    get_limits()
    get_history()  or  get_history(limit=COUNT)
    reply("TEXT")

The grammar (grammar.py) lets the model write nothing else, and the names, amounts and
tokens it can use contain none of the delimiters `(),="`, so reading a line back is exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentwallet.errors import WalletError

_CALL = re.compile(r"(?P<tool>[a-z_]+)\((?P<args>.*)\)", re.DOTALL)
_REPLY = re.compile(r'"(?P<text>[^"]*)"')


@dataclass(frozen=True)
class Call:
    tool: str
    said: dict[str, str]  # argument -> the model's words, e.g. {"to": "bob", "amount": "0.2 ETH"}


def is_complete(text: str) -> bool:
    """Whether the model has finished its line (a reply's text cannot contain `")`)."""
    stripped = text.rstrip()
    return stripped.endswith('")') if stripped.startswith("reply(") else stripped.endswith(")")


def read_call(text: str) -> Call:
    match = _CALL.fullmatch(text.strip())
    if match is None:
        raise WalletError(f"the model did not finish its plan (it wrote {text[:80]!r}); ask again")
    tool, args = match["tool"], match["args"]
    if tool == "reply":
        reply = _REPLY.fullmatch(args)
        return Call(tool, {"text": reply["text"].strip() if reply else ""})
    said = dict(item.split("=", 1) for item in args.split(", ")) if args else {}
    return Call(tool, said)


def in_words(call: Call) -> str:
    """What the call will do, in the words the model used: the rationale shown for approval."""
    said = call.said
    match call.tool:
        case "send_native" | "send_token":
            return f"Send {said['amount']} to {said['to']}, as you asked."
        case "set_limits":
            changes = [
                f"{name} to {said[key]}"
                for key, name in (("daily", "the daily limit"), ("per_tx", "the per-transaction limit"),
                                  ("period", "the limit period"))
                if key in said
            ]
            return f"Set {' and '.join(changes)}, as you asked."
        case "pause":
            return "Pause the agent so it can move nothing until you resume it."
        case "get_balances":
            return "Look up what the wallet holds."
        case "get_limits":
            return "Look up the spending limits and what is left of them."
        case "get_history":
            count = said.get("limit")
            return f"Look up the last {count} actions." if count else "Look up the wallet's history."
        case _:
            return "No wallet tool fits this; answer in words."
