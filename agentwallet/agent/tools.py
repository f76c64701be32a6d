"""What the agent hands to the pipeline: one tool call of the registry (agentwallet/tools.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """One tool call, its arguments as docs/tools.md states them, and why, in plain words."""

    tool: str  # a name in agentwallet.tools.BY_NAME
    args: dict[str, object]  # checksummed addresses; base-unit integer strings; `limit` an int
    rationale: str  # made from the model's words: untrusted, shown literally
