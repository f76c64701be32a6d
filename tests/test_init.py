"""`init` on devnet leaves a wallet a person can use at once."""

from __future__ import annotations

import json

import pytest
from eth_account import Account

from agentwallet.actions.setup import initialize
from agentwallet.actions.wallet import Wallet
from agentwallet.chain.devnet import Devnet
from agentwallet.cli import main
from agentwallet.errors import WalletError
from agentwallet.keys import KeyStore
from tests.conftest import ALICE, BOB, CAROL, PASSPHRASE

ETH = 10**18


def test_init_on_devnet_deploys_funds_and_sets_the_default_policy(wallet):
    assert wallet.guardrail.owner() == wallet.owner_address
    assert wallet.balances()[0].amount == 10 * ETH
    assert wallet.balances()[1].symbol == "USDC" and wallet.balances()[1].amount == 1000 * 10**6
    assert wallet.agent_gas_balance() >= ETH
    policy = wallet.guardrail.policy(wallet.agent_address)
    assert (policy.per_tx_max, policy.allowance, policy.period, policy.valid_until) == (ETH // 10, ETH // 2, 86_400, 0)
    assert wallet.guardrail.token_policy(wallet.agent_address, wallet.config.tokens[0].address).allowance == 100 * 10**6
    # someone to pay from the first request: anvil's public test accounts 1 to 3
    assert wallet.config.contacts == {"alice": ALICE, "bob": BOB, "carol": CAROL}


def test_init_twice_is_refused(home):
    with pytest.raises(WalletError, match="already set up"):
        initialize(home)


def test_init_on_an_rpc_url_uses_an_imported_owner_and_says_what_to_fund(wallet, tmp_path, monkeypatch, capsys):
    owner = Account.create()
    wallet.w3.provider.make_request("anvil_setBalance", [owner.address, hex(5 * ETH)])
    keystore = tmp_path / "owner.json"
    keystore.write_text(json.dumps(Account.encrypt(owner.key, PASSPHRASE, kdf="scrypt", iterations=2**10)))
    other_home = tmp_path / "other"
    monkeypatch.setenv("AGENTWALLET_HOME", str(other_home))
    code = main(["init", "--network", wallet.rpc_url, "--import-keystore", str(keystore)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert owner.address in out and "to do: send the ETH the agent may spend" in out
    opened = Wallet.open(other_home)
    assert opened.owner_address == owner.address and opened.guardrail.owner() == owner.address
    assert opened.config.network == wallet.rpc_url and opened.config.tokens == ()


def test_init_given_a_secret_per_role_encrypts_each_key_with_its_own(wallet, tmp_path, monkeypatch):
    owner = Account.create()
    wallet.w3.provider.make_request("anvil_setBalance", [owner.address, hex(5 * ETH)])
    keystore = tmp_path / "owner.json"
    keystore.write_text(json.dumps(Account.encrypt(owner.key, "owner words", kdf="scrypt", iterations=2**10)))
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    monkeypatch.setenv("AGENTWALLET_OWNER_PASSPHRASE", "owner words")
    monkeypatch.setenv("AGENTWALLET_AGENT_PASSPHRASE", "agent words")
    other_home = tmp_path / "other"

    result = initialize(other_home, network=wallet.rpc_url, import_keystore=keystore,
                        keys=KeyStore(other_home, kdf_iterations=2**10))
    kept = other_home / "keys"
    assert Account.decrypt((kept / "owner.json").read_text(), "owner words") == owner.key
    agent_key = Account.decrypt((kept / "agent.json").read_text(), "agent words")
    assert Account.from_key(agent_key).address == result.config.agent
    with pytest.raises(ValueError, match="MAC mismatch"):
        Account.decrypt((kept / "agent.json").read_text(), "owner words")


def test_a_wallet_survives_a_devnet_restart(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path))
    initialize(tmp_path, keys=KeyStore(tmp_path, kdf_iterations=2**10))
    try:
        guardrail = Wallet.open(tmp_path).guardrail.address
        Devnet(tmp_path).stop()
        reopened = Wallet.open(tmp_path)  # starts the devnet again from its state file
        assert reopened.guardrail.address == guardrail and reopened.guardrail.exists()
        assert reopened.balances()[0].amount == 10 * ETH
    finally:
        Devnet(tmp_path).stop()
