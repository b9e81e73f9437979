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
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from geo.datelines import datelines
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
from geo.extraction.dates import SentenceDate, sentence_date
from geo.extraction.features import SentenceView, describe
from geo.extraction.lexicon import Lexicon, load_lexicon
from geo.extraction.rebuttals import REBUTTED, rebuttals, rebutter
from geo.extraction.references import references
from geo.extraction.scoring import Features, Scorer, load_scorer
from geo.extraction.sentences import sentences
from geo.places.gazetteer import Gazetteer
from geo.places.mentions import Mention, MentionFinder
from geo.places.resolve import default_resolver
from geo.places.schema import Place

__all__ = ["EXTRACTOR_VERSION", "CandidateClaim", "extract", "sentences"]

EXTRACTOR_VERSION = "rules-3"
#: Sentences after a place is named in which a sentence naming none may still speak of it.
SCENE = 1
#: What a quoted clause does not begin or end with: conjunctions, commas, dashes and spaces.
_LEAD = re.compile(r"(?:[\s,;:\-–—]|\b(?:and|but|while|whereas|that|saying|adding)\b)*", re.I)
_TRAIL = re.compile(r"[\s,;:\-–—]+$")
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


@dataclass(frozen=True)
class CandidateClaim:
    """A claim the extractor proposes; a reviewer accepts, edits or rejects it.

    `quote` is the clause that makes the claim (`start`, `end` in the text); `context` is its
    sentence, from the place named before when the claim continues an earlier sentence
    (`context_start`, `context_end`). `cue_start`/`cue_end` are the words the rule fired on, and
    `subject_start`/`subject_end` the faction words naming whom it is about, when the text names them."""

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
    context: str = ""
    context_start: int = 0
    context_end: int = 0
    cue_start: int = 0
    cue_end: int = 0
    subject_start: int | None = None
    subject_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def extract(
    text: str,
    published: dt.date | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    lexicon: Lexicon | None = None,
    scorer: Scorer | None = None,
) -> list[CandidateClaim]:
    """Candidate claims in `text`, in order. `published` anchors relative dates ("last night").
    Each one's confidence is the scorer's (`geo.extraction.scoring`); those below its floor are left out."""
    score = scorer if scorer is not None else load_scorer()
    out = []
    for candidate, features in described(text, published, gazetteer=gazetteer, lexicon=lexicon):
        confidence = round(score.confidence(features), 2)
        if confidence >= score.floor:
            out.append(replace(candidate, confidence=confidence))
    return out


def described(
    text: str,
    published: dt.date | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    lexicon: Lexicon | None = None,
) -> list[tuple[CandidateClaim, Features]]:
    """Every candidate the rules read in `text`, unscored, with what they saw (`geo.extraction.features`):
    what the scorer is trained on."""
    gaz = gazetteer if gazetteer is not None else default_resolver().gazetteer
    lex = lexicon if lexicon is not None else load_lexicon()
    # A dateline's place is where the desk files from, never a claim's: "KABUL, Sept 5 (Wire) -".
    filed_from = [(d.place_start, d.place_end) for d in datelines(text)]
    mentions = [
        m
        for m in _finder(gaz).find(text)
        if m.resolution.place is not None and not any(s <= m.start < e for s, e in filed_from)
    ]
    out: list[tuple[CandidateClaim, Features]] = []
    seen: set[tuple[int, str, str, str]] = set()
    index = 0
    position = -1
    heads = {d.start: d.end for d in datelines(text)}  # a dateline's end: where its sentence's words begin
    items = set(heads)
    voice = _voice(text, lex)
    told = _Discourse()
    for s_start, s_end in sentences(text):
        here = []
        while index < len(mentions) and mentions[index].start < s_end:
            if mentions[index].start >= s_start:
                here.append(mentions[index])
            index += 1
        sentence = text[s_start:s_end]
        position += 1
        headline = _headline(text, s_start, s_end)
        item = s_start in items or position == 0
        if item or headline:
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
        recent = told.claimed if position - told.claimed_at <= SCENE else []
        readings += rebuttals(sentence, readings, recent, lex)
        if any(r.type in REBUTTED for r in readings):
            told.claimed, told.claimed_at = readings, position
        if not readings:
            continue
        date = sentence_date(sentence, published, lex)
        hedged = hedge(sentence, lex)
        view = SentenceView(sentence, headline, item, len(here), len(readings), position, len(factions))
        for reading in readings:
            key = (s_start, reading.place.id, reading.type, reading.subject)
            if key not in seen:
                seen.add(key)
                by = rebutter(sentence, reading, lex, told.speaker) or claimant_at(
                    said, reading.cue_start, who, sentence
                )
                candidate = _candidate(
                    text, s_start, s_end, reading, by, date, hedged, heads.get(s_start, s_start), lex
                )
                gap = _gap(reading, s_start)
                out.append((candidate, describe(reading, by, hedged[0] if hedged else None, view, gap, s_start, lex)))
    # A claim the article makes in several sentences (the headline, the lede, a quote) is more often right.
    said_again = Counter((c.place_id, c.type, c.faction) for c, _ in out)
    for c, features in out:
        features["repeated"] = math.log1p(said_again[(c.place_id, c.type, c.faction)] - 1)
    return out


def _gap(reading: Reading, s_start: int) -> int:
    m = reading.mention
    return max(0, m.start - s_start - reading.cue_end, s_start + reading.cue_start - m.end)


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
    claimed: list[Reading] = field(default_factory=list)  # the last claims of gains, which "these reports" deny
    claimed_at: int = 0  # the sentence that made them


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
    head: int,
    lex: Lexicon,
) -> CandidateClaim:
    """The candidate, unscored (confidence 0): `extract` scores it."""
    mention, place = reading.mention, reading.place
    # A claim at the scene named in an earlier sentence has that name in its context.
    c_start = min(s_start, mention.start)
    q_start, q_end = _quote_span(text, s_start, reading, head, lex)
    words = reading.subject_words
    return CandidateClaim(
        quote=text[q_start:q_end],
        start=q_start,
        end=q_end,
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
        confidence=0.0,
        hedge=hedged[0] if hedged else None,
        hedge_words=hedged[1] if hedged else None,
        context=text[c_start:s_end],
        context_start=c_start,
        context_end=s_end,
        cue_start=s_start + reading.cue_start,
        cue_end=s_start + reading.cue_end,
        subject_start=s_start + words[0] if words else None,
        subject_end=s_start + words[1] if words else None,
    )


def _quote_span(text: str, s_start: int, reading: Reading, head: int, lex: Lexicon) -> tuple[int, int]:
    """The clause that makes the claim, widened to its place and its subject's words when they lie
    in the same sentence outside it, without a dateline before it (`head` is where the sentence's
    own words begin), the attribution and conjunctions that open it, or the words after the last
    comma that hold none of its words ("..., a spokesman")."""
    lo, hi = max(head, s_start + reading.clause[0]), s_start + reading.clause[1]
    spans = [(reading.mention.start, reading.mention.end)]
    if reading.subject_words is not None:
        spans.append((s_start + reading.subject_words[0], s_start + reading.subject_words[1]))
    for a, b in spans:
        if a >= s_start:
            lo, hi = min(lo, a), max(hi, b)
    piece = text[lo:hi]
    lead = _LEAD.match(piece)
    cut = lead.end() if lead else 0
    said = lex.attribution.match(piece, cut)
    if said is not None and said.end() <= reading.cue_start + s_start - lo:
        cut = _LEAD.match(piece, said.end()).end()  # type: ignore[union-attr]  # the pattern matches anything
    last = max(reading.cue_end + s_start, reading.mention.end, *(s_start + w[1] for w in [reading.subject_words] if w))
    comma = piece.find(",", max(cut, last - lo))
    end = comma if comma > 0 else len(piece)
    trail = _TRAIL.search(piece, cut, end)
    end = trail.start() if trail else end
    start, end = (lo + cut, lo + end) if end > cut else (lo, hi)
    # The place named in a sentence before (the scene continued) opens the quote: a reader checks
    # the claim's place in its words.
    return min(start, reading.mention.start), max(end, reading.mention.end)
