"""Annotated corpora: their annotations hold against their texts, and extraction's figures on them.

The floors are today's figures (README, "Extraction"): a change that lowers one fails here. The
held-out set's floor guards against regressions only; nothing is tuned on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.claims.model import ClaimSet
from geo.errors import ClaimError
from geo.extraction.corpus import load_corpus
from geo.extraction.evaluate import evaluate_corpus
from tests.conftest import ROOT, run_geo


@pytest.mark.parametrize(("folder", "articles"), [("dev", 75), ("test", 16), ("heldout", 16)])
def test_the_corpora_check_out(claim_set: ClaimSet, folder: str, articles: int) -> None:
    corpus = load_corpus(ROOT / "corpus" / folder, claim_set.gazetteer, claim_set.vocabulary)
    assert len(corpus) == articles
    assert sum(len(a.claims) for a in corpus.articles) > 200
    assert {a.style for a in corpus.articles} >= {"wire", "tweets", "headline", "mt-german", "mt-french", "mt-russian"}


def test_a_bad_annotation_names_its_file_article_and_fault(tmp_path: Path, claim_set: ClaimSet) -> None:
    (tmp_path / "a.txt").write_text("The Taliban took Shutul on Friday.", encoding="utf-8")
    (tmp_path / "annotations.yaml").write_text(
        "- document: a.txt\n  published: 2021-09-04\n  outlet: Wire\n  register: wire\n"
        "  mentions:\n    - {start: 3, end: 9, text: Shutul, place_id: shutul-district}\n"
        "  claims:\n    - {quote: The Taliban took Shutul, place_id: shutul, type: seized, subject: taliban,"
        " claimant: {kind: faction}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ClaimError) as err:
        load_corpus(tmp_path, claim_set.gazetteer, claim_set.vocabulary)
    said = str(err.value)
    assert "annotations.yaml:1: article 'a.txt': mention 'Shutul' is not at 3-9; first seen at 17" in said
    assert "place_id is not in the gazetteer" in said and "type is not in the vocabulary" in said


@pytest.mark.parametrize(
    ("folder", "claims_f1", "recall", "confident", "mentions_f1"),
    # dev is what the rules and the scorer were tuned on; test (real-register text) and heldout
    # (written by someone who never saw the rules) are only measured: their floors record today's
    # figures so that a regression fails, and the README's table says how far they are from the goals.
    [("dev", 0.65, 0.62, 0.95, 0.99), ("test", 0.62, 0.59, None, 0.95), ("heldout", 0.47, 0.42, None, 0.97)],
)
def test_extraction_on_the_corpora(
    claim_set: ClaimSet, folder: str, claims_f1: float, recall: float, confident: float | None, mentions_f1: float
) -> None:
    corpus = load_corpus(ROOT / "corpus" / folder, claim_set.gazetteer, claim_set.vocabulary)
    scores = evaluate_corpus(corpus, claim_set.gazetteer, claim_set.vocabulary)
    assert scores.claims.f1 >= claims_f1 and scores.claims.recall >= recall, scores.claims
    assert scores.mentions.f1 >= mentions_f1, scores.mentions
    if confident is not None:
        assert scores.confident_precision is not None and scores.confident_precision >= confident


def test_evaluate_command_scores_a_corpus() -> None:
    out = run_geo("evaluate", "--corpus", "corpus/dev", timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert [line.split()[0] for line in lines[1:4]] == ["mentions", "claims", "status"]
    assert any(line.strip().startswith("captured/taliban") for line in lines)  # the confusion table
