"""How well the agent answers a question from a read tool's facts: whether it chooses a fact
that answers it, and how long an answer takes.

    .venv/bin/python benchmarks/answers.py [--model PATH] [--threads 2]

Every answer is one of the given facts by construction, so what this measures is the model's
choice among them. The facts are made by agentwallet/actions/facts.py from made-up read records;
the questions are written apart from the worked pairs in agentwallet/agent/prompts.py.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

from agentwallet.actions.facts import facts
from agentwallet.actions.reads import Balances, HistoryItem, HistoryReading, Holding, LimitsReading, Sendable
from agentwallet.agent import Agent, bundled_model_path

BALANCES = facts(Balances((Holding("ETH", "10"), Holding("USDC", "1000"), Holding("DAI", "250"))))
LIMIT_DATA = LimitsReading(paused=False, revoked=False, expires=None, expired=False, per_tx="0.1 ETH",
                           allowance="0.5 ETH", period_s=86_400,
                           sendable_now=(Sendable("ETH", "0.1 ETH"), Sendable("USDC", "50 USDC")))
LIMITS = facts(LIMIT_DATA)
PAUSED = facts(replace(LIMIT_DATA, paused=True))
HISTORY = facts(HistoryReading((
    HistoryItem("executed", "send_native", "alice", "0.01 ETH", "2026-11-27 06:55:41 UTC"),
    HistoryItem("denied", "send_token", "bob", "3.5 USDC", "2026-11-26 18:02:10 UTC"),
    HistoryItem("executed", "set_limits", None, None, "2026-11-25 09:14:03 UTC"),
)))
LONG_HISTORY = facts(HistoryReading(tuple(  # the most facts an answer chooses from (MAX_FACTS)
    HistoryItem("executed", "send_native", "carol" if day == 7 else "alice", f"0.0{day % 9 + 1} ETH",
                f"2026-11-{27 - day:02d} 10:00:00 UTC") for day in range(20)
)))
# (question, facts, the facts that answer it)
CASES = [
    ("how much eth do I have", BALANCES, [BALANCES[0]]),
    ("how much usdc is in the vault", BALANCES, [BALANCES[1]]),
    ("what's my dai balance", BALANCES, [BALANCES[2]]),
    ("what do I own", BALANCES, BALANCES),
    ("is the agent paused", LIMITS, [LIMITS[0]]),
    ("is the agent stopped right now", PAUSED, [PAUSED[0]]),
    ("what is the biggest single payment you may make", LIMITS, [LIMITS[1]]),
    ("how much may you spend per day", LIMITS, [LIMITS[2]]),
    ("how much eth can you send right now", LIMITS, [LIMITS[3]]),
    ("how much usdc can the agent still send", LIMITS, [LIMITS[4]]),
    ("what happened recently", HISTORY, [HISTORY[0]]),
    ("was the payment to bob denied", HISTORY, [HISTORY[1]]),
    ("did alice get paid", HISTORY, [HISTORY[0]]),
    ("when did the limits change", HISTORY, [HISTORY[2]]),
    ("when was carol paid", LONG_HISTORY, [LONG_HISTORY[7]]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="a GGUF file (default: the bundled model)")
    parser.add_argument("--threads", type=int, default=2)
    options = parser.parse_args()
    model = options.model or bundled_model_path()
    agent = Agent(model, n_threads=options.threads)
    agent.answer("warm up", BALANCES)
    good, seconds = 0, []
    for question, given, wanted in CASES:
        started = time.perf_counter()
        answer = agent.answer(question, given)
        seconds.append(time.perf_counter() - started)
        good += answer in wanted
        if answer not in wanted:
            print(f"  {question!r}\n      want {wanted}\n      got  {answer!r}")
    p95 = statistics.quantiles(seconds, n=20)[-1]
    print(f"{model.name}: {good}/{len(CASES)} answers are a fact that answers = {good / len(CASES):.0%}; "
          f"per answer median {statistics.median(seconds):.3f} s, p95 {p95:.3f} s")


if __name__ == "__main__":
    main()
