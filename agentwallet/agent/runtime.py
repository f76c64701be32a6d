"""The language model on this machine: load it once, score and complete prompts, remember openings.

This is the only module that imports llama_cpp, and it speaks to llama.cpp directly (not
through the Llama class) for one thing the class cannot do: one context holding many sequences,
so that several continuations are read in one batch, side by side, over an opening read once.

A prompt is an opening that is the same every time (instructions, worked examples), whose
reading the model remembers, and the rest, which is this request. Openings are read in groups
(a Memory): the planner's openings together, so that scoring a request after each is one batch.
Untrusted spans in the rest are marked (`untrusted.mark`) and tokenized as plain text, so text
from the chain or a tool never becomes a special token such as an end of turn; so is every
continuation that gets scored.
Choosing the likeliest of many continuations (likeliest) reads them a few tokens at a time and
drops those already far behind: the cost of reading is the tokens read, and most openings are
told apart by a request's first words.
"""

from __future__ import annotations

import codecs
import ctypes
import functools
import itertools
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import llama_cpp
import numpy as np

from agentwallet.errors import WalletError
from agentwallet.untrusted import MARK_END, MARK_START

CONTEXT_TOKENS = 4096  # the openings of a group and the continuations of one batch, at once
SEQUENCES = 64  # openings of a group and continuations scored side by side
BATCH_TOKENS = 512  # tokens handed to llama.cpp at a time (it aborts the process on more)
TOO_LONG = "that is too long for the model to read; say it in fewer words"
VERSION = llama_cpp.__version__  # the llama.cpp inside: a remembered reading is good for this one only
_READ_STEP = 64  # tokens read at a time while preparing, so that progress can be reported
# Choosing the likeliest continuation, each is read ROUND_TOKENS tokens at a time beside the others,
# and one that falls BEHIND nats below the best as far as both are read is read no further: the
# benchmarks' requests are told apart by their first tokens, and none of their choices changes.
# Replayed on the benchmarks' 136 requests (150 races), no choice changes at 8 nats and one at 6;
# 1 token and 8 nats read 37% of the tokens full scoring reads (2 tokens and 10 nats: 49%), in
# about twice the decode calls (llama.cpp calls, each with a cost of its own).
ROUND_TOKENS = 1
BEHIND = 8.0


@dataclass(frozen=True)
class Prompt:
    opening: str  # trusted and the same every time; its reading is remembered
    rest: str = ""  # this request; untrusted spans marked


@dataclass(frozen=True)
class Scored:
    """log P(continuation | opening, given), asked of the model; both are outside text."""

    opening: str
    continuation: str
    given: str = ""  # read after the opening and before the continuation, not scored itself


@dataclass(frozen=True)
class Reading:
    """What the model has read: tokens, and the llama.cpp calls (decodes) that read them. The
    cost of a plan in these is the same on any machine, unlike its seconds."""

    tokens: int = 0
    decodes: int = 0

    def __sub__(self, before: Reading) -> Reading:
        return Reading(self.tokens - before.tokens, self.decodes - before.decodes)


@dataclass(frozen=True, eq=False)
class Memory:
    """A group of openings as the model read them, side by side: sequence i holds openings[i]
    (what openings begin with alike was read once for all). The context's whole state after
    them, to be put back instead of reading again, and what the model expects after each."""

    openings: tuple[tuple[int, ...], ...]
    last_logits: np.ndarray  # float32, one row per opening, one column per token of the vocabulary
    state: np.ndarray  # uint8: llama.cpp's own serialisation of the context
    cells: int  # tokens the state holds

    def sequence(self, tokens: tuple[int, ...]) -> int | None:
        return self.openings.index(tokens) if tokens in self.openings else None


class Runtime:
    def __init__(self, model_path: Path, n_threads: int = 2, n_gpu_layers: int = 0,
                 progress: Callable[[float], None] | None = None) -> None:
        if not Path(model_path).is_file():
            raise WalletError(f"model file not found: {model_path}")
        _start_llama()
        params = llama_cpp.llama_model_default_params()
        params.n_gpu_layers = n_gpu_layers

        @llama_cpp.llama_progress_callback
        def loading(fraction: float, _data: ctypes.c_void_p) -> bool:
            if progress:
                progress(float(fraction))
            return True

        params.progress_callback = loading
        self._model = llama_cpp.llama_model_load_from_file(str(model_path).encode(), params)
        if not self._model:
            raise WalletError(f"cannot load the model {model_path}: llama.cpp cannot read it")
        self._context = llama_cpp.llama_init_from_model(self._model, _context_params(n_threads))
        if not self._context:
            llama_cpp.llama_model_free(self._model)
            raise WalletError(f"cannot load the model {model_path}: no memory for its context")
        weakref.finalize(self, _free, self._context, self._model)
        self._vocab = llama_cpp.llama_model_get_vocab(self._model)
        self.vocabulary = llama_cpp.llama_vocab_n_tokens(self._vocab)
        self._kv = llama_cpp.llama_get_memory(self._context)
        self._memories: list[Memory] = []
        self._lock = threading.Lock()  # one llama.cpp context: one reader at a time
        self.reading = Reading()  # since the model was loaded

    # openings

    def prepare(self, groups: Sequence[Sequence[str]], progress: Callable[[float], None] | None = None) -> None:
        """Read now each group of openings not remembered yet, so that the first request is as
        quick as the next."""
        report = progress or (lambda _fraction: None)
        with self._lock:
            todo = [tokens for tokens in (tuple(dict.fromkeys(map(self._opening_tokens, group))) for group in groups)
                    if not self._remembered(tokens)]
            total, done = sum(len(token) for group in todo for token in group) or 1, 0
            for openings in todo:
                self._read_openings(openings, lambda count, before=done: report((before + count) / total))
                done += sum(map(len, openings))
        report(1.0)

    def memories(self) -> list[Memory]:
        return list(self._memories)

    def remember(self, memories: Iterable[Memory]) -> bool:
        """Take readings made earlier (a cache file's); False, and nothing taken, if one does not
        fit this model and context: llama.cpp refuses its state, or what it holds is not what it
        says, or its logits are not this vocabulary's."""
        memories = list(memories)
        with self._lock:
            for memory in memories:
                if (memory.last_logits.shape != (len(memory.openings), self.vocabulary)
                        or not 0 < len(memory.openings) < SEQUENCES or memory.cells > CONTEXT_TOKENS):
                    return False
                if not self._restore(memory) or any(
                        llama_cpp.llama_memory_seq_pos_max(self._kv, sequence) != len(tokens) - 1
                        for sequence, tokens in enumerate(memory.openings)):
                    return False
            self._memories += memories
        return True

    # scoring

    def scores(self, asked: Sequence[Scored]) -> list[float]:
        """log P(continuation | opening, given) for each, read together in as few batches as the
        context allows: one sequence per continuation, over its opening's remembered reading,
        and what continuations begin with alike read once for all of them."""
        with self._lock:
            items = []
            for item in asked:
                memory, sequence = self._memory_of(self._opening_tokens(item.opening))
                items.append(_Item(memory, sequence, self._plain(item.given), self._plain(item.continuation)))
            for group in _batches(items):
                self._score(group)
            return [item.score for item in items]

    def likeliest(self, groups: Sequence[Sequence[Scored]]) -> list[int]:
        """For each group of continuations, the index of the one scores() would find likeliest
        (the first of equals), all groups read together: ROUND_TOKENS tokens at a time, and what
        is already BEHIND the best of its group as far as both are read, or below the whole
        score of one, no further (a score is a sum of log-probabilities, none above 0)."""
        with self._lock:
            items = []
            for group, asked in enumerate(groups):
                for item in asked:
                    memory, sequence = self._memory_of(self._opening_tokens(item.opening))
                    items.append(_Item(memory, sequence, self._plain(item.given), self._plain(item.continuation),
                                       group=group))
            race = _Race(len(groups))
            for batch in _batches(items):
                self._read_race(batch, race)
            return [race.winner([item for item in items if item.group == group]) for group in range(len(groups))]

    def _read_race(self, items: list[_Item], race: _Race) -> None:
        """Read the items in rounds, each round ROUND_TOKENS more of the continuations still in
        the race; what each sequence holds stays what its path begins with, since a node is read
        after its parent and only for the sequences still read."""
        memory = items[0].memory
        if not self._restore(memory):
            raise WalletError("the model could not take back what it read before; start again")
        self._plant(memory, items)
        race.note(items)
        live = [item for item in items if race.keeps(item)]
        for round_ in itertools.count(1):
            reading = [item for item in live if not item.finished]
            if not reading:
                break
            sequences = {item.sequence for item in reading}
            ends = {id(item): min(len(item.given) + round_ * ROUND_TOKENS, len(item.path)) for item in reading}
            order = []
            for at in range(max(ends.values())):
                for item in reading:
                    if at < ends[id(item)] and not (node := item.path[at]).read:
                        node.read = True
                        node.sequences = [sequence for sequence in node.sequences if sequence in sequences]
                        order.append(node)
            self._read_nodes(order)
            race.note(reading)
            live = [item for item in live if race.keeps(item)]

    def _plant(self, memory: Memory, items: list[_Item]) -> list[dict[int, _Node]]:
        """Give each item a sequence of its own over its opening's, and its path of nodes: what
        items begin with alike is one node, to be read once for all of them. The first nodes
        after each opening."""
        roots: dict[int, dict[int, _Node]] = {}
        for sequence, item in enumerate(items, start=len(memory.openings)):
            llama_cpp.llama_memory_seq_cp(self._kv, item.opening, sequence, -1, -1)
            item.sequence = sequence
            level = roots.setdefault(item.opening, {})
            start = len(memory.openings[item.opening])
            for offset, token in enumerate(item.read):
                node = level.setdefault(token, _Node(token, start + offset))
                node.sequences.append(sequence)
                item.path.append(node)
                level = node.children
            for node, token in item.predicting():
                if node is None:
                    item.after_opening = _log_probability(memory.last_logits[item.opening], token)
                else:
                    node.asked[token] = 0.0
        return list(roots.values())

    def _score(self, items: list[_Item]) -> None:
        memory = items[0].memory
        if not self._restore(memory):
            raise WalletError("the model could not take back what it read before; start again")
        roots = self._plant(memory, items)
        self._read_nodes([node for level in roots for node in _depth_first(level)])
        for item in items:
            item.score = sum(item.after_opening if node is None else node.asked[token]
                             for node, token in item.predicting())

    # writing

    def complete(self, prompt: Prompt, grammar: str | None = None, max_tokens: int = 64,
                 until: Callable[[str], bool] | None = None) -> str:
        """Greedy text after `prompt`, within `grammar` (GBNF) when given.

        Stops at the model's end of turn, after `max_tokens`, or once `until(text)` holds.
        """
        sampler = _grammar_sampler(self._vocab, grammar)
        try:
            with self._lock:
                opening = self._opening_tokens(prompt.opening)
                memory, sequence = self._memory_of(opening)
                rest = self._tokens(prompt.opening, prompt.rest)[len(opening):]
                if memory.cells + len(rest) + max_tokens > CONTEXT_TOKENS:
                    raise WalletError(TOO_LONG)
                if not self._restore(memory):
                    raise WalletError("the model could not take back what it read before; start again")
                position = len(opening)
                logits = memory.last_logits[sequence]
                if rest:
                    logits = self._read_sequence(rest, sequence, position)
                return self._generate(logits, sequence, position + len(rest), sampler, max_tokens, until)
        finally:
            if sampler:
                llama_cpp.llama_sampler_free(sampler)

    def _generate(self, logits: np.ndarray, sequence: int, position: int, sampler: llama_cpp.llama_sampler_p | None,
                  max_tokens: int, until: Callable[[str], bool] | None) -> str:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        text = ""
        for step in range(max_tokens):
            token = _greedy(logits, sampler)
            if llama_cpp.llama_vocab_is_eog(self._vocab, token):
                break
            if sampler:
                llama_cpp.llama_sampler_accept(sampler, token)
            text += decoder.decode(self._piece(token))
            if step + 1 >= max_tokens or (until and until(text)):
                break
            logits = self._read_sequence([token], sequence, position)
            position += 1
        return text

    # reading

    def _remembered(self, openings: tuple[tuple[int, ...], ...]) -> bool:
        return any(all(tokens in memory.openings for tokens in openings) for memory in self._memories)

    def _memory_of(self, opening: tuple[int, ...]) -> tuple[Memory, int]:
        """The memory that holds `opening`, and its sequence there; read now if none does."""
        for memory in self._memories:
            sequence = memory.sequence(opening)
            if sequence is not None:
                return memory, sequence
        return self._read_openings((opening,)), 0

    def _read_openings(self, openings: tuple[tuple[int, ...], ...],
                       progress: Callable[[int], None] | None = None) -> Memory:
        """Read openings side by side, one sequence each, and remember the context they leave."""
        if not 0 < len(openings) < SEQUENCES or any(not tokens for tokens in openings):
            raise ValueError("a group of openings is 1 to SEQUENCES - 1 non-empty prompts")
        llama_cpp.llama_memory_clear(self._kv, True)
        root: dict[int, _Node] = {}
        ends = []
        for sequence, tokens in enumerate(openings):
            level, node = root, None
            for position, token in enumerate(tokens):
                node = level.setdefault(token, _Node(token, position))
                node.sequences.append(sequence)
                level = node.children
            node.keep = True
            ends.append(node)
        order = _depth_first(root)
        if len(order) > CONTEXT_TOKENS // 2:
            raise WalletError(TOO_LONG)
        self._read_nodes(order, _READ_STEP if progress else BATCH_TOKENS, progress)
        state = np.empty(llama_cpp.llama_state_get_size(self._context), dtype=np.uint8)
        state = state[:llama_cpp.llama_state_get_data(self._context, _bytes(state), state.size)]
        memory = Memory(openings, np.stack([node.row for node in ends]), state, len(order))
        self._memories.append(memory)
        return memory

    def _restore(self, memory: Memory) -> bool:
        llama_cpp.llama_memory_clear(self._kv, True)
        read = llama_cpp.llama_state_set_data(self._context, _bytes(memory.state), memory.state.size)
        return read == memory.state.size

    def _read_nodes(self, order: list[_Node], step: int = BATCH_TOKENS,
                    progress: Callable[[int], None] | None = None) -> None:
        """Read the tokens, each after its parent, `step` at a time; after each token whose
        logits are wanted, keep them or the log-probabilities asked of them."""
        for start in range(0, len(order), step):
            piece = order[start:start + step]
            batch = llama_cpp.llama_batch_init(len(piece), 0, max(len(node.sequences) for node in piece))
            try:
                for index, node in enumerate(piece):
                    batch.token[index], batch.pos[index] = node.token, node.position
                    batch.n_seq_id[index] = len(node.sequences)
                    for slot, sequence in enumerate(node.sequences):
                        batch.seq_id[index][slot] = sequence
                    batch.logits[index] = node.keep or bool(node.asked)
                batch.n_tokens = len(piece)
                self._decode(batch)
                for index, node in enumerate(piece):
                    if node.keep:
                        node.row = self._logits(index).copy()
                    if node.asked:
                        node.asked = _log_probabilities(self._logits(index), node.asked)
            finally:
                llama_cpp.llama_batch_free(batch)
            if progress:
                progress(start + len(piece))

    def _read_sequence(self, tokens: Sequence[int], sequence: int, position: int) -> np.ndarray:
        """Read `tokens` into one sequence from `position` on; the logits after the last."""
        nodes = [_Node(token, position + offset, [sequence]) for offset, token in enumerate(tokens)]
        nodes[-1].keep = True
        self._read_nodes(nodes)
        return nodes[-1].row

    def _decode(self, batch: llama_cpp.llama_batch) -> None:
        self.reading = Reading(self.reading.tokens + batch.n_tokens, self.reading.decodes + 1)
        if llama_cpp.llama_decode(self._context, batch) != 0:
            raise WalletError("the model could not read the request; try a shorter one")

    def _logits(self, index: int) -> np.ndarray:
        pointer = llama_cpp.llama_get_logits_ith(self._context, index)
        return np.ctypeslib.as_array(pointer, shape=(self.vocabulary,))

    # tokens

    def _opening_tokens(self, opening: str) -> tuple[int, ...]:
        return self._tokens(opening, "")

    def _tokens(self, opening: str, rest: str) -> tuple[int, ...]:
        tokens = self._special(opening)
        trusted, *marked = rest.split(MARK_START)
        for piece in marked:
            # the space before a marked span goes with it, so that words tokenize as they usually do
            kept = trusted.rstrip(" ")
            outside, _, after = piece.partition(MARK_END)
            tokens += self._special(kept) + self._plain(trusted[len(kept):] + outside)
            trusted = after
        tokens += self._special(trusted)
        bos = llama_cpp.llama_vocab_bos(self._vocab)
        if llama_cpp.llama_vocab_get_add_bos(self._vocab) and tokens[:1] != [bos]:
            tokens.insert(0, bos)
        return tuple(tokens)

    def _special(self, text: str) -> list[int]:
        """Tokens of our own text, in which special tokens (<|im_start|>, ...) are meant."""
        return self._tokenize(text, special=True)

    def _plain(self, text: str) -> list[int]:
        """Tokens of outside text: whatever it says, it is read as words."""
        return self._tokenize(text, special=False)

    def _tokenize(self, text: str, special: bool) -> list[int]:
        if not text:
            return []
        encoded = text.encode()
        room = len(encoded) + 2
        tokens = (llama_cpp.llama_token * room)()
        count = llama_cpp.llama_tokenize(self._vocab, encoded, len(encoded), tokens, room, False, special)
        if count < 0:
            raise WalletError(TOO_LONG)
        return list(tokens[:count])

    def _piece(self, token: int) -> bytes:
        buffer = ctypes.create_string_buffer(64)
        size = llama_cpp.llama_token_to_piece(self._vocab, token, buffer, len(buffer), 0, False)
        return buffer.raw[:max(size, 0)]


@dataclass(eq=False)
class _Node:
    """One token of a batch, read once for every sequence whose tokens begin the same way."""

    token: int
    position: int
    sequences: list[int] = field(default_factory=list)
    children: dict[int, _Node] = field(default_factory=dict)
    asked: dict[int, float] = field(default_factory=dict)  # next token -> its log-probability here
    keep: bool = False  # whether to keep the logits after it
    row: np.ndarray | None = None
    read: bool = False  # whether a race has read it yet (Runtime._read_race)


@dataclass(eq=False)
class _Item:
    """One continuation being scored: the memory and sequence of its opening, its tokens, its
    path through the batch (one node per token read), and its score once read."""

    memory: Memory
    opening: int
    given: list[int]
    continuation: list[int]
    path: list[_Node] = field(default_factory=list)
    score: float = 0.0
    group: int = 0  # which of likeliest()'s groups it is in
    sequence: int = -1  # its sequence in the batch being read
    after_opening: float = 0.0  # log P(first token | opening), when nothing is given between them
    known: int = 0  # tokens of the continuation whose log-probabilities score has summed

    def read_so_far(self) -> list[float]:
        """The log-probabilities of the continuation's tokens read so far, from the first on."""
        known = []
        for node, token in self.predicting():
            if node is not None and not node.read:
                break
            known.append(self.after_opening if node is None else node.asked[token])
        return known

    @property
    def finished(self) -> bool:
        return all(node.read for node in self.path)

    @property
    def read(self) -> list[int]:
        """What is read after the opening: the last token of the continuation is only predicted."""
        return [*self.given, *self.continuation][:-1]

    def predicting(self) -> list[tuple[_Node | None, int]]:
        """Each token of the continuation with the node after which it is predicted (None: the
        opening's last token)."""
        before = len(self.given)
        return [(self.path[before + at - 1] if before + at else None, token)
                for at, token in enumerate(self.continuation)]


class _Race:
    """What is known of each group's continuations in likeliest(): the best score over their
    first k tokens, for each k, and the best whole score. A continuation stays in the race while
    it is within BEHIND of the best as far as it is read, and not below a whole score."""

    def __init__(self, groups: int) -> None:
        self._best_over: list[dict[int, float]] = [{} for _ in range(groups)]
        self._best_whole = [-np.inf] * groups

    def note(self, items: Iterable[_Item]) -> None:
        for item in items:
            known = item.read_so_far()
            item.score, item.known = sum(known), len(known)
            best = self._best_over[item.group]
            best[item.known] = max(best.get(item.known, -np.inf), item.score)
            if item.finished:
                self._best_whole[item.group] = max(self._best_whole[item.group], item.score)

    def keeps(self, item: _Item) -> bool:
        best = self._best_over[item.group][item.known]
        return item.score >= best - BEHIND and item.score >= self._best_whole[item.group]

    @staticmethod
    def winner(items: list[_Item]) -> int:
        """The index in its group of the likeliest item read whole, the first of equals."""
        whole = [item.score if item.finished else -np.inf for item in items]
        return whole.index(max(whole))


def _batches(items: list[_Item]) -> list[list[_Item]]:
    """The items in batches: those over one memory together, as many as fit its context's
    cells and sequences (what continuations share counts as theirs alone: a bound)."""
    batches: list[list[_Item]] = []
    for memory in dict.fromkeys(item.memory for item in items):
        cells = CONTEXT_TOKENS + 1
        for item in (item for item in items if item.memory is memory):
            size = len(item.given) + len(item.continuation)
            if memory.cells + size > CONTEXT_TOKENS:
                raise WalletError(TOO_LONG)
            if cells + size > CONTEXT_TOKENS or len(memory.openings) + len(batches[-1]) >= SEQUENCES:
                batches.append([])
                cells = memory.cells
            batches[-1].append(item)
            cells += size
    return batches


def _context_params(n_threads: int) -> llama_cpp.llama_context_params:
    params = llama_cpp.llama_context_default_params()
    params.n_ctx = CONTEXT_TOKENS
    params.n_batch = params.n_ubatch = BATCH_TOKENS
    params.n_seq_max = SEQUENCES
    params.kv_unified = True  # sequences share the cells of what they begin with alike
    params.n_outputs_max_per_seq = 0  # as many logits per sequence as a batch asks for
    params.n_threads = params.n_threads_batch = n_threads
    params.no_perf = True
    return params


@functools.cache
def _start_llama() -> None:
    llama_cpp.llama_log_set(_quiet, ctypes.c_void_p(0))  # llama.cpp would write over the TUI
    llama_cpp.llama_backend_init()


@llama_cpp.llama_log_callback
def _quiet(level: int, text: bytes, data: ctypes.c_void_p) -> None:
    return None


def _free(context: llama_cpp.llama_context_p, model: llama_cpp.llama_model_p) -> None:
    llama_cpp.llama_free(context)
    llama_cpp.llama_model_free(model)


def _bytes(array: np.ndarray) -> ctypes._Pointer:
    return array.ctypes.data_as(ctypes.POINTER(ctypes.c_uint8))


def _depth_first(level: dict[int, _Node]) -> list[_Node]:
    """Every node under `level`, each after its parent."""
    order, stack = [], list(reversed(level.values()))
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(node.children.values()))
    return order


def _log_probability(logits: np.ndarray, token: int) -> float:
    return _log_probabilities(logits, [token])[token]


def _log_probabilities(logits: np.ndarray, tokens: Iterable[int]) -> dict[int, float]:
    top = float(logits.max())
    total = top + float(np.log(np.exp(logits - top, dtype=np.float64).sum()))
    return {token: float(logits[token]) - total for token in tokens}


def _grammar_sampler(vocab: llama_cpp.llama_vocab_p, grammar: str | None) -> llama_cpp.llama_sampler_p | None:
    """A grammar-checking sampler, or ValueError for a grammar llama.cpp cannot parse."""
    if grammar is None:
        return None
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode(), b"root")
    if not sampler:
        raise ValueError(f"not a valid GBNF grammar:\n{grammar}")
    return sampler


_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])  # llama_token_data


def _greedy(logits: np.ndarray, sampler: llama_cpp.llama_sampler_p | None) -> int:
    """The likeliest next token the grammar allows. The likeliest of all is offered alone first:
    checking one token is quick, checking the whole vocabulary is not, and it mostly is allowed."""
    best = int(logits.argmax())
    if sampler is None or _allowed(sampler, np.array([(best, logits[best], 0.0)], dtype=_TOKEN_DATA)).size:
        return best
    everything = np.zeros(len(logits), dtype=_TOKEN_DATA)
    everything["id"], everything["logit"] = np.arange(len(logits)), logits
    allowed = _allowed(sampler, everything)
    if not allowed.size:
        raise WalletError("the model could not write anything the request allows; ask again")
    return int(allowed["id"][allowed["logit"].argmax()])


def _allowed(sampler: llama_cpp.llama_sampler_p, candidates: np.ndarray) -> np.ndarray:
    """The candidates the grammar lets through (it sets the others' logit to -inf)."""
    array = llama_cpp.llama_token_data_array(
        data=candidates.ctypes.data_as(llama_cpp.llama_token_data_p), size=len(candidates), selected=-1,
        sorted=False)
    llama_cpp.llama_sampler_apply(sampler, ctypes.byref(array))
    kept = candidates[: array.size]
    return kept[np.isfinite(kept["logit"])]
