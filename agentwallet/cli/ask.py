"""`agentwallet ask "REQUEST"`: one agent turn without the TUI.

The model loads and plans the request in a thread while this one opens the wallet: planning
needs only the config's contacts and tokens, and the model's work is llama.cpp's, which lets go
of the GIL, so on two cores the start is the longer of the two rather than their sum (issue 11).
`--dry-run` opens no wallet: its plan is checked against the config's contacts and tokens alone,
so it needs neither the chain nor the keys, nor the wallet's imports competing with the model.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from agentwallet import config as config_module
from agentwallet import tools
from agentwallet.actions.arguments import normalise_arguments
from agentwallet.agent import Agent, RequestPlan, load_configured_agent, wallet_context
from agentwallet.config import Config
from agentwallet.display import literal
from agentwallet.errors import WalletError


class Planning(threading.Thread):
    """The configured model, loaded with its progress on stderr (a percentage that counts up at
    a terminal, one line before and after otherwise: logs stay short), and its plan of `request`.

    Not a daemon: a process that ends while llama.cpp computes waits for it rather than tearing
    the library down under it."""

    def __init__(self, home: Path, config: Config, request: str):
        super().__init__(name="planning")
        self._home, self._config, self._request = home, config, request
        self._result: tuple[Agent, RequestPlan] | None = None
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            agent = _load_agent(self._home, self._config)
            self._result = agent, agent.plan_request(self._request, wallet_context(self._config))
        except BaseException as error:  # noqa: B036 -- raised again in the thread that waits for it
            self._error = error

    def result(self) -> tuple[Agent, RequestPlan]:
        self.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


def _load_agent(home: Path, config: Config) -> Agent:
    at_terminal = sys.stderr.isatty()
    shown = -1

    def progress(fraction: float) -> None:
        nonlocal shown
        percent = int(fraction * 100)
        if at_terminal and percent != shown:
            print(f"\r… loading the model {percent}%", end="", file=sys.stderr, flush=True)
        shown = percent

    if not at_terminal:
        print("… loading the model", file=sys.stderr)
    agent = load_configured_agent(home, config, progress)
    print("\r… model ready" + " " * 12 if at_terminal else "… model ready", file=sys.stderr)
    return agent


def cmd_ask(args: argparse.Namespace) -> int:
    home = config_module.home_dir()
    config = config_module.load_config(home)
    if not config.guardrail:  # said at once, with no model loaded for it
        raise WalletError(config_module.NOT_SET_UP)
    planning = Planning(home, config, args.request)
    planning.start()
    if args.dry_run:
        return _print_planned(config, planning.result()[1], args.json)
    # Imported once the model is loading: the wallet's side (web3, eth-account) is seconds of
    # imports, which the thread's llama.cpp work overlaps.
    from agentwallet import conversation
    from agentwallet.actions import pipeline
    from agentwallet.cli.commands import (
        _open,
        _progress,
        _report,
        _report_plan,
        _require_decision_source,
        decider,
        plan_decider,
    )

    wallet = _open()
    agent, planned = planning.result()
    conversation.check_whole(planned)
    asks_agent = any(tools.BY_NAME[call.tool].kind == "ask" for call in planned.calls)
    if asks_agent or any(tools.BY_NAME[call.tool].is_proposal for call in planned.calls):
        _require_decision_source(args)  # before anything is journaled
    if asks_agent and args.yes and args.max is None:
        raise WalletError("--yes needs --max for a question to another agent's paid skill: say the most you "
                          "will pay without being asked")
    stream = None if args.json else (lambda text: print(literal(text), end="", flush=True))
    turn = conversation.respond(agent, wallet, args.request, planned, stream=stream, progress=_progress,
                                max_text=args.max)
    if turn.asked is not None:
        from agentwallet.cli.payment import finish

        return finish(wallet, turn.asked, decider(args), _progress, args.json)
    if turn.plan_review is not None:
        outcomes = pipeline.settle_plan(wallet, turn.plan_review, plan_decider(args)(turn.plan_review), _progress)
        return _report_plan(turn.plan_review, outcomes, args.json)
    if turn.review is None:
        tool = turn.call.tool
        if args.json:
            from agentwallet.cli.render import print_json

            data = None if turn.tool_result is None else json.loads(turn.tool_result)
            print_json({"tool": tool, "answer": turn.answer, "data": data})
        else:
            print()
            if turn.tool_result is not None:  # the model's chosen fact may miss the point; the data is all of it
                print(f"from the wallet ({tool}):")
                print("\n".join(f"  {line}" for line in _data_lines(turn.tool_result)))
        return 0
    outcome = pipeline.settle(wallet, turn.review, decider(args)(turn.review), _progress)
    return _report(outcome, args.json)


def _print_planned(config: Config, planned: RequestPlan, as_json: bool) -> int:
    """`ask --dry-run`: the calls the agent made of the request, changing nothing (one call as a
    JSON object, several as {"tool": "plan", "steps": [...], "rationale"}; what it could not plan
    under "not_planned"), their recipients and tokens looked up in `config`."""
    calls = []
    for call in planned.calls:
        call_args = dict(call.args)
        if tools.BY_NAME[call.tool].is_proposal:
            call_args = normalise_arguments(config, call.tool, call_args)
        calls.append({"tool": call.tool, "args": call_args, "rationale": call.rationale})
    if as_json:
        shown: dict = calls[0] if len(calls) == 1 and not planned.not_planned else {
            "tool": "plan", "steps": calls, "rationale": planned.rationale}
        if planned.not_planned:
            shown["not_planned"] = list(planned.not_planned)
        print(json.dumps(shown, ensure_ascii=False))
    else:
        for position, call in enumerate(calls, start=1):
            prefix = f"{position}. " if len(calls) > 1 else ""
            print(f"{prefix}{call['tool']} {json.dumps(call['args'])}\n  rationale: \"{literal(call['rationale'])}\"")
        for part in planned.not_planned:
            print(f"not planned: \"{literal(part)}\"")
    return 0


def _data_lines(tool_result: str) -> list[str]:
    """A read tool's JSON as lines a person reads: `key: value` each, or one line per entry."""
    data = json.loads(tool_result)
    if isinstance(data, dict):
        return [literal(f"{key}: {value}") for key, value in data.items()]
    return [literal(", ".join(f"{key} {value}" for key, value in entry.items())) for entry in data] or ["(none)"]
