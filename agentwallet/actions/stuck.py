"""Stuck transactions: an action sent and not mined (its fee below what blocks now ask), sped
up or cancelled by the person. Either signs one more transaction for the action's nonce, from
the key that signed it, keeps it in the journal before it is broadcast, and then settles the
action by whichever of its transactions is mined (actions/pipeline.py): exactly once, however
many were signed. Never done behind the user's back: only these commands replace one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentwallet.actions import pipeline
from agentwallet.actions.leases import sending
from agentwallet.actions.pipeline import Outcome, Progress
from agentwallet.chain import replacements, transactions
from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet

ANOTHER_PROCESS = "the replacement is sent; the process carrying the action out settles it"


def speed_up(wallet: Wallet, action_id: str, progress: Progress = lambda _: None) -> Outcome:
    """The action's transaction again, same nonce, at fees that replace it and are mined today."""
    return _replace(wallet, action_id, "speedup", progress)


def cancel(wallet: Wallet, action_id: str, progress: Progress = lambda _: None) -> Outcome:
    """A transfer of nothing to the signer itself with the action's nonce: once it is mined the
    action never can be, and it is settled failed, logged on chain, nothing moved."""
    return _replace(wallet, action_id, "cancel", progress)


def _replace(wallet: Wallet, action_id: str, purpose: str, progress: Progress) -> Outcome:
    entry = wallet.journal.get(action_id)
    doing = "speed up" if purpose == "speedup" else "cancel"
    if entry is None:
        raise WalletError(f"no action {action_id} in this wallet's journal: `agentwallet history` lists them")
    if entry.state in ("proposed", "approved"):
        raise WalletError(f"action {action_id[:10]}… is {entry.state}: nothing was sent for it, nothing to {doing}")
    if entry.state != "signed":
        raise WalletError(f"action {action_id[:10]}… is already {entry.state}: nothing is pending to {doing}")
    found = pipeline.mined(wallet, entry)
    if found is pipeline.REPLACED:
        raise WalletError(f"action {action_id[:10]}…'s nonce was taken by another transaction: nothing to {doing}; "
                          "the next command settles it")
    if found is not None:
        tx, receipt = found
        raise WalletError(f"action {action_id[:10]}… is already mined (in {tx.tx_hash}, block {receipt.block}): "
                          f"it cannot be replaced; it is executed once it has its confirmations")
    account = wallet.account(entry.executor)  # the owner's key unlocked as anywhere else: never by --yes
    if account.address != entry.sender:
        raise WalletError(f"action {action_id[:10]}… was signed by {entry.sender}, not this wallet's "
                          f"{entry.executor} key: it cannot be replaced from here")
    newest = wallet.journal.sent_for(action_id)[-1]
    progress(f"signing the {'speed-up' if purpose == 'speedup' else 'cancel'} as the {entry.executor}")
    with sending(wallet.home):
        sign = replacements.speed_up if purpose == "speedup" else replacements.cancel
        replacement = sign(wallet.w3, account, newest.raw_tx)
        wallet.journal.add_replacement(action_id, purpose, replacement.tx_hash, replacement.raw)
        transactions.broadcast(wallet.w3, replacement.raw)
    progress(f"sent {replacement.tx_hash} with nonce {replacement.nonce}, replacing {newest.tx_hash}")
    outcome = pipeline.settle_sent(wallet, action_id, progress)
    return outcome or Outcome(action_id, "submitted", replacement.tx_hash, None, ANOTHER_PROCESS)
