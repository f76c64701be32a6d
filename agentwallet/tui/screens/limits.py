"""The Limits screen: the agent's policy as the chain holds it now, and forms to change it.

A form sends only the fields that were filled in and differ from the chain; each change is
confirmed (before → after), then signed by the owner through the pipeline, with progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from agentwallet.actions.figures import ALLOWANCE, EXPIRES, LEFT_IN_WINDOW, PER_ACTION_CAP, SPENT, expiry, window_length
from agentwallet.errors import WalletError
from agentwallet.tui.format import amount, duration, moment, short_address, untrusted
from agentwallet.tui.policy_change import native_change, token_change
from agentwallet.tui.screens.base import ChainView
from agentwallet.tui.validators import Parses, parse_eth, parse_expiry, parse_period, parse_token_limit
from agentwallet.tui.widgets.connection_bar import ConnectionBar

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Limits, TokenPolicy  # the wallet's own types, chain/ stays below
    from agentwallet.config import TokenEntry

ETH_FIELDS = ("#per-tx", "#allowance", "#period", "#expires")
TOKEN_FIELDS = ("#token-per-tx", "#token-allowance")
# what a problem with each field says it is about, in the words of the form's labels
FIELD_NAMES = {"per-tx": "per transaction", "allowance": "allowance", "period": "period", "expires": "expires",
               "token-per-tx": "per transaction", "token-allowance": "allowance"}


class LimitsScreen(ChainView):
    AUTO_FOCUS = "#per-tx"

    def __init__(self) -> None:
        super().__init__()
        self.limits: Limits | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            with Vertical(id="policy", classes="panel") as policy:
                policy.border_title = "On chain now"
                yield Static("…", id="policy-table")
            with Vertical(id="switch", classes="panel") as switch:
                switch.border_title = "Kill switch"
                with Horizontal():
                    yield Label("…", id="switch-state")
                    yield Button("Pause the agent", id="toggle-pause", variant="error")
            with Vertical(id="eth-form", classes="panel form") as form:
                form.border_title = "Change the ETH limits (leave a field empty to keep it)"
                with Grid(classes="fields"):
                    yield Label("per transaction, ETH")
                    yield Input(id="per-tx", valid_empty=True, validators=[Parses(parse_eth)])
                    yield Label("allowance per period, ETH")
                    yield Input(id="allowance", valid_empty=True, validators=[Parses(parse_eth)])
                    yield Label("period, seconds")
                    yield Input(id="period", valid_empty=True, validators=[Parses(parse_period)])
                    yield Label("expires (ISO 8601 or never)")
                    yield Input(id="expires", valid_empty=True, validators=[Parses(self._parse_expiry)])
                yield Label(id="eth-problems", classes="problems")
                yield Button("Review and send", id="apply-eth", variant="primary")
            with Vertical(id="token-form", classes="panel form") as form:
                form.border_title = "Change a token's limits"
                with Grid(classes="fields"):
                    yield Label("token")
                    yield Select([], id="token", allow_blank=True, prompt="choose a token")
                    yield Label("per transaction")
                    yield Input(id="token-per-tx", valid_empty=True, validators=[Parses(self._parse_token_amount)])
                    yield Label("allowance per period")
                    yield Input(id="token-allowance", valid_empty=True,
                                validators=[Parses(self._parse_token_amount)])
                yield Label(id="token-problems", classes="problems")
                yield Button("Review and send", id="apply-token", variant="primary")
        yield ConnectionBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "wallet_info", self._show_tokens)

    # showing

    @work(exclusive=True, group="limits")
    async def load(self) -> None:
        if not self.app.session.is_open:
            return
        try:
            self.limits = await self.app.session.limits()
        except WalletError as error:
            self.app.report(error)
            return
        self.app.saw_limits(self.limits)
        self._show_policy(self.limits)
        self._token_chosen()  # the chosen token's limits as they are now

    def _show_policy(self, limits: Limits) -> None:
        p = limits.native
        now = self.app.clock()
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", no_wrap=True)
        table.add_column()
        resets = f", resets {moment(p.resets_at)} (in {duration(p.resets_at - now)})" if p.resets_at > now else ""
        table.add_row(f"ETH {PER_ACTION_CAP}", Text(f"{amount(p.per_tx_max)} ETH"))
        table.add_row(f"ETH {ALLOWANCE}", Text(f"{amount(p.allowance)} ETH per {window_length(p.period)} window"))
        table.add_row(f"ETH {SPENT}", Text(f"{amount(p.spent)} ETH{resets}"))
        table.add_row(f"ETH {LEFT_IN_WINDOW}", Text(f"{amount(p.allowance - p.spent)} ETH", style="bold"))
        table.add_row(EXPIRES, Text(expiry(p.valid_until)))
        table.add_row("recipients", Text("allowlisted only" if p.recipients_restricted else "anyone"))
        if p.revoked:
            table.add_row("agent key", Text("revoked by the agent", style="bold red"))
        for entry, policy, _ in limits.tokens:
            symbol, d = untrusted(entry.symbol), entry.decimals
            for what, value, style in ((PER_ACTION_CAP, policy.per_tx_max, ""), (ALLOWANCE, policy.allowance, ""),
                                       (SPENT, policy.spent, ""), (LEFT_IN_WINDOW, policy.allowance - policy.spent,
                                                                    "bold")):
                table.add_row(Text.assemble(symbol, f" {what}"), Text.assemble((amount(value, d), style), " ", symbol))
        self.query_one("#policy-table", Static).update(table)
        state = self.query_one("#switch-state", Label)
        state.update("⏸ paused: the agent can move nothing" if limits.paused else "● active")
        state.set_classes("paused" if limits.paused else "active")
        self.query_one("#per-tx", Input).placeholder = f"now {amount(p.per_tx_max)}"
        self.query_one("#allowance", Input).placeholder = f"now {amount(p.allowance)}"
        self.query_one("#period", Input).placeholder = f"now {p.period} ({duration(p.period)})"
        self.query_one("#expires", Input).placeholder = f"now {moment(p.valid_until) if p.valid_until else 'never'}"
        button = self.query_one("#toggle-pause", Button)
        button.label = "Resume the agent" if limits.paused else "Pause the agent"
        button.variant = "success" if limits.paused else "error"

    def _show_tokens(self) -> None:
        info = self.app.wallet_info
        tokens = info.tokens if info else ()
        select = self.query_one("#token", Select)
        # the short address: the whole one would wrap mid-word at 80 columns (the policy table has it)
        select.set_options((Text.assemble(untrusted(t.symbol), f"  {short_address(t.address)}"), t.address)
                           for t in tokens)
        if tokens:  # the form arrives with a token chosen, its limits shown as the ETH form's are
            select.value = tokens[0].address

    # validating

    def _token(self) -> TokenEntry | None:
        info = self.app.wallet_info
        address = self.query_one("#token", Select).value
        if info is None or address is Select.NULL:
            return None
        return next((t for t in info.tokens if t.address == address), None)

    def _parse_expiry(self, text: str) -> int:
        return parse_expiry(text, self.app.clock())

    def _parse_token_amount(self, text: str) -> int:
        token = self._token()
        if token is None:
            raise WalletError("choose a token first")
        return parse_token_limit(text, token)

    @on(Input.Changed)
    def _show_problems(self, event: Input.Changed) -> None:
        form = event.input.query_ancestor(".form")
        problems = []
        for field in form.query(Input):
            result = field.validate(field.value)
            if result is not None and not result.is_valid:
                problems += (f"{FIELD_NAMES[field.id or '']}: {problem}" for problem in result.failure_descriptions)
        form.query_one(".problems", Label).update(Text("\n".join(problems)))

    @on(Select.Changed, "#token")
    def _token_chosen(self) -> None:
        """The chosen token's limits as placeholders; typed amounts checked against its decimals."""
        token = self._token()
        policy = _token_policy(self.limits, token) if self.limits and token else None
        values = (policy.per_tx_max, policy.allowance) if policy else (None, None)
        for selector, value in zip(TOKEN_FIELDS, values, strict=True):
            field = self.query_one(selector, Input)
            field.placeholder = "" if token is None or value is None else f"now {amount(value, token.decimals)}"
            field.validate(field.value)

    # changing

    @on(Button.Pressed, "#toggle-pause")
    def _toggle_pause(self) -> None:
        self.app.action_toggle_pause()

    @on(Button.Pressed, "#apply-eth")
    @on(Input.Submitted, "#eth-form Input")
    def _apply_eth(self) -> None:
        self.send_native_change()

    @on(Button.Pressed, "#apply-token")
    @on(Input.Submitted, "#token-form Input")
    def _apply_token(self) -> None:
        self.send_token_change()

    def _value(self, selector: str, parse) -> int | None:
        text = self.query_one(selector, Input).value.strip()
        try:
            return parse(text) if text else None
        except WalletError as error:
            raise WalletError(f"{FIELD_NAMES[selector.removeprefix('#')]}: {error}") from None

    @work(exclusive=True, group="change")
    async def send_native_change(self) -> None:
        if not self.app.session.is_open:
            self.notify("Not connected to the chain yet.", severity="warning", markup=False)
            return
        try:
            per_tx = self._value("#per-tx", parse_eth)
            allowance = self._value("#allowance", parse_eth)
            period = self._value("#period", parse_period)
            valid_until = self._value("#expires", self._parse_expiry)
            limits = await self.app.session.limits()
        except WalletError as error:
            self.app.report(error)
            return
        change = native_change(limits, int(self.app.clock()), per_tx, allowance, period, valid_until)
        if change is None:
            self.notify("Nothing to change: type new values that differ from the chain's.", markup=False)
            return
        if await self.app.apply_change(change) is not None:
            self._clear(ETH_FIELDS)

    @work(exclusive=True, group="change")
    async def send_token_change(self) -> None:
        token = self._token()
        if token is None or not self.app.session.is_open:
            self.notify("Choose a token first.", severity="warning", markup=False)
            return
        try:
            per_tx = self._value("#token-per-tx", self._parse_token_amount)
            allowance = self._value("#token-allowance", self._parse_token_amount)
            limits = await self.app.session.limits()
        except WalletError as error:
            self.app.report(error)
            return
        current = _token_policy(limits, token)
        change = token_change(token, current.per_tx_max if current else 0, current.allowance if current else 0,
                              per_tx, allowance)
        if change is None:
            self.notify("Nothing to change: type new values that differ from the chain's.", markup=False)
            return
        if await self.app.apply_change(change) is not None:
            self._clear(TOKEN_FIELDS)

    def _clear(self, selectors: tuple[str, ...]) -> None:
        for selector in selectors:
            self.query_one(selector, Input).clear()


def _token_policy(limits: Limits, token: TokenEntry) -> TokenPolicy | None:
    return next((policy for entry, policy, _ in limits.tokens if entry.address == token.address), None)
