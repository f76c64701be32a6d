"""What the wallet says about itself, and its small talk: sentences that are true by construction.

The agent's replies are made of these only (agent/planner.py): its model chooses the topic a
message is about, the way it chooses a call, and the topic's sentences are the reply. None
states a figure or a state of this wallet (those are a read's facts, written from the chain),
so none can be wrong about one. What the agent can do is said from the tool registry
(agentwallet/tools.py) itself, so a new tool changes the answer, and a capability the wallet
lacks can never be claimed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentwallet import tools


@dataclass(frozen=True)
class Topic:
    name: str
    sentences: tuple[str, ...]
    one_of: bool = False  # the reply is the one sentence that fits the message best, not all of them
    terms: tuple[str, ...] = ()  # of a one_of topic: each sentence's subject, as a pattern of its words

    def __post_init__(self) -> None:
        if self.one_of and len(self.terms) != len(self.sentences):
            raise ValueError(f"topic {self.name!r}: a one_of topic names the subject of each of its sentences")

    def named_in(self, message: str) -> tuple[str, ...]:
        """The sentences whose subject `message` names, in their order."""
        return tuple(sentence for sentence, term in zip(self.sentences, self.terms, strict=True)
                     if re.search(rf"(?<![\w-])(?:{term})(?!\w)", message, re.IGNORECASE))


def agent_can() -> tuple[str, ...]:
    """What the agent can do, from the registry: what it reads, what it proposes, and what only
    the owner can do."""
    mine = [t for t in tools.TOOLS if t.agent_call and t.kind != "reply"]
    reads = [t.description for t in mine if t.kind == "read"]
    proposes = [t.description for t in mine if t.is_proposal or t.kind == "ask"]  # an ask proposes its price
    yours = [t.description for t in tools.TOOLS if not t.agent_call]
    return (
        f"I can tell you: {_listed(reads)}.",
        f"I can propose, for you to approve or deny: {_listed(proposes)}.",
        f"Only you can: {_listed(yours)}.",
    )


def _listed(parts: list[str]) -> str:
    return "; ".join(parts)


_APPROVAL = (
    "Nothing moves until you approve it: I propose, you approve or deny each action.",
    "Every decision, approved or denied, is logged on chain with what was asked.",
)
_LIMITS = (
    "The guardrail caps what I may send: an amount per action and an allowance per period.",
    "The allowance starts afresh with each period; only your owner key can change the limits.",
    "A payment beyond my limits is never sent with my key: if you approve it, your owner key sends it.",
)
_GUARDRAIL = (
    "The guardrail is a contract on chain that holds the vault's funds and enforces my limits.",
    "My own key holds only gas money: it moves funds only through the guardrail, within the limits.",
)
_HOW_TO_ASK = "Ask me in plain words: pay a contact, show your balances, limits or history, change limits, or pause me."

TOPICS: dict[str, Topic] = {topic.name: topic for topic in (
    Topic("capabilities", (*agent_can(), _HOW_TO_ASK)),
    Topic("help", (_HOW_TO_ASK, _APPROVAL[0])),
    Topic("approval", _APPROVAL),
    Topic("limits", _LIMITS),
    Topic("guardrail", _GUARDRAIL),
    Topic("pausing", ("While I am paused, the guardrail lets me move nothing, whatever my limits say.",
                      "Only your owner key can pause or resume me; I can propose to pause myself.")),
    Topic("identity", ("I am the agent of this wallet: a small language model that runs on this computer.",
                       "I propose; you decide.")),
    Topic("greeting", ("Hello!", _HOW_TO_ASK)),
    Topic("feeling", ("I am fine, thank you.",)),
    Topic("thanks", ("You are welcome!",)),
    Topic("goodbye", ("Goodbye!",)),
    Topic("elsewhere", ("That is not something this wallet does.", _HOW_TO_ASK)),
    Topic("words", (
        "ETH is the currency of Ethereum; it also pays for gas.",
        "USDC is a token meant to be worth one US dollar.",
        "Gas is the fee a transaction pays to the network, in ETH.",
        "An ERC-20 token is a token contract with the standard way to hold and send it.",
        "A blockchain is a shared record that many computers keep and agree on.",
        "A wallet keeps the keys that sign transactions.",
        "A smart contract is a program on chain that anyone can call and nobody can change.",
    ), one_of=True, terms=(r"eth|ether|ethereum", r"usdc", r"gas", r"erc-?20s?", r"blockchains?", r"wallets?",
                           r"smart contracts?")),
)}
