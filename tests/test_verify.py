"""`verify`, `doctor` and `history` on a real devnet: contradictory records on chain, and an
action made with one of the wallet's keys outside the wallet (a leaked agent key used with
Foundry's cast)."""

from __future__ import annotations

from agentwallet.actions import pipeline, verification
from agentwallet.actions.wallet import Wallet
from agentwallet.chain import transactions
from agentwallet.cli import main
from agentwallet.payments.pay import pay
from tests.conftest import ALICE, proposal
from tests.outside import LEAKED_ACTION, pay_with_the_leaked_agent_key
from tests.payments.kit import x402_seller

ETH = 10**18


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def record_again(wallet: Wallet, action_id: str, status: str) -> None:
    """A second record() for an action, signed by the agent as the pipeline's own logs are."""
    entry = wallet.journal.get(action_id)
    call = wallet.guardrail.record(action_id, entry.intent_hash, status)
    signed = transactions.sign(wallet.w3, wallet.account("agent"), call, 100_000)
    transactions.broadcast(wallet.w3, signed.raw)
    assert transactions.wait(wallet.w3, signed.tx_hash).ok


def test_a_payment_made_with_the_leaked_agent_key_fails_verify_and_says_what_to_do(home, capsys, tmp_path):
    wallet = Wallet.open(home)
    tx_hash = pay_with_the_leaked_agent_key(wallet, tmp_path / "agent.json")
    code, out, _ = run(capsys, "verify")
    assert code == 1
    assert out.splitlines() == [
        f"MISMATCH {LEAKED_ACTION}: the agent key executed a native action that this wallet never made "
        f"(0.001 ETH to {ALICE}, in {tx_hash}): if you did not do this yourself, someone else holds the agent key: "
        "pause the agent now (`agentwallet pause`, or p in the TUI)",
        "0 actions checked, 1 mismatches",
    ]


def test_doctor_says_an_action_was_made_with_the_agent_key_outside_the_wallet(home, capsys, tmp_path):
    wallet = Wallet.open(home)
    pay_with_the_leaked_agent_key(wallet, tmp_path / "agent.json")
    code, out, err = run(capsys, "doctor")
    assert code == 1, err
    assert "PROBLEM  the agent key executed a native action that this wallet never made (0.001 ETH" in out
    assert "fix: if you did not do this yourself, someone else holds the agent key: pause the agent now" in out


def test_history_marks_an_action_made_outside_the_wallet_and_warns(home, capsys, tmp_path):
    wallet = Wallet.open(home)
    pay_with_the_leaked_agent_key(wallet, tmp_path / "agent.json")
    code, out, _ = run(capsys, "history")
    assert code == 0
    lines = out.splitlines()
    assert "  ! executed native" in lines[0] and lines[0].endswith("NOT MADE BY THIS WALLET")
    assert lines[-1] == ("!! 1 of these actions (marked !) were made with this wallet's keys but not by this "
                         "wallet: `agentwallet verify` says what to do")


def test_verify_is_clean_when_every_action_on_chain_was_made_here(wallet):
    pipeline.carry_out(wallet, proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100), lambda _: True)
    assert verification.made_elsewhere(wallet) == []
    assert verification.verify(wallet) == (1, [])


def test_verify_catches_an_action_recorded_both_executed_and_failed(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    assert pipeline.carry_out(wallet, p, lambda _: True).state == "executed"
    record_again(wallet, p.action_id, "failed")
    assert verification.verify(wallet) == (1, [verification.Mismatch(
        p.action_id, "contradictory records on chain: executed and failed: an action is recorded once")])


def test_verify_catches_an_action_logged_twice(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    assert pipeline.carry_out(wallet, p, lambda _: False).state == "denied"
    record_again(wallet, p.action_id, "denied")
    assert verification.verify(wallet) == (1, [verification.Mismatch(
        p.action_id, "recorded denied 2 times on chain: an action is recorded once")])


def test_verify_catches_a_journal_that_says_otherwise_than_the_chain(wallet):
    p = proposal(wallet, "send_native", to=ALICE, amount_wei=ETH // 100)
    pipeline.carry_out(wallet, p, lambda _: True)
    wallet.journal.update(p.action_id, state="failed")
    assert verification.verify(wallet) == (1, [verification.Mismatch(
        p.action_id, "the journal says failed, the chain says executed")])


def test_verify_is_clean_after_an_x402_payment(wallet):
    """A payment is recorded once too (its authorization's event), whatever the facilitator does."""
    with x402_seller(wallet) as url:
        assert pay(wallet, url, "0.05", lambda _: True).status == "paid"
    assert verification.verify(wallet) == (1, [])
