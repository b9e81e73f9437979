"""How well extraction finds what reviewers found: precision, recall and F1 on the seed articles.

Mentions are compared as (document, start, place) with `claims/seed_mentions.yaml`; claims as
(document, place, type, faction the claim is about) with the curated claims, each side as a set
(two sentences making the same claim count once). The extractor never sees the curated claims:
this is the honest number for articles it has not seen.
"""

from __future__ import annotations

from collections.abc import Hashable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo.claims.model import DEFAULT_CLAIMS, ClaimSet, Vocabulary
from geo.extraction.corpus import Article, Corpus
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


def table(scores: dict[str, Score], label: str = "") -> str:
    width = max(10, len(label), *(len(n) for n in scores))
    lines = [f"{label:{width}} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    # "status": claims of the types that bear on a place's status (effect control, denial, fighting).
    for name, s in scores.items():
        lines.append(
            f"{name:{width}} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} "
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
    #: (from, to, candidates, share right): how often a candidate of each confidence is right.
    reliability: list[tuple[float, float, int, float]] = field(default_factory=list)
    #: Claim scores by the phenomena the annotations tag their sentences with (claims/vocabulary.yaml).
    phenomena: dict[str, Score] = field(default_factory=dict)


def evaluate_corpus(corpus: Corpus, gazetteer: Gazetteer, vocabulary: Vocabulary) -> CorpusScores:
    """Extraction scored on an annotated corpus (`geo.extraction.corpus`): mentions by (start, place); claims
    matched one to one by type and subject at the same place or within `NEAR_KM`. A claim proposed
    from several sentences counts once, at its highest confidence."""
    finder = MentionFinder(default_resolver(gazetteer))
    found_m, want_m = set(), set()
    tp = fp = fn = 0
    status = [0, 0, 0]
    confusion: dict[tuple[str, str], int] = {}
    mismatches: list[Mismatch] = []
    bearing = {"control", "denial", "fighting"}
    scored: list[tuple[float, bool]] = []
    by_tag: dict[str, list[int]] = {}
    for article in corpus.articles:
        text = corpus.texts[article.document]
        found_m |= {(article.document, m.start, m.resolution.place.id) for m in finder.find(text) if m.resolution.place}
        want_m |= {(article.document, m.start, m.place_id) for m in article.mentions}
        best: dict[tuple[str, str, str], CandidateClaim] = {}
        for c in extract(text, article.published, gazetteer=gazetteer):
            key = (c.place_id, c.type, c.faction)
            if key not in best or c.confidence > best[key].confidence:
                best[key] = c
        found = list(best.values())
        notes = {(c.place_id, c.type, c.subject): c for c in article.claims}
        wanted = list(notes)
        matched = match(found, wanted, gazetteer)
        hit = set(matched.values())
        mismatches += [
            Mismatch("missed", article.document, *w, notes[w].quote, "annotated")
            for j, w in enumerate(wanted)
            if j not in matched
        ]
        mismatches += [
            Mismatch("wrong", article.document, c.place_id, c.type, c.faction, c.quote, c.rule)
            for i, c in enumerate(found)
            if i not in hit
        ]
        scored += [(c.confidence, i in hit) for i, c in enumerate(found)]
        _tally_tags(by_tag, article, text, found, wanted, matched)
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
                close = [c for c in found if near(c.place_id, place, gazetteer)]
                got = ", ".join(sorted({f"{c.type}/{c.faction}" for c in close})) or "missed"
            pair = (f"{kind}/{subject}", got)
            confusion[pair] = confusion.get(pair, 0) + 1
    sure = [right for confidence, right in scored if confidence > CONFIDENT]
    return CorpusScores(
        _score(found_m, want_m),
        Score(tp, fp, fn),
        Score(*status),
        sum(sure) / len(sure) if sure else None,
        len(sure),
        confusion,
        mismatches,
        reliability([c for c, _ in scored], [r for _, r in scored]),
        {tag: Score(*counts) for tag, counts in sorted(by_tag.items())},
    )


def _tally_tags(
    by_tag: dict[str, list[int]],
    article: Article,
    text: str,
    found: list[CandidateClaim],
    wanted: list[tuple[str, str, str]],
    matched: dict[int, int],
) -> None:
    """Add an article's claims to the scores of their sentences' phenomena: an annotated claim is
    found or missed under its tags; a wrong candidate counts against the tags of its sentence."""
    tags_of = {(c.place_id, c.type, c.subject): c.tags or ("plain",) for c in article.claims}
    spans = [(text.find(c.quote), len(c.quote), c.tags or ("plain",)) for c in article.claims]
    spans += [(text.find(n.quote), len(n.quote), n.tags) for n in article.no_claims]
    for j, w in enumerate(wanted):
        for tag in tags_of[w]:
            counts = by_tag.setdefault(tag, [0, 0, 0])
            counts[0 if j in matched else 2] += 1
    hit = set(matched.values())
    for i, c in enumerate(found):
        if i in hit:
            continue
        at = c.end - 1
        tags = {t for start, length, ts in spans if start <= at < start + length for t in ts}
        for tag in tags:
            by_tag.setdefault(tag, [0, 0, 0])[1] += 1


def reliability(confidence: list[float], right: list[bool]) -> list[tuple[float, float, int, float]]:
    """(from, to, candidates, share right) for confidence bins of 0.2."""
    out = []
    for lo in (0.0, 0.2, 0.4, 0.6, 0.8):
        hi = round(lo + 0.2, 1)
        inside = [r for c, r in zip(confidence, right, strict=True) if lo <= c < hi or (hi == 1.0 and c == 1.0)]
        out.append((lo, hi, len(inside), sum(inside) / len(inside) if inside else 0.0))
    return out


def near(a: str, b: str, gazetteer: Gazetteer) -> bool:
    if a == b:
        return True
    pa, pb = gazetteer[a], gazetteer[b]
    return pa.point is not None and pb.point is not None and distance_km(pa, pb) <= NEAR_KM


def match(found: list[CandidateClaim], wanted: list[tuple[str, str, str]], gazetteer: Gazetteer) -> dict[int, int]:
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
                if (c.place_id == place) if exact else near(c.place_id, place, gazetteer):
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
    lines.append("\nreliability: how often a candidate of each confidence is right")
    lines += [f"  {lo:.1f}-{hi:.1f} {n:5d} candidates  {share:6.3f} right" for lo, hi, n, share in scores.reliability]
    if scores.phenomena:
        lines.append(
            "\nclaims by phenomenon (claims/vocabulary.yaml; a wrong candidate counts under its sentence's tags)"
        )
        lines.append(table(scores.phenomena, "phenomenon"))
    lines.append("\nannotated -> found (type/subject; 'missed': nothing within 5 km)")
    for (want, got), n in sorted(scores.confusion.items(), key=lambda kv: (kv[0][0], -kv[1])):
        lines.append(f"  {want:28} -> {got}: {n}")
    return "\n".join(lines)
