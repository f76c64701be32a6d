"""Where the wallet keeps its files, and the one TOML file a user may edit.

`AGENTWALLET_HOME=DIR` puts everything under DIR; otherwise the platform's user data dir.
The config holds the network, the deployed addresses, contacts, known tokens and the model.
It is rewritten whole through a temporary file, so a crash never leaves half a config.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

from agentwallet.errors import WalletError

DEVNET = "devnet"
DEVNET_CHAIN_ID = 31337
CONTACT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def parse_contact_name(text: str) -> str:
    if not CONTACT_NAME.match(text):
        raise WalletError("a contact name is lowercase letters, digits, - and _ (up to 32), "
                          f"starting with a letter: {text!r}")
    return text


def home_dir() -> Path:
    explicit = os.environ.get("AGENTWALLET_HOME")
    path = Path(explicit) if explicit else Path(platformdirs.user_data_dir("agentwallet"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class TokenEntry:
    address: str
    symbol: str  # untrusted: read from the token contract
    decimals: int


@dataclass(frozen=True)
class Config:
    network: str = DEVNET  # "devnet" or an RPC URL
    chain_id: int | None = None
    guardrail: str | None = None
    owner: str | None = None
    agent: str | None = None
    model: str | None = None  # a GGUF path; None means the bundled model
    gpu_layers: int = 0  # the model's layers to put on a GPU (-1: all); 0 runs on the CPU
    contacts: dict[str, str] = field(default_factory=dict)
    tokens: tuple[TokenEntry, ...] = ()

    @property
    def is_devnet(self) -> bool:
        return self.network == DEVNET

    def new_contact_name(self, name: str) -> str:
        """`name`, checked to be a contact name that no contact has yet."""
        parse_contact_name(name)
        if name in self.contacts:
            raise WalletError(f"{name} is already a contact ({self.contacts[name]}); remove it first")
        return name

    def with_contact(self, name: str, address: str) -> Config:
        return replace(self, contacts={**self.contacts, name: address})

    def without_contact(self, name: str) -> Config:
        if name not in self.contacts:
            raise WalletError(f"no contact named {name!r}")
        return replace(self, contacts={k: v for k, v in self.contacts.items() if k != name})

    def with_token(self, token: TokenEntry) -> Config:
        others = tuple(t for t in self.tokens if t.address != token.address)
        return replace(self, tokens=others + (token,))


def config_path(home: Path) -> Path:
    return home / "config.toml"


def load_config(home: Path) -> Config:
    path = config_path(home)
    if not path.exists():
        return Config()
    try:
        raw = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise WalletError(f"{path} is not valid TOML: {exc}") from None
    tokens = tuple(
        TokenEntry(address=t["address"], symbol=t["symbol"], decimals=int(t["decimals"]))
        for t in raw.get("tokens", [])
    )
    return Config(
        network=raw.get("network", DEVNET),
        chain_id=raw.get("chain_id"),
        guardrail=raw.get("guardrail"),
        owner=raw.get("owner"),
        agent=raw.get("agent"),
        model=raw.get("model"),
        gpu_layers=_gpu_layers(raw.get("gpu_layers", 0), path),
        contacts=dict(raw.get("contacts", {})),
        tokens=tokens,
    )


def parse_gpu_layers(value: object) -> int:
    """How many of the model's layers go on the GPU: a whole number, -1 for all of them."""
    if isinstance(value, bool) or not isinstance(value, int) or value < -1:
        raise WalletError(f"GPU layers must be a whole number of layers, 0 for none or -1 for all, not {value!r}")
    return value


def _gpu_layers(value: object, path: Path) -> int:
    try:
        return parse_gpu_layers(value)
    except WalletError as error:
        raise WalletError(f"{path}: {error}") from None


def save_config(home: Path, config: Config) -> None:
    path = config_path(home)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(_to_toml(config))
    os.replace(tmp, path)


def _quote(value: str) -> str:
    # JSON string escaping (ASCII only, \u escapes for the rest) is valid TOML basic-string syntax.
    return json.dumps(value, ensure_ascii=True)


def _to_toml(config: Config) -> str:
    lines = ["# agentwallet settings. Edit network or model by hand; the rest is kept by the app.", ""]
    for key in ("network", "chain_id", "guardrail", "owner", "agent", "model"):
        value = getattr(config, key)
        if value is None:
            continue
        lines.append(f"{key} = {value if isinstance(value, int) else _quote(value)}")
    if config.gpu_layers:
        lines.append(f"gpu_layers = {config.gpu_layers}")
    lines += ["", "[contacts]"]
    lines += [f"{_quote(name)} = {_quote(addr)}" for name, addr in sorted(config.contacts.items())]
    for token in config.tokens:
        lines += ["", "[[tokens]]", f"address = {_quote(token.address)}",
                  f"symbol = {_quote(token.symbol)}", f"decimals = {token.decimals}"]
    return "\n".join(lines) + "\n"
