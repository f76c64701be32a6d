"""The answers `serve` gave for payments, kept so that a payer whose answer was lost gets it again.

x402 settles before it answers: a connection that drops after the settlement, or a server that
stops between the settlement and the response, leaves the payer charged and unanswered. So the
answer to a paid question is written here before its payment is settled, keyed by the payment
(payer, nonce) and the question. A request that brings the same payment for the same question
again is sent the kept answer, with no second settlement, once the chain shows the payment used
(serve.py's _Redelivering): the chain, not this file, says whether it was paid.

One JSON line per answer, in the wallet's home (0600: questions and answers are the payers'
business); lines older than KEEP_SECONDS are dropped when the file is opened.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from agentwallet.private_files import create_private, write_atomically

FILE = "served-answers.jsonl"
KEEP_SECONDS = 7 * 86_400  # a payer that comes back later than a week pays again

Payment = tuple[str, str]  # (payer, nonce), lowercase hex


class AnswersServed:
    def __init__(self, home: Path, now=time.time):
        self._path = home / FILE
        self._now = now
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, str, str], tuple[str, int]] = {}  # → (answer, block it was kept at)
        self._load()

    def keep(self, payment: Payment, question: str, answer: str, block: int) -> None:
        """Write the answer down, to disk, before its payment is settled (at the chain's `block`:
        its settlement is looked for from there)."""
        line = json.dumps({"payer": payment[0], "nonce": payment[1], "question": question, "answer": answer,
                           "block": block, "at": int(self._now())}, ensure_ascii=False) + "\n"
        with self._lock:
            with open(create_private(self._path), "a", encoding="utf-8") as file:
                file.write(line)
                file.flush()
                os.fsync(file.fileno())
            self._answers[(*payment, question)] = (answer, block)

    def kept(self, payment: Payment, question: str) -> tuple[str, int] | None:
        """The answer given for this payment to this question and the block it was kept at, if one
        was (paid or not: ask the chain)."""
        with self._lock:
            return self._answers.get((*payment, question))

    def _load(self) -> None:
        try:
            lines = self._path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        kept, oldest = [], self._now() - KEEP_SECONDS
        for line in lines:
            try:
                entry = json.loads(line)
                key = (str(entry["payer"]), str(entry["nonce"]), str(entry["question"]))
                answer, block, at = str(entry["answer"]), int(entry["block"]), float(entry["at"])
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash mid-write: that answer was never settled
            if at >= oldest:
                self._answers[key] = (answer, block)
                kept.append(line)
        if len(kept) < len(lines):
            write_atomically(self._path, "".join(f"{line}\n" for line in kept).encode("utf-8"))
