"""From extractor candidates to claims: what an accepted, edited or rejected candidate becomes.

A reviewer may change the place, type, faction and date of a candidate; the result must still
be a valid claim (quote at its offsets, place in the gazetteer, vocabulary terms), or it is
refused with the reason, the same checks as for curated claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from pydantic import ValidationError

from geo.claims.model import Claim, Vocabulary, check_claim
from geo.claims.sources import DateRange, DocumentMeta
from geo.errors import IngestError
from geo.extraction.dating import Published
from geo.places.gazetteer import Gazetteer
from geo.yamlrecords import field_errors


def new_source(
    name: str, *, outlet: str | None, published: dt.date | None, by: str, read: Published | None = None
) -> DocumentMeta:
    """Metadata for an article brought in by a user. What the user did not give is marked so.

    A publication date not given is the one `read` from the text (`geo.extraction.dating`), with its
    evidence; the caller has read it already, to date the claims it extracts. If the text states
    none, the document has none, and its claims cannot be accepted until a reviewer gives one. The
    ingest date was used once instead, and moved the map to the wrong year."""
    if published is not None:
        day, basis, evidence = published, "stated", f"given by {by} at ingest"
    elif read is not None:
        day, basis, evidence = read.day, "inferred", f"from the text: {read.evidence}"
    else:
        day, basis, evidence = None, "inferred", NO_DATE
    return DocumentMeta(
        document=name,
        outlet=outlet or "unknown",
        outlet_evidence=f"given by {by} at ingest" if outlet else "Not named: no outlet was given at ingest",
        language="as ingested",
        published=DateRange(start=day, end=day) if day is not None else None,
        published_basis=basis,  # type: ignore[arg-type]
        published_evidence=evidence,
    )


NO_DATE = "not given at ingest, and the text states none; a reviewer must give it before accepting claims"


def dated(source: DocumentMeta, published: dt.date, by: str) -> DocumentMeta:
    """`source` with the publication date a reviewer gave."""
    return source.model_copy(
        update={
            "published": DateRange(start=published, end=published),
            "published_basis": "stated",
            "published_evidence": f"given by {by} at review",
        }
    )


def document_name(file_name: str, digest: str) -> str:
    """A stable, unique name for an ingested document: its file name and the start of its hash."""
    path = PurePath(file_name or "pasted.txt")
    return f"{path.stem[:60]}-{digest[:10]}{path.suffix or '.txt'}"


def claim_from_candidate(
    candidate: dict[str, Any],
    claim_id: str,
    document: str,
    text: str,
    source: DocumentMeta,
    vocab: Vocabulary,
    gazetteer: Gazetteer,
    *,
    place_id: str | None = None,
    type: str | None = None,
    faction: str | None = None,
    date: dt.date | None = None,
) -> Claim:
    """The claim a candidate becomes when accepted, with the reviewer's edits applied."""
    place = gazetteer.places.get(place_id or candidate["place_id"])
    if place is None:
        raise IngestError(f"claim {claim_id}: place '{place_id}' is not in the gazetteer")
    precision = next((k for k, types in vocab.geo_precision.items() if place.type in types), "point")
    edited_place = place.id != candidate["place_id"]
    if source.published is None:
        raise IngestError(f"claim {claim_id}: {document} has no publication date; give it before accepting claims")
    day = date or (dt.date.fromisoformat(candidate["date"]) if candidate.get("date") else source.published.start)
    undated = not candidate.get("date") and day == source.published.start
    edited_date = date is not None and date.isoformat() != candidate.get("date") and not undated
    raw = {
        "id": claim_id,
        "document": document,
        "quote": candidate["quote"],
        "start": candidate["start"],
        "end": candidate["end"],
        "place_text": candidate["mention"],
        "place_id": place.id,
        "place_note": f"set by the reviewer; the text names '{candidate['mention']}'" if edited_place else None,
        "geo_precision": precision,
        "claimant": {
            "kind": candidate["claimant_kind"],
            "faction": candidate.get("claimant_faction"),
            "speaker": candidate.get("speaker"),
        },
        "subject": faction or candidate["faction"],
        "type": type or candidate["type"],
        "date": {
            "start": day.isoformat(),
            "end": day.isoformat(),
            "basis": "inferred" if edited_date else (candidate.get("date_basis") or "inferred"),
            "evidence": "set by the reviewer"
            if edited_date
            else f"no date in the sentence; the article's publication date, {day}"
            if undated
            else (candidate.get("date_evidence") or "set by the reviewer"),
        },
        "hedge": {"kind": candidate["hedge"], "words": candidate["hedge_words"]} if candidate.get("hedge") else None,
        "notes": f"extracted ({candidate['rule']}, confidence {candidate['confidence']})",
    }
    try:
        claim = Claim.model_validate(raw)
    except ValidationError as err:
        raise IngestError(f"claim {claim_id}: {field_errors(err)[0]}") from err
    problems = check_claim(claim, vocab, {document: source}, {document: text}, gazetteer)
    if problems:
        raise IngestError(f"claim {claim_id}: {problems[0]}")
    return claim


@dataclass(frozen=True)
class Decision:
    """A reviewer's row for one candidate: accept or reject, with the place, type, faction and
    date as the reviewer left them."""

    claim_id: str
    accept: bool
    place_id: str
    type: str
    faction: str
    date: dt.date | None


def decide(
    candidates: list[dict[str, Any]],
    decisions: list[Decision],
    document: str,
    text: str,
    source: DocumentMeta,
    vocab: Vocabulary,
    gazetteer: Gazetteer,
) -> list[tuple[str, str, dict[str, Any]]]:
    """The store rows (claim id, status, data) a review makes: a rejected candidate keeps its data,
    an accepted one becomes a validated claim, `edited` where the reviewer changed anything."""
    rows = []
    for candidate, d in zip(candidates, decisions, strict=True):
        if not d.accept:
            rows.append((d.claim_id, "rejected", candidate))
            continue
        changed = (d.place_id, d.type, d.faction) != (candidate["place_id"], candidate["type"], candidate["faction"])
        # A candidate with no date of its own is proposed at the publication date: keeping it is no edit.
        proposed = candidate.get("date") or (source.published.start.isoformat() if source.published else None)
        changed |= d.date is not None and d.date.isoformat() != proposed
        claim = claim_from_candidate(
            candidate, d.claim_id, document, text, source, vocab, gazetteer,
            place_id=d.place_id, type=d.type, faction=d.faction, date=d.date,
        )  # fmt: skip
        rows.append((d.claim_id, "edited" if changed else "accepted", claim.model_dump(mode="json")))
    return rows


#: A publication date this far outside the claims' dates is asked about before it is saved: a wrong
#: year moved the whole map once.
SPAN_MARGIN = dt.timedelta(days=60)


def outside_span(day: dt.date, first: dt.date, last: dt.date) -> bool:
    return not first - SPAN_MARGIN <= day <= last + SPAN_MARGIN
