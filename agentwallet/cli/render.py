"""Plain-text views for the command line. Untrusted strings go through display.literal."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from agentwallet.display import literal
from agentwallet.units import ETH_DECIMALS, format_amount, moment

if TYPE_CHECKING:
    from agentwallet.actions.history import HistoryEntry
    from agentwallet.actions.review import Review
    from agentwallet.actions.wallet import Balance, Limits


def print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def review_text(review: Review) -> str:
    lines = [f"Proposal {review.proposal.tool} (action {review.proposal.action_id[:10]}…)",
             f"  {literal(review.summary)}",
             f"  call:       {review.planned.description}",
             f"  signed by:  the {review.executor} key"]
    if review.amount is not None:
        lines.append(f"  amount:     {review.amount_text} {literal(review.unit or '')} ({review.amount} base units)")
    lines.append(f"  gas:        ~{review.simulation.gas:,}")
    lines.append("  simulation: would succeed" if review.simulation.ok
                 else f"  simulation: would FAIL: {literal(review.simulation.revert_reason or '')}")
    if review.remaining_before is not None and review.amount_text is not None:
        before = format_amount(review.remaining_before, review.decimals)
        after = format_amount(review.remaining_after, review.decimals)
        lines.append(f"  remaining:  {before} → {after} {literal(review.unit or '')} (agent allowance now)")
    for flag in review.flags:
        mark = "!!" if flag.critical else "! "
        lines.append(f"  {mark} {flag.name}: {literal(flag.text)}")
    lines.append(f'  rationale:  "{literal(review.proposal.rationale)}"')
    return "\n".join(lines)


def limits_text(limits: Limits) -> str:
    p = limits.native
    lines = [f"paused:        {'yes' if limits.paused else 'no'}",
             f"revoked:       {'yes' if p.revoked else 'no'}",
             f"ETH per tx:    {format_amount(p.per_tx_max, ETH_DECIMALS)}",
             f"ETH allowance: {format_amount(p.allowance, ETH_DECIMALS)} per {p.period} s "
             f"(spent {format_amount(p.spent, ETH_DECIMALS)}, resets {moment(p.resets_at)})",
             f"remaining now: {format_amount(limits.remaining_native, ETH_DECIMALS)} ETH",
             f"expires:       {moment(p.valid_until) if p.valid_until else 'never'}",
             f"recipients:    {'allowlist only' if p.recipients_restricted else 'any'}"]
    for entry, policy, remaining in limits.tokens:
        symbol = literal(entry.symbol)
        lines.append(f"{symbol} per tx: {format_amount(policy.per_tx_max, entry.decimals)}, "
                     f"allowance {format_amount(policy.allowance, entry.decimals)} per {p.period} s, "
                     f"spent {format_amount(policy.spent, entry.decimals)}, "
                     f"remaining {format_amount(remaining, entry.decimals)} ({entry.address})")
    return "\n".join(lines)


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
        mark = "✓" if e.verified else "?"
        what = literal(e.request or e.tool or e.kind)
        lines.append(f"{e.timestamp}  {mark} {e.status:<8} {e.kind:<13} {amount:<18} {e.to}  {what}")
    return "\n".join(lines)
