"""Paying for a web resource: fetch it, meet its 402, propose the payment through the wallet's
one pipeline (journaled, reviewed, decided by the person, logged on chain), let the vault
authorize it through the guardrail, retry with the payment, and hand back the answer.

    quote:    fetch → 402 → check the price → propose (a Review)
    complete: decide → authorize on chain → retry → answer

`pay` is both with a decision in between (the command line); the TUI shows the Review between
them, as it does a chat turn's.

Nothing is proposed for a malformed or unacceptable 402. Once paid, the retry is made once (and
once more with the same payment if its response is lost on the way): a second 402 is a failure,
never a second payment. A payment authorized but never used (the process died before the retry,
or the retry was lost) is reused by the next `pay` of the same resource at the same price while
it is valid, rather than paid again; one the resource used while its answer never arrived is
sent again by that next `pay`, for the answer it bought (a resource that keeps its answers, as
`serve` does, sends it and charges nothing more; nothing more is paid either way).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from x402.schemas import PaymentRequired, SettleResponse

from agentwallet import untrusted
from agentwallet.actions import pipeline
from agentwallet.actions.arguments import normalise_arguments
from agentwallet.actions.payment import (
    Authorized,
    answer_arrived,
    authorization_of,
    awaiting_answer,
    expired_unused_payments,
    unanswered_payment,
    unused_payment,
)
from agentwallet.actions.proposal import Proposal
from agentwallet.actions.review import Review
from agentwallet.chain import transactions
from agentwallet.errors import WalletError
from agentwallet.payments import http, protocol
from agentwallet.payments.payee import agent_serving, name_the_payee
from agentwallet.payments.requirements import Price, Refusal, price
from agentwallet.units import moment

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet

# The least time an authorization must leave the facilitator, which refuses one valid for
# under 6 more seconds, and the person, who decides in between.
LEAST_VALIDITY = 30


@dataclass(frozen=True)
class Payment:
    """How one `pay` ended: paid | denied | refused | failed | free (the resource asked nothing)."""

    status: str
    url: str
    price: Price | None = None
    outcome: pipeline.Outcome | None = None
    answer: http.Response | None = None
    reason: str | None = None
    settled: SettleResponse | None = None

    @property
    def account(self) -> str:
        """How it ended, in one line (the price's symbol, the settlement and the reason are the
        resource's or the token's words: show it literally)."""
        said = self.status
        if self.price is not None:
            said += f": {self.price.text} to {self.price.pay_to}"
        if self.outcome is not None and self.outcome.tx_hash:
            said += f", authorized in {self.outcome.tx_hash}"
        if self.settled is not None and self.settled.transaction:
            said += f", settled in {self.settled.transaction}"
        if self.reason:
            said += f" ({self.reason})"
        return said


@dataclass(frozen=True)
class Quote:
    """A resource's price, met and proposed, not yet decided: the review the person decides on
    (None when an unused payment of this very price is resumed: nothing new to approve)."""

    url: str
    asked: PaymentRequired
    offer: Price
    review: Review | None = None
    resumed: Authorized | None = None


def pay(wallet: Wallet, url: str, max_text: str | None, decide: pipeline.Decide,
        progress: pipeline.Progress = lambda _: None) -> Payment:
    quoted = quote(wallet, url, max_text, progress)
    if isinstance(quoted, Payment):
        return quoted
    return complete(wallet, quoted, quoted.review is None or decide(quoted.review), progress)


def quote(wallet: Wallet, url: str, max_text: str | None, progress: pipeline.Progress = lambda _: None,
          request: str | None = None) -> Quote | Payment:
    """Fetch `url`, meet its 402 and propose its price (journaled, reviewed): a Quote to decide
    on, or the Payment it already is (free: no 402; refused: a price the wallet will not pay).
    `request` is the person's words the journal keeps (default: `pay URL`)."""
    release_expired(wallet, progress)
    progress(f"asking {url}")
    first = http.get(url)
    if first.status != 402:
        return Payment("free", url, answer=first, reason=f"the resource answered {first.status} and asked no payment")
    asked = protocol.payment_required(first)
    try:
        offer = price(wallet, asked, max_text)
        valid_before = _valid_before(wallet, offer.timeout)
    except Refusal as refusal:
        return Payment("refused", url, reason=str(refusal))
    resumed = (unused_payment(wallet, url, offer.token.address, offer.pay_to, offer.amount, LEAST_VALIDITY)
               or unanswered_payment(wallet, url, offer.token.address, offer.pay_to, offer.amount))
    if resumed is not None:
        return Quote(url, asked, offer, resumed=resumed)
    serving = agent_serving(wallet, url)
    proposal = _proposal(wallet, url, offer, valid_before, asked, request)
    review = pipeline.propose(wallet, proposal, progress)
    name_the_payee(review, serving, offer.pay_to)
    return Quote(url, asked, offer, review)


def complete(wallet: Wallet, quoted: Quote, approved: bool, progress: pipeline.Progress = lambda _: None) -> Payment:
    """Carry out the person's decision on a Quote (logged on chain); approved and authorized by
    the vault, ask again with the payment, once, and hand back the answer."""
    url, offer = quoted.url, quoted.offer
    if quoted.resumed is not None:
        entry = quoted.resumed.entry
        progress(f"asking again for the answer the payment of action {entry.action_id[:10]}… bought: the resource "
                 "used it, its answer never arrived" if quoted.resumed.used else
                 f"resuming the payment authorized in action {entry.action_id[:10]}…, not yet used")
        outcome = pipeline.Outcome(entry.action_id, "executed", entry.tx_hash, entry.log_tx_hash)
        authorization = quoted.resumed.authorization
    else:
        assert quoted.review is not None
        outcome = pipeline.settle(wallet, quoted.review, approved, progress)
        if outcome.state != "executed":
            return Payment(outcome.state, url, offer, outcome, reason=outcome.error)
        _, authorization = authorization_of(wallet, quoted.review.proposal.args)
    progress(f"asking again, with the payment: its answer and settlement may take the resource up to "
             f"{round(http.PAID_TIMEOUT / 60)} min")
    answer = _paid_request(wallet, outcome.action_id, url,
                           protocol.payment_header(quoted.asked, offer.accepted, authorization), progress)
    settled = protocol.settlement(answer)
    if answer.status == 402 and quoted.resumed is not None and quoted.resumed.used:
        answer_arrived(wallet, outcome.action_id)  # its final word on a used payment: the next `pay` pays anew
        return Payment("failed", url, offer, outcome, answer, settled=settled, reason=(
            "the resource used the earlier payment but does not send its answer again; nothing more was paid "
            "(`pay` again to pay anew)"))
    if answer.status == 402:
        return Payment("failed", url, offer, outcome, answer, settled=settled, reason=(
            "the resource asked for payment again after the vault authorized it; nothing more was paid (the "
            "next `pay` of this resource asks again with the same payment, until "
            f"{moment(authorization.valid_before)} if the resource did not use it)"))
    if answer.status == 409 or 500 <= answer.status < 600:
        return Payment("failed", url, offer, outcome, answer, settled=settled, reason=(
            f"the resource answered {answer.status}: its answer is still awaited; the next `pay` of this resource "
            "asks for it with the same payment, and nothing more is paid"))
    if not 200 <= answer.status < 300:
        return Payment("failed", url, offer, outcome, answer, settled=settled,
                       reason=f"the resource answered {answer.status} to the paid request")
    return Payment("paid", url, offer, outcome, answer, settled=settled)


def _paid_request(wallet: Wallet, action_id: str, url: str, header: dict[str, str],
                  progress: pipeline.Progress) -> http.Response:
    """The request with the payment; made once more, with the same payment, if it got no response
    (a resource that settled it and keeps its answers, as `serve` does, sends the answer again and
    charges nothing more). Till the resource's final word arrives the journal says an answer is
    awaited, for the next `pay` (unanswered_payment, which asks the chain whether it was used):
    a 402 is not one (a settlement still pending is one), nor a 409 (still being answered) or a 5xx."""
    awaiting_answer(wallet, action_id)
    try:
        try:
            answer = http.get(url, header, timeout=http.PAID_TIMEOUT)
        except http.NoResponse as lost:
            progress(f"no response to the paid request ({lost}); asking once more with the same payment")
            answer = http.get(url, header, timeout=http.PAID_TIMEOUT)
    except http.NoResponse as again:
        raise WalletError(f"{again}: the payment may have been used; the next `pay` of this resource at this "
                          "price asks again with the same payment, and pays nothing more") from None
    except WalletError:
        answer_arrived(wallet, action_id)  # it answered, with what the wallet will not take
        raise
    if 200 <= answer.status < 300 or (400 <= answer.status < 500 and answer.status not in (402, 409)):
        answer_arrived(wallet, action_id)
    return answer


def release_expired(wallet: Wallet, progress: pipeline.Progress = lambda _: None) -> int:
    """Give back to the agent's allowance what its expired, unused payments still hold: the
    guardrail's cancel_payment, from the agent key. Returns how many were given back."""
    released = 0
    for unused in expired_unused_payments(wallet):
        call = wallet.guardrail.cancel_payment(unused.token, unused.authorization)
        simulation = transactions.simulate(wallet.w3, call, wallet.agent_address)
        if not simulation.ok:  # given back already (or the window reset): nothing to do
            continue
        progress(f"giving back the unused payment of action {unused.entry.action_id[:10]}…")
        if pipeline.send_upkeep(wallet, "agent", call, simulation.gas).ok:
            released += 1
    return released


def _valid_before(wallet: Wallet, timeout: int) -> int:
    """When the authorization ends: the server's timeout from now, cut at the end of the
    agent's spending window (the guardrail refuses one that outlasts it)."""
    now = wallet.chain_time()
    policy = wallet.guardrail.policy(wallet.agent_address)
    ends = [now + timeout] + [t for t in (policy.resets_at, policy.valid_until) if t]
    valid_before = min(ends)
    if valid_before - now < LEAST_VALIDITY:
        raise Refusal(f"the agent's spending window ends at {moment(valid_before)}, too soon to pay: "
                      "try again once it has reset")
    return valid_before


def _proposal(wallet: Wallet, url: str, offer: Price, valid_before: int, asked,
              request: str | None = None) -> Proposal:
    described = asked.resource.description if asked.resource and asked.resource.description else ""
    rationale = "the resource answered 402 Payment Required with this price"
    if described:
        rationale += f"; it says it is: {untrusted.line(described, 200)}"
    args = normalise_arguments(wallet, "pay_for", {
        "url": url, "token": offer.token.address, "to": offer.pay_to, "amount": str(offer.amount),
        "valid_before": str(valid_before), "nonce": "0x" + os.urandom(32).hex()})
    return Proposal(tool="pay_for", args=args, rationale=rationale, request=request or f"pay {url}",
                    chain_id=wallet.config.chain_id, guardrail=wallet.guardrail.address)
