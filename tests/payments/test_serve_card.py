"""The card advertises the skill `serve` sells: wallet A publishes it (`agents publish`) once
its config has a [serve] table; wallet B finds it with `agents list` and pays it, the payee
named from A's card."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from agentwallet.agents.card import CardError, parse_card
from agentwallet.cli import main
from agentwallet.config import update_config
from agentwallet.payments.pay import pay
from tests.payments.seller import PRICE, serving


def publish_as(home, monkeypatch, capsys) -> None:
    with monkeypatch.context() as inside:
        inside.setenv("AGENTWALLET_HOME", str(home))
        code = main(["agents", "publish", "--name", "oracle", "--yes"])
        said = capsys.readouterr()
        assert code == 0, said.err + said.out


def test_the_card_lists_the_served_skill_with_its_price_and_x402(seller, seller_home, wallet, monkeypatch, capsys):
    publish_as(seller_home, monkeypatch, capsys)
    assert main(["agents", "list", "--json"]) == 0
    (card,) = [entry for entry in json.loads(capsys.readouterr().out) if entry["name"] == "oracle"]
    assert card["x402"] is True and card["agent_wallet"] == seller.guardrail.address
    assert {"name": "x402", "endpoint": seller.config.serve.url, "version": "2", "price": {
        "amount": str(PRICE), "asset": seller.config.tokens[0].address, "network": "eip155:31337"}} in card["endpoints"]
    assert main(["agents", "list"]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if " oracle " in line]
    assert f"  sells {seller.config.serve.url} at 0.01 USDC  paid to {seller.guardrail.address}" in line


def test_b_pays_the_skill_it_found_its_payee_named_from_the_card(seller, seller_home, wallet, answerer, monkeypatch,
                                                                  capsys):
    reviews = []
    with serving(seller, answerer.answer) as (url, _, _):
        port = int(url.split(":")[2].split("/")[0])  # the card advertises where it listens
        update_config(seller_home, lambda config: replace(config, serve=replace(config.serve, port=port)))
        publish_as(seller_home, monkeypatch, capsys)
        payment = pay(wallet, url + "?q=hello", "0.01", lambda review: reviews.append(review) or True)
    assert payment.status == "paid", payment.reason
    (review,) = reviews
    assert re.search(r"\(the resource of agent #\d+ 'oracle'\)$", review.summary) and not review.critical_flags


def test_a_card_whose_price_is_not_one_is_a_card_error():
    card = {"name": "x", "services": [{"name": "x402", "endpoint": "http://127.0.0.1:1/ask", "price": "cheap"}]}
    with pytest.raises(CardError, match=r"its services\[0\]\.price is not an object of amount, asset and network"):
        parse_card(json.dumps(card).encode())
