"""The claim model: who says what about which faction, at which place, when, in whose words.

A claim is not a fact. Its fields follow ACLED's and UCDP GED's event records, adapted to claims:
the claimant (who says it) is kept apart from the subject (the faction it is about), every quote
is verbatim with character offsets into its document, and every date says whether it is stated
or inferred, and from which words. Competing claims are linked both ways.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from geo.bundled import bundled
from geo.claims.relations import Relation, relation_flags
from geo.claims.sides import SIDES, opponent
from geo.claims.sources import DEFAULT_SEEDS, DocumentMeta, load_sources
from geo.errors import ClaimError, GeoError
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.places.resolve import default_resolver
from geo.yamlrecords import field_errors, read_records, read_yaml

DEFAULT_CLAIMS = bundled("claims")
GeoPrecision = Literal["point", "district", "province", "region", "country"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Claimant(_Record):
    kind: str
    faction: str | None = None
    speaker: str | None = None
    role: str | None = None


def claimant_label(kind: str, faction: str | None, speaker: str | None, role: str | None) -> str:
    """'Zabihullah Mujahid (taliban)', 'a Taliban source (taliban)', 'taliban', 'outlet'.

    Takes plain values so that a table of stored claims can be labelled without model objects."""
    who = speaker or role
    if who is None:
        return faction if kind == "faction" and faction else kind.replace("_", " ")
    return f"{who} ({faction})" if faction else who


class EventDate(_Record):
    """A day or range. `basis` is stated (the text gives the date) or inferred (from the
    publication date and a relative phrase such as "last night"); `evidence` quotes those words.
    `outside_knowledge` declares what the date rests on that the text does not say (which
    Saturday "Today, Saturday" is), so that a reader can tell the text's words from ours."""

    start: dt.date
    end: dt.date
    basis: Literal["stated", "inferred"]
    evidence: str = Field(min_length=1)
    outside_knowledge: str | None = None

    @property
    def precision(self) -> Literal["day", "range"]:
        return "day" if self.start == self.end else "range"


class Hedge(_Record):
    """How the text distances itself from a claim ("unconfirmed reports"), in its own `words`."""

    kind: str
    words: str = Field(min_length=1)


class Claim(_Record):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    document: str
    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    place_text: str = Field(min_length=1)
    place_id: str
    place_note: str | None = None
    geo_precision: GeoPrecision
    claimant: Claimant
    subject: str
    type: str
    date: EventDate
    #: When the claim was made public, where the text dates the statement ("told TASS on Monday");
    #: None means it is known only to be public by the document's publication date.
    made: EventDate | None = None
    hedge: Hedge | None = None
    #: The words naming the unnamed parts of the place that the claim is about ("several areas",
    #: "five of the seven districts"), verbatim from the quote; None when it is about the place as
    #: a whole. Such a claim counts at its place and the places holding it, never at the places
    #: within it: which of them are meant is not said (README, "Status rules").
    part: str | None = Field(default=None, min_length=1)
    competes_with: tuple[str, ...] = ()
    relation: Relation | None = None
    notes: str | None = None


Effect = Literal["control", "denial", "fighting", "none"]


class ClaimType(_Record):
    effect: Effect
    meaning: str


class HedgeKind(_Record):
    weak: bool
    meaning: str


class Vocabulary(_Record):
    factions: dict[str, dict[str, object]]
    claimant_kinds: dict[str, str]
    claim_types: dict[str, ClaimType]
    hedges: dict[str, HedgeKind]
    other_subjects: dict[str, str]
    geo_precision: dict[str, list[str]]
    #: What makes a sentence hard to read for extraction; annotated corpora tag their sentences with these.
    phenomena: dict[str, str] = Field(default_factory=dict)

    def effect(self, claim_type: str) -> Effect:
        """What a claim of this type does to a place's status (see vocabulary.yaml)."""
        return self.claim_types[claim_type].effect

    def supports(self, claim: Claim) -> str | None:
        """Whose control of the place a claim asserts, or None."""
        return self.supported(claim.type, claim.subject)

    def supported(self, claim_type: str, subject: str) -> str | None:
        """Whose control a claim of `claim_type` about `subject` asserts: only control claims
        assert any; a denial asserts none, whatever the denier may hold."""
        return subject if self.effect(claim_type) == "control" and subject in SIDES else None

    def favoured(self, claim_type: str, subject: str) -> str | None:
        """The side a claim favours, for its map layer: a control claim its subject's, a denial
        the denier's (the opponent of the side whose claim it denies); other claims none."""
        effect = self.effect(claim_type)
        if subject not in SIDES:
            return None
        if effect == "control":
            return subject
        if effect == "denial":
            return opponent(subject)
        return None


@dataclass(frozen=True, eq=False)
class ClaimSet:
    """Validated claims with what they refer to. `flags` holds, per claim id, what a reader should
    know: a stated direction or relation that the gazetteer's geometry does not bear out."""

    claims: tuple[Claim, ...]
    sources: dict[str, DocumentMeta]
    vocabulary: Vocabulary
    gazetteer: Gazetteer
    texts: dict[str, str] = field(repr=False)
    flags: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.claims)

    def by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}


def load_vocabulary(path: Path = DEFAULT_CLAIMS / "vocabulary.yaml") -> Vocabulary:
    data, _ = read_yaml(path, ClaimError)
    try:
        return Vocabulary.model_validate(data)
    except ValidationError as err:
        raise ClaimError(f"bad vocabulary: {err.errors()[0]['loc']}: {err.errors()[0]['msg']}", path=path) from err


def load_claims(
    path: Path = DEFAULT_CLAIMS / "seed_claims.yaml",
    *,
    seeds: Path = DEFAULT_SEEDS,
    vocabulary: Path | None = None,
    gazetteer: Gazetteer | None = None,
) -> ClaimSet:
    """Load and validate a claims file; raise `ClaimError` listing every problem with its claim id."""
    vocab = load_vocabulary(vocabulary or path.parent / "vocabulary.yaml")
    sources = load_sources(seeds)
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    texts = {name: (seeds / name).read_text(encoding="utf-8") for name in sources}
    problems: list[ClaimError] = []
    claims: list[Claim] = []
    lines: dict[str, int] = {}
    for line, raw in read_records(path, ClaimError, "claims"):
        entry = str(raw.get("id")) if isinstance(raw, dict) else None
        try:
            claim = Claim.model_validate(raw)
        except ValidationError as err:
            problems += [ClaimError(m, path=path, line=line, entry=entry) for m in field_errors(err)]
            continue
        if claim.id in lines:
            problems.append(
                ClaimError(f"duplicate id, first at line {lines[claim.id]}", path=path, line=line, entry=claim.id)
            )
            continue
        lines[claim.id] = line
        claims.append(claim)
        for message in check_claim(claim, vocab, sources, texts, gaz):
            problems.append(ClaimError(message, path=path, line=line, entry=claim.id))
    problems += _check_links(claims, path, lines)
    if problems:
        raise ClaimError.collected("the claims", problems)
    return ClaimSet(tuple(claims), sources, vocab, gaz, texts, relation_flags(claims, gaz))


def check_claim(
    claim: Claim, vocab: Vocabulary, sources: dict[str, DocumentMeta], texts: dict[str, str], gaz: Gazetteer
) -> list[str]:
    """Every way `claim` disagrees with its document, the gazetteer or the vocabulary."""
    out = []
    source = sources.get(claim.document)
    if source is None:
        return [f"document '{claim.document}' is not in seeds/sources.yaml; add its metadata first"]
    text = texts[claim.document]
    if text[claim.start : claim.end] != claim.quote:
        found = text.find(claim.quote)
        hint = f"; the quote is at {found}-{found + len(claim.quote)}" if found >= 0 else "; the quote is not in it"
        out.append(f"quote differs from {claim.document}[{claim.start}:{claim.end}]{hint}")
    if claim.place_text not in claim.quote:
        out.append(f"place_text '{claim.place_text}' is not in the quote")
    place = gaz.places.get(claim.place_id)
    if place is None:
        out.append(f"place_id '{claim.place_id}' is not in the gazetteer")
    else:
        result = default_resolver(gaz).resolve(claim.place_text)
        if claim.place_id not in {c.place.id for c in result.candidates} and not claim.place_note:
            got = result.place.id if result.place else "nothing"
            out.append(
                f"place_text '{claim.place_text}' resolves to {got}, not '{claim.place_id}'; "
                "fix the place or say in place_note how the text refers to it"
            )
        if place.type not in vocab.geo_precision[claim.geo_precision]:
            out.append(f"geo_precision '{claim.geo_precision}' does not fit a {place.type}")
    if claim.claimant.kind not in vocab.claimant_kinds:
        out.append(f"claimant kind '{claim.claimant.kind}' is not in the vocabulary")
    if claim.claimant.faction is not None and claim.claimant.faction not in vocab.factions:
        out.append(f"claimant faction '{claim.claimant.faction}' is not in the vocabulary")
    if claim.subject not in vocab.factions and claim.subject not in vocab.other_subjects:
        out.append(f"subject '{claim.subject}' is not a faction or one of {', '.join(vocab.other_subjects)}")
    if claim.type not in vocab.claim_types:
        out.append(f"claim type '{claim.type}' is not in the vocabulary ({', '.join(vocab.claim_types)})")
    out += _check_dates(claim, source)
    if claim.hedge is not None:
        if claim.hedge.kind not in vocab.hedges:
            out.append(f"hedge kind '{claim.hedge.kind}' is not in the vocabulary ({', '.join(vocab.hedges)})")
        if claim.hedge.words not in text:
            out.append(f"hedge words '{claim.hedge.words}' are not in {claim.document}; quote them verbatim")
    if claim.part is not None and claim.part not in claim.quote:
        out.append(f"part '{claim.part}' is not in the quote; give the quote's own words for the unnamed parts")
    if claim.relation is not None:
        out += [f"relation names unknown place '{p}'" for p in claim.relation.places() if p not in gaz.places]
    return out


def _check_dates(claim: Claim, source: DocumentMeta) -> list[str]:
    """A claim's two clocks against each other and the publication: an event cannot begin after
    the article that reports it, nor a statement be public after its article or before its event."""
    out = []
    date, made, published = claim.date, claim.made, source.published
    if published is None:
        return [f"{claim.document} has no publication date; give it before accepting its claims"]
    if date.end < date.start:
        out.append(f"date ends ({date.end}) before it starts ({date.start})")
    if date.start > published.end:
        out.append(f"date starts {date.start}, after the document's publication ({published.end}); check the year")
    if made is not None:
        if made.end < made.start:
            out.append(f"made ends ({made.end}) before it starts ({made.start})")
        if made.start > published.end:
            out.append(
                f"made public {made.start}, after the document's publication ({published.end}); "
                "omit `made` if the statement is dated only by the article"
            )
        if made.end < date.start:
            out.append(f"made public by {made.end}, before its event begins ({date.start}); check both dates")
    return out


def publication_date(source: DocumentMeta) -> EventDate:
    """A document's publication as the `made` date of the claims whose statements it does not date."""
    if source.published is None:
        raise ClaimError(f"{source.document} has no publication date; a reviewer must give it")
    return EventDate(
        start=source.published.start,
        end=source.published.end,
        basis=source.published_basis,
        evidence=f"public by the article's publication: {source.published_evidence}",
        outside_knowledge=source.outside_knowledge,
    )


def _check_links(claims: list[Claim], path: Path, lines: dict[str, int]) -> list[ClaimError]:
    ids = {c.id: c for c in claims}
    out = []
    for claim in claims:
        for other in claim.competes_with:
            why = None
            if other == claim.id:
                why = "competes with itself"
            elif other not in ids:
                why = f"competes_with '{other}', which is not a claim id"
            elif claim.id not in ids[other].competes_with:
                why = f"competes_with '{other}', but '{other}' does not list it back; link both ways"
            if why:
                out.append(ClaimError(why, path=path, line=lines[claim.id], entry=claim.id))
    return out


def locate(text: str, quote: str) -> tuple[int, int]:
    """Offsets of the one occurrence of `quote` in `text`, for curating claims."""
    first = text.find(quote)
    if first < 0:
        raise GeoError("quote not found in the text; copy it verbatim, with its punctuation")
    if text.find(quote, first + 1) >= 0:
        raise GeoError("quote occurs more than once; lengthen it until it is unique")
    return first, first + len(quote)
