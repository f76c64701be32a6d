"""The tools the agent may call (DESIGN section 3) and the plan it hands to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    name: str
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()


TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        Tool("send_native", frozenset({"to", "amount_wei"})),
        Tool("send_token", frozenset({"token", "to", "amount"})),
        Tool("set_limits", optional=frozenset({"daily_wei", "per_tx_wei", "period_s"})),  # at least one
        Tool("pause"),
        Tool("get_balances"),
        Tool("get_limits"),
        Tool("get_history", optional=frozenset({"limit"})),
        Tool("reply", frozenset({"text"})),
    )
}


@dataclass(frozen=True)
class Plan:
    """One tool call, its arguments as DESIGN states them, and why, in plain words."""

    tool: str  # a key of TOOLS
    args: dict[str, object]  # checksummed addresses; base-unit integer strings; `limit` an int
    rationale: str  # made from the model's words: untrusted, shown literally
