"""Outside text (token symbols from the chain, tool results, the request) made safe to show the model.

Two shapes: a *label* is a short name the model may say back in a call (a contact or a token
symbol), so it carries none of the call syntax's delimiters; *data* is a longer passage the
model reads but never acts on. Neither keeps control or format characters (newlines that fake
a new prompt section, bidi overrides), and both are bounded in length. Special tokens cannot
hide in either: prompts wrap untrusted spans in `mark`, and the runtime tokenizes marked spans
as plain text. The marks are private-use characters, which cleaning removes, so outside text
cannot forge them.
"""

from __future__ import annotations

import re
import unicodedata

LABEL_LIMIT = 24
DATA_LIMIT = 1500
_CALL_SYNTAX = re.compile(r'[(),="\\`]+')
_SPACES = re.compile(r"\s+")
MARK_START, MARK_END = "\ue000", "\ue001"


def _printable(text: str) -> str:
    """Control and format characters become spaces; everything else stays as written."""
    return "".join(
        " " if unicodedata.category(char).startswith("C") else char
        for char in unicodedata.normalize("NFKC", text)
    )


def label(text: str) -> str:
    """A one-line name with no call syntax in it, at most LABEL_LIMIT characters."""
    cleaned = _SPACES.sub(" ", _CALL_SYNTAX.sub(" ", _printable(text))).strip()
    return cleaned[:LABEL_LIMIT].rstrip()


def data(text: str, limit: int = DATA_LIMIT) -> str:
    """A passage the model reads as data: printable, bounded, with a marker where it was cut."""
    lines = (_SPACES.sub(" ", _printable(line)).strip() for line in text.splitlines())
    cleaned = "\n".join(line for line in lines if line)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def line(text: str, limit: int = DATA_LIMIT) -> str:
    """Data as one line (a request, a question, a fact): its lines joined by spaces."""
    return " ".join(data(text, limit).split())


def mark(text: str) -> str:
    """Wrap cleaned outside text so the runtime tokenizes it as plain text, never as control."""
    inner = text.replace(MARK_START, "").replace(MARK_END, "")
    return f"{MARK_START}{inner}{MARK_END}"
