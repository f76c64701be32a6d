"""The one place a proposal becomes a transaction.

    propose → simulate → show → decide → simulate again → sign → send → confirm → log

Every step is written to the journal before it is taken, so a crash anywhere leaves enough
behind for `reconcile` to finish the job without ever sending an action twice. Where several
processes share the wallet, the one carrying an action out holds its lease and nonces are given
out under one lock (actions/leases.py), so no action is settled twice and no nonce signed twice.

A plan (actions/plan.py) is reviewed and decided as a whole, its decision logged on chain in
one record_plan, and its approved steps then carried out one after the other as above: each
step is an action of its own in the journal, so exactly-once holds per step across crashes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentwallet import tools
from agentwallet.actions.journal import JournalEntry, SentTx
from agentwallet.actions.leases import Lease, sending
from agentwallet.actions.plan import Plan
from agentwallet.actions.plan_review import PlanReview, review_plan
from agentwallet.actions.proposal import Proposal
from agentwallet.actions.review import DEFAULT_GAS, Review, agent_gas_shortfall, review_proposal
from agentwallet.chain import transactions
from agentwallet.chain.transactions import SignedTx
from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet

Decide = Callable[[Review], bool]
REPLACED = object()  # no receipt, and another transaction took the nonce: it can never be mined
# How long a receipt is looked for once its nonce is seen used: a node behind the one that mined
# it says "not found", and reading that as "replaced" would call a payment made a failure.
LAGGING_NODE_SECONDS = 5
Progress = Callable[[str], None]
SENT = ("submitted", "confirming")  # an action sent whose transaction is not yet mined, or not yet confirmed
RECEIPT_WAIT_SECONDS = 120  # how long a command waits for its action to be mined and confirmed
FIRST_POLL_SECONDS, LAST_POLL_SECONDS = 0.05, 2.0
NOT_MINED = ("not mined yet: kept, and looked for again at the next start; "
             "`agentwallet tx speedup|cancel ACTION_ID` if it is stuck")


@dataclass(frozen=True)
class Outcome:
    action_id: str
    state: str  # executed | failed | denied, or, sent and not settled yet, submitted | confirming
    tx_hash: str | None
    log_tx_hash: str | None
    error: str | None = None


def carry_out(wallet: Wallet, proposal: Proposal, decide: Decide, progress: Progress = lambda _: None) -> Outcome:
    """The whole life of an action, for callers that can decide synchronously (the CLI)."""
    review = propose(wallet, proposal, progress)
    return settle(wallet, review, decide(review), progress)


def propose(wallet: Wallet, proposal: Proposal, progress: Progress = lambda _: None) -> Review:
    """Simulate the proposal and journal it: what the user is shown before deciding. A proposal
    that cannot be reviewed (a node that fails, a token that is not one) is never journaled."""
    progress("simulating")
    review = review_proposal(wallet, proposal)
    wallet.journal.add(proposal)
    return review


def settle(wallet: Wallet, review: Review, approved: bool, progress: Progress = lambda _: None) -> Outcome:
    """Carry out the user's decision on a reviewed proposal, and log it on chain. The action's
    lease is held throughout, so another process's reconcile leaves it alone."""
    action_id = review.proposal.action_id
    lease = Lease.take(wallet.home, action_id, wait=True)
    try:
        entry = wallet.journal.get(action_id)
        if entry is None or entry.state != "proposed":
            raise WalletError(f"action {action_id[:10]}… was already decided "
                              f"({entry.state if entry else 'not in the journal'}): nothing more was done")
        return _decide(wallet, review, approved, progress)
    finally:
        lease.release(finished=wallet.journal.unfinished_entry(action_id) is None)


def _decide(wallet: Wallet, review: Review, approved: bool, progress: Progress) -> Outcome:
    proposal = review.proposal
    if not approved:
        wallet.journal.update(proposal.action_id, state="denied")
        progress("logging the denial on chain")
        return _log_decision(wallet, proposal.action_id, "denied")
    wallet.journal.update(proposal.action_id, state="approved", executor=review.executor)
    return _send_approved(wallet, review, progress)


def _send_approved(wallet: Wallet, review: Review, progress: Progress) -> Outcome:
    """Sign and send an approved action, unless the chain would refuse it now."""
    proposal = review.proposal
    if not review.simulation.ok:
        # Approved, but the chain would refuse it: do not spend gas to learn that again.
        reason = f"not sent: it would revert ({review.simulation.revert_reason})"
        return _settle_failed(wallet, proposal.action_id, reason)
    # The chain may have moved while the user looked (other sends used up the allowance, the
    # vault was paused): ask it again right before signing, and sign nothing it would refuse.
    simulation = transactions.simulate(wallet.w3, review.planned.call, wallet.address(review.executor))
    if not simulation.ok:
        reason = f"not sent: since it was shown, the chain has changed and would refuse it ({simulation.revert_reason})"
        return _settle_failed(wallet, proposal.action_id, reason)
    gas = simulation.gas or DEFAULT_GAS
    if review.executor == "agent" and (short := agent_gas_shortfall(wallet, gas)):
        # Signed now, it would wait until someone funds the agent and then move money long after
        # the decision: refuse it now, and say what to do.
        return _settle_failed(wallet, proposal.action_id, f"not sent: {short}")
    progress(f"signing as the {review.executor}")
    signed = _sign_and_send(wallet, review.executor, review.planned.call, gas, lambda tx: wallet.journal.signed(
        proposal.action_id, tx.tx_hash, tx.raw, tx.nonce, tx.sender))
    progress(f"sent {signed.tx_hash}")
    return _finish_sent(wallet, wallet.journal.get(proposal.action_id), progress)


def propose_plan(wallet: Wallet, plan: Plan, progress: Progress = lambda _: None) -> PlanReview:
    """Review every step and the plan as a whole, then journal the plan and its steps."""
    progress("simulating")
    review = review_plan(wallet, plan)
    wallet.journal.add_plan(plan)
    return review


def settle_plan(wallet: Wallet, review: PlanReview, approved: Sequence[bool], progress: Progress = lambda _: None,
                settled: Callable[[Outcome], None] = lambda _: None) -> list[Outcome]:
    """Carry out the person's decision on a plan: one per step (False drops it). The decision
    is journaled and logged on chain at once (record_plan, which logs the dropped steps denied);
    then the approved steps run in order, each as a single action does, and once one does not
    execute, the ones after it are not sent. Every step's lease is held throughout. `settled`
    hears of each step's outcome as soon as it is known (the TUI's plan card follows them)."""
    plan = review.plan
    if len(approved) != len(plan.steps):
        raise WalletError(f"the plan has {len(plan.steps)} steps: decide on each, not on {len(approved)}")
    leases = [Lease.take(wallet.home, plan.plan_id, wait=True)]
    leases += [Lease.take(wallet.home, step.action_id, wait=True) for step in plan.steps]
    try:
        if any((entry := wallet.journal.get(step.action_id)) is None or entry.state != "proposed"
               for step in plan.steps):
            raise WalletError(f"plan {plan.plan_id[:10]}… was already decided: nothing more was done")
        wallet.journal.decide_plan(plan.plan_id, {step.proposal.action_id: step.executor if yes else None
                                                  for step, yes in zip(review.steps, approved, strict=True)})
        progress("logging the plan's decision on chain")
        log_tx_hash, log_error = _log_plan(wallet, plan.plan_id)
        outcomes: list[Outcome] = []
        stopped: int | None = None
        for position, (step, yes) in enumerate(zip(review.steps, approved, strict=True), start=1):
            action_id = step.proposal.action_id
            if not yes:
                outcomes.append(Outcome(action_id, "denied", None, log_tx_hash, log_error))
            elif stopped is not None:
                outcomes.append(_settle_failed(wallet, action_id, f"not sent: step {stopped} did not execute"))
            else:
                progress(f"step {position} of {len(plan.steps)}")
                outcomes.append(_send_approved(wallet, step, progress))
                stopped = None if outcomes[-1].state == "executed" else position
            settled(outcomes[-1])
        return outcomes
    finally:
        leases[0].release(finished=wallet.journal.get_plan(plan.plan_id).logged == 1)
        for lease, step in zip(leases[1:], plan.steps, strict=True):
            lease.release(finished=wallet.journal.unfinished_entry(step.action_id) is None)


def _log_plan(wallet: Wallet, plan_id: str) -> tuple[str | None, str | None]:
    """record_plan() the decision on chain, write-ahead like a single action's record(): the
    log's transaction hash, and what kept it from being logged, if anything."""
    plan = wallet.journal.get_plan(plan_id)
    if plan.log_tx_hash is None:
        steps = wallet.journal.plan_steps(plan_id)
        call = wallet.guardrail.record_plan(plan_id, plan.plan_hash, [s.action_id for s in steps],
                                            [s.intent_hash for s in steps], plan.approved)
        simulation = transactions.simulate(wallet.w3, call, wallet.agent_address)
        if not simulation.ok:
            wallet.journal.update_plan(plan_id, error=f"not logged: {simulation.revert_reason}")
            return None, simulation.revert_reason
        _sign_and_send(wallet, "agent", call, simulation.gas, lambda tx: wallet.journal.update_plan(
            plan_id, log_tx_hash=tx.tx_hash, log_raw_tx=tx.raw, log_nonce=tx.nonce, log_sender=tx.sender))
        plan = wallet.journal.get_plan(plan_id)
    receipt = _receipt_unless_replaced(wallet, plan.log_tx_hash, plan.log_sender, plan.log_nonce)
    if receipt is REPLACED:
        wallet.journal.update_plan(plan_id, log_tx_hash=None, log_raw_tx=None, log_nonce=None, log_sender=None)
        return None, "not logged yet: retried at the next start"
    if receipt is None:
        try:
            transactions.broadcast(wallet.w3, plan.log_raw_tx)
        except WalletError as exc:
            return None, f"not logged on chain yet ({exc}); retried at the next start"
        receipt = transactions.wait(wallet.w3, plan.log_tx_hash)
    if not receipt.ok:
        return None, "the plan's record reverted on chain; retried at the next start"
    wallet.journal.plan_logged(plan_id)
    return plan.log_tx_hash, None


def _sign_and_send(wallet: Wallet, signer: str, call, gas: int, keep: Callable[[SignedTx], None]) -> SignedTx:
    """Sign, keep (in the journal) and broadcast, holding the wallet's sending lock from the
    nonce's reading to the node's taking the transaction, so no other process of this wallet
    signs with that nonce meanwhile."""
    account = wallet.account(signer)  # unlocked first: a passphrase prompt must not hold the lock
    with sending(wallet.home):
        signed = transactions.sign(wallet.w3, account, call, gas)
        keep(signed)
        try:
            transactions.broadcast(wallet.w3, signed.raw)
        except WalletError:
            pass  # what comes next finds the nonce taken, or sends the kept bytes again and says why not
    return signed


def send_upkeep(wallet: Wallet, signer: str, call, gas: int) -> transactions.Receipt:
    """A transaction that carries out no one's decision and moves nothing (giving an unused
    payment's allowance back): not journaled, but signed under the same sending lock, so it
    never takes a nonce an action was given; waited for."""
    signed = _sign_and_send(wallet, signer, call, gas, lambda _: None)
    return transactions.wait(wallet.w3, signed.tx_hash)


def send_settlement(wallet: Wallet, call, gas: int) -> str:
    """Settle an x402 payment made to this wallet (`serve`): the payer's authorization carried
    out, paying the vault. The agent key pays the gas: `serve` runs unattended, and the owner
    key must never be left unlocked for that. Not journaled (it is no decision of this wallet
    and moves nothing out of the vault) but signed under the sending lock, so it never takes
    a nonce an action of another process was given. Returns the hash, not waited for."""
    if short := agent_gas_shortfall(wallet, gas):
        raise WalletError(f"not settled: {short}")
    return _sign_and_send(wallet, "agent", call, gas, lambda _: None).tx_hash


def _finish_sent(wallet: Wallet, entry: JournalEntry, progress: Progress, patience: float | None = None) -> Outcome:
    """Broadcast the kept transaction (again, if need be), wait until it is mined and has the
    network's confirmations, and settle the entry by whichever transaction kept for its nonce
    was mined. One not mined or not confirmed within `patience` seconds (by default
    RECEIPT_WAIT_SECONDS) stays signed (an outcome `submitted` or `confirming`) for a later
    look; one that a reorg drops is sent again, the same bytes: never signed anew behind the
    user's back."""
    needed = wallet.confirmations
    deadline = time.monotonic() + (RECEIPT_WAIT_SECONDS if patience is None else patience)
    pause = FIRST_POLL_SECONDS
    send, refusal = True, None
    while True:
        found = mined(wallet, entry)
        if found is REPLACED:
            return _settle_failed(wallet, entry.action_id, f"not sent: another transaction from the {entry.executor}'s "
                                  f"account took its nonce ({entry.nonce}); nothing moved for this action")
        if found is None:
            if send:
                # Sent before (or killed before it was), or mined in a block a reorg dropped.
                refusal, send = _send_again(wallet, entry.action_id), False
                continue
            waiting = Outcome(entry.action_id, "submitted", _newest(wallet, entry.action_id).tx_hash, None,
                              refusal or NOT_MINED)
        else:
            tx, receipt = found
            send = True  # should it vanish now, a reorg dropped its block
            have = max(0, transactions.head(wallet.w3) - receipt.block)
            if have >= needed:
                return _settle_mined(wallet, entry, tx, receipt)
            progress(f"confirming: {have} of {needed} blocks on it")
            waiting = Outcome(entry.action_id, "confirming", tx.tx_hash, None, confirming(have, needed))
        if time.monotonic() >= deadline:
            return waiting
        time.sleep(pause)
        pause = min(pause * 2, LAST_POLL_SECONDS)


def settle_sent(wallet: Wallet, action_id: str, progress: Progress = lambda _: None) -> Outcome | None:
    """Wait for an action already sent (after a speed-up or a cancel) and settle it, holding
    its lease; None when another live process holds it: that process settles it."""
    lease = Lease.take(wallet.home, action_id, wait=False)
    if lease is None:
        return None
    try:
        entry = wallet.journal.unfinished_entry(action_id)
        if entry is None or entry.state != "signed":
            return None
        return _finish_sent(wallet, entry, progress)
    finally:
        lease.release(finished=wallet.journal.unfinished_entry(action_id) is None)


def confirming(have: int, needed: int) -> str:
    return f"mined, {have} of {needed} confirmations: executed once {needed} blocks are on it"


def mined(wallet: Wallet, entry: JournalEntry):
    """(the kept transaction that was mined, its receipt); None while one may still be mined;
    REPLACED when a transaction this journal never signed took the nonce."""
    kept = wallet.journal.sent_for(entry.action_id)
    for tx in kept:
        if (receipt := transactions.find_receipt(wallet.w3, tx.tx_hash)) is not None:
            return tx, receipt
    if not transactions.nonce_used(wallet.w3, entry.sender, entry.nonce):
        return None
    # Ours may have been mined between the two questions, or a node behind the one that mined
    # it says "not found": reading that as "replaced" would call a payment made a failure.
    deadline = time.monotonic() + LAGGING_NODE_SECONDS
    while time.monotonic() < deadline:
        for tx in kept:
            if (receipt := transactions.find_receipt(wallet.w3, tx.tx_hash)) is not None:
                return tx, receipt
        time.sleep(FIRST_POLL_SECONDS)
    return REPLACED


def _newest(wallet: Wallet, action_id: str) -> SentTx:
    return wallet.journal.sent_for(action_id)[-1]


def _send_again(wallet: Wallet, action_id: str) -> str | None:
    """Broadcast the newest transaction kept for the action's nonce (a speed-up replaces the
    one before it); what the node said if it refused."""
    try:
        transactions.broadcast(wallet.w3, _newest(wallet, action_id).raw_tx)
    except WalletError as exc:
        return str(exc)
    return None


def _settle_mined(wallet: Wallet, entry: JournalEntry, tx: SentTx, receipt: transactions.Receipt) -> Outcome:
    if tx.purpose == "cancel":
        return _settle_failed(wallet, entry.action_id, f"cancelled: {tx.tx_hash}, a transfer of nothing to the "
                              f"{entry.executor}'s own account, took its nonce; nothing moved for this action")
    if tx.tx_hash != entry.tx_hash:  # sped up: the action is the transaction that was mined
        wallet.journal.update(entry.action_id, tx_hash=tx.tx_hash, raw_tx=tx.raw_tx)
    if not receipt.ok:
        return _settle_failed(wallet, entry.action_id, "the transaction reverted on chain")
    wallet.journal.update(entry.action_id, state="executed")
    if tools.BY_NAME[entry.tool].kind == "policy":
        # Policy calls carry no intent hash of their own; the owner logs the executed decision.
        return _log_decision(wallet, entry.action_id, "executed")
    wallet.journal.update(entry.action_id, logged=1)
    return Outcome(entry.action_id, "executed", tx.tx_hash, None)


def _receipt_unless_replaced(wallet: Wallet, tx_hash: str, sender: str, nonce: int):
    """The transaction's receipt; None while it may still be mined; REPLACED when another
    transaction took its nonce. The receipt is asked for again after the nonce is seen used:
    ours may have been mined between the two questions."""
    receipt = transactions.find_receipt(wallet.w3, tx_hash)
    if receipt is None and transactions.nonce_used(wallet.w3, sender, nonce):
        return transactions.receipt_within(wallet.w3, tx_hash, LAGGING_NODE_SECONDS) or REPLACED
    return receipt


def _settle_failed(wallet: Wallet, action_id: str, reason: str) -> Outcome:
    wallet.journal.update(action_id, state="failed", error=reason)
    return _log_decision(wallet, action_id, "failed")


def _log_decision(wallet: Wallet, action_id: str, status: str) -> Outcome:
    """record() the decision on chain, write-ahead like the action itself."""
    entry = wallet.journal.get(action_id)
    if entry.log_tx_hash is None:
        signer = "owner" if status == "executed" else "agent"
        call = wallet.guardrail.record(action_id, entry.intent_hash, status)
        simulation = transactions.simulate(wallet.w3, call, wallet.address(signer))
        if not simulation.ok:
            error = f"{entry.error or ''} (not logged: {simulation.revert_reason})".strip()
            wallet.journal.update(action_id, error=error)
            return Outcome(action_id, entry.state, entry.tx_hash, None, simulation.revert_reason)
        _sign_and_send(wallet, signer, call, simulation.gas, lambda tx: wallet.journal.update(
            action_id, log_tx_hash=tx.tx_hash, log_raw_tx=tx.raw, log_nonce=tx.nonce, log_sender=tx.sender))
        entry = wallet.journal.get(action_id)
    receipt = _receipt_unless_replaced(wallet, entry.log_tx_hash, entry.log_sender, entry.log_nonce)
    if receipt is REPLACED:
        # Another transaction took the log's nonce: forget it, so the next reconcile signs anew.
        wallet.journal.update(action_id, log_tx_hash=None, log_raw_tx=None, log_nonce=None, log_sender=None)
        return Outcome(action_id, entry.state, entry.tx_hash, None, "not logged yet: retried at the next start")
    if receipt is None:
        try:
            transactions.broadcast(wallet.w3, entry.log_raw_tx)
        except WalletError as exc:  # e.g. the agent cannot pay for the log: it is kept and retried
            return Outcome(action_id, entry.state, entry.tx_hash, None,
                           f"not logged on chain yet ({exc}); retried at the next start")
        receipt = transactions.wait(wallet.w3, entry.log_tx_hash)
    wallet.journal.update(action_id, logged=1 if receipt.ok else 0)
    return Outcome(action_id, entry.state, entry.tx_hash, entry.log_tx_hash, entry.error)


ABANDONED = "abandoned: the process that asked for a decision was gone; nothing was sent"


def reconcile(wallet: Wallet) -> list[Outcome]:
    """Finish what a crash interrupted. Run before any new action. An entry whose lease another
    live process holds is that process's to finish: it is left alone."""
    for entry in wallet.journal.abandoned():
        # Killed while its user was asked: nobody can approve it now, so it is denied (and
        # logged below, as every denial is).
        wallet.journal.update(entry.action_id, state="denied", error=ABANDONED)
    for plan in wallet.journal.unlogged_plans():
        lease = Lease.take(wallet.home, plan.plan_id, wait=False)
        if lease is not None:
            try:
                _log_plan(wallet, plan.plan_id)
            finally:
                lease.release(finished=wallet.journal.get_plan(plan.plan_id).logged == 1)
    outcomes = []
    for entry in wallet.journal.unfinished():
        if entry.state == "denied" and _left_out_of_a_decided_plan(wallet, entry):
            continue  # the plan's record logs it (above)
        lease = Lease.take(wallet.home, entry.action_id, wait=False)
        if lease is None:
            continue
        try:
            current = wallet.journal.unfinished_entry(entry.action_id)  # as it is now that it is ours
            if current is not None:
                outcomes.append(_recover(wallet, current))
        finally:
            lease.release(finished=wallet.journal.unfinished_entry(entry.action_id) is None)
    return outcomes


def _left_out_of_a_decided_plan(wallet: Wallet, entry: JournalEntry) -> bool:
    plan = wallet.journal.get_plan(entry.plan_id) if entry.plan_id else None
    return plan is not None and plan.approved is not None


def _recover(wallet: Wallet, entry: JournalEntry) -> Outcome:
    if entry.state == "approved":
        # Approved but never signed, and its process is gone: nothing left this machine. Do not
        # send it behind the user's back after a restart; settle it as failed and say so.
        return _settle_failed(wallet, entry.action_id, "interrupted before it was sent; nothing was sent")
    if entry.state == "signed":
        try:
            return _finish_sent(wallet, entry, lambda _: None, patience=0)  # one look: start-up does not wait
        except WalletError as exc:
            return Outcome(entry.action_id, "signed", entry.tx_hash, None, str(exc))
    return _log_decision(wallet, entry.action_id, entry.state)
