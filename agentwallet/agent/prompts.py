"""What the model reads: worked examples for each call and the request; facts and the question.

Each call has its own opening, a list of worked examples of that call only. The model reads
the request after each opening; how well each one predicts the request is the model's choice
of call (planner.py), and the chosen opening then shows it how to write the arguments. A reply
has one opening per topic it may be about (about.py), chosen among the calls' the same way.
Cutting a request, the model reads each way to cut it (clauses.py) after PARTS_OPENING, and
the likeliest is its choice. Answering, the model reads each fact the wallet wrote after
FACTS_OPENING, and how well it predicts the question picks the facts; and it reads the question
after each scope's examples (scope_opening), the likeliest saying how many facts it asks for.
Openings never change, so the runtime reads them once.
Outside text (the request, the question, facts that carry token symbols and contact names) is
cleaned and read as plain words, never as control tokens; in calls, token symbols reach only
the grammar, as literal names.
"""

from __future__ import annotations

import functools

from agentwallet import untrusted
from agentwallet.agent.calls import closing, opening
from agentwallet.agent.choices import Choices
from agentwallet.agent.examples import EXAMPLES, PARTS, QUESTIONS, REPLIES
from agentwallet.agent.runtime import Prompt

TERSE_WORDS = 2  # a request of at most this many words is terse ("balances", "limits?")


def is_terse(request: str) -> bool:
    return len(request.split()) <= TERSE_WORDS


@functools.cache
def call_opening(name: str, terse: bool = False) -> str:
    """The worked examples of one call, ending where the next request goes (for a terse request,
    after its tersest example again: terse_block)."""
    calls = f"{opening(name)}{{}}{closing(name)}"
    return _block(tuple((request, calls.format(arguments)) for request, arguments in EXAMPLES[name]), terse)


@functools.cache
def reply_opening(topic: str, terse: bool = False) -> str:
    """The worked examples of a reply on one topic (about.py), ending where the next request goes:
    read beside the calls' openings, so that choosing a reply and its topic is one choice."""
    return _block(tuple((message, f"{opening('reply')}{topic}{closing('reply')}") for message in REPLIES[topic]),
                  terse)


def _block(examples: tuple[tuple[str, str], ...], terse: bool) -> str:
    """Worked examples as the model reads them. A terse request is read after each block with its
    tersest example shown again last: a request of a word or two is told apart by how near it is
    to the others' examples, and read after long ones, a lone noun fits wherever the block ends
    on a noun. The block is the same up to there, so its reading is shared."""
    if terse:
        examples += (min(examples, key=lambda example: len(example[0].split())),)
    return "".join(f"Request: {request}\nCall: {call}\n\n" for request, call in examples) + "Request:"


def request_line(choices: Choices) -> str:
    """The request as it follows an opening; the model's choice of call is how well it fits."""
    return f" {choices.request}\n"


def arguments_prompt(name: str, choices: Choices) -> Prompt:
    """The chosen call's examples, the request, and the call begun: the model writes the rest."""
    return Prompt(call_opening(name), f"{untrusted.mark(request_line(choices))}Call: {opening(name)}")


PARTS_MARK = " | "  # stands where the request's joining words were, between the parts


def _parts(parts: tuple[str, ...]) -> str:
    return f" {PARTS_MARK.join(parts)}\n\n"


PARTS_OPENING = (
    "Each request below is written again with | between the things it asks for.\n\n"
    + "".join(f"Request: {request}\nParts:{_parts(parts)}" for request, parts in PARTS)
    + "Request:"
)


def parts_given(request: str) -> str:
    """The request as it follows PARTS_OPENING, up to where its parts go."""
    return f" {request}\nParts:"


def parts_line(parts: tuple[str, ...]) -> str:
    """One way of cutting the request: how likely it is after the request is the model's choice."""
    return _parts(parts)


# Facts and the questions they answer. The model reads each fact after these and is asked how
# well the question follows it: the fact under which the question is most likely answers it.
FACTS_OPENING = (
    "Each fact below is followed by a question that it answers.\n\n"
    "Fact: The vault holds 3 ETH.\nQuestion: how much ether is in my wallet\n\n"
    "Fact: The agent may send at most 1 ETH every 1 day.\nQuestion: what's my daily allowance\n\n"
    "Fact: A payment of 12 DAI to dave was carried out on Mar 1.\n"
    "Question: did dave get his money\n\n"
    "Fact: The agent is not paused.\nQuestion: is the agent frozen\n\n"
    "Fact:"
)


def fact_line(fact: str) -> str:
    """A fact as it follows FACTS_OPENING, up to where its question goes."""
    return f" {fact}\nQuestion:"


def question_line(question: str) -> str:
    return f" {question}\n"


def asked_of_fact(question: str) -> str:
    """A question as it is scored after a fact (fact_line) to choose the facts of an answer: its
    words without the closing newline, which tells facts apart no better and costs a token each."""
    return f" {question}"


# A content-free question: how likely it is after a fact is how likely any question is there,
# which a question's own likelihood is weighed against (answering.py). Its one word is predicted
# by the logits that also predict the question's first word, so weighing reads no more tokens.
ANY_QUESTION = asked_of_fact("what")


@functools.cache
def scope_opening(scope: str) -> str:
    """Worked examples of questions that ask for one scope of the facts (answering.SCOPES),
    ending where the question goes: the question is read after each, as a request is read after
    each call's examples."""
    shown = (f"Question: {question}\nAnswer: {scope}\n\n" for question in QUESTIONS[scope])
    return "".join(shown) + "Question:"
