"""`agentwallet pay URL`: pay a resource's x402 price from the vault, with the person's approval,
and print its answer. What the resource says is untrusted and printed literally."""

from __future__ import annotations

import argparse

from agentwallet.cli.commands import _open, _progress, _require_decision_source, decider
from agentwallet.cli.payment import shown
from agentwallet.errors import WalletError
from agentwallet.payments.pay import pay


def cmd_pay(args: argparse.Namespace) -> int:
    _require_decision_source(args)
    if args.yes and args.max is None:
        raise WalletError("--yes needs --max: say the most you will pay without being asked")
    wallet = _open()
    return shown(pay(wallet, args.url, args.max, decider(args), _progress), args.json)
