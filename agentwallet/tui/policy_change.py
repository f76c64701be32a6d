"""Changes the owner makes to the guardrail from the TUI: limits, pause, resume.

Each is built here from what the user typed, with the before → after lines its confirmation
shows, in the words of actions/figures.py (the Approval modal and the command line say the
same). The App sends it (AgentWalletApp.apply_change): through the same pipeline as any
proposal, journaled, simulated, signed by the owner and logged, its progress in the
connection bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text

from agentwallet.actions.figures import (
    Change,
    NativeLimits,
    cap_warnings,
    expiry,
    native_changes,
    token_changes,
    window_restart,
)
from agentwallet.tui.format import amount, untrusted

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Limits
    from agentwallet.config import TokenEntry


@dataclass(frozen=True)
class PolicyChange:
    tool: str
    args: dict[str, object]
    request: str  # what the journal keeps as the owner's request
    title: str
    confirm: str
    what: str  # what it does, for the notice if it fails: "change the agent's ETH limits"
    done: str  # the notice once it is executed: "Limits changed"
    lines: tuple[Text, ...] = field(default_factory=tuple)


def pause_change(paused: bool) -> PolicyChange:
    if paused:
        return PolicyChange("resume", {}, "resume", "Resume the agent?", "Resume", "resume the agent", "Agent resumed",
                            (Text("It may act again within its limits."),))
    return PolicyChange("pause", {}, "pause", "Pause the agent?", "Pause", "pause the agent", "Agent paused",
                        (Text("It can move nothing until you resume."),
                         Text("Signed by your owner key; logged on chain.", style="dim")))


def native_change(limits: Limits, now: int, per_tx: int | None, allowance: int | None, period: int | None,
                  valid_until: int | None) -> PolicyChange | None:
    """The ETH policy change these new values make, or None when they change nothing."""
    p = limits.native
    before = NativeLimits(p.per_tx_max, p.allowance, p.period, p.valid_until)
    after = NativeLimits(_typed(per_tx, p.per_tx_max), _typed(allowance, p.allowance), _typed(period, p.period),
                         _typed(valid_until, p.valid_until))
    args: dict[str, object] = {}
    words: list[str] = []
    if after.per_tx_max != before.per_tx_max:
        args["per_tx_wei"] = after.per_tx_max
        words.append(f"per tx {amount(after.per_tx_max)} ETH")
    if after.allowance != before.allowance:
        args["daily_wei"] = after.allowance
        words.append(f"allowance {amount(after.allowance)} ETH")
    if after.period != before.period:
        args["period_s"] = after.period
        words.append(f"period {after.period} s")
    if after.valid_until != before.valid_until:
        args["valid_until"] = after.valid_until
        words.append(f"expires {expiry(after.valid_until)}")
    if not args:
        return None
    warnings = cap_warnings(after.per_tx_max, after.allowance, 18, "ETH")
    lines = (*_warnings(warnings), *map(_line, native_changes(before, after)),
             Text(window_restart(now, p.resets_at, p.spent, after.period), style="dim"))
    return PolicyChange("set_limits", args, "limits: " + ", ".join(words),
                        _title("Change the agent's ETH limits?", warnings), "Change", "change the agent's ETH limits",
                        "Limits changed", lines)


def _typed(value: int | None, now: int) -> int:
    """What a form field sets: its value, or, left empty, what the chain has now."""
    return now if value is None else value


def token_change(entry: TokenEntry, per_tx_now: int, allowance_now: int, per_tx: int | None,
                 allowance: int | None) -> PolicyChange | None:
    d = entry.decimals
    before = (per_tx_now, allowance_now)
    after = (_typed(per_tx, per_tx_now), _typed(allowance, allowance_now))
    changes = token_changes(entry.symbol, d, before, after)
    if not changes:
        return None
    args: dict[str, object] = {"token": entry.address}
    words: list[str] = []
    if after[0] != per_tx_now:
        args["per_tx"] = after[0]
        words.append(f"per tx {amount(after[0], d)}")
    if after[1] != allowance_now:
        args["daily"] = after[1]
        words.append(f"allowance {amount(after[1], d)}")
    warnings = cap_warnings(*after, d, entry.symbol)
    title = Text.assemble("Change the agent's ", untrusted(entry.symbol), " limits?").plain
    lines = (Text.assemble("token ", untrusted(entry.symbol), f" {entry.address}"), *_warnings(warnings),
             *map(_line, changes))
    return PolicyChange("set_token_limits", args, f"token limits {entry.address}: " + ", ".join(words),
                        _title(title, warnings), "Change", f"change the agent's {entry.symbol} limits",
                        f"{entry.symbol} limits changed", lines)


def _title(title: str, warnings: list[str]) -> str:
    return f"Are you sure? {title}" if warnings else title


def _warnings(warnings: list[str]) -> tuple[Text, ...]:
    return tuple(Text.assemble(("!! ", "bold"), untrusted(text), style="bold red") for text in warnings)


def _line(change: Change) -> Text:
    return Text.assemble(f"{change.what}: ", untrusted(change.before), " → ", untrusted(change.after, "bold"))
