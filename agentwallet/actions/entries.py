"""How one history entry reads: whom it paid and what it moved, even where the chain's event
does not say (a denied or failed action is recorded without recipient or amount), and which of
the wallet's keys signed it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentwallet.actions.history import HistoryEntry

ZERO_ADDRESS = "0x" + "0" * 40


def recipient(entry: HistoryEntry) -> str | None:
    """Who the action paid, or would have: a denied or failed action's event carries no
    recipient, so it is taken from the proposal in the journal."""
    if entry.to != ZERO_ADDRESS:
        return entry.to
    to = (entry.args or {}).get("to")
    return str(to) if to else None


def moved(entry: HistoryEntry) -> tuple[str | None, int, bool]:
    """(token, base units, proposed only): what the action moved, or for a denied or failed
    one, what it would have moved according to the journal."""
    if int(entry.amount) or entry.status == "executed" or not entry.args:
        return entry.token, int(entry.amount), False
    args = entry.args
    if "amount_wei" in args:
        return None, int(str(args["amount_wei"])), True
    if "amount" in args:
        return str(args.get("token")), int(str(args["amount"])), True
    return entry.token, 0, False


def signer(entry: HistoryEntry, owner: str, agent: str) -> str:
    """"owner" or "agent": whose key sent the event's transaction."""
    return {owner: "owner", agent: "agent"}.get(entry.actor, entry.actor)


def exported(entry: HistoryEntry, owner: str, agent: str) -> dict:
    """The entry as History exports it: as `history --json`, except that to, token and amount
    are what the table shows (for a denied or failed action, what was proposed), with its signer."""
    token, amount, _ = moved(entry)
    return {**entry.as_json(), "to": recipient(entry) or entry.to, "token": token, "amount": str(amount),
            "signer": signer(entry, owner, agent)}
