"""Denials of what was just claimed, named by a noun or a pronoun, not by a place.

"The movement said it had taken A and B. The front called these reports lies." The second
sentence names no place, yet it is a denial of each capture the first claims: an analyst records
it at A and at B, about the side whose claim it denies. Within one sentence too: "... had
taken the district centre, a claim the front's spokesman called a fantasy". Only captures,
control and advances are rebutted this way: a denial answers what a side says it won.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from geo.extraction.attribution import Claimant, speaker_in
from geo.extraction.clauses import Reading
from geo.extraction.lexicon import Lexicon

#: The claims a rebuttal may deny.
REBUTTED = ("captured", "controls", "advanced")
#: How far before a rebuttal's words its speaker may be named: "the spokesman in conversation
#: with the agency these statements called lies".
_REBUTTER = 100


def rebuttals(sentence: str, readings: Sequence[Reading], before: Sequence[Reading], lex: Lexicon) -> list[Reading]:
    """The denials a sentence makes of the claims `before` it (the last sentence that made some)
    and of its own claims that precede the rebuttal's words; none where the sentence denies a
    place of its own."""
    if any(r.type == "denies" for r in readings):
        return []
    found = lex.rebuttals.search(sentence)
    if found is None:
        return []
    own = [r for r in readings if r.type in REBUTTED and r.cue_end <= found.start()]
    denied = own or [r for r in before if r.type in REBUTTED]
    out: dict[tuple[str, str], Reading] = {}
    for r in denied:
        out.setdefault(
            (r.place.id, r.subject),
            replace(
                r,
                type="denies",
                cue_start=found.start(),
                cue_end=found.end(),
                via=r.via if own else "scene",
                role="denied",
                in_clause=bool(own),
                clause=(0, len(sentence)),
            ),
        )
    return list(out.values())


def rebutter(sentence: str, reading: Reading, lex: Lexicon, previous: Claimant | None) -> Claimant | None:
    """Who makes a rebuttal's denial when no verb of saying tells: a person or side named in its
    words ("a claim the front's spokesman called a fantasy"), else just before them ("the Front
    these reports refuted"); None for a denial that is no rebuttal."""
    if reading.role != "denied" or not lex.rebuttals.match(sentence, reading.cue_start):
        return None
    inside = speaker_in(sentence[reading.cue_start : reading.cue_end], lex, previous)
    if inside is not None and (inside.speaker or inside.faction):
        return inside
    return speaker_in(sentence[max(0, reading.cue_start - _REBUTTER) : reading.cue_start], lex, previous)
