"""Reading the argument grammars back as Python regular expressions, to test which calls they
let the model write. Enough of GBNF for grammar.py's argument grammars (which do not recurse):
quoted literals, rule names, groups, alternatives and the ? * + repeats."""

from __future__ import annotations

import re

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}
_TOKEN = re.compile(r'\s*("(?:\\.|[^"\\])*"|[\w-]+|[()|?*+])')


def language(grammar: str) -> re.Pattern[str]:
    rules = dict(line.split(" ::= ", 1) for line in grammar.strip().splitlines())
    return re.compile(_expression(rules, "root") + r"\Z")


def _expression(rules: dict[str, str], name: str) -> str:
    parts = []
    for token in _TOKEN.findall(rules[name]):
        if token.startswith('"'):
            parts.append(re.escape(re.sub(r"\\(.)", lambda escaped: _ESCAPES.get(escaped[1], escaped[1]), token[1:-1])))
        elif token in "()|?*+":
            parts.append("(?:" if token == "(" else token)
        else:
            parts.append(f"(?:{_expression(rules, token)})")
    return "".join(parts)
