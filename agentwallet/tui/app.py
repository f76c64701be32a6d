"""The agentwallet TUI: the screens as modes, the keys, and the two background connections.

The first frame is painted before anything slow starts: the chain (on the wallet session's own
thread, see wallet_thread.py) and the model (in a thread worker) connect afterwards, each with
its progress in the connection bar. Either may fail; the rest of the app keeps working and the
failure is shown as a notification, never as a crash.
"""

from __future__ import annotations

import asyncio
import threading
import time
import traceback
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from contextlib import asynccontextmanager
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import get_current_worker

from agentwallet.display import literal
from agentwallet.errors import WalletError
from agentwallet.tui.commands import WalletCommands
from agentwallet.tui.notices import outcome_notice
from agentwallet.tui.screens.wallet import WalletScreen
from agentwallet.tui.session import NotSetUp, WalletInfo, WalletSession

if TYPE_CHECKING:
    from agentwallet.actions.pipeline import Outcome
    from agentwallet.actions.wallet import Limits
    from agentwallet.tui.policy_change import PolicyChange

AgentFactory = Callable[[Callable[[float], None]], Any]
MODEL_POLL_SECONDS = 0.1
MODEL_HEAD_START = 2.0  # seconds the chain waits at most for the model's imports (see connect)


def _on_first_visit(module: str, name: str) -> Callable[[], Screen]:
    """A screen whose code is imported when it is first shown.

    The first frame has half a second, and Textual itself takes half of that: so only the Wallet
    screen's code is imported up front, and the other screens, dialogs and services (inputs,
    tables, the pipeline, web3) where they are first used.
    """
    return lambda: getattr(import_module(f"agentwallet.tui.screens.{module}"), name)()


def load_agent(home: Path | None, progress: Callable[[float], None]) -> Any:
    """The configured model (or the bundled one), loaded with its progress reported."""
    from agentwallet import config as config_module
    from agentwallet.agent import load_configured_agent

    home = home or config_module.home_dir()
    return load_configured_agent(home, config_module.load_config(home), progress)


class AgentWalletApp(App[int]):
    TITLE = "agentwallet"
    # Every screen's styles, each file beside its screen, loaded once here: a screen that brings its
    # own CSS_PATH makes Textual re-parse the whole stylesheet on its first visit (a third of a
    # second, each time a screen or the Approval modal first opens).
    CSS_PATH = ["app.tcss", "widgets/widgets.tcss", *(f"screens/{name}.tcss" for name in (
        "wallet", "agent", "approval", "limits", "history", "agents", "settings", "setup", "modal"))]
    MODES = {
        "wallet": WalletScreen,
        "agent": _on_first_visit("agent", "AgentScreen"),
        "limits": _on_first_visit("limits", "LimitsScreen"),
        "history": _on_first_visit("history", "HistoryScreen"),
        "agents": _on_first_visit("agents", "AgentsScreen"),
        "settings": _on_first_visit("settings", "SettingsScreen"),
    }
    DEFAULT_MODE = "wallet"
    COMMANDS = App.COMMANDS | {WalletCommands}
    # The footer lists a screen's own keys, then these in this order, and cuts what does not fit:
    # at 80 columns the screen keys go first, never p, ? or q.
    BINDINGS = [
        # one key, two actions: the footer says what p will do (check_action shows one of them)
        Binding("p", "toggle_pause('pause')", "Pause"),
        Binding("p", "toggle_pause('resume')", "Resume"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("w", "show('wallet')", "Wallet"),
        Binding("c", "chat", "Chat"),
        Binding("l", "show('limits')", "Limits"),
        Binding("h", "show('history')", "History"),
        Binding("a", "show('agents')", "Agents"),
        Binding("s", "show('settings')", "Settings"),
    ]

    chain_state = reactive("connecting")  # connecting | online | offline | not set up
    chain_text = reactive("loading…")
    activity = reactive("")  # what the owner's key is doing now, if anything
    model_state = reactive("loading")  # loading | ready | failed
    model_progress = reactive(0.0)
    wallet_info: reactive[WalletInfo | None] = reactive(None)
    revision = reactive(0)  # bumped whenever the chain may have changed: screens reload
    agent_paused = reactive(False, bindings=True)  # as last read from the chain (saw_limits)

    def __init__(self, home: Path | None = None, *, session: WalletSession | None = None,
                 agent_factory: AgentFactory | None = None, clock: Callable[[], float] = time.time):
        """`session`, `agent_factory` and `clock` are for tests: fixed data, a stand-in agent, a fixed now."""
        super().__init__()
        self.session = session if session is not None else WalletSession(home, prompt=self.ask_passphrase)
        self.agent_factory = agent_factory or partial(load_agent, home)
        self.clock = clock
        self.agent: Any = None
        self.model_error = ""
        self._model_imported = threading.Event()  # its loader reported progress, or ended
        self.settling = 0  # decisions being carried out right now

    def on_mount(self) -> None:
        self.call_after_refresh(self._connect_all)

    def _connect_all(self) -> None:
        self.load_model()
        self.connect()

    def on_unmount(self) -> None:
        self.session.close()

    # the chain

    @work(exclusive=True, group="connect")
    async def connect(self) -> None:
        self.chain_state, self.chain_text = "connecting", "connecting…"
        # The chain's imports (web3, eth-account) and the model's (llama.cpp, numpy) are Python
        # and share the GIL: side by side, the model is ready seconds later. So the chain lets the
        # model import first; from its first progress on, the model's work is llama.cpp's, which
        # lets go of the GIL and runs beside the chain's (issue 11: the model ready in 2 s).
        await asyncio.to_thread(self._model_imported.wait, MODEL_HEAD_START)
        try:
            info, recovered = await self.session.open(progress=partial(setattr, self, "chain_text"))
        except NotSetUp as missing:
            from agentwallet.tui.screens.setup import SetupScreen

            self.chain_state, self.chain_text = "not set up", "no wallet set up yet"
            if await self.push_screen_wait(SetupScreen(missing.home)):
                self.call_later(self.connect)
            return
        except WalletError as error:
            self.chain_state, self.chain_text = "offline", error.for_tui
            self.report(error)
            return
        self.chain_state, self.chain_text = "online", f"{info.network} · chain {info.chain_id}"
        self.wallet_info = info
        self.revision += 1
        for outcome in recovered:
            self.notify_outcome(outcome, "an action interrupted when the wallet last closed",
                                title="Finished an interrupted action")

    def ask_passphrase(self, question: str) -> str:
        """The key store's prompt: called on the wallet thread, it waits for the dialog's answer."""
        from agentwallet.tui.screens.prompt import PromptScreen

        answer: Future[str | None] = Future()
        self.call_from_thread(self.push_screen, PromptScreen(question, password=True), answer.set_result)
        passphrase = answer.result()
        if passphrase is None:
            raise WalletError("no passphrase given: nothing was signed")
        return passphrase

    # the model

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def load_model(self) -> None:
        """Load the model in the background, its progress on the connection bar.

        llama.cpp cannot be interrupted, and Textual joins its worker threads when the app exits;
        so the load runs on a daemon thread that this worker watches. Quitting cancels the worker
        at once, and the process never waits for a model nobody will use.
        """
        worker = get_current_worker()
        self.call_from_thread(self._model_loading)
        loaded: Future[Any] = Future()
        fraction = [0.0]  # written by the loading thread, published by this worker

        def load() -> None:
            def progress(done: float) -> None:
                fraction[0] = min(max(float(done), 0.0), 1.0)
                self._model_imported.set()

            try:
                loaded.set_result(self.agent_factory(progress))
            except BaseException as error:  # handed to the worker, which reports it
                loaded.set_exception(error)
            finally:
                self._model_imported.set()

        threading.Thread(target=load, name="agentwallet-model", daemon=True).start()
        while not worker.is_cancelled:
            try:
                agent = loaded.result(timeout=MODEL_POLL_SECONDS)
            except TimeoutError:
                if fraction[0] != self.model_progress:
                    self.call_from_thread(setattr, self, "model_progress", fraction[0])
                continue
            except Exception as error:  # whatever stops the model, the wallet must keep working
                self.call_from_thread(self._model_failed, error)
                return
            self.call_from_thread(self._model_ready, agent)
            return

    def _model_loading(self) -> None:
        self.agent, self.model_progress, self.model_state = None, 0.0, "loading"

    def _model_ready(self, agent: Any) -> None:
        self.agent, self.model_progress, self.model_state = agent, 1.0, "ready"

    def _model_failed(self, error: Exception) -> None:
        self.model_error = f"{type(error).__name__}: {error}"
        self.model_state = "failed"
        self.notify(literal(f"The model could not be loaded ({self.model_error}). Wallet, limits and history "
                            "still work; reload it from ctrl+p."), title="Model", severity="warning",
                    markup=False, timeout=10)

    def agent_problem(self) -> str | None:
        """Why a request cannot be planned, now or by waiting, if it cannot."""
        if self.chain_state in ("offline", "not set up"):
            return "Not connected to the chain: the agent needs the wallet to plan; reconnect from ctrl+p."
        if self.model_state == "failed":
            return literal(f"The model could not be loaded ({self.model_error}); reload it from ctrl+p.")
        return None

    def agent_pending(self) -> str | None:
        """What a request sent now waits for before it is planned, if anything."""
        if self.model_state == "loading":
            return f"waiting for the model to load ({self.model_progress:.0%})"
        if not self.session.is_open:
            return "waiting for the chain"
        return None

    async def ready_agent(self, waiting: Callable[[str], None]) -> Any:
        """The agent, once the model and the chain are ready: a request sent before then waits
        here, and `waiting` is told what for. WalletError if either fails meanwhile."""
        while (pending := self.agent_pending()) is not None and self.agent_problem() is None:
            waiting(pending)
            await asyncio.sleep(MODEL_POLL_SECONDS)
        problem = self.agent_problem()
        if problem:
            raise WalletError(problem)
        return self.agent

    # telling the user

    def report(self, error: BaseException) -> None:
        """An error as a notification; an internal one also goes to the log with its cause."""
        if error.__cause__ is not None:
            self.log.error("".join(traceback.format_exception(error.__cause__)))
        said = error.for_tui if isinstance(error, WalletError) else str(error)  # never a command to run
        self.notify(literal(said), title="Error", severity="error", markup=False, timeout=10)

    def notify_outcome(self, outcome: Outcome, what: str, done: str = "", title: str = "") -> None:
        """What became of an action, in words (see notices.py); `what` it does, `done` an owner
        change's own words once executed."""
        notice = outcome_notice(outcome, what, done)
        self.notify(notice.message, title=title, severity=notice.severity, markup=False)

    # keys and commands

    async def action_show(self, mode: str) -> None:
        await self.switch_mode(mode)

    async def action_chat(self) -> None:
        from agentwallet.tui.screens.agent import AgentScreen

        await self.switch_mode("agent")
        if isinstance(self.screen, AgentScreen):
            self.screen.focus_input()

    def action_help(self) -> None:
        from agentwallet.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_pause" and parameters:
            return (parameters[0] == "resume") == self.agent_paused
        if action == "show" and parameters:
            return parameters[0] != self.current_mode  # its own key, on its own screen, is of no use
        return True

    def saw_limits(self, limits: Limits) -> None:
        """The screens tell the app each policy they read: the footer's p says Pause or Resume."""
        self.agent_paused = limits.paused

    def action_toggle_pause(self, want: str | None = None) -> None:
        self.toggle_pause(want)

    @work(exclusive=True, group="pause")
    async def toggle_pause(self, want: str | None = None) -> None:
        """Pause or resume the agent, as `want` says (or the other way round from now)."""
        from agentwallet.tui.policy_change import pause_change

        if not self.session.is_open:
            self.notify("Not connected to the chain yet.", severity="warning", markup=False)
            return
        try:
            limits = await self.session.limits()
        except WalletError as error:
            self.report(error)
            return
        self.saw_limits(limits)
        if want is not None and (want == "pause") == limits.paused:
            self.notify(f"The agent is already {'paused' if limits.paused else 'active'}.", markup=False)
            return
        outcome = await self.apply_change(pause_change(limits.paused))
        if outcome is not None and outcome.state == "executed":
            self.agent_paused = not limits.paused  # p says the other now, before the screens read it again

    # decisions being carried out

    @asynccontextmanager
    async def sending(self, what: str) -> AsyncIterator[Callable[[str], None]]:
        """While a decision is carried out: quitting asks first, the connection bar shows its
        steps (through the callback this yields), and the screens reload when it is over."""
        self.settling += 1
        self.activity = f"{what}: starting"

        def step(text: str) -> None:
            self.activity = f"{what}: {text}"

        try:
            yield step
        finally:
            self.settling -= 1
            self.activity = ""
            self.revision += 1

    async def apply_change(self, change: PolicyChange) -> Outcome | None:
        """Confirm an owner's change, then send it, signed by the owner. Call from a worker;
        None if it was not sent."""
        from agentwallet.tui.screens.confirm import ConfirmScreen

        if not await self.push_screen_wait(ConfirmScreen(change.title, change.lines, change.confirm)):
            return None
        try:
            async with self.sending(change.tool) as progress:
                outcome = await self.session.change_policy(change.tool, change.args, change.request, progress)
        except WalletError as error:
            self.report(error)
            return None
        self.notify_outcome(outcome, change.what, change.done)
        return outcome

    async def action_export_history(self, kind: str) -> None:
        from agentwallet.tui.screens.history import HistoryScreen

        await self.switch_mode("history")
        if isinstance(self.screen, HistoryScreen):
            self.screen.export(kind)

    async def action_publish_card(self) -> None:
        from agentwallet.tui.screens.agents import AgentsScreen

        await self.switch_mode("agents")
        if isinstance(self.screen, AgentsScreen):
            self.screen.publish()

    async def action_limits_form(self, selector: str) -> None:
        await self._focus_on("limits", selector)

    async def action_settings_field(self, selector: str) -> None:
        await self._focus_on("settings", selector)

    async def _focus_on(self, mode: str, selector: str) -> None:
        await self.switch_mode(mode)
        widget = self.screen.query_one(selector)
        widget.focus()
        widget.scroll_visible(animate=False)

    async def action_export_keystore(self, role: str) -> None:
        from agentwallet.tui.screens.settings import SettingsScreen

        await self.switch_mode("settings")
        if isinstance(self.screen, SettingsScreen):
            self.screen.export_keystore(role)

    def action_verify(self) -> None:
        self.verify()

    @work(exclusive=True, group="verify")
    async def verify(self) -> None:
        """`agentwallet verify`: each logged action of the journal against the chain's hash."""
        if not self.session.is_open:
            self.notify("Not connected to the chain yet.", severity="warning", markup=False)
            return
        try:
            checked, problems = await self.session.verify()
        except WalletError as error:
            self.report(error)
            return
        if not problems:
            self.notify(f"{checked} actions checked: each matches the chain.", title="Verified", markup=False)
            return
        lines = "\n".join(f"{problem.action_id[:10]}…: {problem.problem}" for problem in problems[:5])
        more = f"\n… and {len(problems) - 5} more (agentwallet verify lists them all)" if len(problems) > 5 else ""
        self.notify(f"{checked} actions checked, {len(problems)} do not match the chain:\n{lines}{more}",
                    title="Verify", severity="error", markup=False, timeout=20)

    def action_reconnect(self) -> None:
        self.connect()

    def action_reload_model(self) -> None:
        self.load_model()

    def action_quit(self) -> None:
        self.quit_when_safe()

    @work(exclusive=True, group="quit")
    async def quit_when_safe(self) -> None:
        from agentwallet.tui.screens.confirm import ConfirmScreen

        if self.settling and not await self.push_screen_wait(ConfirmScreen(
                "Quit while an approved action is being sent?",
                ["It is in the journal: it will be finished the next time you open the wallet (a paid "
                 "question's answer, the next time the same question is asked: it is not paid twice)."], "Quit")):
            return
        self.exit(0)


def run() -> int:
    """`agentwallet` with no arguments: the TUI until the user quits; the process's exit code."""
    app = AgentWalletApp()
    result = app.run()
    return result if result is not None else app.return_code or 0
