"""Bad input and odd states never break the wallet or mislead its owner (issue 15).

Each test reproduces one hole an attack on the command line found, through `agentwallet.cli.main`
or the real executable, on the real devnet: every command either works or prints one line and
exits non-zero, and the config always reads afterwards.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import subprocess
import sys
import tempfile
import termios
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agentwallet.actions.journal import Journal
from agentwallet.chain.tokens import deploy_demo_token
from agentwallet.cli import main
from agentwallet.config import config_path, load_config
from tests.conftest import ALICE, DAVE, interruptible
from tests.http_kit import local_server

ETH = 10**18
GGUF = b"GGUF" + bytes(60)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str) -> bool:
    """A non-zero exit with one line that says what is wrong (after any `… ` progress lines)."""
    said = "".join(line for line in err.splitlines(keepends=True) if not line.startswith("… "))
    return code != 0 and said.count("\n") == 1 and said.startswith("agentwallet: ") and "internal error" not in said


def journaled(home: Path) -> int:
    journal = Journal(home / "journal.sqlite3")
    try:
        return journal.db.execute("SELECT COUNT(*) FROM actions").fetchone()[0]
    finally:
        journal.close()


# the config stays TOML whatever the chain or the user gives it

def test_a_token_whose_symbol_is_an_emoji_is_added_and_every_command_still_works(wallet, home, capsys):
    address = deploy_demo_token(wallet.w3, wallet.account("owner"), "💰", 6)
    code, out, err = run(capsys, "tokens", "add", address)
    assert code == 0, err
    code, out, err = run(capsys, "tokens", "list", "--json")
    assert code == 0 and {"symbol": "💰", "address": address, "decimals": 6} in json.loads(out)
    assert run(capsys, "doctor")[0] == 0
    assert run(capsys, "status")[0] == 0


def test_model_use_of_a_file_named_with_an_emoji_keeps_the_config_readable(home, tmp_path, capsys):
    model = tmp_path / "💰.gguf"
    model.write_bytes(GGUF)
    code, _, err = run(capsys, "model", "use", str(model))
    assert code == 0, err
    assert load_config(home).model == str(model)
    assert run(capsys, "contacts", "list")[0] == 0


def test_model_use_of_a_file_name_in_another_encoding_is_one_line_and_changes_nothing(home, tmp_path, capsys):
    model = tmp_path / os.fsdecode(b"caf\xe9.gguf")  # Latin-1 bytes: not UTF-8, so a lone surrogate in Python
    model.write_bytes(GGUF)
    before = config_path(home).read_bytes()
    code, _, err = run(capsys, "model", "use", str(model))
    assert one_line_error(code, err) and "not valid Unicode text" in err
    assert config_path(home).read_bytes() == before


SYMBOLS = st.text(st.characters(codec="utf-8"), max_size=32).filter(lambda s: len(s.encode()) <= 32)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(symbol=SYMBOLS)
def test_any_token_symbol_is_added_and_listed_and_the_config_still_reads(wallet, home, capsys, symbol):
    before = config_path(home).read_bytes()
    address = deploy_demo_token(wallet.w3, wallet.account("owner"), symbol, 6)
    try:
        code, _, err = run(capsys, "tokens", "add", address)
        assert code == 0 or one_line_error(code, err), err
        assert load_config(home).tokens  # reads
        code, out, err = run(capsys, "tokens", "list", "--json")
        assert code == 0, err
        if any(t["address"] == address for t in json.loads(out)):
            assert {"symbol": symbol, "address": address, "decimals": 6} in json.loads(out)
        for argv in (("status",), ("limits", "show"), ("contacts", "list")):
            code, _, err = run(capsys, *argv)
            assert code == 0, err
    finally:
        config_path(home).write_bytes(before)


# a broken config is one line naming the key, for every command, doctor included

CORRUPTIONS = {
    "bytes that are not UTF-8": (lambda text: text.encode() + b"# \xff\n", "not UTF-8 text"),
    "contacts = 5": (lambda text: _with(text, contacts=5), "contacts must be a table"),
    "a bad decimals": (lambda text: _with(text, tokens=[{**_doc(text)["tokens"][0], "decimals": "six"}]),
                       "decimals must be a whole number"),
    'guardrail = "nope"': (lambda text: _with(text, guardrail="nope"), "guardrail must be the vault's address"),
    "a bad contact address": (lambda text: _with(text, contacts={"alice": "0x7099797OC51812dc3A010C7d01b50e0d17dc79"}),
                              "contacts.alice must be an address"),
}


def _doc(text: str) -> dict:
    return tomllib.loads(text)


def _with(text: str, **values: object) -> bytes:
    return tomli_w.dumps({**_doc(text), **values}).encode()


@pytest.fixture(params=list(CORRUPTIONS))
def corrupt_home(request, home) -> tuple[Path, str]:
    corrupt, named = CORRUPTIONS[request.param]
    config_path(home).write_bytes(corrupt(config_path(home).read_text()))
    return home, named


@pytest.mark.parametrize("argv", [
    ("status",), ("contacts", "list"), ("tokens", "list"), ("history",), ("limits", "show"),
    ("propose", "send_native", "to=alice", "amount_wei=1", "--yes"),
])
def test_a_corrupt_config_is_one_line_naming_the_key_and_the_fix(corrupt_home, capsys, argv):
    home, named = corrupt_home
    code, _, err = run(capsys, *argv)
    assert one_line_error(code, err) and named in err and str(config_path(home)) in err
    assert "fix it" in err


def test_doctor_reports_a_corrupt_config_instead_of_crashing(corrupt_home, capsys):
    _, named = corrupt_home
    code, out, err = run(capsys, "doctor")
    assert code == 1 and err == ""
    assert f"PROBLEM  config: {config_path(corrupt_home[0])}" in out and named in out
    assert "model" in out  # the rest is still checked


def test_nothing_is_journaled_on_a_corrupt_config(corrupt_home, capsys):
    home, _ = corrupt_home
    run(capsys, "propose", "send_native", "to=alice", "amount_wei=1", "--yes")
    assert journaled(home) == 0


TOML_VALUES = st.recursive(
    st.one_of(st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False),
              st.text(st.characters(codec="utf-8"), max_size=20), st.datetimes()),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=8), inner, max_size=3)),
    max_leaves=5,
)
CONFIG_KEYS = st.sampled_from(["network", "chain_id", "guardrail", "owner", "agent", "model", "gpu_layers",
                               "contacts", "tokens", "contacts.alice", "tokens.0.decimals", "tokens.0.symbol",
                               "tokens.0.address", "netwrok"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=CONFIG_KEYS, value=TOML_VALUES)
def test_any_config_value_leaves_every_command_working_or_one_line(home, capsys, key, value):
    before = config_path(home).read_bytes()
    document = tomllib.loads(before.decode())
    *path, last = key.split(".")
    place = document
    for part in path:
        place = place[int(part)] if isinstance(place, list) else place[part]
    if isinstance(place, list):
        place[int(last)] = value
    else:
        place[last] = value
    config_path(home).write_text(tomli_w.dumps(document), encoding="utf-8")
    try:
        for argv in (("contacts", "list"), ("tokens", "list", "--json"), ("status", "--json"), ("limits", "show"),
                     ("history",), ("contacts", "add", "zed", DAVE),
                     ("propose", "send_native", "to=alice", "amount_wei=1", "--no")):
            code, _, err = run(capsys, *argv)
            assert code == 0 or one_line_error(code, err), err
            tomllib.loads(config_path(home).read_text())  # still TOML afterwards
        code, out, err = run(capsys, "doctor")
        assert err == "" and "internal error" not in out and (code == 0 or "PROBLEM" in out)
    finally:
        config_path(home).write_bytes(before)


# Typed text from all of Unicode; what is not UTF-8 in a Linux argv arrives as a lone surrogate
# from U+DC80-U+DCFF (os.fsdecode), so those are drawn too.
TYPED = st.text(st.characters(codec="utf-8") | st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),
                max_size=24)


def _model_file(directory: Path, text: str) -> Path:
    """A GGUF file whose name is `text`, as far as a file name can be (no / or NUL, 255 bytes)."""
    name = (text.replace("/", "_").replace("\0", "_").strip(".") or "_")[:60] + ".gguf"
    path = Path(tempfile.mkdtemp(dir=directory)) / name
    path.write_bytes(GGUF)
    return path


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TYPED)
@example(text="\x1b]52;c;aGk=\x07\x0c")  # a terminal escape (OSC 52: set the clipboard) and a form feed
def test_any_text_typed_to_a_command_is_done_or_one_line_and_the_config_still_reads(home, tmp_path, capsys, text):
    before = config_path(home).read_bytes()
    try:
        for argv in (("contacts", "add", "--", text, DAVE), ("contacts", "remove", "--", text),
                     ("tokens", "add", "--", text), ("model", "use", str(_model_file(tmp_path, text))),
                     ("limits", "set", f"--period={text}"), ("limits", "set", "--token=USDC", f"--daily={text}"),
                     ("propose", "send_native", f"to={text}", "amount_wei=1", "--no"),
                     ("propose", "send_native", "to=alice", f"amount_wei={text}", "--no"),
                     ("pay", "--no", "--", text), ("pay", f"--max={text}", "--no", "http://127.0.0.1:9/")):
            code, _, err = run(capsys, *argv)
            assert code == 0 or one_line_error(code, err), (argv, err)
            load_config(home)  # still TOML, and a config the wallet reads
        code, out, err = run(capsys, "doctor")
        assert err == "" and "internal error" not in out, out
        assert run(capsys, "contacts", "list")[0] == 0
    finally:
        config_path(home).write_bytes(before)


# contacts

def test_a_contact_name_with_a_newline_is_refused(home, capsys):
    code, _, err = run(capsys, "contacts", "add", "evil\n", DAVE)
    assert one_line_error(code, err) and "a contact name is" in err and "'evil\\n'" in err
    assert sorted(load_config(home).contacts) == ["alice", "bob", "carol"]


def test_a_second_name_for_a_saved_address_is_refused(home, capsys):
    code, _, err = run(capsys, "contacts", "add", "alicia", ALICE.lower())
    assert one_line_error(code, err) and "is already the contact alice" in err
    assert sorted(load_config(home).contacts) == ["alice", "bob", "carol"]


def test_twelve_contacts_added_at_once_are_all_kept(home):
    friends = {f"friend{i}": f"0x{i + 1:040x}" for i in range(12)}
    processes = [subprocess.Popen([sys.executable, "-m", "agentwallet", "contacts", "add", name, address],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for name, address in friends.items()]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0] * 12, outputs
    assert set(friends) | {"alice", "bob", "carol"} == set(load_config(home).contacts)


# amounts and names the wallet cannot read are refused with a reason and a way out

def test_an_amount_in_scientific_notation_is_refused_not_read_as_its_digits(home, capsys):
    code, out, err = run(capsys, "ask", "send 1e18 wei to bob", "--dry-run", "--json")
    assert one_line_error(code, err) and out == ""
    assert "1e18 is written in scientific notation" in err


def test_the_hint_for_an_ens_name_suggests_a_name_the_rule_accepts(home, capsys):
    code, _, err = run(capsys, "propose", "send_native", "to=vitalik.eth", "amount_wei=1", "--yes")
    assert one_line_error(code, err) and "ENS names are not supported" in err
    assert "contacts add vitalik.eth" not in err and "contacts add NAME 0x…" in err


# init finds what it already made: a lost config's vault, a set-up a kill interrupted

@pytest.mark.parametrize("lost", ["deleted", "emptied"])
def test_init_with_a_lost_config_takes_the_vault_back_rather_than_deploying_another(home, capsys, lost):
    assert run(capsys, "propose", "send_native", "to=alice", f"amount_wei={ETH // 100}", "--yes")[0] == 0
    before = load_config(home)
    config_path(home).unlink() if lost == "deleted" else config_path(home).write_text("")
    code, _, err = run(capsys, "status")
    assert one_line_error(code, err) and "agentwallet init" in err
    code, out, err = run(capsys, "init")
    assert code == 0, err
    assert f"found the vault {before.guardrail} this owner key deployed (9.99 ETH in it)" in out
    after = load_config(home)
    assert (after.guardrail, after.owner, after.agent, after.tokens) == (
        before.guardrail, before.owner, before.agent, before.tokens)
    assert (after.identity_registry, after.reputation_registry) == (before.identity_registry,
                                                                    before.reputation_registry)
    assert sorted(after.contacts) == ["alice", "bob", "carol"]
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "1 actions checked, 0 mismatches" in out


def _init_killed_at(home: Path, step: str) -> str:
    """Run the real `agentwallet init` in `home` and kill -9 it as it starts `step`; its stderr."""
    process = subprocess.Popen([sys.executable, "-m", "agentwallet", "init"], stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "AGENTWALLET_HOME": str(home)})
    said = ""
    try:
        for line in process.stderr:
            said += line
            if step in line:
                process.kill()
                break
    finally:
        process.kill()
        process.wait(60)
    assert step in said, said
    return said


@pytest.mark.parametrize("step", ["deploying the guardrail", "funding the vault", "deploying the demo USDC token",
                                  "deploying the agent registries"])
def test_init_killed_at_any_step_is_finished_by_the_next_init(tmp_path, monkeypatch, capsys, step):
    from agentwallet.actions.wallet import Wallet
    from agentwallet.chain.devnet import Devnet
    from agentwallet.keys import KeyStore

    home = tmp_path / "wallet"
    monkeypatch.setenv("AGENTWALLET_HOME", str(home))
    keys = KeyStore(home, kdf_iterations=2**10)  # light scrypt for the test; init finds the keys made
    keys.create("owner"), keys.create("agent")
    try:
        _init_killed_at(home, step)
        if load_config(home).guardrail:  # killed after the vault was deployed: doctor must not say all is well
            code, out, _ = run(capsys, "doctor")
            assert code == 1 and "PROBLEM  the set-up was interrupted" in out
        code, out, err = run(capsys, "init")
        assert code == 0, err
        wallet = Wallet.open(home)
        try:
            owner_made = wallet.w3.eth.get_transaction_count(wallet.owner_address)
            assert [t.symbol for t in wallet.config.tokens] == ["USDC"]
            assert sorted(wallet.config.contacts) == ["alice", "bob", "carol"]
            assert [b.amount for b in wallet.balances()] == [10 * ETH, 1000 * 10**6]
            assert wallet.guardrail.policy(wallet.agent_address).allowance == ETH // 2
            assert wallet.guardrail.token_policy(wallet.agent_address, wallet.config.tokens[0].address).allowance
            assert wallet.reputation.identity_registry() == wallet.identity.address
        finally:
            wallet.close()
        assert owner_made <= 9  # one vault, one token, two registries: nothing deployed twice
        code, out, _ = run(capsys, "doctor")
        assert code == 0 and "PROBLEM" not in out
        assert not (home / "init.json").exists()
    finally:
        Devnet(home).stop()


# a proposal nobody can decide any more is denied and logged, never left `proposed`

def _take_the_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the child's own session's terminal: ctrl+c there is its SIGINT
    interruptible()


class Terminal:
    """The real `agentwallet` on a pseudo-terminal it controls, typed at as a person would."""

    def __init__(self, *argv: str):
        self.controller, terminal = pty.openpty()
        self.process = subprocess.Popen([sys.executable, "-m", "agentwallet", *argv], stdin=terminal,
                                        stdout=terminal, stderr=terminal, start_new_session=True,
                                        preexec_fn=_take_the_terminal, env=dict(os.environ), close_fds=True)
        os.close(terminal)
        self.seen = b""

    def read_until(self, text: bytes, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.seen:
            assert time.monotonic() < deadline, self.seen.decode(errors="replace")
            if select.select([self.controller], [], [], 0.5)[0]:
                try:
                    self.seen += os.read(self.controller, 4096)
                except OSError:  # the process closed the terminal
                    break
        assert text in self.seen, self.seen.decode(errors="replace")

    def type(self, keys: bytes) -> None:
        os.write(self.controller, keys)

    def close(self) -> int:
        self.process.kill()
        code = self.process.wait(60)
        os.close(self.controller)
        return code


def history(capsys) -> list[dict]:
    code, out, err = run(capsys, "history", "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("keys", [b"\x03", b"\x04"], ids=["ctrl+c", "ctrl+d"])
def test_leaving_the_approval_prompt_denies_the_proposal_and_logs_it_at_once(home, capsys, keys):
    terminal = Terminal("propose", "send_native", "to=alice", "amount_wei=1000")
    try:
        terminal.read_until(b"Approve? [y/N]")
        time.sleep(0.5)  # as a person would: the prompt is up, input() is waiting (not still being entered)
        terminal.type(keys)
        terminal.read_until(b"denied, logged in 0x")
        assert terminal.process.wait(60) == 0
    finally:
        terminal.close()
    [entry] = history(capsys)
    assert entry["status"] == "denied" and entry["verified"]
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "1 actions checked, 0 mismatches" in out


def test_a_proposal_left_by_a_killed_process_is_denied_and_logged_by_the_next_command(home, capsys):
    terminal = Terminal("propose", "send_native", "to=alice", "amount_wei=1000")
    try:
        terminal.read_until(b"Approve? [y/N]")
    finally:
        terminal.close()  # kill -9, while it asks
    code, _, err = run(capsys, "status")
    assert code == 0 and "recovered action 0x" in err and ": denied" in err
    [entry] = history(capsys)
    assert entry["status"] == "denied"
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "1 actions checked, 0 mismatches" in out


def test_a_proposal_whose_process_is_still_asking_is_left_to_it(home, capsys):
    terminal = Terminal("propose", "send_native", "to=alice", "amount_wei=1000")
    try:
        terminal.read_until(b"Approve? [y/N]")
        code, _, err = run(capsys, "status")  # another command meanwhile: it must not decide for the person
        assert code == 0 and "recovered" not in err
        terminal.type(b"y\n")
        terminal.read_until(b"executed in 0x")
        assert terminal.process.wait(60) == 0
    finally:
        terminal.close()
    assert [e["status"] for e in history(capsys)] == ["executed"]


# an approval is checked against the chain as it is when it is signed

def test_a_proposal_approved_after_others_used_up_the_allowance_is_not_signed(home, wallet, capsys):
    alice_before = wallet.w3.eth.get_balance(ALICE)
    terminal = Terminal("propose", "send_native", "to=alice", f"amount_wei={ETH // 10}")
    try:
        terminal.read_until(b"Approve? [y/N]")
        for _ in range(5):  # meanwhile, the whole 0.5 ETH of the window goes elsewhere
            assert run(capsys, "propose", "send_native", "to=bob", f"amount_wei={ETH // 10}", "--yes")[0] == 0
        terminal.type(b"y\n")
        terminal.read_until(b"failed, logged in 0x")
        assert b"the chain has changed and would refuse it (" in terminal.seen and b"over allowance" in terminal.seen
        assert terminal.process.wait(60) == 1
    finally:
        terminal.close()
    assert wallet.w3.eth.get_balance(ALICE) == alice_before
    [refused] = [e for e in wallet.journal.entries() if e.state == "failed"]
    assert refused.tx_hash is None and refused.raw_tx is None and refused.logged == 1  # never signed; logged


# a recipient where money is lost is a critical flag, and a limits change is no payment

@pytest.mark.parametrize("to, flag", [
    ("0x0000000000000000000000000000000000000000", "!! burn_address"),
    ("0x000000000000000000000000000000000000dEaD", "!! burn_address"),
    ("0x0000000000000000000000000000000000000001", "!! burn_address"),  # a precompile keeps what it is sent
    ("the vault", "!! vault_recipient"),
])
def test_paying_a_burn_address_or_the_vault_itself_is_a_critical_flag_that_yes_does_not_pass(wallet, capsys,
                                                                                              to, flag):
    to = wallet.guardrail.address if to == "the vault" else to
    assert run(capsys, "limits", "set", "--daily", "2")[0] == 0  # its record() event targets the zero address
    assert run(capsys, "history")[0] == 0
    vault_before = wallet.guardrail.balance()
    code, out, err = run(capsys, "propose", "send_native", f"to={to}", f"amount_wei={ETH}", "--yes")
    assert code == 0, err
    assert flag in out and "new_recipient:" in out  # the limits change paid nobody
    assert "denied: --yes does not approve a proposal with critical flags" in out
    assert wallet.guardrail.balance() == vault_before


def test_sending_a_token_to_its_own_contract_is_a_critical_flag(wallet, capsys):
    usdc = wallet.config.tokens[0].address
    code, out, _ = run(capsys, "propose", "send_token", "token=USDC", f"to={usdc}", "amount=1", "--yes")
    assert code == 0 and "!! token_contract_recipient" in out and "denied" in out


# amounts are ASCII digits; limits are checked in the units the person typed

@pytest.mark.parametrize("args", [
    ("propose", "send_native", "to=alice", "amount_wei=²", "--yes"),
    ("propose", "send_native", "to=alice", "amount_wei=١٠", "--yes"),  # Arabic-Indic 10
    ("propose", "send_native", "to=alice", "amount_wei=1e18", "--yes"),
    ("limits", "set", "--period", "²"),
    ("limits", "set", "--period", "١٠"),
    ("limits", "set", "--daily", "١"),
    ("limits", "set", "--token", "USDC", "--daily", "٣"),
])
def test_digits_other_than_ascii_are_one_line_refusals_that_change_nothing(home, capsys, args):
    before = run(capsys, "limits", "show", "--json")[1]
    code, _, err = run(capsys, *args)
    assert one_line_error(code, err)
    assert history(capsys) == [] and run(capsys, "limits", "show", "--json")[1] == before


@pytest.mark.parametrize("argv, message", [
    (["--daily", "100000000000"], "100000000000 ETH is too large: at most 79228162514.264337593543950335 ETH"),
    (["--token", "USDC", "--per-tx", "1" * 30], "USDC is too large: at most 20282409603651670423947251.286015 USDC"),
])
def test_a_limit_too_large_for_the_guardrail_is_refused_in_the_units_typed(home, capsys, argv, message):
    before = run(capsys, "limits", "show", "--json")[1]
    code, _, err = run(capsys, "limits", "set", *argv)
    assert one_line_error(code, err) and message in err, err
    assert history(capsys) == [] and run(capsys, "limits", "show", "--json")[1] == before


@pytest.mark.parametrize("argv, message", [
    (["--daily", "0.1", "--per-tx", "0.5"], "the per-action cap (0.5 ETH) is above the allowance per window (0.1 ETH)"),
    (["--token", "USDC", "--per-tx", "150"], "the per-action cap (150 USDC) is above the allowance per window (100"),
])
def test_a_cap_above_the_allowance_is_not_set_without_a_word(home, capsys, argv, message):
    code, out, err = run(capsys, "limits", "set", *argv)
    assert code == 0, err
    assert f"!  odd_limits: {message}" in out


# a home the app makes is private, and a stopped devnet is started again only with a word

@pytest.fixture(scope="module")
def new_home(tmp_path_factory) -> Path:
    """A home `agentwallet init` makes from nothing, run as a user whose umask lets everyone read."""
    home = tmp_path_factory.mktemp("new") / "made" / "by" / "init"
    env = {**os.environ, "AGENTWALLET_HOME": str(home), "AGENTWALLET_KEYRING": "file",
           "AGENTWALLET_PASSPHRASE": "correct horse battery staple"}
    made = subprocess.run([sys.executable, "-m", "agentwallet", "init"], env=env, umask=0o022,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    yield home
    from agentwallet.chain.devnet import Devnet
    Devnet(home).stop()


def _readable_by_others(home: Path) -> list[str]:
    return [f"{oct(path.stat().st_mode & 0o777)} {path.relative_to(home.parent)}"
            for path in (home, *home.rglob("*")) if path.stat().st_mode & 0o077]


def test_a_home_the_app_makes_is_0700_and_every_file_in_it_0600(new_home, monkeypatch, capsys):
    from agentwallet.actions.export import write_history
    from agentwallet.actions.history import LightHistorySource, history

    monkeypatch.setenv("AGENTWALLET_HOME", str(new_home))
    previous = os.umask(0o022)
    try:
        assert run(capsys, "propose", "send_native", "to=alice", "amount_wei=1000", "--yes")[0] == 0
        assert run(capsys, "contacts", "add", "zed", DAVE)[0] == 0
        entries, config = history(LightHistorySource.open(new_home), 10), load_config(new_home)
        for kind in ("csv", "json"):  # what History's export writes, the requests in it
            write_history(new_home / "exports", entries, kind, time.time(), config.owner, config.agent)
        assert run(capsys, "keys", "export", "agent", str(new_home / "exports" / "agent.json"))[0] == 0
        with local_server(lambda _path, _headers: (200, {}, GGUF)) as url:
            assert run(capsys, "model", "pull", f"{url}/tiny.gguf")[0] == 0
    finally:
        os.umask(previous)
    assert {p.name for p in new_home.iterdir()} >= {"config.toml", "journal.sqlite3", "keys", "devnet", "exports",
                                                     "models"}
    assert (new_home.stat().st_mode & 0o777) == 0o700
    assert _readable_by_others(new_home) == []


def test_a_command_after_devnet_stop_says_it_starts_the_devnet_again(new_home, monkeypatch, capsys):
    monkeypatch.setenv("AGENTWALLET_HOME", str(new_home))
    code, out, _ = run(capsys, "devnet", "stop")
    assert code == 0 and out == "devnet stopped\n"
    code, out, err = run(capsys, "status", "--json")
    assert code == 0 and json.loads(out)["network"]["name"] == "devnet"  # stdout stays JSON
    assert err == "… the devnet was not running: starting it again\n"
    code, _, err = run(capsys, "status", "--json")
    assert code == 0 and err == ""  # running now: nothing to say
    assert _readable_by_others(new_home) == []  # what the new anvil wrote too
