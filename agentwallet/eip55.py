"""EIP-55 checksummed addresses, with Keccak-256 written out here.

eth_utils does the same, but importing it costs half a second (it pulls in pydantic), and
the config checks its addresses on every start, `ask`'s included (issue 11). An address is
40 bytes to hash, so a plain Python Keccak is quick enough; tests/test_eip55.py checks it
against eth_utils.
"""

from __future__ import annotations

_RATE = 136  # bytes absorbed per permutation: Keccak-256's 1088-bit rate
_MASK = (1 << 64) - 1


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum uses it (the original padding, not SHA3-256's)."""
    padded = bytearray(data)
    padded.append(0x01)
    padded.extend(bytes(-len(padded) % _RATE))
    padded[-1] |= 0x80
    lanes = [0] * 25  # lane x, y at 5 * y + x, little-endian as the standard reads them
    for start in range(0, len(padded), _RATE):
        for index in range(_RATE // 8):
            lanes[index] ^= int.from_bytes(padded[start + 8 * index:start + 8 * index + 8], "little")
        _permute(lanes)
    return b"".join(lane.to_bytes(8, "little") for lane in lanes[:4])


def checksummed(hex_digits: str) -> str:
    """0x and the 40 hex digits of an address, each letter upper case where the hash of the
    lower-case digits has a nibble of 8 or more there (EIP-55)."""
    lower = hex_digits.lower()
    digest = keccak256(lower.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if int(h, 16) > 7 else c for c, h in zip(lower, digest, strict=False))


def _rotated(lane: int, bits: int) -> int:
    return ((lane << bits) | (lane >> (64 - bits))) & _MASK if bits else lane


def _round_constants() -> list[int]:
    """ι's constants, from the standard's linear feedback shift register."""
    constants, register = [], 1
    for _ in range(24):
        constant = 0
        for bit in range(7):
            register = ((register << 1) ^ ((register >> 7) * 0x71)) % 256
            if register & 2:
                constant |= 1 << ((1 << bit) - 1)
        constants.append(constant)
    return constants


def _rho_pi() -> list[tuple[int, int, int]]:
    """ρ and π together: (from, to, rotation) for the 24 lanes that move."""
    moves, (x, y) = [], (1, 0)
    for step in range(24):
        x, y, before = y, (2 * x + 3 * y) % 5, (x, y)
        moves.append((5 * before[1] + before[0], 5 * y + x, ((step + 1) * (step + 2) // 2) % 64))
    return moves


_ROUND_CONSTANTS = _round_constants()
_RHO_PI = _rho_pi()


def _permute(lanes: list[int]) -> None:
    """Keccak-f[1600], in place."""
    for constant in _ROUND_CONSTANTS:
        parity = [lanes[x] ^ lanes[x + 5] ^ lanes[x + 10] ^ lanes[x + 15] ^ lanes[x + 20] for x in range(5)]
        for x in range(5):
            mix = parity[(x - 1) % 5] ^ _rotated(parity[(x + 1) % 5], 1)
            for y in range(0, 25, 5):
                lanes[y + x] ^= mix
        moved = lanes[:]
        for source, target, bits in _RHO_PI:
            moved[target] = _rotated(lanes[source], bits)
        for y in range(0, 25, 5):
            row = moved[y:y + 5]
            for x in range(5):
                lanes[y + x] = row[x] ^ (~row[(x + 1) % 5] & _MASK & row[(x + 2) % 5])
        lanes[0] ^= constant
