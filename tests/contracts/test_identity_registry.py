"""The ERC-8004 identity registry: registration, the agent's URI, its metadata, ERC-721
ownership, and who may change an agent (guarantees 1, 4 and 5 of its header)."""

import boa
from eth_utils import keccak
from guardrail_kit import ZERO, deployer, sent_by
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registry_kit import card_uri, events, one_event

CARD = "https://translator.example/agent.json"


# ------------------------------------------------------------------ registration

def test_agents_are_numbered_in_order_from_zero(identity, owner, alice):
    assert sent_by(owner, identity.register, CARD) == 0
    assert sent_by(alice, identity.register, CARD) == 1
    assert sent_by(owner, identity.register) == 2
    assert identity.totalSupply() == 3
    assert [identity.tokenByIndex(i) for i in range(3)] == [0, 1, 2]
    assert identity.balanceOf(owner) == 2 and identity.ownerOf(1) == alice


def test_register_emits_transfer_registered_and_the_agent_wallet_in_that_order(identity, owner):
    sent_by(owner, identity.register, CARD)
    names = [name for name, _ in events(identity)]
    assert names == ["Transfer", "MetadataUpdate", "Registered", "MetadataSet"]
    assert one_event(identity, "Registered") == {"agentId": 0, "agentURI": CARD, "owner": owner}
    assert one_event(identity, "MetadataSet") == {
        "agentId": 0, "indexedMetadataKey": keccak(text="agentWallet"), "metadataKey": "agentWallet",
        "metadataValue": bytes.fromhex(owner[2:]),
    }


def test_the_token_uri_is_the_agent_uri(identity, owner):
    card = card_uri(600)
    agent_id = sent_by(owner, identity.register, card)
    assert identity.tokenURI(agent_id) == card


def test_a_uri_of_8192_characters_fits_and_one_more_does_not(identity, owner):
    uri = "https://translator.example/" + "a" * (8192 - 27)
    assert identity.tokenURI(sent_by(owner, identity.register, uri)) == uri
    with boa.reverts():
        sent_by(owner, identity.register, uri + "a")


def test_register_without_a_uri_leaves_it_empty_until_set(identity, owner):
    agent_id = sent_by(owner, identity.register)
    assert one_event(identity, "Registered")["agentURI"] == ""
    assert identity.tokenURI(agent_id) == ""
    sent_by(owner, identity.setAgentURI, agent_id, CARD)
    assert identity.tokenURI(agent_id) == CARD


def test_register_with_metadata_sets_each_entry_after_the_agent_wallet(identity, owner):
    agent_id = sent_by(owner, identity.register, CARD, [("skill", b"translate"), ("price", b"\x01\x02")])
    keys = [arguments["metadataKey"] for _, arguments in events(identity, "MetadataSet")]
    assert keys == ["agentWallet", "skill", "price"]
    assert identity.getMetadata(agent_id, "skill") == b"translate"
    assert identity.getMetadata(agent_id, "price") == b"\x01\x02"


def test_register_refuses_to_set_the_agent_wallet_as_metadata(identity, owner, alice):
    with boa.reverts("identity registry: agentWallet is set by setAgentWallet only"):
        sent_by(owner, identity.register, CARD, [("agentWallet", bytes.fromhex(alice[2:]))])


def test_an_unknown_agent_has_no_token_uri(identity):
    with boa.reverts("erc721: invalid token ID"):
        identity.tokenURI(0)


def test_a_contract_that_cannot_hold_an_erc721_cannot_register(identity):
    no_receiver = deployer("IdentityRegistry").deploy()
    with boa.reverts():
        sent_by(no_receiver.address, identity.register, CARD)
    assert identity.totalSupply() == 0


# ------------------------------------------------------------------ the agent's URI

def test_the_owner_updates_the_uri_and_the_event_says_who(identity, owner, agent_id):
    sent_by(owner, identity.setAgentURI, agent_id, "ipfs://new")
    assert one_event(identity, "URIUpdated") == {"agentId": agent_id, "newURI": "ipfs://new", "updatedBy": owner}
    assert one_event(identity, "MetadataUpdate") == {"_tokenId": agent_id}
    assert identity.tokenURI(agent_id) == "ipfs://new"


def test_the_approved_address_updates_the_uri(identity, owner, alice, agent_id):
    sent_by(owner, identity.approve, alice, agent_id)
    sent_by(alice, identity.setAgentURI, agent_id, "ipfs://by-alice")
    assert one_event(identity, "URIUpdated")["updatedBy"] == alice


def test_an_operator_of_the_owner_updates_the_uri(identity, owner, bob, agent_id):
    sent_by(owner, identity.setApprovalForAll, bob, True)
    sent_by(bob, identity.setAgentURI, agent_id, "ipfs://by-bob")
    assert identity.tokenURI(agent_id) == "ipfs://by-bob"


def test_a_stranger_cannot_change_the_agent(identity, stranger, agent_id):
    for change, args in ((identity.setAgentURI, ("ipfs://evil",)), (identity.setMetadata, ("skill", b"evil")),
                         (identity.unsetAgentWallet, ())):
        with boa.reverts("identity registry: not the agent's owner or operator"):
            sent_by(stranger, change, agent_id, *args)


def test_nobody_changes_an_agent_that_does_not_exist(identity, owner):
    with boa.reverts("erc721: invalid token ID"):
        sent_by(owner, identity.setAgentURI, 5, CARD)


def test_the_former_owner_cannot_change_the_agent_after_a_transfer(identity, owner, alice, agent_id):
    sent_by(owner, identity.transferFrom, owner, alice, agent_id)
    with boa.reverts("identity registry: not the agent's owner or operator"):
        sent_by(owner, identity.setAgentURI, agent_id, "ipfs://stale")


def test_an_approval_ends_with_the_transfer(identity, owner, alice, bob, agent_id):
    sent_by(owner, identity.approve, bob, agent_id)
    sent_by(owner, identity.transferFrom, owner, alice, agent_id)
    with boa.reverts("identity registry: not the agent's owner or operator"):
        sent_by(bob, identity.setAgentURI, agent_id, "ipfs://stale")


# ------------------------------------------------------------------ metadata

def test_metadata_is_set_read_and_announced_with_its_key_hashed_as_the_topic(identity, owner, agent_id):
    sent_by(owner, identity.setMetadata, agent_id, "skill", b"translate")
    assert one_event(identity, "MetadataSet") == {
        "agentId": agent_id, "indexedMetadataKey": keccak(text="skill"), "metadataKey": "skill",
        "metadataValue": b"translate",
    }
    assert identity.getMetadata(agent_id, "skill") == b"translate"


def test_metadata_never_set_reads_empty(identity, agent_id):
    assert identity.getMetadata(agent_id, "skill") == b""


def test_set_metadata_refuses_the_agent_wallet_key(identity, owner, alice, agent_id):
    with boa.reverts("identity registry: agentWallet is set by setAgentWallet only"):
        sent_by(owner, identity.setMetadata, agent_id, "agentWallet", bytes.fromhex(alice[2:]))
    assert identity.getAgentWallet(agent_id) == owner


def test_the_agent_wallet_reads_as_metadata_of_20_bytes(identity, owner, agent_id):
    assert identity.getMetadata(agent_id, "agentWallet") == bytes.fromhex(owner[2:])
    sent_by(owner, identity.unsetAgentWallet, agent_id)
    assert identity.getMetadata(agent_id, "agentWallet") == b""


# boa's plugin rolls the chain back after each example, so the fixtures' state is fresh for each.
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.text(min_size=1, max_size=64).filter(lambda k: len(k.encode()) <= 64 and k != "agentWallet"),
       value=st.binary(max_size=1024))
def test_any_metadata_entry_reads_back_as_written(identity, owner, agent_id, key, value):
    sent_by(owner, identity.setMetadata, agent_id, key, value)
    assert one_event(identity, "MetadataSet")["indexedMetadataKey"] == keccak(text=key)
    assert identity.getMetadata(agent_id, key) == value


# ------------------------------------------------------------------ ERC-721

def test_transfer_moves_the_agent_and_a_stranger_cannot(identity, owner, alice, stranger, agent_id):
    with boa.reverts("erc721: caller is not token owner or approved"):
        sent_by(stranger, identity.transferFrom, owner, stranger, agent_id)
    sent_by(owner, identity.safeTransferFrom, owner, alice, agent_id)
    assert identity.ownerOf(agent_id) == alice and identity.balanceOf(owner) == 0
    assert identity.tokenOfOwnerByIndex(alice, 0) == agent_id


def test_the_registry_is_an_erc721_with_metadata_enumeration_and_erc4906(identity):
    for interface in ("01ffc9a7", "80ac58cd", "5b5e139f", "780e9d63", "49064906"):
        assert identity.supportsInterface(bytes.fromhex(interface))
    assert not identity.supportsInterface(bytes.fromhex("589c5ce2"))  # no EIP-4494 permit here
    assert (identity.name(), identity.symbol()) == ("AgentIdentity", "AGENT")


def test_is_authorized_or_owner_answers_like_the_reference(identity, owner, alice, bob, stranger, agent_id):
    sent_by(owner, identity.approve, alice, agent_id)
    sent_by(owner, identity.setApprovalForAll, bob, True)
    assert [identity.isAuthorizedOrOwner(who, agent_id) for who in (owner, alice, bob, stranger)] == [
        True, True, True, False]
    assert identity.getApproved(agent_id) == alice and identity.getAgentWallet(agent_id) != ZERO
