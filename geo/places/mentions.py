"""Find every place mention in a text, with its character span and resolution.

One Aho-Corasick pass (pyahocorasick) over the text folded by `geo.places.namekeys.fold`, which keeps one
character per character, so spans found in the folded text are spans in the original. Every
listed spelling is a key; a hit counts only on word boundaries, leftmost-longest first. Then:
- a cue word next to the name ("Shattal district", "the province of Panjshir", "le district de
  Chotoul", "the districts of A, B and C", "Pandschir-Tal") selects among candidates of different types;
- places named nearby select among candidates of the same name in different areas;
- a variant marked `context_only` ("Bryan") counts only with another place named nearby;
- a capitalised name (or a run of them, "Dschabal-us-Siradsch") that no listed spelling covers is
  tried through the resolver, with its transliteration keys, fuzzy matching and refusals, when a
  cue word stands next to it, a place is named in its sentence, or the same spelling was accepted
  elsewhere in the text: so foreign desks' respellings ("Pandjchir", "Tscharikar") are found, and
  people and outlets named beside places ("Saleh", "Massoud", "TASS") are refused.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

import ahocorasick

from geo.places.gazetteer import Gazetteer
from geo.places.namekeys import fold
from geo.places.resolve import Resolution, Resolver, default_resolver, prefer_types

#: Characters either side of a mention in which other places count as its context.
CONTEXT_WINDOW = 400

# Words next to a name that say what kind of place it is, in English and in the German, French and
# Russian-through-English copy of foreign desks ("Pandschir-Tal", "vallée du Pandjchir", "Panjshir
# gorge" for ущелье). "road" and "highway" select the pass: a road named for a place is the pass's.
_CUE_TYPES: dict[str, frozenset[str]] = {
    "district": frozenset({"district"}),
    "province": frozenset({"province"}),
    "provinz": frozenset({"province"}),
    "valley": frozenset({"valley"}),
    "vallee": frozenset({"valley"}),
    "tal": frozenset({"valley"}),
    "gorge": frozenset({"valley"}),
    "river": frozenset({"river"}),
    "pass": frozenset({"pass"}),
    "col": frozenset({"pass"}),
    "tunnel": frozenset({"pass"}),
    "road": frozenset({"pass"}),
    "highway": frozenset({"pass"}),
    "city": frozenset({"city", "town"}),
    "ville": frozenset({"city", "town"}),
    "town": frozenset({"town", "city"}),
    "capital": frozenset({"city", "town"}),
    "village": frozenset({"village", "town"}),
    "heights": frozenset({"area", "pass"}),
    "area": frozenset({"area"}),
}
_CUES = "|".join(_CUE_TYPES)
_CUE_AFTER = re.compile(rf"[\"'”’»\]\)]?\s+({_CUES})s?\b")
# "the district of X", "the province X" (German word order), "le district de X", "la vallée du X", and
# the names after the first in a list: "the districts of Deh Salah, of Poul-e Hessar and Banou".
_NAME_RUN = r"[A-Z][\w'’]*(?:[ -](?:[a-z]{1,3}[ -])?[A-Z][\w'’]*){0,3}"
_CUE_BEFORE = re.compile(
    rf"\b(?i:({_CUES}))s? (?:(?:of|de|du|des|d') ?)?(?:(?:the|la|le|l') ?)?[\"'“‘«]? ?"
    rf"(?:{_NAME_RUN}[\"'”’»]?(?:,| and| et| und)(?: (?:of|de|du)\b)?(?: (?:the|la|le)\b)? ?){{0,4}}$"
)
# "every valley of Panjshir", "the lateral valleys of the Pandjchir": the place contains valleys.
_CONTAINER = re.compile(r"(?i:(?:every|each|all|lateral|side|other) (?:the )?\w+|valleys|gorges) (?:of|de|du)\b")
# A capitalised word, and runs of them joined by spaces or hyphens, with lower-case izafe and
# article words inside a hyphenated run ("Dschabal-us-Siradsch", "Pul-i-Chumri", "Chawak-Pass").
_WORD = r"[A-Z][A-Za-z\u00C0-\u024F'’]*[a-z\u00C0-\u024F]"
_LINK = r"(?:[ -](?:e|i|ye|yi|us|ous|as|os|ul|al|el|ol)[ -]|[ -])"
_RUN = re.compile(rf"(?<![\w'’-]){_WORD}(?:{_LINK}{_WORD}){{0,3}}(?![\w-])")
_SENTENCE_END = re.compile(r"[.!?;:]\s|\n")
_CUE_WORD = re.compile(rf"\b(?:{_CUES})")
#: How far before a name a cue word may stand: "the districts of Deh Salah, of Poul-e Hessar and of Banou".
_CUE_REACH = 160
#: Longest run of capitalised words tried as one name.
_MAX_WORDS = 4
#: Rounds of trying unlisted names: names found in one round are context for the next.
_ROUNDS = 3


class _Page(NamedTuple):
    """A text, its folded form (same offsets) and where cue words start in it, found once."""

    text: str
    folded: str
    cues: list[int]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    resolution: Resolution
    cue: str | None = None

    def to_dict(self) -> dict[str, object]:
        r = self.resolution
        p = r.place
        assert p is not None
        return {
            "mention": self.text,
            "start": self.start,
            "end": self.end,
            "place_id": p.id,
            "name": p.name,
            "lat": p.point.lat if p.point else None,
            "lon": p.point.lon if p.point else None,
            "method": r.method,
            "score": round(r.score, 3),
            "explanation": r.explanation,
        }


class MentionFinder:
    """Built once per gazetteer (about 20 ms); `find` then runs in time linear in the text."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._automaton = ahocorasick.Automaton()
        for place in resolver.gazetteer:
            for name in place.names:
                key = " ".join(fold(name).split())
                for form in {key, key.replace(" ", "")}:
                    if len(form) > 1:
                        self._automaton.add_word(form, len(form))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[Mention]:
        folded = fold(text)
        spans = self._spans(folded)
        page = _Page(text, folded, [m.start() for m in _CUE_WORD.finditer(folded)])
        found = [m for start, end in spans if (m := self._mention(page, start, end)) is not None]
        found = self._unlisted(page, found)
        return self._in_context(found)

    def _spans(self, folded: str) -> list[tuple[int, int]]:
        hits = []
        n = len(folded)
        for last, length in self._automaton.iter(folded):
            start, end = last - length + 1, last + 1
            if (start == 0 or not folded[start - 1].isalnum()) and (end == n or not folded[end].isalnum()):
                hits.append((start, end))
        hits.sort(key=lambda s: (s[0], s[0] - s[1]))
        chosen: list[tuple[int, int]] = []
        for start, end in hits:
            if not chosen or start >= chosen[-1][1]:
                chosen.append((start, end))
        return chosen

    def _mention(self, page: _Page, start: int, end: int) -> Mention | None:
        surface = page.text[start:end]
        result = self.resolver.resolve(surface)
        if result.place is None:
            return None
        cue = _cue(page, start, end)
        if cue is not None:
            result = prefer_types(result, _CUE_TYPES[cue], cue)
        return Mention(start, end, surface, result, cue)

    def _unlisted(self, page: _Page, found: list[Mention]) -> list[Mention]:
        """Capitalised names no listed spelling covers ("Pandschir", "Chotoul", "Pul-i-Chumri"),
        tried through the resolver (transliteration keys, fuzzy matching, refusals) when a cue word
        stands next to them, a place is named in the same sentence, or the same spelling was
        accepted elsewhere in the text (one sense per discourse): news respells a place among
        the places it names, and requiring neighbours keeps a person or a weekday from being tried."""
        text, folded, cues = page
        taken = [(m.start, m.end) for m in found]
        runs = []
        for run in _RUN.finditer(text):
            start, end = run.span()
            i = bisect_right(taken, (end, end)) - 1
            if not (i >= 0 and taken[i][1] > start):
                runs.append((start, end))
        if not runs:
            return found
        # Sentences by index, and where cue words stand, found once: the gate below is then a few
        # bisections per run, which keeps the finder linear and fast on long texts.
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        named = {bisect_right(ends, m.start) for m in found if not m.resolution.context_only}

        def gated(start: int, end: int) -> bool:
            if bisect_right(ends, start) in named:
                return True
            if folded[start:end].rsplit(" ", 1)[-1] in _CUE_TYPES:  # "Chawak-Pass", "Pandschir-Tal"
                return True
            i = bisect_left(cues, start - _CUE_REACH)
            return i < len(cues) and cues[i] <= end + 2 and _cue(page, start, end) is not None

        extra: list[Mention] = []
        accepted: set[str] = set()
        for _ in range(_ROUNDS):
            waiting = []
            for start, end in runs:
                if not ((accepted and _words(text, start, end) & accepted) or gated(start, end)):
                    waiting.append((start, end))
                    continue
                mention = self._best_part(page, start, end)
                if mention is not None:
                    extra.append(mention)
                    named.add(bisect_right(ends, mention.start))
                    accepted.add(mention.text)
            if len(waiting) == len(runs):
                break
            runs = waiting
        return sorted([*found, *extra], key=lambda m: m.start) if extra else found

    def _best_part(self, page: _Page, start: int, end: int) -> Mention | None:
        """The longest stretch of whole words of the run that resolves ("Taliban Shotul" → "Shotul")."""
        text = page.text
        bounds = [0, *(i + 1 for i, c in enumerate(text[start:end]) if c in " -"), end - start + 1]
        words = [(start + a, start + b - 1) for a, b in pairwise(bounds)]
        words = [(a, b) for a, b in words if text[a].isupper()] if len(words) > 1 else words
        for size in range(min(len(words), _MAX_WORDS), 0, -1):
            for k in range(len(words) - size + 1):
                mention = self._mention(page, words[k][0], words[k + size - 1][1])
                if mention is not None and mention.resolution.method in ("normalised", "transliteration", "fuzzy"):
                    return mention
        return None

    def _in_context(self, found: list[Mention]) -> list[Mention]:
        """Drop context-only spellings with no place nearby; rank ambiguous names by neighbours."""
        firm = [
            m
            for m in found
            if m.resolution.place is not None and not m.resolution.context_only and not m.resolution.place.out_of_area
        ]
        starts = [m.start for m in firm]
        out = []
        for m in found:
            if not (m.resolution.context_only or (m.resolution.ambiguous and m.cue is None)):
                out.append(m)
                continue
            lo = bisect_left(starts, m.start - CONTEXT_WINDOW)
            hi = bisect_right(starts, m.start + CONTEXT_WINDOW)
            near = tuple(dict.fromkeys(o.resolution.place.id for o in firm[lo:hi] if o is not m and o.resolution.place))
            if m.resolution.context_only and not near:
                continue
            if m.resolution.ambiguous and near and m.cue is None:
                m = Mention(m.start, m.end, m.text, self.resolver.resolve(m.text, context=near), m.cue)
            out.append(m)
        return out


def _words(text: str, start: int, end: int) -> set[str]:
    """The capitalised words of a run and the run itself: "The Pandjchir" → {"The", "Pandjchir", ...}."""
    run = text[start:end]
    return {run, *run.replace("-", " ").split()}


def _cue(page: _Page, start: int, end: int) -> str | None:
    text, folded, cues = page
    after = _CUE_AFTER.match(folded, end, min(len(folded), end + 24))
    if after:
        return after.group(1)
    # Anchored at each cue word in reach, nearest first: far cheaper than a search at every offset.
    lo, hi = bisect_left(cues, start - _CUE_REACH), bisect_left(cues, start)
    before = next((b for p in reversed(cues[lo:hi]) if (b := _CUE_BEFORE.match(text, p, start))), None)
    if before is None:
        return None
    cue = fold(before.group(1))
    if _CUE_TYPES[cue] == _CUE_TYPES["valley"] and _CONTAINER.search(text, max(0, before.start() - 20), before.end()):
        return None
    return cue


@lru_cache(maxsize=4)
def _default_finder(gazetteer: Gazetteer | None) -> MentionFinder:
    return MentionFinder(default_resolver(gazetteer))


def find_mentions(text: str, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every place mention in `text`, in order, e.g. `find_mentions("fighting in Pazark")[0].text`."""
    return _default_finder(gazetteer).find(text)
