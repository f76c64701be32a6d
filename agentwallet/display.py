"""Showing untrusted text (from the model or the chain) exactly as it is, and harmlessly.

Control characters, terminal escape sequences included, are shown as visible \\xNN escapes,
so a token symbol can neither colour nor move nor clear the terminal. The TUI wraps the
result in rich.text.Text, so markup such as [b red] is shown as typed, too.
"""

from __future__ import annotations

import unicodedata

MAX_UNTRUSTED_LENGTH = 2_000


def literal(text: str, limit: int = MAX_UNTRUSTED_LENGTH) -> str:
    if len(text) <= limit and text.isprintable():
        return text  # str.isprintable is false for exactly the categories _visible escapes
    shown = "".join(_visible(ch) for ch in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def _visible(ch: str) -> str:
    if ch == " " or not unicodedata.category(ch).startswith(("C", "Z")):
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
