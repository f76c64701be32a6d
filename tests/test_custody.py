"""Key custody for unattended use, as real `agentwallet` subprocesses on the real devnet: the
agent's secret alone is all that `ask --yes` / `propose --yes` within the limits need, `--yes`
never signs with the owner key, and a command that needs the owner key without its secret
fails with one clear line and signs nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from agentwallet.actions import history
from agentwallet.actions.wallet import Wallet
from agentwallet.cli import main
from tests.conftest import ALICE, PASSPHRASE

ETH = 10**18


def secrets(*variables: str) -> dict[str, str]:
    """The environment of a script that holds only these secrets (each the test passphrase)."""
    env = {name: value for name, value in os.environ.items() if "PASSPHRASE" not in name}
    env.update({variable: PASSPHRASE for variable in variables})
    return env


AGENT_SECRET_ONLY = ("AGENTWALLET_AGENT_PASSPHRASE",)
BOTH_SECRETS = ("AGENTWALLET_PASSPHRASE",)


def run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agentwallet", *argv], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=300)


def nonces(wallet: Wallet) -> tuple[int, int]:
    return tuple(wallet.w3.eth.get_transaction_count(wallet.address(role), "pending") for role in ("owner", "agent"))


def test_propose_yes_within_the_limits_needs_only_the_agents_secret(wallet):
    done = run(secrets(*AGENT_SECRET_ONLY), "propose", "send_native", f"to={ALICE}", f"amount_wei={ETH // 100}",
               "--yes", "--json")
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["status"] == "executed"
    [event] = [e for e in history.history(wallet) if e.action_id == outcome["action_id"]]
    assert (event.status, event.actor) == ("executed", wallet.agent_address)


def test_ask_yes_within_the_limits_needs_only_the_agents_secret(wallet, monkeypatch, capsys):
    """In this process, where the bundled model is loaded once for every test that asks."""
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    monkeypatch.setenv("AGENTWALLET_AGENT_PASSPHRASE", PASSPHRASE)
    code = main(["ask", "send 0.01 eth to alice", "--yes", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    outcome = json.loads(out)
    assert outcome["status"] == "executed"
    [event] = [e for e in history.history(wallet) if e.action_id == outcome["action_id"]]
    assert (event.status, event.actor) == ("executed", wallet.agent_address)


def test_yes_does_not_sign_a_send_beyond_the_limits_with_the_owner_key(wallet):
    """Even with the owner's secret at hand: beyond the limits needs the person."""
    before, vault = nonces(wallet), wallet.guardrail.balance()
    done = run(secrets(*BOTH_SECRETS), "propose", "send_native", f"to={ALICE}", f"amount_wei={ETH // 5}", "--yes")
    assert done.returncode == 0, done.stderr
    assert "!! owner_execution" in done.stdout
    assert "denied: --yes does not approve a proposal with critical flags; review it at a terminal" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith("denied, logged in 0x")
    assert wallet.guardrail.balance() == vault
    assert nonces(wallet)[0] == before[0]  # the owner signed nothing; the agent logged the denial


def test_yes_does_not_sign_an_owner_action(wallet):
    before = nonces(wallet)
    done = run(secrets(*BOTH_SECRETS), "propose", "pause", "--yes")
    assert done.returncode == 0, done.stderr
    assert "denied: --yes never signs with the owner key (this proposal is signed by the owner: an owner action)" \
        in done.stdout
    assert not wallet.guardrail.paused()
    assert nonces(wallet)[0] == before[0]


def test_an_owner_command_without_the_owner_secret_fails_clearly_and_signs_nothing(wallet):
    before, entries = nonces(wallet), len(wallet.journal.entries())
    done = run(secrets(*AGENT_SECRET_ONLY), "pause")
    assert done.returncode == 1
    assert done.stderr == ("agentwallet: the owner key is locked: set AGENTWALLET_OWNER_PASSPHRASE "
                           "(or AGENTWALLET_PASSPHRASE) or run in a terminal\n")
    assert done.stdout == ""
    assert nonces(wallet) == before and len(wallet.journal.entries()) == entries
    assert not wallet.guardrail.paused()
