"""The agent's ETH spending per allowance window, as bars against the allowance line.

Windows are the guardrail's own: `period` seconds long, the current one ending at
`resets_at`. Earlier windows are counted back from it, so each bar is what the agent spent
in one window, and the dashed line is what it may spend in one. Only the windows since the
policy began (or the first spend, if earlier) are drawn, as wide as the chart allows, and the
allowance line only over the windows the current policy holds: before its last change, the
allowance was another.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from rich.text import Text
from textual.widget import Widget

from agentwallet.tui.format import amount, duration

EIGHTHS = " ▁▂▃▄▅▆▇█"
AXIS_WIDTH = 9
GAP = 2  # between two bars
LEAST_COLUMN = 5  # a bar of 3 and the gap
MOST_COLUMN = 12  # a few windows are drawn wider, not squeezed into a corner
BAR_ROWS = 5
MAX_WINDOWS = 14


@dataclass(frozen=True)
class Spending:
    spends: Sequence[tuple[int, int]]  # (timestamp, wei)
    allowance: int
    period: int
    resets_at: int
    since: int  # when the current policy began: its windows and allowance hold from then


def windows_to_draw(spending: Spending, fit: int) -> int:
    """How many windows the chart draws: those since the policy began or the first spend, at most
    `fit` (and MAX_WINDOWS), at least the current one."""
    period = max(spending.period, 1)
    earliest = min([spending.since, *(timestamp for timestamp, _ in spending.spends)])
    since_earliest = -(-(spending.resets_at - earliest) // period)  # rounded up
    return max(1, min(fit, MAX_WINDOWS, since_earliest))


def spent_per_window(spending: Spending, count: int) -> list[tuple[int, int]]:
    """(window start, wei spent in it) for the last `count` windows, oldest first."""
    period = max(spending.period, 1)
    starts = [spending.resets_at - period * (count - i) for i in range(count)]
    totals = [0] * count
    for timestamp, wei in spending.spends:
        index = count - 1 - (spending.resets_at - 1 - timestamp) // period
        if 0 <= index < count:
            totals[index] += wei
    return list(zip(starts, totals, strict=True))


class SpendingChart(Widget):
    COMPONENT_CLASSES = {"spending-chart--bar", "spending-chart--limit", "spending-chart--axis"}

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.spending: Spending | None = None

    def show(self, spending: Spending) -> None:
        self.spending = spending
        self.refresh()

    def render(self) -> Text:
        if self.spending is None or self.spending.period == 0:
            said = "loading…" if self.spending is None else "no spending policy yet"
            return Text(said, style=self.get_component_rich_style("spending-chart--axis"))
        room = self.size.width - AXIS_WIDTH
        count = windows_to_draw(self.spending, room // LEAST_COLUMN)
        column = max(LEAST_COLUMN, min(MOST_COLUMN, room // count))
        bar = column - GAP
        windows = spent_per_window(self.spending, count)
        held = [start >= self.spending.since for start, _ in windows]  # windows of the current policy
        allowance = self.spending.allowance
        top = max([allowance, *(total for _, total in windows)]) or 1
        heights = [round(total / top * BAR_ROWS * 8) for _, total in windows]
        limit_row = max(0, math.ceil(allowance / top * BAR_ROWS) - 1) if allowance else None
        bar_style = self.get_component_rich_style("spending-chart--bar")
        limit_style = self.get_component_rich_style("spending-chart--limit")
        axis_style = self.get_component_rich_style("spending-chart--axis")

        text = Text(no_wrap=True, end="")
        for row in reversed(range(BAR_ROWS)):
            label = amount(top) if row == BAR_ROWS - 1 else ("limit" if row == limit_row else "")
            text.append(f"{label[:AXIS_WIDTH - 2]:>{AXIS_WIDTH - 2}} ┤", axis_style)
            for height, holds in zip(heights, held, strict=True):
                fill = min(8, max(0, height - row * 8))
                line = row == limit_row and holds
                if fill:
                    text.append(EIGHTHS[fill] * bar, bar_style)
                    text.append("┈" * GAP if line else " " * GAP, limit_style)
                else:
                    text.append("┈" * column if line else " " * column, limit_style)
            text.append("\n")
        text.append(" " * (AXIS_WIDTH - 1) + "└" + "─" * (column * count) + "\n", axis_style)
        text.append(" " * AXIS_WIDTH, axis_style)
        for start, _ in windows:
            text.append(f"{self._label(start, column):<{column}}", axis_style)
        text.append("\n")
        if all(held):
            text.append(f"ETH the agent spent per {duration(self.spending.period)} window; "
                        f"┈ its allowance ({amount(allowance)} ETH)", axis_style)
        else:  # shorter, to fit 80 columns with the date
            began = datetime.fromtimestamp(self.spending.since, timezone.utc).strftime("%b %d %H:%M")
            text.append(f"ETH the agent spent per {duration(self.spending.period)} window; "
                        f"┈ allowance {amount(allowance)} ETH since {began}", axis_style)
        return text

    def _label(self, start: int, column: int) -> str:
        when = datetime.fromtimestamp(start, timezone.utc)
        daily = self.spending is not None and self.spending.period >= 86_400
        if column - 1 >= 6:
            return when.strftime("%b %d" if daily else "%d %Hh")
        return when.strftime("%d" if daily else "%Hh")

    def get_content_height(self, container, viewport, width: int) -> int:
        return BAR_ROWS + 3
