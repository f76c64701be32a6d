"""The TUI's one door to the wallet: every service call it makes, run on the wallet thread.

Screens await these methods; they never see web3 or SQLite, and never block. Callbacks given
here (progress, streamed text) are called back on the event loop, so they may touch widgets.
The services are imported on the wallet thread, so the first paint does not wait for web3.

Errors come back as WalletError only: a user-facing one as it is, anything else (a bug, a
library exception) as "internal error (...)" chained to the original for the log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from agentwallet.errors import WalletError
from agentwallet.tui.wallet_thread import WalletThread

if TYPE_CHECKING:
    from agentwallet.actions.history import HistoryEntry
    from agentwallet.actions.pipeline import Outcome
    from agentwallet.actions.plan_review import PlanReview
    from agentwallet.actions.review import Review
    from agentwallet.actions.verification import MadeElsewhere, Mismatch
    from agentwallet.actions.wallet import Balance, Limits, Wallet
    from agentwallet.agents.directory import AgentEntry
    from agentwallet.config import TokenEntry
    from agentwallet.conversation import Turn
    from agentwallet.payments.pay import Payment, Quote
    from agentwallet.payments.serving import Serving

T = TypeVar("T")
Progress = Callable[[str], None]
Prompt = Callable[[str], str]

OWNER_RATIONALE = "requested by the owner in the TUI"


class NotSetUp(WalletError):
    """There is no wallet in this home yet: `agentwallet init` (or the set-up screen) makes one."""

    def __init__(self, home: Path):
        super().__init__(f"no wallet is set up in {home}: run `agentwallet init`")
        self.home = home


@dataclass(frozen=True)
class WalletInfo:
    """What the wallet is, as opposed to what it holds: read once, and again after edits."""
    home: Path
    network: str
    chain_id: int
    rpc_url: str
    guardrail: str
    owner: str
    agent: str
    keys_backend: str
    model: str | None  # a GGUF path from the config; None means the bundled model
    contacts: dict[str, str] = field(default_factory=dict)
    tokens: tuple[TokenEntry, ...] = ()

    def name_of(self, address: str | None) -> str | None:
        for name, known in self.contacts.items():
            if known == address:
                return name
        return None

    def token_unit(self, token: str | None) -> tuple[str, int]:
        """(symbol, decimals) of a token address; ETH for None. The symbol is untrusted."""
        if token is None:
            return "ETH", 18
        for entry in self.tokens:
            if entry.address == token:
                return entry.symbol, entry.decimals
        return token, 0


@dataclass(frozen=True)
class Spend:
    """ETH the agent moved out of the vault in one executed action."""
    timestamp: int
    amount: int


@dataclass(frozen=True)
class Overview:
    balances: tuple[Balance, ...]
    agent_gas: int
    limits: Limits
    spending: tuple[Spend, ...]  # every ETH spend the agent executed, newest first
    agent_gas_low: bool = False  # too little for the agent to send anything
    made_elsewhere: tuple[MadeElsewhere, ...] = ()  # actions of the wallet's keys it never made, newest first
    serving: Serving | None = None  # what a running `agentwallet serve` of this wallet says of itself


@dataclass(frozen=True)
class Directory:
    """The agents of the network's ERC-8004 registry, this wallet's own among them."""
    agents: tuple[AgentEntry, ...]  # by id
    own: int | None  # this wallet's agent, if it published a card
    registry: str | None  # the identity registry's address; None: the network has none
    vault: str  # where this wallet's agent is paid

    @property
    def own_entry(self) -> AgentEntry | None:
        return next((entry for entry in self.agents if entry.agent_id == self.own), None)


class WalletSession:
    def __init__(self, home: Path | None = None, prompt: Prompt | None = None):
        """`prompt` asks for a key's passphrase; it is called on the wallet thread and blocks it."""
        self.home = home
        self.prompt = prompt
        self._thread = WalletThread()
        self._wallet: Wallet | None = None

    @property
    def is_open(self) -> bool:
        return self._wallet is not None

    # opening and closing

    async def open(self, progress: Progress) -> tuple[WalletInfo, list[Outcome]]:
        """Start or reach the chain, open the wallet, finish what a crash interrupted."""
        return await self._run(self._open, _on_loop(progress))

    def _open(self, progress: Progress) -> tuple[WalletInfo, list[Outcome]]:
        from agentwallet import config as config_module

        home = self.home or config_module.home_dir()
        config = config_module.load_config(home)
        if not config.guardrail:
            raise NotSetUp(home)
        progress("connecting to the devnet" if config.is_devnet else f"connecting to {config.shown_network}")
        from agentwallet.actions import pipeline
        from agentwallet.actions.wallet import Wallet

        if self._wallet is not None:
            self._wallet.close()
            self._wallet = None
        # The TUI owns the terminal: a passphrase is asked for in a dialog, never by getpass.
        wallet = Wallet.open(home, prompt=self.prompt, progress=progress)
        self._wallet = wallet
        progress("finishing interrupted actions")
        recovered = pipeline.reconcile(wallet)
        return self._info(), recovered

    async def initialize(self, progress: Progress) -> None:
        """`agentwallet init` on devnet: keys, the guardrail, funds and the demo token."""
        await self._run(self._initialize, _on_loop(progress))

    def _initialize(self, progress: Progress) -> None:
        from agentwallet import config as config_module
        from agentwallet.actions.setup import initialize

        initialize(self.home or config_module.home_dir(), progress=progress, prompt=self.prompt)

    def close(self) -> None:
        """Close the wallet on its own thread once the calls already queued are done."""
        def close_wallet() -> None:
            if self._wallet is not None:
                self._wallet.close()
                self._wallet = None

        self._thread.stop(close_wallet)

    # reads

    async def info(self) -> WalletInfo:
        return await self._run(self._info)

    def _info(self) -> WalletInfo:
        wallet = self._require()
        c = wallet.config
        return WalletInfo(
            home=wallet.home, network=c.shown_network, chain_id=c.chain_id or 0, rpc_url=wallet.shown_rpc_url,
            guardrail=wallet.guardrail.address, owner=wallet.owner_address, agent=wallet.agent_address,
            keys_backend=wallet.keys.backend, model=c.model, contacts=dict(c.contacts), tokens=c.tokens,
        )

    async def overview(self) -> Overview:
        return await self._run(self._overview)

    def _overview(self) -> Overview:
        from agentwallet.actions.history import agent_native_spending
        from agentwallet.actions.verification import made_elsewhere
        from agentwallet.actions.wallet import LOW_AGENT_GAS
        from agentwallet.payments import serving

        wallet = self._require()
        spending = tuple(Spend(moment, wei) for moment, wei in agent_native_spending(wallet))
        gas = wallet.agent_gas_balance()
        return Overview(tuple(wallet.balances()), gas, wallet.limits(), spending, gas < LOW_AGENT_GAS,
                        tuple(made_elsewhere(wallet)), serving.read(wallet.home))

    async def limits(self) -> Limits:
        return await self._run(lambda: self._require().limits())

    async def history(self) -> list[HistoryEntry]:
        return await self._run(lambda: _history(self._require()))

    async def verify(self) -> tuple[int, list[Mismatch]]:
        """How many logged actions were checked against the chain, and those that do not match."""
        def verify() -> tuple[int, list[Mismatch]]:
            from agentwallet.actions.verification import verify as verify_journal

            return verify_journal(self._require())

        return await self._run(verify)

    # the agent's turn and the user's decision

    async def take_turn(self, agent: Any, request: str, stream: Callable[[str], None],
                        progress: Progress) -> Turn:
        """The agent plans; a read is answered with a fact, an action comes back as a Review."""
        stream, progress = _on_loop(stream), _on_loop(progress)

        def turn() -> Turn:
            from agentwallet.conversation import take_turn

            return take_turn(agent, self._require(), request, stream=stream, progress=progress)

        return await self._run(turn)

    async def settle(self, review: Review, approved: bool, progress: Progress) -> Outcome:
        """Carry out the user's decision and log it on chain."""
        progress = _on_loop(progress)

        def settle() -> Outcome:
            from agentwallet.actions import pipeline

            return pipeline.settle(self._require(), review, approved, progress)

        return await self._run(settle)

    async def settle_plan(self, review: PlanReview, approved: list[bool], progress: Progress,
                          settled: Callable[[Outcome], None]) -> list[Outcome]:
        """Carry out the user's decision on a plan, one per step; `settled` hears of each step's
        outcome as it is known."""
        progress, settled = _on_loop(progress), _on_loop(settled)

        def settle() -> list[Outcome]:
            from agentwallet.actions import pipeline

            return pipeline.settle_plan(self._require(), review, approved, progress, settled)

        return await self._run(settle)

    async def replace_transaction(self, action_id: str, kind: str, progress: Progress) -> Outcome:
        """Speed up (kind "speedup") or cancel an action sent and not mined (actions/stuck.py)."""
        progress = _on_loop(progress)

        def replace() -> Outcome:
            from agentwallet.actions import stuck

            replace_with = stuck.speed_up if kind == "speedup" else stuck.cancel
            return replace_with(self._require(), action_id, progress)

        return await self._run(replace)

    async def change_policy(self, tool: str, args: dict[str, object], request: str,
                            progress: Progress) -> Outcome:
        """A change the owner asked for and confirmed: through the pipeline, signed by the owner."""
        return await self._run(self._change_policy, tool, args, request, _on_loop(progress))

    def _change_policy(self, tool: str, args: dict[str, object], request: str, progress: Progress) -> Outcome:
        from agentwallet.actions import pipeline

        wallet = self._require()
        return pipeline.settle(wallet, _owner_review(wallet, tool, args, request, progress), True, progress)

    # other agents (ERC-8004), and this wallet's card

    async def agents(self) -> Directory:
        return await self._run(self._agents)

    def _agents(self) -> Directory:
        from agentwallet.actions.registrations import own_agent, raters
        from agentwallet.agents.directory import list_agents
        from agentwallet.config import cache_dir

        wallet = self._require()
        if not wallet.config.identity_registry:
            return Directory((), None, None, wallet.guardrail.address)
        entries = list_agents(wallet.identity, wallet.reputation, wallet.rpc, raters(wallet),
                              cache_dir=cache_dir(wallet.home))
        return Directory(tuple(entries), own_agent(wallet), wallet.identity.address, wallet.guardrail.address)

    async def agent(self, agent_id: int) -> AgentEntry:
        """One agent as the registry says it is now, its card fetched wherever it is served."""
        def show() -> AgentEntry:
            from agentwallet.actions.registrations import raters
            from agentwallet.agents.directory import show_agent

            wallet = self._require()
            return show_agent(wallet.identity, wallet.reputation, agent_id, raters(wallet))

        return await self._run(show)

    async def propose_card(self, name: str, description: str, skills: tuple[str, ...], endpoint: str,
                           progress: Progress) -> Review:
        """This wallet's card, published or updated: an owner action, reviewed for approval."""
        def propose(progress: Progress) -> Review:
            from agentwallet.actions.registrations import card_uri

            wallet = self._require()
            uri = card_uri(wallet, name.strip() or None, description.strip() or None, skills or None,
                           endpoint.strip() or None)
            return _owner_review(wallet, "publish_card", {"agent_uri": uri}, _card_request(name, skills), progress)

        return await self._run(propose, _on_loop(progress))

    async def propose_agent_wallet(self, progress: Progress) -> Review | None:
        """The vault made this wallet's agent's wallet, reviewed for approval; None when it is already."""
        def propose(progress: Progress) -> Review | None:
            from agentwallet.actions.registrations import wallet_to_prove

            wallet = self._require()
            agent_id = wallet_to_prove(wallet)
            if agent_id is None:
                return None
            return _owner_review(wallet, "set_agent_wallet", {"agent_id": str(agent_id)},
                                      f"make the vault agent #{agent_id}'s wallet", progress)

        return await self._run(propose, _on_loop(progress))

    # paying another agent's skill (x402): the quote is decided on between the two calls

    async def ask_agent(self, agent_id: int, question: str, progress: Progress) -> Quote | Payment:
        """Ask agent #`agent_id`'s paid skill `question`: a Quote whose Review the person decides
        on, or the Payment it already is (free: it asked nothing; refused: a price not paid)."""
        def ask(progress: Progress) -> Quote | Payment:
            from agentwallet.payments.asking import skill_url
            from agentwallet.payments.pay import quote

            wallet = self._require()
            url = skill_url(wallet, agent_id, question)
            return quote(wallet, url, None, progress, request=f"ask agent #{agent_id}: {' '.join(question.split())}")

        return await self._run(ask, _on_loop(progress))

    async def complete_payment(self, quoted: Quote, approved: bool, progress: Progress) -> Payment:
        """Carry out the decision on a Quote (logged on chain); approved, pay and get the answer."""
        def complete(progress: Progress) -> Payment:
            from agentwallet.payments.pay import complete as complete_quote

            return complete_quote(self._require(), quoted, approved, progress)

        return await self._run(complete, _on_loop(progress))

    # settings

    async def add_contact(self, name: str, address: str) -> WalletInfo:
        def add() -> WalletInfo:
            self._require().update_config(lambda config: config.with_new_contact(name, address))
            return self._info()

        return await self._run(add)

    async def add_token(self, address: str) -> tuple[WalletInfo, TokenEntry]:
        """Know the ERC-20 token at `address`, as `agentwallet tokens add` does."""
        def add() -> tuple[WalletInfo, TokenEntry]:
            entry = self._require().add_token(address)
            return self._info(), entry

        return await self._run(add)

    async def remove_contact(self, name: str) -> WalletInfo:
        def remove() -> WalletInfo:
            self._require().update_config(lambda config: config.without_contact(name))
            return self._info()

        return await self._run(remove)

    async def use_model(self, path: str | None) -> WalletInfo:
        """Keep `path` (a GGUF file, checked) or the bundled model (None) as the wallet's model."""
        def use() -> WalletInfo:
            from agentwallet import models

            setting = None if path is None else models.model_setting(Path(path))
            self._require().update_config(lambda config: replace(config, model=setting))
            return self._info()

        return await self._run(use)

    async def export_keystore(self, role: str, destination: Path) -> Path:
        return await self._run(lambda: self._require().keys.export_keystore(role, destination))

    async def export_history(self, entries: list[HistoryEntry], kind: str, now: float) -> Path:
        """Write the entries as CSV or JSON under the data dir's exports/; the file's path."""
        def export() -> Path:
            from agentwallet.actions.export import write_history

            wallet = self._require()
            return write_history(wallet.home / "exports", entries, kind, now, wallet.owner_address,
                                 wallet.agent_address)

        return await self._run(export)

    # plumbing

    def _require(self) -> Wallet:
        if self._wallet is None:
            raise WalletError("the wallet is not open yet")
        return self._wallet

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        def guarded() -> T:
            try:
                return call(*args)
            except WalletError:
                raise
            except Exception as exc:
                raise WalletError(f"internal error ({type(exc).__name__}): {exc}") from exc

        return await self._thread.run(guarded)


def _owner_review(wallet: Wallet, tool: str, args: dict[str, object], request: str, progress: Progress) -> Review:
    """An owner's change proposed through the pipeline: journaled, simulated, reviewed, not yet decided."""
    from agentwallet.actions import pipeline
    from agentwallet.actions.arguments import normalise_arguments
    from agentwallet.actions.proposal import Proposal

    proposal = Proposal(tool=tool, args=normalise_arguments(wallet, tool, args), rationale=OWNER_RATIONALE,
                        request=request, chain_id=wallet.config.chain_id, guardrail=wallet.guardrail.address,
                        command=True)
    return pipeline.propose(wallet, proposal, progress)


def _card_request(name: str, skills: tuple[str, ...]) -> str:
    """What the journal keeps as the owner's request: what was typed, in the command line's words."""
    said = f"agents publish --name {name.strip()!r}" if name.strip() else "agents publish"
    return said + "".join(f" --skill {skill!r}" for skill in skills)


def _history(wallet: Wallet) -> list[HistoryEntry]:
    from agentwallet.actions.history import history

    return history(wallet)


def _on_loop(callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """`callback`, made callable from the wallet thread: it runs on the event loop."""
    loop = asyncio.get_running_loop()

    def call_soon(value: Any) -> None:
        loop.call_soon_threadsafe(callback, value)

    return call_soon
