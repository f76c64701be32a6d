"""The wallet's reads in sentences that are true by construction: what the agent answers with.

The agent's model chooses among these sentences and repeats the one it chose word for word
(agent/planner.py, Agent.answer); it can say nothing else about the wallet, so whatever it
chooses, it cannot state a figure or a state the read does not hold.
"""

from __future__ import annotations

from agentwallet.actions.reads import (
    AgentItem,
    AgentsReading,
    Balances,
    HistoryItem,
    HistoryReading,
    LimitsReading,
    Reading,
)
from agentwallet.days import day_words

MAX_FACTS = 20  # what the model chooses from; the person sees all the data beside the answer


def facts(reading: Reading) -> list[str]:
    match reading:
        case Balances():
            found = [f"The vault holds {h.amount} {h.label}." for h in reading.holdings] or ["The vault is empty."]
        case LimitsReading():
            found = _limit_facts(reading)
        case HistoryReading():
            found = ([_history_fact(item, reading.today) for item in reading.items]
                     or ["Nothing has happened yet: the history is empty."])
        case AgentsReading():
            found = ([_agent_fact(item) for item in reading.items]
                     or ["No other agents are registered." if reading.registry
                         else "This network has no agent registry: other agents cannot be found."])
    return found[:MAX_FACTS]


def _limit_facts(limits: LimitsReading) -> list[str]:
    blocked = _blocked(limits)
    found = blocked or ["The agent is not paused."]
    if limits.period_s == 0:
        found.append("No ETH limits are set: the agent can send no ETH.")
    else:
        found.append(f"The agent may send at most {limits.per_tx} per transaction.")
        found.append(f"The agent may send at most {limits.allowance} every {limits.period}.")
    if limits.expires and not limits.expired:
        found.append(f"The agent's limits expire on {limits.expires}.")
    if not blocked:  # blocked, the guardrail's figures may still show what its limits would allow
        found += [f"Right now its limits let the agent send {sendable.amount}." for sendable in limits.sendable_now]
    return found


def _blocked(limits: LimitsReading) -> list[str]:
    """Each reason the agent can send nothing at all, if it cannot."""
    reasons = []
    if limits.paused:
        reasons.append("The agent is paused: it can send nothing until you resume it.")
    if limits.revoked:
        reasons.append("The agent's key is revoked: it can send nothing.")
    if limits.expired:
        reasons.append(f"The agent's limits expired on {limits.expires}: it can send nothing until new ones are set.")
    return reasons


_DONE = {"executed": "was carried out", "denied": "was denied", "failed": "failed"}
_CHANGES = {"set_limits": "A change of the ETH limits", "set_token_limits": "A change of a token's limits",
            "pause": "Pausing the agent", "resume": "Resuming the agent"}


def _history_fact(item: HistoryItem, today: str | None) -> str:
    if item.amount and item.to:
        what = f"A payment of {item.amount} to {item.to}"
    else:
        what = _CHANGES.get(item.what, f"An action ({item.what})")
    return f"{what} {_DONE.get(item.status, 'is ' + item.status)} {day_words(item.when[:10], today)}."


def _agent_fact(item: AgentItem) -> str:
    offers = f"offers {', '.join(item.skills)}" if item.skills else "lists no skills"
    paid = f"paid to {item.paid_to}" if item.paid_to else "with no agent wallet, so it cannot be paid"
    rated = f"rated {item.rating}" if item.rating else "not rated by you or anyone you trust"
    marked = " Its card disagrees with the registry: check it with agents show." if item.marked else ""
    return f"Agent #{item.agent_id}, '{item.name}', {offers}; {paid}; {rated}.{marked}"
