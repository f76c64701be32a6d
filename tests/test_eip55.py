"""The wallet's own Keccak-256 and EIP-55 checksums agree with eth_utils' (the reference the
chain side uses), and parse_address takes and refuses what it took and refused on eth_utils."""

from __future__ import annotations

import eth_utils
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentwallet.eip55 import checksummed, keccak256
from agentwallet.errors import WalletError
from agentwallet.units import parse_address


@given(st.binary(max_size=600))
def test_keccak256_is_ethereums(data):
    assert keccak256(data) == eth_utils.keccak(data)


@pytest.mark.parametrize("size", [0, 135, 136, 137, 272])  # around the 136-byte block
def test_keccak256_pads_at_the_block_edges(size):
    data = bytes(range(256))[:size] if size <= 256 else bytes(size)
    assert keccak256(data) == eth_utils.keccak(data)


@given(st.binary(min_size=20, max_size=20))
def test_checksummed_is_eip55(raw):
    assert checksummed(raw.hex()) == eth_utils.to_checksum_address(raw.hex())
    assert checksummed(raw.hex().upper()) == eth_utils.to_checksum_address(raw.hex())


def _as_eth_utils_read_it(text: str) -> str:
    """parse_address as it was written on eth_utils: the behaviour to keep."""
    candidate = text.strip()
    if not eth_utils.is_hex_address(candidate):
        raise WalletError("not an address")
    body = candidate[2:]
    if body != body.lower() and body != body.upper() and not eth_utils.is_checksum_address(candidate):
        raise WalletError("bad address checksum")
    return eth_utils.to_checksum_address(candidate)


def _outcome(read, text: str) -> str:
    try:
        return read(text)
    except WalletError as error:
        return str(error).split(":")[0]


_ADDRESSES = st.binary(min_size=20, max_size=20).map(lambda raw: eth_utils.to_checksum_address(raw.hex()))
_TYPED = st.one_of(
    _ADDRESSES,
    _ADDRESSES.map(str.lower),
    _ADDRESSES.map(lambda a: "0x" + a[2:].upper()),
    _ADDRESSES.map(lambda a: a.swapcase()),  # 0X and every letter's case flipped
    st.tuples(_ADDRESSES, st.integers(2, 41)).map(lambda p: p[0][:p[1]] + p[0][p[1]].swapcase() + p[0][p[1] + 1:]),
    _ADDRESSES.map(lambda a: a[2:]),  # no 0x
    _ADDRESSES.map(lambda a: f"  {a}\n"),
    st.text(alphabet="0123456789abcdefABCDEFxX g", max_size=44),
)


@given(_TYPED)
def test_parse_address_reads_addresses_as_eth_utils_did(text):
    assert _outcome(parse_address, text) == _outcome(_as_eth_utils_read_it, text)
