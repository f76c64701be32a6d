"""The tools the agent may call (DESIGN section 3) and the plan it hands to the pipeline.

The table is data: the planner's grammar, the prompt and the tests all read it, so a tool
exists in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    name: str
    purpose: str  # one line the model reads
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    changes_state: bool = False


TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        Tool("send_native", "send ETH to a contact or address",
             frozenset({"to", "amount_wei"}), changes_state=True),
        Tool("send_token", "send a token such as a stablecoin to a contact or address",
             frozenset({"token", "to", "amount"}), changes_state=True),
        Tool("set_limits", "change how much the agent may spend per day or per transaction",
             optional=frozenset({"daily_wei", "per_tx_wei", "period_s"}), changes_state=True),
        Tool("pause", "stop the agent from moving any money", changes_state=True),
        Tool("get_balances", "look up what the wallet holds"),
        Tool("get_limits", "look up the spending limits and what is left of them"),
        Tool("get_history", "look up past transactions and actions", optional=frozenset({"limit"})),
        Tool("reply", "answer in words when no other tool fits", frozenset({"text"})),
    )
}


@dataclass(frozen=True)
class Plan:
    """One tool call, its arguments normalised as DESIGN says, and why, in plain words."""

    tool: str
    args: dict[str, object]  # checksummed addresses; base-unit integer strings; limit an int
    rationale: str  # derived from what the model said, so shown as untrusted text
