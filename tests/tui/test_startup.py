"""Starting up: the first frame comes at once, the chain and the model connect behind it, and
neither a slow or broken model, nor a missing wallet, nor a dead node takes the app down."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace

from textual.widgets import Input

from agentwallet import config as config_module
from agentwallet.agent import ToolCall
from agentwallet.tui.app import AgentWalletApp
from agentwallet.tui.screens.agent import AgentScreen
from agentwallet.tui.screens.approval import ApprovalScreen
from agentwallet.tui.screens.prompt import PromptScreen
from agentwallet.tui.screens.setup import SetupScreen
from agentwallet.tui.screens.wallet import WalletScreen
from tests.conftest import ALICE, PASSPHRASE
from tests.tui.support import ScriptedAgent, painted, ready, scripted_app, until, until_shown


async def test_the_wallet_is_usable_while_the_model_is_still_loading(home):
    release = threading.Event()

    def slow_model(progress):
        progress(0.25)
        release.wait(30)
        return ScriptedAgent()

    app = AgentWalletApp(home, agent_factory=slow_model)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        assert isinstance(app.screen, WalletScreen)
        await until(pilot, lambda: app.screen.overview is not None, what="the wallet's balances")
        # the progress comes from the loading thread: it may land just after the balances do
        await until(pilot, lambda: app.model_progress == 0.25, what="the model's progress")
        assert app.model_state == "loading"
        await until_shown(pilot, app.screen.query_one("#balances"), "10 ETH")
        await until_shown(pilot, app.screen.query_one("ConnectionBar"), "model loading")
        release.set()
        await until(pilot, lambda: app.model_state == "ready")


async def test_the_chain_connects_once_the_model_has_imported_its_code_not_once_it_is_loaded(home):
    imported, release = threading.Event(), threading.Event()

    def slow_model(progress):
        imported.wait(30)  # the model's imports, held: its first progress report ends them
        progress(0.1)
        release.wait(30)  # its load, held: llama.cpp's work, which the chain does not wait for
        return ScriptedAgent()

    app = AgentWalletApp(home, agent_factory=slow_model)
    opening = app.session.open
    opened_after_the_imports: list[bool] = []

    async def open_observed(**options):
        opened_after_the_imports.append(imported.is_set())
        return await opening(**options)

    app.session.open = open_observed
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        assert app.chain_state == "connecting"  # its imports would share the GIL with the model's
        imported.set()
        await until(pilot, lambda: app.screen.overview is not None, what="the wallet's balances")
        assert app.model_state == "loading" and opened_after_the_imports == [True]
        release.set()
        await until(pilot, lambda: app.model_state == "ready")


async def test_a_request_sent_while_the_model_loads_waits_and_is_planned_once_it_is_ready(home):
    release = threading.Event()
    agent = ScriptedAgent({"hello": ToolCall("reply", {"text": "Hello there."}, "small talk")})

    def slow_model(progress):
        progress(0.4)
        release.wait(30)
        return agent

    app = AgentWalletApp(home, agent_factory=slow_model)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: app.model_progress == 0.4, what="the model's progress")
        await pilot.press("c", *"hello", "enter")
        chat = app.screen.query_one("#chat")
        await until_shown(pilot, chat, "hello", "waiting for the model to load (40%)")
        assert app.screen.query_one("#ask", Input).value == ""  # taken: nothing to send again
        assert agent.requests == [] and not app._notifications

        release.set()
        await until_shown(pilot, chat, "Hello there.")
        assert agent.requests == ["hello"]
        assert "waiting" not in painted(chat)


async def test_a_waiting_request_is_failed_with_the_reason_when_the_model_cannot_load(home):
    release = threading.Event()

    def broken_model(progress):
        release.wait(30)
        raise OSError("not a GGUF file")

    app = AgentWalletApp(home, agent_factory=broken_model)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: app.chain_state == "online", what="the chain")
        await pilot.press("c", *"hello", "enter")
        chat = app.screen.query_one("#chat")
        await until_shown(pilot, chat, "waiting for the model to load")
        release.set()
        shown = await until_shown(pilot, chat, "could not be loaded")
        assert "not a GGUF file" in shown.replace("\n", " ")
        said = sum("could not be loaded" in n.message for n in app._notifications)
        await pilot.press(*"again", "enter")  # with the model failed, a new request is refused at once
        await until(pilot, lambda: sum("could not be loaded" in n.message for n in app._notifications) > said)
        assert app.screen.query_one("#ask", Input).value == "again"


async def test_a_model_that_fails_to_load_is_a_notification_and_the_rest_still_works(home):
    def broken_model(progress):
        raise OSError("not a GGUF file")

    app = AgentWalletApp(home, agent_factory=broken_model)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: any("not a GGUF file" in n.message and n.severity == "warning"
                                       for n in app._notifications), what="the notification")
        assert app.model_state == "failed"
        await until(pilot, lambda: app.screen.overview is not None, what="the wallet's balances")
        await pilot.press("h", "l", "escape", "s", "escape", "w")  # Limits and Settings arrive in a field
        assert app.is_running and isinstance(app.screen, WalletScreen)


async def test_without_a_wallet_the_setup_screen_says_to_run_init_and_can_set_one_up(home, tmp_path):
    empty = tmp_path / "empty"
    (empty / "devnet").mkdir(parents=True)
    shutil.copy(home / "devnet" / "devnet.json", empty / "devnet")  # the shared devnet, not a new one
    app = scripted_app(empty, ScriptedAgent())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SetupScreen) and "agentwallet init" in painted(app.screen),
                    what="the set-up screen")
        await pilot.press("i")
        await until(pilot, lambda: app.chain_state == "online", timeout=60, what="the new wallet")
        await until(pilot, lambda: isinstance(app.screen, WalletScreen) and app.screen.overview is not None)
        await until_shown(pilot, app.screen.query_one("#balances"), "10 ETH")
    assert config_module.load_config(empty).guardrail


async def test_an_unreachable_node_is_a_notification_not_a_crash(home):
    config_module.update_config(home, lambda config: replace(config, network="http://127.0.0.1:9"))
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: any("cannot reach the node" in n.message and n.severity == "error"
                                       for n in app._notifications), what="the notification")
        assert app.chain_state == "offline"
        await pilot.press("h", "l", "p", "s", "c", *"hi", "enter")
        assert app.is_running


async def test_a_passphrase_is_asked_for_in_a_dialog_never_at_the_terminal(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    request = f"send 0.01 ETH to {ALICE}"
    agent = ScriptedAgent({request: ToolCall("send_native", {"to": ALICE, "amount_wei": str(10**16)}, "as asked")})
    app = scripted_app(home, agent)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("c", *request, "enter")
        await until(pilot, lambda: isinstance(app.screen, ApprovalScreen))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, PromptScreen), what="the passphrase dialog")
        await pilot.press(*PASSPHRASE, "enter")
        await until(pilot, lambda: isinstance(app.screen, AgentScreen) and not app.settling)
        card = app.screen.query("ProposalCard").last()
        assert card.query_one(".state").has_class("executed")


async def test_an_agent_without_gas_money_is_said_on_the_wallet_screen(home, wallet):
    wallet.w3.provider.make_request("anvil_setBalance", [wallet.agent_address, hex(10**14)])
    app = scripted_app(home, ScriptedAgent())
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        await until(pilot, lambda: screen.overview is not None, what="the wallet's balances")
        await until(pilot, lambda: "too little" in painted(screen.query_one("#gas")), what="the gas warning")
        assert wallet.agent_address in painted(screen.query_one("#gas")).replace("\n", "")
