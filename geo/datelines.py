"""Datelines and agency tags: where a desk wrote from, for which agency, on which day.

"KABUL, Sept 5 (Wire) -", "MOSCOW (Agency) -", "CAIRO, August 30. /TASS/." open wire copy and each
item of an agency digest. The place is where the desk files from, never where a claim is: a story
from Kabul about Rokha once put "Taliban captured Kabul" on the map. The agency and the date are
the article's metadata, for a reviewer to confirm. A line counts as a dateline only with an agency
or a date after its place, or a dash after a place in capitals ("PANJSHIR —"): "Kabul, the capital,
fell" is a sentence, not a dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
#: "August 30", "Sept. 4", "30 August", with an optional year.
DATE = re.compile(rf"\b(?:{_MONTH} {_DAY}|{_DAY} {_MONTH})(?P<year>,? (?:19|20)\d\d)?\b", re.I)
_PLACE = r"(?P<place>[A-Z][A-Za-z'’.-]+(?: [A-Z][A-Za-z'’.-]+){0,2})"
#: ", Afghanistan" after the city: part of the dateline's place, not a second place.
_COUNTRY = rf"(?:,\s+(?!{_MONTH}\s)(?P<country>[A-Z][a-z]+(?: [A-Z][a-z]+)?))?"
_WHEN = rf"(?:,\s+(?P<date>(?:{_MONTH} {_DAY}|{_DAY} {_MONTH})(?:,? (?:19|20)\d\d)?))?"
_AGENCY = r"(?:\s*\.?\s*(?:\((?P<paren>[^()\n]{1,40})\)|/(?P<slash>[^/\n]{1,30})/\.?))?"
_DASH = r"(?P<dash>\s*(?:[-–—:]+|\.)\s+)?"
_DATELINE = re.compile(rf"^[ \t]*{_PLACE}{_COUNTRY}{_WHEN}{_AGENCY}{_DASH}", re.M)


@dataclass(frozen=True)
class Dateline:
    """A dateline's spans in the text: the whole of it, and its place (never a claim's)."""

    start: int
    end: int
    place_start: int
    place_end: int
    place: str
    agency: str | None
    date: str | None


def datelines(text: str) -> list[Dateline]:
    """Every dateline heading a line of `text`: the article's own and each item of a digest."""
    out = []
    for m in _DATELINE.finditer(text):
        agency = m.group("paren") or m.group("slash")
        shouting = m.group("place").isupper() and len(m.group("place")) > 2
        if agency is not None and not _looks_like_agency(agency):
            agency = None
        if not (agency or m.group("date") or (shouting and m.group("dash"))):
            continue
        if m.group("dash") is None and agency is None:
            continue  # "Kabul, August 30 was quiet": a date after a name is no dateline without a tag or dash
        place_end = m.end("country") if m.group("country") else m.end("place")
        out.append(
            Dateline(
                m.start("place"),
                m.end(),
                m.start("place"),
                place_end,
                m.group("place"),
                agency.strip() if agency else None,
                m.group("date"),
            )
        )
    return out


def head_dateline(text: str, within: int = 600) -> Dateline | None:
    """The article's own dateline: the first one in its opening characters."""
    return next((d for d in datelines(text[: within + 200]) if d.start <= within), None)


def _looks_like_agency(words: str) -> bool:
    """An agency tag is a short name ("Wire", "AP", "Pamir Press Agency"), not an aside in brackets
    ("(outlawed in Russia)", "(NRF)" after a faction's name is caught by the place test anyway)."""
    tokens = words.split()
    return 0 < len(tokens) <= 5 and all(t[:1].isupper() or t[:1].isdigit() or t in ("de", "of", "and") for t in tokens)
