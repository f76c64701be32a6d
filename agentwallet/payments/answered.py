"""The answers `serve` gave for payments, kept so that a payer whose answer was lost gets it again.

x402 settles before it answers: a connection that drops after the settlement, or a server that
stops between the settlement and the response, leaves the payer charged and unanswered. So the
answer to a paid question is written here before its payment is settled, keyed by the payment
(payer, nonce) alone: a payment answered again for another question (its first settlement
failed) replaces the answer, so one payment never buys two. A request that brings the same
payment for the same question again is sent the kept answer, with no second settlement, once
the chain shows the payment settled to the vault (serve.py's _Redelivering): the chain, not this
file, says whether it was paid.

A kept answer is no secret from someone who saw the payment on chain and guesses its question
(the payment's fields are public there): the paid question and answer are the payer's to keep
private, not this server's.

One JSON line per answer, in the wallet's home (0600: questions and answers are the payers'
business). Lines older than KEEP_SECONDS are dropped when a server starts and every
COMPACT_EVERY answers, under a lock file (one `serve` runs per wallet, payments/serving.py, but
a stopping one and a starting one may overlap).
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from agentwallet.private_files import create_private, write_atomically

FILE = "served-answers.jsonl"
LOCK_FILE = "served-answers.lock"
KEEP_SECONDS = 7 * 86_400  # a payer that comes back later than a week pays again
COMPACT_EVERY = 1_000

Payment = tuple[str, str]  # (payer, nonce), lowercase hex


@dataclass(frozen=True)
class Kept:
    payer: str
    nonce: str
    question: str
    answer: str
    token: str  # the price it was answered at: what the settlement must have paid
    amount: int
    block: int  # the chain's height when it was kept: its settlement is looked for from there
    at: float

    @property
    def payment(self) -> Payment:
        return self.payer, self.nonce


class AnswersServed:
    def __init__(self, home: Path, now=time.time):
        self._path, self._lock_path = home / FILE, home / LOCK_FILE
        self._now = now
        self._lock = threading.Lock()  # the dict only: never held across disk work
        self._answers: dict[Payment, Kept] = {}
        self._kept_since_compacted = 0
        self._compact()

    def keep(self, kept: Kept) -> None:
        """Write the answer down, to disk, before its payment is settled."""
        line = (json.dumps(asdict(kept), ensure_ascii=False) + "\n").encode("utf-8")
        with self._locked_file():
            with open(create_private(self._path), "rb+") as file:
                end = file.seek(0, os.SEEK_END)
                if end and (file.seek(end - 1), file.read(1))[1] != b"\n":
                    line = b"\n" + line  # after a write cut short (a full disk), on a line of its own
                file.write(line)
                file.flush()
                os.fsync(file.fileno())
            with self._lock:
                self._answers[kept.payment] = kept
                self._kept_since_compacted += 1
                compact = self._kept_since_compacted >= COMPACT_EVERY
        if compact:
            self._compact()

    def kept(self, payment: Payment, question: str) -> Kept | None:
        """The answer this payment was last answered with, if it was for `question` and is young
        enough (paid or not: ask the chain)."""
        with self._lock:
            kept = self._answers.get(payment)
        if kept is None or kept.question != question or kept.at < self._now() - KEEP_SECONDS:
            return None
        return kept

    def _compact(self) -> None:
        """Read the file (another server of this wallet may have added to it) and drop what is old."""
        with self._locked_file():
            try:
                lines = self._path.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:
                lines = []
            answers, young, oldest = {}, [], self._now() - KEEP_SECONDS
            for line in lines:
                try:
                    entry = json.loads(line)
                    kept = Kept(**{**entry, "amount": int(entry["amount"]), "block": int(entry["block"]),
                                   "at": float(entry["at"])})
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash mid-write: that answer was never settled
                if kept.at >= oldest:
                    answers[kept.payment] = kept
                    young.append(line)
            if len(young) < len(lines):
                write_atomically(self._path, "".join(f"{line}\n" for line in young).encode("utf-8"))
            with self._lock:  # under the file lock: an answer kept meanwhile is in the file read
                self._answers, self._kept_since_compacted = answers, 0

    @contextmanager
    def _locked_file(self) -> Iterator[None]:
        with open(create_private(self._lock_path), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
