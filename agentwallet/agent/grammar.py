"""GBNF grammars for a call's arguments (calls.py), narrowed to one request's choices.

With a call's name chosen, the model writes its arguments within this grammar and nothing
else: a recipient, amount or unit can only be one the request or the wallet offers. A call
whose arguments the request cannot supply (a payment with no number in it) has no grammar,
and so is not among the calls the model chooses from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agentwallet.agent.calls import closing
from agentwallet.agent.choices import PERIOD_UNITS, Choices

REPLY_LIMIT = 80  # characters of a reply's text


def arguments_grammar(name: str, choices: Choices) -> str | None:
    """The grammar of what follows `opening(name)`, or None when the request cannot supply it."""
    rules: dict[str, str] = {}
    end = _literal(closing(name))
    if choices.amounts:
        rules["amount"] = _one_of(choices.amounts)
    if choices.counts:
        rules["count"] = _one_of(choices.counts)
    match name:
        case "send":
            if not (choices.amounts and choices.recipients and choices.units):
                return None
            rules["to"] = _one_of(choices.recipients)
            rules["unit"] = _one_of(choices.units)
            root = f'to ", " amount " " unit {end}'
        case "set_limits":
            limits = []
            if choices.amounts:
                rules["native-unit"] = _one_of(choices.native_units)
                limits += ['"daily=" amount " " native-unit', '"per_tx=" amount " " native-unit']
            if choices.counts:
                rules["period-unit"] = f'({_one_of(PERIOD_UNITS)}) "s"?'
                limits.append('"period=" count " " period-unit')
            if not limits:
                return None
            root = f"{_in_order(limits)} {end}"
        case "get_history":
            root = f'("limit=" count)? {end}' if choices.counts else end
        case "reply":
            root = f'[^"\\\\\\x00-\\x1f]{{1,{REPLY_LIMIT}}} {end}'
        case _:
            root = end
    used = [name for name in rules if re.search(rf"(?<![\w-]){name}(?![\w-])", root + " ".join(rules.values()))]
    lines = [f"root ::= {root}", *(f"{name} ::= {rules[name]}" for name in used)]
    return "\n".join(lines) + "\n"


ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def answer_grammar(*sources: str) -> str:
    """Plain words, one line, in which every number (and 0x address) is one that `sources`
    contain: a small model may word an answer clumsily, but it cannot invent an amount."""
    found: list[str] = []
    for source in sources:
        found += ADDRESS.findall(source)
        found += NUMBER.findall(ADDRESS.sub(" ", source))
    text = 'text ::= [^0-9\\n\\x00-\\x1f]+'
    if not found:
        return f'root ::= text "\\n"?\n{text}\n'
    numbers = _one_of(sorted(set(found), key=lambda n: (-len(n), n)))
    return (f'root ::= (text (number text)* number? | number (text number)* text?) "\\n"?\n'
            f'number ::= {numbers}\n{text}\n')


def _one_of(words: Iterable[str]) -> str:
    return " | ".join(_literal(word) for word in words)


def _in_order(items: list[str]) -> str:
    """At least one of `items`, each at most once, in the given order, joined by ", "."""
    if len(items) == 1:
        return items[0]
    first, rest = items[0], items[1:]
    later = " ".join(f'(", " {item})?' for item in rest)
    return f"({first} {later} | {_in_order(rest)})"


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
