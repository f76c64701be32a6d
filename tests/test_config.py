"""The config file: whatever it is given it stays TOML the wallet reads back as it was written,
and whatever a hand or a disk did to it, reading it is a value checked or a one-line error
that names the key and the fix."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentwallet import config as config_module
from agentwallet.config import Config, TokenEntry, config_path, load_config, update_config
from agentwallet.errors import WalletError
from agentwallet.units import parse_address
from tests.conftest import ALICE, BOB

# every code point, lone surrogates included (what a non-UTF-8 file name decodes to)
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
UNICODE_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
ADDRESSES = st.binary(min_size=20, max_size=20).map(lambda raw: parse_address("0x" + raw.hex()))
CONTACT_NAMES = st.from_regex(config_module.CONTACT_NAME, fullmatch=True)
TOKENS = st.builds(TokenEntry, ADDRESSES, ANY_TEXT, st.integers(0, 36))
CONFIGS = st.builds(
    Config,
    network=st.one_of(st.just("devnet"), ANY_TEXT.map(lambda text: "http://" + text)),
    chain_id=st.one_of(st.none(), st.integers(1, 2**64 - 1)),
    guardrail=st.one_of(st.none(), ADDRESSES),
    model=st.one_of(st.none(), ANY_TEXT.filter(bool)),
    gpu_layers=st.integers(-1, 1000),
    contacts=st.dictionaries(CONTACT_NAMES, ADDRESSES, max_size=4),
    tokens=st.lists(TOKENS, max_size=3, unique_by=lambda t: t.address).map(tuple),
    identity_registry=st.one_of(st.none(), ADDRESSES),
    reputation_registry=st.one_of(st.none(), ADDRESSES),
    trusted_raters=st.lists(ADDRESSES, max_size=3, unique=True).map(tuple),
)


def is_unicode(config: Config) -> bool:
    texts = [config.network, config.model or "", *(t.symbol for t in config.tokens)]
    return all(not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text) for text in texts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=CONFIGS)
def test_what_is_written_reads_back_equal_or_is_refused_with_the_file_unchanged(tmp_path, config):
    update_config(tmp_path, lambda _: Config(contacts={"alice": ALICE}))
    before = config_path(tmp_path).read_bytes()
    if is_unicode(config):
        assert update_config(tmp_path, lambda _: config) == config
        assert load_config(tmp_path) == config
    else:
        with pytest.raises(WalletError, match="not valid Unicode text"):
            update_config(tmp_path, lambda _: config)
        assert config_path(tmp_path).read_bytes() == before


def test_an_emoji_symbol_is_written_as_utf8_not_as_surrogate_escapes(tmp_path):
    update_config(tmp_path, lambda c: c.with_token(TokenEntry(ALICE, "💰", 6)))
    text = config_path(tmp_path).read_text(encoding="utf-8")
    assert 'symbol = "💰"' in text and "\\ud83d" not in text
    assert load_config(tmp_path).tokens[0].symbol == "💰"


TOML_VALUES = st.recursive(
    st.one_of(st.booleans(), st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False), UNICODE_TEXT,
              st.datetimes(), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(UNICODE_TEXT, inner, max_size=3)),
    max_leaves=6,
)
KEYS = st.sampled_from([*config_module._KEYS, "contacts.alice", "tokens.0.decimals", "tokens.0.symbol", "netwrok"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=KEYS, value=TOML_VALUES)
def test_any_value_under_any_key_reads_as_a_checked_config_or_a_one_line_error(tmp_path, key, value):
    document = {"guardrail": BOB, "contacts": {"alice": ALICE},
                "tokens": [{"address": BOB, "symbol": "USDC", "decimals": 6}]}
    set_value(document, key, value)
    config_path(tmp_path).write_text(tomli_w.dumps(document), encoding="utf-8")
    try:
        config = load_config(tmp_path)
    except WalletError as error:
        assert "\n" not in str(error) and str(config_path(tmp_path)) in str(error)
        return
    assert isinstance(config.network, str) and isinstance(config.gpu_layers, int)
    assert all(config_module.CONTACT_NAME.fullmatch(name) for name in config.contacts)
    assert all(isinstance(t.decimals, int) and 0 <= t.decimals <= 36 for t in config.tokens)


def set_value(document: dict, key: str, value: object) -> None:
    *path, last = key.split(".")
    place: object = document
    for part in path:
        place = place[int(part)] if isinstance(place, list) else place[part]
    if isinstance(place, list):
        place[int(last)] = value
    else:
        place[last] = value


@pytest.mark.parametrize("text, named", [
    ("contacts = 5\n", "contacts must be a table"),
    ('guardrail = "nope"\n', "guardrail must be the vault's address"),
    ('[contacts]\ndave = "0x1234"\n', "contacts.dave must be an address"),
    ('[contacts]\n"evil\\n" = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"\n', "the contact name 'evil\\n'"),
    ('[[tokens]]\naddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"\nsymbol = "X"\ndecimals = "six"\n',
     "decimals must be a whole number from 0 to 36"),
    ('[[tokens]]\naddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"\nsymbol = "X"\ndecimals = 300\n',
     "decimals must be a whole number from 0 to 36"),
    ("chain_id = true\n", "chain_id must be the chain's id"),
    ('identity_registry = "0x12"\n', "identity_registry must be the ERC-8004 identity registry's address"),
    ('trusted_raters = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"\n', "trusted_raters must be a list of addresses"),
    ('trusted_raters = ["bob"]\n', "trusted_raters must be a list of addresses"),
    ("network = 5\n", "network must be"),
    ("gpu_layers = -2\n", "gpu_layers must be"),
    ('netwrok = "devnet"\n', "unknown setting 'netwrok'"),
    ("network = \n", "is not valid TOML"),
])
def test_a_bad_value_is_one_line_naming_the_key_and_the_fix(tmp_path, text, named):
    config_path(tmp_path).write_text(text)
    with pytest.raises(WalletError) as refused:
        load_config(tmp_path)
    message = str(refused.value)
    assert named in message and "\n" not in message
    assert "fix it" in message or "rename it" in message or "the settings are" in message


def test_bytes_that_are_not_utf8_are_one_line_naming_the_byte(tmp_path):
    config_path(tmp_path).write_bytes(b'network = "devnet"\n# \xff\xfe\n')
    with pytest.raises(WalletError, match=r"not UTF-8 text \(byte 0xff at offset 21\)"):
        load_config(tmp_path)


def test_an_empty_file_is_a_wallet_not_set_up(tmp_path):
    config_path(tmp_path).write_text("")
    assert load_config(tmp_path) == Config()


def test_a_change_that_fails_leaves_the_file_as_it_was(tmp_path):
    update_config(tmp_path, lambda c: c.with_new_contact("alice", ALICE))
    before = config_path(tmp_path).read_bytes()
    with pytest.raises(WalletError, match="already a contact"):
        update_config(tmp_path, lambda c: c.with_new_contact("alice", BOB))
    assert config_path(tmp_path).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_contact_names_are_matched_whole(tmp_path):
    for name in ("evil\n", "alice ", "Alice", "a" * 33, "-a", "1a"):
        with pytest.raises(WalletError, match="a contact name is"):
            Config().with_new_contact(name, ALICE)


def test_a_second_name_for_a_saved_address_is_refused():
    config = Config().with_new_contact("alice", ALICE)
    with pytest.raises(WalletError, match="is already the contact alice"):
        config.with_new_contact("alicia", ALICE.lower())


ADD_CONTACT = """
import sys
from pathlib import Path
from agentwallet.config import update_config
from agentwallet.units import parse_address
index = int(sys.argv[2])
update_config(Path(sys.argv[1]), lambda c: c.with_new_contact(f"friend{index}", parse_address(f"0x{index + 1:040x}")))
"""


def test_changes_from_many_processes_at_once_are_all_kept(tmp_path):
    update_config(tmp_path, lambda c: replace(c, guardrail=BOB))
    processes = [subprocess.Popen([sys.executable, "-c", ADD_CONTACT, str(tmp_path), str(i)]) for i in range(12)]
    assert [process.wait(120) for process in processes] == [0] * 12
    assert sorted(load_config(tmp_path).contacts) == sorted(f"friend{i}" for i in range(12))
    assert load_config(tmp_path).guardrail == BOB


def test_a_rater_trusted_twice_counts_once(tmp_path):
    config_path(tmp_path).write_text(f'trusted_raters = ["{ALICE}", "{ALICE.lower()}", "{BOB}"]\n')
    assert load_config(tmp_path).trusted_raters == (ALICE, BOB)


def test_a_name_one_letter_from_a_contact_or_inside_one_looks_like_it():
    from agentwallet.config import lookalike_names

    contacts = ("alice", "bob", "carol", "ann")  # "cab" is two letters from "bob", and in none
    assert lookalike_names("aalice", contacts) == ["alice"]
    assert lookalike_names("Alice", contacts) == ["alice"]
    assert lookalike_names("bobby", contacts) == ["bob"]
    assert lookalike_names("anne", contacts) == ["ann"]
    assert lookalike_names("carl", contacts) == ["carol"] and lookalike_names("cab", contacts) == []
    assert lookalike_names("dave", contacts) == [] and lookalike_names("alice", contacts) == []
