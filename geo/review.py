"""From extractor candidates to claims: what an accepted, edited or rejected candidate becomes.

A reviewer may change the place, type, faction and date of a candidate; the result must still
be a valid claim (quote at its offsets, place in the gazetteer, vocabulary terms), or it is
refused with the reason, the same checks as for curated claims.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from pydantic import ValidationError

from geo.claims import Claim, Vocabulary, check_claim
from geo.errors import IngestError
from geo.gazetteer import Gazetteer
from geo.records import field_errors
from geo.sources import DateRange, Source


def new_source(
    name: str, *, outlet: str | None, published: dt.date | None, by: str, today: dt.date | None = None
) -> Source:
    """Metadata for an article brought in by a user. What the user did not give is marked so."""
    day = published or today or dt.date.today()
    return Source(
        document=name,
        outlet=outlet or "unknown",
        outlet_evidence=f"given by {by} at ingest" if outlet else "Not named: no outlet was given at ingest",
        language="as ingested",
        published=DateRange(start=day, end=day),
        published_basis="stated" if published else "inferred",
        published_evidence=(
            f"given by {by} at ingest" if published else f"no publication date given; the ingest date, {day}, is used"
        ),
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
    source: Source,
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
    day = date or (dt.date.fromisoformat(candidate["date"]) if candidate.get("date") else source.published.start)
    edited_date = date is not None and date.isoformat() != candidate.get("date")
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
