"""The agent's limits in words: what each figure is called, and what a change of them does.

The command line, the Approval modal and the Wallet and Limits screens name each figure with
these words, so "left in this window" means the same thing wherever it is read: the window's
allowance less what the agent spent in it. The most one action may move is the smaller of that
and the per-action cap (the guardrail's remaining_native / remaining_token).

No web3 here: the TUI words its own confirmations with this module before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentwallet.units import ETH_DECIMALS, duration, format_amount, moment

PER_ACTION_CAP = "per-action cap"
ALLOWANCE = "allowance per window"
WINDOW = "window length"
SPENT = "spent in this window"
LEFT_IN_WINDOW = "left in this window"
EXPIRES = "expires"


@dataclass(frozen=True)
class Change:
    """One figure of a policy change, as shown: "per-action cap: 0.1 ETH → 0.2 ETH"."""
    what: str
    before: str
    after: str

    def as_json(self) -> dict:
        return {"what": self.what, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class NativeLimits:
    """What set_policy takes, as it is or as it will be."""
    per_tx_max: int
    allowance: int
    period: int
    valid_until: int


def native_changes(before: NativeLimits, after: NativeLimits) -> list[Change]:
    """Each ETH figure that differs, before → after."""
    eth = _in(ETH_DECIMALS, "ETH")
    pairs = ((PER_ACTION_CAP, eth(before.per_tx_max), eth(after.per_tx_max)),
             (ALLOWANCE, eth(before.allowance), eth(after.allowance)),
             (WINDOW, window_length(before.period), window_length(after.period)),
             (EXPIRES, expiry(before.valid_until), expiry(after.valid_until)))
    return [Change(what, old, new) for what, old, new in pairs if old != new]


def token_changes(symbol: str, decimals: int, before: tuple[int, int], after: tuple[int, int]) -> list[Change]:
    """Each figure of a token's (per-action cap, allowance) that differs; `symbol` is untrusted."""
    token = _in(decimals, symbol)
    pairs = ((PER_ACTION_CAP, token(before[0]), token(after[0])), (ALLOWANCE, token(before[1]), token(after[1])))
    return [Change(what, old, new) for what, old, new in pairs if old != new]


def cap_warnings(per_tx_max: int, allowance: int, decimals: int, unit: str) -> list[str]:
    """What is odd about a pair of limits the owner is about to set, to ask "are you sure" about."""
    figure = _in(decimals, unit)
    if allowance == 0:
        return [f"an {ALLOWANCE} of 0 {unit}: the agent can move no {unit} at all"]
    if per_tx_max == 0:
        return [f"a {PER_ACTION_CAP} of 0 {unit}: the agent can move no {unit} at all"]
    if per_tx_max > allowance:
        return [f"the {PER_ACTION_CAP} ({figure(per_tx_max)}) is above the {ALLOWANCE} ({figure(allowance)}): "
                f"no action can move more than the allowance"]
    return []


def window_restart(now: int, resets_at: int, spent: int, period_after: int) -> str:
    """What set_policy does to the spending window, said before it is sent: it always starts a
    new window at the moment it is mined, and carries what was spent in the current one."""
    new_reset = moment(now + period_after)
    if not resets_at:
        return f"starts a new spending window now, resetting at {new_reset}"
    carried = f"; the {format_amount(spent, ETH_DECIMALS)} ETH spent in this window still counts" if spent else ""
    return f"restarts the spending window now: it resets at {new_reset} instead of {moment(resets_at)}{carried}"


def window_length(seconds: int) -> str:
    """"86400 s (1d)": the seconds the guardrail counts, and what they come to."""
    return f"{seconds} s" if seconds < 60 else f"{seconds} s ({duration(seconds)})"


def expiry(valid_until: int) -> str:
    return moment(valid_until) if valid_until else "never"


def _in(decimals: int, unit: str):
    return lambda base_units: f"{format_amount(base_units, decimals)} {unit}"
