"""What a review stores, in real SQLite files: only decided candidates reach the map, undecided ones
wait in the queue, a rejection is remembered when the article comes again, a save can be undone
with its history kept; and what the reviewer is shown of a candidate and its source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from geo import Gazetteer
from geo.claims.model import ClaimSet
from geo.errors import IngestError, ReviewConflictError
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
from geo.web.reader import documents_table

TEXT = "The Taliban captured Bazarak on Friday, a Taliban source said. Resistance forces repelled an attack on Khawak."
DAY = dt.date(2021, 9, 4)
WIRE = (
    "KABUL, Sept 5 (Reuters) - Taliban forces captured the district centre of Rokha on Sunday, a spokesman "
    "said, but resistance fighters said they still held the Dara district and had repelled an attack near Khinj."
)


def look(store: Store, claim_set: ClaimSet, text: str = TEXT) -> list[Proposal]:
    """The candidates of `text` as a reviewer opening the article sees them, matched to the store."""
    known = store.stored(text)
    extracted = [c.to_dict() for c in extract(text, DAY, gazetteer=claim_set.gazetteer)]
    return proposals(document_id(text), text, extracted, known[2] if known else [])[0]


def save(
    store: Store,
    claim_set: ClaimSet,
    found: list[Proposal],
    choices: list[str],
    text: str = TEXT,
    *,
    by: str = "tester",
    **edits: object,
) -> SaveResult:
    """Decide each of `found` as `choices` says (the first with `edits`) and save, as `by`."""
    gaz = claim_set.gazetteer
    known = store.stored(text)
    name = known[0] if known else "a.txt"
    source = known[1] if known else new_source(name, outlet="Test Wire", published=DAY, by=by)
    decisions = [
        Decision(p.claim_id, choice, p.value("place_id"), p.value("type"), p.value("faction"), None, p.seen)  # type: ignore[arg-type]
        for p, choice in zip(found, choices, strict=True)
    ]
    decisions[0] = dataclasses.replace(decisions[0], **edits)  # type: ignore[arg-type]
    rows = decide([p.candidate for p in found], decisions, name, text, source, claim_set.vocabulary, gaz)
    return store.save_review(text, source, rows, by=by)


def review(
    store: Store, claim_set: ClaimSet, choices: list[str], text: str = TEXT, **edits: object
) -> tuple[list[Proposal], SaveResult]:
    """Find the candidates of `text`, match them to the store, decide each as `choices` says and save."""
    found = look(store, claim_set, text)
    return found, save(store, claim_set, found, choices, text, **edits)


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


def test_two_reviewers_deciding_one_candidate_lose_nothing_and_double_nothing(
    tmp_path: Path, claim_set: ClaimSet
) -> None:
    """Both open the article; the first saves, the second's save over that decision is refused,
    naming the first, while the same decision twice is one decision."""
    store = Store(tmp_path / "s.sqlite")
    review(store, claim_set, ["undecided", "undecided"])  # stored, waiting for review
    seen_by_ann, seen_by_bob = look(store, claim_set), look(store, claim_set)
    save(store, claim_set, seen_by_ann, ["accept", "reject"], by="ann")
    revision = store.revision()
    with pytest.raises(
        ReviewConflictError, match=r"claim x-\S+ was set to accepted by ann at .* UTC, after this review"
    ):
        save(store, claim_set, seen_by_bob, ["reject", "reject"], by="bob")
    assert store.revision() == revision and statuses(store) == ["accepted", "rejected"]
    # Bob agreeing with Ann on both changes nothing and records nothing twice.
    assert save(store, claim_set, seen_by_bob, ["accept", "reject"], by="bob").changed == ()
    assert [[h["by"] for h in store.history(p.claim_id)] for p in seen_by_ann] == [["tester", "ann"]] * 2
    # Bob, having opened the article again, sees Ann's decisions and may change them.
    assert save(store, claim_set, look(store, claim_set), ["reject", "reject"], by="bob").changed != ()
    assert statuses(store) == ["rejected", "rejected"]


def test_two_first_saves_of_one_article_at_once_store_it_once(tmp_path: Path, claim_set: ClaimSet) -> None:
    """Two reviewers saving the same new article at the same moment, in two threads on one file:
    SQLite serialises them, and the second finds the first's document and claims."""
    store = Store(tmp_path / "s.sqlite")
    found = look(store, claim_set)
    start = threading.Barrier(2)

    def one(by: str) -> SaveResult | Exception:
        start.wait()
        try:
            return save(Store(store.path), claim_set, found, ["accept", "undecided"], by=by)
        except ReviewConflictError as err:
            return err

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(one, ["ann", "bob"]))
    assert sorted(r.added for r in results if isinstance(r, SaveResult)) == [False, True]
    assert statuses(store) == ["accepted", "extracted"] and len(store.pending()) == 1
    assert [len(store.history(p.claim_id)) for p in found] == [1, 1]


#: A review of one article with many candidates, saved by a process the test kills (see below).
KILLED_SAVE = """
import sys
import time
from geo.store.database import Reviewed, Store
from geo.store.review import new_source
text, rows = sys.argv[2], int(sys.argv[3])
store = Store(sys.argv[1])
source = new_source("big.txt", outlet=None, published=None, by="killed")
claims = [Reviewed(f"x-big-{i:06d}", "extracted", {"n": i, "pad": "p" * 400}, {"n": i}) for i in range(rows)]
print("ready", flush=True)
started = time.monotonic()
store.save_review(text, source, claims, by="killed")
print(f"saved {time.monotonic() - started}", flush=True)
"""


def _stored(path: Path) -> tuple[int, int, int]:
    """Documents, claims and events in the store at `path`, after SQLite's own integrity check."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "claims", "claim_events")
        )  # type: ignore[return-value]


def test_kill_9_during_a_review_save_leaves_all_or_nothing(tmp_path: Path) -> None:
    """A save killed with SIGKILL part-way leaves the store as it was: no document without its
    claims, no claims without their events, and the same save then goes through whole. The kill
    comes a share of the save's own time after it begins, smaller until one lands before the
    commit (on a loaded machine the save may finish first: that run must then be whole)."""
    rows, text = 20_000, "An article with many candidates, all at Bazarak."
    run = [sys.executable, "-c", KILLED_SAVE, str(tmp_path / "timed.sqlite"), text, str(rows)]
    Store(run[3])
    timed = subprocess.run(run, check=True, capture_output=True, text=True, timeout=120).stdout.split()
    took = float(timed[-1])  # the save alone, uninterrupted, in a store of its own
    landed = None
    for n, share in enumerate((0.5, 0.25, 0.1, 0.05, 0.02)):
        path = tmp_path / f"killed-{n}.sqlite"
        run[3] = str(path)
        Store(path)
        child = subprocess.Popen(run, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(took * share)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout.read().startswith("saved"):
            assert _stored(path) == (1, rows, rows)  # finished before the kill: whole
            continue
        assert _stored(path) == (0, 0, 0)  # killed part-way: as it was
        landed = path
        break
    assert landed is not None, f"every kill came after the save's commit (save {took:.2f} s)"
    subprocess.run([*run[:3], str(landed), *run[4:]], check=True, capture_output=True, timeout=120)
    assert _stored(landed) == (1, rows, rows)


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
    # The Sources page's table says whose copy it is.
    listed = documents_table({"a.txt": source}, pd.DataFrame({"document": ["a.txt"]}), {"a.txt": "text"})
    assert listed[["outlet", "agency", "claims"]].values.tolist() == [["Reuters", "Reuters", 1]]
    assert place_label(gazetteer, "rokha-district") == "Rokha, Panjshir (district)"
    assert place_label(gazetteer, "bazarak") == "Bazarak, Panjshir (town)"  # not "Bazarak, Bazarak"


def test_candidates_are_keyed_by_their_place_s_words_type_place_and_side(gazetteer: Gazetteer) -> None:
    a, b = (c.to_dict() for c in extract(TEXT, DAY, gazetteer=gazetteer))
    assert candidate_key(a) == f"{a['mention_start']}:{a['mention_end']}:captured:bazarak:taliban"
    assert candidate_key(dict(a, quote="shorter", start=a["start"] + 4)) == candidate_key(a)
    assert candidate_key(b) != candidate_key(a) and set(ON_MAP) >= {"accepted", "edited"}
