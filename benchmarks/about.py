"""How the agent answers questions about the wallet itself, and small talk: whether every answer
is true (made only of the wallet's own sentences, agentwallet/about.py, or a read's facts), and
whether it is on the topic asked.

    .venv/bin/python benchmarks/about.py [--model PATH] [--threads 2] [--questions FILE]

benchmarks/about-questions.jsonl: questions about the wallet and small talk, each with the
topics of about.py that answer it and the reads whose facts answer it too ("reads"). A question
answered by a proposal, or by a reply that is not about.py's, is a miss of both counts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python benchmarks/about.py`, as the other benchmarks are

from agentwallet import about, tools  # noqa: E402
from agentwallet.agent import Agent, bundled_model_path  # noqa: E402
from benchmarks.agent import CONTEXT  # noqa: E402

QUESTIONS = ROOT / "benchmarks" / "about-questions.jsonl"
GOAL_TRUE = 1.0


def topic_of(reply: str) -> str | None:
    """The topic whose sentences `reply` is, or None when it is not the wallet's own."""
    for topic in about.TOPICS.values():
        said = [sentence for sentence in topic.sentences if sentence in reply]
        # all of them; or of a one_of topic, one, or those on each subject the message names, in order
        if said and reply == " ".join(said) and (topic.one_of or said == list(topic.sentences)):
            return topic.name
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None, help="a GGUF file (default: the bundled model)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    options = parser.parse_args()
    agent = Agent(options.model or bundled_model_path(), n_threads=options.threads)
    cases = [json.loads(line) for line in options.questions.read_text().splitlines() if line.strip()]
    true, on_topic, seconds = 0, 0, []
    for case in cases:
        started = time.perf_counter()
        call = agent.plan(case["q"], CONTEXT)
        seconds.append(time.perf_counter() - started)
        kind = tools.BY_NAME[call.tool].kind
        topic = topic_of(str(call.args["text"])) if kind == "reply" else None
        is_true = kind == "read" or topic is not None
        right = topic in case["topics"] or call.tool in case.get("reads", ())
        true += is_true
        on_topic += right
        if not right:
            print(f"  {case['q']!r} -> {call.tool} {topic or ''}")
    print(f"{options.questions.name}: {len(cases)} questions about the wallet and small talk, "
          f"{options.threads} threads")
    print(f"  true answers (the wallet's own sentences or a read's facts): {true}/{len(cases)} = "
          f"{true / len(cases):.0%} (goal {GOAL_TRUE:.0%})")
    print(f"  on the topic asked: {on_topic}/{len(cases)} = {on_topic / len(cases):.0%}")
    print(f"  per question: median {statistics.median(seconds):.3f} s, max {max(seconds):.3f} s")


if __name__ == "__main__":
    main()
