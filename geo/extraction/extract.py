"""Candidate claims from article text: a pure function of (text, publication date).

Per sentence (`geo.extraction.sentences`): place mentions from `geo.places.mentions`; who says it and how it is
hedged (`geo.extraction.attribution`); the claims its clauses make, each a verb class at a place about a
faction (`geo.extraction.clauses`, driven by `claims/lexicon.yaml`); the date it speaks of (`geo.extraction.dates`).
Every candidate keeps its sentence as the quote, with offsets, the cue that fired, and a
confidence that ranks it: a faction the text names, a speaker, a place in the cue's own clause
and an exact place name each raise it; a hedge lowers it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from geo.errors import GeoError
from geo.extraction.attribution import (
    OUTLET,
    Claimant,
    antecedent,
    attributions,
    claimant_at,
    hedge,
    named_factions,
    people,
    resolve,
)
from geo.extraction.clauses import Reading, masked, read
from geo.extraction.datelines import datelines
from geo.extraction.dates import SentenceDate, sentence_date
from geo.extraction.lexicon import Lexicon, load_lexicon
from geo.extraction.references import references
from geo.extraction.sentences import sentences
from geo.places.gazetteer import Gazetteer
from geo.places.mentions import Mention, MentionFinder
from geo.places.resolve import default_resolver
from geo.places.schema import Place

__all__ = ["EXTRACTOR_VERSION", "CandidateClaim", "extract", "sentences"]

EXTRACTOR_VERSION = "rules-3"
#: Sentences after a place is named in which a sentence naming none may still speak of it.
SCENE = 1
#: Characters at the head of an article in which it names the side it speaks for, if any.
_OPENING = 300
_GEO_PRECISION = {
    "district": "district",
    "province": "province",
    "valley": "region",
    "river": "region",
    "range": "region",
    "country": "country",
}
#: Types whose cue words are often about something else ("the talks", "attack" as a noun, "closed"):
#: on the development corpus fewer than two in three of their candidates were right.
_WEAK_TYPES = ("attack", "airstrike", "fighting", "talks", "road_closed")


@dataclass(frozen=True)
class CandidateClaim:
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
    hedge: str | None = None  # a kind of claims/vocabulary.yaml `hedges`
    hedge_words: str | None = None  # the words that hedge it, verbatim

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def extract(
    text: str,
    published: dt.date | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    lexicon: Lexicon | None = None,
) -> list[CandidateClaim]:
    """Candidate claims in `text`, in order. `published` anchors relative dates ("last night")."""
    gaz = gazetteer if gazetteer is not None else default_resolver().gazetteer
    lex = lexicon if lexicon is not None else load_lexicon()
    # A dateline's place is where the desk files from, never a claim's: "KABUL, Sept 5 (Wire) -".
    filed_from = [(d.place_start, d.place_end) for d in datelines(text)]
    mentions = [
        m
        for m in _finder(gaz).find(text)
        if m.resolution.place is not None and not any(s <= m.start < e for s, e in filed_from)
    ]
    out: list[CandidateClaim] = []
    seen: set[tuple[int, str, str, str]] = set()
    index = 0
    items = {d.start for d in datelines(text)}
    voice = _voice(text, lex)
    told = _Discourse()
    for s_start, s_end in sentences(text):
        here = []
        while index < len(mentions) and mentions[index].start < s_end:
            if mentions[index].start >= s_start:
                here.append(mentions[index])
            index += 1
        sentence = text[s_start:s_end]
        if s_start in items or _headline(text, s_start, s_end):
            told = _Discourse()  # a digest's next item, or a headline: nothing carries over into it
        here = sorted([*here, *references(sentence, s_start, here, told.earlier, told.before, gaz, lex)], key=_start)
        local = [m for m in here if not _place_of(m).out_of_area]
        told.earlier += local
        told.before = local
        masks = masked(sentence, lex, published.year if published else None)
        named = [f for f in named_factions(sentence, lex) if not any(s <= f[0] < e for s, e in masks)]
        said = attributions(sentence, lex, told.speaker)
        who = said[0].who if said else OUTLET
        told.speaker = who if who.kind != "outlet" else told.speaker
        # An unattributed "our forces" or "the enemy" is the article's own voice: a ministry's statement.
        side = lex.side(who.faction) if said else voice
        factions = resolve(named, side, lex, told.they, said, sentence)
        told.they = antecedent(factions, people(sentence, lex), told.they)
        # "They also confirmed...": with no faction named, the last sentence's actor carries over.
        agent_before = told.agent
        told.agent = next((f for _, _, f in factions if f in lex.opponents), told.agent)
        told.since_scene += 1
        if local:
            told.scene, told.since_scene = local[-1], 0
        elif told.since_scene > SCENE:
            told.scene = None
        readings = read(
            sentence, s_start, here, lex, gaz, factions, side, agent_before, told.scene, masks, told.attacked
        )
        told.attacked = [r.mention for r in readings if r.type in ("attack", "advanced")]
        if not readings:
            continue
        date = sentence_date(sentence, published, lex)
        hedged = hedge(sentence, lex)
        for reading in readings:
            key = (s_start, reading.place.id, reading.type, reading.subject)
            if key not in seen:
                seen.add(key)
                by = claimant_at(said, reading.cue_start, who, sentence)
                out.append(_candidate(text, s_start, s_end, reading, by, date, hedged, gaz))
    return out


@dataclass
class _Discourse:
    """What the article has said so far that a sentence may lean on."""

    speaker: Claimant | None = None  # the last one named: "he added"
    agent: str | None = None  # the last sentence's actor: "They also confirmed ..."
    they: str | None = None  # the side "they" stands for: the last one named
    scene: Mention | None = None  # the place last named, while no more than `SCENE` sentences ago
    since_scene: int = 0
    earlier: list[Mention] = field(default_factory=list)  # every place named, which "the valley" may refer to
    before: list[Mention] = field(default_factory=list)  # the places of the sentence before, for "there"
    attacked: list[Mention] = field(default_factory=list)  # its attacks, which "both attacks were repulsed" repels


def _voice(text: str, lex: Lexicon) -> str | None:
    """The side an article speaks for when it says "our forces" unattributed: the first side its
    opening names (a ministry's briefing opens with its own name)."""
    named = [f for _, _, f in named_factions(text[:_OPENING], lex) if f in lex.opponents or f in lex.sides]
    return lex.side(named[0]) if named else None


def _headline(text: str, start: int, end: int) -> bool:
    """A line of its own without a full stop: a headline, which no sentence before it continues into."""
    line_start = start == 0 or text[start - 1] == "\n"
    line_end = end == len(text) or text[end : end + 1] == "\n"
    return line_start and line_end and text[end - 1 : end] not in ".!?\"”»'’"


def _start(mention: Mention) -> int:
    return mention.start


def _place_of(mention: Mention) -> Place:
    if mention.resolution.place is None:
        raise GeoError(f"mention '{mention.text}' at {mention.start} has no place")
    return mention.resolution.place


@lru_cache(maxsize=4)
def _finder(gazetteer: Gazetteer) -> MentionFinder:
    return MentionFinder(default_resolver(gazetteer))


def _candidate(
    text: str,
    s_start: int,
    s_end: int,
    reading: Reading,
    who: Claimant,
    date: SentenceDate,
    hedged: tuple[str, str] | None,
    gaz: Gazetteer,
) -> CandidateClaim:
    mention, place = reading.mention, reading.place
    # A claim at the scene named in an earlier sentence quotes from that name on.
    q_start = min(s_start, mention.start)
    gap = max(0, mention.start - s_start - reading.cue_end, s_start + reading.cue_start - mention.end)
    confidence = 0.35 + 0.2 * reading.explicit + 0.1 * (who.kind != "outlet")
    confidence += 0.1 * (mention.resolution.method in ("exact", "variant", "normalised"))
    confidence += 0.1 * reading.in_clause + 0.1 * (gap <= 40)
    confidence -= 0.1 * (hedged is not None) + 0.15 * (reading.type in _WEAK_TYPES)
    # What a denial denies, and where, is mostly in the clause it answers, not its own words.
    confidence -= 0.15 * (reading.type == "denies")
    return CandidateClaim(
        quote=text[q_start:s_end],
        start=q_start,
        end=s_end,
        mention=mention.text,
        mention_start=mention.start,
        mention_end=mention.end,
        place_id=place.id,
        name=place.name,
        lat=place.point.lat if place.point else None,
        lon=place.point.lon if place.point else None,
        geo_precision=_GEO_PRECISION.get(place.type, "point"),
        type=reading.type,
        faction=reading.subject,
        claimant=who.label,
        claimant_kind=who.kind,
        claimant_faction=who.faction,
        speaker=who.speaker,
        date=date[0],
        date_end=date[0],
        date_basis=date[1],
        date_evidence=date[2],
        rule=f"{reading.type}: '{text[s_start + reading.cue_start : s_start + reading.cue_end]}'",
        confidence=round(min(max(confidence, 0.05), 0.95), 2),
        hedge=hedged[0] if hedged else None,
        hedge_words=hedged[1] if hedged else None,
    )
