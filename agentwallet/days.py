"""The words the wallet says a day in, and finding them again in someone's text.

Facts say when an entry happened in these words (actions/facts.py), and a question that names
a day is answered by the entries that say it (agent/answering.py): one wording, in one place.
"""

from __future__ import annotations

import datetime
import re

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not the locale's
_NAMED = re.compile(r"\b(today|yesterday|(?:%s)[a-z]* (\d{1,2})(?:st|nd|rd|th)?\b)" % "|".join(_MONTHS), re.IGNORECASE)


def day_words(day: str, today: str | None) -> str:
    """ "today", "yesterday" or "on Nov 20" (with the year when it is not this one), for a UTC date
    as "2026-11-20". Short on purpose: a question is weighed after every fact, and a timestamp's
    digits are most of a fact's tokens. The data shown beside the answer has the exact times."""
    date = datetime.date.fromisoformat(day)
    if today:
        now = datetime.date.fromisoformat(today)
        if date == now:
            return "today"
        if date == now - datetime.timedelta(days=1):
            return "yesterday"
    year = f", {date.year}" if not today or date.year != int(today[:4]) else ""
    return f"on {_MONTHS[date.month - 1]} {date.day}{year}"


def named(text: str) -> set[str]:
    """The days `text` names in those words, as "today", "yesterday" or "nov 20" ("November 20th",
    "today's" and "Nov 20, 2026" name them too)."""
    found = set()
    for match in _NAMED.finditer(text):
        word = match.group(1).lower()
        found.add(word if word in ("today", "yesterday") else f"{word[:3]} {int(match.group(2))}")
    return found
