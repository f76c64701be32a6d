"""A proposal: an action the agent (or the user, via `propose`) wants taken, before anything is signed.

Its canonical JSON (sorted keys, no spaces) is what the journal keeps; keccak256 of it is
the intent_hash the chain stores, so anyone can check that journal and chain agree. A step of
a plan is a proposal too, bound to its plan by the plan id and its position.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from eth_utils import keccak


@dataclass(frozen=True)
class Proposal:
    tool: str
    args: dict[str, object]  # normalised: checksummed addresses, base-unit integer strings
    rationale: str  # untrusted when it came from the model
    request: str  # what the person asked, word for word
    chain_id: int
    guardrail: str
    action_id: str = field(default_factory=lambda: "0x" + os.urandom(32).hex())
    # The request is a command the person typed (`propose`, `limits set`, `pause`): it says
    # exactly what is done, so the review does not read it for what it asks. Not hashed: it
    # decides which checks run, not what is done.
    command: bool = False
    # A step of a plan (actions/plan.py): the plan's id and the step's place in it, 1 for the
    # first. Hashed, so a step cannot be moved to another plan or place; absent for a single
    # proposal, whose canonical JSON stays as it always was.
    plan_id: str | None = None
    position: int | None = None

    def canonical_json(self) -> str:
        fields: dict[str, object] = {
            "action_id": self.action_id, "args": self.args, "chain_id": self.chain_id,
            "guardrail": self.guardrail, "rationale": self.rationale, "request": self.request,
            "tool": self.tool,
        }
        if self.plan_id is not None:
            fields |= {"plan_id": self.plan_id, "position": self.position}
        return canonical_json(fields)

    @property
    def intent_hash(self) -> str:
        return intent_hash(self.canonical_json())


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def intent_hash(canonical: str) -> str:
    return "0x" + keccak(text=canonical).hex()
