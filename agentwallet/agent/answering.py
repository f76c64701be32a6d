"""Which of the scored facts make the answer, by what the question asks for.

The model chooses the question's scope the way it chooses a call: it reads the question after
each scope's worked examples (examples.QUESTIONS), and the likeliest wins.
- "fit": the facts that answer it, as the model scores them: how much likelier the question is
  after a fact than a content-free question is there (so that a fact is not chosen for being
  one after which any question is likely), the best and those within MARGIN of it.
- "every": all of them ("what do I own", "the whole history", "what are my limits").
- "day": the facts that say a day the question names ("today", "yesterday", "Mar 3", in the
  wallet's words for days: days.py); those that fit when no fact says it.
Code only makes the chosen scope exact; which facts fit is the model's judgement. The order is
the one given: newest first, ETH first, as the wallet wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence

from agentwallet import days

SCOPES = ("fit", "every", "day")
MARGIN = 1.0  # nats of log-likelihood


def chosen(question: str, facts: Sequence[str], scope: str, fit: Sequence[float],
           anything: Sequence[float]) -> list[str]:
    """The facts that answer `question` in `scope`; fit[i] is log P(question | facts[i]) and
    anything[i] log P(a content-free question | facts[i])."""
    if scope == "every":
        return list(facts)
    if scope == "day" and (that_day := [fact for fact in facts if days.named(fact) & days.named(question)]):
        return that_day
    weighed = [score - plain for score, plain in zip(fit, anything, strict=True)]
    best = max(weighed)
    return [fact for fact, score in zip(facts, weighed, strict=True) if score >= best - MARGIN]
