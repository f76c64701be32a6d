"""The answers `serve` keeps for payments (payments/answered.py): on disk before a payment is
settled, read back by the next server, a line cut short skipped, old ones dropped."""

from __future__ import annotations

import stat

from agentwallet.payments.answered import FILE, KEEP_SECONDS, AnswersServed

PAYMENT = ("0x" + "aa" * 20, "0x" + "11" * 32)


def test_a_kept_answer_is_found_by_its_payment_and_question_after_a_restart(tmp_path):
    AnswersServed(tmp_path, now=lambda: 1_000.0).keep(PAYMENT, "hi", "hello «there»", 7)
    again = AnswersServed(tmp_path, now=lambda: 2_000.0)
    assert again.kept(PAYMENT, "hi") == ("hello «there»", 7)
    assert again.kept(PAYMENT, "hi?") is None and again.kept((PAYMENT[0], "0x" + "22" * 32), "hi") is None
    assert stat.S_IMODE((tmp_path / FILE).stat().st_mode) == 0o600


def test_a_line_cut_short_is_skipped_and_old_answers_are_dropped(tmp_path):
    kept = AnswersServed(tmp_path, now=lambda: 1_000.0)
    kept.keep(PAYMENT, "old", "an old answer", 1)
    later = AnswersServed(tmp_path, now=lambda: 1_000.0 + KEEP_SECONDS - 1)
    later.keep(PAYMENT, "new", "a new answer", 2)
    with open(tmp_path / FILE, "a", encoding="utf-8") as file:
        file.write('{"payer": "0xbb", "nonce": "0x')  # a crash in the middle of a line
    reopened = AnswersServed(tmp_path, now=lambda: 1_000.0 + KEEP_SECONDS + 1)
    assert reopened.kept(PAYMENT, "new") == ("a new answer", 2)
    assert reopened.kept(PAYMENT, "old") is None
    assert (tmp_path / FILE).read_text(encoding="utf-8").count("\n") == 1  # rewritten without the dropped lines
