"""The wallet's words for a day, and finding the days a question names in them."""

from __future__ import annotations

from agentwallet.days import day_words, named


def test_a_day_is_today_yesterday_or_its_date_with_the_year_only_when_it_is_not_this_one():
    assert day_words("2026-11-27", "2026-11-27") == "today"
    assert day_words("2026-11-26", "2026-11-27") == "yesterday"
    assert day_words("2026-11-20", "2026-11-27") == "on Nov 20"
    assert day_words("2025-12-31", "2026-01-02") == "on Dec 31, 2025"


def test_the_days_a_text_names_are_found_in_the_words_facts_say_them_in():
    assert named("A payment of 1 DAI to dave was carried out today.") == {"today"}
    assert named("show today's payments and yesterday's") == {"today", "yesterday"}
    assert named("what did you do on November 3rd?") == {"nov 3"}
    assert named(f"Pausing the agent was carried out {day_words('2026-03-03', '2026-11-27')}.") == {"mar 3"}
    assert named("how much may you spend per day") == set()
