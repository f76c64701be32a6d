"""The Limits form (validation, token limits, the paused state everywhere) and the Settings screen
(contacts, keystore export), on the real devnet."""

from __future__ import annotations

import json

from textual.widgets import DataTable, Input, Select

from agentwallet import config as config_module
from agentwallet.chain import tokens
from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.screens.confirm import ConfirmScreen
from agentwallet.tui.screens.limits import LimitsScreen
from agentwallet.tui.screens.prompt import PromptScreen
from agentwallet.tui.screens.settings import SettingsScreen
from agentwallet.tui.screens.wallet import WalletScreen
from tests.conftest import ALICE, DAVE
from tests.tui.fixed import USDC, fixed_app
from tests.tui.support import ScriptedAgent, click, open_limits, ready, scripted_app, until, until_shown


async def test_a_bad_value_is_explained_under_the_form_and_nothing_is_sent():
    app = fixed_app()
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await until(pilot, lambda: app.chain_state == "online")
        screen = await open_limits(pilot)
        screen.query_one("#per-tx", Input).value = "-1"
        screen.query_one("#period", Input).value = "soon"
        await until_shown(pilot, screen.query_one("#eth-problems"), "per transaction: ", "must not be negative",
                          "period: ", "whole number of seconds")
        await click(pilot, "#apply-eth")
        await until(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        assert isinstance(app.screen, LimitsScreen)


async def test_the_token_form_arrives_with_the_token_and_its_limits_as_they_are_now():
    app = fixed_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: app.chain_state == "online")
        screen = await open_limits(pilot)
        per_tx, allowance = (screen.query_one(selector, Input) for selector in ("#token-per-tx", "#token-allowance"))
        await until(pilot, lambda: (per_tx.placeholder, allowance.placeholder) == ("now 50", "now 100"))
        assert screen.query_one("#token", Select).value == USDC


async def test_a_cap_above_the_allowance_asks_are_you_sure_and_says_why():
    app = fixed_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: app.chain_state == "online")
        await open_limits(pilot)
        app.screen.query_one("#per-tx", Input).value = "0.6"
        await click(pilot, "#apply-eth")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.title_text.startswith("Are you sure?")
        await until_shown(pilot, app.screen, "!! the per-action cap (0.6 ETH) is above the allowance per window")
        await pilot.press("n")


async def test_a_tokens_limits_are_changed_through_the_form(home, wallet):
    app = scripted_app(home, ScriptedAgent())
    usdc = wallet.config.tokens[0]
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        screen = await open_limits(pilot)
        screen.query_one("#token", Select).value = usdc.address
        screen.query_one("#token-per-tx", Input).value = "20"
        screen.query_one("#token-allowance", Input).value = "250.5"
        await click(pilot, "#apply-token")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await until_shown(pilot, app.screen, "allowance per window: 100 USDC → 250.5 USDC")
        await pilot.press("y")
        await until(pilot, lambda: not app.settling and isinstance(app.screen, LimitsScreen))
    [(_, policy, _)] = wallet.limits().tokens
    assert (policy.per_tx_max, policy.allowance) == (20 * 10**6, 250_500_000)


async def test_once_paused_the_wallet_screen_says_so_and_the_gauges_are_blocked(home, wallet):
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        screen = app.screen
        assert isinstance(screen, WalletScreen)
        await until(pilot, lambda: screen.overview is not None and screen.overview.limits.paused, what="the pause")
        await until_shown(pilot, screen.query_one("#state"), "PAUSED")
        await until_shown(pilot, screen.query_one("#gauges"), "blocked")
    assert wallet.limits().paused


async def test_contacts_are_added_and_removed_in_the_config(home):
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        table = screen.query_one("#contacts-table", DataTable)
        await until(pilot, lambda: table.row_count == 3)  # devnet's alice, bob and carol
        screen.query_one("#contact-name", Input).value = "dave"
        screen.query_one("#contact-address", Input).value = DAVE.lower()
        await click(pilot, "#add-contact")
        await until(pilot, lambda: table.row_count == 4)
        assert config_module.load_config(home).contacts["dave"] == DAVE

        screen.query_one("#contact-name", Input).value = "Not A Name"
        screen.query_one("#contact-address", Input).value = DAVE
        screen.query_one("#contact-address", Input).focus()
        await pilot.press("enter")  # enter in the address field adds, as the button does
        await until(pilot, lambda: any("contact name" in n.message for n in app._notifications))

        screen.query_one("#contact-name", Input).value = "alicia"  # the CLI's rule: one name per address
        screen.query_one("#contact-address", Input).value = ALICE
        screen.query_one("#contact-address", Input).focus()
        await pilot.press("enter")  # not a click: the last error's notification may cover the button
        await until(pilot, lambda: any("already the contact alice" in n.message for n in app._notifications))
        assert table.row_count == 4

        table.focus()
        table.move_cursor(row=[str(row[0]) for row in map(table.get_row_at, range(4))].index("dave"))
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="remove the contact dave?")
        assert app.screen.title_text == "Remove the contact dave?"
        await pilot.press("y")
        await until(pilot, lambda: table.row_count == 3)
    assert sorted(config_module.load_config(home).contacts) == ["alice", "bob", "carol"]


async def test_a_contact_whose_name_looks_like_another_asks_first(home):
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("s")
        screen = app.screen
        table = screen.query_one("#contacts-table", DataTable)
        await until(pilot, lambda: table.row_count == 3)
        for answer in ("n", "y"):
            screen.query_one("#contact-name", Input).value = "aalice"
            screen.query_one("#contact-address", Input).value = DAVE
            screen.query_one("#contact-address", Input).focus()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the lookalike warning")
            assert app.screen.title_text == "Add aalice? Its name looks like alice"
            await pilot.press(answer)
            await until(pilot, lambda: app.screen is screen)
            await pilot.pause(0.2)
            assert ("aalice" in config_module.load_config(home).contacts) == (answer == "y")
        await until(pilot, lambda: table.row_count == 4)


async def test_a_key_is_exported_as_a_keystore_file_where_the_user_says(home, tmp_path):
    destination = tmp_path / "backup" / "agent.json"
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await click(pilot, "#export-agent")
        await until(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one(Input).value = str(destination)
        await until_shown(pilot, app.screen, "Export (enter)", "Cancel (esc)")
        await pilot.press("enter")
        await until(pilot, lambda: any("keystore is in" in n.message for n in app._notifications))
    keystore = json.loads(destination.read_text())
    assert keystore["address"].lower() == config_module.load_config(home).agent.lower().removeprefix("0x")
    assert "crypto" in keystore and destination.stat().st_mode & 0o777 == 0o600


async def test_the_keystore_export_dialog_fits_at_80_by_24_with_its_buttons():
    app = fixed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.wallet_info is not None)
        await pilot.press("s")
        app.screen.export_keystore("owner")
        await until(pilot, lambda: isinstance(app.screen, PromptScreen))
        shown = await until_shown(pilot, app.screen, "Export (enter)", "Cancel (esc)")
        assert "as geth and cast wallet" in shown and "read." in shown  # the hint wraps, not clipped


async def test_the_model_is_changed_from_settings_and_loaded_again(home, tmp_path):
    loads: list[int] = []

    def counting_factory(progress):
        loads.append(1)
        return ScriptedAgent()

    notes = tmp_path / "notes.gguf"
    notes.write_text("not a model")
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(b"GGUF" + bytes(64))
    app = AgentWalletApp(home, agent_factory=counting_factory)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("s")
        screen = app.screen
        path_input = screen.query_one("#model-path", Input)

        path_input.value = str(notes)
        path_input.focus()
        await pilot.press("enter")
        await until(pilot, lambda: any("not a GGUF model file" in n.message for n in app._notifications))
        assert config_module.load_config(home).model is None and len(loads) == 1
        assert path_input.value == ""  # a failed path is not sent again by the next enter or click

        path_input.value = str(mine)
        path_input.focus()
        await pilot.press("enter")
        await until(pilot, lambda: len(loads) == 2 and app.model_state == "ready", what="the model loaded again")
        assert config_module.load_config(home).model == str(mine)
        await until_shown(pilot, screen.query_one("#model-table"), str(mine))

        await click(pilot, "#use-bundled")
        await until(pilot, lambda: len(loads) == 3 and app.model_state == "ready")
        assert config_module.load_config(home).model is None


async def test_a_token_is_added_from_settings_checked_on_chain(home, wallet):
    owner = wallet.account("owner")
    address = tokens.deploy_demo_token(wallet.w3, owner, "EURC", 6)
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("s")
        screen = app.screen
        field = screen.query_one("#token-address", Input)
        field.value = DAVE  # an account, not a contract: refused, nothing kept
        field.focus()
        await pilot.press("enter")
        await until(pilot, lambda: any(f"no contract at {DAVE}" in n.message for n in app._notifications))
        field.value = address.lower()
        await pilot.press("enter")
        await until_shown(pilot, screen.query_one("#tokens-table"), "EURC", address)
        assert any(n.message.startswith(f"Added EURC {address} (6 decimals)") for n in app._notifications)
        assert field.value == ""
    assert [t.symbol for t in config_module.load_config(home).tokens] == ["USDC", "EURC"]
