"""The embedded store: documents and claims in one SQLite file (WAL mode), safe to share.

Documents are keyed by the SHA-256 of their text, so ingesting one twice adds nothing. Every
write is one transaction (BEGIN IMMEDIATE, so concurrent writers queue instead of failing
halfway): a crash leaves the store as it was. Claims carry a status (curated, extracted,
accepted, edited, rejected), who set it and when, the extractor version and the candidate they
were made from; `claim_events` keeps every change. The curated YAML stays the reviewed source of
truth and loads into it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.bundled import bundled
from geo.claims.model import ClaimSet
from geo.claims.sources import DocumentMeta
from geo.errors import (
    IngestError,
    ReviewConflictError,
    StoreBusyError,
    StoreDamagedError,
    StoreError,
    StoreFullError,
    StoreReadOnlyError,
    StoreUnavailableError,
)
from geo.store import search

DATA_ENV = "PANJSHIR_DATA"
STATUSES = ("curated", "extracted", "accepted", "edited", "rejected")
ON_MAP = ("curated", "accepted", "edited")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,             -- sha256 of the text
    name TEXT NOT NULL UNIQUE,       -- the document's name in claims (a seed's file name)
    text TEXT NOT NULL,
    metadata TEXT NOT NULL,          -- a geo.claims.sources.DocumentMeta as JSON
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    status TEXT NOT NULL CHECK (status IN ('curated', 'extracted', 'accepted', 'edited', 'rejected')),
    data TEXT NOT NULL,              -- a geo.claims.model.Claim, or an extractor candidate, as JSON
    extractor_version TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    candidate TEXT                   -- the extractor's candidate it was made from, as JSON (`save_review`)
);
CREATE INDEX IF NOT EXISTS claims_by_document ON claims(document_id);
CREATE TABLE IF NOT EXISTS claim_events (
    claim_id TEXT NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL, note TEXT
);
"""


# SQLite's primary result codes (the low byte of the extended code Python 3.11 gives as
# `sqlite_errorcode`), each with the library's error and what to do, as geopy maps HTTP status codes
# to its exceptions. Messages vary with SQLite's version and locale; the codes do not.
_BY_CODE: dict[int, tuple[type[StoreError], str]] = {
    sqlite3.SQLITE_BUSY: (
        StoreBusyError,
        "the store is busy: another process holds its write lock; nothing was written, try again",
    ),
    sqlite3.SQLITE_LOCKED: (
        StoreBusyError,
        "the store is busy: a table is locked by another connection; nothing was written, try again",
    ),
    sqlite3.SQLITE_READONLY: (
        StoreReadOnlyError,
        f"the store is read-only; nothing was written. Point ${DATA_ENV} at a writable folder",
    ),
    sqlite3.SQLITE_PERM: (
        StoreReadOnlyError,
        f"the store may not be written (permission denied); nothing was written. Point ${DATA_ENV} at a "
        "writable folder",
    ),
    sqlite3.SQLITE_FULL: (StoreFullError, "the disk is full; nothing was written. Free some space and try again"),
    sqlite3.SQLITE_NOTADB: (
        StoreDamagedError,
        "the store file is damaged or is not a store; move it aside and ingest again",
    ),
    sqlite3.SQLITE_CORRUPT: (
        StoreDamagedError,
        "the store file is damaged or is not a store; move it aside and ingest again",
    ),
    sqlite3.SQLITE_CANTOPEN: (
        StoreUnavailableError,
        "cannot open the store file: it or its folder is missing, not what it should be (a file in a "
        f"folder) or not writable; set ${DATA_ENV} to a writable folder",
    ),
}


def _translate(err: sqlite3.Error, path: Path) -> StoreError:
    """SQLite's error as the library's, chosen by result code; an error with no code (raised by
    Python's sqlite3 module itself) or an unexpected one is a plain `StoreError` quoting SQLite."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _BY_CODE:
        kind, why = _BY_CODE[code & 0xFF]
        return kind(why, path=path)
    name = getattr(err, "sqlite_errorname", None) or type(err).__name__
    return StoreError(f"the store failed ({name}: {err}); nothing was written", path=path)


def data_dir() -> Path:
    """The folder for what the app writes (the store, the reviewers file): `$PANJSHIR_DATA`; else
    `data/` in the project folder when running from a checkout (an editable install); else, for an
    installed wheel, whose package folder may be read-only and is replaced on upgrade, the user's
    data folder (`$XDG_DATA_HOME/panjshir-claims`, by default `~/.local/share/panjshir-claims`)."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    project = bundled("gazetteer").parent
    if (project / "pyproject.toml").is_file():
        return project / "data"
    user = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(user) / "panjshir-claims"


def default_path() -> Path:
    """`claims.sqlite` in `data_dir()`."""
    return data_dir() / "claims.sqlite"


def document_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_CLAIM_COLUMNS = "id, document_id, status, data, extractor_version, updated_at, updated_by, candidate"


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class IngestResult:
    name: str
    document_id: str
    added: bool
    claims: int
    reason: str = ""


@dataclass(frozen=True)
class StoredClaim:
    """A claim of a stored document, with the candidate it was made from: None for a claim
    accepted before the store kept candidates (and for curated claims, which have none)."""

    id: str
    status: str
    data: dict[str, Any]
    candidate: dict[str, Any] | None
    updated_at: str
    updated_by: str


@dataclass(frozen=True)
class Reviewed:
    """One candidate as a review leaves it: `data` is the claim it became, or the candidate
    itself while it is undecided (status extracted) or rejected."""

    claim_id: str
    status: str
    data: dict[str, Any]
    candidate: dict[str, Any]
    #: The stored claim's status and time of its last change when the reviewer first saw it, or None
    #: when it was not stored: a save over another reviewer's later decision is refused, not made.
    seen: tuple[str, str] | None = None


@dataclass(frozen=True)
class SaveResult:
    name: str
    added: bool  # the document was new to the store
    changed: tuple[str, ...]  # the claims this save wrote: what `Store.undo` takes back


class Store:
    """One SQLite file. A connection per operation, so the store is safe across threads and
    processes; SQLite's locking, not this class, serialises writers."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False, timeout: float = 60.0) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.read_only = read_only
        self.timeout = timeout
        if read_only:
            if not self.path.exists():
                raise IngestError("no store here to read; ingest something first", path=self.path)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreUnavailableError(
                f"cannot create the data folder: {err.strerror}; set {DATA_ENV} to a writable folder", path=self.path
            ) from err
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('revision', '0')")
            if "candidate" not in {row[1] for row in conn.execute("PRAGMA table_info(claims)")}:
                conn.execute("ALTER TABLE claims ADD COLUMN candidate TEXT")  # stores made before 0.3
            conn.executescript(search.SCHEMA)
            ready = search.indexed(conn)
        if not ready:  # a store made before search: indexed once, as any write is
            with self.transaction() as conn:
                search.index_all(conn)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection; SQLite's errors leave as `IngestError`s that say what to do."""
        try:
            if self.read_only:
                conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, isolation_level=None)
            else:
                conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as err:
            raise _translate(err, self.path) from err
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        except sqlite3.Error as err:
            raise _translate(err, self.path) from err
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing; bumps the revision the app watches to know when to re-read."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
                conn.execute("COMMIT")
            except BaseException:
                # SQLite rolls back by itself on some errors (a full disk); roll back only if not.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def revision(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])

    def counts(self) -> dict[str, int]:
        with self._connect() as conn:
            out = {"documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0]}
            for status, n in conn.execute("SELECT status, count(*) FROM claims GROUP BY status"):
                out[status] = n
            return out

    def add_document(
        self,
        text: str,
        source: DocumentMeta,
        claims: Iterable[tuple[str, str, dict[str, Any]]],
        *,
        by: str,
        extractor_version: str | None = None,
    ) -> IngestResult:
        """Add a document and its claims (id, status, data) in one transaction; a document whose
        text is already stored is skipped whole, so ingesting twice adds nothing."""
        doc_id = document_id(text)
        now = _now()
        with self.transaction() as conn:
            row = conn.execute("SELECT name FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is not None:
                return IngestResult(row[0], doc_id, False, 0, "already in the store")
            conn.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, source.document, text, source.model_dump_json(), now, by),
            )
            n = 0
            for claim_id, status, data in claims:
                if status not in STATUSES:
                    raise IngestError(f"claim {claim_id}: unknown status '{status}'")
                # An extracted row's data is its candidate: kept, so that a save can be matched and undone.
                candidate = _json(data) if status == "extracted" else None
                conn.execute(
                    f"INSERT INTO claims ({_CLAIM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (claim_id, doc_id, status, _json(data), extractor_version, now, by, candidate),
                )
                conn.execute("INSERT INTO claim_events VALUES (?, ?, ?, ?, NULL)", (claim_id, status, now, by))
                n += 1
        return IngestResult(source.document, doc_id, True, n)

    def load_curated(self, claim_set: ClaimSet, *, by: str = "curated files") -> int:
        """Bring the store in line with the curated files: new seeds and claims are added, a curated
        claim or a seed's metadata whose reviewed text changed is updated, and a curated claim the
        files no longer hold is retired (its events kept). Returns how many rows changed."""
        changed = 0
        now = _now()
        with self.transaction() as conn:
            ids = {}
            for name, source in claim_set.sources.items():
                text = claim_set.texts[name]
                ids[name] = document_id(text)
                cur = conn.execute(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                    "metadata = excluded.metadata WHERE documents.metadata != excluded.metadata",
                    (ids[name], name, text, source.model_dump_json(), now, by),
                )
                changed += cur.rowcount
            for claim in claim_set.claims:
                data = claim.model_dump_json()
                cur = conn.execute(
                    f"INSERT INTO claims ({_CLAIM_COLUMNS}) VALUES (?, ?, 'curated', ?, NULL, ?, ?, NULL) "
                    "ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at "
                    "WHERE claims.status = 'curated' AND claims.data != excluded.data",
                    (claim.id, ids[claim.document], data, now, by),
                )
                changed += cur.rowcount
            # A curated claim the reviewed files no longer hold leaves the map; its history stays.
            kept = {claim.id for claim in claim_set.claims}
            stale = [r[0] for r in conn.execute("SELECT id FROM claims WHERE status = 'curated'") if r[0] not in kept]
            for claim_id in stale:
                conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
                conn.execute(
                    "INSERT INTO claim_events VALUES (?, 'retired', ?, ?, ?)",
                    (claim_id, now, by, "no longer in the curated claims file"),
                )
            changed += len(stale)
        return changed

    def set_status(
        self, claim_id: str, status: str, *, by: str, data: dict[str, Any] | None = None, note: str | None = None
    ) -> None:
        """Change one claim's status (accept, edit, reject, or withdraw an accepted one), with an
        event in its history; see `review` for a document's claims at once."""
        self.review([(claim_id, status, data)], by=by, note=note)

    def review(
        self,
        decisions: Iterable[tuple[str, str, dict[str, Any] | None]],
        *,
        by: str,
        source: DocumentMeta | None = None,
        note: str | None = None,
    ) -> None:
        """A reviewer's decisions (claim id, new status, new data or None to keep it) and, if given,
        the document's corrected metadata (a publication date given at review), in one transaction:
        all or nothing. Every change is an event in the claim's history, so a claim withdrawn later
        keeps the record of its acceptance."""
        now = _now()
        with self.transaction() as conn:
            if source is not None:
                cur = conn.execute(
                    "UPDATE documents SET metadata = ? WHERE name = ?", (source.model_dump_json(), source.document)
                )
                if cur.rowcount == 0:
                    raise IngestError(f"no document '{source.document}' in the store")
            for claim_id, status, data in decisions:
                if status not in STATUSES:
                    raise IngestError(f"unknown status '{status}'; use one of {', '.join(STATUSES)}")
                if data is None:
                    cur = conn.execute(
                        "UPDATE claims SET status = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                        (status, now, by, claim_id),
                    )
                else:  # a row stored without its candidate keeps the one its data was until now
                    cur = conn.execute(
                        "UPDATE claims SET status = ?, data = ?, updated_at = ?, updated_by = ?, candidate = "
                        "COALESCE(candidate, CASE WHEN status IN ('extracted', 'rejected') THEN data END) WHERE id = ?",
                        (status, _json(data), now, by, claim_id),
                    )
                if cur.rowcount == 0:
                    raise IngestError(f"no claim '{claim_id}' in the store")
                conn.execute("INSERT INTO claim_events VALUES (?, ?, ?, ?, ?)", (claim_id, status, now, by, note))

    def stored(self, text: str) -> tuple[str, DocumentMeta, list[StoredClaim]] | None:
        """The stored document with this text, if there is one: its name, metadata and claims, so
        that an article ingested again shows what was decided on it."""
        with self._connect() as conn:
            doc = conn.execute("SELECT name, metadata FROM documents WHERE id = ?", (document_id(text),)).fetchone()
            if doc is None:
                return None
            rows = conn.execute(
                "SELECT id, status, data, candidate, updated_at, updated_by FROM claims "
                "WHERE document_id = ? ORDER BY id",
                (document_id(text),),
            ).fetchall()
        claims = []
        for claim_id, status, data, candidate, at, by in rows:
            # Rows written before candidates were kept: an undecided or rejected row's data is its candidate.
            was = candidate if candidate is not None else data if status in ("extracted", "rejected") else None
            claims.append(StoredClaim(claim_id, status, json.loads(data), json.loads(was) if was else None, at, by))
        return doc[0], DocumentMeta.model_validate_json(doc[1]), claims

    def save_review(
        self,
        text: str,
        source: DocumentMeta,
        rows: Iterable[Reviewed],
        *,
        by: str,
        extractor_version: str | None = None,
    ) -> SaveResult:
        """A review of an article's candidates in one transaction: the document (added if new, with
        the metadata the reviewer confirmed) and each candidate as decided. A candidate stored
        before under the same claim id is written only where the decision changed it; one left
        undecided keeps what it had, so saving a page twice changes nothing. A candidate another
        reviewer decided after this one first saw it (`Reviewed.seen`) refuses the whole save,
        naming who decided it and when, unless both came to the same decision."""
        doc_id = document_id(text)
        now = _now()
        changed: list[str] = []
        with self.transaction() as conn:
            doc = conn.execute("SELECT name, metadata FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if doc is None:
                conn.execute(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                    (doc_id, source.document, text, source.model_dump_json(), now, by),
                )
            elif doc[0] != source.document:
                raise IngestError(f"this article is in the store as '{doc[0]}', not as '{source.document}'")
            elif DocumentMeta.model_validate_json(doc[1]) != source:
                conn.execute("UPDATE documents SET metadata = ? WHERE id = ?", (source.model_dump_json(), doc_id))
            for row in rows:
                if row.status not in STATUSES or row.status == "curated":
                    raise IngestError(f"claim {row.claim_id}: a review cannot set status '{row.status}'")
                old = conn.execute(
                    "SELECT document_id, status, data, updated_at, updated_by FROM claims WHERE id = ?",
                    (row.claim_id,),
                ).fetchone()
                if old is None:
                    conn.execute(
                        f"INSERT INTO claims ({_CLAIM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (row.claim_id, doc_id, row.status, _json(row.data), extractor_version, now, by,
                         _json(row.candidate)),
                    )  # fmt: skip
                elif old[0] != doc_id:
                    raise IngestError(f"claim {row.claim_id} belongs to another document; nothing was saved")
                elif old[1] == row.status and (row.status == "extracted" or json.loads(old[2]) == row.data):
                    continue
                elif row.seen != (old[1], old[3]):
                    raise ReviewConflictError(
                        f"claim {row.claim_id} was set to {old[1]} by {old[4]} at {old[3]} UTC, after this review "
                        "began; nothing was saved. Open the article again to see that decision, then decide."
                    )
                else:
                    conn.execute(
                        "UPDATE claims SET status = ?, data = ?, updated_at = ?, updated_by = ?, "
                        "candidate = COALESCE(candidate, ?) WHERE id = ?",
                        (row.status, _json(row.data), now, by, _json(row.candidate), row.claim_id),
                    )
                conn.execute("INSERT INTO claim_events VALUES (?, ?, ?, ?, NULL)", (row.claim_id, row.status, now, by))
                changed.append(row.claim_id)
        return SaveResult(doc[0] if doc else source.document, doc is None, tuple(changed))

    def undo(self, claim_ids: Iterable[str], *, by: str) -> int:
        """Take a save back (`SaveResult.changed`): each claim returns to the review queue as the
        undecided candidate it was made from, off the map; its history keeps the decision and the
        undoing. Returns how many claims left the map."""
        now = _now()
        off = 0
        with self.transaction() as conn:
            for claim_id in claim_ids:
                row = conn.execute("SELECT status, candidate FROM claims WHERE id = ?", (claim_id,)).fetchone()
                if row is None:
                    raise IngestError(f"no claim '{claim_id}' in the store; nothing was undone")
                if row[1] is None:
                    raise IngestError(
                        f"claim {claim_id} was stored without its candidate and cannot be undone; withdraw it instead"
                    )
                if row[0] == "extracted":
                    continue
                off += row[0] in ON_MAP
                conn.execute(
                    "UPDATE claims SET status = 'extracted', data = candidate, updated_at = ?, updated_by = ? "
                    "WHERE id = ?",
                    (now, by, claim_id),
                )
                conn.execute(
                    "INSERT INTO claim_events VALUES (?, 'extracted', ?, ?, ?)",
                    (claim_id, now, by, f"save undone: it was {row[0]}"),
                )
        return off

    def pending(self) -> list[dict[str, Any]]:
        """Documents with candidates no reviewer has decided on, whoever ingested them (the app or
        `python -m geo ingest`), oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT d.name, d.added_by, d.added_at, count(*) FROM claims c "
                "JOIN documents d ON d.id = c.document_id "
                "WHERE c.status = 'extracted' GROUP BY d.id ORDER BY d.added_at, d.name"
            ).fetchall()
        return [dict(zip(("document", "added_by", "added_at", "candidates"), r, strict=True)) for r in rows]

    def document(self, name: str) -> tuple[str, DocumentMeta]:
        """A stored document's text and metadata."""
        with self._connect() as conn:
            row = conn.execute("SELECT text, metadata FROM documents WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise IngestError(f"no document '{name}' in the store")
        return row[0], DocumentMeta.model_validate_json(row[1])

    def history(self, claim_id: str) -> list[dict[str, Any]]:
        """Every status a claim has had, oldest first, with who set it, when, and why."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT status, at, by, note FROM claim_events WHERE claim_id = ? ORDER BY rowid", (claim_id,)
            ).fetchall()
        return [dict(zip(("status", "at", "by", "note"), r, strict=True)) for r in rows]

    def claims(self, *, statuses: Iterable[str] = STATUSES, document: str | None = None) -> list[dict[str, Any]]:
        query = (
            "SELECT c.id, d.name, c.status, c.data, c.extractor_version, c.updated_at, c.updated_by "
            "FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.status IN ({})"
        )
        wanted = list(statuses)
        params: list[str] = [*wanted]
        sql = query.format(",".join("?" * len(wanted)))
        if document is not None:
            sql += " AND d.name = ?"
            params.append(document)
        with self._connect() as conn:
            rows = conn.execute(sql + " ORDER BY d.name, c.id", params).fetchall()
        keys = ("id", "document", "status", "data", "extractor_version", "updated_at", "updated_by")
        return [dict(zip(keys, r, strict=True)) | {"data": json.loads(r[3])} for r in rows]

    def search(self, query: str, *, limit: int = 50, place_names: search.PlaceNames | None = None) -> list[search.Hit]:
        """Claims on the map whose quote or place holds the reader's words, then articles whose
        text does (`geo.store.search`)."""
        with self._connect() as conn:
            if self.read_only and not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claim_words'").fetchone():
                raise StoreError(
                    "this store has no search index yet: open it once with write access (the app, or "
                    "`python -m geo ingest`) to build it",
                    path=self.path,
                )
            return search.search(conn, query, ON_MAP, limit, place_names)

    @contextmanager
    def snapshot(self) -> Iterator[tuple[dict[str, DocumentMeta], dict[str, str], Iterator[dict[str, Any]]]]:
        """The documents' sources and texts, and the claims the map shows (curated, accepted, edited)
        as JSON records, all as of one moment: writers may go on meanwhile.

        The records are streamed, to be read inside the `with` block: a table of 100,000 claims
        is built from them without holding them all at once.
        """
        with self._connect() as conn:
            conn.execute("BEGIN")  # one read transaction: one snapshot of the WAL
            try:
                docs = conn.execute("SELECT name, text, metadata FROM documents").fetchall()
                sources = {name: DocumentMeta.model_validate_json(meta) for name, _, meta in docs}
                texts = {name: text for name, text, _ in docs}
                rows = conn.execute(
                    "SELECT c.data FROM claims c JOIN documents d ON d.id = c.document_id "
                    f"WHERE c.status IN ({','.join('?' * len(ON_MAP))}) ORDER BY d.name, c.id",
                    ON_MAP,
                )
                yield sources, texts, (json.loads(data) for (data,) in rows)
            finally:
                conn.execute("ROLLBACK")
