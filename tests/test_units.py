"""Amounts and addresses typed by a person become exact values, or a clear refusal."""

import pytest

from agentwallet.errors import WalletError
from agentwallet.units import format_amount, format_short, parse_address, parse_amount

CHECKSUMMED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.mark.parametrize("text, decimals, expected", [
    ("1", 18, 10**18),
    ("0.25", 18, 25 * 10**16),
    (".5", 6, 500_000),
    ("3.5", 6, 3_500_000),
    ("0.000000000000000001", 18, 1),
    ("1_000", 6, 1_000_000_000),
    ("2.50", 1, 25),
])
def test_amounts_parse_exactly(text, decimals, expected):
    assert parse_amount(text, decimals) == expected


@pytest.mark.parametrize("text, message", [
    ("-1", "negative"),
    ("0.1234567", "more than the 6 decimals"),
    ("1e3", "not an amount"),
    ("nan", "not an amount"),
    ("", "not an amount"),
    ("1.2.3", "not an amount"),
    ("1" * 80, "too large"),
])
def test_bad_amounts_are_refused_with_the_reason(text, message):
    with pytest.raises(WalletError, match=message):
        parse_amount(text, 6)


def test_amounts_format_back_to_the_shortest_exact_text():
    assert format_amount(1_500_000, 6) == "1.5"
    assert format_amount(10**18, 18) == "1"
    assert format_amount(1, 18) == "0.000000000000000001"
    assert format_amount(0, 6) == "0"


@pytest.mark.parametrize("base_units, decimals, shown", [
    (999_803_604_146_224_166, 18, "≈0.9998"),  # the agent's gas, to a glance
    (9_750_000_000_000_000_000, 18, "9.75"),  # six decimals or fewer: exact
    (12_345_678_901_234, 18, "≈0.00001235"),  # four significant digits of a small fraction
    (1_234_567_891_234_567_890_123, 18, "≈1234.5679"),
    (1, 18, "0.000000000000000001"),  # nothing shorter is true
    (1_500_000, 6, "1.5"),
])
def test_short_amounts_are_exact_or_marked_as_rounded(base_units, decimals, shown):
    assert format_short(base_units, decimals) == shown


def test_checksummed_and_lowercase_addresses_are_accepted():
    assert parse_address(CHECKSUMMED) == CHECKSUMMED
    assert parse_address(CHECKSUMMED.lower()) == CHECKSUMMED


def test_an_address_with_a_wrong_checksum_is_refused():
    broken = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"  # one letter's case flipped
    with pytest.raises(WalletError, match="checksum"):
        parse_address(broken)


@pytest.mark.parametrize("text", ["0x1234", "alice", "0x" + "g" * 40, ""])
def test_things_that_are_not_addresses_are_refused(text):
    with pytest.raises(WalletError, match="not an address"):
        parse_address(text)
