"""The language model on this machine: load it once, score and complete prompts, remember openings.

This is the only module that imports llama_cpp. A prompt is an opening that is the same
every time (instructions, worked examples), whose reading the model's memory keeps, and the
rest, which is this request. Untrusted spans in the rest are marked (`untrusted.mark`) and
tokenized as plain text, so text from the chain or a tool never becomes a special token such
as an end of turn; so is every continuation that gets scored.
"""

from __future__ import annotations

import codecs
import ctypes
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import llama_cpp
import numpy as np
from llama_cpp import Llama, LlamaGrammar

from agentwallet.errors import WalletError
from agentwallet.untrusted import MARK_END, MARK_START

CONTEXT_TOKENS = 2048
TOO_LONG = "that is too long for the model to read; say it in fewer words"
OPENINGS_KEPT = 12  # more than the planner's and the answerer's openings together
_READ_STEP = 64  # tokens read at a time while preparing, so that progress can be reported


@dataclass(frozen=True)
class Prompt:
    opening: str  # trusted and the same every time; its reading is remembered
    rest: str = ""  # this request; untrusted spans marked


@dataclass(frozen=True)
class _Memory:
    """The attention cache after reading `tokens`, to be put back instead of reading again."""

    tokens: tuple[int, ...]
    cache: ctypes.Array
    last_logits: np.ndarray  # what the model expects after the last token


class Runtime:
    def __init__(self, model_path: Path, n_threads: int = 2, n_gpu_layers: int = 0) -> None:
        if not Path(model_path).is_file():
            raise WalletError(f"model file not found: {model_path}")
        try:
            self._llm = Llama(
                str(model_path),
                n_ctx=CONTEXT_TOKENS,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_gpu_layers=n_gpu_layers,
                verbose=False,
            )
        except ValueError as error:
            raise WalletError(f"cannot load the model {model_path}: {error}") from None
        self._vocab = llama_cpp.llama_model_get_vocab(self._llm.model)
        self._memories: list[_Memory] = []
        self._lock = threading.Lock()  # one llama.cpp context: one reader at a time

    def prepare(self, prompts: Sequence[Prompt], progress: Callable[[float], None] | None = None) -> None:
        """Read the prompts' openings now, so that the first request is as quick as the next."""
        with self._lock:
            openings = [self._tokens(prompt.opening, "") for prompt in prompts]
            total, done = sum(map(len, openings)) or 1, 0
            for tokens in filter(None, openings):
                def report(part: float, before: int = done, size: int = len(tokens)) -> None:
                    if progress:
                        progress((before + part * size) / total)

                self._remember(tokens, report)
                done += len(tokens)

    def likelihood(self, opening: str, continuation: str, given: str = "") -> float:
        """log P(continuation | opening, given): how well the model expects `continuation` to
        follow `opening` and then `given`. Both are outside text, read as plain words."""
        with self._lock:
            memory = self._remember(self._tokens(opening, ""))
            before, following = self._plain(given), self._plain(continuation)
            self._hold(memory.tokens)
            rows = np.vstack([memory.last_logits, self._read_with_logits([*before, *following][:-1])])[len(before):]
            shifted = rows - rows.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(log_probs[np.arange(len(following)), following].sum())

    def complete(
        self,
        prompt: Prompt,
        grammar: str | None = None,
        max_tokens: int = 64,
        until: Callable[[str], bool] | None = None,
    ) -> str:
        """Greedy text after `prompt`, within `grammar` (GBNF) when given.

        Stops at the model's end of turn, after `max_tokens`, or once `until(text)` holds.
        """
        with self._lock:
            if opening := self._tokens(prompt.opening, ""):
                self._remember(opening)
            tokens = self._tokens(prompt.opening, prompt.rest)
            if len(tokens) + max_tokens > CONTEXT_TOKENS:
                raise WalletError(TOO_LONG)
            self._resume(tokens)
            constraint = _checked(self._vocab, grammar)
            return self._generate(tokens, constraint, max_tokens, until)

    def _generate(
        self,
        tokens: tuple[int, ...],
        grammar: LlamaGrammar | None,
        max_tokens: int,
        until: Callable[[str], bool] | None,
    ) -> str:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        produced: list[int] = []
        text = ""
        for token in self._llm.generate(tokens, temp=0.0, repeat_penalty=1.0, grammar=grammar):
            if llama_cpp.llama_vocab_is_eog(self._vocab, token):
                break
            piece = decoder.decode(self._llm.detokenize([token], prev_tokens=[*tokens, *produced]))
            produced.append(token)
            text += piece
            if len(produced) >= max_tokens or (until and until(text)):
                break
        return text

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
        bos = self._llm.token_bos()
        if llama_cpp.llama_vocab_get_add_bos(self._vocab) and tokens[:1] != [bos]:
            tokens.insert(0, bos)
        return tuple(tokens)

    def _special(self, text: str) -> list[int]:
        """Tokens of our own text, in which special tokens (<|im_start|>, ...) are meant."""
        return self._llm.tokenize(text.encode(), add_bos=False, special=True) if text else []

    def _plain(self, text: str) -> list[int]:
        """Tokens of outside text: whatever it says, it is read as words."""
        return self._llm.tokenize(text.encode(), add_bos=False, special=False) if text else []

    def _held(self, tokens: Sequence[int]) -> int:
        """How many leading tokens of `tokens` the model's cache holds now."""
        return _shared_prefix(self._llm.input_ids[: self._llm.n_tokens], tokens)

    def _hold(self, tokens: Sequence[int], progress: Callable[[float], None] | None = None) -> None:
        """Make the cache hold exactly `tokens`, reading only what it lacks."""
        self._resume(tokens)
        start = self._held(tokens)
        self._llm.n_tokens = start
        self._llm.eval([])  # drops whatever the cache holds past `start`
        for step in range(start, len(tokens), _READ_STEP):
            self._llm.eval(tokens[step : step + _READ_STEP])
            if progress:
                progress(min(step + _READ_STEP, len(tokens)) / len(tokens))
        if progress:
            progress(1.0)

    def _remember(self, tokens: tuple[int, ...], progress: Callable[[float], None] | None = None) -> _Memory:
        """The memory of reading `tokens`, reading them first if no memory has them."""
        known = next((memory for memory in self._memories if memory.tokens == tokens), None)
        if known is not None:
            self._memories.remove(known)
            self._memories.append(known)
            if progress:
                progress(1.0)
            return known
        self._hold(tokens[:-1], progress)
        last_logits = self._read_with_logits(tokens[-1:])[0].copy()
        context = self._llm.ctx
        size = llama_cpp.llama_state_seq_get_size(context, 0)
        cache = (ctypes.c_uint8 * size)()
        llama_cpp.llama_state_seq_get_data(context, cache, size, 0)
        memory = _Memory(tokens, cache, last_logits)
        self._memories = [*self._memories[-(OPENINGS_KEPT - 1):], memory]
        return memory

    def _resume(self, tokens: Sequence[int]) -> None:
        """Put back the memory that shares most with `tokens`, when it beats the live cache."""
        best = max(self._memories, key=lambda memory: _shared_prefix(memory.tokens, tokens), default=None)
        if best is None or _shared_prefix(best.tokens, tokens) <= self._held(tokens):
            return
        context = self._llm.ctx
        llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(context), True)
        llama_cpp.llama_state_seq_set_data(context, best.cache, len(best.cache), 0)
        self._llm.input_ids[: len(best.tokens)] = best.tokens
        self._llm.n_tokens = len(best.tokens)
        self._llm._requires_eval = True  # a restored cache comes without logits: Llama must read on
        self._memories.remove(best)
        self._memories.append(best)

    def _read_with_logits(self, tokens: Sequence[int]) -> np.ndarray:
        """Read `tokens` after what the cache holds; the logits after each, one row per token.
        Read in pieces of the context's batch size (llama.cpp aborts on a larger batch)."""
        step = self._llm.n_batch
        pieces = [self._read_piece(tokens[at : at + step]) for at in range(0, len(tokens), step)]
        return np.vstack(pieces) if pieces else np.empty((0, self._llm.n_vocab()), dtype=np.float32)

    def _read_piece(self, tokens: Sequence[int]) -> np.ndarray:
        context, start, count = self._llm.ctx, self._llm.n_tokens, len(tokens)
        if start + count > CONTEXT_TOKENS:
            raise WalletError(TOO_LONG)
        batch = llama_cpp.llama_batch_init(count, 0, 1)
        try:
            for index, token in enumerate(tokens):
                batch.token[index] = token
                batch.pos[index] = start + index
                batch.n_seq_id[index] = 1
                batch.seq_id[index][0] = 0
                batch.logits[index] = True
            batch.n_tokens = count
            if llama_cpp.llama_decode(context, batch) != 0:
                raise WalletError("the model could not read the request; try a shorter one")
            vocabulary = self._llm.n_vocab()
            rows = np.array([
                np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(context, index), shape=(vocabulary,))
                for index in range(count)
            ]).reshape(count, vocabulary)
        finally:
            llama_cpp.llama_batch_free(batch)
        self._llm.input_ids[start : start + count] = tokens
        self._llm.n_tokens = start + count
        self._llm._requires_eval = True
        return rows


def _checked(vocab: llama_cpp.llama_vocab_p, grammar: str | None) -> LlamaGrammar | None:
    """The grammar for sampling, parsed once here first: llama.cpp crashes on a bad one."""
    if grammar is None:
        return None
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode(), b"root")
    if not sampler:
        raise ValueError(f"not a valid GBNF grammar:\n{grammar}")
    llama_cpp.llama_sampler_free(sampler)
    return LlamaGrammar.from_string(grammar, verbose=False)


def _shared_prefix(left: Sequence[int], right: Sequence[int]) -> int:
    count = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        count += 1
    return count
