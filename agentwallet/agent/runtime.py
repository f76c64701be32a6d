"""The language model on this machine: load it once, complete chat prompts, reuse what it has read.

This is the only module that imports llama_cpp. Prompts arrive as chat messages in which
untrusted spans are marked (`untrusted.mark`); those spans are tokenized as plain text, so
text from the chain or a tool can never become a special token such as an end of turn.
Every prompt has an opening (instructions, examples) that is the same from request to
request; the model's memory of it is kept, so a request pays only for its own few tokens.
"""

from __future__ import annotations

import codecs
import ctypes
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import llama_cpp
from llama_cpp import Llama, LlamaGrammar
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from agentwallet.agent.untrusted import MARK_END, MARK_START
from agentwallet.errors import WalletError

CONTEXT_TOKENS = 2048
OPENINGS_KEPT = 3  # the planner's, the answerer's, and one spare for a changed wallet
_READ_STEP = 64  # tokens read per step while preparing, so progress can be reported
_CHATML = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
    " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\n' }}{% endif %}"
)


@dataclass(frozen=True)
class Message:
    role: str  # system, user or assistant
    content: str  # untrusted spans inside are marked


@dataclass(frozen=True)
class ChatPrompt:
    opening: tuple[Message, ...]  # the same every time: instructions and examples
    turn: tuple[Message, ...]  # this request


@dataclass(frozen=True)
class _Memory:
    """The model's attention cache after reading `tokens`, to be put back later."""

    tokens: tuple[int, ...]
    cache: ctypes.Array


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
        template = self._llm.metadata.get("tokenizer.chat_template") or _CHATML
        special = {"eos_token": self._special_text(self._llm.token_eos()),
                   "bos_token": self._special_text(self._llm.token_bos())}
        self._history_format = Jinja2ChatFormatter(template, add_generation_prompt=False, **special)
        self._turn_format = Jinja2ChatFormatter(template, add_generation_prompt=True, **special)
        self._vocab = llama_cpp.llama_model_get_vocab(self._llm.model)
        self._memories: list[_Memory] = []
        self._lock = threading.Lock()  # one llama.cpp context: one completion at a time

    def prepare(self, opening: Sequence[Message], progress: Callable[[float], None] | None = None) -> None:
        """Read a prompt's opening now, so that the first request is as quick as the next ones."""
        with self._lock:
            self._prepare(opening, progress)

    def complete(
        self,
        prompt: ChatPrompt,
        grammar: str | None = None,
        max_tokens: int = 64,
        until: Callable[[str], bool] | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> str:
        """The assistant's turn, greedily, within `grammar` (GBNF) when given.

        Stops at the model's end of turn, after `max_tokens`, or as soon as `until(text)` holds.
        """
        with self._lock:
            return self._complete(prompt, grammar, max_tokens, until, on_text)

    def _prepare(self, opening: Sequence[Message], progress: Callable[[float], None] | None) -> None:
        tokens = self._tokens(opening, turn=False)
        if not any(memory.tokens == tokens for memory in self._memories):
            self._hold(tokens, progress)
            self._remember()

    def _complete(
        self,
        prompt: ChatPrompt,
        grammar: str | None,
        max_tokens: int,
        until: Callable[[str], bool] | None,
        on_text: Callable[[str], None] | None,
    ) -> str:
        self._prepare(prompt.opening, None)
        tokens = self._tokens(prompt.opening + prompt.turn, turn=True)
        if len(tokens) + max_tokens > CONTEXT_TOKENS:
            raise WalletError("that is too long for the model to read; say it in fewer words")
        self._resume(tokens)
        constraint = LlamaGrammar.from_string(grammar, verbose=False) if grammar else None
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        produced: list[int] = []
        text = ""
        for token in self._llm.generate(tokens, temp=0.0, grammar=constraint):
            if llama_cpp.llama_vocab_is_eog(self._vocab, token):
                break
            piece = decoder.decode(self._llm.detokenize([token], prev_tokens=[*tokens, *produced]))
            produced.append(token)
            text += piece
            if on_text and piece:
                on_text(piece)
            if len(produced) >= max_tokens or (until and until(text)):
                break
        return text

    def _tokens(self, messages: Sequence[Message], turn: bool) -> tuple[int, ...]:
        chat = self._turn_format if turn else self._history_format
        rendered = chat(messages=[{"role": m.role, "content": m.content} for m in messages]).prompt
        tokens: list[int] = []
        template, *marked = rendered.split(MARK_START)
        for piece in marked:
            # the space before a marked span goes with it, so words tokenize as they usually do
            kept = template.rstrip(" ")
            tokens += self._llm.tokenize(kept.encode(), add_bos=False, special=True)
            outside, _, next_template = piece.partition(MARK_END)
            spaced = template[len(kept):] + outside
            tokens += self._llm.tokenize(spaced.encode(), add_bos=False, special=False)
            template = next_template
        tokens += self._llm.tokenize(template.encode(), add_bos=False, special=True)
        bos = self._llm.token_bos()
        if llama_cpp.llama_vocab_get_add_bos(self._vocab) and tokens[:1] != [bos]:
            tokens.insert(0, bos)
        return tuple(tokens)

    def _held(self, tokens: Sequence[int]) -> int:
        """How many leading tokens of `tokens` the model's cache holds now."""
        return _shared_prefix(self._llm.input_ids[: self._llm.n_tokens], tokens)

    def _hold(self, tokens: Sequence[int], progress: Callable[[float], None] | None = None) -> None:
        """Make the cache hold exactly `tokens`, reading only what it lacks."""
        self._resume(tokens)
        start = self._llm.n_tokens = self._held(tokens)
        self._llm.eval([])  # drops whatever the cache holds past `start`
        for step in range(start, len(tokens), _READ_STEP):
            self._llm.eval(tokens[step : step + _READ_STEP])
            if progress:
                progress(min(step + _READ_STEP, len(tokens)) / len(tokens))
        if progress:
            progress(1.0)

    def _remember(self) -> None:
        context = self._llm.ctx
        size = llama_cpp.llama_state_seq_get_size(context, 0)
        cache = (ctypes.c_uint8 * size)()
        llama_cpp.llama_state_seq_get_data(context, cache, size, 0)
        tokens = tuple(int(t) for t in self._llm.input_ids[: self._llm.n_tokens])
        self._memories = [m for m in self._memories if m.tokens != tokens][-(OPENINGS_KEPT - 1):]
        self._memories.append(_Memory(tokens, cache))

    def _resume(self, tokens: Sequence[int]) -> None:
        """Put back the remembered cache that shares most with `tokens`, if it beats the live one."""
        best = max(self._memories, key=lambda m: _shared_prefix(m.tokens, tokens), default=None)
        if best is None or _shared_prefix(best.tokens, tokens) <= self._held(tokens):
            return
        context = self._llm.ctx
        llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(context), True)
        llama_cpp.llama_state_seq_set_data(context, best.cache, len(best.cache), 0)
        self._llm.input_ids[: len(best.tokens)] = best.tokens
        self._llm.n_tokens = len(best.tokens)
        self._llm._requires_eval = True  # the restored cache has no logits; Llama must read on
        self._memories.remove(best)
        self._memories.append(best)

    def _special_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self._llm.detokenize([token], special=True).decode("utf-8", errors="ignore")


def _shared_prefix(left: Sequence[int], right: Sequence[int]) -> int:
    count = 0
    for a, b in zip(left, right):
        if a != b:
            break
        count += 1
    return count
