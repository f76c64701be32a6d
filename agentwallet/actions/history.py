"""History: the chain's Action events, joined with the journal's detail, each one verified.

The chain is the system of record: an entry exists because an event says so. The journal
adds what the chain does not keep (request, rationale, arguments); `verified` says that the
journal's canonical JSON hashes to the intent_hash the chain holds. Payments into the vault by
EIP-3009 authorization (what `serve` is paid) are entries too, `direction` "in", with their
payer: a known token's Transfer to the vault with its AuthorizationUsed, in one transaction.

The events are cached in the journal with a cursor (the last block read), committed with
them, so a refresh reads only the blocks since: when nothing changed it costs one
eth_getBlockByNumber (the latest block's number and hash). The hash of the block the cursor
ended in is kept with it: once that block is replaced (a reorg), what was read of the blocks
before it is read again. A wallet with no cursor yet starts at the vault's deployment block, never at
block 0: on a long chain under a provider's getLogs cap that is most of the work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from agentwallet import config as config_module
from agentwallet.actions.journal import Journal, JournalEntry
from agentwallet.actions.proposal import intent_hash
from agentwallet.chain.deployment_block import deployment_block
from agentwallet.chain.devnet import Devnet
from agentwallet.chain.events import (
    KIND_NAMES,
    STATUS_CODES,
    STATUS_NAMES,
    ChainAction,
    IncomingPayment,
    fetch_actions,
    fetch_incoming,
)
from agentwallet.chain.logs import FIRST_SPAN, LogReader
from agentwallet.chain.networks import confirmations_needed
from agentwallet.chain.rpc import JsonRpc
from agentwallet.errors import WalletError

# A load-balanced RPC's nodes can be this many blocks apart; a chain that much shorter than
# the cursor was reset (a devnet started afresh), and what was cached of it is gone.
LAGGING_BLOCKS = 64
REORG_BLOCKS = 64  # how far below a replaced block history reads again: deeper than reorgs go
QUERIES_PER_CHECKPOINT = 20  # the cursor moves (and what was read is kept) every this many getLogs
# What the event cache holds: the Action events, and, once the wallet sells (`serve`), its
# incoming payments too (one more getLogs per window, so only then); a cache without them is
# read again once they are wanted.
WITH_INCOMING = "actions+incoming"


class HistorySource(Protocol):
    """What history needs of a wallet: its journal, its addresses and a node to ask."""
    home: Path
    journal: Journal
    guardrail_address: str
    guardrail_block: int | None
    owner_address: str
    agent_address: str
    known_tokens: tuple[str, ...]  # whose incoming payments count (anyone can deploy a token that says it paid)
    sells: bool  # it has served a paid skill (its config has [serve]): its incoming payments are read
    shown_rpc_url: str
    confirmations: int  # blocks on an action's transaction before it counts as executed

    def rpc(self, method: str, params: list) -> object: ...


@dataclass
class LightHistorySource:
    """A HistorySource without web3 or keys, for `agentwallet history` to start fast."""
    home: Path
    journal: Journal
    guardrail_address: str
    guardrail_block: int | None
    owner_address: str
    agent_address: str
    known_tokens: tuple[str, ...]
    sells: bool
    rpc: JsonRpc

    confirmations: int

    @property
    def shown_rpc_url(self) -> str:
        return self.rpc.shown

    @classmethod
    def open(cls, home: Path) -> LightHistorySource:
        config = config_module.load_config(home)
        if not (config.guardrail and config.owner and config.agent):
            raise WalletError(config_module.NOT_SET_UP)
        rpc = JsonRpc(Devnet(home).start().rpc_url if config.is_devnet else config.network)
        chain_id = int(rpc("eth_chainId", []), 16)
        if config.chain_id is not None and chain_id != config.chain_id:
            raise WalletError(f"wrong chain at {rpc.shown}: chain id {chain_id}, "
                              f"the wallet was set up on {config.chain_id}")
        return cls(home, Journal(home / "journal.sqlite3"), config.guardrail, config.guardrail_block, config.owner,
                   config.agent, tuple(token.address for token in config.tokens), config.serve is not None, rpc,
                   confirmations_needed(chain_id, config.confirmations))


@dataclass(frozen=True)
class HistoryEntry:
    action_id: str
    block: int | None  # None while not mined
    timestamp: str  # ISO 8601, UTC; the time it was signed while not mined
    tx_hash: str
    kind: str
    status: str
    actor: str
    to: str
    token: str | None  # None for ETH
    amount: str  # base units
    intent_hash: str
    verified: bool
    tool: str | None  # from the journal, when it has the entry
    request: str | None  # untrusted
    rationale: str | None  # untrusted
    args: dict | None
    plan_id: str | None = None  # the plan this is a step of (None for a single action)
    step: int | None = None  # its position in the plan, 1 for the first
    # Sent but not yet executed: "submitted" (not mined: no event yet, block None) or
    # "confirming" (mined, `confirmations` blocks on it of the `confirmations_needed`).
    pending: str | None = None
    confirmations: int | None = None
    confirmations_needed: int | None = None
    direction: str = "out"  # "in": a payment into the vault, by `payer`
    payer: str | None = None

    @property
    def state(self) -> str:
        """Where the action is: its status on chain, or submitted / confirming while it is sent
        and not yet executed."""
        return self.pending or self.status

    @property
    def state_text(self) -> str:
        """The state in a few words: "confirming 1/3" with the count."""
        if self.pending == "confirming":
            return f"confirming {self.confirmations}/{self.confirmations_needed}"
        return self.state

    def as_json(self) -> dict:
        row = dict(self.__dict__)  # flat fields; dataclasses.asdict deep-copies and is 10x slower
        del row["pending"]
        row["state"] = self.state
        return row

    @classmethod
    def json_fields(cls) -> list[str]:
        """The keys of as_json, in order."""
        return [field.name for field in fields(cls) if field.name != "pending"] + ["state"]

    @property
    def made_elsewhere(self) -> bool:
        """One of this wallet's keys did it, but not through this wallet: its journal never had it."""
        return self.direction == "out" and self.tool is None


ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def sync_events(wallet: HistorySource) -> int:
    """Bring the local cache of Action events up to the chain's latest block: its number."""
    journal = wallet.journal
    latest = wallet.rpc("eth_getBlockByNumber", ["latest", False])  # its number and hash in one call
    head = int(latest["number"], 16)
    incoming_cached = journal.meta("events_cache") == WITH_INCOMING
    if journal.meta("guardrail") != wallet.guardrail_address or (wallet.sells and not incoming_cached):
        journal.forget_events()
        journal.set_meta("guardrail", wallet.guardrail_address)
        if wallet.sells:
            journal.set_meta("events_cache", WITH_INCOMING)
            incoming_cached = True
    scanned = journal.meta("scanned_to")
    if scanned is not None and int(scanned) > head:
        if int(scanned) - head <= LAGGING_BLOCKS:
            return head  # this node is behind the one that answered last time: it has nothing newer
        journal.forget_events()
        scanned = None
    if scanned is not None and _reorganised(wallet, int(scanned), latest):
        # The block the cursor ended in is not on the chain any more: the events read from the
        # blocks a reorg replaced may be gone (a payment dropped, mined again later), so they
        # are read again from below the deepest reorg expected.
        scanned = str(max(int(scanned) - REORG_BLOCKS, _first_block(wallet, head) - 1))
        journal.forget_events_after(int(scanned))
    start = int(scanned) + 1 if scanned is not None else _first_block(wallet, head)
    span_key = f"logs_span {wallet.shown_rpc_url}"  # what this node's getLogs cap was found to be
    reader = LogReader(wallet.rpc, int(journal.meta(span_key) or FIRST_SPAN))
    while start <= head:
        end = min(start + reader.span * QUERIES_PER_CHECKPOINT - 1, head)
        actions = fetch_actions(reader, wallet.guardrail_address, start, end)
        incoming = fetch_incoming(reader, wallet.guardrail_address, start, end) if incoming_cached else []
        journal.cache_events([a.as_row() for a in actions], end, latest["hash"] if end == head else None,
                             [payment.as_row() for payment in incoming])
        start = end + 1
    if reader.span != int(journal.meta(span_key) or FIRST_SPAN):
        journal.set_meta(span_key, str(reader.span))
    return head


def _reorganised(wallet: HistorySource, scanned: int, latest: dict) -> bool:
    """Whether the block the cursor ended in was replaced since it was read (its hash is kept
    with the cursor; none is after an interrupted first read)."""
    kept = wallet.journal.meta("scanned_hash")
    if kept is None:
        return False
    block = latest if int(latest["number"], 16) == scanned else wallet.rpc("eth_getBlockByNumber",
                                                                          [hex(scanned), False])
    return block is None or block["hash"] != kept


def _first_block(wallet: HistorySource, head: int) -> int:
    """Where the vault's history starts: its deployment block, from the config or else found
    on chain once and written there."""
    if wallet.guardrail_block is not None:
        return wallet.guardrail_block
    found = deployment_block(wallet.rpc, wallet.guardrail_address, head)
    if found is None:
        return 0  # a node without old state cannot say: read from the start, once
    vault = wallet.guardrail_address
    config_module.update_config(
        wallet.home, lambda config: replace(config, guardrail_block=found) if config.guardrail == vault else config)
    return found


def history(wallet: HistorySource, limit: int | None = None) -> list[HistoryEntry]:
    """Newest first: the actions sent and not yet mined, then the chain's events."""
    head = sync_events(wallet)
    events = [ChainAction.from_row(row) for row in wallet.journal.cached_events(our_actors(wallet), limit)]
    journal = {row[0]: row for row in wallet.journal.db.execute(
        "SELECT action_id, tool, request, rationale, canonical FROM actions")}
    sent = {entry.action_id: entry for entry in wallet.journal.sent_entries()}
    entries = [_entry(event, journal.get(event.action_id)) for event in events]
    # Mined, its event on chain, but not yet as deep as the network's confirmations (once it is,
    # it is executed, though no process has settled it in the journal yet).
    entries = [replace(entry, pending="confirming", confirmations=max(0, head - entry.block),
                       confirmations_needed=wallet.confirmations)
               if entry.action_id in sent and entry.status == "executed" and head - entry.block < wallet.confirmations
               else entry for entry in entries]
    incoming = [_incoming(IncomingPayment.from_row(row), wallet.guardrail_address)
                for row in wallet.journal.cached_incoming(wallet.known_tokens)]
    if incoming:  # newest first, both kinds together
        entries = sorted(entries + incoming, key=lambda entry: entry.block, reverse=True)
    shown = {entry.action_id for entry in entries}
    submitted = [_submitted(wallet, entry) for entry in sent.values() if entry.action_id not in shown]
    return (submitted + entries)[:limit] if limit is not None else submitted + entries


def agent_native_spending(wallet: HistorySource) -> list[tuple[int, int]]:
    """(unix time, wei) of every ETH amount the agent's executed actions moved,
    newest first: what the spending chart draws, read from the event cache without building the history."""
    sync_events(wallet)
    rows = wallet.journal.native_spends(wallet.agent_address, STATUS_CODES["executed"], ZERO_ADDRESS)
    return [(timestamp, int(amount)) for timestamp, amount in rows]


def our_actors(wallet: HistorySource) -> tuple[str, str]:
    # record() is open to anyone (it moves nothing); only our own keys' events are our history.
    return wallet.owner_address, wallet.agent_address


def _submitted(wallet: HistorySource, entry: JournalEntry) -> HistoryEntry:
    """An action sent whose transaction is not mined yet: no event says so, the journal does."""
    proposed = json.loads(entry.canonical)
    return HistoryEntry(
        action_id=entry.action_id, block=None,
        timestamp=datetime.fromtimestamp(int(entry.updated_at), timezone.utc).isoformat().replace("+00:00", "Z"),
        tx_hash=wallet.journal.sent_for(entry.action_id)[-1].tx_hash, kind="record", status="submitted",
        actor=entry.sender, to=ZERO_ADDRESS, token=None, amount="0", intent_hash=entry.intent_hash, verified=True,
        tool=entry.tool, request=entry.request, rationale=entry.rationale, args=proposed.get("args"),
        plan_id=proposed.get("plan_id"), step=proposed.get("position"), pending="submitted",
        confirmations_needed=wallet.confirmations,
    )


def _incoming(payment: IncomingPayment, vault: str) -> HistoryEntry:
    """A payment into the vault as History shows it. Verified: the chain's two events agree (the
    token moved the amount from the payer, whose authorization it used); no journal has it."""
    return HistoryEntry(
        action_id=payment.nonce, block=payment.block,
        timestamp=datetime.fromtimestamp(payment.timestamp, timezone.utc).isoformat().replace("+00:00", "Z"),
        tx_hash=payment.tx_hash, kind="payment", status="executed", actor=payment.payer, to=vault,
        token=payment.token, amount=str(payment.amount), intent_hash="0x" + "00" * 32, verified=True, tool=None,
        request=None, rationale=None, args=None, direction="in", payer=payment.payer)


def _entry(event: ChainAction, journal_row: tuple | None) -> HistoryEntry:
    tool = request = rationale = args = None
    verified = False
    proposed: dict = {}
    if journal_row is not None:
        _, tool, request, rationale, canonical = journal_row
        verified = intent_hash(canonical) == event.intent_hash
        proposed = json.loads(canonical)
        args = proposed.get("args")
    return HistoryEntry(
        action_id=event.action_id,
        block=event.block,
        timestamp=datetime.fromtimestamp(event.timestamp, timezone.utc).isoformat().replace("+00:00", "Z"),
        tx_hash=event.tx_hash,
        kind=KIND_NAMES.get(event.kind, str(event.kind)),
        status=STATUS_NAMES.get(event.status, str(event.status)),
        actor=event.actor,
        to=event.target,
        token=None if event.token == ZERO_ADDRESS else event.token,
        amount=str(event.amount),
        intent_hash=event.intent_hash,
        verified=verified,
        tool=tool, request=request, rationale=rationale, args=args,
        plan_id=proposed.get("plan_id"), step=proposed.get("position"),
    )
