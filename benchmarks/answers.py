"""How well the agent answers a question from a read tool's facts: whether its answer says all
that was asked and nothing else, and how long an answer takes.

    .venv/bin/python benchmarks/answers.py [--model PATH] [--threads 2]

Every answer is made of the given facts by construction (actions/facts.py writes them from the
made-up read records below), so what this measures is the model's choice among them: an answer
is right when it has every fact the question asks for and none it does not allow. Two sets, both
written apart from the worked pairs in agentwallet/agent/prompts.py: the 15 questions the single-
fact answers were measured on (a question that asks for one fact allows only that one), and
questions that ask for several facts. Then the time to answer over a 20-entry history.
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

GOAL_SINGLE = 14
GOAL_SEVERAL = 0.9
GOAL_LONG_SECONDS = 1.0
TODAY = "2026-11-27"

BALANCES = facts(Balances((Holding("ETH", "10"), Holding("USDC", "1000"), Holding("DAI", "250"))))
LIMIT_DATA = LimitsReading(paused=False, revoked=False, expires=None, expired=False, per_tx="0.1 ETH",
                           allowance="0.5 ETH", period_s=86_400,
                           sendable_now=(Sendable("ETH", "0.1 ETH"), Sendable("USDC", "50 USDC")))
LIMITS = facts(LIMIT_DATA)  # not paused, per transaction, per period, ETH now, USDC now
PAUSED = facts(replace(LIMIT_DATA, paused=True))
HISTORY = facts(HistoryReading((
    HistoryItem("executed", "send_native", "alice", "0.01 ETH", "2026-11-27 06:55:41 UTC"),
    HistoryItem("denied", "send_token", "bob", "3.5 USDC", "2026-11-26 18:02:10 UTC"),
    HistoryItem("executed", "set_limits", None, None, "2026-11-25 09:14:03 UTC"),
), today=TODAY))
WEEK = facts(HistoryReading((
    HistoryItem("executed", "send_native", "carol", "0.2 ETH", "2026-11-27 15:10:00 UTC"),
    HistoryItem("denied", "send_native", "bob", "1 ETH", "2026-11-27 09:30:00 UTC"),
    HistoryItem("executed", "send_token", "alice", "25 USDC", "2026-11-26 20:00:00 UTC"),
    HistoryItem("denied", "send_token", "carol", "400 USDC", "2026-11-24 11:00:00 UTC"),
    HistoryItem("executed", "pause", None, None, "2026-11-22 08:00:00 UTC"),
), today=TODAY))
LONG_HISTORY = facts(HistoryReading(tuple(  # the most facts an answer chooses from (MAX_FACTS)
    HistoryItem("executed", "send_native", "carol" if day == 7 else "alice", f"0.0{day % 9 + 1} ETH",
                f"2026-11-{27 - day:02d} 10:00:00 UTC") for day in range(20)
), today=TODAY))

# (question, facts, the facts the answer must say, the facts it may say besides)
SINGLE = [
    ("how much eth do I have", BALANCES, [BALANCES[0]], []),
    ("how much usdc is in the vault", BALANCES, [BALANCES[1]], []),
    ("what's my dai balance", BALANCES, [BALANCES[2]], []),
    ("what do I own", BALANCES, BALANCES, []),
    ("is the agent paused", LIMITS, [LIMITS[0]], []),
    ("is the agent stopped right now", PAUSED, [PAUSED[0]], []),
    ("what is the biggest single payment you may make", LIMITS, [LIMITS[1]], []),
    ("how much may you spend per day", LIMITS, [LIMITS[2]], []),
    ("how much eth can you send right now", LIMITS, [LIMITS[3]], []),
    ("how much usdc can the agent still send", LIMITS, [LIMITS[4]], []),
    ("what happened recently", HISTORY, [HISTORY[0]], HISTORY[1:]),
    ("was the payment to bob denied", HISTORY, [HISTORY[1]], []),
    ("did alice get paid", HISTORY, [HISTORY[0]], []),
    ("when did the limits change", HISTORY, [HISTORY[2]], []),
    ("when was carol paid", LONG_HISTORY, [LONG_HISTORY[7]], []),
]
SEVERAL = [
    ("what do I own", BALANCES, BALANCES, []),
    ("list all my balances", BALANCES, BALANCES, []),
    ("which tokens are in the vault", BALANCES, BALANCES[1:], BALANCES[:1]),
    ("what happened today", WEEK, WEEK[:2], []),
    ("what happened recently", WEEK, WEEK[:2], WEEK[2:]),
    ("what did you do yesterday", WEEK, WEEK[2:3], []),
    ("which payments were denied", WEEK, [WEEK[1], WEEK[3]], []),
    ("what was sent to carol", WEEK, [WEEK[0]], [WEEK[3]]),
    ("what are my limits", LIMITS, LIMITS[1:3], LIMITS[:1] + LIMITS[3:]),
    ("what can the agent send right now", LIMITS, LIMITS[3:], []),
    ("how much may you send per payment and per day", LIMITS, LIMITS[1:3], []),
    ("show me the whole history", HISTORY, HISTORY, []),
]


def right(answer: str, given: list[str], must: list[str], may: list[str]) -> bool:
    said = [fact for fact in given if fact in answer]
    return " ".join(said) == answer and set(must) <= set(said) <= set(must) | set(may)


def run(agent: Agent, name: str, cases: list) -> tuple[int, list[float]]:
    good, seconds = 0, []
    for question, given, must, may in cases:
        started = time.perf_counter()
        answer = agent.answer(question, given)
        seconds.append(time.perf_counter() - started)
        if right(answer, given, must, may):
            good += 1
        else:
            print(f"  [{name}] {question!r}\n      want {must}" + (f" (may add {may})" if may else "")
                  + f"\n      got  {answer!r}")
    return good, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="a GGUF file (default: the bundled model)")
    parser.add_argument("--threads", type=int, default=2)
    options = parser.parse_args()
    model = options.model or bundled_model_path()
    agent = Agent(model, n_threads=options.threads)
    agent.answer("warm up", BALANCES)
    single, seconds = run(agent, "single", SINGLE)
    several, more = run(agent, "several", SEVERAL)
    seconds += more
    long = []
    for _ in range(5):
        started = time.perf_counter()
        agent.answer("when was carol paid", LONG_HISTORY)
        long.append(time.perf_counter() - started)
    p95 = statistics.quantiles(seconds, n=20)[-1]
    print(f"{model.name}, {options.threads} threads:")
    print(f"  single-fact questions: {single}/{len(SINGLE)} right (goal >= {GOAL_SINGLE}/{len(SINGLE)})")
    print(f"  questions asking for several facts: {several}/{len(SEVERAL)} = {several / len(SEVERAL):.0%} "
          f"complete and correct (goal >= {GOAL_SEVERAL:.0%})")
    print(f"  per answer: median {statistics.median(seconds):.3f} s, p95 {p95:.3f} s")
    print(f"  over a 20-entry history: median {statistics.median(long):.3f} s (goal <= {GOAL_LONG_SECONDS} s)")


if __name__ == "__main__":
    main()
