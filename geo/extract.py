"""Candidate claims from article text: a pure function of (text, publication date).

Pipeline per sentence (pysbd segments each paragraph, in bounded windows): place mentions from
`geo.mentions`; the most specific place where a sentence names a place and its parent ("Shutul
district ... province of Panjshir"); control cues from `claims/lexicon.yaml`; for each mention, the cues near it; the
subject faction from the faction words around the cue; the claimant from attribution ("said",
"according to") and known speakers; the date from explicit dates ("August 30"), weekdays ("on
Friday") and relative phrases ("last night") read against the publication date. Every candidate
keeps its sentence as the quote, with offsets, the cue that fired, and a confidence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pysbd
from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta, weekday

from geo.bundled import bundled
from geo.errors import ClaimError
from geo.gazetteer import Gazetteer
from geo.mentions import Mention, MentionFinder
from geo.records import read_yaml
from geo.resolve import default_resolver

EXTRACTOR_VERSION = "rules-1"
DEFAULT_LEXICON = bundled("claims") / "lexicon.yaml"
NEAR = 100  # characters between a cue and a place for the cue to speak of the place
SENTENCE_WINDOW = 3_000  # characters pysbd sees at once; see `_paragraph_sentences`
# Clause boundaries: a cue speaks of places in its own clause, and a verb's agent is the first
# faction named in its clause ("X said that the Taliban ... were repelled").
# What may stand between two places that are the objects of one verb: "Shatel district and the Bryan".
_CHAIN = re.compile(
    r"^[\s\"'“”’]*(?:district|province|valley|town|city|village)?[\s\"'“”’]*(?:,|and|or)[\s\"'“”’,]*(?:and\s+)?(?:the\s+)?[\s\"'“”’]*$",
    re.I,
)
# Words that make a place a locator of another, not a target: "on the border between Kapisa and Panjshir".
_LOCATOR = re.compile(
    r"(?:border(?:ing)?|between|near|(?:north|south|east|west)(?:east|west)?(?:ern)? of)\s+(?:the\s+)?(?:[\w’']+\s+and\s+)?[\"“]?$",  # noqa: E501
    re.I,
)
_CLAUSE = re.compile(r"[;:]|\.\s|\b(?:but|while|whereas|that|said|says|told|stated|added)\b")
_OPPONENT = {"taliban": "nrf", "nrf": "taliban"}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_EXPLICIT_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?|\d{{1,2}} (?:{_MONTHS})(?:,? \d{{4}})?)\b", re.I
)
_WEEKDAY_DATE = re.compile(
    rf"\b(?:on |late |last |this )?({'|'.join(_WEEKDAYS)})(?: (?:evening|night|morning))?\b", re.I
)
_GEO_PRECISION = {
    "district": "district",
    "province": "province",
    "valley": "region",
    "river": "region",
    "range": "region",
    "country": "country",
}


@dataclass(frozen=True)
class Candidate:
    """A claim the extractor proposes; a reviewer accepts, edits or rejects it."""

    quote: str
    start: int
    end: int
    mention: str
    mention_start: int
    mention_end: int
    place_id: str
    name: str
    lat: float | None
    lon: float | None
    geo_precision: str
    type: str
    faction: str
    claimant: str
    claimant_kind: str
    claimant_faction: str | None
    speaker: str | None
    date: str | None
    date_end: str | None
    date_basis: str | None
    date_evidence: str | None
    rule: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Lexicon:
    cues: tuple[tuple[re.Pattern[str], str, str], ...]
    factions: tuple[tuple[re.Pattern[str], str], ...]
    persons: tuple[tuple[re.Pattern[str], str, str, str], ...]  # pattern, name, faction, kind
    attribution: re.Pattern[str]
    claimant_kinds: tuple[tuple[re.Pattern[str], str], ...]
    relative: dict[str, int]
    relative_re: re.Pattern[str]


def _words(items: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = DEFAULT_LEXICON) -> Lexicon:
    data, _ = read_yaml(path, ClaimError)
    try:
        cues = tuple((re.compile(rf"\b(?:{c['pattern']})\b", re.I), c["type"], c["subject"]) for c in data["cues"])
        factions = tuple((re.compile(rf"(?<![\w-])(?:{_words(w)})\b"), f) for f, w in data["factions"].items())
        persons = tuple(
            (re.compile(rf"\b(?:{_words([p['name'], *p['aliases']])})\b"), p["name"], p["faction"], p["kind"])
            for p in data["persons"]
        )
        kinds = tuple((re.compile(rf"\b(?:{_words(w)})\b", re.I), k) for k, w in data["claimant_kinds"].items())
        relative = {k.lower(): int(v) for k, v in data["relative_dates"].items()}
        return Lexicon(
            cues,
            factions,
            persons,
            re.compile(rf"\b(?:{_words(data['attribution'])})\b", re.I),
            kinds,
            relative,
            re.compile(rf"\b(?:{_words(list(relative))})\b", re.I),
        )
    except (KeyError, TypeError, re.error) as err:
        raise ClaimError(f"bad lexicon entry: {err}", path=path) from err


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, paragraph by paragraph: a headline without a full stop stays its own."""
    spans = []
    offset = 0
    for paragraph in text.split("\n"):
        if paragraph.strip():
            spans += [(offset + start, offset + end) for start, end in _paragraph_sentences(paragraph)]
        offset += len(paragraph) + 1
    return spans


def _paragraph_sentences(paragraph: str) -> list[tuple[int, int]]:
    """pysbd's sentences of one paragraph, as stripped spans, found window by window.

    pysbd's time grows with the square of the text it is given: for every word that begins like
    one of its abbreviations ("co", "al", "art"...) it rewrites the whole text, so a 2 MB file
    with no line break ran for more than ten minutes. pysbd therefore never sees more than
    `SENTENCE_WINDOW` characters: the sentences it ends in a window are kept, and the next
    window starts after the last of them, where pysbd would have put the boundary anyway. A
    window in which no sentence ends is one sentence, cut at its last space; nothing that long
    is a sentence of an article.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(paragraph):
        end = min(len(paragraph), start + SENTENCE_WINDOW)
        found = [(start + a, start + b) for a, b in _window_sentences(paragraph[start:end])]
        if end == len(paragraph) or not found:
            spans += found
            start = end
        elif len(found) > 1:
            # The last sentence may run on past the window. Of the others, stop after the last
            # one outside quotation marks: pysbd pairs quotes, and a window that opened inside a
            # quotation would pair them the wrong way round and split quoted speech.
            complete = len(found) - 1
            keep = next(
                (n for n in range(complete, 0, -1) if _outside_quotes(paragraph, start, found[n - 1][1])), complete
            )
            spans += found[:keep]
            start = found[keep - 1][1]
        else:
            cut = paragraph.rfind(" ", start + SENTENCE_WINDOW // 2, end)
            cut = cut if cut > 0 else end
            piece = paragraph[found[0][0] : cut].rstrip()
            if piece:
                spans.append((found[0][0], found[0][0] + len(piece)))
            start = cut
    return spans


def _outside_quotes(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` closes every quotation it opens."""
    quotes = text.count('"', start, end)
    return quotes % 2 == 0 and text.count("“", start, end) == text.count("”", start, end)


def _window_sentences(window: str) -> list[tuple[int, int]]:
    """pysbd's sentences of `window`, as stripped spans.

    `Segmenter.segment` locates every sentence in the text with a regular expression compiled
    for that sentence, whether spans are asked for or not: 40% of extraction time, and it
    pushed pysbd's own patterns out of Python's regex cache. Its processor's sentences are the
    window's own text, in order (pysbd's spans rely on that too), so `str.find` from the
    previous end locates them instead.
    """
    spans = []
    position = 0
    for piece in _segmenter().processor(window).process():
        stripped = piece.strip()
        if not stripped:
            continue
        start = window.find(stripped, position)
        if start < 0:  # never seen; should pysbd alter a sentence, keep the rest as one
            rest = window[position:]
            if rest.strip():
                start = position + len(rest) - len(rest.lstrip())
                spans.append((start, position + len(rest.rstrip())))
            return spans
        spans.append((start, start + len(stripped)))
        position = start + len(stripped)
    return spans


def extract(
    text: str,
    published: dt.date | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    lexicon: Lexicon | None = None,
) -> list[Candidate]:
    """Candidate claims in `text`, in order. `published` anchors relative dates ("last night")."""
    gaz = gazetteer if gazetteer is not None else default_resolver().gazetteer
    lex = lexicon if lexicon is not None else load_lexicon()
    finder = _finder(gaz)
    mentions = [m for m in finder.find(text) if m.resolution.place is not None]
    out: list[Candidate] = []
    seen: set[tuple[int, str, str]] = set()
    index = 0
    previous_agent: str | None = None
    for s_start, s_end in sentences(text):
        here = []
        while index < len(mentions) and mentions[index].start < s_end:
            if mentions[index].start >= s_start:
                here.append(mentions[index])
            index += 1
        sentence = text[s_start:s_end]
        factions = [(m.start(), f) for pattern, f in lex.factions for m in pattern.finditer(sentence)]
        factions += [(m.start(), p[2]) for p in lex.persons for m in p[0].finditer(sentence)]
        factions.sort()
        # "They also confirmed...": with no faction named, the last sentence's actor carries over.
        agent_before = previous_agent
        previous_agent = next((f for _, f in factions if f in _OPPONENT), previous_agent)
        cues = _cues(sentence, lex) if here else []
        if not cues:
            continue
        bounds = [0, *(m.start() for m in _CLAUSE.finditer(sentence)), len(sentence)]
        by_clause: dict[int, list[Mention]] = {}
        for mention in here:
            by_clause.setdefault(_clause(bounds, mention.start - s_start), []).append(mention)
        by_clause = {k: kept for k, v in by_clause.items() if (kept := _most_specific(v, gaz))}
        if not by_clause:
            continue
        claimant = _claimant(sentence, lex, factions)
        date = _date(sentence, published, lex)
        flat = sorted((m for v in by_clause.values() for m in v), key=lambda m: m.start)
        for c_start, c_end, kind, role in cues:
            targets = _targets(sentence, c_start, c_end, kind, role, flat, by_clause, bounds, s_start)
            for mention in targets:
                place = mention.resolution.place
                key = (s_start, place.id, kind)
                if key in seen:
                    continue
                seen.add(key)
                subject, explicit = _subject(role, c_start, c_end, factions, bounds, claimant[2], agent_before)
                out.append(
                    _candidate(
                        text, s_start, s_end, mention, kind, subject, claimant, date, gaz, explicit, c_start, c_end
                    )
                )
    return out


def _targets(
    sentence: str,
    c_start: int,
    c_end: int,
    kind: str,
    role: str,
    mentions: list[Mention],
    by_clause: dict[int, list[Mention]],
    bounds: list[int],
    s_start: int,
) -> list[Mention]:
    """The places a cue speaks of. Its object first: places right after it ("control of the
    Shatel district and the Bryan district"). Else the places in its clause. A response with no
    place of its own ("..., but were repelled", "repelled the attack") speaks of the clause
    before; a denial, of the claim it denies in the clause after ("denied the reports that...")."""
    if kind not in ("captured", "controls"):
        # A country is only the place of a claim to control it ("the whole of Afghanistan had fallen").
        by_clause = {
            i: kept for i, ms in by_clause.items() if (kept := [m for m in ms if m.resolution.place.type != "country"])
        }
        mentions = [m for m in mentions if m.resolution.place.type != "country"]
    objects: list[Mention] = []
    edge = c_end
    for m in mentions:
        start = m.start - s_start
        if start < edge:
            continue
        gap = sentence[edge:start]
        if (not objects and len(gap) <= 20) or (objects and _CHAIN.match(gap)):
            objects.append(m)
            edge = m.end - s_start
        else:
            break
    if objects:
        return objects
    clause = _clause(bounds, c_start)
    if clause in by_clause:
        return _not_locators(by_clause[clause], sentence, s_start)
    following = range(clause + 1, len(bounds))
    preceding = range(clause - 1, -1, -1)
    if role == "denied_after":
        order = [*following, *preceding]
    elif role == "denied_before":
        order = [*preceding, *following]
    elif role == "other" or kind == "repelled_attack":
        order = list(preceding)
    else:
        return []
    return _not_locators(next((by_clause[i] for i in order if i in by_clause), []), sentence, s_start)


def _not_locators(mentions: list[Mention], sentence: str, s_start: int) -> list[Mention]:
    return [m for m in mentions if not _LOCATOR.search(sentence, 0, m.start - s_start)]


def _clause(bounds: list[int], position: int) -> int:
    """Index of the clause holding `position`, given the clause starts `bounds`."""
    for i in range(len(bounds) - 1):
        if position < bounds[i + 1]:
            return i
    return len(bounds) - 2


@lru_cache(maxsize=4)
def _finder(gazetteer: Gazetteer) -> MentionFinder:
    return MentionFinder(default_resolver(gazetteer))


def _most_specific(mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """In-area mentions, less any place that is a parent of another place named in the sentence."""
    kept = [m for m in mentions if not m.resolution.place.out_of_area]
    ids = {m.resolution.place.id for m in kept}
    parents = {p for pid in ids for p in gaz[pid].parents}
    return [m for m in kept if m.resolution.place.id not in parents or len(ids) == 1]


def _cues(sentence: str, lex: Lexicon) -> list[tuple[int, int, str, str]]:
    taken: list[tuple[int, int, str, str]] = []
    for pattern, kind, role in lex.cues:
        for m in pattern.finditer(sentence):
            if not any(m.start() < e and s < m.end() for s, e, _, _ in taken):
                taken.append((m.start(), m.end(), kind, role))
    # "repelled the attack", "the attacks ... were pushed back": one event, the repelled attack.
    repels = [(s, e) for s, e, kind, _ in taken if kind == "repelled_attack"]
    return sorted(
        c
        for c in taken
        if not (c[2] == "attack" and any(0 <= c[0] - e <= 25 or 0 <= s - c[1] <= 40 for s, e in repels))
    )


def _gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, max(a_start, b_start) - min(a_end, b_end))


def _claimant(sentence: str, lex: Lexicon, factions: list[tuple[int, str]]) -> tuple[str, str | None, str | None, str]:
    """(kind, speaker, faction, label) of whoever the sentence attributes it to; the outlet if no one."""
    verb = lex.attribution.search(sentence)
    if verb is None:
        return ("outlet", None, None, "outlet")
    before = sentence[: verb.start()]
    closing = max(before.rfind("”"), before.rfind('"'))
    phrase_start = closing + 1 if closing > 0 else 0
    phrase = sentence[phrase_start : verb.start()]
    if verb.group().lower() == "according to" or not phrase.strip(" ,"):
        phrase_start, phrase = verb.end(), sentence[verb.end() : verb.end() + 80]
    people = sorted(
        (m.start(), name, faction, kind) for p, name, faction, kind in lex.persons for m in p.finditer(phrase)
    )
    if people:
        first = people[0] if people[0][0] < 30 else people[-1]
        return (first[3], first[1], first[2], f"{first[1]} ({first[2]})")
    kind = next((k for pattern, k in lex.claimant_kinds if pattern.search(phrase)), None)
    in_phrase = [f for pos, f in factions if phrase_start <= pos < phrase_start + len(phrase)]
    faction = in_phrase[-1] if in_phrase else None
    kind = kind or ("faction" if faction else "media_reports")
    label = f"{kind.replace('_', ' ')} ({faction})" if faction else kind.replace("_", " ")
    return (kind, None, faction, label)


def _subject(
    role: str,
    c_start: int,
    c_end: int,
    factions: list[tuple[int, str]],
    bounds: list[int],
    claimant_faction: str | None,
    previous_agent: str | None,
) -> tuple[str, bool]:
    """The faction a claim is about, and whether a faction word in the text said so."""
    if role in ("both", "unknown", "taliban", "nrf"):
        return role, role in ("taliban", "nrf")
    sides = [(pos, f) for pos, f in factions if f in _OPPONENT]
    # A denial's subject may be named in the clause it denies: "denied the reports that the Taliban...".
    reach = 1 if role == "denied_after" else 0
    after = [f for pos, f in sides if pos >= c_end and _clause(bounds, pos) - _clause(bounds, c_start) <= reach]
    before = [f for pos, f in sides if pos < c_start]
    if role == "denied_before":
        named = [*before[-1:], *after[:1]]
        if named:
            return named[0], True
    elif role == "denied_after":
        if after:
            return after[0], True
        # "The NRF denied that ...": a denier named in the denial's own clause denies its opponent's
        # claim; "..., but the other side denied this": the claim of the faction named before.
        denier = [f for pos, f in sides if bounds[_clause(bounds, c_start)] <= pos < c_start]
        if denier:
            return _OPPONENT[denier[0]], True
        if before:
            return before[-1], True
    if role.startswith("denied"):
        return (_OPPONENT[claimant_faction], False) if claimant_faction in _OPPONENT else ("unknown", False)
    # "Taliban attack", "the Taliban's heavy attacks": a faction just before a noun is its agent.
    adjacent = [f for pos, f in factions if c_start - 24 <= pos < c_start]
    agent = adjacent[-1] if adjacent else _agent(c_start, factions, bounds)
    explicit = agent is not None
    if agent is None and previous_agent is not None:
        agent = previous_agent
    if agent is None and claimant_faction is not None:
        agent = claimant_faction
    if agent is None:
        return "unknown", False
    if role == "other":
        return (_OPPONENT[agent], explicit) if agent in _OPPONENT else ("unknown", False)
    return agent, explicit


def _agent(c_start: int, sides: list[tuple[int, str]], bounds: list[int]) -> str | None:
    """The first faction named in the cue's clause, else in the nearest clause before it."""
    clause = _clause(bounds, c_start)
    for i in range(clause, -1, -1):
        lo, hi = bounds[i], (c_start if i == clause else bounds[i + 1])
        named = [f for pos, f in sides if lo <= pos < hi]
        if named:
            return named[0]
    return None


def _date(sentence: str, published: dt.date | None, lex: Lexicon) -> tuple[str | None, str | None, str | None]:
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


def _candidate(
    text: str,
    s_start: int,
    s_end: int,
    mention: Mention,
    kind: str,
    subject: str,
    claimant: tuple[str, str | None, str | None, str],
    date: tuple[str | None, str | None, str | None],
    gaz: Gazetteer,
    explicit: bool,
    c_start: int,
    c_end: int,
) -> Candidate:
    place = mention.resolution.place
    confidence = 0.4 + 0.2 * explicit + 0.15 * (claimant[0] != "outlet")
    confidence += 0.1 * (mention.resolution.method in ("exact", "variant", "normalised"))
    confidence += 0.1 * (_gap(c_start, c_end, mention.start - s_start, mention.end - s_start) <= 40)
    return Candidate(
        quote=text[s_start:s_end],
        start=s_start,
        end=s_end,
        mention=mention.text,
        mention_start=mention.start,
        mention_end=mention.end,
        place_id=place.id,
        name=place.name,
        lat=place.point.lat if place.point else None,
        lon=place.point.lon if place.point else None,
        geo_precision=_GEO_PRECISION.get(place.type, "point"),
        type=kind,
        faction=subject,
        claimant=claimant[3],
        claimant_kind=claimant[0],
        claimant_faction=claimant[2],
        speaker=claimant[1],
        date=date[0],
        date_end=date[0],
        date_basis=date[1],
        date_evidence=date[2],
        rule=f"{kind}: '{text[s_start + c_start : s_start + c_end]}'",
        confidence=round(min(confidence, 0.95), 2),
    )
