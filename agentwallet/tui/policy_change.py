"""Changes the owner makes to the guardrail from the TUI: limits, pause, resume.

Each is built here from what the user typed, with the before → after lines its confirmation
shows. The App sends it (AgentWalletApp.apply_change): through the same pipeline as any
proposal, journaled, simulated, signed by the owner and logged, its progress in the
connection bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text

from agentwallet.tui.format import amount, duration, moment, untrusted

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
    lines: tuple[Text, ...] = field(default_factory=tuple)


def pause_change(paused: bool) -> PolicyChange:
    if paused:
        return PolicyChange("resume", {}, "resume", "Resume the agent?", "Resume",
                            (Text("It may act again within its limits."),))
    return PolicyChange("pause", {}, "pause", "Pause the agent?", "Pause",
                        (Text("It can move nothing until you resume."),
                         Text("Signed by your owner key; logged on chain.", style="dim")))


def native_change(limits: Limits, per_tx: int | None, allowance: int | None, period: int | None,
                  valid_until: int | None) -> PolicyChange | None:
    """The ETH policy change these new values make, or None when they change nothing."""
    now = limits.native
    args: dict[str, object] = {}
    lines: list[Text] = []
    words: list[str] = []
    if per_tx is not None and per_tx != now.per_tx_max:
        args["per_tx_wei"] = per_tx
        lines.append(_line("per transaction", f"{amount(now.per_tx_max)} ETH", f"{amount(per_tx)} ETH"))
        words.append(f"per tx {amount(per_tx)} ETH")
    if allowance is not None and allowance != now.allowance:
        args["daily_wei"] = allowance
        lines.append(_line("allowance per period", f"{amount(now.allowance)} ETH", f"{amount(allowance)} ETH"))
        words.append(f"allowance {amount(allowance)} ETH")
    if period is not None and period != now.period:
        args["period_s"] = period
        lines.append(_line("period", duration(now.period), duration(period)))
        words.append(f"period {period} s")
    if valid_until is not None and valid_until != now.valid_until:
        args["valid_until"] = valid_until
        lines.append(_line("expires", _expiry(now.valid_until), _expiry(valid_until)))
        words.append(f"expires {_expiry(valid_until)}")
    if not args:
        return None
    return PolicyChange("set_limits", args, "limits: " + ", ".join(words), "Change the agent's ETH limits?",
                        "Change", tuple(lines))


def token_change(entry: TokenEntry, per_tx_now: int, allowance_now: int, per_tx: int | None,
                 allowance: int | None) -> PolicyChange | None:
    args: dict[str, object] = {"token": entry.address}
    lines: list[Text] = []
    words: list[str] = []
    d = entry.decimals
    if per_tx is not None and per_tx != per_tx_now:
        args["per_tx"] = per_tx
        lines.append(_line("per transaction", amount(per_tx_now, d), amount(per_tx, d)))
        words.append(f"per tx {amount(per_tx, d)}")
    if allowance is not None and allowance != allowance_now:
        args["daily"] = allowance
        lines.append(_line("allowance per period", amount(allowance_now, d), amount(allowance, d)))
        words.append(f"allowance {amount(allowance, d)}")
    if len(args) == 1:
        return None
    title = Text.assemble("Change the agent's ", untrusted(entry.symbol), " limits?").plain
    return PolicyChange("set_token_limits", args, f"token limits {entry.address}: " + ", ".join(words),
                        title, "Change", (Text.assemble("token ", untrusted(entry.symbol), f" {entry.address}"),
                                          *lines))


def _line(what: str, before: str, after: str) -> Text:
    return Text.assemble(f"{what}: ", before, " → ", (after, "bold"))


def _expiry(valid_until: int) -> str:
    return moment(valid_until) if valid_until else "never"
