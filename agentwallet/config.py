"""Where the wallet keeps its files, and the one TOML file a user may edit.

`AGENTWALLET_HOME=DIR` puts everything under DIR; otherwise the platform's user data dir.
The config holds the network, the deployed addresses (the guardrail, and the ERC-8004 agent
registries of the network), contacts, known tokens, the raters trusted for other agents'
reputation, and the model.

Every value is checked when the file is read, so nothing past `load_config` sees a bad one: a
value that is wrong is a one-line error naming its key and how to fix it. The file is written
by a TOML library, read back and checked the same way before it replaces the old one, so
whatever text the chain or the user gives, the config stays a file the wallet can read. Writes
go through `update_config`, which holds a lock from reading to writing, so changes made at
once by several processes (the TUI and a script) are all kept.
"""

from __future__ import annotations

import fcntl
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs
import tomli_w

from agentwallet.errors import WalletError
from agentwallet.private_files import private_dir, tighten, write_atomically
from agentwallet.rpc_url import redacted
from agentwallet.units import MAX_TOKEN_DECIMALS, parse_address

DEVNET = "devnet"
DEVNET_CHAIN_ID = 31337
CONTACT_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
CONTACT_NAME_RULE = "lowercase letters, digits, - and _ (up to 32), starting with a letter"
NOT_SET_UP = "this wallet is not set up: run `agentwallet init`"
HEADER = "# agentwallet settings. Edit network or model by hand; the rest is kept by the app.\n\n"


def parse_contact_name(text: str) -> str:
    if not CONTACT_NAME.fullmatch(text):
        raise WalletError(f"a contact name is {CONTACT_NAME_RULE}: {text!r}")
    return text


def contact_hint(text: str, in_tui: bool = False) -> str:
    """How to make `text` payable, for an error about a recipient the wallet does not know: with
    the command that does it, or `in_tui` with the screen."""
    if CONTACT_NAME.fullmatch(text):
        how = "in Settings (s)" if in_tui else f"with `agentwallet contacts add {text} 0x…`"
        return f"add it {how}, or give the 0x address"
    ens = " (ENS names are not supported)" if "." in text else ""
    how = " in Settings (s), its name" if in_tui else ": `agentwallet contacts add NAME 0x…`, NAME"
    return f"give the 0x address{ens}, or save it as a contact first{how} being {CONTACT_NAME_RULE}"


def shown_network(network: str) -> str:
    """The network as messages and screens may show it: an RPC URL without its credentials."""
    return network if network == DEVNET else redacted(network)


def home_dir() -> Path:
    explicit = os.environ.get("AGENTWALLET_HOME")
    return private_dir(Path(explicit) if explicit else Path(platformdirs.user_data_dir("agentwallet")))


def cache_dir(home: Path) -> Path:
    """What the wallet can make again when it is gone (the model's reading of its prompts)."""
    return home / "cache"


@dataclass(frozen=True)
class TokenEntry:
    address: str
    symbol: str  # untrusted: read from the token contract
    decimals: int


@dataclass(frozen=True)
class ServeSettings:
    """What `serve` sells the skill at, and where: kept by `serve`, advertised by `agents publish`."""

    port: int
    token: str  # the address of a known token
    amount: int  # base units of it per answer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/ask"


@dataclass(frozen=True)
class Config:
    network: str = DEVNET  # "devnet" or an RPC URL
    chain_id: int | None = None
    guardrail: str | None = None
    guardrail_block: int | None = None  # where the vault was deployed: history starts there
    owner: str | None = None
    agent: str | None = None
    model: str | None = None  # a GGUF path; None means the bundled model
    gpu_layers: int = 0  # the model's layers to put on a GPU (-1: all); 0 runs on the CPU
    contacts: dict[str, str] = field(default_factory=dict)
    tokens: tuple[TokenEntry, ...] = ()
    identity_registry: str | None = None  # ERC-8004's, where agents find each other (docs/cli.md)
    reputation_registry: str | None = None
    trusted_raters: tuple[str, ...] = ()  # whose ratings count, besides the owner's own
    serve: ServeSettings | None = None
    confirmations: int | None = None  # blocks on top before an action is executed; None: the chain's own

    @property
    def is_devnet(self) -> bool:
        return self.network == DEVNET

    @property
    def shown_network(self) -> str:
        return shown_network(self.network)

    def resolve_address(self, text: str) -> str:
        """A contact name or an address, as an EIP-55 address."""
        if text in self.contacts:
            return self.contacts[text]
        if text.startswith("0x"):
            return parse_address(text)
        raise WalletError(f"unknown contact {text!r}: {contact_hint(text)}",
                          in_tui=f"unknown contact {text!r}: {contact_hint(text, in_tui=True)}")

    def token(self, text: str) -> TokenEntry:
        """A known token by symbol (case-insensitive) or address."""
        if text.startswith("0x"):
            address = parse_address(text)
            for entry in self.tokens:
                if entry.address == address:
                    return entry
            raise WalletError(f"unknown token {address}: add it with `agentwallet tokens add {address}`",
                              in_tui=f"unknown token {address}: add it in Settings (s)")
        matches = [t for t in self.tokens if t.symbol.lower() == text.lower()]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise WalletError(f"several tokens are called {text!r}: use the address")
        raise WalletError(f"unknown token {text!r}: `agentwallet tokens list` shows the known ones",
                          in_tui=f"unknown token {text!r}: Settings (s) lists the known ones, and adds one")

    def with_new_contact(self, name: str, address: str) -> Config:
        """A new contact: a name no contact has yet, for an address no contact has yet (one
        name per address, so a payment's recipient is always shown by the one name)."""
        parse_contact_name(name)
        address = parse_address(address)
        if name in self.contacts:
            raise WalletError(f"{name} is already a contact ({self.contacts[name]}); remove it first")
        for known_name, known in self.contacts.items():
            if known == address:
                raise WalletError(f"{address} is already the contact {known_name}; "
                                  f"remove {known_name} first to save it under another name")
        return replace(self, contacts={**self.contacts, name: address})

    def without_contact(self, name: str) -> Config:
        if name not in self.contacts:
            raise WalletError(f"no contact named {name!r}")
        return replace(self, contacts={k: v for k, v in self.contacts.items() if k != name})

    def with_token(self, token: TokenEntry) -> Config:
        others = tuple(t for t in self.tokens if t.address != token.address)
        return replace(self, tokens=others + (token,))


def lookalike_names(name: str, names: Iterable[str]) -> list[str]:
    """The contact names that could be mistaken for `name` ("alice" for "aalice"): one letter
    added, dropped or changed, or one name inside the other. Not refused (a family may have an
    "ann" and an "anne"), but worth a second look before a payment goes to the wrong one."""
    wanted = name.lower()
    return [known for known in sorted(names) if known != name and (
        _one_edit_apart(known.lower(), wanted)
        or min(len(known), len(name)) >= 3 and (known.lower() in wanted or wanted in known.lower()))]


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether a and b are the same but for one letter added, dropped or changed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def config_path(home: Path) -> Path:
    return home / "config.toml"


def load_config(home: Path) -> Config:
    path = config_path(home)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Config()
    tighten(path)
    return _parse(data, path)


def update_config(home: Path, change: Callable[[Config], Config]) -> Config:
    """Read the config, apply `change`, write the result: under a lock that other processes
    take too, so no change made meanwhile is lost. The config written, or WalletError (from
    `change`, or for a value the file cannot hold) with the file as it was."""
    with _locked(home):
        config = change(load_config(home))
        _write(home, config)
        return config


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    fd = os.open(home / "config.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _write(home: Path, config: Config) -> None:
    path = config_path(home)
    for key, text in _texts(config):
        if not _is_unicode(text):
            raise WalletError(f"cannot keep {key} {text!r} in {path}: it is not valid Unicode text "
                              "(a file name in another encoding?); rename it and try again")
    data = (HEADER + tomli_w.dumps(_as_toml(config))).encode("utf-8")
    if _parse(data, path) != config:  # what is written must read back as it is, or not be written
        raise WalletError(f"cannot keep these settings in {path}: they would not read back as they are")
    write_atomically(path, data)


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as os.fsdecode makes of a non-UTF-8 file name
        return False
    return True


def _texts(config: Config) -> Iterator[tuple[str, str]]:
    for key in ("network", "guardrail", "owner", "agent", "model"):
        if (value := getattr(config, key)) is not None:
            yield key, value
    for name, address in config.contacts.items():
        yield "a contact name", name
        yield f"contacts.{name}", address
    for token in config.tokens:
        yield f"the symbol of token {token.address}", token.symbol


def _as_toml(config: Config) -> dict[str, object]:
    plain = ("network", "chain_id", "guardrail", "guardrail_block", "owner", "agent", "identity_registry",
             "reputation_registry", "model", "confirmations")
    document: dict[str, object] = {key: value for key in plain if (value := getattr(config, key)) is not None}
    if config.gpu_layers:
        document["gpu_layers"] = config.gpu_layers
    if config.trusted_raters:
        document["trusted_raters"] = list(config.trusted_raters)
    document["contacts"] = dict(sorted(config.contacts.items()))
    if config.tokens:
        document["tokens"] = [{"address": t.address, "symbol": t.symbol, "decimals": t.decimals}
                              for t in config.tokens]
    if config.serve:
        document["serve"] = {"port": config.serve.port, "token": config.serve.token, "amount": str(config.serve.amount)}
    return document


# reading, each value checked

_KEYS = ("network", "chain_id", "guardrail", "guardrail_block", "owner", "agent", "identity_registry",
         "reputation_registry", "trusted_raters", "model", "gpu_layers", "confirmations", "contacts", "tokens",
         "serve")
_ADDRESSES = {"guardrail": "the vault's address", "owner": "the owner key's address",
              "agent": "the agent key's address", "identity_registry": "the ERC-8004 identity registry's address",
              "reputation_registry": "the ERC-8004 reputation registry's address"}
_BROKEN = "fix it, or move the file away and run `agentwallet init`, which finds this wallet's vault again"


def _parse(data: bytes, path: Path) -> Config:
    raw = _toml(data, path)

    def check(key: str, value: object, ok: bool, what: str) -> None:
        if not ok:
            raise WalletError(f"{path}: {key} must be {what}, not {_shown(value)}: {_BROKEN}")

    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise WalletError(f"{path}: unknown setting {unknown[0]!r} (a typo?); the settings are {', '.join(_KEYS)}")
    network = raw.get("network", DEVNET)
    is_network = isinstance(network, str) and (network == DEVNET or network.startswith(("http://", "https://")))
    check("network", shown_network(network) if isinstance(network, str) else network, is_network,
          f'"{DEVNET}" or an http:// or https:// RPC URL')
    chain_id = raw.get("chain_id")
    check("chain_id", chain_id, chain_id is None or (_is_int(chain_id) and 0 < chain_id < 2**64),
          f"the chain's id, a whole number above zero ({DEVNET_CHAIN_ID} on devnet)")
    block = raw.get("guardrail_block")
    check("guardrail_block", block, block is None or (_is_int(block) and block >= 0),
          "the number of the block the vault was deployed in (leave it out and the wallet finds it)")
    addresses = {key: raw.get(key) for key in _ADDRESSES}
    for key, value in addresses.items():
        check(key, value, value is None or _is_address(value), f"{_ADDRESSES[key]}, 0x and 40 hex digits")
    model = raw.get("model")
    check("model", model, model is None or (isinstance(model, str) and model != ""),
          "the path of a GGUF file (leave it out for the bundled model)")
    gpu_layers = raw.get("gpu_layers", 0)
    check("gpu_layers", gpu_layers, _is_int(gpu_layers) and gpu_layers >= -1,
          "a whole number of layers, 0 for none or -1 for all")
    confirmations = raw.get("confirmations")
    check("confirmations", confirmations,
          confirmations is None or (_is_int(confirmations) and 0 <= confirmations <= 1000),
          "how many blocks must be built on a transaction's before it counts, 0 to 1000 "
          "(leave it out for the chain's own number)")
    raters = raw.get("trusted_raters", [])
    check("trusted_raters", raters, isinstance(raters, list) and all(_is_address(r) for r in raters),
          'a list of addresses whose ratings of other agents count: trusted_raters = ["0x…"]')
    contacts = raw.get("contacts", {})
    check("contacts", contacts, isinstance(contacts, dict), 'a table of names and addresses: [contacts] alice = "0x…"')
    for name, address in contacts.items():
        if not CONTACT_NAME.fullmatch(name):
            raise WalletError(f"{path}: the contact name {name!r} is not one: a name is {CONTACT_NAME_RULE}; "
                              "rename it in the file")
        check(f"contacts.{name}", address, _is_address(address), "an address, 0x and 40 hex digits")
    tokens = raw.get("tokens", [])
    check("tokens", tokens, isinstance(tokens, list) and all(isinstance(t, dict) for t in tokens),
          "a list of [[tokens]] tables, each with address, symbol and decimals")
    for token in tokens:
        where = f"the token {_shown(token.get('address'))}"
        check(where, sorted(token), set(token) == {"address", "symbol", "decimals"},
              "a table of address, symbol and decimals")
        check(f"{where}: address", token["address"], _is_address(token["address"]), "0x and 40 hex digits")
        check(f"{where}: symbol", token["symbol"], isinstance(token["symbol"], str), "text")
        decimals = token["decimals"]
        check(f"{where}: decimals", decimals, _is_int(decimals) and 0 <= decimals <= MAX_TOKEN_DECIMALS,
              f"a whole number from 0 to {MAX_TOKEN_DECIMALS}, what the token's decimals() says")
    serve = raw.get("serve")
    check("serve", serve, serve is None or (isinstance(serve, dict) and set(serve) == {"port", "token", "amount"}),
          'a table of port, token and amount: [serve] port = 8402, token = "0x…", amount = "10000"')
    if serve is not None:
        check("serve.port", serve["port"], _is_int(serve["port"]) and 0 < serve["port"] < 65536,
              "a TCP port from 1 to 65535")
        check("serve.token", serve["token"], _is_address(serve["token"]), "a known token's address")
        amount = serve["amount"]
        check("serve.amount", amount, isinstance(amount, str) and re.fullmatch(r"[0-9]{1,32}", amount) is not None
              and 0 < int(amount) < 2**104, "the price in the token's base units, as a string of digits")
    return Config(
        serve=serve and ServeSettings(serve["port"], parse_address(serve["token"]), int(serve["amount"])),
        network=network, chain_id=chain_id, guardrail_block=block, model=model, gpu_layers=gpu_layers,
        confirmations=confirmations,
        contacts={name: parse_address(address) for name, address in contacts.items()},
        tokens=tuple(TokenEntry(parse_address(t["address"]), t["symbol"], t["decimals"]) for t in tokens),
        trusted_raters=tuple(dict.fromkeys(parse_address(rater) for rater in raters)),
        **{key: None if value is None else parse_address(value) for key, value in addresses.items()},
    )


def _toml(data: bytes, path: Path) -> dict:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WalletError(f"{path} is not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start}): "
                          f"{_BROKEN}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise WalletError(f"{path} is not valid TOML ({error}): {_BROKEN}") from None


def _is_address(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parse_address(value)
    except WalletError:
        return False
    return True


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def parse_gpu_layers(value: object) -> int:
    """How many of the model's layers go on the GPU: a whole number, -1 for all of them."""
    if not _is_int(value) or value < -1:  # type: ignore[operator]
        raise WalletError(f"GPU layers must be a whole number of layers, 0 for none or -1 for all, not {value!r}")
    return value  # type: ignore[return-value]
