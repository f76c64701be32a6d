"""The compiled contracts the app deploys, as contracts/build.py wrote them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Artifact:
    abi: list
    bytecode: bytes


@cache
def load(name: str) -> Artifact:
    """The artifact of contract `name`, one of contracts/build.py's DEPLOYED ("Guardrail", "IdentityRegistry", ...)."""
    text = resources.files(__package__).joinpath("artifacts", f"{name}.json").read_text()
    data = json.loads(text)
    return Artifact(abi=data["abi"], bytecode=bytes.fromhex(data["bytecode"].removeprefix("0x")))
