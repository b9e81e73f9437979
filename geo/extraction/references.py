"""What "the valley", "the province", "the provincial capital" and "there" refer to.

Reporting names a place once and then refers to it: "Taliban units pressed into the Panjshir
Valley. Resistance fighters said the valley remained in their hands." The second claim is about
the valley named before. A reference resolves to the last place of its kind the article has named
(a province: the last province, or the province of the last place named; the provincial capital: that
province's seat, from the gazetteer's `seat_of`), and "there" or "the area" to the last place named,
in its sentence or the one before. What it resolves to is a mention of its own, marked as a
reference, so a reviewer sees which words stood for the place and a candidate resting on one is
ranked below a place named outright.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geo.extraction.lexicon import Lexicon
from geo.places.gazetteer import Gazetteer
from geo.places.mentions import Mention
from geo.places.resolve import Resolution
from geo.places.schema import Place

#: The mention cue that marks a reference, for readers of a candidate's mention.
REFERENCE = "reference"
#: "there is", "there were": the existential "there", which refers to no place.
_EXISTENTIAL = re.compile(
    r"\s+(?:is|are|was|were|has|have|had|will|would|may|might|could|can|seems?|appears?|remains?|must|should)\b|’s|'s",
    re.I,
)
_KINDS = {"valley": ("valley",), "province": ("province",), "district": ("district",), "pass": ("pass",)}


def references(
    sentence: str,
    s_start: int,
    named: Sequence[Mention],
    earlier: Sequence[Mention],
    previous: Sequence[Mention],
    gaz: Gazetteer,
    lex: Lexicon,
) -> list[Mention]:
    """The references in `sentence` resolved to places: `named` are the sentence's own mentions,
    `earlier` every in-area place the article named before it, in order, and `previous` those of
    the sentence before, the only ones "there" may point back to."""
    out: list[Mention] = []
    # In a sentence naming places of its own, "the valley" is one of theirs ("Panjshir ... in the
    # valley") or none we know ("the road from Gulbahar into the valley", "in Andarab ... the exit
    # from the valley").
    own = {n.text.lower() for n in named if n.resolution.place is not None and not n.resolution.place.out_of_area}
    for m in lex.references.finditer(sentence):
        start, end = s_start + m.start(), s_start + m.end()
        if any(n.start < end and start < n.end for n in named):
            continue
        kind = lex.reference_kind[m.group().lower()]
        if lex.reference_named.match(sentence, m.end()):
            continue  # "the province of Panjshir", "the area of the Khavak pass": the name is the place
        if kind == "scene" and _EXISTENTIAL.match(sentence, m.end()):
            continue  # "there were heavy losses" points nowhere
        here = [n for n in named if n.end <= start]
        if own:
            place = _namesake(kind, own, gaz)
        elif kind == "scene":
            near = [n.resolution.place for n in (*previous, *here) if n.resolution.place is not None]
            place = near[-1] if near else None
        else:
            place = _referent(kind, m.group().lower(), [*earlier, *here], gaz)
        if place is not None and not place.out_of_area:
            reason = f"'{m.group()}' refers to {place.name}, named before"
            out.append(Mention(start, end, m.group(), Resolution(m.group(), place, None, 0.5, (), reason), REFERENCE))
    return out


def _namesake(kind: str, names: set[str], gaz: Gazetteer) -> Place | None:
    """The place of `kind` named like one the sentence names: "the valley" beside "Panjshir"."""
    types = _KINDS.get(kind)
    if types is None:
        return None
    return next((p for p in gaz if p.type in types and any(n.lower() in names for n in p.names)), None)


def _referent(kind: str, words: str, before: Sequence[Mention], gaz: Gazetteer) -> Place | None:
    places = [m.resolution.place for m in before if m.resolution.place is not None]
    if not places:
        return None
    if kind == "seat":
        # "the district centre" is a district's; "the provincial capital", "its capital" a province's.
        of = "district" if "district" in words else "province"
        owner = _last_of(of, places, gaz)
        return gaz.seat(owner.id) if owner is not None else None
    return _last_of(kind, places, gaz)


def _last_of(kind: str, places: Sequence[Place], gaz: Gazetteer) -> Place | None:
    """The last place of `kind` named, else the one the last place named lies in: "the district"
    after "A district ... the B gorge" is A, the district a reader saw named, not the one B lies in."""
    types = _KINDS[kind]
    named = next((place for place in reversed(places) if place.type in types), None)
    if named is not None:
        return named
    for place in reversed(places):
        parent = next((gaz[p] for p in place.parents if p in gaz.places and gaz[p].type in types), None)
        if parent is not None:
            return parent
    return None
