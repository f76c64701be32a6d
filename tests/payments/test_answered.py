"""The answers `serve` keeps for payments (payments/answered.py): on disk before a payment is
settled, read back by the next server, a line cut short skipped, old ones dropped."""

from __future__ import annotations

import stat

from agentwallet.payments.answered import FILE, KEEP_SECONDS, AnswersServed, Kept

PAYER, NONCE, OTHER_NONCE = "0x" + "aa" * 20, "0x" + "11" * 32, "0x" + "22" * 32
USDC = "0x" + "cc" * 20


def kept(question: str, answer: str, at: float, nonce: str = NONCE) -> Kept:
    return Kept(PAYER, nonce, question, answer, USDC, 10_000, 7, at)


def test_a_kept_answer_is_found_by_its_payment_and_question_after_a_restart(tmp_path):
    AnswersServed(tmp_path, now=lambda: 1_000.0).keep(kept("hi", "hello «there»", 1_000.0))
    again = AnswersServed(tmp_path, now=lambda: 2_000.0)
    assert again.kept((PAYER, NONCE), "hi") == kept("hi", "hello «there»", 1_000.0)
    assert again.kept((PAYER, NONCE), "hi?") is None and again.kept((PAYER, OTHER_NONCE), "hi") is None
    assert stat.S_IMODE((tmp_path / FILE).stat().st_mode) == 0o600


def test_a_payment_answered_again_for_another_question_keeps_only_that_answer(tmp_path):
    answers = AnswersServed(tmp_path, now=lambda: 1_000.0)
    answers.keep(kept("first", "its settlement failed", 1_000.0))
    answers.keep(kept("second", "this one was settled", 1_001.0))
    for reader in (answers, AnswersServed(tmp_path, now=lambda: 1_002.0)):
        assert reader.kept((PAYER, NONCE), "first") is None
        assert reader.kept((PAYER, NONCE), "second").answer == "this one was settled"


def test_a_line_cut_short_is_skipped_and_old_answers_are_dropped(tmp_path):
    AnswersServed(tmp_path, now=lambda: 1_000.0).keep(kept("old", "an old answer", 1_000.0, OTHER_NONCE))
    clock = [1_000.0 + KEEP_SECONDS - 1]
    later = AnswersServed(tmp_path, now=lambda: clock[0])
    later.keep(kept("new", "a new answer", 1_000.0 + KEEP_SECONDS - 1))
    with open(tmp_path / FILE, "a", encoding="utf-8") as file:
        file.write('{"payer": "0xbb", "nonce": "0x')  # a crash in the middle of a line
    reopened = AnswersServed(tmp_path, now=lambda: 1_000.0 + KEEP_SECONDS + 1)
    assert reopened.kept((PAYER, NONCE), "new").answer == "a new answer"
    assert reopened.kept((PAYER, OTHER_NONCE), "old") is None
    assert (tmp_path / FILE).read_text(encoding="utf-8").count("\n") == 1  # rewritten without the dropped lines
    clock[0] += 2
    assert later.kept((PAYER, OTHER_NONCE), "old") is None  # a server running all along ignores it too


def test_an_answer_kept_after_a_line_cut_short_is_a_line_of_its_own(tmp_path):
    answers = AnswersServed(tmp_path, now=lambda: 1_000.0)
    with open(tmp_path / FILE, "a", encoding="utf-8") as file:
        file.write('{"payer": "0xbb", "nonce": "0x')  # a write cut short by a full disk
    answers.keep(kept("hi", "kept after it", 1_000.0))
    assert AnswersServed(tmp_path, now=lambda: 1_001.0).kept((PAYER, NONCE), "hi").answer == "kept after it"
