"""Locks between the processes that share one wallet home (the TUI and a script, say).

Two kinds, both flock(2) locks on files under <home>/locks, so the kernel drops them when
their process dies, however it dies:
- the sending lock, held while a transaction is given its nonce, journaled and broadcast:
  two processes never sign two transactions with one nonce;
- an action's lease, held by the process carrying the action out: `reconcile` takes a lease
  without waiting, so it never acts on an entry a live process owns, and acts on it once that
  process is gone.
flock locks belong to an open file, not to a process, so a second lease on one action is
refused within one process too.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from agentwallet.private_files import FILE_MODE, private_dir


@contextmanager
def sending(home: Path) -> Iterator[None]:
    """Hold the wallet's sending lock (waiting for it) for the body of the `with`."""
    descriptor = os.open(private_dir(home / "locks") / "sending.lock", os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


class Lease:
    """One process's claim on one journal entry; released by `release()` or by the process ending."""

    def __init__(self, path: Path, descriptor: int):
        self.path = path
        self._descriptor: int | None = descriptor

    @classmethod
    def take(cls, home: Path, action_id: str, wait: bool) -> Lease | None:
        """The action's lease, or None when another open lease holds it and `wait` is False."""
        path = private_dir(home / "locks") / f"{action_id.removeprefix('0x')}.lease"
        while True:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                return None
            # The holder before us may have removed the file once it was done: a lock on the
            # removed file guards nothing, so take the one now at the path instead.
            try:
                if os.stat(path).st_ino == os.fstat(descriptor).st_ino:
                    return cls(path, descriptor)
            except FileNotFoundError:
                pass
            os.close(descriptor)

    def release(self, finished: bool) -> None:
        """Let go of the action; `finished`: nothing is left to do for it, so its file goes too."""
        if self._descriptor is None:
            return
        if finished:
            self.path.unlink(missing_ok=True)
        os.close(self._descriptor)
        self._descriptor = None
