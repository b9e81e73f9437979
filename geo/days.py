"""A day as the command line, the app's links and its API take one: `YYYY-MM-DD`, and only that.

Python's `date.fromisoformat` takes every ISO 8601 form since 3.11 (`20210906`, `2021-W36-1`),
so a message asking for YYYY-MM-DD would have been obeyed in forms it never named; and compared
as text, `2021-9-5` or `zzz` filtered silently instead of failing. One parser, one message.
"""

from __future__ import annotations

import datetime as dt
import re

from geo.errors import GeoError

FORM = "YYYY-MM-DD"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DayError(GeoError, ValueError):
    """A value that should be a day is not one, as YYYY-MM-DD with a real month and day."""


def parse_day(value: str) -> dt.date:
    """The day `value` names, written YYYY-MM-DD; `DayError` saying so otherwise.

    >>> parse_day("2021-09-06")
    datetime.date(2021, 9, 6)
    >>> parse_day("20210906")
    Traceback (most recent call last):
    geo.days.DayError: not a date: '20210906'; write YYYY-MM-DD, e.g. 2021-09-06
    """
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise DayError(message(value))


def message(value: object) -> str:
    """What every refusal of a day says, wherever the day was given."""
    shown = value if isinstance(value, str) and len(value) <= 40 else f"{str(value)[:40]}…"
    return f"not a date: {shown!r}; write {FORM}, e.g. 2021-09-06"
