"""The agent: a request in, one proposed tool call out; a read tool's result in, plain words out.

The model chooses the tool and its arguments. Code narrows what it can say (the grammar
offers only names, numbers and tokens the request and wallet contain) and makes what it
said exact (normalise.py); it never picks the tool in the model's place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from agentwallet.agent.calls import is_complete, read_call
from agentwallet.agent.choices import choices_for
from agentwallet.agent.context import WalletContext
from agentwallet.agent.grammar import grammar_for
from agentwallet.agent.normalise import plan_for
from agentwallet.agent.prompts import PLANNER_OPENING, answer_prompt, planner_prompt
from agentwallet.agent.runtime import Runtime
from agentwallet.agent.tools import Plan

CALL_TOKENS = 96  # more than the longest call the grammar allows
ANSWER_TOKENS = 120
_LOADED = 0.3  # share of the start-up progress bar spent loading weights; reading the opening is the rest


class Agent:
    def __init__(
        self,
        model_path: Path,
        n_threads: int = 2,
        n_gpu_layers: int = 0,
        progress: Callable[[float], None] | None = None,
    ) -> None:
        report = progress or (lambda _fraction: None)
        report(0.0)
        self._runtime = Runtime(model_path, n_threads=n_threads, n_gpu_layers=n_gpu_layers)
        report(_LOADED)
        self._runtime.prepare(PLANNER_OPENING, lambda done: report(_LOADED + (1 - _LOADED) * done))

    def plan(self, request: str, context: WalletContext) -> Plan:
        """The one tool call the model proposes for `request`; a WalletError if it cannot be made exact."""
        choices = choices_for(request, context)
        said = self._runtime.complete(
            planner_prompt(choices), grammar_for(choices), max_tokens=CALL_TOKENS, until=is_complete
        )
        return plan_for(read_call(said), choices)

    def answer(self, request: str, tool_result: str, stream: Callable[[str], None] | None = None) -> str:
        """Plain words that answer `request` from a read tool's result, streamed as they come."""
        text = self._runtime.complete(answer_prompt(request, tool_result), max_tokens=ANSWER_TOKENS, on_text=stream)
        return text.strip()
