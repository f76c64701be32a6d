"""A minimal JSON-RPC client over HTTP, for read paths that should not pay web3's import time.

`agentwallet history` reads logs and a block number; importing web3 (and with it eth-account
and py_ecc) costs about a second and a half before the first byte is read.
"""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request

from agentwallet.errors import WalletError


class JsonRpc:
    def __init__(self, url: str, timeout: float = 30):
        self.url = url
        self.timeout = timeout
        self._ids = itertools.count(1)

    def __call__(self, method: str, params: list) -> object:
        body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError):
            raise WalletError(f"cannot reach the node at {self.url}: is it running?") from None
        if "error" in reply:
            raise WalletError(f"the node refused {method}: {reply['error'].get('message', reply['error'])}")
        return reply["result"]
