"""Ingest files and folders of articles into the store: read, extract, store; report what happened.

Extraction (pure, slow) runs before the store's transaction (fast), so a writer holds the lock
for milliseconds; several processes can ingest into one store at once. Engines: `local` runs
extraction in this process or in a pool of local processes (`workers`); `dask` maps it over a
`dask.bag` of documents on a Dask cluster (`scheduler` address, or a local cluster of `workers`
processes started for the run), and this process stays the one writer. Files are read under the
app's limits (`geo.store.documents.read_file`): regular files only, `max_bytes` at most.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from geo.errors import IngestError
from geo.extraction.dating import Published, infer_published
from geo.extraction.extract import EXTRACTOR_VERSION, extract
from geo.places.gazetteer import Gazetteer
from geo.store.database import IngestResult, Store, document_id
from geo.store.documents import MAX_BYTES, SUFFIXES, read_document, read_file
from geo.store.review import document_name, new_source

DEFAULT_CONNECT_TIMEOUT = 10.0  # seconds to reach a Dask scheduler: a wrong address fails in that time


@dataclass
class IngestSummary:
    added: list[IngestResult] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    present: int = 0  # of the skipped, documents already in the store: ingested before, not refused
    engine: str = ""  # where extraction ran, e.g. "dask: 2 workers at tcp://10.0.0.5:8786"

    @property
    def stored_nothing(self) -> bool:
        """Nothing added and nothing already there: every file was refused, or none was found."""
        return not self.added and not self.present

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


@dataclass(frozen=True)
class _Job:
    path: str
    text: str
    published: dt.date | None  # as given; None: read from the text, else recorded as not known
    read: Published | None  # the date the text states, read once when none is given
    anchor: dt.date | None  # what relative dates are read against; None leaves them undated


def _job(path: str, text: str, published: dt.date | None) -> _Job:
    read = infer_published(text) if published is None else None
    return _Job(path, text, published, read, published or (read.day if read else None))


def _extract_job(job: _Job) -> tuple[_Job, list[dict[str, object]]]:
    """The pure step that runs on workers: a document in, its candidates out."""
    return job, [c.to_dict() for c in extract(job.text, job.anchor)]


def _store_result(
    store: Store, job: _Job, candidates: list[dict[str, object]], *, outlet: str | None, by: str
) -> IngestResult:
    digest = document_id(job.text)
    name = document_name(Path(job.path).name, digest)
    source = new_source(name, outlet=outlet, published=job.published, by=by, read=job.read)
    rows = [(f"x-{digest[:12]}-{i:03d}", "extracted", c) for i, c in enumerate(candidates, 1)]
    return store.add_document(job.text, source, rows, by=by, extractor_version=EXTRACTOR_VERSION)


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
    job = _job(file_name, text, published)
    candidates = [c.to_dict() for c in extract(text, job.anchor, gazetteer=gazetteer)]
    return _store_result(store, job, candidates, outlet=outlet, by=by)


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    gazetteer: Gazetteer,
    *,
    published: dt.date | None = None,
    outlet: str | None = None,
    by: str = "ingest",
    progress: bool = True,
    engine: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> IngestSummary:
    """Read, extract and store every article file under `paths`; see the module doc for engines."""
    if engine not in ("local", "dask"):
        raise IngestError(f"unknown engine '{engine}'; use local or dask")
    summary = IngestSummary()
    jobs: list[_Job] = []
    for path in files_under(paths):
        try:
            jobs.append(_job(str(path), read_document(read_file(path, max_bytes), path.name, max_bytes), published))
        except IngestError as err:
            summary.skipped.append((str(path), str(err)))
    if not jobs:  # no cluster to start for nothing
        return summary
    bar = tqdm(total=len(jobs), desc="ingest", unit="doc", disable=not progress, file=sys.stderr)
    for job, candidates in _run(jobs, summary, engine, workers, scheduler, connect_timeout, gazetteer):
        result = _store_result(store, job, candidates, outlet=outlet, by=by)
        if result.added:
            summary.added.append(result)
        else:
            summary.skipped.append((job.path, f"{result.reason} as {result.name}"))
            summary.present += 1
        bar.update()
    bar.close()
    return summary


def _run(
    jobs: list[_Job],
    summary: IngestSummary,
    engine: str,
    workers: int,
    scheduler: str | None,
    connect_timeout: float,
    gazetteer: Gazetteer,
) -> Iterator[tuple[_Job, list[dict[str, object]]]]:
    if engine == "dask":
        yield from _run_dask(jobs, summary, workers, scheduler, connect_timeout)
    elif workers > 1:
        summary.engine = f"local: {workers} processes"
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(_extract_job, jobs, chunksize=4)
    else:
        summary.engine = "local: this process"
        for job in jobs:
            yield job, [c.to_dict() for c in extract(job.text, job.anchor, gazetteer=gazetteer)]


def _run_dask(
    jobs: list[_Job], summary: IngestSummary, workers: int, scheduler: str | None, connect_timeout: float
) -> Iterator[tuple[_Job, list[dict[str, object]]]]:
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None, host="127.0.0.1")
    try:
        try:
            client = Client(scheduler or cluster, timeout=connect_timeout)
        except (OSError, TimeoutError) as err:
            raise IngestError(
                f"cannot reach the Dask scheduler at {scheduler} within {connect_timeout:g} s ({err}); check the"
                " address, that the scheduler runs, and that no firewall is in the way"
            ) from err
        with client:
            assert client.scheduler is not None  # set once the client is connected, as it is here
            address = client.scheduler.address
            try:
                client.wait_for_workers(1, timeout=connect_timeout)
            except TimeoutError as err:
                raise IngestError(
                    f"the Dask scheduler at {address} has no workers after {connect_timeout:g} s; start some"
                    " (dask worker ADDRESS) or leave out --scheduler for a local cluster"
                ) from err
            count = len(client.scheduler_info()["workers"])
            where = f"a local cluster of {count} workers" if cluster is not None else f"{count} workers"
            summary.engine = f"dask: {where} at {address}"
            bag = db.from_sequence(jobs, partition_size=8).map(_extract_job)
            yield from client.compute(bag).result()
    finally:
        if cluster is not None:
            cluster.close()
