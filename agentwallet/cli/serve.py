"""`agentwallet serve`: sell this wallet's skill (a question answered by the local model)
behind x402, paid to the vault, settled by the wallet itself. What it sells at and where is
kept in the config's [serve] table, so that `agents publish` can advertise it."""

from __future__ import annotations

import argparse
import dataclasses
import os

from agentwallet.actions.wallet import LOW_AGENT_GAS, Wallet
from agentwallet.agent.configured import load_configured_answerer
from agentwallet.cli.commands import _open
from agentwallet.config import ServeSettings
from agentwallet.errors import WalletError
from agentwallet.payments import serving
from agentwallet.payments.serve import (
    ASK,
    Earnings,
    Price,
    base_url,
    build_app,
    listening_socket,
    log_scrubbed,
    serve_forever,
)
from agentwallet.units import ETH_DECIMALS, format_amount, parse_amount

DEFAULT_PORT = 8402


def cmd_serve(args: argparse.Namespace) -> int:
    wallet = _open()
    with serving.only_server(wallet.home):
        return _serve(wallet, args)


def _serve(wallet, args: argparse.Namespace) -> int:
    log_scrubbed(wallet.rpc_url)
    settings = settings_from(wallet, args)
    price = Price(wallet.token(settings.token), settings.amount)
    say("loading the model")
    answerer = load_configured_answerer(wallet.config)
    sock = listening_socket(settings.port)
    earnings = Earnings(url=base_url(sock) + ASK)
    earnings.changed = lambda now: serving.write(wallet.home, _serving(now, price))
    app = build_app(wallet, price, answerer.answer, earnings, say)
    if wallet.agent_gas_balance() < LOW_AGENT_GAS:  # the agent pays each settlement's gas
        say(f"note: the agent holds {format_amount(wallet.agent_gas_balance(), ETH_DECIMALS)} ETH for gas: "
            f"payments cannot be settled (nor answered) until you send ETH to the agent {wallet.agent_address}")
    chosen = dataclasses.replace(settings, port=sock.getsockname()[1])
    wallet.update_config(lambda config: dataclasses.replace(config, serve=chosen))
    say(f"listening on {earnings.url}?q=QUESTION: {price.text} an answer, paid to the vault "
        f"{wallet.guardrail.address} on eip155:{wallet.config.chain_id}; Ctrl-C stops")
    earnings.changed(earnings)
    try:
        serve_forever(app, sock)
    except KeyboardInterrupt:  # uvicorn stops on Ctrl-C, then raises it again: stopping is the way out
        pass
    finally:
        serving.clear(wallet.home)
    say(f"stopped: {earnings.answered} paid answers")
    return 0


def _serving(earnings: Earnings, price: Price) -> serving.Serving:
    token = price.token
    return serving.Serving(pid=os.getpid(), url=earnings.url, token=token.address, symbol=token.symbol,
                           decimals=token.decimals, price=price.amount, answered=earnings.answered,
                           earned=earnings.earned)


def settings_from(wallet: Wallet, args: argparse.Namespace) -> ServeSettings:
    """--port and --price, else what the last `serve` kept; the price is needed once."""
    kept = wallet.config.serve
    if args.price is None and kept is None:
        raise WalletError("say what an answer costs the first time: --price 0.01 USDC")
    if args.price is not None:
        amount_text, token_text = args.price
        token = wallet.token(token_text)
        amount = parse_amount(amount_text, token.decimals, token.symbol)
        if amount <= 0:
            raise WalletError("the price must be above zero")
        token_address = token.address
    else:
        token_address, amount = kept.token, kept.amount
    port = args.port if args.port is not None else (kept.port if kept else DEFAULT_PORT)
    if not 0 <= port < 65536:
        raise WalletError("--port is a TCP port from 0 (a free one) to 65535")
    return ServeSettings(port=port, token=token_address, amount=amount)  # port 0: the one chosen is kept


def say(line: str) -> None:
    print(line, flush=True)  # flushed: a script (or the test) reads the URL while the server runs
