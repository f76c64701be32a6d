"""Wallet A, the seller, set up once per module on the tests' devnet (before each test's chain
snapshot, so it outlives their reverts) and copied for each test, and the real model's answers
it sells."""

from __future__ import annotations

import pytest

from agentwallet.actions.wallet import Wallet
from agentwallet.agent.bundled import bundled_model_path
from agentwallet.agent.skill import Answerer
from agentwallet.config import cache_dir
from tests.conftest import copy_home, share_readings
from tests.payments.seller import set_up_seller


@pytest.fixture(scope="session")
def answerer() -> Answerer:
    return Answerer(bundled_model_path(), n_threads=1)


@pytest.fixture(scope="module")
def seller_template(wallet_template, chain_snapshot, tmp_path_factory):
    where = tmp_path_factory.mktemp("seller")
    return set_up_seller(wallet_template, where / "home", where / "owner.json")


@pytest.fixture
def seller_home(seller_template, home, model_reading, tmp_path):
    """A private copy of A's home for one test (its journal, config and cache of the chain's events)."""
    copy = copy_home(seller_template, tmp_path / "seller", model_reading)
    yield copy
    share_readings(cache_dir(copy), model_reading)


@pytest.fixture
def seller(seller_home, home) -> Wallet:
    opened = Wallet.open(seller_home)
    yield opened
    opened.close()
