"""The skill this wallet sells (`serve`): a question answered by the local model in a plain
completion. The model reads nothing of the wallet (no balance, no contact, no history): a
stranger pays for its words, not for a look inside. The question is outside text, marked so
that it is read as words, never as the chat's control tokens, and cut to QUESTION_LIMIT."""

from __future__ import annotations

from pathlib import Path

from agentwallet import untrusted
from agentwallet.agent.runtime import Prompt, Runtime
from agentwallet.errors import WalletError

QUESTION_LIMIT = 400  # characters of a question the model reads
ANSWER_TOKENS = 96  # a few sentences
OPENING = ("<|im_start|>system\nYou are a helpful assistant. Answer the question in one or two short "
           "sentences.<|im_end|>\n<|im_start|>user\n")
_TURN = "<|im_end|>\n<|im_start|>assistant\n"


class Answerer:
    def __init__(self, model_path: Path, n_threads: int = 2, n_gpu_layers: int = 0):
        self._runtime = Runtime(model_path, n_threads=n_threads, n_gpu_layers=n_gpu_layers)
        self._runtime.prepare([(OPENING,)])

    def answer(self, question: str) -> str:
        """The model's answer to `question` (greedy, so the same question gets the same answer)."""
        asked = untrusted.line(question, limit=QUESTION_LIMIT)
        if not asked:
            raise WalletError("the question is empty")
        said = self._runtime.complete(Prompt(OPENING, untrusted.mark(asked) + _TURN), max_tokens=ANSWER_TOKENS)
        return said.strip()
