"""DemoToken's EIP-3009: a signed authorization moves funds once, inside its validity window,
for whoever submits it (receiveWithAuthorization only for the payee); a contract payer signs
with ERC-1271, an EOA with ECDSA; both the bytes and the v, r, s forms work."""

import boa
import pytest
from eth.exceptions import Revert
from eth_utils import keccak
from guardrail_kit import USDC, deployer, last_event, sent_by
from payment_kit import AUTHORIZATION_TYPES, authorization, domain_of, signed, signed_digest, vrs_call
from registry_kit import key

from agentwallet.chain.eip3009 import digest

PAYER = key("eip3009 payer")


@pytest.fixture
def token(owner):
    with boa.env.prank(owner):
        token = deployer("DemoToken").deploy("Demo USDC", "USDC", 6)
        token.mint(PAYER.address, 100 * USDC)
    return token


def test_the_domain_is_the_tokens_name_version_1_this_chain_and_this_token(token):
    domain = domain_of(token)
    assert (domain.name, domain.version, domain.token) == ("Demo USDC", "1", token.address)
    assert token.version() == "1"
    assert token.DOMAIN_SEPARATOR() == keccak(
        keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
        + keccak(text="Demo USDC") + keccak(text="1") + domain.chain_id.to_bytes(32, "big")
        + bytes(12) + bytes.fromhex(token.address[2:]))


def test_anyone_submits_a_signed_authorization_and_the_payee_is_paid(token, alice, stranger):
    auth = authorization(PAYER.address, alice, 7 * USDC)
    sent_by(stranger, token.transferWithAuthorization, *auth.arguments(), signed(PAYER, token, auth))
    used = last_event(token, "AuthorizationUsed")
    assert (used.authorizer, used.nonce) == (PAYER.address, auth.nonce)
    assert (token.balanceOf(PAYER.address), token.balanceOf(alice)) == (93 * USDC, 7 * USDC)
    assert token.authorizationState(PAYER.address, auth.nonce)


def test_an_authorization_works_once(token, alice, stranger):
    auth = authorization(PAYER.address, alice, 7 * USDC)
    signature = signed(PAYER, token, auth)
    sent_by(stranger, token.transferWithAuthorization, *auth.arguments(), signature)
    with boa.reverts("demo token: authorization is used or canceled"):
        sent_by(alice, token.transferWithAuthorization, *auth.arguments(), signature)
    assert token.balanceOf(alice) == 7 * USDC


def test_an_expired_authorization_is_refused(token, alice):
    auth = authorization(PAYER.address, alice, USDC, lasts=60)
    boa.env.time_travel(seconds=60)
    with boa.reverts("demo token: authorization is expired"):
        sent_by(alice, token.transferWithAuthorization, *auth.arguments(), signed(PAYER, token, auth))


def test_an_authorization_before_its_valid_after_is_refused(token, alice):
    auth = authorization(PAYER.address, alice, USDC, valid_after=boa.env.timestamp + 30)
    with boa.reverts("demo token: authorization is not yet valid"):
        sent_by(alice, token.transferWithAuthorization, *auth.arguments(), signed(PAYER, token, auth))


@pytest.mark.parametrize("changed", ["payee", "value", "valid_before", "nonce"])
def test_a_signature_moves_only_what_was_signed(token, alice, bob, changed):
    auth = authorization(PAYER.address, alice, USDC)
    signature = signed(PAYER, token, auth)
    payer, payee, value, after, before, nonce = auth.arguments()
    altered = {"payee": (payer, bob, value, after, before, nonce),
               "value": (payer, payee, value + 1, after, before, nonce),
               "valid_before": (payer, payee, value, after, before + 1, nonce),
               "nonce": (payer, payee, value, after, before, keccak(nonce))}[changed]
    with boa.reverts("demo token: invalid signature"):
        sent_by(alice, token.transferWithAuthorization, *altered, signature)


def test_a_signature_by_another_key_is_refused(token, alice):
    auth = authorization(PAYER.address, alice, USDC)
    with boa.reverts("demo token: invalid signature"):
        sent_by(alice, token.transferWithAuthorization, *auth.arguments(), signed(key("not the payer"), token, auth))


def test_the_v_r_s_form_moves_the_same_funds(token, alice, stranger):
    auth = authorization(PAYER.address, alice, 3 * USDC)
    vrs_call(token, "transferWithAuthorization", auth.arguments(), AUTHORIZATION_TYPES,
             signed(PAYER, token, auth), stranger)
    assert token.balanceOf(alice) == 3 * USDC


def test_receive_with_authorization_is_only_for_the_payee(token, alice, stranger):
    auth = authorization(PAYER.address, alice, 2 * USDC)
    domain = domain_of(token)
    typehash = keccak(text="ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
                           "uint256 validBefore,bytes32 nonce)")
    struct = keccak(typehash + b"".join(
        bytes(12) + bytes.fromhex(a[2:]) for a in (auth.payer, auth.payee)) + b"".join(
        n.to_bytes(32, "big") for n in (auth.value, auth.valid_after, auth.valid_before)) + auth.nonce)
    receive_digest = keccak(b"\x19\x01" + token.DOMAIN_SEPARATOR() + struct)
    signature = signed_digest(PAYER, receive_digest)
    assert receive_digest != digest(domain, auth)
    with boa.reverts("demo token: caller must be the payee"):
        sent_by(stranger, token.receiveWithAuthorization, *auth.arguments(), signature)
    with boa.reverts("demo token: invalid signature"):  # a transfer authorization is not a receive one
        sent_by(alice, token.receiveWithAuthorization, *auth.arguments(), signed(PAYER, token, auth))
    vrs_call(token, "receiveWithAuthorization", auth.arguments(), AUTHORIZATION_TYPES, signature, alice)
    assert token.balanceOf(alice) == 2 * USDC


def test_a_cancelled_authorization_can_never_be_used(token, alice):
    auth = authorization(PAYER.address, alice, USDC)
    cancel_struct = keccak(keccak(text="CancelAuthorization(address authorizer,bytes32 nonce)")
                           + bytes(12) + bytes.fromhex(PAYER.address[2:]) + auth.nonce)
    cancel = signed_digest(PAYER, keccak(b"\x19\x01" + token.DOMAIN_SEPARATOR() + cancel_struct))
    vrs_call(token, "cancelAuthorization", (PAYER.address, auth.nonce), ["address", "bytes32"], cancel, alice)
    assert token.authorizationState(PAYER.address, auth.nonce)
    with boa.reverts("demo token: authorization is used or canceled"):
        sent_by(alice, token.transferWithAuthorization, *auth.arguments(), signed(PAYER, token, auth))
    with boa.reverts("demo token: authorization is used or canceled"):
        sent_by(alice, token.cancelAuthorization, PAYER.address, auth.nonce, cancel)


def test_a_contract_payer_signs_with_erc1271(token, owner, alice):
    wallet = deployer("ContractWallet").deploy(PAYER.address)
    sent_by(owner, token.mint, wallet.address, 10 * USDC)
    auth = authorization(wallet.address, alice, 4 * USDC)
    signature = signed(PAYER, token, auth)  # the wallet accepts its signer's signature
    sent_by(alice, token.transferWithAuthorization, *auth.arguments(), signature)
    assert token.balanceOf(alice) == 4 * USDC


def test_a_contract_payer_that_refuses_is_not_charged(token, owner, alice):
    wallet = deployer("ContractWallet").deploy(PAYER.address)
    sent_by(owner, token.mint, wallet.address, 10 * USDC)
    wallet.set_refuse(True)
    auth = authorization(wallet.address, alice, 4 * USDC)
    with boa.reverts("demo token: invalid signature"):
        sent_by(alice, token.transferWithAuthorization, *auth.arguments(), signed(PAYER, token, auth))
    assert token.balanceOf(wallet.address) == 10 * USDC


def test_calldata_the_token_does_not_know_reverts(token, alice):
    with pytest.raises(Revert, match="demo token: unknown function"):
        boa.env.raw_call(token.address, sender=alice, data=keccak(text="nothing()")[:4])
