"""An agent's card: its ERC-8004 registration file, made for this wallet and read from others.

This wallet's card is stored whole on chain as a `data:application/json;base64,` URI: no
host, no IPFS, and what the registry holds is what anyone reads. Another agent's card is
untrusted text from whoever registered it. Reading it never runs or follows what it says: a
card that is not the registration file's shape is a CardError naming what is wrong, and its
text is shown by the caller through display.literal, never as markup or an instruction.
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from dataclasses import dataclass

from agentwallet.errors import WalletError

REGISTRATION_TYPE = "https://eips.ethereum.org/EIPS/eip-8004#registration-v1"
DATA_URI_PREFIX = "data:application/json;base64,"
MAX_CARD_URI = 8_192  # what the registries contracts/ ships store (URI_MAX)
MAX_CARD_BYTES = 65_536  # a card read from elsewhere, after decoding
AGENT_WALLET_SERVICE = "agentWallet"  # the service naming where the agent is paid, as eip155:CHAIN:ADDRESS
OASF_SERVICE = "OASF"  # the service listing skills, as the ERC's example lists them
OASF_ENDPOINT = "https://github.com/agntcy/oasf/"
WEB_SERVICE = "web"
X402_SERVICE = "x402"  # a paid skill: GET it, pay its 402 (x402 v2), get the answer; `price` says for how much


class CardError(WalletError):
    """A card that cannot be read as a registration file; the message says what is wrong."""


@dataclass(frozen=True)
class ServicePrice:
    """What a paid service says it asks (untrusted: the payer pays what its 402 asks, if shown
    and approved, never what a card says)."""

    amount: str  # base units, as written
    asset: str
    network: str  # CAIP-2, eip155:CHAIN_ID


@dataclass(frozen=True)
class Service:
    name: str  # untrusted, like everything a card says
    endpoint: str
    version: str | None = None
    skills: tuple[str, ...] = ()
    price: ServicePrice | None = None


@dataclass(frozen=True)
class Card:
    """A registration file as this wallet reads it: every text untrusted."""
    name: str
    description: str
    services: tuple[Service, ...]
    x402: bool
    active: bool
    registrations: tuple[tuple[int, str], ...]  # (agentId, agentRegistry "eip155:CHAIN:ADDRESS")
    type_ok: bool  # its `type` is the ERC's registration-v1

    @property
    def skills(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(skill for service in self.services for skill in service.skills))

    @property
    def endpoints(self) -> tuple[Service, ...]:
        """The services a client calls: all but the agentWallet and the skills list."""
        return tuple(s for s in self.services if s.name not in (AGENT_WALLET_SERVICE, OASF_SERVICE))

    def paid_to(self) -> str | None:
        """The address the card's agentWallet service names (the last part of eip155:CHAIN:ADDRESS)."""
        for service in self.services:
            if service.name == AGENT_WALLET_SERVICE:
                return service.endpoint.rsplit(":", 1)[-1]
        return None


# this wallet's card

def registration_file(name: str, description: str, vault: str, chain_id: int, skills: tuple[str, ...] = (),
                      endpoint: str | None = None, registration: tuple[int, str] | None = None,
                      x402: bool = False, paid: Service | None = None) -> dict:
    """This wallet's registration file: the vault as its agentWallet; `registration` (the
    agent id and the identity registry's address) once it has one; `paid`, the skill `serve`
    sells, as an x402 service with its price (and x402Support then)."""
    services: list[dict] = []
    if endpoint:
        services.append({"name": WEB_SERVICE, "endpoint": endpoint})
    if paid is not None and paid.price is not None:
        price = {"amount": paid.price.amount, "asset": paid.price.asset, "network": paid.price.network}
        services.append({"name": X402_SERVICE, "endpoint": paid.endpoint, "version": "2", "price": price})
        x402 = True
    if skills:
        services.append({"name": OASF_SERVICE, "endpoint": OASF_ENDPOINT, "version": "v0.8.0", "skills": list(skills)})
    services.append({"name": AGENT_WALLET_SERVICE, "endpoint": f"eip155:{chain_id}:{vault}"})
    registrations = []
    if registration is not None:
        agent_id, registry = registration
        registrations.append({"agentId": agent_id, "agentRegistry": f"eip155:{chain_id}:{registry}"})
    return {"type": REGISTRATION_TYPE, "name": name, "description": description, "services": services,
            "x402Support": x402, "active": True, "registrations": registrations, "supportedTrust": ["reputation"]}


def data_uri(registration: dict) -> str:
    text = json.dumps(registration, ensure_ascii=False, separators=(",", ":"))
    uri = DATA_URI_PREFIX + base64.b64encode(text.encode()).decode()
    if len(uri) > MAX_CARD_URI:
        raise WalletError(f"the card is {len(uri)} characters as a data: URI; the registry stores at most "
                          f"{MAX_CARD_URI}: shorten the description")
    return uri


# reading a card

def decode_data_uri(uri: str) -> bytes:
    """The bytes of a data: URI (RFC 2397): base64 or percent-encoded, of a JSON media type."""
    header, comma, payload = uri.removeprefix("data:").partition(",")
    if not comma:
        raise CardError("the data: URI has no comma before its content")
    media, *parameters = header.split(";")
    if media.strip().lower() not in ("application/json", "text/json", ""):
        raise CardError(f"the data: URI holds {media!r}, not JSON")
    if "base64" in (p.strip().lower() for p in parameters):
        try:
            content = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise CardError("the data: URI's base64 does not decode") from None
    else:
        content = urllib.parse.unquote_to_bytes(payload)
    if len(content) > MAX_CARD_BYTES:
        raise CardError(f"the card is {len(content)} bytes, more than the {MAX_CARD_BYTES} read")
    return content


def parse_card(content: bytes) -> Card:
    """The card in `content` (a registration file's JSON), or a CardError saying what is wrong."""
    try:
        raw = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CardError("the card is not JSON") from None
    if not isinstance(raw, dict):
        raise CardError("the card is not a JSON object")
    name = _text(raw, "name", required=True)
    services = raw.get("services", raw.get("endpoints", []))  # `endpoints`: the ERC's earlier drafts
    if not isinstance(services, list):
        raise CardError("its services are not a list")
    return Card(
        name=name, description=_text(raw, "description"),
        services=tuple(_service(entry, i) for i, entry in enumerate(services)),
        x402=_flag(raw, "x402Support", False), active=_flag(raw, "active", True),
        registrations=_registrations(raw.get("registrations", [])),
        type_ok=raw.get("type") == REGISTRATION_TYPE,
    )


def _text(raw: dict, key: str, required: bool = False, where: str = "") -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise CardError(f"its {where}{key} is {'missing' if value is None else 'not text'}")
    return value


def _flag(raw: dict, key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise CardError(f"its {key} is not true or false")
    return value


def _service(entry: object, index: int) -> Service:
    if not isinstance(entry, dict):
        raise CardError(f"its services[{index}] is not an object")
    where = f"services[{index}]."
    skills = entry.get("skills", [])
    if not isinstance(skills, list) or not all(isinstance(skill, str) for skill in skills):
        raise CardError(f"its {where}skills are not a list of text")
    version = entry.get("version")
    return Service(_text(entry, "name", True, where), _text(entry, "endpoint", True, where),
                   version if isinstance(version, str) else None, tuple(skills), _price(entry.get("price"), where))


def _price(raw: object, where: str) -> ServicePrice | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(raw.get(key), str) for key in ("amount", "asset", "network")):
        raise CardError(f"its {where}price is not an object of amount, asset and network")
    return ServicePrice(raw["amount"], raw["asset"], raw["network"])


def _registrations(raw: object) -> tuple[tuple[int, str], ...]:
    if not isinstance(raw, list):
        raise CardError("its registrations are not a list")
    found = []
    for index, entry in enumerate(raw):
        agent_id = entry.get("agentId") if isinstance(entry, dict) else None
        if not isinstance(agent_id, int) or isinstance(agent_id, bool) or agent_id < 0:
            raise CardError(f"its registrations[{index}].agentId is not an agent id")
        found.append((agent_id, _text(entry, "agentRegistry", True, f"registrations[{index}].")))
    return tuple(found)
