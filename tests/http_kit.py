"""A local HTTP server for tests: 127.0.0.1 only, each GET answered by a function."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Answer = tuple[int, dict[str, str], bytes]  # status, headers, body


@contextmanager
def local_server(answer: Callable[[str, dict[str, str]], Answer]) -> Iterator[str]:
    """Serve GET with `answer(path, request headers, names upper-cased)`; yields the base URL."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            status, extra, body = answer(self.path, {name.upper(): value for name, value in self.headers.items()})
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
