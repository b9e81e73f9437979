"""Metadata of source documents: outlet, language, publication date and the evidence for it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from geo.bundled import bundled
from geo.errors import ClaimError
from geo.yamlrecords import field_errors, read_records

DEFAULT_SEEDS = bundled("seeds")


class DateRange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class DocumentMeta(BaseModel):
    """One document. An unknown outlet is `unknown` with what the text shows in `outlet_evidence`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    document: str
    outlet: str = Field(min_length=1)
    outlet_evidence: str = Field(min_length=1)
    #: The news agency whose copy it is ("(Wire) -", "/TASS/"), as a reviewer confirmed it; None if not known.
    agency: str | None = None
    language: str
    translation_notes: str | None = None
    #: None for an ingested article whose date was neither given nor stated in its text.
    published: DateRange | None
    published_basis: Literal["stated", "inferred"]
    published_evidence: str = Field(min_length=1)
    #: What the publication date rests on that the text does not say (the year, which Saturday).
    outside_knowledge: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_frame(cls, data: Any) -> Any:  # noqa: ANN401 (pydantic hands over raw input)
        # Stores written before 0.2 hold a `frame` said to bound the events an article reports;
        # that was false (articles report earlier events) and is no longer kept.
        if isinstance(data, dict) and "frame" in data:
            return {k: v for k, v in data.items() if k != "frame"}
        return data

    @property
    def outlet_known(self) -> bool:
        return self.outlet != "unknown"


def published_text(source: DocumentMeta) -> str:
    """The publication date or dates, or 'unknown'."""
    if source.published is None:
        return "unknown"
    start, end = source.published.start.isoformat(), source.published.end.isoformat()
    return start if start == end else f"{start} – {end}"


def load_sources(seeds: Path = DEFAULT_SEEDS) -> dict[str, DocumentMeta]:
    """Sources by document file name, from `seeds/sources.yaml`; each document must exist."""
    path = seeds / "sources.yaml"
    out: dict[str, DocumentMeta] = {}
    problems: list[ClaimError] = []
    for line, raw in read_records(path, ClaimError, "sources"):
        name = raw.get("document") if isinstance(raw, dict) else None
        try:
            source = DocumentMeta.model_validate(raw)
        except ValidationError as err:
            problems += [ClaimError(f"source '{name}': {m}", path=path, line=line) for m in field_errors(err)]
            continue
        if not (seeds / source.document).is_file():
            problems.append(ClaimError(f"document '{source.document}' is not in {seeds}", path=path, line=line))
        if source.document in out:
            problems.append(ClaimError(f"document '{source.document}' is described twice", path=path, line=line))
        out[source.document] = source
    if problems:
        raise ClaimError.collected("the sources", problems)
    return out
