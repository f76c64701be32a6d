"""How well and how fast the agent plans requests of several actions, next to the goals.

    .venv/bin/python benchmarks/plans.py [--model PATH] [--threads 2] [--cache-dir DIR]

Runs every request of benchmarks/plan-requests.jsonl, requests of two to four actions written
apart from the agent's worked examples (pairs and triples of payments, ETH and tokens, "each",
"split", a payment with a limits change or a pause). A line is {"q": request, "steps": [...]},
each step {"tool": ..., "args": {...}} with "@alice" for that contact's address and "@USDC"
for the token's (benchmarks/agent.py's wallet). A plan is exact when it has every step right,
in order, and nothing it could not plan; a line with no steps is a request that cannot become
a whole plan, and is right when the agent says what it could not plan (or refuses it).
Timings are warm, one request at a time; the time goal is for the two-step plans. Next to the
seconds, what the model read (tokens, and llama.cpp decode calls): the same on any machine, while
seconds depend on its load (the load average is printed with them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's agentwallet, not the one installed

from agent import CONTEXT, expected_args  # noqa: E402

from agentwallet.agent import Agent, RequestPlan, bundled_model_path  # noqa: E402
from agentwallet.agent.runtime import Reading  # noqa: E402
from agentwallet.errors import WalletError  # noqa: E402

GOAL_EXACT = 0.90
GOAL_MEDIAN_SECONDS = 1.0  # per two-step plan, 2 threads


def exact(case: dict, planned: RequestPlan | None) -> bool:
    if not case["steps"]:
        return planned is None or bool(planned.not_planned)
    if planned is None or planned.not_planned:
        return False
    want = [(step["tool"], expected_args(step["args"])) for step in case["steps"]]
    return [(call.tool, call.args) for call in planned.calls] == want


def shown(planned: RequestPlan) -> str:
    steps = "; ".join(f"{call.tool} {call.args}" for call in planned.calls) or "no steps"
    return steps + (f"; not planned {list(planned.not_planned)}" if planned.not_planned else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the bundled model)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path, help="where the model keeps its reading of its openings")
    parser.add_argument("--requests", type=Path, default=ROOT / "benchmarks" / "plan-requests.jsonl")
    options = parser.parse_args()

    started = time.perf_counter()
    agent = Agent(options.model or bundled_model_path(), n_threads=options.threads, cache_dir=options.cache_dir)
    print(f"model ready in {time.perf_counter() - started:.2f} s ({options.threads} threads)")

    cases = [json.loads(line) for line in options.requests.read_text().splitlines() if line.strip()]
    two_steps: list[float] = []
    two_step_reads: list[Reading] = []
    misses: list[str] = []
    for case in cases:
        started, read_before = time.perf_counter(), agent.reading
        try:
            planned: RequestPlan | None = agent.plan_request(case["q"], CONTEXT)
            got = shown(planned)
        except WalletError as error:
            planned, got = None, f"WalletError: {error}"
        if len(case["steps"]) == 2:
            two_steps.append(time.perf_counter() - started)
            two_step_reads.append(agent.reading - read_before)
        if not exact(case, planned):
            want = "; ".join(f"{s['tool']} {expected_args(s['args'])}" for s in case["steps"]) or "not planned"
            misses.append(f"  {case['q']!r}\n      want {want}\n      got  {got}")
    hits = len(cases) - len(misses)
    share = f"{hits}/{len(cases)} exact plans = {hits / len(cases):.0%}"
    print(f"\n{options.requests.name}: {share} (goal >= {GOAL_EXACT:.0%})")
    print(f"two-step plans, warm, {options.threads} threads: median {statistics.median(two_steps):.3f} s "
          f"(goal <= {GOAL_MEDIAN_SECONDS}), max {max(two_steps):.3f} s over {len(two_steps)}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"  read per two-step plan: median {statistics.median(r.tokens for r in two_step_reads)} tokens "
          f"in {statistics.median(r.decodes for r in two_step_reads)} decodes, "
          f"max {max(r.tokens for r in two_step_reads)} tokens")
    print("\n".join(misses) if misses else "  no misses")


if __name__ == "__main__":
    main()
