"""Derived views of a claim set, as (Geo)DataFrames: the claims table, filters, status, corroboration.

Everything here is vectorised pandas over `claims_frame`, so the app can filter and aggregate on
each rerun without touching files. Dates are ISO strings (YYYY-MM-DD), which sort and compare
as dates and export unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point

from geo.claims import Claim, ClaimSet, Vocabulary, claimant_label
from geo.gazetteer import Gazetteer
from geo.places import Place
from geo.relations import relation_flags
from geo.sources import Source
from geo.store import Store

#: A claim speaks for this many days after its date in the status view. The seeds' claims and
#: denials about the same events lie within two days of each other; three keeps such pairs
#: together without letting a week-old claim outweigh today's.
STATUS_WINDOW_DAYS = 3
FACTIONS = ("taliban", "nrf")
#: Map layers: a claim is drawn in the layer of the side it favours (see `map_faction`).
LAYERS = ("taliban", "nrf", "other")
#: Claims in time order: by the day their date range ends, then the day it starts, then id.
TIME_ORDER = ("date_end", "date_start", "claim_id")
#: What the app filters, groups and sorts on (see `index_frame`).
INDEX_COLUMNS = (
    "claim_id",
    "document",
    "outlet",
    "type",
    "place_id",
    "geo_precision",
    "lat",
    "lon",
    "map_faction",
    "supports",
    "claimant_faction",
    "subject",
    *TIME_ORDER[:2],
)
_CATEGORICAL = (
    "document",
    "outlet",
    "type",
    "place_id",
    "geo_precision",
    "map_faction",
    "supports",
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
    )


def stored_frame(store: Store, gazetteer: Gazetteer, vocabulary: Vocabulary) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """The claims the map shows, straight from the store, with the texts of their documents."""
    with store.snapshot() as (sources, texts, records):
        return records_frame(records, sources, vocabulary, gazetteer), texts


def records_frame(
    records: Iterable[dict[str, Any]],
    sources: dict[str, Source],
    vocabulary: Vocabulary,
    gazetteer: Gazetteer,
    flags: dict[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """One row per claim, in EPSG:4326, from claims as JSON records (`Claim.model_dump(mode="json")`,
    as the store holds them). Geometry follows the claim's precision: the polygon of a district or
    province where the gazetteer has one, else the place's point; null if unpinned.

    Built column by column from plain records: at 100,000 claims, making a model object per claim
    first took 800 MB and seconds the app has no use for, since the store holds validated claims.
    `flags` (relation checks) are worked out here when not given, from the claims stating one.
    """
    columns: dict[str, list[Any]] = {name: [] for name in _RECORD_COLUMNS}
    places: dict[tuple[str, str], tuple[Any, ...]] = {}
    stated: list[Claim] = []
    for r in records:
        claimant, date = r["claimant"], r["date"]
        key = (r["place_id"], r["geo_precision"])
        if key not in places:
            places[key] = _place_columns(gazetteer, *key)
        row = (
            r["id"],
            r["document"],
            r["quote"],
            r["start"],
            r["end"],
            r["place_text"],
            r["place_id"],
            *places[key],
            claimant_label(claimant["kind"], claimant.get("faction"), claimant.get("speaker"), claimant.get("role")),
            claimant["kind"],
            claimant.get("faction"),
            claimant.get("speaker"),
            r["subject"],
            r["type"],
            vocabulary.supported(r["type"], r["subject"]),
            date["start"],
            date["end"],
            "day" if date["start"] == date["end"] else "range",
            date["basis"],
            date["evidence"],
            ";".join(r.get("competes_with") or ()),
            r.get("place_note"),
            r.get("notes"),
        )
        for column, value in zip(columns.values(), row, strict=True):
            column.append(value)
        if flags is None and r.get("relation"):
            stated.append(Claim.model_validate(r))
    geometry = columns.pop("geometry")
    frame = gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:4326")
    frame.insert(2, "outlet", frame["document"].map({name: s.outlet for name, s in sources.items()}))
    frame.insert(3, "outlet_known", frame["document"].map({name: s.outlet_known for name, s in sources.items()}))
    flags = relation_flags(stated, gazetteer) if flags is None else flags
    frame.insert(frame.columns.get_loc("place_note"), "relation_flag", frame["claim_id"].map(flags))
    frame["corroboration"] = _corroboration_counts(frame)
    frame["map_faction"] = map_faction(frame)
    return frame


#: The columns `records_frame` fills from each record, in `_place_columns`'s order where it fills them.
_RECORD_COLUMNS = (
    "claim_id",
    "document",
    "quote",
    "start",
    "end",
    "place_text",
    "place_id",
    "place_name",
    "place_type",
    "admin1",
    "admin2",
    "geo_precision",
    "lat",
    "lon",
    "geometry",
    "claimant",
    "claimant_kind",
    "claimant_faction",
    "speaker",
    "subject",
    "type",
    "supports",
    "date_start",
    "date_end",
    "date_precision",
    "date_basis",
    "date_evidence",
    "competes_with",
    "place_note",
    "notes",
)


def _place_columns(gazetteer: Gazetteer, place_id: str, precision: str) -> tuple[Any, ...]:
    """The columns a claim takes from its place, worked out once per place and precision."""
    place = gazetteer[place_id]
    polygon = gazetteer.boundary(place_id) if precision in ("district", "province") else None
    point = Point(place.point.lon, place.point.lat) if place.point else None
    return (
        place.name,
        place.type,
        _admin(place, gazetteer, "province"),
        _admin(place, gazetteer, "district"),
        precision,
        place.point.lat if place.point else None,
        place.point.lon if place.point else None,
        polygon if polygon is not None else point,
    )


def map_faction(frame: pd.DataFrame) -> pd.Series:
    """The map layer of each claim: a control claim goes to the faction whose control it asserts;
    any other claim to its claimant's faction; claims by neither side (outlets, hospitals,
    officials of third parties) to `other`."""
    claimant = frame["claimant_faction"].where(frame["claimant_faction"].isin(FACTIONS))
    return frame["supports"].where(frame["supports"].isin(FACTIONS)).fillna(claimant).fillna("other")


def filter_claims(
    frame: pd.DataFrame,
    *,
    claimant_factions: Iterable[str] | None = None,
    outlets: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    places: Iterable[str] | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> pd.DataFrame:
    """Rows matching every filter given; the date range keeps claims whose date range overlaps
    [start, end]. Factions are `filter_by_faction`'s, the one rule the app and the CLI share."""
    mask = pd.Series(True, index=frame.index)
    if claimant_factions is not None:
        mask &= frame["claimant_faction"].isin(list(claimant_factions))
    if outlets is not None:
        mask &= frame["outlet"].isin(list(outlets))
    if types is not None:
        mask &= frame["type"].isin(list(types))
    if places is not None:
        mask &= frame["place_id"].isin(list(places))
    if start is not None:
        mask &= frame["date_end"] >= str(start)
    if end is not None:
        mask &= frame["date_start"] <= str(end)
    return _rows(frame, mask)


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


def latest_as_of(frame: pd.DataFrame, as_of: str | dt.date) -> pd.DataFrame:
    """The latest claim per place and map layer among claims whose dates end by `as_of`."""
    done = in_time_order(_rows(frame, frame["date_end"] <= str(as_of)))
    return done.drop_duplicates(["place_id", "map_faction"], keep="last")


def in_range(frame: pd.DataFrame, start: str | dt.date, end: str | dt.date) -> pd.DataFrame:
    """Claims whose date range overlaps [start, end]."""
    return _rows(frame, (frame["date_end"] >= str(start)) & (frame["date_start"] <= str(end)))


def status_in_range(frame: pd.DataFrame, start: str | dt.date, end: str | dt.date) -> pd.DataFrame:
    """Per place, the status over a date range: whose control was claimed at any time in it."""
    return _status(in_range(frame, start, end))


def filter_by_faction(frame: pd.DataFrame, factions: Iterable[str], by: str = "layer") -> pd.DataFrame:
    """Claims of the given factions (taliban, nrf, other), matched `by` the map layer (the side the
    claim favours), the claimant's faction or the subject; `other` matches anyone else."""
    column = frame[{"layer": "map_faction", "claimant": "claimant_faction", "subject": "subject"}[by]]
    wanted = set(factions)
    mask = column.isin([f for f in FACTIONS if f in wanted])
    if "other" in wanted:
        mask |= ~column.isin(FACTIONS)
    return _rows(frame, mask)


def per_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Claims per day (by the day their date range ends) and map layer, for the timeline."""
    counts = frame.groupby(["date_end", "map_faction"], observed=True).size().unstack(fill_value=0)
    return counts.reindex(columns=[f for f in LAYERS if f in counts.columns]).rename_axis("date")


def status_as_of(frame: pd.DataFrame, as_of: str | dt.date, window_days: int = STATUS_WINDOW_DAYS) -> pd.DataFrame:
    """Per place: the latest claim for each faction's control as of `as_of`, and a status.

    A claim counts once its date range has ended (a claim dated "earlier this week" is not shown
    before the week's end) and for `window_days` after that. Status:
    `taliban` or `nrf` when only that faction's control is claimed in the window, `contested` when
    both are, `none` when neither is (fighting or attacks alone do not claim control).
    """
    day = dt.date.fromisoformat(str(as_of))
    since = (day - dt.timedelta(days=window_days)).isoformat()
    return _status(frame[(frame["date_end"] <= day.isoformat()) & (frame["date_end"] >= since)])


def _status(live: pd.DataFrame) -> pd.DataFrame:
    latest = (
        in_time_order(live[live["supports"].isin(FACTIONS)])
        .groupby(["place_id", "supports"], observed=True)["claim_id"]
        .last()
        .unstack()
        .reindex(columns=list(FACTIONS))
    )
    out = pd.DataFrame(index=pd.Index(sorted(live["place_id"].unique()), name="place_id"))
    out = out.join(latest.rename(columns=lambda f: f"latest_{f}_claim"))
    has = out[[f"latest_{f}_claim" for f in FACTIONS]].notna()
    out["status"] = "none"
    out.loc[has["latest_taliban_claim"] & ~has["latest_nrf_claim"], "status"] = "taliban"
    out.loc[has["latest_nrf_claim"] & ~has["latest_taliban_claim"], "status"] = "nrf"
    out.loc[has.all(axis=1), "status"] = "contested"
    out["claims"] = live.groupby("place_id", observed=True).size()
    return out


def corroboration(frame: pd.DataFrame) -> pd.DataFrame:
    """How many independent outlets make the same claim (same place, type and subject).

    Outlets are independent by name; a document whose outlet is unknown counts on its own, and
    `unknown_outlets` says how many of the count are such documents (they may share an outlet).
    """
    keyed = frame.assign(_outlet=frame["outlet"].where(frame["outlet_known"], "unknown:" + frame["document"]))
    grouped = keyed.groupby(["place_id", "type", "subject"], observed=True)
    return pd.DataFrame(
        {
            "outlets": grouped["_outlet"].nunique(),
            "unknown_outlets": grouped["_outlet"].agg(lambda s: s[s.str.startswith("unknown:")].nunique()),
            "claims": grouped.size(),
            "claim_ids": grouped["claim_id"].agg(";".join),
        }
    ).sort_values(["outlets", "claims"], ascending=False)


def _corroboration_counts(frame: pd.DataFrame) -> pd.Series:
    counts = corroboration(frame)["outlets"]
    keys = pd.MultiIndex.from_frame(frame[["place_id", "type", "subject"]])
    return pd.Series(counts.reindex(keys).to_numpy(), index=frame.index)
