"""The date a sentence's claim is about, read against the article's publication date.

(`geo/extraction/dating.py` finds the publication date itself.) An explicit date wins ("August 30"), then a
weekday ("on Friday", the last one on or before publication), then a relative phrase ("last
night"); failing all, the publication date, and the evidence says so, so a reviewer can check.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta, weekday

from geo.extraction.lexicon import Lexicon

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_EXPLICIT_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?|\d{{1,2}} (?:{_MONTHS})(?:,? \d{{4}})?)\b", re.I
)
_WEEKDAY_DATE = re.compile(
    rf"\b(?:on |late |last |this )?({'|'.join(_WEEKDAYS)})(?: (?:evening|night|morning))?\b", re.I
)

#: (date, basis, evidence), all None when there is nothing to anchor a date to.
SentenceDate = tuple[str | None, str | None, str | None]


def sentence_date(sentence: str, published: dt.date | None, lex: Lexicon) -> SentenceDate:
    """(date, basis, evidence): explicit > weekday > relative phrase > the publication date."""
    explicit = _EXPLICIT_DATE.search(sentence)
    if explicit:
        default = dt.datetime(published.year if published else 1900, 1, 1)
        try:
            day = date_parser.parse(explicit.group(), default=default).date()
        except (ValueError, OverflowError):
            day = None
        if day is not None and (published or re.search(r"\d{4}", explicit.group())):
            return day.isoformat(), "stated", explicit.group()
    if published is None:
        return None, None, None
    named = _WEEKDAY_DATE.search(sentence)
    if named:
        wd = weekday(_WEEKDAYS.index(named.group(1).lower()))
        day = published + relativedelta(weekday=wd(-1))
        return day.isoformat(), "inferred", f"'{named.group()}' before {published.isoformat()}"
    relative = lex.relative_re.search(sentence)
    if relative:
        day = published + dt.timedelta(days=lex.relative[relative.group().lower()])
        return day.isoformat(), "inferred", f"'{relative.group()}' in an article of {published.isoformat()}"
    return published.isoformat(), "inferred", f"no date in the sentence; the article's date, {published.isoformat()}"
