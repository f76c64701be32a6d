"""Wallet A for the `serve` tests: a second wallet set up on the tests' devnet (`init --network
URL`), knowing the demo USDC, selling the real model's answers with `serve` on 127.0.0.1. The
tests' own wallet is B, the payer."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from eth_account import Account

from agentwallet.actions.setup import Registries, initialize
from agentwallet.actions.wallet import Wallet
from agentwallet.config import ServeSettings, update_config
from agentwallet.keys import ROLE_PASSPHRASE_ENV, KeyStore
from agentwallet.payments.serve import ASK, Earnings, Price, build_app, listening_socket, running
from tests.conftest import PASSPHRASE

ETH = 10**18
PRICE = 10_000  # 0.01 USDC


def set_up_seller(template: Path, home: Path, keystore: Path) -> Path:
    """A's home: its own owner, agent and vault on the template's chain, the demo USDC known."""
    payer = Wallet.open(template)
    try:
        owner = Account.create()
        payer.rpc("anvil_setBalance", [owner.address, hex(5 * ETH)])
        keystore.write_text(json.dumps(Account.encrypt(owner.key, PASSPHRASE, kdf="scrypt", iterations=2**10)))
        given = Registries(payer.config.identity_registry, payer.config.reputation_registry)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("AGENTWALLET_KEYRING", "file")
            mp.setenv("AGENTWALLET_PASSPHRASE", PASSPHRASE)
            for role_secret in ROLE_PASSPHRASE_ENV.values():
                mp.delenv(role_secret, raising=False)
            config = initialize(home, payer.rpc_url, keystore, keys=KeyStore(home, kdf_iterations=2**10),
                                registries=given).config
        payer.rpc("anvil_setBalance", [config.agent, hex(ETH)])
        usdc = payer.config.tokens[0]
        update_config(home, lambda c: replace(c.with_token(usdc), serve=ServeSettings(8402, usdc.address, PRICE)))
    finally:
        payer.close()
    return home


@contextmanager
def serving(seller: Wallet, answer, price: int = PRICE):
    """A's skill served in this process; yields (the /ask URL, its Earnings, the lines it printed)."""
    said: list[str] = []
    earnings = Earnings()
    app = build_app(seller, Price(seller.config.tokens[0], price), answer, earnings, said.append)
    with running(app, listening_socket(0)) as base:
        earnings.url = base + ASK
        yield earnings.url, earnings, said
