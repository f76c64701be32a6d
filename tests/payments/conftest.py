"""Wallet A, the seller, set up once per module on the tests' devnet (before each test's chain
snapshot, so it outlives their reverts) and copied for each test, and the real model's answers
it sells."""

from __future__ import annotations

import shutil

import pytest

from agentwallet.actions.wallet import Wallet
from agentwallet.agent.bundled import bundled_model_path
from agentwallet.agent.skill import Answerer
from tests.payments.seller import set_up_seller


@pytest.fixture(scope="session")
def answerer() -> Answerer:
    return Answerer(bundled_model_path(), n_threads=1)


@pytest.fixture(scope="module")
def seller_template(wallet_template, chain_snapshot, tmp_path_factory):
    where = tmp_path_factory.mktemp("seller")
    return set_up_seller(wallet_template, where / "home", where / "owner.json")


@pytest.fixture
def seller_home(seller_template, home, tmp_path):
    """A private copy of A's home for one test (its journal, config and cache of the chain's events)."""
    copy = tmp_path / "seller"
    shutil.copytree(seller_template, copy)
    return copy


@pytest.fixture
def seller(seller_home, home) -> Wallet:
    opened = Wallet.open(seller_home)
    yield opened
    opened.close()
