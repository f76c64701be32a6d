"""eth_getLogs over any range of blocks, whatever caps the node puts on one query.

Providers refuse a query over too many blocks (Alchemy: 500 on its free tier, QuickNode and
public nodes 10,000, some 100) or with too many results (Infura and geth: 10,000). A range
refusal teaches the span this node takes, kept for every later query (the caller may keep it
across runs); a result refusal splits that one window in two, since the next window may be
sparse. Where the node says what would work (Alchemy's "[0x…, 0x…]", Infura's data.to, "up
to a 500 block range") that is what is asked next, so a cap costs one refused call, not a
halving each.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agentwallet.chain.rpc import RpcError

FIRST_SPAN = 50_000  # blocks per query until the node says otherwise (anvil and most full nodes take it)
SUGGESTED = re.compile(r"\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]", re.IGNORECASE)
# "up to a 2K block range", "limited to a 10,000 range", "ranges over 10000 blocks", "max block range: 5000"
STATED_SPAN = re.compile(r"(\d[\d,]*)\s*(k)?\s*(?:blocks?\s*)?range|range\D{0,12}?(\d[\d,]*)\s*(k)?",
                         re.IGNORECASE)

Rpc = Callable[[str, list], object]


class LogReader:
    def __init__(self, rpc: Rpc, span: int = FIRST_SPAN):
        self.rpc = rpc
        self.span = max(1, span)

    def logs(self, query: dict, first: int, last: int) -> list[dict]:
        """Every log matching `query` (address, topics) from block `first` to `last`, in order."""
        found: list[dict] = []
        start = first
        while start <= last:
            end = min(start + self.span - 1, last)
            found += self._window(query, start, end)
            start = end + 1
        return found

    def _window(self, query: dict, start: int, end: int) -> list[dict]:
        try:
            return self.rpc("eth_getLogs", [{**query, "fromBlock": hex(start), "toBlock": hex(end)}])
        except RpcError as refused:
            if start == end or not (refused.too_many_blocks or refused.too_many_results):
                raise
            size = end - start + 1
            suggested = _suggested_size(refused, start)
            if refused.too_many_blocks:
                self.span = suggested if suggested is not None and suggested < size else max(1, size // 2)
                return self.logs(query, start, end)
            middle = start + (suggested if suggested is not None and suggested < size else size // 2) - 1
            return self._window(query, start, middle) + self._window(query, middle + 1, end)


def _suggested_size(refused: RpcError, start: int) -> int | None:
    """The blocks the node says a query from `start` may span, if it says."""
    if match := SUGGESTED.search(refused.message):
        first, last = (int(bound, 16) for bound in match.groups())
        if first == start and last >= first:
            return last - first + 1
    if isinstance(refused.data, dict) and isinstance(refused.data.get("to"), str):
        try:
            last = int(refused.data["to"], 16)
        except ValueError:
            last = -1
        if last >= start:
            return last - start + 1
    if refused.too_many_blocks and (match := STATED_SPAN.search(refused.message)):
        digits, thousands = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        count = int(digits.replace(",", "")) * (1000 if thousands else 1)
        if count > 0:
            return count
    return None
