"""Where one request asks for several things: the ways to cut it at its own joining words.

"pay alice 0.01 eth and bob 2 usdc, then pause" may be cut at "and" and at ", then". Code
offers only such places, joining words the request itself writes; which of them the request
is cut at is the model's choice (planner.py), made the way it chooses a call: every way of
cutting it, written out one part to a line, is scored after worked examples of requests and
their parts, and the likeliest wins. Each part is then planned as a request of its own, so a
part can only name the people and amounts written in it.
"""

from __future__ import annotations

import re
from itertools import combinations

MAX_PARTS = 5  # a plan has 1 to 5 steps (docs/cli.md)
MAX_PLACES = 8  # joining words considered, in the order written; a request with more is cut at those only

# ", then", "; ", ". ", " and then ", " and ", " then ", " plus ", " also ": what joins two asks.
# A comma inside a number (1,000) is no joint, and neither is a joint at either end.
_JOINT = re.compile(
    r"\s*(?:[,;](?!\d)(?:\s*(?:and\s+)?(?:then|also)\b)?|\.(?=\s)|(?<=\s)(?:and\s+then|and\s+also|and|then|plus|also)\b)\s*",
    re.IGNORECASE,
)


def places(request: str) -> list[tuple[int, int]]:
    """(start, end) of each joining word of `request` between two non-empty parts."""
    found = [(joint.start(), joint.end()) for joint in _JOINT.finditer(request)]
    return [(start, end) for start, end in found if request[:start].strip() and request[end:].strip()][:MAX_PLACES]


def cuttings(request: str) -> list[tuple[str, ...]]:
    """Every way of cutting `request` into 1 to MAX_PARTS parts at its joining words, the
    uncut request first; each part without the joining words around it."""
    joints = places(request)
    ways: list[tuple[str, ...]] = []
    for count in range(min(len(joints), MAX_PARTS - 1) + 1):
        for chosen in combinations(joints, count):
            starts = [0, *(end for _, end in chosen)]
            ends = [*(start for start, _ in chosen), len(request)]
            ways.append(tuple(request[start:end].strip() for start, end in zip(starts, ends, strict=True)))
    return ways
