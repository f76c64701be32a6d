"""Helpers shared by the ERC-8004 registry tests: signing keys, the agent-wallet signature and
cards (benchmarks/gas.py's), and events decoded from the ABI as a web3 client decodes them
(titanoboa 0.2.8 cannot decode an indexed string)."""

from __future__ import annotations

import boa
from boa.contracts.event_decoder import RawLogEntry
from eth_abi import decode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from guardrail_kit import load_script

_benchmark = load_script("benchmarks/gas.py")  # the one copy of the card and the typed data

MAX_DEADLINE_DELAY = 300


def key(name: str) -> LocalAccount:
    """A signing account, the same one for the same name."""
    return Account.from_key(keccak(text=f"registry test key {name}"))


def wallet_signature(signer: LocalAccount, identity, agent_id: int, new_wallet: str, deadline: int,
                     owner: str | None = None) -> bytes:
    """`signer`'s EIP-712 AgentWalletSet signature for `new_wallet`, in the registry's domain."""
    return _benchmark.wallet_signature(signer.key, identity.eip712Domain(), agent_id, new_wallet,
                                       owner or identity.ownerOf(agent_id), deadline)


def soon() -> int:
    """A deadline the registry accepts: one minute from the current block."""
    return boa.env.timestamp + 60


card_uri = _benchmark.card_uri


def events(contract, name: str | None = None, computation=None) -> list[tuple[str, dict]]:
    """The contract's events in its last call, views included (or in `computation`), in order, as (name, arguments):
    an indexed string or bytes is its 32-byte keccak topic, addresses are checksummed."""
    by_topic = {}
    for item in contract.abi:
        if item["type"] == "event":
            signature = f"{item['name']}({','.join(field['type'] for field in item['inputs'])})"
            by_topic[int.from_bytes(keccak(text=signature), "big")] = item
    computation = computation or contract._computation
    found = []
    for entry in sorted(computation.get_raw_log_entries()):
        log = RawLogEntry(*entry)
        item = by_topic.get(log.topics[0])
        if item is None or to_checksum_address(log.address) != contract.address:
            continue
        plain = [field for field in item["inputs"] if not field["indexed"]]
        indexed = [field for field in item["inputs"] if field["indexed"]]
        values = decode([field["type"] for field in plain], log.data)
        arguments = dict(zip([field["name"] for field in plain], values, strict=True))
        for field, topic in zip(indexed, log.topics[1:], strict=True):
            raw = topic.to_bytes(32, "big")
            arguments[field["name"]] = raw if field["type"] in ("string", "bytes") else decode([field["type"]], raw)[0]
        arguments = {k: to_checksum_address(v) if _is_address(item, k) else v for k, v in arguments.items()}
        if name is None or item["name"] == name:
            found.append((item["name"], arguments))
    return found


def one_event(contract, name: str, computation=None) -> dict:
    """The arguments of the one `name` event of the last call."""
    found = events(contract, name, computation)
    assert len(found) == 1, f"expected one {name}, got {events(contract, None, computation)}"
    return found[0][1]


def _is_address(item: dict, name: str) -> bool:
    return any(field["name"] == name and field["type"] == "address" for field in item["inputs"])
