"""Wallet A, the seller, set up once per module on the tests' devnet (before each test's chain
snapshot, so it outlives their reverts), and the real model's answers it sells."""

from __future__ import annotations

import pytest

from agentwallet.actions.wallet import Wallet
from agentwallet.agent.bundled import bundled_model_path
from agentwallet.agent.skill import Answerer
from tests.payments.seller import set_up_seller


@pytest.fixture(scope="session")
def answerer() -> Answerer:
    return Answerer(bundled_model_path(), n_threads=1)


@pytest.fixture(scope="module")
def seller_home(wallet_template, chain_snapshot, tmp_path_factory):
    where = tmp_path_factory.mktemp("seller")
    return set_up_seller(wallet_template, where / "home", where / "owner.json")


@pytest.fixture
def seller(seller_home, home) -> Wallet:
    opened = Wallet.open(seller_home)
    yield opened
    opened.close()
