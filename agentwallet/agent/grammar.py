"""GBNF grammars for a call's arguments (calls.py), narrowed to one request's choices.

With a call's name chosen, the model writes its arguments within this grammar and nothing
else: a recipient, amount or unit can only be one the request or the wallet offers. A call
whose arguments the request cannot supply (a payment with no number in it) has no grammar,
and so is not among the calls the model chooses from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations, permutations

from agentwallet.agent.calls import closing
from agentwallet.agent.choices import Choices

MAX_LIMIT_SETTINGS = 120  # alternatives written out for set_limits before falling back
_PIECE = re.compile(r'\s*("(?:\\.|[^"\\])*"|[\w-]+|\S)')  # a literal, a rule's name, or an operator
MAX_LISTED = 5  # recipients of one payment to several whose orders are written out; more may come in any order


def arguments_grammar(name: str, choices: Choices) -> str | None:
    """The grammar of what follows `opening(name)`, or None when the request cannot supply it."""
    rules: dict[str, str] = {}
    end = _literal(closing(name))
    if choices.amounts:
        rules["amount"] = _one_of(choices.amounts)
    if choices.counts:
        rules["count"] = _one_of(choices.counts)
    if choices.limit_amounts:
        rules["limit-amount"] = _one_of(choices.limit_amounts)
    if choices.durations:
        rules["duration"] = _one_of(choices.durations)
    match name:
        case "send":
            if not (choices.amounts and choices.recipients and choices.units):
                return None
            rules["to"] = _one_of(choices.recipients)
            rules["unit"] = _one_of(choices.units)
            root = f'to ", " amount " " unit {end}'
            if choices.shares:  # one amount for the several people it names: to each of them, or shared
                rules["share"] = _one_of(choices.shares)
                rules["several"] = _in_order(choices.recipients)
                root = f'several ", " amount " " unit " " share {end}'
        case "set_limits":
            if not (choices.limit_amounts or choices.durations):
                return None
            rules["native-unit"] = _one_of(choices.native_units)
            root = f"({_limit_settings(choices)}) {end}"
        case "get_history":
            root = f'("limit=" count)? {end}' if choices.counts else end
        case "ask":  # only another agent, or a skill's address, that the request names
            if not choices.agents:
                return None
            rules["agent"] = _one_of(choices.agents)
            if choices.questions:
                rules["question"] = _one_of(choices.questions)
                root = f'agent (", " question)? {end}'
            else:
                root = f"agent {end}"
        case _:
            root = end
    used = [name for name in rules if re.search(rf"(?<![\w-]){name}(?![\w-])", root + " ".join(rules.values()))]
    lines = [f"root ::= {root}", *(f"{name} ::= {rules[name]}" for name in used)]
    return "\n".join(lines) + "\n"


def only_text(grammar: str) -> str | None:
    """The one text `grammar` allows, when it allows no other (each rule a run of literals and
    rules, no alternatives or repeats); else None. Greedy writing within such a grammar can only
    write this text, so the model need not be asked for it token by token."""
    rules = dict(line.split(" ::= ", 1) for line in grammar.splitlines() if line)

    def text_of(name: str, within: frozenset[str]) -> str | None:
        written = ""
        for piece in _PIECE.findall(rules[name]):
            if piece.startswith('"'):
                written += re.sub(r"\\(.)", r"\1", piece[1:-1])
            elif piece in rules and piece not in within:
                inner = text_of(piece, within | {piece})
                if inner is None:
                    return None
                written += inner
            else:
                return None
        return written

    return text_of("root", frozenset({"root"}))


def _in_order(names: tuple[str, ...]) -> str:
    """Two or more of the names, each once, in the order the request writes them."""
    if len(names) > MAX_LISTED:
        return f"({_one_of(names)}) (\", \" ({_one_of(names)}))+"
    listed = [chosen for size in range(2, len(names) + 1) for chosen in combinations(names, size)]
    return " | ".join(' ", " '.join(map(_literal, chosen)) for chosen in listed)


def _one_of(words: Iterable[str]) -> str:
    return " | ".join(_literal(word) for word in words)


def _limit_settings(choices: Choices) -> str:
    """Every way to set one, two or three of the limits, in any order, where a number is used no
    more often than the request writes it: "0.3 eth per payment and 2 eth a day" may become
    per_tx=0.3 then daily=2, or the other way round, but never both limits at 0.3. A number
    written with a period unit ("every 12 hours", "12h") can only be the period, and the period
    only such a length of time, in the unit written. A request whose words say only "a day" (or
only "per payment") sets only that limit (choices.py). Past MAX_LIMIT_SETTINGS ways (a request
    full of numbers), the same orders of keys with any of the numbers in each place."""
    amounts = {amount: amount for amount in choices.limit_amounts}
    pools = {key: pool for key, pool in (("daily", amounts), ("per_tx", amounts), ("period", choices.durations))
             if key in choices.limit_keys}  # value -> what it comes from
    unit = {"daily": ' " " native-unit', "per_tx": ' " " native-unit', "period": ""}
    settings: list[str] = []

    def extend(written: tuple[tuple[str, str], ...]) -> None:
        if len(settings) > MAX_LIMIT_SETTINGS:
            return
        if written:
            settings.append(' ", " '.join(f'"{key}={value}"{unit[key]}' for key, value in written))
        for key, pool in pools.items():
            if all(key != used for used, _ in written):
                for value, source in pool.items():
                    if sum(pools[used][taken] == source for used, taken in written) < choices.times_written[source]:
                        extend((*written, (key, value)))

    extend(())
    if len(settings) <= MAX_LIMIT_SETTINGS:
        return " | ".join(settings)
    rule = {"daily": "limit-amount", "per_tx": "limit-amount", "period": "duration"}
    keys = [key for key, pool in pools.items() if pool]
    orders = [order for size in range(1, len(keys) + 1) for order in permutations(keys, size)]
    return " | ".join(' ", " '.join(f'"{key}=" {rule[key]}{unit[key]}' for key in order) for order in orders)


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
