"""Damaged data files, a locked, read-only or full store: a clear error and no partial state."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from geo import Gazetteer
from geo.claims.model import DEFAULT_CLAIMS, load_claims
from geo.errors import (
    ClaimError,
    GazetteerError,
    IngestError,
    StoreBusyError,
    StoreDamagedError,
    StoreError,
    StoreFullError,
    StoreReadOnlyError,
    StoreUnavailableError,
)
from geo.places.gazetteer import DEFAULT_ROOT, load_gazetteer
from geo.store.database import Store
from geo.store.ingest import ingest_text
from geo.store.review import new_source

ARTICLE = "The Taliban captured Bazarak on Friday, a Taliban source said."
SOURCE = new_source("x.txt", outlet=None, published=dt.date(2021, 9, 4), by="test")


@pytest.fixture
def gazetteer_copy(tmp_path: Path) -> Path:
    root = tmp_path / "gaz"
    shutil.copytree(DEFAULT_ROOT, root)
    return root


def truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def test_truncated_boundary_file(gazetteer_copy: Path) -> None:
    truncate(gazetteer_copy / "boundaries" / "afg_adm2_panjshir_parwan_kapisa_baghlan_geoboundaries.geojson")
    with pytest.raises(GazetteerError, match=r"layer 'districts': cannot read boundaries/afg_adm2_"):
        load_gazetteer(gazetteer_copy)


def test_truncated_places_file(gazetteer_copy: Path) -> None:
    truncate(gazetteer_copy / "places" / "settlements.yaml", 0.37)
    with pytest.raises(GazetteerError, match=r"settlements\.yaml"):
        load_gazetteer(gazetteer_copy)


def test_truncated_claims_file(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes((DEFAULT_CLAIMS / "seed_claims.yaml").read_bytes()[:20_000])
    with pytest.raises(ClaimError, match=r"claims\.yaml"):
        load_claims(path, vocabulary=DEFAULT_CLAIMS / "vocabulary.yaml", gazetteer=gazetteer)


def test_store_file_that_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "claims.sqlite"
    path.write_bytes(b"this is not an SQLite file" * 100)
    with pytest.raises(StoreDamagedError, match=r"damaged or is not a store"):
        Store(path)


def test_locked_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "claims.sqlite", timeout=0.2)
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusyError, match=r"store is busy"):
            store.add_document("text", SOURCE, [("x-1", "extracted", {})], by="test")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.counts() == {"documents": 0}


def test_read_only_store(tmp_path: Path, gazetteer: Gazetteer) -> None:
    writable = Store(tmp_path / "claims.sqlite")
    ingest_text(writable, ARTICLE, "a.txt", gazetteer, published=dt.date(2021, 9, 4))
    reader = Store(writable.path, read_only=True)
    assert reader.counts()["documents"] == 1
    with pytest.raises(StoreReadOnlyError, match=r"read-only; nothing was written"):
        reader.add_document("other text", SOURCE, [], by="test")
    assert writable.counts()["documents"] == 1


def test_store_errors_are_classified_by_sqlite_code_not_by_message(tmp_path: Path) -> None:
    """A table named like a symptom: its error message says "locked" and "full", its code is plain
    SQLITE_ERROR, so it is not reported as a busy store or a full disk."""
    store = Store(tmp_path / "claims.sqlite")
    with (
        pytest.raises(StoreError, match=r"SQLITE_ERROR: no such table: locked_full_readonly") as raised,
        store._connect() as conn,
    ):
        conn.execute("SELECT * FROM locked_full_readonly")
    assert type(raised.value) is StoreError
    assert isinstance(raised.value, IngestError)  # what callers caught before the classes were split


def test_store_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "claims.sqlite").mkdir()
    with pytest.raises(StoreUnavailableError, match=r"cannot open the store file.*\$PANJSHIR_DATA"):
        Store(tmp_path / "claims.sqlite")


def test_store_in_a_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("x")
    with pytest.raises(StoreUnavailableError, match=r"cannot create the data folder: .*; set PANJSHIR_DATA"):
        Store(tmp_path / "not-a-folder" / "claims.sqlite")


class TinyDisk(Store):
    """A store on a 'disk' that fills up: SQLite's own SQLITE_FULL, from a page cap."""

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with super()._connect() as conn:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages + 2}")
            yield conn


def test_full_disk_leaves_no_partial_state(tmp_path: Path) -> None:
    Store(tmp_path / "claims.sqlite")  # created with room to spare
    store = TinyDisk(tmp_path / "claims.sqlite")
    before = (store.counts(), store.revision())
    big = [(f"x-{i}", "extracted", {"quote": "q" * 2000}) for i in range(50)]
    with pytest.raises(StoreFullError, match=r"disk is full; nothing was written"):
        store.add_document("a long article " * 500, SOURCE, big, by="test")
    assert (Store(store.path).counts(), Store(store.path).revision()) == before
