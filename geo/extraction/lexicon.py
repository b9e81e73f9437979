"""The extraction lexicon (`claims/lexicon.yaml`) compiled into regular expressions.

Every word the extractor reacts to lives in that file, so a reviewer who meets a new way of
saying "captured" adds a line there, not a branch in the code. Loading compiles each list once
(cached); a malformed entry is a `ClaimError` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from geo.bundled import bundled
from geo.errors import ClaimError
from geo.yamlrecords import read_yaml

DEFAULT_LEXICON = bundled("claims") / "lexicon.yaml"


@dataclass(frozen=True)
class Cue:
    """A verb class: words, the claim type they signal, and how to find whom the claim is about."""

    pattern: re.Pattern[str]
    type: str
    subject: str
    default: str
    passive: str | None  # the subject of a passive that names no one, if not the speaker's side
    object_only: bool = False  # a claim only with a place for its direct object ("took Shutul", not "took part")
    also: str | None = None  # a second claim about the other side ("pushed back": repelled, and withdrew)
    too: str | None = None  # a second claim about the same side ("raised its flag over X": captured, and controls)


@dataclass(frozen=True)
class Person:
    pattern: re.Pattern[str]
    name: str
    faction: str
    kind: str


@dataclass(frozen=True)
class Lexicon:
    cues: tuple[Cue, ...]
    masks: re.Pattern[str]
    history: re.Pattern[str]  # words that make their part of a sentence history
    claim_nouns: re.Pattern[str]
    rebuttals: re.Pattern[str]  # a denial of the claims just made, named by a noun or a pronoun
    event_nouns: re.Pattern[str]  # a claim made as a noun ("the fall of X"), which a denial after it denies
    passive: re.Pattern[str]  # an auxiliary ending the text before a verb
    clause_breaks: re.Pattern[str]
    origins: re.Pattern[str]  # a word ending the text before a place a move came from
    destinations: re.Pattern[str]
    locators: re.Pattern[str]
    factions: re.Pattern[str]  # every faction word, longest first
    faction_of: dict[str, str]  # a faction word, lower-cased -> faction, `self` or `enemy`
    persons: tuple[Person, ...]
    attribution: re.Pattern[str]
    pronouns: frozenset[str]
    claimant_kinds: tuple[tuple[re.Pattern[str], str], ...]
    hedges: tuple[tuple[re.Pattern[str], str], ...]
    sides: dict[str, str]
    opponents: dict[str, str]
    relative: dict[str, int]
    references: re.Pattern[str]  # "the valley", "there": words that refer to a place named before
    reference_kind: dict[str, str]  # the words, lower-cased -> valley, province, district, seat or scene
    reference_named: re.Pattern[str]  # what makes the words part of a name after all ("the province of X")
    relative_re: re.Pattern[str]

    def side(self, faction: str | None) -> str | None:
        """The side a faction's words count for: a former official who sided with the resistance speaks for it."""
        return self.sides.get(faction, faction) if faction is not None else None

    def opponent(self, faction: str | None) -> str | None:
        return self.opponents.get(self.side(faction) or "")


def words(items: list[str]) -> str:
    """An alternation of literal words, longest first, so the longest match wins a span."""
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


def _phrases(items: list[str]) -> str:
    """An alternation of regular expressions, longest first."""
    return "|".join(sorted(items, key=len, reverse=True))


def normal(word: str) -> str:
    """A faction word as `Lexicon.faction_of` keys it: lower case, straight apostrophes."""
    return word.lower().replace("’", "'")


@lru_cache(maxsize=4)
def load_lexicon(path: Path = DEFAULT_LEXICON) -> Lexicon:
    data, _ = read_yaml(path, ClaimError)
    try:
        return _compile(data)
    except (KeyError, TypeError, AttributeError, re.error) as err:
        raise ClaimError(f"bad lexicon entry: {err}", path=path) from err


def _compile(data: dict[str, Any]) -> Lexicon:
    cues = tuple(
        Cue(
            re.compile(rf"\b(?:{c['pattern']})(?!\w)", re.I),
            c["type"],
            c["subject"],
            c.get("default", "unknown"),
            c.get("passive"),
            bool(c.get("object", False)),
            c.get("also"),
            c.get("too"),
        )
        for c in data["cues"]
    )
    faction_words = [w for ws in data["factions"].values() for w in ws]
    faction_of = {normal(w): f for f, ws in data["factions"].items() for w in ws}
    persons = tuple(
        Person(re.compile(rf"\b(?:{words([p['name'], *p['aliases']])})\b"), p["name"], p["faction"], p["kind"])
        for p in data["persons"]
    )
    relative = {k.lower(): int(v) for k, v in data["relative_dates"].items()}
    kinds = {w.lower(): kind for kind, ws in data["references"].items() for w in ws}
    breaks = rf";|:(?=\s|$)|\.\s|,\s+and\b|\b(?:{words(data['clause_breaks'])})\b"
    return Lexicon(
        cues=cues,
        masks=re.compile(rf"\b(?:{_phrases(data['masks'])})", re.I),
        history=re.compile(rf"\b(?:{_phrases(data['history'])})\b", re.I),
        claim_nouns=re.compile(rf"\b(?:{_phrases(data['claim_nouns'])})\b", re.I),
        rebuttals=re.compile(rf"\b(?:{_phrases(data['rebuttals'])})", re.I),
        event_nouns=re.compile(rf"(?:{_phrases(data['event_nouns'])})\b", re.I),
        passive=re.compile(rf"\b(?:{words(data['passive'])})\s+(?:\w+ly\s+|not\s+|also\s+|now\s+|all\s+)*$", re.I),
        clause_breaks=re.compile(breaks, re.I),
        # "from Jabal Saraj and Gulbahar": both places are where the move came from.
        origins=re.compile(
            rf"\b(?:{words(data['origins'])})\s+(?:the\s+)?(?:district\s+of\s+)?"
            rf"(?:(?:an?\s+|the\s+)?(?:[\w’'-]+\s+){{0,3}}(?:called|named|known\s+as)\s+)?"
            rf"(?:[\w’'-]+(?:\s+[\w’'-]+)?\s+and\s+)?$",
            re.I,
        ),
        destinations=re.compile(rf"\b(?:{words(data['destinations'])})\s+(?:the\s+)?$", re.I),
        locators=re.compile(
            rf"(?:{_phrases(data['locators'])})\s+(?:the\s+)?(?:provinces?\s+)?(?:[\w’']+\s+and\s+)?[\"“]?$", re.I
        ),
        factions=re.compile(rf"(?<![\w-])(?:{words(faction_words)})(?!\w)", re.I),
        faction_of=faction_of,
        persons=persons,
        attribution=re.compile(rf"\b(?:{words(data['attribution'])})\b", re.I),
        pronouns=frozenset(p.lower() for p in data["pronouns"]),
        claimant_kinds=tuple((re.compile(rf"\b(?:{words(w)})\b", re.I), k) for k, w in data["claimant_kinds"].items()),
        hedges=tuple((re.compile(rf"\b(?:{words(w)})\b", re.I), k) for k, w in data["hedges"].items()),
        sides=dict(data["sides"]),
        opponents=dict(data["opponents"]),
        relative=relative,
        references=re.compile(rf"\b(?:{words(list(kinds))})(?![\w-])", re.I),
        reference_kind=kinds,
        reference_named=re.compile(r"\s+(?:of|de|du)\s+(?:the\s+)?[A-Z]|\s+[A-Z][a-z]"),
        relative_re=re.compile(rf"\b(?:{words(list(relative))})\b", re.I),
    )
