# pragma version 0.4.3
# pragma evm-version cancun
"""
@title DemoToken
@license Apache-2.0
@notice A plain ERC-20 with the decimals of your choice, minted by its deployer. The devnet
        deploys it as a 6-decimal "USDC". Not for value: the owner mints at will.
        It has EIP-3009 (transfer with authorization), as USDC does, so x402 `exact` payments
        settle with it: a holder signs an authorization and anyone may submit it, once. An
        authorization from a contract (the guardrail vault) is checked with the contract's
        ERC-1271 isValidSignature, through the `bytes signature` overloads contract wallets
        need; an EOA's with ecrecover. Its EIP-712 domain is (name, "1", chain id, this).
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed

implements: IERC20
implements: IERC20Detailed


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

event AuthorizationUsed:
    authorizer: indexed(address)
    nonce: indexed(bytes32)

event AuthorizationCanceled:
    authorizer: indexed(address)
    nonce: indexed(bytes32)


VERSION: constant(String[1]) = "1"
EIP712_DOMAIN_TYPEHASH: constant(bytes32) = keccak256(
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
TRANSFER_WITH_AUTHORIZATION_TYPEHASH: constant(bytes32) = keccak256(
    "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
RECEIVE_WITH_AUTHORIZATION_TYPEHASH: constant(bytes32) = keccak256(
    "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
CANCEL_AUTHORIZATION_TYPEHASH: constant(bytes32) = keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")
MAX_SIGNATURE: constant(uint256) = 1024
ERC1271_MAGIC_VALUE: constant(bytes4) = 0x1626BA7E
IS_VALID_SIGNATURE: constant(bytes4) = method_id("isValidSignature(bytes32,bytes)", output_type=bytes4)
# secp256k1's order n, halved: an s above it is the malleable twin of a valid signature (EIP-2)
SECP256K1_HALF_ORDER: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168

# Vyper has no overloading: the v, r, s forms of EIP-3009 are decoded by __default__.
TRANSFER_VRS: constant(bytes4) = method_id(
    "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
    output_type=bytes4)
RECEIVE_VRS: constant(bytes4) = method_id(
    "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
    output_type=bytes4)
CANCEL_VRS: constant(bytes4) = method_id("cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)",
                                         output_type=bytes4)


name: public(String[64])
symbol: public(String[32])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
owner: public(address)
authorizationState: public(HashMap[address, HashMap[bytes32, bool]])

_name_hash: immutable(bytes32)


@deploy
def __init__(name_: String[64], symbol_: String[32], decimals_: uint8):
    """
    @notice The deployer becomes the owner, the only one who can mint.
    @param name_ The token's name, at most 64 characters.
    @param symbol_ The token's symbol, at most 32 characters.
    @param decimals_ The decimal places amounts are written with (6 for the devnet's USDC).
    """
    self.name = name_
    self.symbol = symbol_
    self.decimals = decimals_
    self.owner = msg.sender
    _name_hash = keccak256(name_)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    """
    @notice Move `amount` of the caller's tokens to `receiver`.
    @param receiver The 20-byte receiver address; never the zero address.
    @param amount The 32-byte amount in base units, at most the caller's balance.
    @return bool Always True: a transfer that cannot happen reverts.
    """
    self._transfer(msg.sender, receiver, amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    """
    @notice Move `amount` of `sender`'s tokens to `receiver`, spending the allowance `sender`
            gave the caller. An allowance of max_value(uint256) never runs down.
    @param sender The 20-byte address the tokens leave.
    @param receiver The 20-byte receiver address; never the zero address.
    @param amount The 32-byte amount in base units.
    @return bool Always True: a transfer that cannot happen reverts.
    """
    allowed: uint256 = self.allowance[sender][msg.sender]
    if allowed != max_value(uint256):
        assert allowed >= amount, "demo token: allowance exceeded"
        self.allowance[sender][msg.sender] = allowed - amount
    self._transfer(sender, receiver, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    """
    @notice Let `spender` move up to `amount` of the caller's tokens with transferFrom,
            replacing any earlier allowance.
    @param spender The 20-byte spender address.
    @param amount The 32-byte allowance in base units; max_value(uint256) for no limit.
    @return bool Always True.
    """
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def mint(receiver: address, amount: uint256):
    """
    @notice Create `amount` new tokens for `receiver`. The owner only.
    @param receiver The 20-byte receiver address; never the zero address.
    @param amount The 32-byte amount in base units.
    """
    assert msg.sender == self.owner, "demo token: caller is not the owner"
    assert receiver != empty(address), "demo token: receiver is the zero address"
    self.totalSupply += amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=empty(address), receiver=receiver, value=amount)


@external
@view
def version() -> String[1]:
    """
    @notice The version of the token's EIP-712 domain, which x402 payment requirements name.
    @return String "1".
    """
    return VERSION


@external
@view
def DOMAIN_SEPARATOR() -> bytes32:
    """
    @notice The EIP-712 domain separator authorizations are signed under, for this chain.
    @return bytes32 keccak256 of (name, "1", chain id, this token's address), EIP-712 encoded.
    """
    return self._domain_separator()


@external
@view
def eip712Domain() -> (bytes1, String[64], String[1], uint256, address, bytes32, DynArray[uint256, 1]):
    """
    @notice EIP-5267: the fields of the EIP-712 domain, so a signer can rebuild it.
    @return bytes1 0x0f: name, version, chainId and verifyingContract are set.
    @return String The token's name.
    @return String The version, "1".
    @return uint256 This chain's id.
    @return address This token.
    @return bytes32 No salt.
    @return DynArray No extensions.
    """
    return (0x0f, self.name, VERSION, chain.id, self, empty(bytes32), [])


@external
def transferWithAuthorization(from_: address, to: address, amount: uint256, valid_after: uint256,
                              valid_before: uint256, nonce: bytes32, signature: Bytes[MAX_SIGNATURE]):
    """
    @notice EIP-3009: move `amount` from `from_` to `to` on `from_`'s signed authorization.
            Anyone may submit it; it works once, inside its validity window.
    @param from_ The 20-byte payer who signed; an EOA (ECDSA) or a contract (ERC-1271).
    @param to The 20-byte payee.
    @param amount The 32-byte amount in base units.
    @param valid_after The Unix time after which the authorization is valid.
    @param valid_before The Unix time before which the authorization is valid.
    @param nonce The payer's unique 32-byte nonce for this authorization.
    @param signature The payer's signature of the EIP-712 digest: 65 bytes r, s, v for an EOA,
           whatever the contract's isValidSignature takes for a contract.
    """
    self._use_authorization(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from_, to, amount, valid_after, valid_before,
                            nonce, signature)


@external
def receiveWithAuthorization(from_: address, to: address, amount: uint256, valid_after: uint256,
                             valid_before: uint256, nonce: bytes32, signature: Bytes[MAX_SIGNATURE]):
    """
    @notice EIP-3009: as transferWithAuthorization, but only the payee may submit it, so no one
            can front-run the payee's own call (a different signed type: ReceiveWithAuthorization).
    @param from_ The 20-byte payer who signed.
    @param to The 20-byte payee: the caller.
    @param amount The 32-byte amount in base units.
    @param valid_after The Unix time after which the authorization is valid.
    @param valid_before The Unix time before which the authorization is valid.
    @param nonce The payer's unique 32-byte nonce for this authorization.
    @param signature The payer's signature, as for transferWithAuthorization.
    """
    assert msg.sender == to, "demo token: caller must be the payee"
    self._use_authorization(RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from_, to, amount, valid_after, valid_before,
                            nonce, signature)


@external
def cancelAuthorization(authorizer: address, nonce: bytes32, signature: Bytes[MAX_SIGNATURE]):
    """
    @notice EIP-3009: spend an unused nonce without moving anything, so the authorization
            signed with it can never be used.
    @param authorizer The 20-byte payer whose nonce it is, and who signed the cancellation.
    @param nonce The 32-byte nonce to cancel.
    @param signature The authorizer's signature of the CancelAuthorization digest.
    """
    assert not self.authorizationState[authorizer][nonce], "demo token: authorization is used or canceled"
    digest: bytes32 = self._typed_digest(keccak256(abi_encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)))
    assert self._signed_by(authorizer, digest, signature), "demo token: invalid signature"
    self.authorizationState[authorizer][nonce] = True
    log AuthorizationCanceled(authorizer=authorizer, nonce=nonce)


@external
def __default__():
    """
    @notice The v, r, s overloads of EIP-3009, which Vyper cannot declare beside the bytes
            ones: transferWithAuthorization, receiveWithAuthorization and cancelAuthorization
            with the signature as (uint8 v, bytes32 r, bytes32 s). Other calldata reverts.
    """
    assert len(msg.data) >= 4, "demo token: unknown function"
    selector: bytes4 = convert(slice(msg.data, 0, 4), bytes4)
    from_: address = empty(address)
    to: address = empty(address)
    amount: uint256 = 0
    valid_after: uint256 = 0
    valid_before: uint256 = 0
    nonce: bytes32 = empty(bytes32)
    v: uint8 = 0
    r: bytes32 = empty(bytes32)
    s: bytes32 = empty(bytes32)
    if (selector == TRANSFER_VRS or selector == RECEIVE_VRS) and len(msg.data) == 292:
        from_, to, amount, valid_after, valid_before, nonce, v, r, s = abi_decode(
            slice(msg.data, 4, 288), (address, address, uint256, uint256, uint256, bytes32, uint8, bytes32, bytes32))
        typehash: bytes32 = TRANSFER_WITH_AUTHORIZATION_TYPEHASH
        if selector == RECEIVE_VRS:
            assert msg.sender == to, "demo token: caller must be the payee"
            typehash = RECEIVE_WITH_AUTHORIZATION_TYPEHASH
        self._use_authorization(typehash, from_, to, amount, valid_after, valid_before, nonce,
                                concat(r, s, convert(v, bytes1)))
    elif selector == CANCEL_VRS and len(msg.data) == 164:
        from_, nonce, v, r, s = abi_decode(slice(msg.data, 4, 160), (address, bytes32, uint8, bytes32, bytes32))
        assert not self.authorizationState[from_][nonce], "demo token: authorization is used or canceled"
        digest: bytes32 = self._typed_digest(keccak256(abi_encode(CANCEL_AUTHORIZATION_TYPEHASH, from_, nonce)))
        assert self._signed_by(from_, digest, concat(r, s, convert(v, bytes1))), "demo token: invalid signature"
        self.authorizationState[from_][nonce] = True
        log AuthorizationCanceled(authorizer=from_, nonce=nonce)
    else:
        raise "demo token: unknown function"


@internal
def _use_authorization(typehash: bytes32, from_: address, to: address, amount: uint256, valid_after: uint256,
                       valid_before: uint256, nonce: bytes32, signature: Bytes[MAX_SIGNATURE]):
    assert block.timestamp > valid_after, "demo token: authorization is not yet valid"
    assert block.timestamp < valid_before, "demo token: authorization is expired"
    assert not self.authorizationState[from_][nonce], "demo token: authorization is used or canceled"
    digest: bytes32 = self._typed_digest(keccak256(abi_encode(typehash, from_, to, amount, valid_after, valid_before,
                                                              nonce)))
    assert self._signed_by(from_, digest, signature), "demo token: invalid signature"
    self.authorizationState[from_][nonce] = True
    log AuthorizationUsed(authorizer=from_, nonce=nonce)
    self._transfer(from_, to, amount)


@internal
@view
def _domain_separator() -> bytes32:
    return keccak256(abi_encode(EIP712_DOMAIN_TYPEHASH, _name_hash, keccak256(VERSION), chain.id, self))


@internal
@view
def _typed_digest(struct_hash: bytes32) -> bytes32:
    return keccak256(concat(x"1901", self._domain_separator(), struct_hash))


@internal
@view
def _signed_by(signer: address, digest: bytes32, signature: Bytes[MAX_SIGNATURE]) -> bool:
    """Whether `signer` signed `digest`: ERC-1271 for a contract (its answer, read without
    letting it change state), ECDSA for anyone else, as OpenZeppelin's SignatureChecker."""
    if signer.is_contract:
        ok: bool = False
        answer: Bytes[32] = b""
        ok, answer = raw_call(signer, abi_encode(digest, signature, method_id=IS_VALID_SIGNATURE),
                              max_outsize=32, is_static_call=True, revert_on_failure=False)
        return ok and len(answer) == 32 and convert(slice(answer, 0, 4), bytes4) == ERC1271_MAGIC_VALUE
    if len(signature) != 65:
        return False
    r: uint256 = extract32(signature, 0, output_type=uint256)
    s: uint256 = extract32(signature, 32, output_type=uint256)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    if s > SECP256K1_HALF_ORDER or (v != 27 and v != 28):
        return False
    recovered: address = ecrecover(digest, v, r, s)
    return recovered != empty(address) and recovered == signer


@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "demo token: receiver is the zero address"
    balance: uint256 = self.balanceOf[sender]
    assert balance >= amount, "demo token: balance too low"
    self.balanceOf[sender] = balance - amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)
