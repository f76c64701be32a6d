"""Plain-text views for the command line. Untrusted strings go through display.literal."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from agentwallet.actions.figures import ALLOWANCE, LEFT_IN_WINDOW, PER_ACTION_CAP, SPENT, window_length
from agentwallet.display import literal
from agentwallet.units import ETH_DECIMALS, format_amount, moment

if TYPE_CHECKING:
    from agentwallet.actions.history import HistoryEntry
    from agentwallet.actions.plan_review import PlanReview
    from agentwallet.actions.review import Review
    from agentwallet.actions.wallet import Balance, Limits


def print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def review_text(review: Review) -> str:
    rows = [("call", review.planned.description), ("signed by", f"the {review.executor} key")]
    unit, d = literal(review.unit or ""), review.decimals
    if review.amount is not None:
        rows.append(("amount", f"{review.amount_text} {unit} ({review.amount} base units)"))
    cost = f" (about {format_amount(review.gas_cost, ETH_DECIMALS)} ETH)" if review.gas_cost is not None else ""
    rows.append(("gas", f"~{review.simulation.gas:,}{cost}"))
    rows.append(("simulation", "would succeed" if review.simulation.ok
                 else f"would FAIL: {literal(review.simulation.revert_reason or '')}"))
    if review.window_left_before is not None and review.per_action_cap is not None:
        untouched = " (an owner execution does not count)" if review.executor == "owner" else ""
        rows.append((LEFT_IN_WINDOW, f"{format_amount(review.window_left_before, d)} → "
                                     f"{format_amount(review.window_left_after, d)} {unit}{untouched}"))
        rows.append((PER_ACTION_CAP, _figure(review.per_action_cap, d, unit)))
    rows += [(change.what, f"{literal(change.before)} → {literal(change.after)}") for change in review.changes]
    if review.window_note:
        rows.append(("window", review.window_note))
    lines = [f"Proposal {review.proposal.tool} (action {review.proposal.action_id[:10]}…)",
             f"  {literal(review.summary)}", *_aligned(rows, "  ")]
    for flag in review.flags:
        mark = "!!" if flag.critical else "! "
        lines.append(f"  {mark} {flag.name}: {literal(flag.text)}")
    lines.append(f'  rationale: "{literal(review.proposal.rationale)}"')
    return "\n".join(lines)


def plan_text(review: PlanReview) -> str:
    """A plan as one view: each step as a single proposal is shown, then what the whole moves."""
    plan = review.plan
    steps = len(review.steps)
    lines = [f"Plan of {steps} steps (plan {plan.plan_id[:10]}…), decided as a whole",
             f'  request: "{literal(plan.request)}"']
    for position, step in enumerate(review.steps, start=1):
        lines.append(f"Step {position} of {steps}: " + review_text(step).replace("\n", "\n  "))
    rows = []
    for total in review.totals:
        unit, d = literal(total.unit), total.decimals
        owner = total.amount - total.by_agent
        by_owner = f" ({format_amount(owner, d)} of it from the owner key)" if owner else ""
        rows.append((f"{unit} leaves the vault", f"{format_amount(total.amount, d)} {unit}{by_owner}"))
        if total.window_left_before is not None:
            rows.append((f"{unit} {LEFT_IN_WINDOW}", f"{format_amount(total.window_left_before, d)} → "
                                                     f"{format_amount(total.window_left_after, d)} {unit}"))
    lines.append("The whole plan:")
    lines += _aligned(rows, "  ") if rows else ["  moves nothing"]
    for flag in review.flags:
        mark = "!!" if flag.critical else "! "
        lines.append(f"  {mark} {flag.name}: {literal(flag.text)}")
    return "\n".join(lines)


def limits_text(limits: Limits) -> str:
    p = limits.native

    def eth(wei: int) -> str:
        return _figure(wei, ETH_DECIMALS, "ETH")

    resets = f", resets {moment(p.resets_at)}" if p.resets_at else ""
    rows = [("paused", "yes" if limits.paused else "no"),
            ("revoked", "yes" if p.revoked else "no"),
            (f"ETH {PER_ACTION_CAP}", eth(p.per_tx_max)),
            (f"ETH {ALLOWANCE}", f"{eth(p.allowance)} per {window_length(p.period)} window"),
            (f"ETH {SPENT}", eth(p.spent) + resets),
            (f"ETH {LEFT_IN_WINDOW}", eth(p.allowance - p.spent)),
            ("ETH next action at most", eth(limits.remaining_native)),
            ("expires", moment(p.valid_until) if p.valid_until else "never"),
            ("recipients", "allowlist only" if p.recipients_restricted else "any")]
    for entry, policy, remaining in limits.tokens:
        symbol, d = literal(entry.symbol), entry.decimals
        rows += [(f"{symbol} token", entry.address),
                 (f"{symbol} {PER_ACTION_CAP}", _figure(policy.per_tx_max, d, symbol)),
                 (f"{symbol} {ALLOWANCE}", _figure(policy.allowance, d, symbol)),
                 (f"{symbol} {SPENT}", _figure(policy.spent, d, symbol)),
                 (f"{symbol} {LEFT_IN_WINDOW}", _figure(policy.allowance - policy.spent, d, symbol)),
                 (f"{symbol} next action at most", _figure(remaining, d, symbol))]
    return "\n".join(_aligned(rows))


def _aligned(rows: list[tuple[str, str]], indent: str = "") -> list[str]:
    width = max(len(label) for label, _ in rows) + 1
    return [f"{indent}{label + ':':<{width}} {value}" for label, value in rows]


def _figure(base_units: int, decimals: int, unit: str) -> str:
    return f"{format_amount(base_units, decimals)} {unit}"


def balance_line(balance: Balance) -> str:
    where = f" ({balance.token})" if balance.token else ""
    return f"{format_amount(balance.amount, balance.decimals)} {literal(balance.symbol)}{where}"


def history_text(entries: list[HistoryEntry], symbols: dict[str, tuple[str, int]]) -> str:
    if not entries:
        return "no actions yet"
    lines = []
    for e in entries:
        symbol, decimals = symbols.get(e.token or "", ("ETH", ETH_DECIMALS)) if e.token else ("ETH", ETH_DECIMALS)
        amount = f"{format_amount(int(e.amount), decimals)} {literal(symbol)}" if int(e.amount) else ""
        mark = "!" if e.made_elsewhere else "✓" if e.verified else "?"
        what = "NOT MADE BY THIS WALLET" if e.made_elsewhere else literal(e.request or e.tool or e.kind)
        if e.direction == "in":
            what = f"paid in by {e.payer}"
        if e.plan_id:  # a plan's steps share its request: say which step of which plan this is
            what = f"[plan {e.plan_id[:10]}… step {e.step}] {what}"
        lines.append(f"{e.timestamp}  {mark} {e.state_text:<8} {e.kind:<13} {amount:<18} {e.to}  {what}")
    elsewhere = sum(e.made_elsewhere for e in entries)
    if elsewhere:
        lines.append(f"!! {elsewhere} of these actions (marked !) were made with this wallet's keys but not by "
                     "this wallet: `agentwallet verify` says what to do")
    return "\n".join(lines)
