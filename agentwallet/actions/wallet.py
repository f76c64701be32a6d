"""An opened wallet: config, keys, node, guardrail and journal, as the CLI and the TUI use them.

Everything above this layer (cli, tui) speaks to a Wallet; only chain/ speaks to the node.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agentwallet import config as config_module
from agentwallet.actions.journal import Journal
from agentwallet.chain.devnet import Devnet
from agentwallet.chain.events import KIND_CODES, STATUS_CODES
from agentwallet.chain.guardrail import Guardrail, Policy, TokenPolicy
from agentwallet.chain.networks import confirmations_needed
from agentwallet.chain.node import connect
from agentwallet.chain.registries import IdentityRegistry, ReputationRegistry
from agentwallet.chain.tokens import token_info
from agentwallet.config import Config, TokenEntry
from agentwallet.errors import WalletError
from agentwallet.keys import KeyStore
from agentwallet.units import ETH_DECIMALS, parse_address, short_address

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from web3 import Web3


@dataclass(frozen=True)
class Balance:
    symbol: str  # untrusted for tokens
    token: str | None  # None for ETH
    amount: int
    decimals: int


@dataclass(frozen=True)
class Limits:
    paused: bool
    native: Policy
    remaining_native: int
    tokens: tuple[tuple[TokenEntry, TokenPolicy, int], ...]  # entry, policy, remaining


def rpc_url_for(home: Path, config: Config, start_devnet: bool = True,
                progress: Callable[[str], None] | None = None) -> str:
    """The node's URL; on devnet the app's own anvil, started if it is not running (and said so)."""
    if not config.is_devnet:
        return config.network
    devnet = Devnet(home)
    process = devnet.running()
    if process is None and start_devnet:
        # Said, never silent: the owner who ran `devnet stop` learns the command started it again.
        if progress:
            progress("the devnet was not running: starting it again")
        process = devnet.start()
    if process is None:
        raise WalletError("the devnet is not running: run `agentwallet devnet start`")
    return process.rpc_url


# Below this the agent cannot pay for a send or a record() (about 70k gas at a few gwei):
# its signed transactions wait in the journal until it is funded.
LOW_AGENT_GAS = 10**15


class Wallet:
    def __init__(self, home: Path, config: Config, keys: KeyStore, w3: Web3, journal: Journal):
        self.home = home
        self.config = config
        self.keys = keys
        self.w3 = w3
        self.journal = journal
        if not config.guardrail:
            raise WalletError("no guardrail yet: run `agentwallet init`")
        self.guardrail = Guardrail(w3, config.guardrail)

    @classmethod
    def open(cls, home: Path | None = None, start_devnet: bool = True,
             prompt: Callable[[str], str] | None = None, progress: Callable[[str], None] | None = None) -> Wallet:
        """`prompt` asks for a keystore passphrase where neither the OS keyring nor
        AGENTWALLET_PASSPHRASE provides it (the TUI passes a dialog; None means getpass);
        `progress` hears of a devnet being started."""
        home = home or config_module.home_dir()
        config = config_module.load_config(home)
        if not config.guardrail:
            raise WalletError(config_module.NOT_SET_UP)
        w3 = connect(rpc_url_for(home, config, start_devnet, progress), config.chain_id)
        wallet = cls(home, config, KeyStore(home, prompt=prompt), w3, Journal(home / "journal.sqlite3"))
        if not wallet.guardrail.exists():
            raise WalletError(f"no guardrail contract at {config.guardrail} on this chain: "
                              "was the devnet state deleted? run `agentwallet init` again")
        return wallet

    def close(self) -> None:
        self.journal.close()

    @property
    def identity(self) -> IdentityRegistry:
        """The network's ERC-8004 identity registry, where agents find each other."""
        if not self.config.identity_registry:
            raise WalletError("no agent registry on this network: on devnet run `agentwallet agents deploy`; "
                              "elsewhere `agentwallet init --identity-registry ADDRESS --reputation-registry ADDRESS`")
        return IdentityRegistry(self.w3, self.config.identity_registry)

    @property
    def reputation(self) -> ReputationRegistry:
        self.identity  # noqa: B018 -- the same one-line error when neither is configured
        return ReputationRegistry(self.w3, str(self.config.reputation_registry))

    @property
    def rpc_url(self) -> str:
        return self.w3.provider.endpoint_uri

    @property
    def shown_rpc_url(self) -> str:
        """The node's URL as messages and screens may show it: no credentials (rpc_url.redacted)."""
        return self.w3.provider.rpc.shown

    @property
    def guardrail_address(self) -> str:
        return self.guardrail.address

    @property
    def guardrail_block(self) -> int | None:
        return self.config.guardrail_block

    @property
    def known_tokens(self) -> tuple[str, ...]:
        return tuple(token.address for token in self.config.tokens)

    @property
    def sells(self) -> bool:
        return self.config.serve is not None

    def rpc(self, method: str, params: list) -> object:
        return self.w3.provider.rpc(method, params)

    @property
    def confirmations(self) -> int:
        """Blocks built on an action's transaction before it counts as executed."""
        return confirmations_needed(self.config.chain_id or self.w3.eth.chain_id, self.config.confirmations)

    @property
    def owner_address(self) -> str:
        return self.config.owner or self.keys.address("owner")

    @property
    def agent_address(self) -> str:
        return self.config.agent or self.keys.address("agent")

    def address(self, role: str) -> str:
        return self.owner_address if role == "owner" else self.agent_address

    def account(self, role: str) -> LocalAccount:
        return self.keys.account(role)

    def update_config(self, change: Callable[[Config], Config]) -> Config:
        """Change the config on disk (as it is now, with what other processes wrote) and here."""
        self.config = config_module.update_config(self.home, change)
        return self.config

    # names and tokens

    def add_token(self, address: str) -> TokenEntry:
        """Know the ERC-20 token at `address` (checked on chain: its symbol and decimals), for
        `agentwallet tokens add` and the TUI's Settings alike. The agent can move it only once
        the owner sets a policy for it."""
        info = token_info(self.w3, parse_address(address.strip()))
        entry = TokenEntry(info.address, info.symbol, info.decimals)
        self.update_config(lambda config: config.with_token(entry))
        return entry

    def resolve_address(self, text: str) -> str:
        """A contact name or an address, as an EIP-55 address (Config.resolve_address)."""
        return self.config.resolve_address(text)

    def describe_address(self, address: str) -> str:
        for name, known in self.config.contacts.items():
            if known == address:
                return f"{name} {short_address(address)}"
        if address == self.owner_address:
            return f"your owner account {short_address(address)}"
        return address

    def token(self, text: str) -> TokenEntry:
        """A known token by symbol (case-insensitive) or address (Config.token)."""
        return self.config.token(text)

    def paid_before(self, address: str) -> bool:
        """Whether an executed transfer of this wallet paid `address`. A record() event is no
        payment: its target is the zero address (a limits change, a logged decision)."""
        row = self.journal.db.execute(
            "SELECT 1 FROM chain_events WHERE target = ? AND status = ? AND kind != ? LIMIT 1",
            (address, STATUS_CODES["executed"], KIND_CODES["record"])).fetchone()
        return row is not None

    # reads

    def balances(self) -> list[Balance]:
        from agentwallet.chain.tokens import balance_of

        vault = self.guardrail.address
        result = [Balance("ETH", None, self.w3.eth.get_balance(vault), ETH_DECIMALS)]
        for entry in self.config.tokens:
            held = balance_of(self.w3, entry.address, vault)
            result.append(Balance(entry.symbol, entry.address, held, entry.decimals))
        return result

    def agent_gas_balance(self) -> int:
        return self.w3.eth.get_balance(self.agent_address)

    def chain_time(self) -> int:
        """When the next action will be judged: the later of the latest block's timestamp (the
        clock the guardrail's windows and expiry run on) and this machine's clock (a devnet
        mines a block only when a transaction arrives, so its latest block can be old)."""
        return max(int(self.w3.eth.get_block("latest")["timestamp"]), int(time.time()))

    def limits(self) -> Limits:
        agent = self.agent_address
        tokens = tuple((entry, self.guardrail.token_policy(agent, entry.address),
                        self.guardrail.remaining_token(agent, entry.address)) for entry in self.config.tokens)
        return Limits(self.guardrail.paused(), self.guardrail.policy(agent),
                      self.guardrail.remaining_native(agent), tokens)
