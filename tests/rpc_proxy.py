"""A JSON-RPC proxy in front of anvil that misbehaves the way hosted providers do.

Real HTTP on 127.0.0.1, in a thread of the test process: every request is forwarded to
anvil unless a fault set on the proxy answers it first, in the words real providers use.
Each fault is a plain attribute a test sets, and `calls` counts what the wallet asked.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# eth_getLogs over too many blocks, as providers refuse it (the {cap} is theirs).
RANGE_ERRORS = {
    "alchemy": (-32600, "You can make eth_getLogs requests with up to a {cap} block range. Based on your "
                        "parameters, this block range should work: [{first}, {last}]"),
    "quicknode": (-32614, "eth_getLogs is limited to a {cap:,} range"),
    "plain": (-32000, "block range is too wide"),
}


class FaultyNode:
    def __init__(self, upstream: str, credentials: str = ""):
        """`credentials` ("user:pass@" and/or a path like "/v3/KEY?apikey=K") go into `url`,
        as a hosted provider's URL carries them; the proxy ignores them."""
        self.upstream = upstream
        self.logs_block_range: int | None = None  # eth_getLogs over more blocks is refused
        self.range_error = "alchemy"
        self.logs_result_cap: int | None = None  # eth_getLogs with more logs is refused (Infura's -32005)
        self.rate_limited = 0  # the next N requests are refused for their rate
        self.rate_limit_style = "http"  # "http": a 429 status; "json": a -32005 "limit exceeded" reply
        self.delay = 0.0  # seconds before each answer
        self.hidden_receipts = 0  # a lagging view: each new transaction's receipt is "not found" N times
        self.head_lag = 0  # a node behind the others: its latest block (eth_blockNumber, eth_getBlockByNumber
        #                    "latest") is this many blocks back
        self.calls: Counter[str] = Counter()
        self.log_ranges: list[tuple[int, int]] = []  # (from, to) of every eth_getLogs forwarded
        self._receipt_misses: dict[str, int] = {}
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._server = _Server(("127.0.0.1", 0), _handler(self), self._connections)
        host, port = self._server.server_address[:2]
        user, _, path = credentials.rpartition("@") if "@" in credentials else ("", "", credentials)
        self.url = f"http://{user + '@' if user else ''}{host}:{port}{path}"
        self.plain_url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """The endpoint dies: the listening socket and every kept-alive connection close."""
        self._server.shutdown()
        self._server.server_close()
        for connection in list(self._connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def reset_counts(self) -> None:
        self.calls.clear()
        self.log_ranges.clear()

    # answering one request: (HTTP status, reply body)

    def answer(self, request: dict) -> tuple[int, dict]:
        method, params, ident = request.get("method"), request.get("params") or [], request.get("id")
        with self._lock:
            self.calls[method] += 1
            if self.rate_limited > 0:
                self.rate_limited -= 1
                if self.rate_limit_style == "http":
                    return 429, _error(ident, 429, "Too Many Requests: your app has exceeded its "
                                                   "compute units per second capacity")
                return 200, _error(ident, -32005, "limit exceeded")
        if self.delay:
            time.sleep(self.delay)
        if method == "eth_getLogs":
            refused = self._refused_range(ident, params[0])
            if refused:
                return 200, refused
        if method == "eth_getBlockByNumber" and params[:1] == ["latest"] and self.head_lag:
            head = int(self._forward({**request, "method": "eth_blockNumber", "params": []})["result"], 16)
            request = {**request, "params": [hex(max(0, head - self.head_lag)), *params[1:]]}
        reply = self._forward(request)
        if method == "eth_getLogs" and "result" in reply:
            first, last = (int(params[0][key], 16) for key in ("fromBlock", "toBlock"))
            if self.logs_result_cap is not None and len(reply["result"]) > self.logs_result_cap:
                return 200, _error(ident, -32005, f"query returned more than {self.logs_result_cap} results")
            self.log_ranges.append((first, last))
        if method == "eth_sendRawTransaction" and "result" in reply and self.hidden_receipts:
            self._receipt_misses[reply["result"]] = self.hidden_receipts
        if method == "eth_getTransactionReceipt" and self._receipt_misses.get(params[0], 0) > 0:
            self._receipt_misses[params[0]] -= 1
            return 200, {"jsonrpc": "2.0", "id": ident, "result": None}
        if method == "eth_blockNumber" and self.head_lag and "result" in reply:
            reply["result"] = hex(max(0, int(reply["result"], 16) - self.head_lag))
        return 200, reply

    def _refused_range(self, ident, query: dict) -> dict | None:
        if self.logs_block_range is None:
            return None
        first, last = (int(query[key], 16) for key in ("fromBlock", "toBlock"))
        if last - first + 1 <= self.logs_block_range:
            return None
        code, text = RANGE_ERRORS[self.range_error]
        return _error(ident, code, text.format(cap=self.logs_block_range, first=hex(first),
                                               last=hex(first + self.logs_block_range - 1)))

    def _forward(self, request: dict) -> dict:
        body = json.dumps(request).encode()
        upstream = urllib.request.Request(self.upstream, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(upstream, timeout=60) as response:
            return json.loads(response.read())


def _error(ident, code: int, message: str) -> dict:
    return {"jsonrpc": "2.0", "id": ident, "error": {"code": code, "message": message}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, connections: set[socket.socket]):
        self.connections = connections
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        pass  # a connection cut by stop() or by a client that timed out: nothing to report


def _handler(node: FaultyNode):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # kept-alive connections, as the wallet's client uses them

        def setup(self):
            super().setup()
            # Headers and body go out in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK hold each answer ~40 ms, the proxy's delay and not the wallet's.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self):
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if isinstance(request, list):
                answers = [node.answer(one) for one in request]
                status, reply = max(status for status, _ in answers), [reply for _, reply in answers]
            else:
                status, reply = node.answer(request)
            body = json.dumps(reply).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up waiting (a timeout test): nobody to answer

        def log_message(self, format, *args):
            pass

    return Handler
