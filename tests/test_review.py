"""Accepting, editing and refusing extracted candidates."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import Gazetteer
from geo.claims.model import ClaimSet
from geo.errors import IngestError
from geo.extraction.dating import infer_published
from geo.extraction.extract import extract
from geo.store.review import claim_from_candidate, dated, document_name, new_source

TEXT = "The Taliban captured Bazarak on Friday, a Taliban source said."
DAY = dt.date(2021, 9, 4)


@pytest.fixture
def candidate(gazetteer: Gazetteer) -> dict:
    (c,) = extract(TEXT, DAY, gazetteer=gazetteer)
    return c.to_dict()


def make(candidate: dict, claim_set: ClaimSet, **edits: object):
    source = new_source("a.txt", outlet="Test Wire", published=DAY, by="tester")
    return claim_from_candidate(
        candidate, "x-1", "a.txt", TEXT, source, claim_set.vocabulary, claim_set.gazetteer, **edits
    )


def test_accepted_as_extracted(candidate: dict, claim_set: ClaimSet) -> None:
    claim = make(candidate, claim_set)
    assert (claim.place_id, claim.type, claim.subject, str(claim.date.start)) == (
        "bazarak",
        "captured",
        "taliban",
        "2021-09-03",
    )
    assert claim.quote == TEXT[claim.start : claim.end] and claim.place_note is None
    assert claim.claimant.kind == "source" and claim.claimant.faction == "taliban"


def test_edited_place_type_faction_and_date(candidate: dict, claim_set: ClaimSet) -> None:
    claim = make(
        candidate, claim_set, place_id="bazarak-district", type="controls", faction="taliban", date=dt.date(2021, 9, 2)
    )
    assert (claim.place_id, claim.geo_precision, claim.type) == ("bazarak-district", "district", "controls")
    assert "set by the reviewer" in claim.place_note
    assert (str(claim.date.start), claim.date.evidence) == ("2021-09-02", "set by the reviewer")


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ({"place_id": "atlantis"}, r"place 'atlantis' is not in the gazetteer"),
        ({"type": "liberated"}, r"claim type 'liberated' is not in the vocabulary"),
        ({"faction": "martians"}, r"subject 'martians' is not a faction"),
        ({"date": dt.date(2022, 1, 1)}, r"date starts 2022-01-01, after the document's publication"),
    ],
)
def test_invalid_edits_are_refused(candidate: dict, claim_set: ClaimSet, edits: dict, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        make(candidate, claim_set, **edits)


def test_new_documents_say_what_was_not_given() -> None:
    """Without a date, the ingest date was used once and moved the map to 2026: no date is better."""
    source = new_source(
        "a.txt", outlet=None, published=None, by="tester", read=infer_published("The Taliban took Shutul.")
    )
    assert source.outlet == "unknown" and source.published is None
    assert "a reviewer must give it" in source.published_evidence
    assert document_name("My Article.html", "abcdef0123456789") == "My Article-abcdef0123.html"


def test_a_date_the_text_states_is_used_with_its_evidence() -> None:
    text = "KABUL, Sept. 4, 2021 (Wire) - The Taliban said they took Shutul."
    source = new_source("a.txt", outlet=None, published=None, by="tester", read=infer_published(text))
    assert source.published is not None and source.published.start == dt.date(2021, 9, 4)
    assert source.published_basis == "inferred" and "dateline 'KABUL, Sept. 4, 2021'" in source.published_evidence


def test_claims_of_an_undated_document_are_refused_until_it_has_a_date(candidate: dict, claim_set: ClaimSet) -> None:
    undated = new_source("a.txt", outlet=None, published=None, by="tester", read=infer_published(TEXT))
    with pytest.raises(IngestError, match="has no publication date; give it before accepting claims"):
        claim_from_candidate(candidate, "x-1", "a.txt", TEXT, undated, claim_set.vocabulary, claim_set.gazetteer)
    claim = claim_from_candidate(
        candidate, "x-1", "a.txt", TEXT, dated(undated, DAY, "reviewer"), claim_set.vocabulary, claim_set.gazetteer
    )
    assert str(claim.date.start) == "2021-09-03"  # "on Friday", before the Saturday the reviewer gave


def test_ingest_reads_an_article_s_dateline_once(tmp_path, gazetteer: Gazetteer, monkeypatch) -> None:
    """The date read to anchor "last night" is the one saved: the text is not read for it twice."""
    import geo.store.ingest
    import geo.store.review
    from geo.store.database import Store

    texts: list[str] = []

    def counted(text: str):
        texts.append(text)
        return infer_published(text)

    monkeypatch.setattr(geo.store.ingest, "infer_published", counted)
    monkeypatch.setattr(geo.store.review, "infer_published", counted, raising=False)  # where it was read again
    text = "KABUL, Sept. 4, 2021 (Wire) - The Taliban said they took Shutul last night."
    result = geo.store.ingest.ingest_text(Store(tmp_path / "s.sqlite"), text, "a.txt", gazetteer)
    _, source = Store(tmp_path / "s.sqlite").document(result.name)
    assert texts == [text]
    assert source.published is not None and source.published.start == dt.date(2021, 9, 4)
    assert "dateline 'KABUL, Sept. 4, 2021'" in source.published_evidence
