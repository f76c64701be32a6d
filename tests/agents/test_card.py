"""A card is the ERC-8004 registration file: this wallet's is built and stored as a data: URI,
another agent's is read as untrusted data, and one of the wrong shape says what is wrong."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentwallet.agents.card import (
    DATA_URI_PREFIX,
    MAX_CARD_URI,
    REGISTRATION_TYPE,
    CardError,
    data_uri,
    decode_data_uri,
    parse_card,
    registration_file,
)
from agentwallet.agents.sources import card_content
from agentwallet.errors import WalletError

VAULT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
REGISTRY = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707"


def card_of(uri: str):
    return parse_card(card_content(uri, fetch=False))


def test_this_wallets_card_names_the_vault_as_its_agent_wallet_and_reads_back():
    uri = data_uri(registration_file("translator", "turns French into English", VAULT, 31337, ("translate",),
                                     "http://127.0.0.1:9/translate", (3, REGISTRY)))
    assert uri.startswith(DATA_URI_PREFIX)
    card = card_of(uri)
    assert (card.name, card.description, card.skills, card.paid_to()) == (
        "translator", "turns French into English", ("translate",), VAULT)
    assert [(s.name, s.endpoint) for s in card.endpoints] == [("web", "http://127.0.0.1:9/translate")]
    assert card.registrations == ((3, f"eip155:31337:{REGISTRY}"),) and card.type_ok and card.active


@given(name=st.text(max_size=40), description=st.text(max_size=200),
       skills=st.lists(st.text(min_size=1, max_size=12), max_size=3, unique=True))
def test_any_text_survives_the_round_trip_as_it_was(name, description, skills):
    card = card_of(data_uri(registration_file(name, description, VAULT, 1, tuple(skills))))
    assert (card.name, card.description, card.skills) == (name, description, tuple(skills))


def test_a_card_too_long_for_the_registry_is_refused_before_anything_is_signed():
    with pytest.raises(WalletError, match=f"the registry stores at most {MAX_CARD_URI}: shorten the description"):
        data_uri(registration_file("big", "x" * MAX_CARD_URI, VAULT, 1))


def test_endpoints_are_read_where_earlier_drafts_put_them():
    content = json.dumps({"type": REGISTRATION_TYPE, "name": "old",
                          "endpoints": [{"name": "A2A", "endpoint": "https://a.example/card.json"}]})
    assert [s.name for s in parse_card(content.encode()).endpoints] == ["A2A"]


def test_a_percent_encoded_data_uri_is_read_too():
    assert card_of('data:application/json,{"name":"plain%20one"}').name == "plain one"


@pytest.mark.parametrize("uri, problem", [
    ("data:application/json;base64,not base64!", "the data: URI's base64 does not decode"),
    ("data:text/html,<b>hi</b>", "holds 'text/html', not JSON"),
    ("data:application/json,[1,2]", "the card is not a JSON object"),
    ("data:application/json,{\"name\": 5}", "its name is not text"),
    ("data:application/json,{\"description\": \"no name\"}", "its name is missing"),
    ('data:application/json,{"name":"x","services":[{"name":"web"}]}', "its services[0].endpoint is missing"),
    ('data:application/json,{"name":"x","services":{"a":1}}', "its services are not a list"),
    ('data:application/json,{"name":"x","x402Support":"yes"}', "its x402Support is not true or false"),
    ('data:application/json,{"name":"x","registrations":[{"agentId":-1}]}', "agentId is not an agent id"),
    ("data:application/json,\xff", "the card is not JSON"),
    ("", "it has no card (its agent URI is empty)"),
    ("ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "'ipfs' URI, which is shown, not fetched"),
    ("file:///etc/passwd", "'file' URI, which is shown, not fetched"),
    ("https://agent.example/card.json", "`agentwallet agents show ID` fetches it"),
])
def test_a_card_of_the_wrong_shape_says_what_is_wrong(uri, problem):
    with pytest.raises(CardError, match=problem.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]").replace(".", r"\.")):
        card_of(uri)


def test_a_card_bigger_than_the_cap_is_not_read():
    huge = base64.b64encode(json.dumps({"name": "x" * 70_000}).encode()).decode()
    with pytest.raises(CardError, match="more than the 65536 read"):
        decode_data_uri(DATA_URI_PREFIX + huge)
