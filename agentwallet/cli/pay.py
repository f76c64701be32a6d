"""`agentwallet pay URL`: pay a resource's x402 price from the vault, with the person's approval,
and print its answer. What the resource says is untrusted and printed literally."""

from __future__ import annotations

import argparse
import json
import sys

from agentwallet.cli.commands import _open, _progress, _require_decision_source, decider
from agentwallet.cli.render import print_json
from agentwallet.display import literal
from agentwallet.errors import WalletError
from agentwallet.payments.pay import Payment, pay

EXIT_CODES = {"paid": 0, "free": 0, "denied": 0, "submitted": 4, "confirming": 4}  # as docs/cli.md, Exit codes


def cmd_pay(args: argparse.Namespace) -> int:
    _require_decision_source(args)
    if args.yes and args.max is None:
        raise WalletError("--yes needs --max: say the most you will pay without being asked")
    wallet = _open()
    payment = pay(wallet, args.url, args.max, decider(args), _progress)
    if args.json:
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
