"""A wallet whose network is the fault-injecting proxy (tests/rpc_proxy.py) in front of the devnet."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agentwallet.chain.devnet import Devnet
from agentwallet.config import update_config
from tests.rpc_proxy import FaultyNode

# What a hosted provider's URL carries: a user and password, a key in the path, one in the query.
CREDENTIALS = "aw-user:hunter2secret@/v3/0123456789abcdef0123456789abcdef?apikey=QUERYKEY42"
SECRETS = ("aw-user", "hunter2secret", "0123456789abcdef0123456789abcdef", "QUERYKEY42")


@pytest.fixture
def node(home):
    proxy = FaultyNode(Devnet(home).running().rpc_url, credentials=CREDENTIALS)
    yield proxy
    proxy.stop()


@pytest.fixture
def proxied_home(home, node):
    """The test wallet, its config's network now the proxy's URL (credentials and all)."""
    update_config(home, lambda config: replace(config, network=node.url))
    return home
