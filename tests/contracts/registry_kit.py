"""Helpers shared by the ERC-8004 registry tests: signing keys, the agent-wallet typed data,
cards, and events decoded from the ABI as a web3 client decodes them (titanoboa 0.2.8 cannot
decode an indexed string)."""

from __future__ import annotations

import base64
import json

import boa
from boa.contracts.event_decoder import RawLogEntry
from eth_abi import decode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

WALLET_TYPES = {
    "AgentWalletSet": [
        {"name": "agentId", "type": "uint256"},
        {"name": "newWallet", "type": "address"},
        {"name": "owner", "type": "address"},
        {"name": "deadline", "type": "uint256"},
    ],
}
MAX_DEADLINE_DELAY = 300
ERC721_INTERFACE = bytes.fromhex("80ac58cd")


def key(name: str) -> LocalAccount:
    """A signing account, the same one for the same name."""
    return Account.from_key(keccak(text=f"registry test key {name}"))


def wallet_signature(signer: LocalAccount, identity, agent_id: int, new_wallet: str, deadline: int,
                     owner: str | None = None) -> bytes:
    """`signer`'s EIP-712 AgentWalletSet signature, the domain read from the registry (EIP-5267)."""
    _, name, version, chain_id, verifying_contract, _, _ = identity.eip712Domain()
    signed = Account.sign_typed_data(
        signer.key,
        domain_data={"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying_contract},
        message_types=WALLET_TYPES,
        message_data={"agentId": agent_id, "newWallet": new_wallet,
                      "owner": owner or identity.ownerOf(agent_id), "deadline": deadline},
    )
    return signed.signature


def soon() -> int:
    """A deadline the registry accepts: one minute from the current block."""
    return boa.env.timestamp + 60


def card_uri(size: int) -> str:
    """A registration file as a base64 data: URI of `size` characters, less 0 to 3 (base64
    comes in fours)."""
    prefix = "data:application/json;base64,"
    body_size = (size - len(prefix)) // 4 * 3
    card = {"type": "https://eips.ethereum.org/EIPS/eip-8004#registration-v1", "name": "translator",
            "description": "", "services": [{"name": "web", "endpoint": "https://translator.example/"}],
            "x402Support": True, "active": True, "registrations": []}
    card["description"] = "x" * max(0, body_size - len(json.dumps(card)))
    uri = prefix + base64.b64encode(json.dumps(card).encode()).decode()
    assert size - 3 <= len(uri) <= size
    return uri


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
        arguments = dict(zip([field["name"] for field in plain], decode([field["type"] for field in plain], log.data)))
        for field, topic in zip(indexed, log.topics[1:]):
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
