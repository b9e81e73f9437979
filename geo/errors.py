"""The library's exceptions: one root, a subclass per kind of input that can be wrong.

Every message says what was wrong, where (file, line, record) and how to fix it, so that a
reviewer editing a YAML file can act on it without reading the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class GeoError(Exception):
    """Root of every error this library raises on purpose; catch it at the app boundary."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        entry: str | None = None,
        problems: Sequence[GeoError] | None = None,
    ) -> None:
        # When validation finds several problems, `problems` holds one error per problem and the
        # message lists them all, so a reviewer fixes a file in one pass, not one error per run.
        self.problems: list[GeoError] = list(problems or [])
        self.path = str(path) if path is not None else None
        self.line = line
        self.entry = entry
        self.message = message
        super().__init__(self._render())

    @classmethod
    def collected(cls, what: str, problems: Sequence[GeoError]) -> GeoError:
        """One error listing every problem found while validating `what`."""
        summary = f"{len(problems)} problem(s) in {what}:\n" + "\n".join(f"  {p}" for p in problems)
        return cls(summary, problems=problems)

    def _render(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.entry is not None:
            where += f": place '{self.entry}'" if where else f"place '{self.entry}'"
        return f"{where}: {self.message}" if where else self.message


class GazetteerError(GeoError, ValueError):
    """A gazetteer file or record is malformed or inconsistent; the message names file and entry."""


class ResolveError(GeoError, ValueError):
    """A name could not be looked up at all (empty or not text), as opposed to not matching."""


class ClaimError(GeoError, ValueError):
    """A claim, a source record or the vocabulary is malformed or disagrees with its document;
    `entry` is the claim id."""

    def _render(self) -> str:
        return super()._render().replace(": place '", ": claim '", 1)


class ExportError(GeoError, OSError):
    """An export could not be written; nothing was left at the destination."""


class IngestError(GeoError, ValueError):
    """A document cannot be taken in: empty, binary, not UTF-8, too large; or a review is invalid."""


class ReviewConflictError(IngestError):
    """Another reviewer decided a candidate after this review of it began; nothing was saved, so
    neither decision is lost without someone seeing both."""


class StoreError(IngestError):
    """The claims store (an SQLite file) could not be read or written; nothing was written.
    The subclasses say why, from SQLite's result code (see `geo.store`)."""


class StoreBusyError(StoreError):
    """Another process holds the store's write lock for longer than the timeout. Writers queue;
    a long ingest elsewhere may simply need to finish: try again."""


class StoreReadOnlyError(StoreError):
    """The store file or its folder cannot be written (permissions, a read-only mount, or opened
    read-only). Point `$PANJSHIR_DATA` at a writable folder."""


class StoreFullError(StoreError):
    """The disk holding the store is full. SQLite rolled the transaction back; free some space."""


class StoreDamagedError(StoreError):
    """The store file is not an SQLite database, or is corrupt. Move it aside: the curated claims
    reload into a new store by themselves; ingested articles must be ingested again."""


class StoreUnavailableError(StoreError):
    """The store file cannot be opened at all: its folder is missing or is not a folder."""
