# pragma version 0.4.3
# pragma evm-version cancun
"""
@title ContractWallet
@license Apache-2.0
@notice Test only. A contract wallet that answers ERC-1271: a signature is valid when its
        signer's key made it over the digest, and nothing is valid while it refuses.
"""

MAGIC_VALUE: constant(bytes4) = 0x1626BA7E
INVALID: constant(bytes4) = 0xFFFFFFFF

signer: public(address)
refuse: public(bool)


@deploy
def __init__(signer: address):
    """
    @param signer The account whose signatures the wallet accepts.
    """
    self.signer = signer


@external
def set_refuse(refuse: bool):
    """
    @notice Refuse every signature, as a wallet whose owners withdrew it would.
    @param refuse Whether to refuse.
    """
    self.refuse = refuse


@external
@view
def isValidSignature(digest: bytes32, signature: Bytes[65]) -> bytes4:
    """
    @notice ERC-1271: whether the wallet signed `digest`.
    @param digest The hash signed.
    @param signature r, s, v of the signer's key.
    @return 0x1626ba7e when valid, 0xffffffff otherwise.
    """
    if self.refuse or len(signature) != 65:
        return INVALID
    r: uint256 = extract32(signature, 0, output_type=uint256)
    s: uint256 = extract32(signature, 32, output_type=uint256)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    if ecrecover(digest, v, r, s) == self.signer:
        return MAGIC_VALUE
    return INVALID
