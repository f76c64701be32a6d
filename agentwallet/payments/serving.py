"""What a running `serve` says of itself, in one file (<home>/serve.json, 0600), so that
another process of the wallet (the TUI) can show whether it sells and what it has earned.
The file names its process: once that process is gone, whatever the file says is not shown.
One `serve` runs per wallet (only_server): the payment being answered (409) and the answers kept
for payments are one process's to know."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from agentwallet.errors import WalletError
from agentwallet.private_files import create_private, write_atomically

FILE = "serve.json"
LOCK_FILE = "serve.lock"


@dataclass(frozen=True)
class Serving:
    pid: int
    url: str  # the skill's, GET URL?q=QUESTION
    token: str  # the price's token address
    symbol: str  # untrusted: the token contract's
    decimals: int
    price: int  # base units an answer
    answered: int  # paid answers since it started
    earned: int  # base units settled since it started


def write(home: Path, serving: Serving) -> None:
    write_atomically(home / FILE, json.dumps(asdict(serving)).encode())


def clear(home: Path) -> None:
    (home / FILE).unlink(missing_ok=True)


def read(home: Path) -> Serving | None:
    """The running server's account of itself; None when none runs (or the file is unreadable)."""
    try:
        serving = Serving(**json.loads((home / FILE).read_text()))
        os.kill(serving.pid, 0)  # whether the process lives; signal 0 sends nothing
    except (OSError, ValueError, TypeError):
        return None
    return serving


@contextmanager
def only_server(home: Path) -> Iterator[None]:
    """Hold, while serving, the wallet's one serve lock (the system lets go of it if the process dies)."""
    with open(create_private(home / LOCK_FILE), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            running = read(home)
            where = f" ({running.url}, pid {running.pid})" if running else ""
            raise WalletError(f"`serve` already runs for this wallet{where}: one server per wallet; stop it "
                              "first (Ctrl-C)") from None
        yield
