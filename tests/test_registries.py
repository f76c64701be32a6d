"""The ERC-8004 registries as `init` deploys them on devnet, through chain/registries.py: the
vault made an agent's wallet by its owner's signature, and discovery read from the logs."""

from __future__ import annotations

import json

import pytest
from eth_account import Account

from agentwallet.actions.setup import Registries, initialize
from agentwallet.actions.wallet import Wallet
from agentwallet.chain import transactions
from agentwallet.cli import main
from agentwallet.errors import WalletError
from agentwallet.keys import KeyStore
from tests.conftest import ALICE, PASSPHRASE

ETH = 10**18


def send_as_owner(wallet: Wallet, call) -> transactions.Receipt:
    owner = wallet.account("owner")
    signed = transactions.sign(wallet.w3, owner, call, call.estimate_gas({"from": owner.address}))
    transactions.broadcast(wallet.w3, signed.raw)
    return transactions.wait(wallet.w3, signed.tx_hash)


def register(wallet: Wallet, uri: str) -> int:
    agent_id = wallet.identity.register(uri).call({"from": wallet.owner_address})
    assert send_as_owner(wallet, wallet.identity.register(uri)).ok
    return agent_id


def rpc(wallet: Wallet):
    return lambda method, params: wallet.rpc(method, params)


def test_init_on_devnet_deploys_both_registries_and_keeps_them_in_the_config(wallet):
    assert wallet.identity.is_registry()
    assert wallet.reputation.identity_registry() == wallet.config.identity_registry


def test_status_json_names_the_registries(wallet, capsys):
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["registries"] == {"identity": wallet.config.identity_registry,
                                    "reputation": wallet.config.reputation_registry}


def test_the_owner_makes_the_vault_the_agents_wallet_by_signing_for_it(wallet):
    agent_id = register(wallet, "data:application/json;base64,e30=")
    assert wallet.identity.agent_wallet(agent_id) == wallet.owner_address
    deadline = wallet.identity.signature_deadline()  # by the node's clock, as the wallet signs
    signature = wallet.identity.wallet_signature(wallet.account("owner"), agent_id, wallet.guardrail.address,
                                                 wallet.owner_address, deadline)
    call = wallet.identity.set_agent_wallet(agent_id, wallet.guardrail.address, deadline, signature)
    assert send_as_owner(wallet, call).ok
    assert wallet.identity.agent_wallet(agent_id) == wallet.guardrail.address


def test_the_agents_signature_does_not_make_the_vault_a_wallet(wallet):
    agent_id = register(wallet, "")
    deadline = wallet.identity.signature_deadline()  # by the node's clock, as the wallet signs
    signature = wallet.identity.wallet_signature(wallet.account("agent"), agent_id, wallet.guardrail.address,
                                                 wallet.owner_address, deadline)
    call = wallet.identity.set_agent_wallet(agent_id, wallet.guardrail.address, deadline, signature)
    assert transactions.simulate(wallet.w3, call, wallet.owner_address).revert_reason == \
        "identity registry: the new wallet did not sign"


def test_discovery_reads_registrations_uri_updates_wallets_and_transfers_from_the_logs(wallet):
    first, second = register(wallet, "data:,first"), register(wallet, "data:,second")
    assert send_as_owner(wallet, wallet.identity.set_agent_uri(first, "data:,first again")).ok
    transfer = wallet.identity.contract.functions.transferFrom(wallet.owner_address, ALICE, second)
    assert send_as_owner(wallet, transfer).ok
    agents = wallet.identity.agents(rpc(wallet))
    assert (agents[first].uri, agents[first].owner, agents[first].agent_wallet) == \
        ("data:,first again", wallet.owner_address, wallet.owner_address)
    assert (agents[second].uri, agents[second].owner, agents[second].agent_wallet) == ("data:,second", ALICE, None)


def test_discovery_goes_on_from_what_an_earlier_read_found(wallet):
    first = register(wallet, "data:,first")
    block = wallet.w3.eth.block_number
    known = wallet.identity.agents(rpc(wallet), to_block=block)
    assert send_as_owner(wallet, wallet.identity.set_agent_uri(first, "data:,later")).ok
    second = register(wallet, "data:,second")
    agents = wallet.identity.agents(rpc(wallet), from_block=block + 1, known=known)
    assert (agents[first].uri, agents[second].uri) == ("data:,later", "data:,second")
    assert wallet.identity.agents_of(wallet.owner_address) == [first, second]


def test_a_second_wallet_on_the_same_chain_keeps_the_registries_it_is_given(wallet, tmp_path):
    owner = Account.create()
    wallet.w3.provider.make_request("anvil_setBalance", [owner.address, hex(5 * ETH)])
    keystore = tmp_path / "owner.json"
    keystore.write_text(json.dumps(Account.encrypt(owner.key, PASSPHRASE, kdf="scrypt", iterations=2**10)))
    other = tmp_path / "other"
    given = Registries(wallet.config.identity_registry, wallet.config.reputation_registry)
    result = initialize(other, wallet.rpc_url, keystore, keys=KeyStore(other, kdf_iterations=2**10), registries=given)
    assert (result.config.identity_registry, result.config.reputation_registry) == (given.identity, given.reputation)


@pytest.mark.parametrize("which, message", [
    ("identity", "no ERC-8004 identity registry at"),
    ("reputation", "is not the reputation registry of the identity registry"),
])
def test_init_refuses_registries_that_are_not_them_and_keeps_nothing(wallet, tmp_path, which, message):
    given = {"identity": wallet.config.identity_registry, "reputation": wallet.config.reputation_registry}
    given[which] = wallet.guardrail.address
    other = tmp_path / "other"
    with pytest.raises(WalletError, match=message):
        initialize(other, wallet.rpc_url, keys=KeyStore(other, kdf_iterations=2**10), registries=Registries(**given))
    assert not (other / "config.toml").exists()


def test_init_on_devnet_takes_no_registry_addresses(home, capsys):
    assert main(["init", "--identity-registry", ALICE, "--reputation-registry", ALICE]) == 1
    assert "on devnet init deploys the agent registries itself" in capsys.readouterr().err


def test_init_needs_both_registries_or_neither(home, capsys):
    assert main(["init", "--network", "http://127.0.0.1:1", "--identity-registry", ALICE]) == 1
    assert "give both --identity-registry and --reputation-registry, or neither" in capsys.readouterr().err
