"""The Wallet screen says whether this wallet sells its model's answers now (`agentwallet serve`,
another process, which writes what it has done to <home>/serve.json) and what it has earned."""

from __future__ import annotations

import os
import subprocess

from agentwallet.payments import serving
from tests.tui.support import ScriptedAgent, ready, scripted_app, until, until_shown


def account(wallet, pid: int) -> serving.Serving:
    usdc = wallet.config.tokens[0]
    return serving.Serving(pid=pid, url="http://127.0.0.1:8402/ask", token=usdc.address, symbol=usdc.symbol,
                           decimals=usdc.decimals, price=10_000, answered=2, earned=20_000)


async def test_the_wallet_screen_shows_a_running_server_and_its_earnings(home, wallet):
    serving.write(home, account(wallet, os.getpid()))  # this process stands for the running serve
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await until_shown(pilot, app.screen.query_one("#serving"),
                          "● serving http://127.0.0.1:8402/ask at 0.01 USDC an answer: 2 paid, 0.02 USDC earned "
                          "since it started")
        await until(pilot, lambda: app.screen.overview is not None, what="the whole overview")


async def test_no_server_line_when_the_server_is_gone(home, wallet):
    ended = subprocess.Popen(["true"])
    ended.wait()  # gone, and reaped: nothing answers to its pid
    serving.write(home, account(wallet, ended.pid))
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.screen.overview is not None, what="the overview")
        assert not app.screen.query_one("#serving").display
