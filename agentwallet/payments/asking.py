"""Asking another agent's paid skill a question: where its card says the skill is served, the
question's URL there (GET ENDPOINT?q=QUESTION, as `serve` answers it), and what came back.

The card is read again from the registry when asked, not taken from a list read earlier; what
it says is untrusted, and the payment pays what the 402 asks, once the person approves it.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING

from agentwallet.agents.card import X402_SERVICE, Card, Service
from agentwallet.errors import WalletError

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet
    from agentwallet.payments.http import Response

MAX_QUESTION = 1000  # characters: what `serve` takes of ?q=


def paid_skill(card: Card | None) -> Service | None:
    """The card's first x402 service on a web address: the skill a question is paid for."""
    if card is None:
        return None
    return next((s for s in card.endpoints if s.name == X402_SERVICE and s.endpoint.startswith(("http://", "https://"))),
                None)


def question_url(endpoint: str, question: str) -> str:
    """The skill's URL for `question` (one line, at most MAX_QUESTION characters)."""
    asked = " ".join(question.split())
    if not asked:
        raise WalletError("ask a question: it is sent to the agent's skill as ?q=QUESTION")
    if len(asked) > MAX_QUESTION:
        raise WalletError(f"the question is longer than {MAX_QUESTION} characters: ask a shorter one")
    return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"q": asked})


def skill_url(wallet: Wallet, agent_id: int, question: str) -> str:
    """The question's URL at agent #`agent_id`'s paid skill, its card read from the registry now."""
    from agentwallet.actions.registrations import raters
    from agentwallet.agents.directory import show_agent

    entry = show_agent(wallet.identity, wallet.reputation, agent_id, raters(wallet))
    skill = paid_skill(entry.card)
    if skill is None:
        raise WalletError(f"agent #{agent_id} sells no skill: its card lists no x402 service on a web address")
    return question_url(skill.endpoint, question)


def answer_text(answer: Response) -> str:
    """What the skill said: the `answer` of its JSON (`serve`'s {"answer": ...}), else its whole
    body as text. Untrusted: shown literally."""
    text = answer.body.decode("utf-8", errors="replace")
    try:
        said = json.loads(text)
    except ValueError:
        return text
    if isinstance(said, dict) and isinstance(said.get("answer"), str):
        return said["answer"]
    return text
