"""The journal: every proposal in full, and where each one is in its life, in SQLite.

States, written before the step they describe is taken (write-ahead):
  proposed → denied
  proposed → approved → signed (raw transaction stored) → executed | failed
A denial or a failure is then logged on chain by a second transaction, kept the same way
in the log_* columns. A signed transaction is stored before it is broadcast, so after a
crash, or a reorg that drops it, the same bytes (same nonce) are sent again and can be mined
at most once. `signed` is also the state of an action sent but not yet executed: submitted
(not mined) or confirming (mined, fewer blocks on it than the network's confirmations). A
speed-up or a cancel signs another transaction for the same nonce: every transaction signed
for an action is kept in the table `sent`, and the action is settled by whichever was mined. A proposal
records the process that asks for its decision: one left `proposed` by a process that is gone
(killed while it asked) is denied by the next reconcile.

A plan (actions/plan.py) is a row of its own, and its steps are actions whose canonical JSON
names the plan. The decision on the whole plan is written at once (`approved`, the steps'
states); its on-chain record (record_plan) is kept in the plan's log_* columns, and logs the
steps left out as denied, so those are logged when it is.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from agentwallet.actions.plan import Plan, approved_mask
from agentwallet.actions.proposal import Proposal
from agentwallet.private_files import create_private

SCHEMA = """
CREATE TABLE IF NOT EXISTS actions (
    action_id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    tool TEXT NOT NULL,
    request TEXT NOT NULL,
    rationale TEXT NOT NULL,
    canonical TEXT NOT NULL,
    intent_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    executor TEXT,
    tx_hash TEXT, raw_tx BLOB, nonce INTEGER, sender TEXT,
    log_tx_hash TEXT, log_raw_tx BLOB, log_nonce INTEGER, log_sender TEXT, logged INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    updated_at REAL NOT NULL,
    pid INTEGER, pid_started TEXT
);
CREATE INDEX IF NOT EXISTS actions_state ON actions(state);
CREATE TABLE IF NOT EXISTS chain_events (
    action_id TEXT NOT NULL,
    block INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    tx_hash TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind INTEGER NOT NULL,
    target TEXT NOT NULL,
    token TEXT NOT NULL,
    amount TEXT NOT NULL,
    intent_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    PRIMARY KEY (block, log_index)
);
CREATE TABLE IF NOT EXISTS incoming_payments (
    block INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    tx_hash TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    payer TEXT NOT NULL,
    token TEXT NOT NULL,
    amount TEXT NOT NULL,
    nonce TEXT NOT NULL,
    PRIMARY KEY (block, log_index)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sent (
    tx_hash TEXT PRIMARY KEY,
    action_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    raw_tx BLOB NOT NULL,
    signed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sent_action ON sent(action_id);
CREATE TABLE IF NOT EXISTS plans (
    plan_id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    request TEXT NOT NULL,
    canonical TEXT NOT NULL,
    plan_hash TEXT NOT NULL,
    approved INTEGER,
    log_tx_hash TEXT, log_raw_tx BLOB, log_nonce INTEGER, log_sender TEXT, logged INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    updated_at REAL NOT NULL
);
"""

TERMINAL = ("executed", "failed", "denied")
UNFINISHED = "state IN ('approved', 'signed') OR (state IN ('failed', 'denied') AND logged = 0)"


_OF_PLAN = "json_extract(canonical, '$.plan_id') = ?"


@dataclass(frozen=True)
class PlanEntry:
    plan_id: str
    created_at: float
    request: str
    canonical: str
    plan_hash: str
    approved: int | None  # bit i for step i+1 (actions/plan.approved_mask); None until decided
    log_tx_hash: str | None
    log_raw_tx: bytes | None
    log_nonce: int | None
    log_sender: str | None
    logged: int
    error: str | None
    updated_at: float


@dataclass(frozen=True)
class JournalEntry:
    action_id: str
    created_at: float
    tool: str
    request: str
    rationale: str
    canonical: str
    intent_hash: str
    state: str
    executor: str | None
    tx_hash: str | None
    raw_tx: bytes | None
    nonce: int | None
    sender: str | None
    log_tx_hash: str | None
    log_raw_tx: bytes | None
    log_nonce: int | None
    log_sender: str | None
    logged: int
    error: str | None
    updated_at: float
    pid: int | None  # the process that proposed it, and when that process started: while it
    pid_started: str | None  # runs, it may be asking its user right now

    @property
    def plan_id(self) -> str | None:
        """The plan this is a step of, if any."""
        return json.loads(self.canonical).get("plan_id")


@dataclass(frozen=True)
class SentTx:
    """One transaction signed for an action's nonce."""
    tx_hash: str
    purpose: str  # action | speedup | cancel
    raw_tx: bytes
    signed_at: float


class Journal:
    def __init__(self, path: Path):
        self.path = path
        # Made 0600 before SQLite opens it: the -wal and -shm files it adds take the same mode.
        self.db = sqlite3.connect(create_private(path), isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(actions)")}
        if "pid" not in columns:  # a journal from before proposals recorded their process
            self.db.execute("ALTER TABLE actions ADD COLUMN pid INTEGER")
            self.db.execute("ALTER TABLE actions ADD COLUMN pid_started TEXT")

    def close(self) -> None:
        self.db.close()

    def add(self, proposal: Proposal) -> None:
        now = time.time()
        self.db.execute(
            "INSERT INTO actions (action_id, created_at, tool, request, rationale, canonical,"
            " intent_hash, state, updated_at, pid, pid_started) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (proposal.action_id, now, proposal.tool, proposal.request, proposal.rationale,
             proposal.canonical_json(), proposal.intent_hash, "proposed", now, os.getpid(), _started(os.getpid())),
        )

    def add_plan(self, plan: Plan) -> None:
        """The plan and its steps, all proposed, in one transaction."""
        now = time.time()
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("INSERT INTO plans (plan_id, created_at, request, canonical, plan_hash, updated_at)"
                            " VALUES (?,?,?,?,?,?)",
                            (plan.plan_id, now, plan.request, plan.canonical_json(), plan.plan_hash, now))
            for step in plan.steps:
                self.add(step)

    def decide_plan(self, plan_id: str, approved: dict[str, str | None]) -> None:
        """The person's decision on the whole plan, at once: each step's action id, and the key
        that signs it when it is approved (None: left out, denied)."""
        steps = self.plan_steps(plan_id)
        now = time.time()
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE plans SET approved = ?, updated_at = ? WHERE plan_id = ?",
                            (approved_mask([approved[step.action_id] is not None for step in steps]), now, plan_id))
            for step in steps:
                executor = approved[step.action_id]
                self.db.execute("UPDATE actions SET state = ?, executor = ?, updated_at = ? WHERE action_id = ?",
                                ("denied" if executor is None else "approved", executor, now, step.action_id))

    def update_plan(self, plan_id: str, **fields: object) -> None:
        fields["updated_at"] = time.time()
        columns = ", ".join(f"{name} = ?" for name in fields)
        self.db.execute(f"UPDATE plans SET {columns} WHERE plan_id = ?", (*fields.values(), plan_id))

    def plan_logged(self, plan_id: str) -> None:
        """The plan's record is on chain, and with it the denial of each step left out."""
        now = time.time()
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE plans SET logged = 1, updated_at = ? WHERE plan_id = ?", (now, plan_id))
            self.db.execute(f"UPDATE actions SET logged = 1, updated_at = ? WHERE state = 'denied' AND {_OF_PLAN}",
                            (now, plan_id))

    def get_plan(self, plan_id: str) -> PlanEntry | None:
        row = self.db.execute("SELECT * FROM plans WHERE plan_id = ?", (plan_id,)).fetchone()
        return PlanEntry(*row) if row else None

    def plans(self) -> list[PlanEntry]:
        return [PlanEntry(*row) for row in self.db.execute("SELECT * FROM plans ORDER BY created_at")]

    def plan_steps(self, plan_id: str) -> list[JournalEntry]:
        rows = self.db.execute(f"SELECT * FROM actions WHERE {_OF_PLAN} ORDER BY json_extract(canonical, '$.position')",
                               (plan_id,))
        return [JournalEntry(*row) for row in rows]

    def unlogged_plans(self) -> list[PlanEntry]:
        """Plans decided whose record is not on chain yet."""
        rows = self.db.execute("SELECT * FROM plans WHERE approved IS NOT NULL AND logged = 0 ORDER BY created_at")
        return [PlanEntry(*row) for row in rows]

    def update(self, action_id: str, **fields: object) -> None:
        fields["updated_at"] = time.time()
        columns = ", ".join(f"{name} = ?" for name in fields)
        self.db.execute(f"UPDATE actions SET {columns} WHERE action_id = ?", (*fields.values(), action_id))

    def signed(self, action_id: str, tx_hash: str, raw_tx: bytes, nonce: int, sender: str) -> None:
        """The action's transaction is signed: kept, with its nonce, before it is broadcast."""
        now = time.time()
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE actions SET state = 'signed', tx_hash = ?, raw_tx = ?, nonce = ?, sender = ?,"
                            " updated_at = ? WHERE action_id = ?", (tx_hash, raw_tx, nonce, sender, now, action_id))
            self.db.execute("INSERT OR IGNORE INTO sent VALUES (?,?,?,?,?)",
                            (tx_hash, action_id, "action", raw_tx, now))

    def add_replacement(self, action_id: str, purpose: str, tx_hash: str, raw_tx: bytes) -> None:
        """Another transaction signed for the action's nonce (a speed-up or a cancel), kept
        before it is broadcast."""
        entry = self.get(action_id)
        now = time.time()
        with self.db:
            self.db.execute("BEGIN")
            if not self.db.execute("SELECT 1 FROM sent WHERE action_id = ?", (action_id,)).fetchone():
                # signed before the journal kept every transaction: the first one joins them
                self.db.execute("INSERT INTO sent VALUES (?,?,?,?,?)",
                                (entry.tx_hash, action_id, "action", entry.raw_tx, entry.updated_at))
            self.db.execute("INSERT INTO sent VALUES (?,?,?,?,?)", (tx_hash, action_id, purpose, raw_tx, now))

    def sent_for(self, action_id: str) -> list[SentTx]:
        """Every transaction signed for the action's nonce, the first first."""
        rows = self.db.execute("SELECT tx_hash, purpose, raw_tx, signed_at FROM sent WHERE action_id = ?"
                               " ORDER BY signed_at, rowid", (action_id,)).fetchall()
        if rows:
            return [SentTx(*row) for row in rows]
        entry = self.get(action_id)
        if entry is None or entry.tx_hash is None:
            return []
        return [SentTx(entry.tx_hash, "action", entry.raw_tx, entry.updated_at)]

    def get(self, action_id: str) -> JournalEntry | None:
        row = self.db.execute("SELECT * FROM actions WHERE action_id = ?", (action_id,)).fetchone()
        return JournalEntry(*row) if row else None

    def entries(self) -> list[JournalEntry]:
        return [JournalEntry(*row) for row in self.db.execute("SELECT * FROM actions ORDER BY created_at")]

    def sent_entries(self) -> list[JournalEntry]:
        """Actions sent and not yet settled, newest first."""
        rows = self.db.execute("SELECT * FROM actions WHERE state = 'signed' ORDER BY created_at DESC")
        return [JournalEntry(*row) for row in rows]

    def unfinished(self) -> list[JournalEntry]:
        """Entries a crash may have left half-way: not terminal, or terminal but not yet logged."""
        rows = self.db.execute(f"SELECT * FROM actions WHERE {UNFINISHED} ORDER BY created_at")
        return [JournalEntry(*row) for row in rows]

    def unfinished_entry(self, action_id: str) -> JournalEntry | None:
        """The entry as it is now, if it is still unfinished (another process may have finished it)."""
        row = self.db.execute(f"SELECT * FROM actions WHERE action_id = ? AND ({UNFINISHED})", (action_id,)).fetchone()
        return JournalEntry(*row) if row else None

    def guardrails(self) -> list[str]:
        """The vaults this journal's proposals were made for, the latest first."""
        rows = self.db.execute("SELECT json_extract(canonical, '$.guardrail') AS vault FROM actions"
                               " GROUP BY vault ORDER BY MAX(created_at) DESC").fetchall()
        synced = self.meta("guardrail")
        return list(dict.fromkeys([vault for vault, in rows if vault] + ([synced] if synced else [])))

    def abandoned(self) -> list[JournalEntry]:
        """Proposals still waiting for a decision whose process is gone (killed while it asked):
        nobody can approve them any more. One whose process still runs is left to it."""
        rows = self.db.execute("SELECT * FROM actions WHERE state = 'proposed' ORDER BY created_at")
        entries = [JournalEntry(*row) for row in rows]
        return [entry for entry in entries if entry.pid is None or _started(entry.pid) != entry.pid_started]

    # The chain's Action events, cached so history does not re-read the whole chain each time.

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def forget_meta(self, key: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", (key,))

    def cache_events(self, rows: list[tuple], scanned_to: int, scanned_hash: str | None,
                     incoming: list[tuple] = ()) -> None:
        """Events (and incoming payments) read up to block `scanned_to`, and that block's hash
        where it is known."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO chain_events VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            self.db.executemany("INSERT OR REPLACE INTO incoming_payments VALUES (?,?,?,?,?,?,?,?)", incoming)
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('scanned_to', ?)",
                            (str(scanned_to),))
            if scanned_hash is None:
                self.db.execute("DELETE FROM meta WHERE key = 'scanned_hash'")
            else:
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('scanned_hash', ?)",
                                (scanned_hash,))

    def forget_events_after(self, block: int) -> None:
        """Forget the events cached from the blocks after `block`; the cursor goes back to it."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM chain_events WHERE block > ?", (block,))
            self.db.execute("DELETE FROM incoming_payments WHERE block > ?", (block,))
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('scanned_to', ?)", (str(block),))
            self.db.execute("DELETE FROM meta WHERE key = 'scanned_hash'")

    def cached_events(self, actors: tuple[str, ...], limit: int | None = None) -> list[tuple]:
        marks = ", ".join("?" for _ in actors)
        sql = f"SELECT * FROM chain_events WHERE actor IN ({marks}) ORDER BY block DESC, log_index DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.db.execute(sql, actors).fetchall()

    def events_made_elsewhere(self, actors: tuple[str, ...]) -> list[tuple]:
        """Cached events of `actors` whose action this journal never had, newest first."""
        marks = ", ".join("?" for _ in actors)
        return self.db.execute(
            f"SELECT * FROM chain_events WHERE actor IN ({marks}) AND action_id NOT IN (SELECT action_id FROM actions)"
            " ORDER BY block DESC, log_index DESC", actors).fetchall()

    def cached_incoming(self, tokens: tuple[str, ...]) -> list[tuple]:
        """The cached incoming payments in `tokens`, newest first."""
        marks = ", ".join("?" for _ in tokens)
        return self.db.execute(f"SELECT * FROM incoming_payments WHERE token IN ({marks})"
                               " ORDER BY block DESC, log_index DESC", tokens).fetchall()

    def native_spends(self, actor: str, status: int, no_token: str) -> list[tuple[int, str]]:
        """(timestamp, amount) of the cached events of `actor` with `status` that moved ETH, newest first."""
        return self.db.execute(
            "SELECT timestamp, amount FROM chain_events WHERE actor = ? AND status = ? AND token = ? AND amount != '0'"
            " ORDER BY block DESC, log_index DESC", (actor, status, no_token)).fetchall()

    def forget_events(self) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM chain_events")
            self.db.execute("DELETE FROM incoming_payments")
            self.db.execute("DELETE FROM meta WHERE key IN ('scanned_to', 'scanned_hash')")


def _started(pid: int) -> str | None:
    """When process `pid` started, which tells it from a later process given the same pid (the
    start time in clock ticks, where /proc has it), or None when there is no such process."""
    if Path("/proc/self/stat").exists():
        try:
            return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19]  # field 22
        except OSError:
            return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return "running"
