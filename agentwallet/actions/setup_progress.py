"""An `init` under way: `<home>/init.json` from its first step until its last one is done.

While the file exists the set-up is unfinished: `init` goes on where it stopped, and `doctor`
and the other commands say so. It records the network and, before each deployment is sent,
the address the contract will have (write-ahead, as the journal does for actions), so a
deployment a kill interrupted is found on chain rather than made twice. Whether each step
really happened is read from the chain, never from this file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from agentwallet.errors import WalletError
from agentwallet.private_files import write_atomically


@dataclass(frozen=True)
class Deployment:
    address: str  # where the contract is, once the transaction with `nonce` deployed it
    nonce: int  # the owner's nonce that transaction uses


_DEPLOYMENTS = ("guardrail", "token", "identity", "reputation")


@dataclass(frozen=True)
class SetupProgress:
    home: Path
    network: str
    guardrail: Deployment | None = None
    token: Deployment | None = None
    identity: Deployment | None = None  # the ERC-8004 registries, on devnet
    reputation: Deployment | None = None

    @staticmethod
    def path(home: Path) -> Path:
        return home / "init.json"

    @classmethod
    def load(cls, home: Path) -> SetupProgress | None:
        """The set-up under way in `home`, or None when there is none."""
        path = cls.path(home)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(home, str(raw["network"]),
                       *(Deployment(**raw[key]) if raw.get(key) else None for key in _DEPLOYMENTS))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            raise WalletError(f"{path} is not what init writes: delete it and run `agentwallet init` again "
                              "(the chain is checked for what was done)") from None

    @classmethod
    def begin(cls, home: Path, network: str) -> SetupProgress:
        return cls(home, network)._saved()

    def expecting(self, contract: str, deployment: Deployment) -> SetupProgress:
        """Record, before it is sent, where the deployment of `contract` (one of _DEPLOYMENTS) will be."""
        return replace(self, **{contract: deployment})._saved()

    def finish(self) -> None:
        self.path(self.home).unlink(missing_ok=True)

    def _saved(self) -> SetupProgress:
        record: dict[str, object] = {"network": self.network}
        record |= {key: (deployment := getattr(self, key)) and asdict(deployment) for key in _DEPLOYMENTS}
        write_atomically(self.path(self.home), json.dumps(record).encode())
        return self
