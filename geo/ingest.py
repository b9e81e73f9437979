"""Ingest files and folders of articles into the store: read, extract, store; report what happened.

Extraction (pure, slow) runs before the store's transaction (fast), so a writer holds the lock
for milliseconds; several processes can ingest into one store at once.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from geo.documents import SUFFIXES, read_document
from geo.errors import IngestError
from geo.extract import EXTRACTOR_VERSION, extract
from geo.gazetteer import Gazetteer
from geo.review import document_name, new_source
from geo.store import IngestResult, Store, document_id


@dataclass
class IngestSummary:
    added: list[IngestResult] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)

    def report(self) -> str:
        claims = sum(r.claims for r in self.added)
        lines = [f"added {len(self.added)} documents with {claims} candidate claims; skipped {len(self.skipped)}"]
        lines += [f"  skipped {name}: {why}" for name, why in self.skipped]
        return "\n".join(lines)


def files_under(paths: Iterable[Path]) -> list[Path]:
    """The article files named, and those in the folders named (recursively), in a stable order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            out.append(path)
    return out


def ingest_text(
    store: Store,
    text: str,
    file_name: str,
    gazetteer: Gazetteer,
    *,
    published: dt.date | None = None,
    outlet: str | None = None,
    by: str = "ingest",
) -> IngestResult:
    """Extract candidates from one article and store it with them, in one transaction."""
    digest = document_id(text)
    name = document_name(file_name, digest)
    source = new_source(name, outlet=outlet, published=published, by=by)
    candidates = extract(text, source.published.start, gazetteer=gazetteer)
    rows = [(f"x-{digest[:12]}-{i:03d}", "extracted", c.to_dict()) for i, c in enumerate(candidates, 1)]
    return store.add_document(text, source, rows, by=by, extractor_version=EXTRACTOR_VERSION)


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    gazetteer: Gazetteer,
    *,
    published: dt.date | None = None,
    outlet: str | None = None,
    by: str = "ingest",
    progress: bool = True,
) -> IngestSummary:
    summary = IngestSummary()
    files = files_under(paths)
    for path in tqdm(files, desc="ingest", unit="doc", disable=not progress, file=sys.stderr):
        try:
            text = read_document(path.read_bytes(), path.name)
        except (IngestError, OSError) as err:
            summary.skipped.append((str(path), str(err) if isinstance(err, IngestError) else err.strerror or str(err)))
            continue
        result = ingest_text(store, text, path.name, gazetteer, published=published, outlet=outlet, by=by)
        if result.added:
            summary.added.append(result)
        else:
            summary.skipped.append((str(path), f"{result.reason} as {result.name}"))
    return summary
