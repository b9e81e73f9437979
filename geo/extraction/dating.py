"""When an article was published, from its own words, for articles that come without a date.

Only what the text states is used: a dateline at its head ("CAIRO, August 30. /TASS/", "Kabul, Sept 4
(Wire) -") or a full date it gives ("on September 1, 2021"), which bounds it from below. A dateline
without a year takes the year of a full date in the text, never a bare year, which may be history
("(1953-2001)"); a text that states no year gets no date, since a guessed one moved the whole map
by years once. The answer carries its evidence, so a reviewer can check it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as date_parser

from geo.datelines import DATE, datelines

HEAD = 400  # characters from the top in which a dateline counts


@dataclass(frozen=True)
class Published:
    day: dt.date
    evidence: str


def infer_published(text: str) -> Published | None:
    """The publication date a text states, with the words it rests on, or None."""
    for line in datelines(text[:HEAD]):
        found = DATE.search(text, line.place_end, line.end) if line.date else None
        if found is None:
            continue
        year = found.group("year") or _latest_full_date_year(text)
        day = _day(found, year)
        if day is not None:
            words = text[line.start : found.end()].strip()
            how = "" if found.group("year") else f"; the year, {year}, from the latest full date in the text"
            return Published(day, f"dateline '{words}'{how}")
    full = [(d, m) for m in DATE.finditer(text) if m.group("year") and (d := _day(m, m.group("year"))) is not None]
    if full:
        day, match = max(full, key=lambda pair: pair[0])
        return Published(day, f"the latest full date in the text, '{match.group()}': published on or after it")
    return None


def _latest_full_date_year(text: str) -> str | None:
    """The year of the latest full date the text gives ("September 1, 2021"); a bare year may be
    history ("Ahmad Shah Massoud (1953-2001)"), so it is never used."""
    years = [m.group("year").strip(", ") for m in DATE.finditer(text) if m.group("year")]
    return max(years) if years else None


def _day(match: re.Match[str], year: str | None) -> dt.date | None:
    if year is None:
        return None
    try:
        parsed: dt.datetime = date_parser.parse(match.group(), default=dt.datetime(int(year.strip(", ")), 1, 1))
        return parsed.date()
    except (ValueError, OverflowError):
        return None
