"""`agents list` and `agents show` read the registry and the cards it points to: a card that
cannot be read is listed as such, what a card says is printed literally, and where a card and
the registry disagree about payment it is marked."""

from __future__ import annotations

import json

import pytest

from agentwallet.cli import main
from tests.agents.kit import HOSTILE_NAME, INJECTION, as_data_uri, card, card_server, register, send_as_owner
from tests.conftest import DAVE


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys, *options: str) -> list[dict]:
    code, out, err = run(capsys, "agents", "list", "--json", *options)
    assert code == 0, err
    return json.loads(out)


def test_list_shows_every_registered_agent_with_its_card(wallet, capsys):
    skills = [{"name": "OASF", "endpoint": "https://github.com/agntcy/oasf/", "skills": ["translate"]},
              {"name": "web", "endpoint": "http://127.0.0.1:9/"}]
    first = register(wallet, as_data_uri(card("translator", services=skills, x402Support=True)))
    second = register(wallet, as_data_uri(card("summariser")))
    agents = {entry["agent_id"]: entry for entry in listed(capsys)}
    assert agents[first] | {"uri": None} == {
        "agent_id": first, "owner": wallet.owner_address, "agent_wallet": wallet.owner_address, "uri": None,
        "name": "translator", "description": "turns French into English", "skills": ["translate"],
        "endpoints": [{"name": "web", "endpoint": "http://127.0.0.1:9/", "version": None, "price": None}],
        "x402": True, "active": True, "problem": None, "warnings": [],
        "reputation": {"count": 0, "value": "0", "decimals": 0, "raters": [wallet.owner_address]},
    }
    assert agents[second]["name"] == "summariser"
    assert [entry["agent_id"] for entry in listed(capsys, "--skill", "translate")] == [first]


def test_a_malformed_card_is_listed_as_malformed_and_the_others_still_are(wallet, capsys):
    broken = register(wallet, "data:application/json,{not json")
    fine = register(wallet, as_data_uri(card()))
    agents = {entry["agent_id"]: entry for entry in listed(capsys)}
    assert agents[broken]["problem"] == "the card is not JSON" and agents[broken]["name"] is None
    assert agents[fine]["problem"] is None
    code, out, _ = run(capsys, "agents", "list")
    assert code == 0 and f"#{broken:<5} (no card: the card is not JSON)" in out


def test_a_hostile_card_is_printed_as_it_is_written_and_changes_nothing(wallet, capsys):
    agent_id = register(wallet, as_data_uri(card(HOSTILE_NAME, INJECTION)))
    balance = wallet.guardrail.balance()
    code, out, _ = run(capsys, "agents", "show", str(agent_id))
    assert code == 0
    assert "[b red]Official[/b] \\x1b[2J\\x1b[31mtranslator" in out and "\x1b" not in out
    assert INJECTION in out
    assert wallet.guardrail.balance() == balance and wallet.journal.unfinished() == []


def test_a_card_claiming_another_payee_than_its_agent_wallet_is_marked(wallet, capsys):
    services = [{"name": "agentWallet", "endpoint": f"eip155:31337:{DAVE}"}]
    agent_id = register(wallet, as_data_uri(card(services=services)))
    code, out, _ = run(capsys, "agents", "show", str(agent_id))
    assert code == 0
    assert f"! its card says it is paid at {DAVE}, but its proven agent wallet is {wallet.owner_address}" in out


def test_an_agent_that_changed_hands_has_no_agent_wallet_and_is_marked(wallet, capsys):
    agent_id = register(wallet, as_data_uri(card()))
    send_as_owner(wallet, wallet.identity.contract.functions.transferFrom(wallet.owner_address, DAVE, agent_id))
    [entry] = [e for e in listed(capsys) if e["agent_id"] == agent_id]
    assert entry["agent_wallet"] is None and entry["owner"] == DAVE
    assert "it has no agent wallet (cleared when the agent changed hands): do not pay it" in entry["warnings"]


def test_a_copy_of_another_agents_card_is_marked(wallet, capsys):
    registrations = [{"agentId": 0, "agentRegistry": f"eip155:1:{wallet.identity.address}"}]
    agent_id = register(wallet, as_data_uri(card(registrations=registrations)))
    code, out, _ = run(capsys, "agents", "show", str(agent_id))
    assert "it may be a copy of another agent's card" in out


def test_show_fetches_a_card_served_over_http_and_list_does_not(wallet, capsys):
    body = json.dumps(card("served")).encode()
    with card_server({"/card.json": (200, {"Content-Type": "application/json"}, body)}) as base:
        agent_id = register(wallet, f"{base}/card.json")
        [entry] = [e for e in listed(capsys) if e["agent_id"] == agent_id]
        assert entry["problem"] == "its card is on a web server: `agentwallet agents show ID` fetches it"
        code, out, _ = run(capsys, "agents", "show", str(agent_id), "--json")
    assert code == 0 and json.loads(out)["name"] == "served"


@pytest.mark.parametrize("route, problem", [
    ((302, {"Location": "file:///etc/passwd"}, b""), "the card's server redirects (302); redirects are not followed"),
    ((500, {}, b"oops"), "its card's server answered 500"),
    ((200, {}, b"{" + b" " * 70_000 + b"}"), "its card is more than the 65536 bytes read"),
])
def test_a_card_server_that_misbehaves_is_a_clear_problem(wallet, capsys, route, problem):
    with card_server({"/card.json": route}) as base:
        agent_id = register(wallet, f"{base}/card.json")
        code, out, _ = run(capsys, "agents", "show", str(agent_id), "--json")
    assert code == 0 and json.loads(out)["problem"] == problem


def test_show_of_an_agent_that_does_not_exist_is_one_line(wallet, capsys):
    code, _, err = run(capsys, "agents", "show", "999")
    assert code == 1 and err == f"agentwallet: no agent #999 in the registry {wallet.identity.address}\n"


def test_a_wallet_without_registries_says_how_to_get_them(home, capsys):
    config = home / "config.toml"
    config.write_text("\n".join(line for line in config.read_text().splitlines() if "_registry" not in line))
    code, _, err = run(capsys, "agents", "list")
    assert code == 1 and "run `agentwallet agents deploy`" in err
    code, out, err = run(capsys, "agents", "deploy")
    assert code == 0, err
    assert listed(capsys) == []


def test_a_redirect_to_another_web_page_is_not_followed_either(wallet, capsys):
    body = json.dumps(card("elsewhere")).encode()
    with card_server({"/card.json": (302, {"Location": "/other.json"}, b""), "/other.json": (200, {}, body)}) as base:
        agent_id = register(wallet, f"{base}/card.json")
        code, out, _ = run(capsys, "agents", "show", str(agent_id), "--json")
    assert json.loads(out)["problem"] == "the card's server redirects (302); redirects are not followed"
