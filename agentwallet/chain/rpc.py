"""The wallet's one JSON-RPC transport: every request to a node, from web3 and without it.

Hosted RPCs limit their users, and that is normal weather, not an error: a request refused
for its rate (HTTP 429, or a JSON-RPC "limit exceeded") is sent again after a wait that
doubles each time, with jitter so that several processes do not retry in step, a bounded
number of times. A node that is down or does not answer within the timeout is one
WalletError naming it. No message holds more of the URL than `rpc_url.redacted` shows.

It speaks HTTP with http.client over one kept-alive connection (no requests, no web3), so
`agentwallet history` starts fast and a TLS handshake is paid once, not per request.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import json
import random
import re
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from agentwallet.errors import WalletError
from agentwallet.rpc_url import redacted, scrubbed

TIMEOUT_SECONDS = 10.0
# What providers say when a request is refused for its rate (Alchemy, Infura, QuickNode,
# public endpoints), and when an eth_getLogs query is too big (chain.logs splits those): a
# "block range limit exceeded" is the second kind, not the first.
RATE_LIMITED = re.compile(r"rate.?limit|too many requests|limit exceeded|exceeded .*capacity|request rate|"
                          r"rate exceeded|throughput", re.IGNORECASE)
TOO_MANY_RESULTS = re.compile(r"more than [\d,]+ (results|logs)|response size|too many (results|logs)|"
                              r"result(s)? (limit|exceed)", re.IGNORECASE)
TOO_MANY_BLOCKS = re.compile(r"block range|range (is )?too (wide|large|big)|limited to (a|the)? ?[\d,]+k? ?(block)? ?"
                             r"range|range limit|ranges? over|exceed.* range|max(imum)? range", re.IGNORECASE)
TRANSIENT_HTTP = (429, 502, 503, 504)


@dataclass(frozen=True)
class Backoff:
    """How long to wait before each new try of a refused request: doubling, with jitter, bounded."""
    tries: int = 6
    first: float = 0.25
    longest: float = 4.0

    def wait(self, attempt: int, asked: float | None = None) -> float:
        """Seconds to wait after the `attempt`th refusal (0 for the first); `asked` is the
        node's Retry-After, kept to within the bound."""
        ceiling = min(self.longest, self.first * 2 ** attempt)
        if asked is not None:
            return min(self.longest, max(asked, 0.0))
        return random.uniform(ceiling / 2, ceiling)


class NodeUnreachable(WalletError, ConnectionError):
    """The node is down, unreachable or too slow: callers that treat a lost connection as
    "offline" (OSError) see it as one, and the user sees one line."""


class RpcError(WalletError):
    """The node answered with a JSON-RPC error (a revert, a refused query, a limit)."""

    def __init__(self, method: str, error: dict, shown_url: str):
        self.code = error.get("code")
        self.message = str(error.get("message", error))
        self.data = error.get("data")
        super().__init__(f"the node at {shown_url} refused {method}: {self.message}")

    @property
    def too_many_results(self) -> bool:
        return bool(TOO_MANY_RESULTS.search(self.message))

    @property
    def too_many_blocks(self) -> bool:
        return not self.too_many_results and bool(TOO_MANY_BLOCKS.search(self.message))


def rate_limited(error: dict) -> bool:
    message = str(error.get("message", ""))
    if TOO_MANY_RESULTS.search(message) or TOO_MANY_BLOCKS.search(message):
        return False
    return bool(RATE_LIMITED.search(message)) or error.get("code") == 429


class JsonRpc:
    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS, backoff: Backoff = Backoff()):
        if not url.startswith(("http://", "https://")):
            raise WalletError(f"not an RPC URL: {redacted(url)} (use http:// or https://, or devnet)")
        self.url = url
        self.shown = redacted(url)
        self.timeout = timeout
        self.backoff = backoff
        parts = urlsplit(url)
        self._https = parts.scheme == "https"
        self._address = (parts.hostname or "", parts.port)
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if parts.username or parts.password:
            secret = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(secret).decode()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._connection: http.client.HTTPConnection | None = None

    def __call__(self, method: str, params: list) -> object:
        """The result of `method`, or RpcError with the node's message."""
        reply = self.reply(method, params)
        if "error" in reply:
            raise RpcError(method, reply["error"], self.shown)
        return reply["result"]

    def reply(self, method: str, params: list) -> dict:
        """The node's whole JSON-RPC reply (result or error), once it is not a rate limit."""
        for attempt in itertools.count():
            status, retry_after, reply = self._post(method, params)
            error = reply.get("error") if isinstance(reply.get("error"), dict) else None
            if status not in TRANSIENT_HTTP and not (error and rate_limited(error)):
                return reply
            if attempt + 1 >= self.backoff.tries:
                why = error and error.get("message")
                raise WalletError(
                    f"the node at {self.shown} kept refusing {method} for its rate limit "
                    f"({scrubbed(str(why or f'HTTP {status}'), self.url)}) after {attempt + 1} tries: "
                    "try again in a minute, or use an RPC URL with a higher limit")
            time.sleep(self.backoff.wait(attempt, retry_after))
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _post(self, method: str, params: list) -> tuple[int, float | None, dict]:
        body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}).encode()
        with self._lock:
            try:
                status, retry_after, raw = self._exchange(body)
            except TimeoutError:
                self._drop()
                raise NodeUnreachable(f"the node at {self.shown} did not answer {method} within "
                                      f"{self.timeout:g} s: it may be overloaded or down; try again") from None
            except (OSError, http.client.HTTPException) as exc:
                self._drop()
                reason = scrubbed(getattr(exc, "strerror", None) or str(exc) or type(exc).__name__, self.url)
                raise NodeUnreachable(f"cannot reach the node at {self.shown} ({reason}): is it running, "
                                      "and is the URL right?") from None
        try:
            reply = json.loads(raw)
        except ValueError:
            reply = None
        if not isinstance(reply, dict) or not ("result" in reply or "error" in reply):
            if status in TRANSIENT_HTTP:
                return status, retry_after, {}
            raise NodeUnreachable(f"the node at {self.shown} answered {method} with HTTP {status} "
                                  "and no JSON-RPC reply: is this an RPC URL?")
        return status, retry_after, reply

    def _exchange(self, body: bytes) -> tuple[int, float | None, bytes]:
        """One POST over the kept-alive connection; a connection the server closed while idle
        is opened again once (resending is safe: a node takes the same raw transaction once)."""
        for fresh in (self._connection is None, True):
            if self._connection is None:
                kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
                self._connection = kind(*self._address, timeout=self.timeout)
            try:
                self._connection.request("POST", self._path, body, self._headers)
                response = self._connection.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._drop()
                if fresh:
                    raise
                continue
            if response.will_close:
                self._drop()
            return response.status, _seconds(response.getheader("Retry-After")), raw
        raise AssertionError("unreachable")

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _seconds(header: str | None) -> float | None:
    try:
        return float(header) if header else None
    except ValueError:
        return None  # an HTTP date: the doubling wait is as good
