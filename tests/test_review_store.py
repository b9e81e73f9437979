"""What a review stores, in real SQLite files: only decided candidates reach the map, undecided ones
wait in the queue, a rejection is remembered when the article comes again, a save can be undone
with its history kept; and what the reviewer is shown of a candidate and its source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from geo import Gazetteer
from geo.claims.model import ClaimSet
from geo.errors import IngestError
from geo.extraction.extract import extract
from geo.store.database import ON_MAP, SaveResult, Store, document_id
from geo.store.review import (
    Decision,
    Proposal,
    candidate_key,
    decide,
    new_source,
    place_label,
    proposals,
    read_masthead,
)
from geo.web.html import candidate_html

TEXT = "The Taliban captured Bazarak on Friday, a Taliban source said. Resistance forces repelled an attack on Khawak."
DAY = dt.date(2021, 9, 4)
WIRE = (
    "KABUL, Sept 5 (Reuters) - Taliban forces captured the district centre of Rokha on Sunday, a spokesman "
    "said, but resistance fighters said they still held the Dara district and had repelled an attack near Khinj."
)


def review(
    store: Store, claim_set: ClaimSet, choices: list[str], text: str = TEXT, **edits: object
) -> tuple[list[Proposal], SaveResult]:
    """Find the candidates of `text`, match them to the store, decide each as `choices` says and save."""
    gaz = claim_set.gazetteer
    known = store.stored(text)
    found, _ = proposals(
        document_id(text), text, [c.to_dict() for c in extract(text, DAY, gazetteer=gaz)], known[2] if known else []
    )
    name = known[0] if known else "a.txt"
    source = known[1] if known else new_source(name, outlet="Test Wire", published=DAY, by="tester")
    decisions = [
        Decision(p.claim_id, choice, p.value("place_id"), p.value("type"), p.value("faction"), None)  # type: ignore[arg-type]
        for p, choice in zip(found, choices, strict=True)
    ]
    decisions[0] = dataclasses.replace(decisions[0], **edits)  # type: ignore[arg-type]
    rows = decide([p.candidate for p in found], decisions, name, text, source, claim_set.vocabulary, gaz)
    return found, store.save_review(text, source, rows, by="tester")


def statuses(store: Store) -> list[str]:
    return [c["status"] for c in store.claims(statuses=["extracted", "accepted", "edited", "rejected"])]


def test_only_decided_candidates_reach_the_map_and_the_undecided_wait(tmp_path: Path, claim_set: ClaimSet) -> None:
    store = Store(tmp_path / "s.sqlite")
    review(store, claim_set, ["undecided", "undecided"])
    assert statuses(store) == ["extracted", "extracted"]
    assert [w["candidates"] for w in store.pending()] == [2]  # stored for the record, in the queue
    review(store, claim_set, ["accept", "undecided"])
    assert statuses(store) == ["accepted", "extracted"]
    with store.snapshot() as (_, _, on_map):
        assert [c["place_id"] for c in on_map if c["id"].startswith("x-")] == ["bazarak"]


def test_a_rejection_stays_when_the_article_is_ingested_again(tmp_path: Path, claim_set: ClaimSet) -> None:
    store = Store(tmp_path / "s.sqlite")
    first, _ = review(store, claim_set, ["reject", "accept"])
    again, resaved = review(store, claim_set, ["reject", "accept"])
    assert [(p.claim_id, p.status, p.choice) for p in again] == [
        (first[0].claim_id, "rejected", "reject"),
        (first[1].claim_id, "accepted", "accept"),
    ]
    assert again[0].by == "tester" and resaved.changed == ()  # saving the same decisions changes nothing
    # A candidate the store has not seen (a newer extractor's) gets the document's next id.
    extra = dict(first[0].candidate, mention_start=0, mention_end=3)
    found, unmatched = proposals(
        document_id(TEXT),
        TEXT,
        [first[1].candidate, extra],
        store.stored(TEXT)[2],  # type: ignore[index]
    )
    assert [p.claim_id for p in found] == [first[1].claim_id, f"x-{document_id(TEXT)[:12]}-003"]
    assert found[1].choice == "undecided" and unmatched == 1  # the rejected one, not found this time


def test_an_edit_is_saved_as_edited_and_shown_as_saved(tmp_path: Path, claim_set: ClaimSet) -> None:
    store = Store(tmp_path / "s.sqlite")
    review(store, claim_set, ["accept", "undecided"], place_id="bazarak-district", type="controls")
    assert statuses(store) == ["edited", "extracted"]
    again, _ = review(store, claim_set, ["accept", "undecided"], place_id="bazarak-district", type="controls")
    assert (again[0].value("place_id"), again[0].value("type")) == ("bazarak-district", "controls")


def test_undo_takes_a_save_back_to_the_queue_and_keeps_its_history(tmp_path: Path, claim_set: ClaimSet) -> None:
    store = Store(tmp_path / "s.sqlite")
    found, saved = review(store, claim_set, ["accept", "reject"])
    assert store.undo(saved.changed, by="tester") == 1
    assert statuses(store) == ["extracted", "extracted"]
    (first, _) = store.claims(statuses=["extracted"])
    assert first["data"] == found[0].candidate  # the candidate again, not the claim it became
    history = store.history(found[0].claim_id)
    assert [h["status"] for h in history] == ["accepted", "extracted"]
    assert history[-1]["note"] == "save undone: it was accepted"
    with store.snapshot() as (_, _, on_map):
        assert not [c for c in on_map if c["id"].startswith("x-")]
    with pytest.raises(IngestError, match="no claim 'x-none' in the store; nothing was undone"):
        store.undo(["x-none"], by="tester")


def test_a_save_is_all_or_nothing(tmp_path: Path, claim_set: ClaimSet) -> None:
    store = Store(tmp_path / "s.sqlite")
    review(store, claim_set, ["accept", "undecided"])
    revision = store.revision()
    with pytest.raises(IngestError, match=r"is in the store as 'a\.txt', not as 'b\.txt'"):
        store.save_review(TEXT, new_source("b.txt", outlet=None, published=DAY, by="x"), [], by="x")
    assert store.revision() == revision and statuses(store) == ["accepted", "extracted"]


OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, text TEXT NOT NULL, metadata TEXT NOT NULL,
    added_at TEXT NOT NULL, added_by TEXT NOT NULL);
CREATE TABLE claims (id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id),
    status TEXT NOT NULL, data TEXT NOT NULL, extractor_version TEXT, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL);
CREATE TABLE claim_events (claim_id TEXT NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, note TEXT);
INSERT INTO meta VALUES ('revision', '0');
"""


def test_a_store_from_before_matches_its_accepted_claims_without_their_candidates(
    tmp_path: Path, claim_set: ClaimSet, gazetteer: Gazetteer
) -> None:
    """Claims accepted before the store kept candidates are still found again: no second copy."""
    path = tmp_path / "old.sqlite"
    candidates = [c.to_dict() for c in extract(TEXT, DAY, gazetteer=gazetteer)]
    source = new_source("a.txt", outlet=None, published=DAY, by="old")
    rows = decide(
        candidates,
        [Decision(f"x-{i}", "accept", c["place_id"], c["type"], c["faction"], None) for i, c in enumerate(candidates)],
        "a.txt", TEXT, source, claim_set.vocabulary, gazetteer,
    )  # fmt: skip
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA)
        conn.execute("INSERT INTO documents VALUES (?, 'a.txt', ?, ?, 'then', 'old')", (document_id(TEXT), TEXT,
                     source.model_dump_json()))  # fmt: skip
        for row in rows:
            conn.execute("INSERT INTO claims VALUES (?, ?, 'accepted', ?, NULL, 'then', 'old')",
                         (row.claim_id, document_id(TEXT), json.dumps(row.data)))  # fmt: skip
    store = Store(path)
    found, unmatched = proposals(document_id(TEXT), TEXT, candidates, store.stored(TEXT)[2])  # type: ignore[index]
    assert [(p.claim_id, p.choice) for p in found] == [("x-0", "accept"), ("x-1", "accept")] and unmatched == 0


def test_a_candidate_is_shown_in_its_sentence_escaped_with_its_words_marked(gazetteer: Gazetteer) -> None:
    text = "<b>Note</b> & more. The Taliban captured <i>Bazarak</i> on Friday, a Taliban source said."
    (candidate,) = [c.to_dict() for c in extract(text, DAY, gazetteer=gazetteer)]
    html = candidate_html(text, candidate)
    assert "<b>" not in html and "<i>" not in html and "&lt;i&gt;" in html
    assert "<mark class='place'>Bazarak</mark>" in html and "<mark class='cue'>captured</mark>" in html
    assert "<mark class='subject'>Taliban</mark>" in html
    assert html.count("<span class='quote'>") == html.count("</span>") == 1
    assert "Note" not in html  # the sentence, not the article


def test_what_the_reviewer_is_shown_of_a_source_and_a_place(gazetteer: Gazetteer) -> None:
    seen = read_masthead(WIRE)
    assert (seen.agency, seen.dateline, seen.date_words, seen.published) == (
        "Reuters",
        "KABUL, Sept 5 (Reuters)",
        "Sept 5",
        None,  # no year stated: none is guessed
    )
    source = new_source("a.txt", outlet="Reuters", agency="Reuters", published=DAY, by="amina", tag=seen.agency)
    assert (source.outlet, source.agency) == ("Reuters", "Reuters")
    assert source.outlet_evidence == "the dateline's agency tag 'Reuters', confirmed by amina at ingest"
    assert place_label(gazetteer, "rokha-district") == "Rokha, Panjshir (district)"
    assert place_label(gazetteer, "bazarak") == "Bazarak, Panjshir (town)"  # not "Bazarak, Bazarak"


def test_candidates_are_keyed_by_their_place_s_words_type_place_and_side(gazetteer: Gazetteer) -> None:
    a, b = (c.to_dict() for c in extract(TEXT, DAY, gazetteer=gazetteer))
    assert candidate_key(a) == f"{a['mention_start']}:{a['mention_end']}:captured:bazarak:taliban"
    assert candidate_key(dict(a, quote="shorter", start=a["start"] + 4)) == candidate_key(a)
    assert candidate_key(b) != candidate_key(a) and set(ON_MAP) >= {"accepted", "edited"}
