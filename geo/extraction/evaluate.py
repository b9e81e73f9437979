"""How well extraction finds what reviewers found: precision, recall and F1 on the seed articles.

Mentions are compared as (document, start, place) with `claims/seed_mentions.yaml`; claims as
(document, place, type, faction the claim is about) with the curated claims, each side as a set
(two sentences making the same claim count once). The extractor never sees the curated claims:
this is the honest number for articles it has not seen.
"""

from __future__ import annotations

from collections.abc import Hashable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import yaml

from geo.claims.model import DEFAULT_CLAIMS, ClaimSet, Vocabulary
from geo.extraction.corpus import Corpus
from geo.extraction.extract import CandidateClaim, extract
from geo.places.bearings import distance_km
from geo.places.gazetteer import Gazetteer
from geo.places.mentions import MentionFinder
from geo.places.resolve import default_resolver


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _score(found: AbstractSet[Hashable], expected: AbstractSet[Hashable]) -> Score:
    return Score(len(found & expected), len(found - expected), len(expected - found))


@dataclass(frozen=True)
class Mismatch:
    """A claim scored wrong, for a reader tuning the rules: `missed` (annotated, not found) or
    `wrong` (found, not annotated), with its sentence and what produced it."""

    kind: str  # "missed" or "wrong"
    document: str
    place_id: str
    type: str
    subject: str
    quote: str
    why: str  # the annotated claim's id, or the rule that fired

    def line(self) -> str:
        """Two lines: what was scored wrong, then its sentence on one indented line."""
        quote = " ".join(self.quote.split())
        return f"{self.kind:6} {self.document} {self.type}/{self.subject} at {self.place_id} [{self.why}]\n    {quote}"


def evaluate(claim_set: ClaimSet, mentions_file: Path = DEFAULT_CLAIMS / "seed_mentions.yaml") -> dict[str, Score]:
    """Scores for `mentions` and `claims` over every document of the claim set."""
    return _evaluate(claim_set, mentions_file)[0]


def seed_mismatches(claim_set: ClaimSet, mentions_file: Path = DEFAULT_CLAIMS / "seed_mentions.yaml") -> list[Mismatch]:
    """The claims `evaluate` counts as missed or wrong, by document and place."""
    return _evaluate(claim_set, mentions_file)[1]


def _evaluate(claim_set: ClaimSet, mentions_file: Path) -> tuple[dict[str, Score], list[Mismatch]]:
    expected_mentions = yaml.safe_load(mentions_file.read_text(encoding="utf-8"))
    finder = MentionFinder(default_resolver(claim_set.gazetteer))
    # (document, start, place id) and (document, place id, type, faction)
    found_m: set[tuple[str, int, str]] = set()
    want_m: set[tuple[str, int, str]] = set()
    found_c: set[tuple[str, str, str, str]] = set()
    want_c: set[tuple[str, str, str, str]] = set()
    # The first sentence behind each key, so a mismatch shows the words it came from.
    said: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    for document, text in claim_set.texts.items():
        found_m |= {(document, m.start, m.resolution.place.id) for m in finder.find(text) if m.resolution.place}
        want_m |= {(document, start, place) for _, start, place in expected_mentions.get(document, [])}
        dates = claim_set.sources[document].published
        published = dates.start if dates else None
        for c in extract(text, published, gazetteer=claim_set.gazetteer):
            found_c.add(key := (document, c.place_id, c.type, c.faction))
            said.setdefault(key, (c.quote, c.rule))
        for claim in claim_set.claims:
            if claim.document == document:
                want_c.add(key := (document, claim.place_id, claim.type, claim.subject))
                said.setdefault(key, (claim.quote, claim.id))
    # The extractor proposes the claims that bear on status; presence, massing, talks and closed
    # roads it leaves to reviewers. Both figures are reported, so neither hides the other.
    bearing = {"control", "denial", "fighting"}

    def on_status(claims: set[tuple[str, str, str, str]]) -> set[tuple[str, str, str, str]]:
        return {c for c in claims if claim_set.vocabulary.effect(c[2]) in bearing}

    mismatches = [
        Mismatch(kind, *key, *said[key])
        for kind, keys in (("missed", want_c - found_c), ("wrong", found_c - want_c))
        for key in keys
    ]
    scores = {
        "mentions": _score(found_m, want_m),
        "claims": _score(found_c, want_c),
        "status": _score(on_status(found_c), on_status(want_c)),
    }
    return scores, sorted(mismatches, key=lambda m: (m.document, m.place_id, m.kind, m.type))


def table(scores: dict[str, Score]) -> str:
    lines = [f"{'':10} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    # "status": claims of the types that bear on a place's status (effect control, denial, fighting).
    for name, s in scores.items():
        lines.append(
            f"{name:10} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} "
            f"{s.true_positives:5d} {s.false_positives:5d} {s.false_negatives:5d}"
        )
    return "\n".join(lines)


#: A proposed claim matches an annotated one at the same place or one this close: "Bazarak" for the
#: district where the reader wrote the town is the same claim to an analyst.
NEAR_KM = 5.0
#: Candidates above this confidence are meant to be right at least 85% of the time.
CONFIDENT = 0.8


@dataclass(frozen=True)
class CorpusScores:
    mentions: Score
    claims: Score
    status: Score
    confident_precision: float | None  # precision of the candidates above CONFIDENT, None if there are none
    confident: int
    confusion: dict[tuple[str, str], int]  # (annotated "type/subject", found "type/subject" or "missed") -> count
    mismatches: list[Mismatch]


def evaluate_corpus(corpus: Corpus, gazetteer: Gazetteer, vocabulary: Vocabulary) -> CorpusScores:
    """Extraction scored on an annotated corpus (`geo.extraction.corpus`): mentions by (start, place); claims
    matched one to one by type and subject at the same place or within `NEAR_KM`."""
    finder = MentionFinder(default_resolver(gazetteer))
    found_m, want_m = set(), set()
    tp = fp = fn = 0
    status = [0, 0, 0]
    sure = sure_right = 0
    confusion: dict[tuple[str, str], int] = {}
    mismatches: list[Mismatch] = []
    bearing = {"control", "denial", "fighting"}
    for article in corpus.articles:
        text = corpus.texts[article.document]
        found_m |= {(article.document, m.start, m.resolution.place.id) for m in finder.find(text) if m.resolution.place}
        want_m |= {(article.document, m.start, m.place_id) for m in article.mentions}
        found = list(
            {(c.place_id, c.type, c.faction): c for c in extract(text, article.published, gazetteer=gazetteer)}.values()
        )
        notes = {(c.place_id, c.type, c.subject): c for c in article.claims}
        wanted = list(notes)
        matched = _match(found, wanted, gazetteer)
        mismatches += [
            Mismatch("missed", article.document, *w, notes[w].quote, "annotated")
            for j, w in enumerate(wanted)
            if j not in matched
        ]
        mismatches += [
            Mismatch("wrong", article.document, c.place_id, c.type, c.faction, c.quote, c.rule)
            for i, c in enumerate(found)
            if i not in matched.values()
        ]
        for i, c in enumerate(found):
            right = i in matched.values()
            if c.confidence > CONFIDENT:
                sure += 1
                sure_right += right
        hit = set(matched.values())
        tp += len(matched)
        fp += len(found) - len(matched)
        fn += len(wanted) - len(matched)
        on_status = [vocabulary.effect(w[1]) in bearing for w in wanted]
        status[0] += sum(1 for j in matched if on_status[j])
        status[1] += sum(1 for i, c in enumerate(found) if i not in hit and vocabulary.effect(c.type) in bearing)
        status[2] += sum(1 for j, b in enumerate(on_status) if b and j not in matched)
        for j, (place, kind, subject) in enumerate(wanted):
            if j in matched:
                got = f"{kind}/{subject}"
            else:
                near = [c for c in found if _near(c.place_id, place, gazetteer)]
                got = ", ".join(sorted({f"{c.type}/{c.faction}" for c in near})) or "missed"
            key = (f"{kind}/{subject}", got)
            confusion[key] = confusion.get(key, 0) + 1
    return CorpusScores(
        _score(found_m, want_m),
        Score(tp, fp, fn),
        Score(*status),
        sure_right / sure if sure else None,
        sure,
        confusion,
        mismatches,
    )


def _near(a: str, b: str, gazetteer: Gazetteer) -> bool:
    if a == b:
        return True
    pa, pb = gazetteer[a], gazetteer[b]
    return pa.point is not None and pb.point is not None and distance_km(pa, pb) <= NEAR_KM


def _match(found: list[CandidateClaim], wanted: list[tuple[str, str, str]], gazetteer: Gazetteer) -> dict[int, int]:
    """Annotated claim index -> proposed claim index, one to one, exact places first."""
    out: dict[int, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for j, (place, kind, subject) in enumerate(wanted):
            if j in out:
                continue
            for i, c in enumerate(found):
                if i in used or c.type != kind or c.faction != subject:
                    continue
                if (c.place_id == place) if exact else _near(c.place_id, place, gazetteer):
                    out[j] = i
                    used.add(i)
                    break
    return out


def corpus_table(scores: CorpusScores) -> str:
    lines = [table({"mentions": scores.mentions, "claims": scores.claims, "status": scores.status})]
    if scores.confident_precision is not None:
        lines.append(
            f"precision of the {scores.confident} candidates above {CONFIDENT}: {scores.confident_precision:.3f}"
        )
    lines.append("\nannotated -> found (type/subject; 'missed': nothing within 5 km)")
    for (want, got), n in sorted(scores.confusion.items(), key=lambda kv: (kv[0][0], -kv[1])):
        lines.append(f"  {want:28} -> {got}: {n}")
    return "\n".join(lines)
