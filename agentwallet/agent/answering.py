"""Which of the scored facts make the answer: the best, and those nearly as good as it.

A question may ask for several facts ("what do I own": every balance; "what happened recently":
the latest entries), and the model's scores say so by being close: a fact within MARGIN of the
best (in log-likelihood of the question) answers too. The order is the one given: newest first,
ETH first, as the wallet wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence

MARGIN = 1.0  # nats of log-likelihood


def chosen(sentences: Sequence[str], scores: Sequence[float]) -> list[str]:
    best = max(scores)
    return [sentence for sentence, score in zip(sentences, scores, strict=True) if score >= best - MARGIN]
