"""Shared fixtures: one real anvil per test session, a wallet set up on it once, and a fresh
copy of that wallet for every test (its chain state restored afterwards by evm_revert)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from agentwallet.actions.arguments import normalise_arguments
from agentwallet.actions.proposal import Proposal
from agentwallet.actions.setup import initialize
from agentwallet.actions.wallet import Wallet
from agentwallet.chain.devnet import Devnet
from agentwallet.config import cache_dir
from agentwallet.keys import ROLE_PASSPHRASE_ENV, KeyStore

PASSPHRASE = "correct horse battery staple"
ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
CAROL = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
DAVE = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"  # not a contact
READINGS = "openings-*.bin"  # agent/memory_file.path_for


def proposal(wallet: Wallet, tool: str, request: str = "test", rationale: str = "because the test asks",
             **args) -> Proposal:
    """A proposal for `wallet` as the agent path makes one: arguments normalised, bound to its chain."""
    return Proposal(tool=tool, args=normalise_arguments(wallet, tool, args), rationale=rationale,
                    request=request, chain_id=wallet.config.chain_id, guardrail=wallet.guardrail.address)


def interruptible() -> None:
    """Run in a child before it starts: ctrl+c (SIGINT) interrupts it as in a person's shell, even
    where the tests run with SIGINT ignored, which children inherit (a job a script started with
    `&`, as CI may run them)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(autouse=True)
def keystore_env(monkeypatch):
    """Headless like CI: keystore files, unlocked by the one passphrase from the environment."""
    monkeypatch.setenv("AGENTWALLET_KEYRING", "file")
    monkeypatch.setenv("AGENTWALLET_PASSPHRASE", PASSPHRASE)
    for role_secret in ROLE_PASSPHRASE_ENV.values():  # a developer's own would override it
        monkeypatch.delenv(role_secret, raising=False)


@pytest.fixture(scope="session")
def wallet_template(tmp_path_factory) -> Path:
    """A wallet initialised on devnet once per session: keys, guardrail, funds, demo USDC."""
    home = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AGENTWALLET_KEYRING", "file")
        mp.setenv("AGENTWALLET_PASSPHRASE", PASSPHRASE)
        for role_secret in ROLE_PASSPHRASE_ENV.values():
            mp.delenv(role_secret, raising=False)
        initialize(home, keys=KeyStore(home, kdf_iterations=2**10))  # light scrypt: tests only
    yield home
    Devnet(home).stop()


@pytest.fixture(scope="session")
def chain_snapshot(wallet_template):
    """Restores the chain to the template's state after each test that uses a wallet."""
    wallet = Wallet.open(wallet_template)
    w3 = wallet.w3
    wallet.close()

    class Snapshot:
        def take(self) -> str:
            return w3.provider.make_request("evm_snapshot", [])["result"]

        def restore(self, snapshot_id: str) -> None:
            assert w3.provider.make_request("evm_revert", [snapshot_id])["result"] is True

    return Snapshot()


@pytest.fixture(scope="session")
def model_reading(tmp_path_factory) -> Path:
    """The bundled model's reading of its openings (agent/memory_file.py), shared by the tests'
    homes: the first `ask` of the session reads them and leaves the file, and the homes after
    it start warm, as a person's wallet does after its first start. A test that needs a first
    start removes its home's cache."""
    return tmp_path_factory.mktemp("model-reading")


def copy_home(template: Path, destination: Path, model_reading: Path) -> Path:
    """A private copy of a wallet's home; the model's reading is linked in, not copied (75 MB)."""
    shutil.copytree(template, destination, ignore=shutil.ignore_patterns("state.json", "anvil.log", READINGS))
    share_readings(model_reading, cache_dir(destination))
    return destination


def share_readings(source: Path, destination: Path) -> None:
    """Hard-link the model's readings in `source` into `destination`, where it lacks them. The
    wallet only ever replaces the file (write_atomically), never writes into it, so a link is
    as private as a copy."""
    for reading in source.glob(READINGS):
        target = destination / reading.name
        if target.exists():
            continue
        destination.mkdir(mode=0o700, parents=True, exist_ok=True)
        linked = destination / f".{reading.name}.link"
        linked.unlink(missing_ok=True)
        os.link(reading, linked)
        os.replace(linked, target)


@pytest.fixture
def home(wallet_template, chain_snapshot, model_reading, tmp_path, monkeypatch) -> Path:
    """A private copy of the set-up wallet, on the shared devnet, as AGENTWALLET_HOME."""
    copy = copy_home(wallet_template, tmp_path / "home", model_reading)
    monkeypatch.setenv("AGENTWALLET_HOME", str(copy))
    snapshot = chain_snapshot.take()
    yield copy
    chain_snapshot.restore(snapshot)
    share_readings(cache_dir(copy), model_reading)


@pytest.fixture
def wallet(home) -> Wallet:
    opened = Wallet.open(home)
    yield opened
    opened.close()
