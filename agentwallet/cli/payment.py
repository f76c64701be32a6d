"""How a payment is printed (`pay`, and `ask` of another agent's paid skill): its one line and
the answer, or `--json` (docs/json.md); and a met price decided and completed. What the
resource says is untrusted and printed literally."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from agentwallet.cli.render import print_json
from agentwallet.display import literal
from agentwallet.payments.pay import Payment, Quote, complete

if TYPE_CHECKING:
    from agentwallet.actions.pipeline import Decide, Progress
    from agentwallet.actions.wallet import Wallet

EXIT_CODES = {"paid": 0, "free": 0, "denied": 0, "submitted": 4, "confirming": 4}  # as docs/cli.md, Exit codes


def finish(wallet: Wallet, quoted: Quote | Payment, decide: Decide, progress: Progress, as_json: bool) -> int:
    """A met price (payments/pay.quote) decided and completed as `pay` does, and printed."""
    if isinstance(quoted, Quote):
        quoted = complete(wallet, quoted, quoted.review is None or decide(quoted.review), progress)
    return shown(quoted, as_json)


def shown(payment: Payment, as_json: bool) -> int:
    if as_json:
        print_json(payment_json(payment))
    else:
        _print(payment)
    return EXIT_CODES.get(payment.status, 1)


def payment_json(payment: Payment) -> dict:
    """docs/json.md: `pay --json`."""
    paid = None
    if payment.price is not None:
        outcome = payment.outcome
        paid = {"amount": str(payment.price.amount), "asset": payment.price.token.address,
                "symbol": payment.price.token.symbol, "pay_to": payment.price.pay_to,
                "action_id": outcome.action_id if outcome else None, "tx_hash": outcome.tx_hash if outcome else None,
                "settlement_tx_hash": payment.settled.transaction if payment.settled else None}
    return {"status": payment.status, "url": payment.url, "payment": paid, "reason": payment.reason,
            "response": _body(payment) if payment.answer is not None else None}


def _body(payment: Payment) -> object:
    text = payment.answer.body.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _print(payment: Payment) -> None:
    print(literal(payment.account), file=sys.stderr if payment.answer is not None else sys.stdout)
    if payment.answer is not None:
        print(literal(payment.answer.body.decode("utf-8", errors="replace")))
