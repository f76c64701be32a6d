"""`agents publish` publishes this wallet's card with the vault as its agent wallet, and
`agents rate` rates another agent: owner changes, shown before they are signed, journaled and
logged like every other; reputation counts only the owner and the trusted raters."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
from eth_account import Account

from agentwallet.actions.setup import Registries, initialize
from agentwallet.cli import main
from agentwallet.config import update_config
from agentwallet.keys import KeyStore
from tests.agents.kit import as_data_uri, card, register, send_as_owner
from tests.conftest import DAVE, PASSPHRASE

ETH = 10**18


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shown(capsys, agent_id: int) -> dict:
    code, out, err = run(capsys, "agents", "show", str(agent_id), "--json")
    assert code == 0, err
    return json.loads(out)


def publish(capsys, *options: str) -> str:
    code, out, err = run(capsys, "agents", "publish", "--yes", *options)
    assert code == 0, err + out
    return out


def test_register_publishes_the_card_with_the_vault_as_its_agent_wallet(wallet, capsys):
    out = publish(capsys, "--name", "translator", "--skill", "translate", "--endpoint", "http://127.0.0.1:9/")
    [agent_id] = wallet.identity.agents_of(wallet.owner_address)
    assert f"this wallet is agent #{agent_id} in the registry {wallet.identity.address}" in out
    entry = shown(capsys, agent_id)
    assert (entry["name"], entry["skills"], entry["agent_wallet"], entry["warnings"]) == (
        "translator", ["translate"], wallet.guardrail.address, [])
    assert entry["endpoints"] == [{"name": "web", "endpoint": "http://127.0.0.1:9/", "version": None, "price": None}]
    assert entry["uri"].startswith("data:application/json;base64,")


def test_the_card_is_shown_field_by_field_before_it_is_signed_and_a_denial_publishes_nothing(wallet, capsys):
    code, out, _ = run(capsys, "agents", "publish", "--no", "--name", "translator")
    assert code == 0 and "denied" in out
    assert "Register this wallet's card" in out and "name" in out and "- → translator" in out
    assert "paid to (card)" in out and f"- → {wallet.guardrail.address}" in out
    assert wallet.identity.agents_of(wallet.owner_address) == []
    assert [entry.state for entry in wallet.journal.entries()] == ["denied"]


def test_register_again_updates_the_card_and_keeps_what_is_not_given(wallet, capsys):
    publish(capsys, "--name", "translator", "--description", "French to English")
    publish(capsys, "--skill", "summarise")
    [agent_id] = wallet.identity.agents_of(wallet.owner_address)
    entry = shown(capsys, agent_id)
    assert (entry["name"], entry["description"], entry["skills"]) == ("translator", "French to English", ["summarise"])
    code, out, _ = run(capsys, "verify")
    assert code == 0 and ", 0 mismatches" in out


def test_two_wallets_on_one_devnet_find_and_rate_each_other(wallet, capsys, tmp_path, monkeypatch):
    publish(capsys, "--name", "alpha", "--skill", "translate")
    [alpha] = wallet.identity.agents_of(wallet.owner_address)
    other = second_wallet(wallet, tmp_path, monkeypatch)

    code, out, err = run(capsys, "agents", "list", "--skill", "translate", "--json")
    assert code == 0, err
    [found] = json.loads(out)
    assert (found["agent_id"], found["name"], found["agent_wallet"]) == (alpha, "alpha", wallet.guardrail.address)
    code, out, err = run(capsys, "agents", "rate", str(alpha), "90", "--tag", "translate", "--yes")
    assert code == 0 and "\nexecuted in 0x" in out, err + out
    assert shown(capsys, alpha)["reputation"] | {"raters": None} == {
        "count": 1, "value": "90", "decimals": 0, "raters": None}

    monkeypatch.setenv("AGENTWALLET_HOME", str(wallet.home))
    assert shown(capsys, alpha)["reputation"]["count"] == 0  # alpha trusts only its own owner so far
    update_config(wallet.home, lambda config: replace(config, trusted_raters=(other.owner,)))
    code, out, _ = run(capsys, "agents", "show", str(alpha))
    assert "90/100 from 1 rating by you or the raters you trust" in out


def second_wallet(wallet, tmp_path, monkeypatch):
    """A second wallet on the first's devnet, given its registries, as AGENTWALLET_HOME: its config."""
    owner = Account.create()
    wallet.w3.provider.make_request("anvil_setBalance", [owner.address, hex(5 * ETH)])
    keystore = tmp_path / "owner.json"
    keystore.write_text(json.dumps(Account.encrypt(owner.key, PASSPHRASE, kdf="scrypt", iterations=2**10)))
    home = tmp_path / "second"
    given = Registries(wallet.config.identity_registry, wallet.config.reputation_registry)
    config = initialize(home, wallet.rpc_url, keystore, keys=KeyStore(home, kdf_iterations=2**10),
                        registries=given).config
    wallet.w3.provider.make_request("anvil_setBalance", [config.agent, hex(ETH)])
    monkeypatch.setenv("AGENTWALLET_HOME", str(home))
    return config


def test_a_rating_by_someone_not_trusted_does_not_count(wallet, capsys):
    agent_id = register(wallet, as_data_uri(card()))
    wallet.w3.provider.make_request("anvil_impersonateAccount", [DAVE])
    wallet.w3.provider.make_request("anvil_setBalance", [DAVE, hex(ETH)])
    feedback = wallet.reputation.give_feedback(agent_id, 5).build_transaction({"from": DAVE})
    wallet.w3.eth.wait_for_transaction_receipt(wallet.w3.eth.send_transaction(feedback))
    assert shown(capsys, agent_id)["reputation"]["count"] == 0
    update_config(wallet.home, lambda config: replace(config, trusted_raters=(DAVE,)))
    assert shown(capsys, agent_id)["reputation"] | {"raters": None} == {
        "count": 1, "value": "5", "decimals": 0, "raters": None}


@pytest.mark.parametrize("argv, message", [
    (["999", "50"], "no agent #999 in the registry"),
    (["0", "101"], "score is too large: 101 (at most 100)"),
    (["0", "-1"], "score must not be negative"),
    (["0", "ten"], "score must be a whole number"),
])
def test_a_bad_rating_is_one_line_and_sends_nothing(wallet, capsys, argv, message):
    if argv[0] == "0":  # someone else's agent #0
        assert register(wallet, as_data_uri(card())) == 0
        send_as_owner(wallet, wallet.identity.contract.functions.transferFrom(wallet.owner_address, DAVE, 0))
    code, _, err = run(capsys, "agents", "rate", *argv, "--yes")
    assert code == 1 and message in err and err.count("\n") == 1
    assert wallet.journal.entries() == []


def test_rating_your_own_agent_is_refused_in_one_line(wallet, capsys):
    publish(capsys)
    [agent_id] = wallet.identity.agents_of(wallet.owner_address)
    code, _, err = run(capsys, "agents", "rate", str(agent_id), "80", "--yes")
    assert code == 1 and "is this wallet's own: the registry refuses ratings of your own agent" in err



def test_the_agent_wallet_signature_runs_on_the_nodes_clock_not_this_machines(wallet, capsys):
    # dev: a devnet's clock may lag this machine's (a reverted snapshot); a deadline by the
    # machine's clock was then "too far ahead"
    behind = int(time.time()) - 3_600
    assert wallet.w3.provider.make_request("anvil_setTime", [behind]).get("error") is None
    publish(capsys)
    [agent_id] = wallet.identity.agents_of(wallet.owner_address)
    assert wallet.identity.agent_wallet(agent_id) == wallet.guardrail.address


def test_register_the_first_name_of_publish_still_works(wallet, capsys):
    code, out, _ = run(capsys, "agents", "register", "--no", "--name", "translator")
    assert code == 0 and "denied" in out and "- → translator" in out
    assert [entry.request for entry in wallet.journal.entries()] == ["agents publish --name 'translator'"]
