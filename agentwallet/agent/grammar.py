"""The GBNF grammar of the call language (calls.py), narrowed to one request's choices.

The model can write a call to a tool of the table and nothing else; where an argument names
something, it can only name what the request or the wallet offers. A tool whose arguments
the request cannot supply (a send with no number in the request) is not offered at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from agentwallet.agent.choices import NATIVE_UNITS, PERIOD_UNITS, Choices

REPLY_LIMIT = 80  # characters of a reply's text


def grammar_for(choices: Choices) -> str:
    rules: dict[str, str] = {}
    calls = ['"pause()"', '"get_balances()"', '"get_limits()"', "history", "reply"]
    rules["history"] = '"get_history(" ("limit=" count)? ")"' if choices.counts else '"get_history()"'
    rules["reply"] = f'"reply(\\"" [^"\\\\\\x00-\\x1f]{{1,{REPLY_LIMIT}}} "\\")"'
    if choices.amounts:
        rules["amount"] = _one_of(choices.amounts)
        rules["unit"] = _one_of(NATIVE_UNITS)
        limits = ['"daily=" amount " " unit', '"per_tx=" amount " " unit']
        if choices.counts:
            limits.append('"period=" count " " period-unit')
            rules["period-unit"] = f"({_one_of(PERIOD_UNITS)}) \"s\"?"
        rules["limits"] = '"set_limits(" ' + _in_order(limits) + ' ")"'
        calls.insert(0, "limits")
        if choices.recipients:
            rules["to"] = _one_of(choices.recipients)
            rules["send-native"] = '"send_native(to=" to ", amount=" amount " " unit ")"'
            calls.insert(0, "send-native")
            if choices.token_labels:
                rules["token"] = _one_of(choices.token_labels)
                rules["send-token"] = '"send_token(to=" to ", amount=" amount " " token ")"'
                calls.insert(1, "send-token")
    if choices.counts:
        rules["count"] = _one_of(choices.counts)
    lines = [f"root ::= {' | '.join(calls)}"]
    lines += [f"{name} ::= {body}" for name, body in rules.items()]
    return "\n".join(lines) + "\n"


def _one_of(words: Iterable[str]) -> str:
    return " | ".join(_literal(word) for word in words)


def _in_order(items: list[str]) -> str:
    """At least one of `items`, each at most once, in the given order."""
    if len(items) == 1:
        return items[0]
    first, rest = items[0], items[1:]
    tail = " ".join(f'(", " {item})?' for item in rest)
    return f"({first} {tail} | {_in_order(rest)})"


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
