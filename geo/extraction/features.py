"""What the rules saw when they proposed a candidate, as features for the scorer (`geo.extraction.scoring`).

Facts only, none of them words of a particular theatre: the claim type, how the place was found
(the cue's object, its clause, a reference to an earlier sentence ...), how the subject was found,
who says it, whether the text hedges, negates or conditions it, and where in the article it
stands. The scorer learns how much each is worth.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from geo.extraction.attribution import Claimant
from geo.extraction.clauses import Reading
from geo.extraction.lexicon import Lexicon
from geo.extraction.references import REFERENCE
from geo.extraction.scoring import Features

_NEGATION = re.compile(r"\b(?:not|no|never|nor|without|n't|neither|denied|denies|deny|false|lie)\b", re.I)
_MODAL = re.compile(
    r"\b(?:will|would|could|may|might|if|unless|plan(?:s|ned)?|threat\w*|vow\w*|want\w*|aim\w*)\b", re.I
)
_QUOTES = re.compile(r"[\"“”«»]")
_WORDS = re.compile(r"[a-z’'-]+")


@dataclass(frozen=True)
class SentenceView:
    """The sentence a candidate comes from, and where it stands in its article."""

    text: str
    headline: bool
    item_start: bool  # it opens the article or a digest's item (a dateline)
    places: int  # place mentions in it
    readings: int  # claims the rules read in it
    factions: int  # faction words in it
    position: int  # its index in the article


def describe(
    reading: Reading, who: Claimant, hedge: str | None, sentence: SentenceView, gap: int, s_start: int, lex: Lexicon
) -> Features:
    """`gap`: characters between the cue and its place, either way round; `s_start`: where the sentence starts."""
    text = sentence.text
    place = reading.place
    method = reading.mention.resolution.method
    how_named = (
        "reference" if reading.mention.cue == REFERENCE else "scene" if reading.via == "scene" else method or "other"
    )
    near = text[max(0, reading.cue_start - 30) : reading.cue_end + 5]
    claimant_side = lex.side(who.faction)
    subject_side = lex.side(reading.subject)
    f: Features = {
        f"type={reading.type}": 1.0,
        f"role={reading.role}": 1.0,
        f"via={reading.via}": 1.0,
        f"named={how_named}": 1.0,
        f"place={place.type}": 1.0,
        f"claimant={who.kind}": 1.0,
        f"hedge={hedge or 'none'}": 1.0,
        "explicit": float(reading.explicit),
        "passive": float(reading.passive),
        "in_clause": float(reading.in_clause),
        "speaker_named": float(who.speaker is not None),
        "out_of_area": float(place.out_of_area),
        "headline": float(sentence.headline),
        "item_start": float(sentence.item_start),
        "first_sentences": float(sentence.position < 2),
        "gap": math.log1p(gap) / 5,
        "near": float(gap <= 40),
        "negated": float(bool(_NEGATION.search(near))),
        "modal": float(bool(_MODAL.search(text, max(0, reading.cue_start - 40), reading.cue_start))),
        "quoted": float(len(_QUOTES.findall(text, 0, reading.cue_start)) % 2 == 1),
        "places": math.log1p(sentence.places) / 3,
        "readings": math.log1p(sentence.readings) / 3,
        "length": math.log1p(len(text)) / 7,
        f"subject={'side' if subject_side in lex.opponents else reading.subject if reading.subject in ('both', 'unknown') else 'other'}": 1.0,  # noqa: E501
        f"claimant_for={_relation(claimant_side, subject_side)}": 1.0,
        f"type_explicit={reading.type}": float(reading.explicit),
        f"type_via={reading.type}|{reading.via}": 1.0,
        f"type_role={reading.type}|{reading.role}": 1.0,
        f"type_claimant={reading.type}|{who.kind}": 1.0,
        f"type_named={reading.type}|{how_named}": 1.0,
        f"type_place={reading.type}|{place.type}": 1.0,
        f"type_for={reading.type}|{_relation(claimant_side, subject_side)}": 1.0,
        f"type_in_clause={reading.type}|{reading.in_clause}|{reading.explicit}": 1.0,
        f"factions={min(sentence.factions, 3)}": 1.0,
    }
    # The words themselves: the cue, its neighbours, and what stands between it and its place.
    cue = text[reading.cue_start : reading.cue_end].lower()
    f[f"cue={cue}"] = 1.0
    left = _WORDS.findall(text[max(0, reading.cue_start - 40) : reading.cue_start].lower())[-2:]
    right = _WORDS.findall(text[reading.cue_end : reading.cue_end + 40].lower())[:2]
    for i, w in enumerate(reversed(left)):
        f[f"left{i + 1}={w}"] = 1.0
    for i, w in enumerate(right):
        f[f"right{i + 1}={w}"] = 1.0
    m_start = reading.mention.start - s_start
    lo, hi = sorted((reading.cue_end, m_start)) if m_start >= reading.cue_end else (m_start, reading.cue_start)
    for w in set(_WORDS.findall(text[max(0, lo) : max(0, hi)].lower())[:12]):
        f[f"between={w}"] = 1.0
    return f


def _relation(claimant: str | None, subject: str | None) -> str:
    """Whether the claimant speaks of its own side, the other, or neither is known."""
    if claimant is None or subject is None:
        return "unknown"
    return "own" if claimant == subject else "other"
