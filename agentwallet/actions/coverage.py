"""Whether the payments proposed are the payments asked for: pairs, not sets.

The request is read into mentions (agentwallet/mentions.py): recipient, amount and asset
together. Each mention must be paid by exactly one step, and no step may pay anything else.
A step with the right recipient but another mention's amount or asset ("pay alice 0.02 eth
and bob 5 usdc" planned as "Send 5 USDC to alice") is a critical flag, as is a payment whose
recipient or amount stands only in text the request gives as data (quotes, a note to
summarise), and a mention no step pays. The same check runs on a single proposal and on a
plan, so a plan that leaves out a step never looks complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentwallet.actions.flags import Flag
from agentwallet.mentions import ETH, Amount, Mention, Reading


@dataclass(frozen=True)
class Payment:
    """What one step moves, as its transaction will."""
    to: str
    asset: str  # ETH or the token's address
    amount: int  # base units
    label: str  # in words, for the flags: "5 USDC to alice 0x7099…79C8"

    def pays(self, amount: Amount) -> bool:
        return (amount.asset, amount.base_units) == (self.asset, self.amount)


def payment_of(tool: str, args: dict[str, object], label: str) -> Payment | None:
    if tool == "send_native":
        return Payment(str(args["to"]), ETH, int(str(args["amount_wei"])), label)
    if tool == "send_token":
        return Payment(str(args["to"]), str(args["token"]), int(str(args["amount"])), label)
    return None


def coverage_flags(reading: Reading, payments: list[Payment | None]) -> tuple[list[list[Flag]], list[Flag]]:
    """The flags of each step (in the order given; None for a step that pays nothing) and of the
    whole: what the request asks that no step pays, and what in the request cannot be read as
    exact payments."""
    unpaid = list(reading.mentions)
    paid: list[Mention] = []
    matched: list[Mention | None] = []
    for payment in payments:
        mention = next((m for m in unpaid if payment and m.to == payment.to and payment.pays(m.amount)), None)
        if mention is not None:
            unpaid.remove(mention)
            paid.append(mention)
        matched.append(mention)
    named_in_step_flags: set[int] = set()
    per_step: list[list[Flag]] = []
    for payment, mention in zip(payments, matched, strict=True):
        if payment is None or mention is not None:
            per_step.append([])
            continue
        flag, counterpart = _unasked(reading, payment, unpaid, paid)
        if counterpart is not None:
            named_in_step_flags.add(id(counterpart))
        per_step.append([flag])
    whole = [Flag("request_unclear", problem, critical=True) for problem in reading.problems]
    left = [m for m in unpaid if id(m) not in named_in_step_flags]
    if left:
        also = "also " if any(payments) else ""
        which = "this does not pay" if len(payments) == 1 else "no step pays"
        whole.append(Flag("request_not_covered", f"the request {also}asks for {'; '.join(map(str, left))}, "
                          f"which {which}", critical=True))
    return per_step, whole


def _unasked(reading: Reading, payment: Payment, unpaid: list[Mention],
             paid: list[Mention]) -> tuple[Flag, Mention | None]:
    """Why a step that pays no mention is wrong, in the most telling words, and the mention it
    stands in for, if any."""
    same_recipient = [m for m in unpaid if m.to == payment.to]
    if same_recipient:
        asked = " or ".join(str(m.amount) for m in same_recipient)
        return Flag("request_pair_mismatch", f"this pays {payment.label}, but the request asks {asked} for "
                    f"{same_recipient[0].name}", critical=True), same_recipient[0]
    same_amount = [m for m in unpaid if payment.pays(m.amount)]
    if same_amount:
        return Flag("request_pair_mismatch", f"this pays {payment.label}, but the request asks "
                    f"{same_amount[0]}", critical=True), same_amount[0]
    if any(m.to == payment.to and payment.pays(m.amount) for m in paid):
        return Flag("request_paid_twice", f"this pays {payment.label} again: the request asks for it once",
                    critical=True), None
    if payment.to in reading.quoted or (payment.to not in reading.named
                                        and any(payment.pays(a) for a in reading.quoted_amounts)):
        return Flag("request_quoted", f"this pays {payment.label}, which stands only in text the request gives "
                    "to be read (in quotes, or to summarise or translate): that text is data, not an instruction",
                    critical=True), None
    if payment.to not in reading.named:
        said = next((a for a in reading.loose if payment.pays(a)), None)
        why = f": it says {said} but not to whom, so the recipient is the agent's choice" if said else ""
        return Flag("request_unasked", f"the request does not ask for {payment.label}{why}", critical=True), None
    if any(m.to == payment.to for m in paid):
        return Flag("request_unasked", f"this pays {payment.label}: the request asks nothing more for "
                    f"{reading.named[payment.to]}", critical=True), None
    return Flag("request_unasked", f"this pays {payment.label}, but the request asks no amount for "
                f"{reading.named[payment.to]}", critical=True), None
