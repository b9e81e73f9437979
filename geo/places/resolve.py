"""Name → place, with how it matched, a score and a sentence a reader can check.

Levels, tried in order; the first that matches decides:
exact (canonical name as written) > variant (a listed spelling as written) > normalised (case,
diacritics, spaces, hyphens) > transliteration (`geo.places.namekeys.translit_key`) > fuzzy (closest
transliteration key by rapidfuzz, above a length-dependent cut-off). Known non-places
("Taliban", "Masoud") are refused before fuzzy matching, and so is a name whose closest fuzzy
match is a non-place: no answer beats a wrong one.

Candidates for every key are ranked once when the index is built, and explanations are written
only when read, so that a look-up is a few dict probes (see bench/resolve.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal, NamedTuple

from rapidfuzz import fuzz, process

from geo.errors import ResolveError
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.places.namekeys import norm_key, translit_key, translit_keys
from geo.places.schema import TYPE_PRIORITY, Place, Variant

Method = Literal["exact", "variant", "normalised", "transliteration", "fuzzy"]
_SCORES: dict[str, float] = {"exact": 1.0, "variant": 1.0, "normalised": 0.95, "transliteration": 0.9}
_LEVEL_WORDS = {
    "normalised": "the same name ignoring case, diacritics, spaces and hyphens",
    "transliteration": (
        "the same name under transliteration equivalences (p/b, o/u, e/i, y/i, kh/k, doubled letters, izafe;"
        " German sch/dsch, French ou/dj/ch, Russian zh/kh)"
    ),
}
#: Fuzzy cut-offs on rapidfuzz's ratio (0-100) of transliteration keys: short names need more.
_FUZZY_MIN_LEN = 5
_FUZZY_CUTOFF_SHORT, _FUZZY_CUTOFF_LONG, _LONG = 86.0, 80.0, 8
_FUZZY_WEIGHT = 0.85  # a fuzzy match at 100% similarity still scores below a transliteration match
_TIE = 2.0  # fuzzy candidates within this many points of the best are offered as alternatives
_CACHE_SIZE = 100_000  # names in news repeat; distinct spellings in a corpus stay far below this


class PlaceCandidate(NamedTuple):
    """One place a name may mean. A NamedTuple: built in C, which matters on the fuzzy path."""

    place: Place
    method: Method
    score: float
    matched: str
    variant: Variant | None = None


class Resolution(NamedTuple):
    """The outcome of resolving one name. `place` is None when the name was refused.

    `candidates` holds one entry per place, best first; `reason` says why a name was refused,
    or what in the text chose among candidates. The explanation is written when read.
    """

    query: str
    place: Place | None
    method: Method | None
    score: float
    candidates: tuple[PlaceCandidate, ...] = ()
    reason: str = ""

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    @property
    def context_only(self) -> bool:
        """True when every candidate was matched by a spelling that needs other places nearby."""
        return bool(self.candidates) and all(c.variant is not None and c.variant.context_only for c in self.candidates)

    @property
    def explanation(self) -> str:
        if not self.candidates:
            return self.reason
        text = _explain(self.query, self.candidates)
        return f"{text}; {self.reason}" if self.reason else text

    def to_dict(self) -> dict[str, object]:
        p = self.place
        return {
            "query": self.query,
            "place_id": p.id if p else None,
            "name": p.name if p else None,
            "type": p.type if p else None,
            "lat": p.point.lat if p and p.point else None,
            "lon": p.point.lon if p and p.point else None,
            "method": self.method,
            "score": round(self.score, 3),
            "explanation": self.explanation,
            "candidates": [
                {"place_id": c.place.id, "name": c.place.name, "type": c.place.type, "score": round(c.score, 3)}
                for c in self.candidates
            ],
        }


class Resolver:
    """Indexes every name of a gazetteer once; `resolve` is then a few dict look-ups."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        exact: dict[str, list[PlaceCandidate]] = defaultdict(list)
        norm: dict[str, list[PlaceCandidate]] = defaultdict(list)
        translit: dict[str, list[PlaceCandidate]] = defaultdict(list)
        for place in gazetteer:
            exact[place.name].append(PlaceCandidate(place, "exact", 1.0, place.name))
            for v in place.variants:
                exact[v.name].append(PlaceCandidate(place, "variant", 1.0, v.name, v))
            for name, variant in [(place.name, None), *((v.name, v) for v in place.variants if not v.match_case)]:
                norm[norm_key(name)].append(PlaceCandidate(place, "normalised", _SCORES["normalised"], name, variant))
                translit[translit_key(name)].append(
                    PlaceCandidate(place, "transliteration", _SCORES["transliteration"], name, variant)
                )
        self._exact = {k: _ranked(v) for k, v in exact.items()}
        self._norm = {k: _ranked(v) for k, v in norm.items()}
        self._translit = {k: _ranked(v) for k, v in translit.items()}
        self._non_place_keys = {translit_key(n.name): n for n in gazetteer.non_places.values()}
        # Fuzzy matching compares only keys that share the first letter: misspellings in news
        # keep it far more often than not, and it cuts the comparisons about twenty-fold.
        buckets: dict[str, set[str]] = defaultdict(set)
        for key in [*self._translit, *self._non_place_keys]:
            if key:
                buckets[key[0]].add(key)
        self._buckets = {k: sorted(v) for k, v in buckets.items()}
        self._cache: dict[str, Resolution] = {}
        self._reranked: dict[tuple[str, tuple[str, ...]], Resolution] = {}

    def resolve(self, name: str, context: Iterable[str] = ()) -> Resolution:
        """Resolve `name`; `context` holds ids of places named nearby, which rank candidates."""
        result = self._cache.get(name)
        if result is None:
            if not isinstance(name, str):
                raise ResolveError(f"expected a place name as text, got {type(name).__name__}")
            result = self._resolve(name)
            if len(self._cache) < _CACHE_SIZE:
                self._cache[name] = result
        if context and result.ambiguous:
            key = (name, tuple(context))
            reranked = self._reranked.get(key)
            if reranked is None:
                if len(self._reranked) >= _CACHE_SIZE:
                    self._reranked.clear()
                reranked = self._reranked[key] = self._rerank(result, key[1])
            result = reranked
        return result

    def _resolve(self, name: str) -> Resolution:
        query = name.strip()
        if not query:
            return _refusal(name, "empty name")
        if hits := self._exact.get(query):
            return _answer(name, hits)
        nkey = norm_key(query)
        if not nkey:
            return _refusal(name, f"'{name}' has no letters to match")
        if hits := self._norm.get(nkey):
            return _answer(name, hits)
        if (non_place := self.gazetteer.non_places.get(nkey)) is not None:
            return _refusal(name, f"'{name}' is not a place: '{non_place.name}' is listed as a {non_place.kind}")
        # The English reading first; then the German, French and Russian readings of ch, j, kh, s.
        tkeys = translit_keys(query)
        for tkey in tkeys:
            if hits := self._translit.get(tkey):
                return _answer(name, hits)
            if (non_place := self._non_place_keys.get(tkey)) is not None:
                return _refusal(name, f"'{name}' is not a place: '{non_place.name}' is listed as a {non_place.kind}")
        return self._fuzzy(name, tkeys[0])

    def _fuzzy(self, name: str, tkey: str) -> Resolution:
        if len(tkey) < _FUZZY_MIN_LEN:
            return _refusal(name, f"no place is called '{name}', and it is too short to guess")
        cutoff = _FUZZY_CUTOFF_LONG if len(tkey) >= _LONG else _FUZZY_CUTOFF_SHORT
        choices = self._buckets.get(tkey[0], [])
        found = process.extract(tkey, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
        if not found:
            best = process.extractOne(tkey, choices, scorer=fuzz.ratio)
            hint = f" (closest: '{best[0]}' at {best[1]:.0f}% < {cutoff:.0f}%)" if best else ""
            return _refusal(name, f"no place matches '{name}' closely enough{hint}")
        top_key, top, _ = found[0]
        if (non_place := self._non_place_keys.get(top_key)) is not None:
            why = f"'{name}' is not a place: close ({top:.0f}%) to '{non_place.name}', listed as a {non_place.kind}"
            return _refusal(name, why)
        keys = [(key, score) for key, score, _ in found if score >= top - _TIE and key in self._translit]
        candidates = [
            PlaceCandidate(c.place, "fuzzy", _FUZZY_WEIGHT * score / 100, c.matched, c.variant)
            for key, score in keys
            for c in self._translit[key]
        ]
        # One key (the usual case): its candidates are ranked already and share one score.
        return _answer(name, tuple(candidates) if len(keys) == 1 else _ranked(candidates))

    def _rerank(self, result: Resolution, context: tuple[str, ...]) -> Resolution:
        """Among equally good candidates, prefer one that shares a province or district with the
        places named nearby; a country is too coarse to count, whichever it is."""
        places = self.gazetteer.places
        near = {p for pid in context if pid in places for p in (pid, *places[pid].parents)}
        near = {p for p in near if p in places and places[p].type != "country"}

        def affinity(c: PlaceCandidate) -> int:
            return 0 if ({c.place.id, *c.place.parents} & near) else 1

        ranked = _yielded(sorted(result.candidates, key=lambda c: (-c.score, affinity(c), *_rank(c)[1:])))
        if ranked[0] is result.candidates[0]:
            return result
        return _answer(result.query, ranked, "chosen over the others by the places named nearby")


def prefer_types(result: Resolution, types: frozenset[str], cue: str) -> Resolution:
    """Move candidates of the types a cue word names ('district', 'valley'...) to the front."""
    if not result.ambiguous or result.place is None or result.place.type in types:
        return result
    ranked = tuple(sorted(result.candidates, key=lambda c: c.place.type not in types))
    if ranked[0].place.type not in types:
        return result
    return _answer(result.query, ranked, f"'{cue}' in the text selects the {ranked[0].place.type}")


def _answer(name: str, ranked: tuple[PlaceCandidate, ...], reason: str = "") -> Resolution:
    best = ranked[0]
    return Resolution(name, best.place, best.method, best.score, ranked, reason)


def _refusal(name: str, reason: str) -> Resolution:
    return Resolution(name, None, None, 0.0, (), reason)


def _rank(c: PlaceCandidate) -> tuple[float, int, int, int]:
    canonical = 0 if c.variant is None else 1
    return (-c.score, canonical, int(c.place.out_of_area), TYPE_PRIORITY[c.place.type])


def _ranked(candidates: list[PlaceCandidate]) -> tuple[PlaceCandidate, ...]:
    """Best first, one candidate per place (its best-ranked spelling); a place that `yields_to`
    another candidate goes right after it."""
    seen: set[str] = set()
    out = []
    for c in sorted(candidates, key=_rank):
        if c.place.id not in seen:
            seen.add(c.place.id)
            out.append(c)
    return _yielded(out)


def _yielded(ranked: list[PlaceCandidate]) -> tuple[PlaceCandidate, ...]:
    """`ranked` with each place that `yields_to` another candidate moved right after it."""
    ids = {c.place.id for c in ranked}
    for c in [c for c in ranked if c.place.yields_to in ids]:
        ranked.remove(c)
        target = next(i for i, o in enumerate(ranked) if o.place.id == c.place.yields_to)
        ranked.insert(target + 1, c)
    return tuple(ranked)


def _explain(query: str, ranked: tuple[PlaceCandidate, ...]) -> str:
    best = ranked[0]
    target = f"{best.place.name} ({best.place.type})"
    if best.method == "exact":
        text = f"{query} → {target}: canonical name"
    elif best.method == "variant":
        note = f" ({best.variant.note})" if best.variant and best.variant.note else ""
        text = f"{query} → {target}: listed variant{note}"
    elif best.method == "fuzzy":
        text = f"{query} → {target}: closest spelling ('{best.matched}', similarity {best.score / _FUZZY_WEIGHT:.0%})"
    else:
        text = f"{query} → {target}: {_LEVEL_WORDS[best.method]} as '{best.matched}'"
    if len(ranked) > 1:
        text += "; also " + ", ".join(f"{c.place.name} ({c.place.type})" for c in ranked[1:])
    return text


@lru_cache(maxsize=4)
def default_resolver(gazetteer: Gazetteer | None = None) -> Resolver:
    """A resolver over `gazetteer`, or over the bundled one, built once and reused."""
    return Resolver(gazetteer if gazetteer is not None else load_gazetteer())


def resolve(name: str, context: Iterable[str] = (), gazetteer: Gazetteer | None = None) -> Resolution:
    """Resolve one name, e.g. `resolve("Pazark").place.name == "Bazarak"`."""
    return default_resolver(gazetteer).resolve(name, context)
