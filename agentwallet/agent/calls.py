"""The call language the model writes, and reading it back.

One call per request, compact so that a small model writes it in a few tokens:

    send(RECIPIENT, NUMBER UNIT)        UNIT as the request spells it: eth, ETH, ether, gwei, wei or a token
    send(RECIPIENT, RECIPIENT, …, NUMBER UNIT each)     the amount to each of them
    send(RECIPIENT, RECIPIENT, …, NUMBER UNIT shared)   the amount split evenly between them
    set_limits(daily=NUMBER UNIT, per_tx=NUMBER UNIT, period=NUMBER PERIOD)   one, two or all, in any order
    pause()
    get_balances()
    get_limits()
    get_history()  or  get_history(limit=NUMBER)
    find_agents()
    ask(#ID, QUESTION)  or  ask(URL)  or  ask(URL, QUESTION)   QUESTION the request's own words
    reply(TOPIC)                        TOPIC one of agentwallet/about.py's: the reply is its sentences

Each call stands for the registry's tools whose `agent_call` it is (agentwallet/tools.py);
`send` stands for send_native when its unit is ETH's and for send_token when it is a token's,
since which one a payment is follows from what the person said to pay in. The grammar
(grammar.py) lets the model write nothing else, and what it can name carries none of the
delimiters `(),="`, so reading back is exact (an `ask`'s question, the request's own words, may
hold `,` and `=`: it is read as all that follows the first ", ", and holds no `)`). A reply is
not written by the model at all: it chooses the topic (planner.py) and the wallet's own
sentences are what is said.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentwallet import tools
from agentwallet.errors import WalletError

CALLS = tools.agent_calls()
TAKES_ARGUMENTS = frozenset(t.agent_call for t in tools.TOOLS if t.agent_call and t.arguments)


@dataclass(frozen=True)
class Call:
    name: str  # one of CALLS
    said: dict[str, str]  # argument -> the model's words, e.g. {"to": "bob", "amount": "0.2 eth"}


def opening(name: str) -> str:
    """What a call begins with, before its arguments."""
    return f"{name}("


def closing(name: str) -> str:
    """What ends a call; it occurs nowhere before the end, so seeing it means the call is done."""
    return ")"


def read_call(name: str, arguments: str) -> Call:
    """The call from its name and what the model wrote after `opening(name)`, closing included."""
    if not arguments.endswith(closing(name)):
        raise WalletError(f"the model did not finish its plan ({name}({arguments[:60]}…); ask again")
    body = arguments.removesuffix(closing(name))
    if name == "send":
        *to, amount = body.split(", ")
        number, unit, *share = amount.split(" ")
        return Call(name, {"to": ", ".join(to), "amount": f"{number} {unit}", **({"share": share[0]} if share else {})})
    if name == "ask":
        agent, _, question = body.partition(", ")
        return Call(name, {"agent": agent, **({"question": question} if question else {})})
    return Call(name, dict(item.split("=", 1) for item in body.split(", ")) if body else {})


def share_words(call: Call, to: str, share: str) -> str:
    """One payment of a call that pays several: what it pays, and how; it names no other
    recipient or amount, since the review reads a step's rationale for those."""
    how = "the same to each" if call.said["share"] == "each" else "an equal share"
    return f"Send {share} to {to}, as you asked: {how}."


def in_words(call: Call) -> str:
    """What the call will do, in the words the model used: the rationale shown for approval."""
    said = call.said
    match call.name:
        case "send":
            return f"Send {said['amount']} to {said['to']}, as you asked."
        case "set_limits":
            names = {"daily": "the daily limit", "per_tx": "the per-transaction limit", "period": "the limit period"}
            changes = " and ".join(f"{names[key]} to {value}" for key, value in said.items())
            return f"Set {changes}, as you asked."
        case "pause":
            return "Pause the agent, so that it can move nothing until you resume it."
        case "get_balances":
            return "Look up what the wallet holds."
        case "get_limits":
            return "Look up the spending limits and what is left of them."
        case "get_history":
            return f"Look up the last {said['limit']} actions." if "limit" in said else "Look up the wallet's history."
        case "find_agents":
            return "Look up the other agents the registry knows."
        case "ask":
            asked = f": {said['question']}" if "question" in said else ""
            return f"Ask {said['agent']}{asked}, as you asked; its price is shown to you before anything is paid."
        case _:
            return "No wallet tool fits; answer in words."
