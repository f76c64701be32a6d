"""What an x402 payment proposal (`pay_for`) asks the vault to sign: the EIP-3009
authorization the agent approves through the guardrail's authorize_payment (docs/guardrail.md),
rebuilt from the proposal's arguments alone, so the journal is enough to retry the request."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentwallet.actions.journal import JournalEntry
from agentwallet.chain import tokens
from agentwallet.chain.eip3009 import Authorization
from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet

_NONCE = re.compile(r"0x[0-9a-fA-F]{64}")


def authorization_of(wallet: Wallet, args: dict[str, object]) -> tuple[str, Authorization]:
    """The token and the EIP-3009 authorization a pay_for proposal's arguments ask the vault to make."""
    nonce = str(args["nonce"])
    if not _NONCE.fullmatch(nonce):
        raise WalletError(f"nonce must be 0x and 64 hex digits, got {nonce!r}")
    authorization = Authorization(wallet.guardrail.address, str(args["to"]), int(str(args["amount"])), 0,
                                  int(str(args["valid_before"])), bytes.fromhex(nonce[2:]))
    return str(args["token"]), authorization


@dataclass(frozen=True)
class Authorized:
    """A payment the vault authorized for a resource: not used yet, or (`used`) used by the
    resource without its answer reaching this wallet."""

    entry: JournalEntry
    token: str
    authorization: Authorization
    used: bool = False


def _awaiting_key(action_id: str) -> str:
    return f"paid request awaiting its answer {action_id}"


def awaiting_answer(wallet: Wallet, action_id: str) -> None:
    """Note, before the paid request goes out, that its answer has not come yet: a crash or a
    lost response leaves the note, and the next `pay` of the resource asks for that answer again."""
    wallet.journal.set_meta(_awaiting_key(action_id), "awaiting")


def answer_arrived(wallet: Wallet, action_id: str) -> None:
    """The resource gave the paid request its final word (an answer, or a refusal that asking
    again would not change): nothing is awaited any more."""
    wallet.journal.forget_meta(_awaiting_key(action_id))


def unanswered_payment(wallet: Wallet, url: str, token: str, to: str, amount: int) -> Authorized | None:
    """The latest executed pay_for of exactly this price for `url` that the resource used (its
    nonce is spent on chain) while its answer never arrived: asked again with the same payment, a
    resource that keeps its answers (`serve` does) sends it again rather than charging twice."""
    for entry, args in _payments_of(wallet, url, token, to, amount):
        if wallet.journal.meta(_awaiting_key(entry.action_id)) != "awaiting":
            return None  # the latest payment of this price got its answer: a new question is a new payment
        entry_token, authorization = authorization_of(wallet, args)
        if tokens.authorization_used(wallet.w3, entry_token, authorization.payer, authorization.nonce):
            return Authorized(entry, entry_token, authorization, used=True)
        return None  # unused: unused_payment resumes it
    return None


def unused_payment(wallet: Wallet, url: str, token: str, to: str, amount: int, lasting: int) -> Authorized | None:
    """The latest executed pay_for of exactly this price for `url` whose authorization is still
    valid for `lasting` seconds and unused: what a request interrupted after paying (a crash, a
    lost connection) is retried with, instead of a second payment."""
    now = wallet.chain_time()
    for entry, args in _payments_of(wallet, url, token, to, amount):
        entry_token, authorization = authorization_of(wallet, args)
        if authorization.payer != wallet.guardrail.address or authorization.valid_before < now + lasting:
            continue
        if not tokens.authorization_used(wallet.w3, entry_token, authorization.payer, authorization.nonce):
            return Authorized(entry, entry_token, authorization)
    return None


def _payments_of(wallet: Wallet, url: str, token: str, to: str, amount: int) -> Iterator[tuple[JournalEntry, dict]]:
    """The executed pay_for entries of exactly this price for `url`, latest first, with their arguments."""
    for entry in reversed(wallet.journal.entries()):
        if entry.tool != "pay_for" or entry.state != "executed":
            continue
        args = json.loads(entry.canonical)["args"]
        if (args.get("url"), args.get("token"), args.get("to"), args.get("amount")) == (url, token, to, str(amount)):
            yield entry, args


def expired_unused_payments(wallet: Wallet) -> list[Authorized]:
    """The agent's payments of the current spending window that expired unused: still counted
    against its allowance until cancel_payment gives them back (docs/guardrail.md)."""
    now = wallet.chain_time()
    policy = wallet.guardrail.policy(wallet.agent_address)
    window_start = policy.resets_at - policy.period if policy.resets_at else now
    found = []
    for entry in wallet.journal.entries():
        if entry.tool != "pay_for" or entry.state != "executed":
            continue
        token, authorization = authorization_of(wallet, json.loads(entry.canonical)["args"])
        if not window_start < authorization.valid_before <= now:
            continue
        if not tokens.authorization_used(wallet.w3, token, authorization.payer, authorization.nonce):
            found.append(Authorized(entry, token, authorization))
    return found
