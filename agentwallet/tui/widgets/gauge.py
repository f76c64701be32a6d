"""One allowance as a gauge: how much of it the agent has spent in this window, what is left."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar

from agentwallet.actions.figures import LEFT_IN_WINDOW, PER_ACTION_CAP
from agentwallet.tui.format import short_amount, untrusted


class AllowanceGauge(Vertical):
    """Spent of allowance as a bar; as text, what is left in this window, the per-action cap and
    the time to the next window, in the words of actions/figures.py."""

    def __init__(self, unit: str, *, id: str | None = None):
        super().__init__(id=id)
        self.unit = unit  # untrusted: a token's symbol
        self._figures: tuple[int, int, int, int, int, str | None, str | None] | None = None
        self._drawable = False  # set once its bar and text are mounted (on_mount comes after its children's)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="gauge-row"):
            yield Label(untrusted(self.unit), classes="gauge-unit")
            yield ProgressBar(total=1, show_eta=False, classes="gauge-bar")
        yield Label(classes="gauge-text")

    def show(self, spent: int, allowance: int, per_action_cap: int, remaining: int, decimals: int,
             resets_in: str | None, blocked: str | None = None) -> None:
        """`remaining` is the most the next action may move (the guardrail's remaining_*);
        `blocked` says why the agent can move nothing right now (paused, expired, revoked).

        A gauge shown before its bar and text are mounted (the screen mounts gauges and fills them
        in one step, and a later load may arrive meanwhile) keeps the figures and draws them on mount."""
        self._figures = (spent, allowance, per_action_cap, remaining, decimals, resets_in, blocked)
        if self._drawable:
            self._draw(*self._figures)

    def on_mount(self) -> None:
        self._drawable = True
        if self._figures is not None:
            self._draw(*self._figures)

    def _draw(self, spent: int, allowance: int, per_action_cap: int, remaining: int, decimals: int,
              resets_in: str | None, blocked: str | None) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(allowance, 1), progress=min(spent, allowance) if allowance else 0)
        unit = untrusted(self.unit)
        if allowance == 0:
            text = Text.assemble("no allowance: the agent may move no ", unit)
        else:
            text = Text.assemble(
                f"{short_amount(spent, decimals)} of {short_amount(allowance, decimals)} ", unit, " spent · ",
                (short_amount(allowance - spent, decimals), "bold"), f" {LEFT_IN_WINDOW} · ",
                f"{PER_ACTION_CAP} {short_amount(per_action_cap, decimals)}",
            )
            if resets_in:
                text.append(f" · resets in {resets_in}")
        if blocked:
            text = Text.assemble((blocked, "bold"), " · ", text)
        self.query_one(".gauge-text", Label).update(text)
        self.set_class(bool(blocked) or (allowance > 0 and remaining == 0), "exhausted")
