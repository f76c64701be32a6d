"""The guardrail's Action events, read straight from the node's logs.

Decoded by hand with eth_abi (not web3's per-log event machinery) so ten thousand of them
read in well under a second; block timestamps come with the logs where the node gives them
(anvil does) and are fetched once per block otherwise. The logs are read through chain.logs,
which pages around the node's caps.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address

from agentwallet.chain.logs import LogReader

ACTION_TOPIC = "0x" + keccak(text="Action(bytes32,address,uint8,address,address,uint256,bytes32,uint8)").hex()
PLAN_TOPIC = "0x" + keccak(text="Plan(bytes32,address,bytes32,bytes32[],uint256)").hex()
KIND_NAMES = {1: "native", 2: "token", 3: "call", 4: "owner_execute", 5: "record", 6: "payment"}
KIND_CODES = {name: code for code, name in KIND_NAMES.items()}
STATUS_NAMES = {1: "executed", 2: "denied", 3: "failed"}
STATUS_CODES = {name: code for code, name in STATUS_NAMES.items()}


@dataclass(frozen=True)
class ChainAction:
    action_id: str
    block: int
    log_index: int
    tx_hash: str
    timestamp: int
    actor: str
    kind: int
    target: str
    token: str
    amount: int
    intent_hash: str
    status: int

    def as_row(self) -> tuple:
        return (self.action_id, self.block, self.log_index, self.tx_hash, self.timestamp, self.actor,
                self.kind, self.target, self.token, str(self.amount), self.intent_hash, self.status)

    @classmethod
    def from_row(cls, row: tuple) -> ChainAction:
        fields = list(row)
        fields[9] = int(fields[9])
        return cls(*fields)


def _timestamp(reader: LogReader, log: dict, timestamps: dict[int, int]) -> int:
    block = int(log["blockNumber"], 16)
    if "blockTimestamp" in log and log["blockTimestamp"]:
        timestamps[block] = int(log["blockTimestamp"], 16)
    elif block not in timestamps:
        timestamps[block] = int(reader.rpc("eth_getBlockByNumber", [hex(block), False])["timestamp"], 16)
    return timestamps[block]


def fetch_actions(reader: LogReader, guardrail: str, from_block: int, to_block: int) -> list[ChainAction]:
    actions: list[ChainAction] = []
    timestamps: dict[int, int] = {}
    for log in reader.logs({"address": guardrail, "topics": [ACTION_TOPIC]}, from_block, to_block):
        # data: kind uint8, target address, token address, amount uint256, intent bytes32,
        # status uint8; six static 32-byte words, read in place (a tenth of eth_abi's time).
        words = [log["data"][2 + 64 * i: 66 + 64 * i] for i in range(6)]
        actions.append(ChainAction(
            action_id=log["topics"][1],
            block=int(log["blockNumber"], 16),
            log_index=int(log["logIndex"], 16),
            tx_hash=log["transactionHash"],
            timestamp=_timestamp(reader, log, timestamps),
            actor=_checksummed(log["topics"][2][-40:]),
            kind=int(words[0], 16),
            target=_checksummed(words[1][24:]),
            token=_checksummed(words[2][24:]),
            amount=int(words[3], 16),
            intent_hash="0x" + words[4],
            status=int(words[5], 16),
        ))
    return actions


TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()
AUTHORIZATION_USED_TOPIC = "0x" + keccak(text="AuthorizationUsed(address,bytes32)").hex()


@dataclass(frozen=True)
class IncomingPayment:
    """An EIP-3009 payment into the vault (an x402 payment `serve` settled, or anyone's): a
    token's Transfer to the vault and, in the same transaction, that token's AuthorizationUsed
    by the sender: the payer's authorization carried out."""
    block: int
    log_index: int  # the Transfer's
    tx_hash: str
    timestamp: int
    payer: str
    token: str
    amount: int
    nonce: str  # the authorization's: unique per payer

    def as_row(self) -> tuple:
        return (self.block, self.log_index, self.tx_hash, self.timestamp, self.payer, self.token, str(self.amount),
                self.nonce)

    @classmethod
    def from_row(cls, row: tuple) -> IncomingPayment:
        fields = list(row)
        fields[6] = int(fields[6])
        return cls(*fields)


def fetch_incoming(reader: LogReader, vault: str, from_block: int, to_block: int) -> list[IncomingPayment]:
    """The vault's incoming EIP-3009 payments in the blocks: two questions to the node, the
    second only when tokens came in (and only of the tokens that sent them)."""
    to_vault = "0x" + "00" * 12 + vault.lower().removeprefix("0x")
    transfers = [log for log in reader.logs({"topics": [TRANSFER_TOPIC, None, to_vault]}, from_block, to_block)
                 if len(log["topics"]) == 3 and len(log["data"]) == 66]  # ERC-20's; ERC-721's has a 4th topic
    if not transfers:
        return []
    tokens = sorted({log["address"].lower() for log in transfers})
    used = {(log["transactionHash"], log["address"].lower(), log["topics"][1]): log["topics"][2]
            for log in reader.logs({"address": tokens, "topics": [AUTHORIZATION_USED_TOPIC]}, from_block, to_block)
            if len(log["topics"]) == 3}
    timestamps: dict[int, int] = {}
    payments = []
    for log in transfers:
        nonce = used.get((log["transactionHash"], log["address"].lower(), log["topics"][1]))
        if nonce is None:
            continue  # a plain transfer in, not a payment by authorization
        payments.append(IncomingPayment(
            block=int(log["blockNumber"], 16), log_index=int(log["logIndex"], 16), tx_hash=log["transactionHash"],
            timestamp=_timestamp(reader, log, timestamps), payer=_checksummed(log["topics"][1][-40:]),
            token=_checksummed(log["address"].lower().removeprefix("0x")), amount=int(log["data"], 16), nonce=nonce))
    return payments


def payment_settled(reader: LogReader, token: str, payer: str, nonce: str, vault: str, amount: int,
                    from_block: int, to_block: int) -> str | None:
    """The transaction, from `from_block` on, in which `payer`'s authorization `nonce` paid the
    vault at least `amount` of `token`: the token's AuthorizationUsed and, as the log right after
    it (EIP-3009 tokens mark the nonce used, then transfer), its Transfer to the vault. None where
    the nonce was used otherwise (cancelled, or paid to someone else) or not at all."""
    payer_topic = "0x" + "00" * 12 + payer.lower().removeprefix("0x")
    vault_topic = "0x" + "00" * 12 + vault.lower().removeprefix("0x")
    used = {(log["transactionHash"], int(log["logIndex"], 16)) for log in reader.logs(
        {"address": token, "topics": [AUTHORIZATION_USED_TOPIC, payer_topic, nonce.lower()]}, from_block, to_block)}
    if not used:
        return None
    for log in reader.logs({"address": token, "topics": [TRANSFER_TOPIC, payer_topic, vault_topic]},
                           from_block, to_block):
        if ((log["transactionHash"], int(log["logIndex"], 16) - 1) in used and len(log["data"]) == 66
                and int(log["data"], 16) >= amount):
            return log["transactionHash"]
    return None


@lru_cache(maxsize=4096)
def _checksummed(hex40: str) -> str:
    return to_checksum_address("0x" + hex40)


@dataclass(frozen=True)
class ChainPlan:
    """A plan's decision as record_plan logged it (docs/guardrail.md)."""
    plan_id: str
    actor: str
    plan_hash: str
    action_ids: list[str]
    approved: int  # bit i: step i+1


def fetch_plans(reader: LogReader, guardrail: str, plan_id: str, from_block: int, to_block: int) -> list[ChainPlan]:
    """The Plan events that name `plan_id`: found by their indexed plan id, so the node does the search."""
    plans = []
    for log in reader.logs({"address": guardrail, "topics": [PLAN_TOPIC, plan_id]}, from_block, to_block):
        plan_hash, ids, approved = abi_decode(["bytes32", "bytes32[]", "uint256"], bytes.fromhex(log["data"][2:]))
        plans.append(ChainPlan(log["topics"][1], _checksummed(log["topics"][2][-40:]), "0x" + plan_hash.hex(),
                               ["0x" + action_id.hex() for action_id in ids], approved))
    return plans
