"""What a person is told once a decision is carried out: what happened, in words.

"Denied: send 3 USDC to bob 0x3C44…93BC (logged on chain)", "Limits changed (logged on
chain)": the status word the History screen uses, then what the action did. The transaction
hashes are on the chat's card and in History, where they can be read and copied; a notice
that only said "Action 0x2dc190bb… denied, logged in 0x82af40a9…" told nobody anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentwallet.display import literal

if TYPE_CHECKING:
    from agentwallet.actions.pipeline import Outcome

SEVERITIES = {"executed": "information", "denied": "warning", "submitted": "warning", "confirming": "information"}


@dataclass(frozen=True)
class Notice:
    message: str  # shown literally: it holds names and symbols from the chain
    severity: str


def outcome_notice(outcome: Outcome, what: str, done: str = "") -> Notice:
    """`what` the action does ("send 0.05 ETH to alice 0x7099…79C8"); `done` says an executed
    owner change in its own words ("Limits changed")."""
    if outcome.state == "executed" and done:
        said = done
    else:
        said = f"{outcome.state.capitalize()}: {what[:1].lower()}{what[1:]}"
    if outcome.error:
        said += f": {outcome.error}"
    if logged(outcome):
        said += " (logged on chain)"
    return Notice(literal(said), SEVERITIES.get(outcome.state, "error"))


def logged(outcome: Outcome) -> bool:
    """Whether the chain holds the decision: its record(), or an executed action's own event (an
    owner change is executed, then recorded: its record failing is its error)."""
    if outcome.log_tx_hash is not None:
        return True
    return outcome.state == "executed" and outcome.tx_hash is not None and not outcome.error
