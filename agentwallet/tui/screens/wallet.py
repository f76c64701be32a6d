"""The Wallet screen: what the vault holds, what the agent may still spend, and where it all lives."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Label, Static

from agentwallet.errors import WalletError
from agentwallet.tui.format import duration, moment, short_amount, untrusted
from agentwallet.tui.screens.base import ChainView
from agentwallet.tui.widgets.connection_bar import ConnectionBar
from agentwallet.tui.widgets.gauge import AllowanceGauge
from agentwallet.tui.widgets.spending_chart import Spending, SpendingChart

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Limits
    from agentwallet.tui.session import Overview

COUNTDOWN_SECONDS = 30


class WalletScreen(ChainView):
    def __init__(self) -> None:
        super().__init__()
        self.overview: Overview | None = None
        self._drawing_limits = asyncio.Lock()  # a load and the countdown both redraw the gauges

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield Label(id="made-elsewhere")
            with Horizontal(id="top"):
                with Vertical(id="vault", classes="panel") as vault:
                    vault.border_title = "Vault"
                    yield Static("loading…", id="balances")
                    yield Label(id="gas")
                with Vertical(id="allowance", classes="panel") as allowance:
                    allowance.border_title = "What the agent may spend"
                    yield Label("loading…", id="state")
                    yield Vertical(id="gauges")
            with Vertical(id="spending", classes="panel") as spending:
                spending.border_title = "Spending"
                yield SpendingChart(id="chart")
            yield Label(id="serving")
            yield Label(id="network")
        yield ConnectionBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "wallet_info", self._show_network)
        self.set_interval(COUNTDOWN_SECONDS, self._tick)

    @work(exclusive=True, group="overview")
    async def load(self) -> None:
        session = self.app.session
        if not session.is_open:
            return
        try:
            overview = await session.overview()
        except WalletError as error:
            self.app.report(error)
            return
        await self.show(overview)

    async def show(self, overview: Overview) -> None:
        self.app.saw_limits(overview.limits)
        self._show_made_elsewhere(overview)
        self._show_serving(overview)
        self.query_one("#balances", Static).update(self._balances_table(overview))
        gas = f"agent gas {short_amount(overview.agent_gas)} ETH"
        info = self.app.wallet_info
        self.query_one("#gas", Label).update(
            Text(f"{gas}: too little to send anything; send ETH for gas to the agent {info.agent if info else ''}",
                 style="bold yellow") if overview.agent_gas_low else Text(gas, style="dim"))
        await self._show_limits(overview.limits)
        native = overview.limits.native
        self.query_one(SpendingChart).show(Spending(
            spends=[(s.timestamp, s.amount) for s in overview.spending],
            allowance=native.allowance, period=native.period, resets_at=native.resets_at, since=native.start))
        self.overview = overview

    def _show_made_elsewhere(self, overview: Overview) -> None:
        """The loudest warning there is: the wallet's keys acted on chain without the wallet."""
        warning = self.query_one("#made-elsewhere", Label)
        warning.display = bool(overview.made_elsewhere)
        if overview.made_elsewhere:
            latest, count = overview.made_elsewhere[0], len(overview.made_elsewhere)
            warning.update(Text(f"!! {count} action{'s' if count > 1 else ''} on chain not made by this wallet. "
                                f"Latest: {latest.text}.\n{latest.what_to_do_in_tui}."))

    def _show_serving(self, overview: Overview) -> None:
        """Whether this wallet sells its model's answers now (`agentwallet serve`), and what it earned."""
        line = self.query_one("#serving", Label)
        serving = overview.serving
        line.display = serving is not None
        if serving is not None:
            price = f"{short_amount(serving.price, serving.decimals)} {untrusted(serving.symbol)}"
            earned = f"{short_amount(serving.earned, serving.decimals)} {untrusted(serving.symbol)}"
            line.update(Text.assemble("● serving ", untrusted(serving.url), f" at {price} an answer: "
                                      f"{serving.answered} paid, {earned} earned since it started"))

    def _balances_table(self, overview: Overview) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", no_wrap=True)
        table.add_column(no_wrap=True)
        for balance in overview.balances:
            table.add_row(Text(short_amount(balance.amount, balance.decimals), style="bold"), untrusted(balance.symbol))
        return table

    async def _show_limits(self, limits: Limits) -> None:
        async with self._drawing_limits:
            await self._draw_limits(limits)

    async def _draw_limits(self, limits: Limits) -> None:
        now = self.app.clock()
        native = limits.native
        blocked = _blocked(limits, now)
        state = self.query_one("#state", Label)
        state.update(Text(blocked or "● active: the agent may act within these limits"))
        state.set_classes("blocked" if blocked else "active")

        gauges = self.query_one("#gauges", Vertical)
        units = ["ETH", *(entry.symbol for entry, _, _ in limits.tokens)]
        if [gauge.unit for gauge in gauges.query(AllowanceGauge)] != units:
            await gauges.remove_children()
            await gauges.mount_all(AllowanceGauge(unit) for unit in units)
        shown = list(gauges.query(AllowanceGauge))
        resets_in = duration(native.resets_at - now) if native.resets_at > now else None
        why = "blocked" if blocked else None
        shown[0].show(native.spent, native.allowance, native.per_tx_max, limits.remaining_native, 18, resets_in, why)
        for gauge, (entry, policy, remaining) in zip(shown[1:], limits.tokens, strict=True):
            gauge.show(policy.spent, policy.allowance, policy.per_tx_max, remaining, entry.decimals, resets_in, why)

    def _show_network(self) -> None:
        info = self.app.wallet_info
        if info is None:
            return
        self.query_one("#network", Label).update(Text.assemble(
            ("network ", "dim"), untrusted(info.network), f" · chain {info.chain_id}\n",
            ("guardrail ", "dim"), info.guardrail))

    async def _tick(self) -> None:
        """Count down to the next window without asking the chain again."""
        if self.overview is not None and self.is_current:
            await self._show_limits(self.overview.limits)


def _blocked(limits: Limits, now: float) -> str | None:
    """Why the agent can move nothing right now, if it cannot."""
    native = limits.native
    if limits.paused:
        return "⏸ PAUSED: the agent can move nothing (p resumes)"
    if native.revoked:
        return "✕ REVOKED: the agent gave up its key"
    if native.valid_until and native.valid_until <= now:
        return f"✕ EXPIRED at {moment(native.valid_until)}: set a new expiry under Limits"
    return None
