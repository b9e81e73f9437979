"""Find every place mention in a text, with its character span and resolution.

One Aho-Corasick pass (pyahocorasick) over the text folded by `geo.names.fold`, which keeps one
character per character, so spans found in the folded text are spans in the original. Every
listed spelling is a key; a hit counts only on word boundaries, leftmost-longest first. Then:
- a cue word next to the name ("Shattal district", "the province of Panjshir") selects among
  candidates of different types;
- places named nearby select among candidates of the same name in different areas;
- a variant marked `context_only` ("Bryan") counts only with another place named nearby;
- a capitalised name before or after a cue word that no listed spelling covers ("Shotul
  district") is resolved by transliteration or fuzzy matching, so new romanisations are found.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from geo.gazetteer import Gazetteer
from geo.names import fold
from geo.resolve import Resolution, Resolver, default_resolver, prefer_types

#: Characters either side of a mention in which other places count as its context.
CONTEXT_WINDOW = 400

_CUE_TYPES: dict[str, frozenset[str]] = {
    "district": frozenset({"district"}),
    "province": frozenset({"province"}),
    "valley": frozenset({"valley"}),
    "river": frozenset({"river"}),
    "pass": frozenset({"pass"}),
    "tunnel": frozenset({"pass"}),
    "city": frozenset({"city", "town"}),
    "town": frozenset({"town", "city"}),
    "capital": frozenset({"city", "town"}),
    "village": frozenset({"village", "town"}),
    "heights": frozenset({"area", "pass"}),
    "area": frozenset({"area"}),
}
_CUES = "|".join(_CUE_TYPES)
_CUE_AFTER = re.compile(rf"[\"'”’\]\)]?\s+({_CUES})s?\b")
_CUE_BEFORE = re.compile(rf"\b({_CUES}) of (the )?[\"'“‘]?$")
_NAME = r"[A-Z][A-Za-z\u00C0-\u024F'’]+(?:[ -][A-Z][A-Za-z\u00C0-\u024F'’]+)?"
_CUE_WORD = re.compile(r"\b(?:district|province|valley|pass|village|town|city)\b")
_UNLISTED = re.compile(
    rf"\b(?P<a>{_NAME})[\"”]?\s+(?:district|province|valley|pass)\b"
    rf"|\b(?:district|province|village|town|city) of (?:the )?[\"“]?(?P<b>{_NAME})"
)


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
        found = [m for start, end in spans if (m := self._mention(text, folded, start, end)) is not None]
        found = self._unlisted(text, folded, found)
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

    def _mention(self, text: str, folded: str, start: int, end: int) -> Mention | None:
        surface = text[start:end]
        result = self.resolver.resolve(surface)
        if result.place is None:
            return None
        cue = _cue(folded, start, end)
        if cue is not None:
            result = prefer_types(result, _CUE_TYPES[cue], cue)
        return Mention(start, end, surface, result, cue)

    def _unlisted(self, text: str, folded: str, found: list[Mention]) -> list[Mention]:
        starts = [m.start for m in found]
        extra: list[Mention] = []

        def free(start: int, end: int) -> bool:
            i = bisect_right(starts, end - 1) - 1
            clash = i >= 0 and found[i].end > start
            return not clash and not any(m.start < end and start < m.end for m in extra)

        windows: list[tuple[int, int]] = []
        for cue in _CUE_WORD.finditer(folded):
            lo, hi = max(0, cue.start() - 40), min(len(text), cue.end() + 40)
            if windows and lo <= windows[-1][1]:
                windows[-1] = (windows[-1][0], hi)
            else:
                windows.append((lo, hi))
        matches = [m for lo, hi in windows for m in _UNLISTED.finditer(text, lo, hi)]
        for match in matches:
            group = "a" if match.group("a") else "b"
            start, end = match.span(group)
            if not free(start, end):
                continue
            # "Taliban Shotul district": try the whole capitalised run, then its last word.
            for s in dict.fromkeys((start, text.rfind(" ", start, end) + 1 or start)):
                mention = self._mention(text, folded, s, end)
                if mention is not None and mention.resolution.method in ("transliteration", "fuzzy"):
                    extra.append(mention)
                    break
        return sorted([*found, *extra], key=lambda m: m.start) if extra else found

    def _in_context(self, found: list[Mention]) -> list[Mention]:
        """Drop context-only spellings with no place nearby; rank ambiguous names by neighbours."""
        firm = [m for m in found if not m.resolution.context_only and not m.resolution.place.out_of_area]
        starts = [m.start for m in firm]
        out = []
        for m in found:
            if not (m.resolution.context_only or (m.resolution.ambiguous and m.cue is None)):
                out.append(m)
                continue
            lo = bisect_left(starts, m.start - CONTEXT_WINDOW)
            hi = bisect_right(starts, m.start + CONTEXT_WINDOW)
            near = tuple(dict.fromkeys(o.resolution.place.id for o in firm[lo:hi] if o is not m))
            if m.resolution.context_only and not near:
                continue
            if m.resolution.ambiguous and near and m.cue is None:
                m = Mention(m.start, m.end, m.text, self.resolver.resolve(m.text, context=near), m.cue)
            out.append(m)
        return out


def _cue(folded: str, start: int, end: int) -> str | None:
    after = _CUE_AFTER.match(folded, end, min(len(folded), end + 24))
    if after:
        return after.group(1)
    before = _CUE_BEFORE.search(folded, max(0, start - 30), start)
    return before.group(1) if before else None


@lru_cache(maxsize=4)
def _default_finder(gazetteer: Gazetteer | None) -> MentionFinder:
    return MentionFinder(default_resolver(gazetteer))


def find_mentions(text: str, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every place mention in `text`, in order, e.g. `find_mentions("fighting in Pazark")[0].text`."""
    return _default_finder(gazetteer).find(text)
