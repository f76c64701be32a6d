"""A flag: something the person should know about a proposal before deciding on it.

A critical flag says that what will happen is not what was asked, or that it needs the
person (the owner's key, a paused wallet): `--yes` never approves past one, and the TUI
asks for it to be acknowledged (`k`) before `a` works.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    name: str
    text: str
    critical: bool = False
