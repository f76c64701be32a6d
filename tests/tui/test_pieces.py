"""The TUI's small pure pieces: how it writes times and untrusted text, how it buckets spending,
what its forms accept, and what its exports hold."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import replace

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from agentwallet.actions.export import write_history
from agentwallet.display import MAX_UNTRUSTED_LENGTH, literal
from agentwallet.errors import WalletError
from agentwallet.tui.format import duration, shown_literally, untrusted, untrusted_lines
from agentwallet.tui.validators import parse_contact_name, parse_eth, parse_expiry, parse_period
from agentwallet.tui.widgets.chat import data_table
from agentwallet.tui.widgets.gauge import AllowanceGauge
from agentwallet.tui.widgets.spending_chart import Spending, SpendingChart, spent_per_window, windows_to_draw
from tests.tui.fixed import AGENT, CAROL, HISTORY, NOW, OWNER, ZERO
from tests.tui.support import painted

DAY = 86_400


@pytest.mark.parametrize(("seconds", "text"), [(0, "0s"), (45, "45s"), (3_600, "1h"), (3_660, "1h 1m"),
                                                (86_400, "1d"), (90_000, "1d 1h"), (86_399, "23h 59m")])
def test_durations_read_in_their_two_largest_units(seconds, text):
    assert duration(seconds) == text


def test_the_fast_literal_escapes_exactly_what_display_literal_escapes_at_every_code_point():
    changed = [code for code in range(sys.maxunicode + 1) if shown_literally(chr(code)) != literal(chr(code))]
    assert changed == []
    long = "a" * (MAX_UNTRUSTED_LENGTH + 1)
    assert shown_literally(long) == literal(long)


def test_untrusted_text_keeps_markup_as_typed_and_shows_control_characters():
    assert untrusted("[b red]0 ETH[/]").plain == "[b red]0 ETH[/]"
    assert untrusted("\x1b[31mX").plain == "\\x1b[31mX"
    assert untrusted_lines("one\ntwo\x07").plain == "one\ntwo\\x07"


def test_spending_is_counted_in_the_guardrails_own_windows():
    resets_at = NOW + 3_600
    spending = Spending(spends=[(resets_at - 1, 5), (resets_at - DAY, 7), (resets_at - DAY - 1, 11),
                                (resets_at - 5 * DAY, 13)], allowance=100, period=DAY, resets_at=resets_at,
                        since=resets_at - 30 * DAY)
    windows = spent_per_window(spending, 3)
    assert [start for start, _ in windows] == [resets_at - 3 * DAY, resets_at - 2 * DAY, resets_at - DAY]
    assert [wei for _, wei in windows] == [0, 11, 12]


def test_the_chart_draws_the_windows_since_the_policy_began_or_the_first_spend():
    resets_at = NOW + 3_600
    made_today = Spending(spends=[], allowance=100, period=DAY, resets_at=resets_at, since=resets_at - DAY)
    assert windows_to_draw(made_today, fit=20) == 1
    spent_before = Spending(spends=[(resets_at - 4 * DAY - 1, 5)], allowance=100, period=DAY, resets_at=resets_at,
                            since=resets_at - DAY)
    assert windows_to_draw(spent_before, fit=20) == 5 and windows_to_draw(spent_before, fit=3) == 3
    old = Spending(spends=[], allowance=100, period=DAY, resets_at=resets_at, since=resets_at - 100 * DAY)
    assert windows_to_draw(old, fit=40) == 14


class ChartApp(App[None]):
    CSS_PATH = "../../agentwallet/tui/widgets/widgets.tcss"

    def compose(self) -> ComposeResult:
        yield SpendingChart()


async def test_the_allowance_line_is_drawn_only_over_the_current_policys_windows_and_fills_the_width():
    resets_at = NOW + 3_600
    spends = [(resets_at - days * DAY - 1, 10**16) for days in range(6)]  # 0.01 ETH each day, for six days
    app = ChartApp()
    async with app.run_test(size=(80, 10)) as pilot:
        chart = app.query_one(SpendingChart)
        chart.show(Spending(spends, allowance=10**17, period=DAY, resets_at=resets_at, since=resets_at - 2 * DAY))
        await pilot.pause()
        top, *_, axis, labels, legend = painted(chart).splitlines()
        line = top[top.index("┤") + 1:]
        assert line.rstrip().endswith("┈") and line.startswith(" ")  # the last two windows only
        assert line.index("┈") == 4 * (len(axis.strip()) - 1) // 6  # six windows, the line over the last two
        assert len(axis.strip()) > 60  # six windows as wide as the chart allows, not squeezed left
        assert legend.endswith("┈ allowance 0.1 ETH since Jan 13 09:00")


class GaugesApp(App):
    def compose(self) -> ComposeResult:
        yield Vertical(id="gauges")


async def test_a_gauge_filled_before_it_is_mounted_draws_its_figures_once_mounted():
    app = GaugesApp()
    async with app.run_test(size=(100, 10)) as pilot:
        gauge = AllowanceGauge("ETH")
        mounting = app.query_one("#gauges").mount(gauge)
        gauge.show(15 * 10**16, 5 * 10**17, 10**17, 10**17, 18, "5h 12m")  # before its bar exists
        await mounting
        await pilot.pause()
        assert "0.15 of 0.5 ETH spent · 0.35 left" in painted(gauge)
        gauge.show(2 * 10**17, 5 * 10**17, 10**17, 10**17, 18, None)  # and drawn at once when mounted
        await pilot.pause()
        assert "0.2 of 0.5 ETH spent · 0.3 left" in painted(gauge)


async def test_read_data_is_a_small_table_of_literal_text_not_json():
    rows = json.dumps([{"status": "executed", "what": "send_token", "to": "bob", "amount": "1 [b red]X[/]"},
                       {"status": "denied", "what": "send_native", "to": "carol", "amount": "0.3 ETH"}])
    app = App()
    async with app.run_test(size=(80, 10)) as pilot:
        for data, lines in ((json.dumps({"ETH": "10", "\x1b[31mUSDC": "1000", "paused": False}),
                             ["ETH           10", "\\x1b[31mUSDC  1000", "paused        no"]),
                            (rows, ["status    what         to     amount",
                                    "executed  send_token   bob    1 [b red]X[/]",
                                    "denied    send_native  carol  0.3 ETH"])):
            card = Static(data_table(data))
            await app.mount(card)
            await pilot.pause()
            assert painted(card).splitlines() == lines
            await card.remove()


def test_the_forms_accept_exact_amounts_and_refuse_what_is_not_one():
    assert parse_eth("0.25") == 25 * 10**16
    for bad in ("-1", "1e3", "0.1234567890123456789"):
        with pytest.raises(WalletError):
            parse_eth(bad)
    assert parse_period("3_600") == 3_600
    with pytest.raises(WalletError):
        parse_period("0")
    assert parse_expiry("never", NOW) == 0
    assert parse_expiry("2027-02-01T00:00:00Z", NOW) == 1_801_440_000
    with pytest.raises(WalletError, match="in the past"):
        parse_expiry("2020-01-01", NOW)
    with pytest.raises(WalletError):
        parse_contact_name("Bob Smith")


def test_exports_keep_every_field_and_defuse_spreadsheet_formulas(tmp_path):
    entry = replace(HISTORY[0], request="=HYPERLINK(\"http://x\")")
    json_path = write_history(tmp_path, [entry, *HISTORY[1:]], "json", NOW, OWNER, AGENT)
    csv_path = write_history(tmp_path, [entry, *HISTORY[1:]], "csv", NOW, OWNER, AGENT)
    assert json_path.parent == csv_path.parent == tmp_path
    exported = json.loads(json_path.read_text())
    assert exported[0] == {**entry.as_json(), "signer": "agent"} and len(exported) == len(HISTORY)
    rows = list(csv.DictReader(csv_path.open()))
    assert rows[0]["request"] == "'=HYPERLINK(\"http://x\")" and rows[1]["request"] == HISTORY[1].request
    assert json.loads(rows[0]["args"]) == entry.args


def test_a_denied_action_is_exported_as_what_was_proposed_with_its_signer(tmp_path):
    denied = HISTORY[1]  # on chain: a record, to the zero address, amount 0
    assert (denied.status, denied.to, denied.amount) == ("denied", ZERO, "0")
    [row] = csv.DictReader(write_history(tmp_path, [denied], "csv", NOW, OWNER, AGENT).open())
    assert (row["to"], row["amount"], row["token"], row["signer"]) == (CAROL, str(9 * 10**16), "", "agent")
