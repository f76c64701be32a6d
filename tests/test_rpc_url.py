"""RPC URLs as messages show them: the host names the node, nothing shows its key."""

from __future__ import annotations

import pytest

from agentwallet.config import Config, shown_network
from agentwallet.rpc_url import redacted, scrubbed


@pytest.mark.parametrize("url, shown", [
    ("http://127.0.0.1:8545", "http://127.0.0.1:8545"),
    ("https://user:pass@rpc.example.org", "https://rpc.example.org/…"),
    ("https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef", "https://mainnet.infura.io/…"),
    ("https://base.example.org/?apikey=SECRETKEY", "https://base.example.org/…"),
    ("https://[::1]:8545/", "https://[::1]:8545"),
    ("https://host:99999/key", "<an RPC URL that cannot be read>"),
])
def test_an_rpc_url_is_shown_by_its_host_alone(url, shown):
    assert redacted(url) == shown


def test_a_message_quoting_the_url_or_its_key_is_scrubbed():
    url = "https://me:hunter2secret@eth.example.org/v3/0123456789abcdef?apikey=QUERYKEY42"
    message = f"HTTPSConnectionPool: url /v3/0123456789abcdef?apikey=QUERYKEY42 at {url} (hunter2secret)"
    cleaned = scrubbed(message, url)
    assert not any(secret in cleaned for secret in ("hunter2secret", "0123456789abcdef", "QUERYKEY42"))
    assert cleaned.startswith("HTTPSConnectionPool: url /") and "at https://eth.example.org/… (" in cleaned


def test_the_network_is_shown_as_devnet_or_its_redacted_url():
    assert Config().shown_network == "devnet"
    assert shown_network("https://rpc.example.org/v2/KEYKEYKEY") == "https://rpc.example.org/…"
