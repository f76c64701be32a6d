"""The ERC-8004 identity and reputation registries on chain, in the wallet's own types.

Works with the registries contracts/ ships (deployed on devnet) and with ERC-8004's own
deployments elsewhere: only the ERC's functions and events are used. Writes return unsent
ContractFunction calls for the action pipeline, as chain.guardrail does. Discovery reads the
identity registry's logs (Registered, URIUpdated, MetadataSet, Transfer) in one query per
block range, decoded by hand as chain.events does, so a thousand agents list in one call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from eth_abi import decode, encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import BadFunctionCallOutput, ContractLogicError, Web3Exception

from agentwallet.chain import artifacts, transactions
from agentwallet.chain.logs import LogReader

Rpc = Callable[[str, list], object]

ZERO_ADDRESS = "0x" + "00" * 20
AGENT_WALLET_KEY = "agentWallet"
SIGNATURE_LIFETIME = 240  # seconds; the ERC's registries take a deadline at most 300 s ahead
STARRED = "starred"  # the ERC's tag1 for a 0-100 rating

_TOPICS = {name: "0x" + keccak(text=signature).hex() for name, signature in {
    "Registered": "Registered(uint256,string,address)",
    "URIUpdated": "URIUpdated(uint256,string,address)",
    "MetadataSet": "MetadataSet(uint256,string,string,bytes)",
    "Transfer": "Transfer(address,address,uint256)",
}.items()}
_AGENT_WALLET_TOPIC = "0x" + keccak(text=AGENT_WALLET_KEY).hex()
_GET_SUMMARY = "0x" + keccak(text="getSummary(uint256,address[],string,string)")[:4].hex()


@dataclass(frozen=True)
class RegisteredAgent:
    """An agent as the registry's events tell it: where its card is, who owns it, where it is paid."""
    agent_id: int
    uri: str  # untrusted: whatever its owner stored
    owner: str
    agent_wallet: str | None  # None once cleared (a transfer clears it)
    registered_block: int


@dataclass(frozen=True)
class Summary:
    """getSummary over the clients asked about: how many ratings, and their mean."""
    count: int
    value: int  # the mean, as value / 10**decimals
    decimals: int
    clients: tuple[str, ...] = field(default=())


class IdentityRegistry:
    def __init__(self, w3: Web3, address: str):
        self.w3 = w3
        self.address = Web3.to_checksum_address(address)
        self.contract = w3.eth.contract(address=self.address, abi=artifacts.load("IdentityRegistry").abi)

    @classmethod
    def deploy(cls, w3: Web3, owner: LocalAccount) -> IdentityRegistry:
        artifact = artifacts.load("IdentityRegistry")
        factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        return cls(w3, transactions.deploy(w3, owner, factory.constructor()))

    def is_registry(self) -> bool:
        """Whether an ERC-8004 identity registry answers at this address (its ERC-721 views and
        the EIP-712 domain ERC-8004 names)."""
        if not self.w3.eth.get_code(self.address):
            return False
        try:
            return self.contract.functions.eip712Domain().call()[1] == "ERC8004IdentityRegistry"
        except (ContractLogicError, BadFunctionCallOutput, ValueError):
            return False

    # reads

    def uri(self, agent_id: int) -> str:
        return self.contract.functions.tokenURI(agent_id).call()

    def owner_of(self, agent_id: int) -> str:
        return self.contract.functions.ownerOf(agent_id).call()

    def agent_wallet(self, agent_id: int) -> str | None:
        wallet = self.contract.functions.getAgentWallet(agent_id).call()
        return None if wallet == ZERO_ADDRESS else wallet

    def exists(self, agent_id: int) -> bool:
        try:
            self.owner_of(agent_id)
        except (ContractLogicError, BadFunctionCallOutput):
            return False
        return True

    def agents_of(self, owner: str) -> list[int]:
        """The agents `owner` holds, oldest first (the registry is ERC-721 enumerable)."""
        held = self.contract.functions.balanceOf(owner).call()
        return sorted(self.contract.functions.tokenOfOwnerByIndex(owner, i).call() for i in range(held))

    def agents(self, rpc: Rpc, from_block: int = 0, to_block: int | None = None,
               known: dict[int, RegisteredAgent] | None = None) -> dict[int, RegisteredAgent]:
        """Every agent registered, by id, from the logs of `from_block` to `to_block` applied
        to `known` (what an earlier read of the blocks before found)."""
        agents = dict(known or {})
        last = self.w3.eth.block_number if to_block is None else to_block
        query = {"address": self.address, "topics": [list(_TOPICS.values())]}
        for log in LogReader(rpc).logs(query, from_block, last):
            _apply(agents, log)
        return agents

    # the owner's signature that makes a contract wallet (the vault) the agent's wallet

    def signature_deadline(self) -> int:
        """A deadline setAgentWallet takes: SIGNATURE_LIFETIME past the time of the node's next
        block (the node's clock, which a devnet's may not share with this machine's)."""
        try:
            now = self.w3.eth.get_block("pending")["timestamp"]
        except (ValueError, KeyError, Web3Exception):
            now = self.w3.eth.get_block("latest")["timestamp"]
        return int(now) + SIGNATURE_LIFETIME

    def wallet_signature(self, signer: LocalAccount, agent_id: int, new_wallet: str, owner: str,
                         deadline: int) -> bytes:
        """The EIP-712 AgentWalletSet signature by `signer` for `new_wallet`, in this registry's
        domain. The vault's isValidSignature (ERC-1271) takes its owner's as its own."""
        _, name, version, chain_id, contract, _, _ = self.contract.functions.eip712Domain().call()
        return signer.sign_typed_data(
            domain_data={"name": name, "version": version, "chainId": chain_id, "verifyingContract": contract},
            message_types={"AgentWalletSet": [
                {"name": "agentId", "type": "uint256"}, {"name": "newWallet", "type": "address"},
                {"name": "owner", "type": "address"}, {"name": "deadline", "type": "uint256"}]},
            message_data={"agentId": agent_id, "newWallet": new_wallet, "owner": owner, "deadline": deadline},
        ).signature

    # calls for the pipeline (not sent here)

    def register(self, uri: str) -> ContractFunction:
        return self.contract.get_function_by_signature("register(string)")(uri)

    def set_agent_uri(self, agent_id: int, uri: str) -> ContractFunction:
        return self.contract.functions.setAgentURI(agent_id, uri)

    def set_agent_wallet(self, agent_id: int, new_wallet: str, deadline: int, signature: bytes) -> ContractFunction:
        return self.contract.functions.setAgentWallet(agent_id, new_wallet, deadline, signature)


def _signature(abi: list, event: str) -> str:
    item = next(entry for entry in abi if entry["type"] == "event" and entry["name"] == event)
    return f"{event}({','.join(field['type'] for field in item['inputs'])})"


def _apply(agents: dict[int, RegisteredAgent], log: dict) -> None:
    topics = [topic if isinstance(topic, str) else "0x" + bytes(topic).hex() for topic in log["topics"]]
    data = bytes.fromhex(log["data"].removeprefix("0x")) if isinstance(log["data"], str) else bytes(log["data"])
    block = int(log["blockNumber"], 16) if isinstance(log["blockNumber"], str) else log["blockNumber"]
    agent_id = int(topics[-1] if topics[0] == _TOPICS["Transfer"] else topics[1], 16)
    if topics[0] == _TOPICS["Registered"]:
        owner = _checksum("0x" + topics[2][-40:])
        agents[agent_id] = RegisteredAgent(agent_id, _dynamic(data, 0).decode("utf-8", "replace"), owner, owner, block)
    elif agent_id not in agents:
        return  # a log of an agent registered before `from_block` that `known` lacks
    elif topics[0] == _TOPICS["URIUpdated"]:
        agents[agent_id] = replace(agents[agent_id], uri=_dynamic(data, 0).decode("utf-8", "replace"))
    elif topics[0] == _TOPICS["Transfer"] and len(topics) == 4:
        agents[agent_id] = replace(agents[agent_id], owner=_checksum("0x" + topics[2][-40:]))
    elif topics[0] == _TOPICS["MetadataSet"] and topics[2] == _AGENT_WALLET_TOPIC:
        value = _dynamic(data, 1)  # (string key, bytes value)
        wallet = _checksum("0x" + value.hex()) if len(value) == 20 else None  # empty: cleared
        agents[agent_id] = replace(agents[agent_id], agent_wallet=wallet)


_checksum = lru_cache(maxsize=4096)(to_checksum_address)  # owners repeat; keccak per log is most of a read


def _dynamic(data: bytes, index: int) -> bytes:
    """The `index`th head of ABI-encoded `data`, a string or bytes: read by hand, as a thousand
    logs decode ten times faster so than through eth_abi. Past the data's end, empty."""
    offset = int.from_bytes(data[32 * index:32 * index + 32], "big")
    length = int.from_bytes(data[offset:offset + 32], "big")
    return data[offset + 32:offset + 32 + length]


class ReputationRegistry:
    def __init__(self, w3: Web3, address: str):
        self.w3 = w3
        self.address = Web3.to_checksum_address(address)
        self.contract = w3.eth.contract(address=self.address, abi=artifacts.load("ReputationRegistry").abi)

    @classmethod
    def deploy(cls, w3: Web3, owner: LocalAccount, identity: str) -> ReputationRegistry:
        artifact = artifacts.load("ReputationRegistry")
        factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        return cls(w3, transactions.deploy(w3, owner, factory.constructor(identity)))

    def identity_registry(self) -> str | None:
        """The identity registry this one rates the agents of; None when no registry answers here."""
        if not self.w3.eth.get_code(self.address):
            return None
        try:
            return self.contract.functions.getIdentityRegistry().call()
        except (ContractLogicError, BadFunctionCallOutput, ValueError):
            return None

    def summary(self, agent_id: int, clients: tuple[str, ...], tag1: str = STARRED) -> Summary:
        """The mean of the ratings `clients` gave the agent (revoked ones left out)."""
        if not clients:
            return Summary(0, 0, 0)
        count, value, decimals = self.contract.functions.getSummary(agent_id, list(clients), tag1, "").call()
        return Summary(count, value, decimals, clients)

    def summaries(self, rpc: Rpc, agent_ids: Iterable[int], clients: tuple[str, ...],
                  tag1: str = STARRED) -> dict[int, Summary]:
        """summary() of each agent, as plain eth_calls through `rpc`: web3's own call costs
        some 50 ms each on a busy machine (its middleware asks the chain id every time), a
        plain call one round trip."""
        if not clients:
            return {agent_id: Summary(0, 0, 0) for agent_id in agent_ids}
        found = {}
        for agent_id in agent_ids:
            arguments = encode(["uint256", "address[]", "string", "string"], [agent_id, list(clients), tag1, ""])
            call = {"to": self.address, "data": _GET_SUMMARY + arguments.hex()}
            answer = bytes.fromhex(str(rpc("eth_call", [call, "latest"])).removeprefix("0x"))
            count, value, decimals = decode(["uint64", "int128", "uint8"], answer)
            found[agent_id] = Summary(count, value, decimals, clients)
        return found

    def rated_agents(self, rpc: Rpc, clients: tuple[str, ...], from_block: int = 0,
                     to_block: int | None = None) -> set[int]:
        """The agents any of `clients` rated, or took a rating back from, in those blocks (from
        the NewFeedback and FeedbackRevoked logs, one query per block range): a list asks for
        the summaries of those alone, and a cached list again for those alone."""
        topics = ["0x" + keccak(text=_signature(self.contract.abi, event)).hex()
                  for event in ("NewFeedback", "FeedbackRevoked")]
        client_topics = ["0x" + "00" * 12 + client[2:].lower() for client in clients]
        last = self.w3.eth.block_number if to_block is None else to_block
        query = {"address": self.address, "topics": [topics, None, client_topics]}
        return {int(log["topics"][1], 16) for log in LogReader(rpc).logs(query, from_block, last)}

    def last_index(self, agent_id: int, client: str) -> int:
        return self.contract.functions.getLastIndex(agent_id, client).call()

    def give_feedback(self, agent_id: int, score: int, tag: str = "", endpoint: str = "",
                      feedback_uri: str = "") -> ContractFunction:
        """A 0-100 rating, tag1 "starred" as the ERC's examples rate quality, `tag` its tag2."""
        return self.contract.functions.giveFeedback(agent_id, score, 0, STARRED, tag, endpoint, feedback_uri,
                                                    b"\x00" * 32)
