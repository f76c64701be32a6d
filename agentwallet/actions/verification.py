"""`verify`: the journal and the chain tell one story, and the chain holds nothing else.

What it finds:
- a settled journal entry the chain disagrees with: edited since (its hash no longer matches),
  no event for it, another intent hash, another status;
- contradictory records on chain: more than one event for one action (failed and executed,
  failed twice); each action has exactly one;
- an action by this wallet's owner or agent key that its journal never had: the key was used
  outside the wallet. The loudest signal there is: someone else may hold the key;
- a plan whose decision was logged but that no Plan event of this wallet's records with the
  journal's hash, steps and decision.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from agentwallet.actions.history import ZERO_ADDRESS, HistorySource, our_actors, sync_events
from agentwallet.actions.journal import TERMINAL, PlanEntry
from agentwallet.actions.proposal import intent_hash
from agentwallet.chain.events import KIND_NAMES, STATUS_NAMES, ChainAction, fetch_plans
from agentwallet.chain.logs import LogReader
from agentwallet.units import ETH_DECIMALS, format_amount

# What to do about a key used elsewhere, by the key's role; {pause} says how, at a terminal or in the TUI.
WHAT_TO_DO = {
    "agent": "if you did not do this yourself, someone else holds the agent key: pause the agent now {pause}",
    "owner": "if you did not do this yourself, someone else holds the owner key: move the vault's funds "
             "to a wallet with new keys",
}


@dataclass(frozen=True)
class Mismatch:
    action_id: str
    problem: str


@dataclass(frozen=True)
class MadeElsewhere:
    """An action on chain by one of this wallet's keys that this wallet never made."""
    event: ChainAction
    role: str  # "owner" or "agent"

    @property
    def text(self) -> str:
        e = self.event
        moved = (f"{format_amount(e.amount, ETH_DECIMALS)} ETH" if e.token == ZERO_ADDRESS
                 else f"{e.amount} base units of the token {e.token}")
        status = STATUS_NAMES.get(e.status, str(e.status))
        return (f"the {self.role} key {status} a {KIND_NAMES.get(e.kind, str(e.kind))} action that this wallet "
                f"never made ({moved} to {e.target}, in {e.tx_hash})")

    @property
    def what_to_do(self) -> str:
        return WHAT_TO_DO[self.role].format(pause="(`agentwallet pause`, or p in the TUI)")

    @property
    def what_to_do_in_tui(self) -> str:
        return WHAT_TO_DO[self.role].format(pause="(press p)")


def made_elsewhere(wallet: HistorySource) -> list[MadeElsewhere]:
    """Every action of this wallet's keys on chain that its journal never had, newest first."""
    sync_events(wallet)
    roles = {wallet.owner_address: "owner", wallet.agent_address: "agent"}
    return [MadeElsewhere(event, roles[event.actor]) for event in
            map(ChainAction.from_row, wallet.journal.events_made_elsewhere(our_actors(wallet)))]


def verify(wallet: HistorySource) -> tuple[int, list[Mismatch]]:
    """(settled journal entries checked, every problem found): see the module's docstring."""
    sync_events(wallet)
    on_chain: dict[str, list[tuple[str, str]]] = {}  # action id -> [(intent hash, status)]
    for action_id, event_hash, status in wallet.journal.db.execute(
            "SELECT action_id, intent_hash, status FROM chain_events WHERE actor IN (?, ?)"
            " ORDER BY block, log_index", our_actors(wallet)):
        on_chain.setdefault(action_id, []).append((event_hash, STATUS_NAMES.get(status, str(status))))
    problems: list[Mismatch] = []
    checked = 0
    for action_id, canonical, stored_hash, state, logged in wallet.journal.db.execute(
            "SELECT action_id, canonical, intent_hash, state, logged FROM actions"):
        if state not in TERMINAL or not logged:
            continue
        checked += 1
        recomputed = intent_hash(canonical)
        events = on_chain.get(action_id, [])
        if recomputed != stored_hash:
            problems.append(Mismatch(action_id, "the journal entry was changed: its hash no longer matches"))
        elif not events:
            problems.append(Mismatch(action_id, "no event on chain for this action"))
        elif recomputed not in {event_hash for event_hash, _ in events}:
            problems.append(Mismatch(action_id, "the chain holds a different intent_hash"))
        elif len(events) == 1 and events[0][1] != state:
            problems.append(Mismatch(action_id, f"the journal says {state}, the chain says {events[0][1]}"))
    for action_id, events in on_chain.items():
        if len(events) > 1:
            problems.append(Mismatch(action_id, _contradiction([status for _, status in events])))
    problems += [Mismatch(found.event.action_id, f"{found.text}: {found.what_to_do}")
                 for found in made_elsewhere(wallet)]
    for plan in wallet.journal.plans():
        if plan.logged:
            checked += 1
            problems += _plan_problems(wallet, plan)
    return checked, problems


def _plan_problems(wallet: HistorySource, plan: PlanEntry) -> list[Mismatch]:
    """A plan whose decision was logged: its journal entry intact, and a Plan event of this
    wallet's with its hash, its steps and its decision."""
    steps = [entry.action_id for entry in wallet.journal.plan_steps(plan.plan_id)]
    kept = [step["action_id"] for step in json.loads(plan.canonical)["steps"]]
    if intent_hash(plan.canonical) != plan.plan_hash or kept != steps:
        return [Mismatch(plan.plan_id, "the journal's plan was changed: its hash no longer matches")]
    head = int(wallet.rpc("eth_blockNumber", []), 16)
    found = fetch_plans(LogReader(wallet.rpc), wallet.guardrail_address, plan.plan_id,
                        wallet.guardrail_block or 0, head)
    recorded = [event for event in found if event.actor in our_actors(wallet)]
    if not recorded:
        return [Mismatch(plan.plan_id, "no record of this plan on chain")]
    if all((event.plan_hash, event.action_ids, event.approved) != (plan.plan_hash, steps, plan.approved)
           for event in recorded):
        return [Mismatch(plan.plan_id, "the chain records this plan with another hash, steps or decision")]
    return []


def _contradiction(statuses: list[str]) -> str:
    counts = Counter(statuses)
    if len(counts) == 1:
        return f"recorded {statuses[0]} {len(statuses)} times on chain: an action is recorded once"
    return f"contradictory records on chain: {' and '.join(statuses)}: an action is recorded once"
