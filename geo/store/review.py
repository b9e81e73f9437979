"""From extractor candidates to claims: what an accepted, edited or rejected candidate becomes.

A reviewer may change the place, type, faction and date of a candidate; the result must still
be a valid claim (quote at its offsets, place in the gazetteer, vocabulary terms), or it is
refused with the reason, the same checks as for curated claims. Nothing is decided for the
reviewer: every candidate starts undecided, and stays in the review queue until someone decides.
An article ingested again is matched to what was decided on it (`proposals`), so that a rejected
candidate is shown rejected, not proposed anew.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal

from pydantic import ValidationError

from geo.claims.model import Claim, Vocabulary, check_claim
from geo.claims.sources import DateRange, DocumentMeta
from geo.datelines import head_dateline
from geo.errors import IngestError
from geo.extraction.dating import Published, infer_published
from geo.places.gazetteer import Gazetteer
from geo.store.database import Reviewed, StoredClaim
from geo.yamlrecords import field_errors

#: "Accept the N candidates above" this calibrated confidence: one explicit action, never a default.
ACCEPT_ABOVE = 0.9
Choice = Literal["undecided", "accept", "reject"]
CHOICES: tuple[Choice, ...] = ("undecided", "accept", "reject")


@dataclass(frozen=True)
class Masthead:
    """What an article says of its own source, for the reviewer to confirm before it is saved: the
    agency its dateline or tag credits, the date it states, and the dateline's words."""

    agency: str | None
    published: Published | None
    dateline: str | None
    #: The dateline's date when it gives no year ("Sept 5"): shown, never completed by a guess.
    date_words: str | None


def read_masthead(text: str) -> Masthead:
    line = head_dateline(text)
    published = infer_published(text)
    if line is None:
        return Masthead(None, published, None, None)
    return Masthead(line.agency, published, text[line.start : line.end].strip(" -–—:"), line.date)


def place_label(gazetteer: Gazetteer, place_id: str) -> str:
    """A place as a reviewer picks it: its name, the places it lies in below the country, and its
    type ("Rokha, Panjshir (district)"); an id alone ("rokha-district") says too little."""
    place = gazetteer.places.get(place_id)
    if place is None:
        return place_id
    within = [
        gazetteer.places[p]
        for p in reversed(place.parents)
        if p in gazetteer.places and gazetteer.places[p].type != "country"
    ]
    names = [place.name, *dict.fromkeys(p.name for p in within if p.name != place.name)]
    return f"{', '.join(names)} ({place.type})"


def candidate_key(candidate: dict[str, Any]) -> str:
    """What identifies a candidate across ingests of one article: the words naming its place, its
    type, its place and its side. Not its quote: how much of the clause is quoted changes with
    the extractor, the place's words in the text do not."""
    return ":".join(str(candidate[k]) for k in ("mention_start", "mention_end", "type", "place_id", "faction"))


def _claim_key(claim: dict[str, Any], text: str) -> str | None:
    """The key of a claim accepted unchanged before the store kept candidates: its place's words
    are found in its quote."""
    words = claim.get("place_text") or ""
    at = text.find(words, claim["start"], claim["end"]) if words else -1
    if at < 0:
        return None
    return f"{at}:{at + len(words)}:{claim['type']}:{claim['place_id']}:{claim['subject']}"


@dataclass(frozen=True)
class Proposal:
    """A candidate as the reviewer sees it: new (status extracted, no one's yet), or matched to what
    was stored for it before, with that decision and the values it was saved with."""

    claim_id: str
    candidate: dict[str, Any]
    status: str = "extracted"
    data: dict[str, Any] | None = None  # the stored claim, when it was accepted
    by: str | None = None
    at: str | None = None

    @property
    def seen(self) -> tuple[str, str] | None:
        """What the store holds for it now, as `Reviewed.seen` records it; None when new."""
        return (self.status, self.at) if self.at is not None else None

    @property
    def choice(self) -> Choice:
        return (
            "accept"
            if self.status in ("accepted", "edited")
            else "reject"
            if self.status == "rejected"
            else "undecided"
        )

    def value(self, field: str) -> Any:  # noqa: ANN401 (a place id, type or faction: str; the date: a date or None)
        """The place, type, faction or date to show: the stored claim's when it was accepted."""
        claim = self.data if self.status in ("accepted", "edited") and self.data else None
        if field == "date":
            day = claim["date"]["start"] if claim else self.candidate.get("date")
            return dt.date.fromisoformat(day) if day else None
        return claim["subject" if field == "faction" else field] if claim else self.candidate[field]


_OWN_ID = re.compile(r"-(\d+)$")


def proposals(
    digest: str, text: str, candidates: list[dict[str, Any]], stored: list[StoredClaim]
) -> tuple[list[Proposal], int]:
    """The candidates of an article as proposals, each matched to its stored claim by
    `candidate_key`; and how many stored claims match no candidate (an older extractor's), which
    stay as they are. A new candidate gets the next free claim id of the document."""
    by_key: dict[str, StoredClaim] = {}
    for claim in stored:
        if claim.candidate is not None:
            by_key.setdefault(candidate_key(claim.candidate), claim)
        elif claim.status == "accepted" and (key := _claim_key(claim.data, text)) is not None:
            by_key.setdefault(key, claim)
    numbers = [int(m.group(1)) for c in stored if (m := _OWN_ID.search(c.id))]
    following = max(numbers, default=0)
    out, used = [], set()
    for candidate in candidates:
        match = by_key.get(candidate_key(candidate))
        if match is not None and match.id not in used:
            used.add(match.id)
            out.append(Proposal(match.id, candidate, match.status, match.data, match.updated_by, match.updated_at))
        else:
            following += 1
            out.append(Proposal(f"x-{digest[:12]}-{following:03d}", candidate))
    return out, sum(c.id not in used for c in stored)


def new_source(
    name: str,
    *,
    outlet: str | None,
    published: dt.date | None,
    by: str,
    read: Published | None = None,
    agency: str | None = None,
    tag: str | None = None,
) -> DocumentMeta:
    """Metadata for an article brought in by a user. What the user did not give is marked so.

    A publication date not given is the one `read` from the text (`geo.extraction.dating`), with its
    evidence; the caller has read it already, to date the claims it extracts. If the text states
    none, the document has none, and its claims cannot be accepted until a reviewer gives one. The
    ingest date was used once instead, and moved the map to the wrong year. `tag` is the agency the
    dateline credits (`read_masthead`): an outlet the same as it is recorded as read from the text."""
    if published is not None:
        day, basis, evidence = published, "stated", f"given by {by} at ingest"
    elif read is not None:
        day, basis, evidence = read.day, "inferred", f"from the text: {read.evidence}"
    else:
        day, basis, evidence = None, "inferred", NO_DATE
    return DocumentMeta(
        document=name,
        outlet=outlet or "unknown",
        outlet_evidence=(
            f"the dateline's agency tag '{tag}', confirmed by {by} at ingest"
            if outlet and outlet == tag
            else f"given by {by} at ingest"
            if outlet
            else "Not named: no outlet was given at ingest"
        ),
        agency=agency or None,
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
    """A reviewer's choice for one candidate (undecided, accept or reject), with the place, type,
    faction and date as the reviewer left them."""

    claim_id: str
    choice: Choice
    place_id: str
    type: str
    faction: str
    date: dt.date | None
    #: What the store held for this candidate when the reviewer first saw it: see `Reviewed.seen`.
    seen: tuple[str, str] | None = None


def decide(
    candidates: list[dict[str, Any]],
    decisions: list[Decision],
    document: str,
    text: str,
    source: DocumentMeta,
    vocab: Vocabulary,
    gazetteer: Gazetteer,
) -> list[Reviewed]:
    """What a review stores for each candidate: an undecided one stays a candidate in the review
    queue, a rejected one keeps its data, an accepted one becomes a validated claim, `edited` where
    the reviewer changed anything."""
    rows = []
    for candidate, d in zip(candidates, decisions, strict=True):
        if d.choice != "accept":
            status = "rejected" if d.choice == "reject" else "extracted"
            rows.append(Reviewed(d.claim_id, status, candidate, candidate, d.seen))
            continue
        changed = (d.place_id, d.type, d.faction) != (candidate["place_id"], candidate["type"], candidate["faction"])
        # A candidate with no date of its own is proposed at the publication date: keeping it is no edit.
        proposed = candidate.get("date") or (source.published.start.isoformat() if source.published else None)
        changed |= d.date is not None and d.date.isoformat() != proposed
        claim = claim_from_candidate(
            candidate, d.claim_id, document, text, source, vocab, gazetteer,
            place_id=d.place_id, type=d.type, faction=d.faction, date=d.date,
        )  # fmt: skip
        status = "edited" if changed else "accepted"
        rows.append(Reviewed(d.claim_id, status, claim.model_dump(mode="json"), candidate, d.seen))
    return rows


#: A publication date this far outside the claims' dates is asked about before it is saved: a wrong
#: year moved the whole map once.
SPAN_MARGIN = dt.timedelta(days=60)


def outside_span(day: dt.date, first: dt.date, last: dt.date) -> bool:
    return not first - SPAN_MARGIN <= day <= last + SPAN_MARGIN
