"""The vault's ERC-1271 isValidSignature: the owner's ECDSA signature of a hash is the vault's,
and nothing else is (an agent's, a malleable twin, a short or a mangled one), so the owner can
prove the vault to the ERC-8004 identity registry as an agent's wallet and nobody else can."""

import boa
import pytest
from eth_account import Account
from eth_utils import keccak
from guardrail_kit import ALLOWANCE, DAY, PER_TX, deployer, sent_by
from registry_kit import key, soon, wallet_signature

MAGIC = bytes.fromhex("1626ba7e")
INVALID = bytes.fromhex("ffffffff")
SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
OWNER = key("vault owner")
AGENT = key("vault agent")
HASH = keccak(text="what the owner signs")


@pytest.fixture
def signing_vault():
    """A guardrail deployed by OWNER (a key that can sign), with AGENT's policy set."""
    with boa.env.prank(OWNER.address):
        vault = deployer("Guardrail").deploy()
    sent_by(OWNER.address, vault.set_policy, AGENT.address, PER_TX, ALLOWANCE, DAY, 0)
    return vault


def signed(account, digest: bytes = HASH) -> bytes:
    """`account`'s 65-byte signature (r, s, v) of the digest itself, as a contract wallet's signer makes it."""
    return bytes(Account.unsafe_sign_hash(digest, account.key).signature)


def parts(signature: bytes) -> tuple[int, int, int]:
    return int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:64], "big"), signature[64]


def joined(r: int, s: int, v: int) -> bytes:
    return r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes([v])


def test_the_owners_signature_of_a_hash_is_the_vaults(signing_vault):
    assert signing_vault.isValidSignature(HASH, signed(OWNER)) == MAGIC


def test_the_agents_signature_is_never_the_vaults(signing_vault):
    assert signing_vault.isValidSignature(HASH, signed(AGENT)) == INVALID


def test_a_strangers_signature_is_not_the_vaults(signing_vault):
    assert signing_vault.isValidSignature(HASH, signed(key("stranger"))) == INVALID


def test_the_owners_signature_of_another_hash_does_not_count_for_this_one(signing_vault):
    assert signing_vault.isValidSignature(HASH, signed(OWNER, keccak(text="something else"))) == INVALID


def test_the_malleable_high_s_twin_of_the_owners_signature_is_refused(signing_vault):
    r, s, v = parts(signed(OWNER))
    twin = joined(r, SECP256K1_ORDER - s, 55 - v)
    plain_ecrecover = deployer("ContractWallet").deploy(OWNER.address)
    assert plain_ecrecover.isValidSignature(HASH, twin) == MAGIC  # the twin recovers the owner, too
    assert signing_vault.isValidSignature(HASH, twin) == INVALID


@pytest.mark.parametrize("length", [0, 1, 64])
def test_a_short_signature_is_refused(signing_vault, length):
    assert signing_vault.isValidSignature(HASH, signed(OWNER)[:length]) == INVALID


@pytest.mark.parametrize("v", [0, 1, 29])
def test_a_recovery_byte_other_than_27_or_28_is_refused(signing_vault, v):
    r, s, _ = parts(signed(OWNER))
    assert signing_vault.isValidSignature(HASH, joined(r, s, v)) == INVALID


def test_a_signature_that_recovers_no_one_is_refused(signing_vault):
    assert signing_vault.isValidSignature(HASH, joined(0, 1, 27)) == INVALID


def test_a_signature_longer_than_65_bytes_is_not_decoded(signing_vault):
    with boa.reverts():
        signing_vault.isValidSignature(HASH, signed(OWNER) + b"\x00")


def test_after_a_transfer_of_ownership_only_the_new_owners_signature_counts(signing_vault):
    new_owner = key("new vault owner")
    sent_by(OWNER.address, signing_vault.transfer_ownership, new_owner.address)
    sent_by(new_owner.address, signing_vault.accept_ownership)
    assert signing_vault.isValidSignature(HASH, signed(OWNER)) == INVALID
    assert signing_vault.isValidSignature(HASH, signed(new_owner)) == MAGIC


def test_a_pause_leaves_the_owners_signature_valid(signing_vault):
    sent_by(OWNER.address, signing_vault.pause)
    assert signing_vault.isValidSignature(HASH, signed(OWNER)) == MAGIC


# ------------------------------------------------------------------ with the identity registry

def test_the_owner_makes_the_vault_an_agents_wallet(signing_vault, identity):
    agent_id = sent_by(OWNER.address, identity.register, "data:application/json;base64,e30=")
    deadline = soon()
    proof = wallet_signature(OWNER, identity, agent_id, signing_vault.address, deadline)
    sent_by(OWNER.address, identity.setAgentWallet, agent_id, signing_vault.address, deadline, proof)
    assert identity.getAgentWallet(agent_id) == signing_vault.address


def test_the_agents_key_cannot_make_the_vault_an_agents_wallet(signing_vault, identity):
    agent_id = sent_by(AGENT.address, identity.register)
    deadline = soon()
    proof = wallet_signature(AGENT, identity, agent_id, signing_vault.address, deadline)
    with boa.reverts("identity registry: the new wallet did not sign"):
        sent_by(AGENT.address, identity.setAgentWallet, agent_id, signing_vault.address, deadline, proof)
    assert identity.getAgentWallet(agent_id) == AGENT.address
