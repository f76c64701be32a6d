"""Every command of docs/cli.md (but ask/model), happy path and bad input, on a real devnet."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from agentwallet.cli import main
from agentwallet.config import load_config
from tests.conftest import ALICE, BOB, DAVE

ETH = 10**18


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_status_json_has_the_documented_fields(home, capsys):
    status = run_json(capsys, "status")
    assert {"network", "guardrail", "owner", "agent", "balances", "limits", "paused", "model"} <= set(status)
    assert status["network"]["name"] == "devnet" and status["network"]["chain_id"] == 31337
    assert status["network"]["rpc_url"].startswith("http://127.0.0.1:")
    balances = {b["symbol"]: int(b["amount"]) for b in status["balances"]}
    assert balances == {"ETH": 10 * ETH, "USDC": 1000 * 10**6}
    assert status["paused"] is False


def test_status_text_names_the_network_and_vault(home, capsys):
    code, out, _ = run(capsys, "status")
    assert code == 0 and "devnet" in out and "10 ETH" in out and "1000 USDC" in out


def test_limits_show_reports_the_default_policy(home, capsys):
    limits = run_json(capsys, "limits", "show")
    assert limits["native"]["daily_wei"] == str(ETH // 2)
    assert limits["native"]["per_tx_wei"] == str(ETH // 10)
    assert limits["native"]["period_s"] == 86_400
    assert limits["tokens"][0]["daily"] == str(100 * 10**6)


def test_limits_set_changes_the_policy_on_chain(home, capsys):
    code, out, err = run(capsys, "limits", "set", "--daily", "2", "--per-tx", "0.25", "--period", "3600")
    assert code == 0, err
    assert "!!" not in out  # the owner's own command says what it sets: no mismatch to flag
    native = run_json(capsys, "limits", "show")["native"]
    assert (native["daily_wei"], native["per_tx_wei"], native["period_s"]) == (str(2 * ETH), str(ETH // 4), 3600)


def test_token_limits_are_set_in_the_tokens_own_units(home, capsys):
    code, _, err = run(capsys, "limits", "set", "--token", "USDC", "--daily", "12.5", "--per-tx", "2")
    assert code == 0, err
    token = run_json(capsys, "limits", "show")["tokens"][0]
    assert (token["daily"], token["per_tx"]) == (str(12_500_000), str(2_000_000))


@pytest.mark.parametrize("argv, message", [
    (["--daily", "0.1234567890123456789"], "more than the 18 decimals"),
    (["--daily", "-1"], "negative"),
    (["--daily", "1" * 40], "too large"),
    (["--token", "USDC", "--daily", "0.0000001"], "more than the 6 decimals"),
    (["--token", "DAI", "--daily", "1"], "unknown token"),
    (["--period", "0"], "period"),
    (["--expires", "yesterday"], "ISO 8601"),
    ([], "nothing to set"),
])
def test_bad_limits_are_refused_and_change_nothing(home, capsys, argv, message):
    before = run_json(capsys, "limits", "show")
    code, out, err = run(capsys, "limits", "set", *argv)
    assert code != 0 and message in err and err.count("\n") == 1
    assert run_json(capsys, "limits", "show") == before


def test_pause_and_resume_switch_the_guardrail(home, capsys):
    assert run(capsys, "pause")[0] == 0
    assert run_json(capsys, "status")["paused"] is True
    assert run(capsys, "resume")[0] == 0
    assert run_json(capsys, "status")["paused"] is False


def test_contacts_add_list_remove(home, capsys):
    assert [c["name"] for c in run_json(capsys, "contacts", "list")] == ["alice", "bob", "carol"]  # devnet's
    assert run(capsys, "contacts", "add", "dave", DAVE.lower())[0] == 0
    assert {"name": "dave", "address": DAVE} in run_json(capsys, "contacts", "list")
    code, _, err = run(capsys, "contacts", "add", "alice", DAVE)
    assert code != 0 and "already a contact" in err
    for name in ("alice", "bob", "carol", "dave"):
        assert run(capsys, "contacts", "remove", name)[0] == 0
    assert run_json(capsys, "contacts", "list") == []


@pytest.mark.parametrize("name, address, message", [
    ("dave", "0x15d34aAf54267DB7D7c367839AAf71A00a2C6A65", "checksum"),
    ("dave", "0x1234", "not an address"),
    ("Dave Smith", DAVE, "a contact name is"),
])
def test_bad_contacts_are_refused(home, capsys, name, address, message):
    code, _, err = run(capsys, "contacts", "add", name, address)
    assert code != 0 and message in err
    assert sorted(load_config(home).contacts) == ["alice", "bob", "carol"]


def test_removing_an_unknown_contact_is_an_error(home, capsys):
    code, _, err = run(capsys, "contacts", "remove", "mallory")
    assert code != 0 and "no contact named 'mallory'" in err


def test_tokens_list_shows_the_demo_usdc(home, capsys):
    [token] = run_json(capsys, "tokens", "list")
    assert token["symbol"] == "USDC" and token["decimals"] == 6


def test_tokens_add_refuses_an_address_without_a_token(home, capsys):
    code, _, err = run(capsys, "tokens", "add", BOB)
    assert code != 0 and "no contract" in err


def test_propose_yes_executes_and_history_shows_it(home, capsys):
    code, out, err = run(capsys, "propose", "send_native", "to=alice", f"amount_wei={ETH // 100}", "--yes")
    assert code == 0, err
    assert "Send 0.01 ETH to alice" in out and "executed" in out
    [entry] = run_json(capsys, "history")
    assert entry["status"] == "executed" and entry["to"] == ALICE and entry["amount"] == str(ETH // 100)
    assert entry["verified"] is True
    assert {"action_id", "block", "timestamp", "tx_hash", "kind", "token", "intent_hash"} <= set(entry)


def test_the_review_and_limits_show_use_the_same_words_for_the_allowance(home, capsys):
    code, out, err = run(capsys, "propose", "send_token", "token=USDC", f"to={BOB}", "amount=3000000", "--yes")
    assert code == 0, err
    assert "left in this window: 100 → 97 USDC" in out and "per-action cap:      50 USDC" in out
    code, out, _ = run(capsys, "limits", "show")
    assert "USDC left in this window:" in out and "97 USDC" in out and "USDC per-action cap:" in out


def test_a_limits_change_shows_before_and_after_and_that_the_window_restarts(home, capsys):
    code, out, err = run(capsys, "limits", "set", "--per-tx", "0.2")
    assert code == 0, err
    assert "per-action cap:" in out and "0.1 ETH → 0.2 ETH" in out
    assert "restarts the spending window now" in out


def test_propose_yes_never_signs_with_the_owner_key_beyond_the_agents_limits(home, wallet, capsys):
    """--yes acts only within the guardrail's limits: 3 ETH with a 0.1 ETH cap needs the person."""
    before = wallet.w3.eth.get_balance(ALICE)
    code, out, _ = run(capsys, "propose", "send_native", "to=alice", f"amount_wei={3 * ETH}", "--yes")
    assert code == 0 and "!! owner_execution" in out and "--yes does not approve" in out
    assert wallet.w3.eth.get_balance(ALICE) == before
    [entry] = run_json(capsys, "history")
    assert entry["status"] == "denied"


def test_propose_no_denies_and_logs_the_denial(home, capsys):
    code, out, _ = run(capsys, "propose", "send_token", "token=USDC", f"to={BOB}", "amount=5000000", "--no")
    assert code == 0 and "denied" in out
    [entry] = run_json(capsys, "history")
    assert entry["status"] == "denied"


def test_propose_json_prints_the_json_alone_on_stdout_and_the_review_on_stderr(home, capsys):
    code, out, err = run(capsys, "propose", "send_native", "to=alice", "amount_wei=1000", "--no", "--json")
    assert code == 0
    assert json.loads(out)["status"] == "denied"
    assert "Send 0.000000000000001 ETH to alice" in err and "denied (--no)" in err


def test_propose_token_send_moves_exact_base_units(home, capsys):
    code, _, err = run(capsys, "propose", "send_token", "token=USDC", f"to={BOB}", "amount=3500000", "--yes")
    assert code == 0, err
    balances = {b["symbol"]: int(b["amount"]) for b in run_json(capsys, "status")["balances"]}
    assert balances["USDC"] == 1000 * 10**6 - 3_500_000


@pytest.mark.parametrize("args, message", [
    (["send_native", "to=mallory", "amount_wei=1"], "unknown contact"),
    (["send_native", f"to={ALICE}", "amount_wei=-5"], "negative"),
    (["send_native", f"to={ALICE}", "amount_wei=1.5"], "whole number"),
    (["send_native", f"to={ALICE}", f"amount_wei={2**256}"], "too large"),
    (["send_native", "to=0x70997970c51812dc3A010C7d01b50e0d17dc79C8", "amount_wei=1"], "checksum"),
    (["send_token", "token=DAI", f"to={ALICE}", "amount=1"], "unknown token"),
    (["send_native", f"to={ALICE}"], "needs amount_wei"),
    (["launch_rockets"], "unknown action"),
    (["send_native", "oops"], "KEY=VALUE"),
])
def test_propose_refuses_bad_input_and_changes_nothing(home, capsys, args, message):
    code, _, err = run(capsys, "propose", *args, "--yes")
    assert code != 0 and message in err
    assert run_json(capsys, "history") == []


def test_propose_without_a_terminal_or_flag_refuses(home, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, _, err = run(capsys, "propose", "pause")
    assert code != 0 and "--yes or --no" in err


def test_verify_passes_on_an_honest_journal(home, capsys):
    run(capsys, "propose", "send_native", f"to={ALICE}", "amount_wei=1000", "--yes")
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "1 actions checked, 0 mismatches" in out


def test_history_limit_and_bad_limit(home, capsys):
    for amount in (1, 2, 3):
        run(capsys, "propose", "send_native", f"to={ALICE}", f"amount_wei={amount}", "--yes")
    entries = run_json(capsys, "history", "--limit", "2")
    assert [e["amount"] for e in entries] == ["3", "2"]
    code, _, err = run(capsys, "history", "--limit", "0")
    assert code != 0 and "at least 1" in err


def test_a_dead_rpc_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path))
    code, _, err = run(capsys, "init", "--network", "http://127.0.0.1:9")
    assert code != 0 and "cannot reach the node" in err and "Traceback" not in err


def test_a_wrong_chain_id_is_refused(home, capsys):
    text = (home / "config.toml").read_text().replace("chain_id = 31337", "chain_id = 1")
    (home / "config.toml").write_text(text)
    code, _, err = run(capsys, "status")
    assert code != 0 and "wrong chain" in err


def test_commands_before_init_say_how_to_start(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path))
    code, _, err = run(capsys, "status")
    assert code != 0 and "agentwallet init" in err


def test_errors_from_the_real_executable_are_one_line_without_traceback(home):
    env = {**os.environ, "AGENTWALLET_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "agentwallet", "contacts", "remove", "nobody"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr == "agentwallet: no contact named 'nobody'\n"


def test_keys_export_writes_a_keystore_that_decrypts_to_the_owner(home, capsys, tmp_path):
    from eth_account import Account

    from tests.conftest import PASSPHRASE

    dest = tmp_path / "owner-backup.json"
    code, out, err = run(capsys, "keys", "export", "owner", str(dest))
    assert code == 0, err
    owner = run_json(capsys, "status")["owner"]
    key = Account.decrypt(json.loads(dest.read_text()), PASSPHRASE)
    assert Account.from_key(key).address == owner
    assert oct(dest.stat().st_mode & 0o777) == "0o600"
    code, _, err = run(capsys, "keys", "export", "owner", str(dest))
    assert code != 0  # never overwrites


def test_tokens_add_reads_symbol_and_decimals_from_the_chain(wallet, home, capsys):
    from agentwallet.chain.tokens import deploy_demo_token

    address = deploy_demo_token(wallet.w3, wallet.account("owner"), "WETH", 18)
    code, out, err = run(capsys, "tokens", "add", address.lower())
    assert code == 0, err
    assert {"symbol": "WETH", "address": address, "decimals": 18} in run_json(capsys, "tokens", "list")


def test_doctor_reports_a_healthy_devnet_wallet(home, capsys):
    code, out, _ = run(capsys, "doctor")
    assert "PROBLEM" not in out and code == 0
    assert "guardrail" in out and "model" in out


def test_devnet_status_reports_the_running_node(home, capsys):
    code, out, _ = run(capsys, "devnet", "status")
    assert code == 0 and "devnet running at http://127.0.0.1:" in out
