"""How well the agent answers a question from a read tool's facts: whether it chooses a fact
that answers it, and how long an answer takes.

    .venv/bin/python benchmarks/answers.py [--model PATH] [--threads 2]

Every answer is one of the given facts by construction, so what this measures is the model's
choice among them. The facts have the wording
agentwallet/conversation.py gives real wallet data; the questions are written apart from the
worked answers in agentwallet/agent/prompts.py.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from agentwallet.agent import Agent, bundled_model_path

BALANCES = ["The vault holds 10 ETH.", "The vault holds 1000 USDC.", "The vault holds 250 DAI."]
LIMITS = [
    "The agent is not paused.",
    "The agent may send at most 0.1 ETH per transaction.",
    "The agent may send at most 0.5 ETH every 1 day.",
    "Right now the agent can send 0.1 ETH.",
    "Right now the agent can send 50 USDC.",
]
PAUSED = ["The agent is paused: it can send nothing until you resume it.", *LIMITS[1:]]
HISTORY = [
    "A payment of 0.01 ETH to alice was carried out on 2026-11-27 06:55:41 UTC.",
    "A payment of 3.5 USDC to bob was denied on 2026-11-26 18:02:10 UTC.",
    "A change of the ETH limits was carried out on 2026-11-25 09:14:03 UTC.",
]
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
    for question, facts, wanted in CASES:
        started = time.perf_counter()
        answer = agent.answer(question, facts)
        seconds.append(time.perf_counter() - started)
        good += answer in wanted
        if answer not in wanted:
            print(f"  {question!r}\n      want {wanted}\n      got  {answer!r}")
    p95 = statistics.quantiles(seconds, n=20)[-1]
    print(f"{model.name}: {good}/{len(CASES)} answers are a fact that answers = {good / len(CASES):.0%}; "
          f"per answer median {statistics.median(seconds):.3f} s, p95 {p95:.3f} s")


if __name__ == "__main__":
    main()
