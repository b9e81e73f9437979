"""How well extraction finds what reviewers found: precision, recall and F1 on the seed articles.

Mentions are compared as (document, start, place) with `claims/seed_mentions.yaml`; claims as
(document, place, type, faction the claim is about) with the curated claims, each side as a set
(two sentences making the same claim count once). The extractor never sees the curated claims:
this is the honest number for articles it has not seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from geo.claims import DEFAULT_CLAIMS, ClaimSet
from geo.extract import extract
from geo.mentions import MentionFinder
from geo.resolve import default_resolver


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


def _score(found: set[tuple], expected: set[tuple]) -> Score:
    return Score(len(found & expected), len(found - expected), len(expected - found))


def evaluate(claim_set: ClaimSet, mentions_file: Path = DEFAULT_CLAIMS / "seed_mentions.yaml") -> dict[str, Score]:
    """Scores for `mentions` and `claims` over every document of the claim set."""
    expected_mentions = yaml.safe_load(mentions_file.read_text(encoding="utf-8"))
    finder = MentionFinder(default_resolver(claim_set.gazetteer))
    found_m, want_m, found_c, want_c = set(), set(), set(), set()
    for document, text in claim_set.texts.items():
        found_m |= {(document, m.start, m.resolution.place.id) for m in finder.find(text)}
        want_m |= {(document, start, place) for _, start, place in expected_mentions.get(document, [])}
        published = claim_set.sources[document].published.start
        found_c |= {
            (document, c.place_id, c.type, c.faction) for c in extract(text, published, gazetteer=claim_set.gazetteer)
        }
        want_c |= {(document, c.place_id, c.type, c.subject) for c in claim_set.claims if c.document == document}
    # The extractor proposes the claims that bear on status; presence, massing, talks and closed
    # roads it leaves to reviewers. Both figures are reported, so neither hides the other.
    bearing = {"control", "denial", "fighting"}

    def on_status(claims: set[tuple]) -> set[tuple]:
        return {c for c in claims if claim_set.vocabulary.effect(c[2]) in bearing}

    return {
        "mentions": _score(found_m, want_m),
        "claims": _score(found_c, want_c),
        "status": _score(on_status(found_c), on_status(want_c)),
    }


def table(scores: dict[str, Score]) -> str:
    lines = [f"{'':10} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    # "status": claims of the types that bear on a place's status (effect control, denial, fighting).
    for name, s in scores.items():
        lines.append(
            f"{name:10} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} "
            f"{s.true_positives:5d} {s.false_positives:5d} {s.false_negatives:5d}"
        )
    return "\n".join(lines)
