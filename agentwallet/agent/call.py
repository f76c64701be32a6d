"""What the agent hands to the pipeline: tool calls of the registry (agentwallet/tools.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolCall:
    """One tool call, its arguments as docs/tools.md states them, and why, in plain words."""

    tool: str  # a name in agentwallet.tools.BY_NAME
    args: dict[str, object]  # checksummed addresses; base-unit integer strings; `limit` an int
    rationale: str  # made from the model's words: untrusted, shown literally


@dataclass(frozen=True)
class RequestPlan:
    """All the agent made of one request: its tool calls in the order asked, and the parts of
    the request it could not turn into a call. A request with such parts is never carried out
    in part as if it were whole (conversation.py refuses it and names them)."""

    calls: tuple[ToolCall, ...]
    not_planned: tuple[str, ...] = ()  # the request's own words: untrusted, shown literally

    @property
    def rationale(self) -> str:
        """The plan's reason: its calls' reasons, each once, in order (untrusted: the model's)."""
        return "; ".join(dict.fromkeys(call.rationale for call in self.calls if call.rationale))
