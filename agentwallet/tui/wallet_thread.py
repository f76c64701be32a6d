"""The one thread that touches the wallet.

The journal's SQLite connection belongs to the thread that opened it, and two actions signed
at the same moment could race for the same nonce. So the wallet is opened, used and closed on
a single thread, and every call is queued to it in order. Callers on the event loop await the
result; the UI thread never waits for the chain, the disk or the model.

The thread is a daemon: quitting never hangs on a slow node. That is safe because the
pipeline writes every step to the journal before taking it, and `reconcile` finishes an
interrupted action the next time the wallet is opened.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[Future, Callable[[], Any]]


class WalletThread:
    def __init__(self, name: str = "agentwallet-wallet") -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._stopped = False
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, call: Callable[[], T]) -> Future[T]:
        """Queue `call`; its result (or exception) arrives on the returned future."""
        if self._stopped:
            raise RuntimeError("the wallet thread has stopped")
        future: Future[T] = Future()
        self._jobs.put((future, call))
        return future

    async def run(self, call: Callable[[], T]) -> T:
        """Run `call` on the wallet thread and await its result.

        Cancelling the awaiting task cancels the call if it has not started yet; a call that
        has started always runs to its end (half a transaction is worse than a late one).
        """
        return await asyncio.wrap_future(self.submit(call))

    def stop(self, last: Callable[[], None] | None = None) -> None:
        """End the thread after the calls already queued, running `last` before it ends."""
        if self._stopped:
            return
        if last is not None:
            self._jobs.put((Future(), last))
        self._jobs.put(None)
        self._stopped = True

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, call = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = call()
            except BaseException as exc:  # handed to the awaiting caller, who decides
                future.set_exception(exc)
            else:
                future.set_result(result)
