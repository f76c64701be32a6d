"""A plan: one request answered with several actions, decided on as a whole.

Its steps are proposals that carry the plan's id and their position (1 for the first), which
their intent hashes cover. The plan's own canonical JSON binds the request, the rationale and
every step (its action id and intent hash); keccak256 of it is the plan hash the chain records
with the decision (`Guardrail.record_plan`, docs/guardrail.md), so the history of plans can be
rebuilt from events alone and checked against the journal. One step is never a plan: it is a
single proposal.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from agentwallet.actions.proposal import Proposal, canonical_json, intent_hash
from agentwallet.errors import WalletError

MAX_STEPS = 5  # what Guardrail.record_plan takes


@dataclass(frozen=True)
class Step:
    """What one step does, before it is bound to a plan: a tool call and why."""
    tool: str
    args: dict[str, object]  # normalised, as a proposal's
    rationale: str  # untrusted when it came from the model


@dataclass(frozen=True)
class Plan:
    plan_id: str
    request: str  # what the person asked, word for word
    rationale: str  # untrusted when it came from the model
    steps: tuple[Proposal, ...]
    chain_id: int
    guardrail: str
    command: bool = False  # typed by the person (`propose ... then ...`): not read for what it asks

    @classmethod
    def of(cls, request: str, rationale: str, steps: Sequence[Step], chain_id: int, guardrail: str,
           command: bool = False) -> Plan:
        if not 2 <= len(steps) <= MAX_STEPS:
            raise WalletError(f"a plan has 2 to {MAX_STEPS} steps, not {len(steps)}")
        plan_id = "0x" + os.urandom(32).hex()
        proposals = tuple(Proposal(tool=step.tool, args=step.args, rationale=step.rationale, request=request,
                                   chain_id=chain_id, guardrail=guardrail, command=command, plan_id=plan_id,
                                   position=position)
                          for position, step in enumerate(steps, start=1))
        return cls(plan_id, request, rationale, proposals, chain_id, guardrail, command)

    def canonical_json(self) -> str:
        return canonical_json({
            "chain_id": self.chain_id, "guardrail": self.guardrail, "plan_id": self.plan_id,
            "rationale": self.rationale, "request": self.request,
            "steps": [{"action_id": step.action_id, "intent_hash": step.intent_hash} for step in self.steps],
        })

    @property
    def plan_hash(self) -> str:
        return intent_hash(self.canonical_json())


def approved_mask(approved: Sequence[bool]) -> int:
    """The steps approved as the chain records them: bit 0 for step 1, bit 1 for step 2, …"""
    return sum(1 << index for index, yes in enumerate(approved) if yes)
