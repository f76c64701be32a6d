"""The tool registry: every tool the wallet knows, as data. docs/tools.md is its reference.

One entry per tool, and everything else derives from it: the calls the agent's model may write
(agent/calls.py), the arguments `propose` and the pipeline accept and how each is checked
(actions/arguments.py), which tools are answered at once and which become proposals for the
person to approve (conversation.py), and who signs them (actions/review.py, pipeline.py).
Adding a tool means adding its entry here and its handler where its kind is handled; a test
checks that every entry has one.

This module imports nothing of the wallet's, so every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["read", "reply", "action", "policy", "ask"]
Signer = Literal["agent", "owner"]
# How an argument's text becomes the value a proposal carries (actions/arguments.py):
#   address  a contact name or an address, as EIP-55
#   token    a known token's symbol or address, as EIP-55
#   amount   base units, a whole number above zero
#   limit    base units, a whole number, zero allowed (a limit of nothing)
#   seconds  a length of time in seconds, above zero
#   moment   a Unix time; 0 means never
#   count    a whole number above zero
#   agent    an ERC-8004 agent id: a whole number, zero allowed
#   score    a rating, a whole number from 0 to its maximum
#   text     free text
ArgumentType = Literal["address", "token", "amount", "limit", "seconds", "moment", "count", "agent", "score", "text"]

UINT32_MAX = 2**32 - 1
UINT40_MAX = 2**40 - 1
UINT96_MAX = 2**96 - 1
UINT104_MAX = 2**104 - 1
UINT256_MAX = 2**256 - 1


@dataclass(frozen=True)
class Argument:
    name: str
    type: ArgumentType
    description: str
    required: bool = True
    maximum: int = UINT256_MAX  # for numbers: the largest the guardrail takes


@dataclass(frozen=True)
class Tool:
    name: str
    kind: Kind  # read: answered at once from the wallet's data; reply: words only;
    #             action: moves funds; policy: an owner change, signed by the owner: of the
    #             guardrail, or of this wallet's standing in the ERC-8004 registries; ask:
    #             another agent's paid skill, whose price becomes a pay_for proposal once met
    description: str
    arguments: tuple[Argument, ...] = ()
    signer: Signer | None = None  # who signs its transaction; an action beyond the agent's limits
    #                               is offered to the owner's key instead, never silently
    agent_call: str | None = None  # the call the agent's model writes for it (agent/calls.py), if any
    changes_something: bool = False  # at least one of its optional arguments must be given

    @property
    def required(self) -> frozenset[str]:
        return frozenset(a.name for a in self.arguments if a.required)

    @property
    def optional(self) -> frozenset[str]:
        return frozenset(a.name for a in self.arguments if not a.required)

    @property
    def is_proposal(self) -> bool:
        """Whether calling it makes a proposal for the person to approve (else it is answered at once)."""
        return self.kind in ("action", "policy")

    def argument(self, name: str) -> Argument:
        return next(a for a in self.arguments if a.name == name)


_TO = Argument("to", "address", "who is paid: a contact's name or an address")

TOOLS: tuple[Tool, ...] = (
    Tool("send_native", "action", "send ETH from the vault", (
        _TO, Argument("amount_wei", "amount", "how much, in wei"),
    ), signer="agent", agent_call="send"),
    Tool("send_token", "action", "send an ERC-20 token the wallet knows from the vault", (
        Argument("token", "token", "the token: its symbol or address"),
        _TO, Argument("amount", "amount", "how much, in the token's base units"),
    ), signer="agent", agent_call="send"),
    Tool("pay_for", "action", "pay a web resource's x402 price from the vault, then fetch it", (
        Argument("url", "text", "the resource's http(s) address"),
        Argument("token", "token", "the asset the resource asks for: its symbol or address"),
        Argument("to", "address", "who the resource says is paid"),
        Argument("amount", "amount", "the price, in the token's base units", maximum=UINT104_MAX),
        Argument("valid_before", "moment", "when the payment's authorization stops being usable (Unix time)",
                 maximum=UINT40_MAX),
        Argument("nonce", "text", "the authorization's 32-byte nonce, 0x and 64 hex digits"),
    ), signer="agent"),
    Tool("set_limits", "policy", "change what the agent may send in ETH, and when its policy ends", (
        Argument("daily_wei", "limit", "the allowance per period, in wei", required=False, maximum=UINT96_MAX),
        Argument("per_tx_wei", "limit", "the most one action may move, in wei", required=False, maximum=UINT96_MAX),
        Argument("period_s", "seconds", "the length of an allowance window, in seconds", required=False,
                 maximum=UINT32_MAX),
        Argument("valid_until", "moment", "when the agent's policy ends (Unix time, 0: never)", required=False,
                 maximum=UINT40_MAX),
    ), signer="owner", agent_call="set_limits", changes_something=True),
    Tool("set_token_limits", "policy", "change what the agent may send of one token", (
        Argument("token", "token", "the token: its symbol or address"),
        Argument("daily", "limit", "the allowance per period, in the token's base units", required=False,
                 maximum=UINT104_MAX),
        Argument("per_tx", "limit", "the most one action may move, in base units", required=False,
                 maximum=UINT104_MAX),
    ), signer="owner", changes_something=True),
    Tool("pause", "policy", "stop the agent: it can move nothing until resumed", signer="owner", agent_call="pause"),
    Tool("resume", "policy", "let the agent act again within its limits", signer="owner"),
    Tool("publish_card", "policy", "register this wallet's card in the ERC-8004 identity registry, or update it", (
        Argument("agent_uri", "text", "the card as a data: URI (agents/card.py makes it)"),
    ), signer="owner"),
    Tool("set_agent_wallet", "policy", "make the vault the agent wallet of this wallet's agent: where it is paid", (
        Argument("agent_id", "agent", "this wallet's agent id"),
    ), signer="owner"),
    Tool("rate_agent", "policy", "rate another agent 0-100 in the ERC-8004 reputation registry", (
        Argument("agent_id", "agent", "the agent rated"),
        Argument("score", "score", "0 to 100", maximum=100),
        Argument("tag", "text", "what was rated, e.g. the skill used", required=False),
    ), signer="owner"),
    Tool("get_balances", "read", "what the vault holds", agent_call="get_balances"),
    Tool("get_limits", "read", "the agent's limits and what is left of them", agent_call="get_limits"),
    Tool("get_history", "read", "the latest actions", (
        Argument("limit", "count", "how many, newest first", required=False, maximum=1000),
    ), agent_call="get_history"),
    Tool("find_agents", "read", "the other agents the ERC-8004 registry knows: their skills, where they are paid, "
         "their rating by you and the raters you trust", agent_call="find_agents"),
    Tool("ask_agent", "ask", "ask another agent's paid skill a question, its x402 price paid from the vault", (
        Argument("agent_id", "agent", "the agent, by its ERC-8004 id", required=False),
        Argument("url", "text", "or the skill's http(s) address, as the request writes it", required=False),
        Argument("question", "text", "what to ask, in the request's own words", required=False),
    ), agent_call="ask"),
    Tool("reply", "reply", "answer in words; touches nothing", (
        Argument("text", "text", "what to say"),
    ), agent_call="reply"),
)

BY_NAME: dict[str, Tool] = {tool.name: tool for tool in TOOLS}


def tool(name: str) -> Tool | None:
    return BY_NAME.get(name)


def proposal_tools() -> tuple[Tool, ...]:
    """The tools that become proposals: what `propose` takes."""
    return tuple(t for t in TOOLS if t.is_proposal)


def agent_calls() -> tuple[str, ...]:
    """The calls the agent's model may write, in the registry's order."""
    return tuple(dict.fromkeys(t.agent_call for t in TOOLS if t.agent_call))
