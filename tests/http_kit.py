"""A local HTTP server for tests: 127.0.0.1 only, each GET answered by a function."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Answer = tuple[int, dict[str, str], bytes]  # status, headers, body


@contextmanager
def local_server(answer: Callable[[str, dict[str, str]], Answer | None]) -> Iterator[str]:
    """Serve GET with `answer(path, request headers, names upper-cased)`, None closing the
    connection without a word; yields the base URL."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            answered = answer(self.path, {name.upper(): value for name, value in self.headers.items()})
            if answered is None:
                self.close_connection = True
                return
            status, extra, body = answered
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def losing_proxy(upstream: str, losses: int) -> Iterator[tuple[str, list[int]]]:
    """A proxy on 127.0.0.1 to `upstream` (a base URL) that relays every GET and its response,
    but for the first `losses` paid requests (those with a PAYMENT-SIGNATURE): the server gets
    each and answers it, and the connection closes before the client hears anything, as when a
    response is lost on the way. Yields the proxy's base URL and [the responses lost so far]."""
    import http.client
    from urllib.parse import urlsplit

    target = urlsplit(upstream)
    lost = [0]

    def relayed(path: str, headers: dict[str, str]) -> Answer | None:
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        connection.request("GET", path, headers={name: value for name, value in headers.items() if name != "HOST"})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        if "PAYMENT-SIGNATURE" in headers and lost[0] < losses:
            lost[0] += 1
            return None  # nothing written: the client sees the connection close
        kept = {name: value for name, value in response.getheaders()
                if name.lower() not in ("content-length", "connection", "server", "date")}
        return response.status, kept, body

    with local_server(relayed) as url:
        yield url, lost
