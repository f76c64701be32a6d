"""The agent wallet: where an agent is paid changes only to a wallet that signed for it, by an
EIP-712 signature of its key or by ERC-1271 for a contract wallet, and a transfer clears it
(guarantees 2 and 3 of the identity registry's header)."""

import boa
import pytest
from eth_utils import keccak
from guardrail_kit import ZERO, deployer, sent_by
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registry_kit import MAX_DEADLINE_DELAY, events, key, one_event, soon, wallet_signature

WALLET = key("wallet")
OTHER = key("other")


@pytest.fixture
def contract_wallet():
    """A contract wallet (ERC-1271) whose signer is WALLET's key."""
    return deployer("ContractWallet").deploy(WALLET.address)


def set_wallet(identity, sender, agent_id, new_wallet, deadline, signature):
    sent_by(sender, identity.setAgentWallet, agent_id, new_wallet, deadline, signature)


def prove(identity, sender, agent_id, new_wallet=WALLET.address, signer=WALLET, deadline=None, domain_of=None):
    """setAgentWallet as `sender` with `signer`'s signature for `new_wallet` (WALLET's for itself
    by default), made in the domain of `domain_of` (the registry itself by default)."""
    deadline = soon() if deadline is None else deadline
    signature = wallet_signature(signer, domain_of or identity, agent_id, new_wallet, deadline)
    set_wallet(identity, sender, agent_id, new_wallet, deadline, signature)


# ------------------------------------------------------------------ by EIP-712

def test_the_agent_wallet_starts_as_the_owner(identity, owner, agent_id):
    assert identity.getAgentWallet(agent_id) == owner


def test_the_owner_sets_a_wallet_that_signed_for_it(identity, owner, agent_id):
    prove(identity, owner, agent_id)
    assert one_event(identity, "MetadataSet") == {
        "agentId": agent_id, "indexedMetadataKey": keccak(text="agentWallet"), "metadataKey": "agentWallet",
        "metadataValue": bytes.fromhex(WALLET.address[2:]),
    }
    assert identity.getAgentWallet(agent_id) == WALLET.address


def test_an_operator_of_the_owner_sets_the_wallet(identity, owner, bob, agent_id):
    sent_by(owner, identity.setApprovalForAll, bob, True)
    prove(identity, bob, agent_id)
    assert identity.getAgentWallet(agent_id) == WALLET.address


def test_a_signature_by_another_key_is_refused(identity, owner, agent_id):
    with boa.reverts("identity registry: the new wallet did not sign"):
        prove(identity, owner, agent_id, signer=OTHER)
    assert identity.getAgentWallet(agent_id) == owner


@pytest.mark.parametrize("changed", ["agentId", "newWallet", "owner", "deadline"])
def test_a_signature_of_other_typed_data_is_refused(identity, owner, alice, agent_id, changed):
    sent_by(alice, identity.register)  # agent 1
    deadline = soon()
    signed = {"agent_id": agent_id, "new_wallet": WALLET.address, "deadline": deadline, "owner": owner}
    signed |= {"agentId": {"agent_id": 1}, "newWallet": {"new_wallet": OTHER.address},
               "owner": {"owner": alice}, "deadline": {"deadline": deadline + 1}}[changed]
    signature = wallet_signature(WALLET, identity, signed["agent_id"], signed["new_wallet"], signed["deadline"],
                                 owner=signed["owner"])
    with boa.reverts("identity registry: the new wallet did not sign"):
        set_wallet(identity, owner, agent_id, WALLET.address, deadline, signature)


def test_a_signature_for_another_registry_is_refused(identity, owner, agent_id):
    elsewhere = deployer("IdentityRegistry").deploy()
    sent_by(owner, elsewhere.register)
    with boa.reverts("identity registry: the new wallet did not sign"):
        prove(identity, owner, agent_id, domain_of=elsewhere)


def test_an_expired_signature_is_refused(identity, owner, agent_id):
    deadline = soon()
    signature = wallet_signature(WALLET, identity, agent_id, WALLET.address, deadline)
    boa.env.time_travel(seconds=61)
    with boa.reverts("identity registry: the signature has expired"):
        set_wallet(identity, owner, agent_id, WALLET.address, deadline, signature)


def test_a_deadline_further_than_five_minutes_is_refused(identity, owner, agent_id):
    with boa.reverts("identity registry: the deadline is too far ahead"):
        prove(identity, owner, agent_id, deadline=boa.env.timestamp + MAX_DEADLINE_DELAY + 1)


def test_a_signature_sets_the_wallet_once(identity, owner, agent_id):
    deadline = soon()
    signature = wallet_signature(WALLET, identity, agent_id, WALLET.address, deadline)
    set_wallet(identity, owner, agent_id, WALLET.address, deadline, signature)
    sent_by(owner, identity.unsetAgentWallet, agent_id)
    with boa.reverts("identity registry: the signature was already used"):
        set_wallet(identity, owner, agent_id, WALLET.address, deadline, signature)
    assert identity.getAgentWallet(agent_id) == ZERO


def test_a_stranger_holding_a_valid_signature_cannot_set_the_wallet(identity, stranger, agent_id):
    with boa.reverts("identity registry: not the agent's owner or operator"):
        prove(identity, stranger, agent_id)


def test_the_zero_address_is_not_a_wallet(identity, owner, agent_id):
    with boa.reverts("identity registry: the agent wallet cannot be the zero address"):
        set_wallet(identity, owner, agent_id, ZERO, soon(), b"\x00" * 65)


def test_a_malleable_high_s_signature_is_refused(identity, owner, agent_id):
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    deadline = soon()
    signature = wallet_signature(WALLET, identity, agent_id, WALLET.address, deadline)
    r, s, v = signature[:32], int.from_bytes(signature[32:64], "big"), signature[64]
    flipped = r + (n - s).to_bytes(32, "big") + bytes([55 - v])
    with boa.reverts("ecdsa: invalid signature `s` value"):
        set_wallet(identity, owner, agent_id, WALLET.address, deadline, flipped)


# boa's plugin rolls the chain back after each example, so the fixtures' state is fresh for each.
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(signer=st.sampled_from([WALLET, OTHER]), wallet=st.sampled_from([WALLET, OTHER]))
def test_the_wallet_changes_exactly_when_the_new_wallet_signed(identity, owner, agent_id, signer, wallet):
    if signer == wallet:
        prove(identity, owner, agent_id, wallet.address, signer)
        assert identity.getAgentWallet(agent_id) == wallet.address
    else:
        with boa.reverts("identity registry: the new wallet did not sign"):
            prove(identity, owner, agent_id, wallet.address, signer)


# ------------------------------------------------------------------ by ERC-1271

def test_a_contract_wallet_proves_itself_by_erc1271(identity, owner, agent_id, contract_wallet):
    prove(identity, owner, agent_id, contract_wallet.address)
    assert identity.getAgentWallet(agent_id) == contract_wallet.address


def test_a_contract_wallet_that_refuses_is_not_set(identity, owner, agent_id, contract_wallet):
    sent_by(owner, contract_wallet.set_refuse, True)
    with boa.reverts("identity registry: the new wallet did not sign"):
        prove(identity, owner, agent_id, contract_wallet.address)


def test_a_contract_without_erc1271_is_not_a_wallet(identity, owner, agent_id):
    no_erc1271 = deployer("IdentityRegistry").deploy()
    with boa.reverts("identity registry: the new wallet did not sign"):
        prove(identity, owner, agent_id, no_erc1271.address)


def test_a_contract_wallets_signature_is_not_replayed(identity, owner, agent_id, contract_wallet):
    deadline = soon()
    signature = wallet_signature(WALLET, identity, agent_id, contract_wallet.address, deadline)
    set_wallet(identity, owner, agent_id, contract_wallet.address, deadline, signature)
    with boa.reverts("identity registry: the signature was already used"):
        set_wallet(identity, owner, agent_id, contract_wallet.address, deadline, signature)


# ------------------------------------------------------------------ cleared

def test_unset_clears_the_wallet_and_says_so(identity, owner, agent_id):
    sent_by(owner, identity.unsetAgentWallet, agent_id)
    assert one_event(identity, "MetadataSet")["metadataValue"] == b""
    assert identity.getAgentWallet(agent_id) == ZERO


@pytest.mark.parametrize("transfer", ["transferFrom", "safeTransferFrom"])
def test_a_transfer_clears_the_wallet(identity, owner, alice, agent_id, transfer):
    prove(identity, owner, agent_id)
    sent_by(owner, getattr(identity, transfer), owner, alice, agent_id)
    assert [name for name, _ in events(identity)] == ["MetadataSet", "Transfer"]
    assert one_event(identity, "MetadataSet")["metadataValue"] == b""
    assert identity.getAgentWallet(agent_id) == ZERO
    assert identity.getMetadata(agent_id, "agentWallet") == b""


def test_after_a_transfer_a_signature_made_for_the_old_owner_is_refused(identity, owner, alice, agent_id):
    deadline = soon()
    for_old_owner = wallet_signature(WALLET, identity, agent_id, WALLET.address, deadline)
    sent_by(owner, identity.transferFrom, owner, alice, agent_id)
    with boa.reverts("identity registry: the new wallet did not sign"):
        set_wallet(identity, alice, agent_id, WALLET.address, deadline, for_old_owner)
    prove(identity, alice, agent_id)
    assert identity.getAgentWallet(agent_id) == WALLET.address
