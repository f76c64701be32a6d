"""The agent: a request in, its tool calls out; facts from a read tool in, those that answer out.

The model chooses the call and writes its arguments. Choosing: it reads the request after
each call's worked examples, and the call under which the request is most likely wins (the
"noisy channel" way to classify with a small model, steadier than asking it for a name).
Writing: within a grammar that offers only the names, numbers and units the request and the
wallet contain. Code narrows what can be said and makes what was said exact (normalise.py);
it never picks the call in the model's place. A request that asks for several things is cut
into parts where the model chooses, among the places its own joining words offer (clauses.py),
and each part is planned so; code checks that the calls make the payments the request asks
for (coverage.py) and names what they miss rather than hand on part of a plan. A reply is
not written either: the model chooses its topic among the calls (one block of examples per
topic), and the reply is the wallet's own sentences on it (agentwallet/about.py), so what the
agent says of the wallet is true by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from agentwallet import about, models, untrusted
from agentwallet.agent import answering, memory_file
from agentwallet.agent.call import RequestPlan, ToolCall
from agentwallet.agent.calls import CALLS, TAKES_ARGUMENTS, Call, closing, read_call
from agentwallet.agent.choices import REQUEST_LIMIT, Choices, choices_for
from agentwallet.agent.clauses import cuttings
from agentwallet.agent.context import WalletContext
from agentwallet.agent.coverage import beyond_one_call, uncovered
from agentwallet.agent.grammar import arguments_grammar, only_text
from agentwallet.agent.normalise import calls_for, plan_for
from agentwallet.agent.prompts import (
    ANY_QUESTION,
    FACTS_OPENING,
    PARTS_OPENING,
    arguments_prompt,
    asked_of_fact,
    call_opening,
    fact_line,
    is_terse,
    parts_given,
    parts_line,
    question_line,
    reply_opening,
    request_line,
    scope_opening,
)
from agentwallet.agent.runtime import VERSION, Memory, Reading, Runtime, Scored
from agentwallet.errors import WalletError

ARGUMENT_TOKENS = 256  # more than the longest arguments the grammar allows, in bytes
FACT_LIMIT = 300  # characters of one fact
QUESTION_LIMIT = 400  # characters of a question the model reads
TRIES = 3  # ways of cutting a request planned before it is given up as not planned whole
_LOADED = 0.2  # share of start-up spent loading weights; reading the openings is the rest


class Agent:
    def __init__(
        self,
        model_path: Path,
        n_threads: int = 2,
        n_gpu_layers: int = 0,
        progress: Callable[[float], None] | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        """Load the model and have it read its openings, or take back its reading of them from
        the file it left in `cache_dir` (memory_file.py) when that was made for the same."""
        report = progress or (lambda _fraction: None)
        report(0.0)
        groups = (tuple(call_opening(name, terse) for terse in (False, True) for name in CALLS if name != "reply"),
                  tuple(reply_opening(topic, terse) for terse in (False, True) for topic in about.TOPICS),
                  (FACTS_OPENING,), (PARTS_OPENING,),
                  tuple(scope_opening(scope) for scope in answering.SCOPES))
        # The file is read and checked while llama.cpp loads the weights: both let go of the GIL,
        # so on two cores a start takes the longer of the two, not their sum (issue 11).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reading") as reader:
            kept = reader.submit(_kept_reading, Path(model_path), cache_dir, groups, n_gpu_layers)
            self._runtime = Runtime(model_path, n_threads=n_threads, n_gpu_layers=n_gpu_layers,
                                    progress=lambda done: report(_LOADED * done))
            made_for, file, remembered = kept.result()
        self.remembered = remembered is not None and self._runtime.remember(remembered)
        if not self.remembered:  # whether the reading came from the file
            self._runtime.prepare(groups, lambda done: report(_LOADED + (1 - _LOADED) * done))
            if file:
                memory_file.save(file, made_for, self._runtime.memories())
        report(1.0)

    @property
    def reading(self) -> Reading:
        """What the model has read since it was loaded."""
        return self._runtime.reading

    def plan(self, request: str, context: WalletContext) -> ToolCall:
        """The one tool call the model proposes for `request`; WalletError if it cannot be made
        exact, or if the model's call is a payment to several (plan_request hands those on)."""
        calls = self._calls(request, context)
        if len(calls) > 1:
            raise WalletError("the request asks for several payments: it needs a plan of several steps")
        return calls[0]

    def plan_request(self, request: str, context: WalletContext) -> RequestPlan:
        """Every tool call `request` asks for, in its order: the parts the model cuts it into,
        each planned as a request of its own. The model's likeliest way of cutting it that
        makes a whole plan is taken (up to TRIES of them): one whose every part became
        actions and whose calls make the payments the request asks for (coverage.py). When
        none does, what the request read whole (else the likeliest way) could not plan is
        said: its WalletError, or its not_planned."""
        text = untrusted.line(request, limit=REQUEST_LIMIT)
        # what no one call can do is planned whole only to say why nothing else planned it
        whole_later = beyond_one_call(text, context)
        ways = self._ways(text, whole_later)
        if ways == [(text,)]:
            calls = self._calls(text, context)  # a request of one ask fails as it always did
            return RequestPlan(calls, uncovered(text, calls, context))
        planned: dict[str, tuple[ToolCall, ...] | WalletError] = {}  # part -> its calls, or why it has none
        results: dict[tuple[str, ...], RequestPlan | WalletError] = {}
        for way in ways[:TRIES]:
            if whole_later and way == (text,):
                continue
            todo = [part for part in dict.fromkeys(way) if part not in planned]
            planned |= zip(todo, self._calls_of(todo, context), strict=True)
            result = results[way] = self._whole(text, way, planned, context)
            if isinstance(result, RequestPlan) and not result.not_planned:
                return result
        if whole_later and (text,) in ways[:TRIES]:
            planned[text] = self._calls_of([text], context)[0]
            results[(text,)] = self._whole(text, (text,), planned, context)
        # the request read as one ask says best why it is no plan ("10 usdc does not split evenly 3 ways")
        said = results.get((text,), next(iter(results.values())))
        if isinstance(said, WalletError):
            raise said
        return said

    @staticmethod
    def _whole(request: str, way: tuple[str, ...], planned: dict, context: WalletContext) -> RequestPlan | WalletError:
        """The plan of one way of cutting the request: its parts' calls, and what is not planned:
        a part with no calls, or that is a reply among other parts, or a payment they miss."""
        if len(way) == 1:
            calls = planned[way[0]]
            if isinstance(calls, WalletError):
                return calls
            return RequestPlan(calls, uncovered(request, calls, context, cut=True))
        actions = {part: calls for part in way if not isinstance(calls := planned[part], WalletError)
                   and not any(call.tool == "reply" for call in calls)}
        calls = tuple(call for part in way for call in actions.get(part, ()))
        missed = tuple(part for part in way if part not in actions)
        return RequestPlan(calls, missed or uncovered(request, calls, context, cut=True))

    def _ways(self, request: str, whole_later: bool) -> list[tuple[str, ...]]:
        """The ways to cut the request at its joining words, likeliest first as the model judges
        them after worked examples of requests written out in parts. The uncut request, when it
        is planned only last (`whole_later`) and is among the TRIES ways whatever its rank, is
        not scored: its rank changes nothing, and two-step requests then need no scoring at all."""
        ways = cuttings(request)
        unranked = [(request,)] if whole_later and len(ways) <= TRIES else []
        ranked = [way for way in ways if way not in unranked]
        if len(ranked) <= 1:
            return unranked + ranked
        scores = self._runtime.scores([Scored(PARTS_OPENING, parts_line(way), given=parts_given(request))
                                       for way in ranked])
        return unranked + [way for _, way in sorted(zip(scores, ranked, strict=True), key=lambda scored: -scored[0])]

    def _calls(self, request: str, context: WalletContext) -> tuple[ToolCall, ...]:
        """The model's call for `request` as tool calls: one, or a payment to several as one each."""
        [calls] = self._calls_of([request], context)
        if isinstance(calls, WalletError):
            raise calls
        return calls

    def _calls_of(self, requests: Sequence[str], context: WalletContext) -> list[tuple[ToolCall, ...] | WalletError]:
        """Each request's calls, or why it has none. The model chooses all their calls at once:
        each request is read after every call's opening its grammar allows, and every reply's."""
        found: dict[int, tuple[ToolCall, ...] | WalletError] = {}
        asked: dict[int, _Asked] = {}
        for index, request in enumerate(requests):
            try:
                asked[index] = _asked(request, context)
            except WalletError as error:
                found[index] = error
        chosen = self._runtime.likeliest([[Scored(opening, request_line(choices)) for opening, _, _ in possible]
                                          for choices, _, possible in asked.values()])
        for index, best in zip(asked, chosen, strict=True):
            choices, grammars, possible = asked[index]
            _, name, topic = possible[best]
            try:
                found[index] = self._call_of(name, topic, choices, grammars[name])
            except WalletError as error:
                found[index] = error
        return [found[index] for index in range(len(requests))]

    def _call_of(self, name: str, topic: str | None, choices: Choices, grammar: str | None) -> tuple[ToolCall, ...]:
        """The chosen call's arguments, as the model writes them within its grammar."""
        if topic is not None:
            return (plan_for(Call("reply", {"text": self._reply(about.TOPICS[topic], choices.request)}), choices),)
        arguments = closing(name)
        if name in TAKES_ARGUMENTS:  # what the grammar leaves no choice over is not asked of the model
            arguments = only_text(grammar) or self._runtime.complete(
                arguments_prompt(name, choices),
                grammar,
                max_tokens=ARGUMENT_TOKENS,
                until=lambda text: text.endswith(closing(name)),
            )
        return calls_for(read_call(name, arguments), choices)

    def _reply(self, topic: about.Topic, message: str) -> str:
        """The topic's sentences; of a topic whose sentences each answer a different question
        (what ETH is, what gas is), the one that fits the message, chosen as facts are, or each
        one whose subject the message names when it names several ("how do eth and usdc differ")."""
        if not topic.one_of:
            return " ".join(topic.sentences)
        if len(named := topic.named_in(message)) > 1:
            return " ".join(named)
        question = question_line(untrusted.line(message, limit=QUESTION_LIMIT))
        fit = self._runtime.scores([Scored(FACTS_OPENING, question, given=fact_line(s)) for s in topic.sentences])
        return topic.sentences[fit.index(max(fit))]

    def answer(self, request: str, facts: Sequence[str], stream: Callable[[str], None] | None = None) -> str:
        """The facts (sentences the wallet wrote from a read tool's result) that answer `request`,
        as the model judges it (answering.py): the scope of facts it asks for, and the facts under
        which the question is likeliest, the way it chooses a call; all read in one batch, in the
        order given. It can say nothing but the facts, word for word."""
        facts = [fact for fact in (untrusted.line(fact, limit=FACT_LIMIT) for fact in facts) if fact]
        if not facts:
            raise WalletError("nothing to answer from")
        text = untrusted.line(request, limit=QUESTION_LIMIT)
        question = question_line(text)
        scores = self._runtime.scores(
            [Scored(FACTS_OPENING, asked, given=fact_line(fact)) for fact in facts
             for asked in (asked_of_fact(text), ANY_QUESTION)] + [Scored(scope_opening(scope), question)
                                                       for scope in answering.SCOPES])
        read, scopes = scores[:2 * len(facts)], scores[2 * len(facts):]
        scope = answering.SCOPES[scopes.index(max(scopes))]
        answer = " ".join(answering.chosen(text, facts, scope, fit=read[::2], anything=read[1::2]))
        if stream:
            stream(answer)
        return answer


_Asked = tuple[Choices, dict[str, str | None], list[tuple[str, str, str | None]]]


def _asked(request: str, context: WalletContext) -> _Asked:
    """What the model may say for `request`, the grammar of each call, and what it chooses among:
    each call its grammar allows (opening, name) and each reply's topic (opening, "reply", topic)."""
    choices = choices_for(request, context)
    if not choices.request:
        raise WalletError("the request is empty: say what you would like the agent to do")
    grammars = {name: arguments_grammar(name, choices) for name in CALLS}
    terse = is_terse(choices.request)
    possible: list[tuple[str, str, str | None]] = [(call_opening(name, terse), name, None) for name in CALLS
                                                   if name != "reply" and grammars[name] is not None]
    possible += [(reply_opening(topic, terse), "reply", topic) for topic in about.TOPICS]
    return choices, grammars, possible


def _kept_reading(model_path: Path, cache_dir: Path | None, groups: tuple[tuple[str, ...], ...],
                  n_gpu_layers: int) -> tuple[dict[str, object], Path | None, list[Memory] | None]:
    """What a reading of `groups` must have been made for, its file in `cache_dir`, and the
    reading that file keeps if it was made for that (memory_file.py)."""
    made_for = memory_file.key(models.sha256(model_path, cache_dir), groups, VERSION, n_gpu_layers)
    file = memory_file.path_for(cache_dir, str(made_for["model"])) if cache_dir else None
    return made_for, file, memory_file.load(file, made_for) if file else None
