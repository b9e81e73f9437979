"""Derived views of a claim set, as (Geo)DataFrames: the claims table, filters, status, corroboration.

Everything here is vectorised pandas over `claims_frame`, so the app can filter and aggregate on
each rerun without touching files. Dates are ISO strings (YYYY-MM-DD), which sort and compare
as dates and export unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypedDict

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point

from geo.claims.citations import Citation, article_keys, claim_cites, load_outlets
from geo.claims.counts import side_counts
from geo.claims.model import Claim, ClaimSet, Vocabulary, claimant_label, publication_date
from geo.claims.relations import relation_flags
from geo.claims.sides import NEITHER, SIDES
from geo.claims.sources import DocumentMeta
from geo.claims.status import in_event_range, in_force_until
from geo.places.gazetteer import Gazetteer
from geo.places.schema import Place

#: Claims in time order: by the day their date range ends, then the day it starts, then id.
TIME_ORDER = ("date_end", "date_start", "claim_id")
#: What the app filters, groups and sorts on (see `index_frame`).
INDEX_COLUMNS = (
    "claim_id",
    "document",
    "outlet",
    "article",
    "cites",
    "type",
    "place_id",
    "geo_precision",
    "lat",
    "lon",
    "map_faction",
    "supports",
    "effect",
    "claimant_faction",
    "subject",
    *TIME_ORDER[:2],
    "made_start",
    "made_end",
    "in_force_until",
    "weak",
    "part",
    "denies_at",
)
_CATEGORICAL = (
    "document",
    "outlet",
    "article",
    "cites",
    "type",
    "place_id",
    "geo_precision",
    "map_faction",
    "supports",
    "effect",
    "claimant_faction",
    "subject",
)


def _admin(place: Place, gazetteer: Gazetteer, kind: str) -> str | None:
    if place.type == kind:
        return place.name
    for pid in place.parents:
        if gazetteer[pid].type == kind:
            return gazetteer[pid].name
    return None


def claims_frame(claim_set: ClaimSet) -> gpd.GeoDataFrame:
    """One row per claim of a validated claim set (see `records_frame`)."""
    return records_frame(
        (c.model_dump(mode="json") for c in claim_set.claims),
        claim_set.sources,
        claim_set.vocabulary,
        claim_set.gazetteer,
        claim_set.flags,
        texts=claim_set.texts,
    )


class Snapshots(Protocol):
    """What reading claims from a store takes: `geo.store.database.Store` is one. A protocol, so
    that this layer reads a store without importing the layer below it."""

    def snapshot(
        self,
    ) -> AbstractContextManager[tuple[dict[str, DocumentMeta], dict[str, str], Iterable[dict[str, Any]]]]: ...


def stored_frame(
    store: Snapshots, gazetteer: Gazetteer, vocabulary: Vocabulary
) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """The claims the map shows, straight from the store, with the texts of their documents."""
    with store.snapshot() as (sources, texts, records):
        return records_frame(records, sources, vocabulary, gazetteer, texts=texts), texts


def records_frame(
    records: Iterable[dict[str, Any]],
    sources: dict[str, DocumentMeta],
    vocabulary: Vocabulary,
    gazetteer: Gazetteer,
    flags: dict[str, str] | None = None,
    *,
    texts: Mapping[str, str],
) -> gpd.GeoDataFrame:
    """One row per claim, in EPSG:4326, from claims as JSON records (`Claim.model_dump(mode="json")`,
    as the store holds them). Geometry follows the claim's precision: the polygon of a district or
    province where the gazetteer has one, else the place's point; null if unpinned.

    Built column by column from plain records: at 100,000 claims, making a model object per claim
    first took 800 MB and seconds the app has no use for, since the store holds validated claims.
    `flags` (relation checks) are worked out here when not given, from the claims stating one.
    A claim whose statement its text does not date was made public by its article's publication.
    `article` is its document's `article_key`; `cites` the outlets its text cites for it
    (`geo.claims.citations`), ";"-joined in name order, "" for none.
    """
    columns: dict[str, list[Any]] = defaultdict(list)
    places: dict[tuple[str, str], PlaceColumns] = {}
    # An ingested article with no known date has no claims on the map (accepting needs the date).
    published = {
        name: publication_date(source).model_dump(mode="json")
        for name, source in sources.items()
        if source.published is not None
    }
    weak = {kind for kind, h in vocabulary.hedges.items() if h.weak}
    outlets = load_outlets()
    citations: dict[str, list[Citation]] = {}
    stated: list[Claim] = []
    for r in records:
        document = r["document"]
        if document not in citations:
            citations[document] = outlets.cited(texts.get(document, ""))
        cited = citations[document]
        cites = (
            ";".join(sorted({c.outlet for c in claim_cites(texts.get(document, ""), cited, r["start"], r["end"])}))
            if cited
            else ""
        )
        claimant, date = r["claimant"], r["date"]
        made = r.get("made") or published[r["document"]]
        hedge = r.get("hedge") or {}
        key = (r["place_id"], r["geo_precision"])
        if key not in places:
            places[key] = _place_columns(gazetteer, *key)
        row: ClaimRow = {
            "claim_id": r["id"],
            "document": document,
            "cites": cites,
            "quote": r["quote"],
            "start": r["start"],
            "end": r["end"],
            "place_text": r["place_text"],
            "place_id": r["place_id"],
            **places[key],
            "claimant": claimant_label(
                claimant["kind"], claimant.get("faction"), claimant.get("speaker"), claimant.get("role")
            ),
            "claimant_kind": claimant["kind"],
            "claimant_faction": claimant.get("faction"),
            "speaker": claimant.get("speaker"),
            "subject": r["subject"],
            "type": r["type"],
            "effect": vocabulary.effect(r["type"]),
            "supports": vocabulary.supported(r["type"], r["subject"]),
            "map_faction": vocabulary.favoured(r["type"], r["subject"]) or NEITHER.id,
            "date_start": str(date["start"]),
            "date_end": str(date["end"]),
            "date_precision": "day" if date["start"] == date["end"] else "range",
            "date_basis": date["basis"],
            "date_evidence": date["evidence"],
            "made_start": str(made["start"]),
            "made_end": str(made["end"]),
            "made_basis": made["basis"],
            "made_evidence": made["evidence"],
            "outside_knowledge": "; ".join(
                k for k in (date.get("outside_knowledge"), made.get("outside_knowledge")) if k
            )
            or None,
            "hedge": hedge.get("kind", "none"),
            "hedge_words": hedge.get("words"),
            "weak": hedge.get("kind") in weak,
            "part": r.get("part"),
            "competes_with": ";".join(r.get("competes_with") or ()),
            "place_note": r.get("place_note"),
            "notes": r.get("notes"),
        }
        for name, value in row.items():
            columns[name].append(value)
        if flags is None and r.get("relation"):
            stated.append(Claim.model_validate(r))
    if not columns:
        columns = defaultdict(list, {name: [] for name in ClaimRow.__annotations__})
    geometry = columns.pop("geometry")
    frame = gpd.GeoDataFrame(dict(columns), geometry=geometry, crs="EPSG:4326")
    frame.insert(2, "outlet", frame["document"].map({name: s.outlet for name, s in sources.items()}))
    frame.insert(3, "outlet_known", frame["document"].map({name: s.outlet_known for name, s in sources.items()}))
    keys = article_keys(sources, texts)
    frame.insert(4, "article", frame["document"].map(keys).astype(object))
    flags = relation_flags(stated, gazetteer) if flags is None else flags
    frame.insert(frame.columns.get_loc("place_note"), "relation_flag", frame["claim_id"].map(flags))
    frame.insert(frame.columns.get_loc("hedge"), "in_force_until", in_force_until(frame["made_end"], frame["date_end"]))
    frame["outlets_reporting"] = outlets_reporting(frame)
    frame["denies_at"] = denied_places(frame)
    return frame


def denied_places(frame: pd.DataFrame) -> pd.Series:
    """For each denial, the other places of the claims it denies (`competes_with`), ";"-joined:
    "the FNR denied the Taliban's statements" disputes Anaba and Rokha as well as the province."""
    out = pd.Series("", index=frame.index, dtype=object)
    denials = frame[(frame["effect"] == "denial") & (frame["competes_with"] != "")]
    if denials.empty:
        return out
    place_of = dict(zip(frame["claim_id"], frame["place_id"], strict=True))
    for label, own, linked in zip(denials.index, denials["place_id"], denials["competes_with"], strict=True):
        out[label] = ";".join(sorted({place_of[c] for c in linked.split(";") if c in place_of} - {own}))
    return out


class _ClaimColumns(TypedDict):
    claim_id: str
    document: str
    cites: str
    quote: str
    start: int
    end: int
    place_text: str
    place_id: str


class PlaceColumns(TypedDict):
    """What a claim's row takes from its place."""

    place_name: str
    place_type: str
    admin1: str | None
    admin2: str | None
    geo_precision: str
    lat: float | None
    lon: float | None
    geometry: Any  # a shapely polygon or point, or None where the place is unpinned


class _StatementColumns(TypedDict):
    claimant: str
    claimant_kind: str
    claimant_faction: str | None
    speaker: str | None
    subject: str
    type: str
    effect: str
    supports: str | None
    map_faction: str
    date_start: str
    date_end: str
    date_precision: str
    date_basis: str
    date_evidence: str
    made_start: str
    made_end: str
    made_basis: str
    made_evidence: str
    outside_knowledge: str | None
    hedge: str
    hedge_words: str | None
    weak: bool
    part: str | None
    competes_with: str
    place_note: str | None
    notes: str | None


class ClaimRow(_ClaimColumns, PlaceColumns, _StatementColumns):
    """One claim's row of the claims table as `records_frame` builds it, its columns in this
    order; a table of no claims has the same columns. The type checker holds each row to it."""


def _place_columns(gazetteer: Gazetteer, place_id: str, precision: str) -> PlaceColumns:
    """The columns a claim takes from its place, worked out once per place and precision."""
    place = gazetteer[place_id]
    polygon = gazetteer.boundary(place_id) if precision in ("district", "province") else None
    point = Point(place.point.lon, place.point.lat) if place.point else None
    return {
        "place_name": place.name,
        "place_type": place.type,
        "admin1": _admin(place, gazetteer, "province"),
        "admin2": _admin(place, gazetteer, "district"),
        "geo_precision": precision,
        "lat": place.point.lat if place.point else None,
        "lon": place.point.lon if place.point else None,
        "geometry": polygon if polygon is not None else point,
    }


def filter_claims(
    frame: pd.DataFrame,
    *,
    claimant_factions: Iterable[str] | None = None,
    outlets: Iterable[str] | None = None,
    documents: Iterable[str] | None = None,
    cites: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    places: Iterable[str] | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> pd.DataFrame:
    """Rows matching every filter given; the date range keeps claims whose date range overlaps
    [start, end]. Factions are `filter_by_faction`'s, the one rule the app and the CLI share.
    `cites` keeps a claim citing any of the outlets given, or none (`NO_CITES` given)."""
    mask = pd.Series(True, index=frame.index)
    if claimant_factions is not None:
        mask &= frame["claimant_faction"].isin(list(claimant_factions))
    if outlets is not None:
        mask &= frame["outlet"].isin(list(outlets))
    if documents is not None:
        mask &= frame["document"].isin(list(documents))
    if cites is not None:
        mask &= frame["cites"].isin(citing(frame["cites"], cites))
    if types is not None:
        mask &= frame["type"].isin(list(types))
    if places is not None:
        mask &= frame["place_id"].isin(list(places))
    if start is not None:
        mask &= frame["date_end"] >= str(start)
    if end is not None:
        mask &= frame["date_start"] <= str(end)
    return _rows(frame, mask)


#: The cited-outlets filter's value for the claims whose text cites no outlet.
NO_CITES = "(none)"


def cited_outlets(cites: pd.Series) -> list[str]:
    """The outlets a `cites` column names, in name order, then `NO_CITES` if a claim cites none."""
    used = {str(v) for v in cites.unique()}
    return sorted({n for v in used for n in v.split(";") if n}) + ([NO_CITES] if "" in used else [])


def citing(cites: pd.Series, wanted: Iterable[str]) -> list[str]:
    """The values of a `cites` column that name any outlet `wanted` (or none, for `NO_CITES`):
    worked out once per distinct value, not per claim."""
    chosen = set(wanted)
    values = cites.cat.categories if isinstance(cites.dtype, pd.CategoricalDtype) else cites.unique()
    return [v for v in values if (v == "" and NO_CITES in chosen) or not chosen.isdisjoint(str(v).split(";"))]


def _rows(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """`frame[mask]`, without copying every column when the mask keeps every row."""
    return frame if mask.all() else frame[mask]


def index_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns the app filters, groups and sorts on, in time order (`TIME_ORDER`), with
    `seq`, each claim's rank in that order, and `pinned`, whether it has a geometry; labelled as
    `frame` is, so that `frame.loc` fetches whole rows.

    The app works on this narrow table and fetches whole rows only for the claims it shows: at
    100,000 claims, taking all 35 columns through each filter, and sorting by three text columns,
    cost more than the rest of a rerun. Filters keep the time order, so sorting is then free.
    """
    order = np.lexsort([frame[c].to_numpy() for c in reversed(TIME_ORDER)])
    out = pd.DataFrame(frame[list(INDEX_COLUMNS)]).iloc[order]
    # Categories: a filter then copies integer codes, not strings, and groups without hashing.
    out = out.astype({c: "category" for c in _CATEGORICAL})
    out["seq"] = np.arange(len(out), dtype=np.int64)
    out["pinned"] = frame.geometry.notna().to_numpy()[order] if isinstance(frame, gpd.GeoDataFrame) else True
    return out


def in_time_order(frame: pd.DataFrame, *, newest_first: bool = False) -> pd.DataFrame:
    """`frame` sorted by `TIME_ORDER`, by its `seq` column where it has one (see `index_frame`)."""
    if "seq" not in frame.columns:
        return frame.sort_values(list(TIME_ORDER), ascending=not newest_first)
    if frame["seq"].is_monotonic_increasing:
        return frame.iloc[::-1] if newest_first else frame
    return frame.sort_values("seq", ascending=not newest_first, kind="stable")


def public_by(frame: pd.DataFrame, day: str | dt.date) -> pd.DataFrame:
    """Claims made public by `day`: what an analyst could have read by then (the as-of view)."""
    return _rows(frame, frame["made_start"] <= str(day))


def latest_as_of(frame: pd.DataFrame, as_of: str | dt.date) -> pd.DataFrame:
    """The latest claim per place and map layer among the claims made public by `as_of`."""
    return in_time_order(public_by(frame, as_of)).drop_duplicates(["place_id", "map_faction"], keep="last")


def in_range(frame: pd.DataFrame, start: str | dt.date, end: str | dt.date) -> pd.DataFrame:
    """Claims whose event dates overlap [start, end] (the range view); the one rule is `geo.claims.status`'s."""
    return in_event_range(frame, start, end)


def filter_by_faction(frame: pd.DataFrame, factions: Iterable[str], by: str = "layer") -> pd.DataFrame:
    """Claims of the given factions (taliban, nrf, other), matched `by` the map layer (the side the
    claim favours), the claimant's faction or the subject; `other` matches anyone else."""
    wanted = set(factions)
    if wanted >= {*SIDES, NEITHER.id}:  # every faction, as a new session's view: nothing to match
        return frame
    column = frame[{"layer": "map_faction", "claimant": "claimant_faction", "subject": "subject"}[by]]
    mask = column.isin([f for f in SIDES if f in wanted])
    if NEITHER.id in wanted:
        mask |= ~column.isin(SIDES)
    return _rows(frame, mask)


def per_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Claims per day (by the day their date range ends) and map layer, for the timeline: the
    layers with claims only, counted as everywhere else (`geo.claims.counts`)."""
    counts = side_counts(frame, "date_end")
    return counts.loc[:, counts.sum() > 0].rename_axis("date")


def outlets_reporting(frame: pd.DataFrame) -> pd.Series:
    """For each claim, how many independent outlets report the same event: the same place, type
    and subject, with event dates that overlap (directly or through a chain of claims).

    Outlets are independent by name; a document whose outlet is unknown counts on its own. This
    says "reported by N outlets", never "confirmed": outlets often repeat one source.
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="int64")
    keyed = pd.DataFrame(
        {
            "key": frame["place_id"].astype(str) + "|" + frame["type"].astype(str) + "|" + frame["subject"].astype(str),
            "start": pd.to_datetime(frame["date_start"].astype(str)),
            "end": pd.to_datetime(frame["date_end"].astype(str)),
            "outlet": frame["outlet"].where(frame["outlet_known"], "unknown:" + frame["document"].astype(str)),
        },
        index=frame.index,
    ).sort_values(["key", "start", "end"])
    # Sweep each key's claims in start order: a claim starting after every earlier one has ended
    # begins a new event.
    reach = keyed.groupby("key", sort=False)["end"].transform(lambda e: e.cummax().shift())
    new_event = (keyed["key"] != keyed["key"].shift()) | (keyed["start"] > reach)
    keyed["event"] = new_event.cumsum()
    counts = keyed.groupby("event")["outlet"].transform("nunique")
    return counts.reindex(frame.index).astype("int64")
