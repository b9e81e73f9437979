"""The SQLite store: WAL, idempotent ingest, all-or-nothing writes, four writers at once."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo import Gazetteer
from geo.claims.model import Claim, ClaimSet
from geo.claims.tables import claims_frame, stored_frame
from geo.errors import IngestError
from geo.extraction.extract import EXTRACTOR_VERSION
from geo.store.database import Store
from geo.store.ingest import ingest_paths, ingest_text
from geo.store.review import new_source
from tests.conftest import ARTICLE, ROOT


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_created_on_first_use_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "sub" / "claims.sqlite")
    assert store.path.exists()
    assert rows(store.path, "PRAGMA journal_mode") == [("wal",)]
    assert store.counts() == {"documents": 0}


def test_ingest_is_idempotent(tmp_path: Path, gazetteer: Gazetteer) -> None:
    store = Store(tmp_path / "claims.sqlite")
    first = ingest_text(store, ARTICLE, "a.txt", gazetteer, published=dt.date(2021, 9, 4))
    again = ingest_text(store, ARTICLE, "copy-of-a.txt", gazetteer, published=dt.date(2021, 9, 4))
    assert first.added and first.claims >= 2
    assert not again.added and again.reason == "already in the store" and again.name == first.name
    assert store.counts() == {"documents": 1, "extracted": first.claims}


def test_a_crash_mid_ingest_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = Store(tmp_path / "claims.sqlite")
    before = (store.counts(), store.revision())
    source = new_source("x.txt", outlet=None, published=dt.date(2021, 9, 4), by="test")

    def claims_then_crash():
        yield ("x-1", "extracted", {"ok": 1})
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        store.add_document("some text", source, claims_then_crash(), by="test")
    assert (store.counts(), store.revision()) == before
    assert rows(store.path, "SELECT count(*) FROM documents") == [(0,)]
    with pytest.raises(IngestError, match="unknown status 'maybe'"):
        store.add_document("some text", source, [("x-1", "maybe", {})], by="test")
    assert store.counts() == before[0]


def test_curated_claims_load_once_and_come_back_whole(tmp_path: Path, claim_set: ClaimSet) -> None:
    store = Store(tmp_path / "claims.sqlite")
    assert store.load_curated(claim_set) == len(claim_set) + len(claim_set.sources)
    assert store.load_curated(claim_set) == 0
    with store.snapshot() as (sources, texts, records):
        assert [Claim.model_validate(r) for r in records] == sorted(claim_set.claims, key=lambda c: (c.document, c.id))
    assert sources == claim_set.sources and texts == claim_set.texts
    # The map's table, read from the store as the app reads it, equals the one of the files.
    table, texts = stored_frame(store, claim_set.gazetteer, claim_set.vocabulary)
    expected = claims_frame(claim_set).sort_values(["document", "claim_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(table, expected)


def test_a_store_follows_the_reviewed_files(tmp_path: Path, claim_set: ClaimSet) -> None:
    """A curated claim the files drop (the second read deleted s004-03) leaves the map, its history
    kept; a seed whose metadata was corrected is corrected in the store too."""
    import dataclasses

    store = Store(tmp_path / "claims.sqlite")
    store.load_curated(claim_set)
    name = "004_9664b19b629e403e.txt"
    sources = {**claim_set.sources, name: claim_set.sources[name].model_copy(update={"outlet_evidence": "corrected"})}
    claims = tuple(c for c in claim_set.claims if c.id != "s004-01")
    fewer = dataclasses.replace(claim_set, claims=claims, sources=sources)
    assert store.load_curated(fewer) == 2  # one claim retired, one document's metadata updated
    assert "s004-01" not in {r["id"] for r in store.claims()}
    assert rows(store.path, "SELECT status, note FROM claim_events WHERE claim_id = 's004-01'") == [
        ("retired", "no longer in the curated claims file"),
    ]
    with store.snapshot() as (sources, _, _records):
        assert sources[name].outlet_evidence == "corrected"


def test_status_changes_are_recorded(tmp_path: Path, gazetteer: Gazetteer) -> None:
    store = Store(tmp_path / "claims.sqlite")
    ingest_text(store, ARTICLE, "a.txt", gazetteer, published=dt.date(2021, 9, 4), by="ingester")
    claim_id = store.claims()[0]["id"]
    store.set_status(claim_id, "rejected", by="reviewer")
    (row,) = [r for r in store.claims() if r["id"] == claim_id]
    assert (row["status"], row["updated_by"], row["extractor_version"]) == ("rejected", "reviewer", EXTRACTOR_VERSION)
    history = rows(store.path, f"SELECT status, by FROM claim_events WHERE claim_id = '{claim_id}'")
    assert history == [("extracted", "ingester"), ("rejected", "reviewer")]
    with pytest.raises(IngestError, match="no claim 'nope'"):
        store.set_status("nope", "accepted", by="reviewer")


def test_ingest_folder_reports_added_and_skipped(tmp_path: Path, gazetteer: Gazetteer) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.html").write_text("<p>The Taliban seized Charikar.</p><script>x()</script>", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"\xff\xfe\x00\x00")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    store = Store(tmp_path / "claims.sqlite")
    summary = ingest_paths(store, [folder], gazetteer, progress=False)
    assert [r.name.split("-")[0] for r in summary.added] == ["a", "b"]
    assert [Path(f).name for f, _ in summary.skipped] == ["c.txt"]
    assert "added 2 documents" in summary.report() and "skipped 1" in summary.report()
    assert "x()" not in rows(store.path, "SELECT text FROM documents WHERE name LIKE 'b-%'")[0][0]


def test_four_processes_ingesting_at_once_lose_and_duplicate_nothing(tmp_path: Path, gazetteer: Gazetteer) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(24):
        (folder / f"a{i:02d}.txt").write_text(f"Report {i}: " + ARTICLE, encoding="utf-8")
    reference = Store(tmp_path / "one.sqlite")
    expected = ingest_paths(reference, [folder], gazetteer, published=dt.date(2021, 9, 4), progress=False)
    shared = tmp_path / "shared.sqlite"
    command = [
        sys.executable,
        "-m",
        "geo",
        "ingest",
        str(folder),
        "--db",
        str(shared),
        "--published",
        "2021-09-04",
        "--quiet",
    ]
    procs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [e.decode()[-500:] for _, e in outputs]
    added = [int(out.decode().split()[1]) for out, _ in outputs]
    assert sum(added) == 24, added  # each document added by exactly one process
    claims = sum(r.claims for r in expected.added)
    assert rows(shared, "SELECT count(*) FROM documents WHERE added_by != 'curated files'") == [(24,)]
    assert rows(shared, "SELECT count(*), count(DISTINCT id) FROM claims WHERE status = 'extracted'") == [
        (claims, claims)
    ]


def _contents(store: Store) -> tuple[list, list]:
    docs = rows(store.path, "SELECT id, name, text FROM documents ORDER BY id")
    claims = rows(store.path, "SELECT id, status, data, extractor_version FROM claims ORDER BY id")
    return docs, claims


def test_local_process_pool_equals_one_process(tmp_path: Path, gazetteer: Gazetteer, articles: Path) -> None:
    one, pool = Store(tmp_path / "one.sqlite"), Store(tmp_path / "pool.sqlite")
    ingest_paths(one, [articles], gazetteer, published=dt.date(2021, 9, 4), progress=False)
    ingest_paths(pool, [articles], gazetteer, published=dt.date(2021, 9, 4), progress=False, workers=2)
    assert _contents(one) == _contents(pool) and len(_contents(one)[0]) == 12


def test_dask_cluster_equals_one_process(tmp_path: Path, gazetteer: Gazetteer, articles: Path) -> None:
    from dask.distributed import LocalCluster

    one, spread = Store(tmp_path / "one.sqlite"), Store(tmp_path / "dask.sqlite")
    ingest_paths(one, [articles], gazetteer, published=dt.date(2021, 9, 4), progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        summary = ingest_paths(
            spread, [articles], gazetteer, published=dt.date(2021, 9, 4), progress=False,
            engine="dask", scheduler=cluster.scheduler_address,
        )  # fmt: skip
        assert len(cluster.workers) == 2
    assert len(summary.added) == 12
    assert _contents(one) == _contents(spread)


def test_unknown_engine(tmp_path: Path, gazetteer: Gazetteer, articles: Path) -> None:
    with pytest.raises(IngestError, match="unknown engine 'spark'"):
        ingest_paths(Store(tmp_path / "x.sqlite"), [articles], gazetteer, progress=False, engine="spark")
