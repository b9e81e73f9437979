"""Derived views of a claim set, as (Geo)DataFrames: the claims table, filters, status, corroboration.

Everything here is vectorised pandas over `claims_frame`, so the app can filter and aggregate on
each rerun without touching files. Dates are ISO strings (YYYY-MM-DD), which sort and compare
as dates and export unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
from shapely import Point

from geo.claims import ClaimSet
from geo.gazetteer import Gazetteer
from geo.places import Place

#: A claim speaks for this many days after its date in the status view. The seeds' claims and
#: denials about the same events lie within two days of each other; three keeps such pairs
#: together without letting a week-old claim outweigh today's.
STATUS_WINDOW_DAYS = 3
FACTIONS = ("taliban", "nrf")
#: Map layers: a claim is drawn in the layer of the side it favours (see `map_faction`).
LAYERS = ("taliban", "nrf", "other")


def _admin(place: Place, gazetteer: Gazetteer, kind: str) -> str | None:
    if place.type == kind:
        return place.name
    for pid in place.parents:
        if gazetteer[pid].type == kind:
            return gazetteer[pid].name
    return None


def claims_frame(claim_set: ClaimSet) -> gpd.GeoDataFrame:
    """One row per claim, in EPSG:4326. Geometry follows the claim's precision: the polygon of a
    district or province where the gazetteer has one, else the place's point; null if unpinned."""
    gaz = claim_set.gazetteer
    vocab = claim_set.vocabulary
    rows = []
    for c in claim_set.claims:
        place = gaz[c.place_id]
        source = claim_set.sources[c.document]
        polygon = gaz.boundary(c.place_id) if c.geo_precision in ("district", "province") else None
        point = Point(place.point.lon, place.point.lat) if place.point else None
        rows.append(
            {
                "claim_id": c.id,
                "document": c.document,
                "outlet": source.outlet,
                "outlet_known": source.outlet_known,
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
                "place_text": c.place_text,
                "place_id": c.place_id,
                "place_name": place.name,
                "place_type": place.type,
                "admin1": _admin(place, gaz, "province"),
                "admin2": _admin(place, gaz, "district"),
                "geo_precision": c.geo_precision,
                "lat": place.point.lat if place.point else None,
                "lon": place.point.lon if place.point else None,
                "claimant": c.claimant.label(),
                "claimant_kind": c.claimant.kind,
                "claimant_faction": c.claimant.faction,
                "speaker": c.claimant.speaker,
                "subject": c.subject,
                "type": c.type,
                "supports": vocab.supports(c),
                "date_start": c.date.start.isoformat(),
                "date_end": c.date.end.isoformat(),
                "date_precision": c.date.precision,
                "date_basis": c.date.basis,
                "date_evidence": c.date.evidence,
                "competes_with": ";".join(c.competes_with),
                "relation_flag": claim_set.flags.get(c.id),
                "place_note": c.place_note,
                "notes": c.notes,
                "geometry": polygon if polygon is not None else point,
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    frame["corroboration"] = _corroboration_counts(frame)
    frame["map_faction"] = map_faction(frame)
    return frame


def map_faction(frame: pd.DataFrame) -> pd.Series:
    """The map layer of each claim: a control claim goes to the faction whose control it asserts;
    any other claim to its claimant's faction; claims by neither side (outlets, hospitals,
    officials of third parties) to `other`."""
    claimant = frame["claimant_faction"].where(frame["claimant_faction"].isin(FACTIONS))
    return frame["supports"].where(frame["supports"].isin(FACTIONS)).fillna(claimant).fillna("other")


def filter_claims(
    frame: pd.DataFrame,
    *,
    factions: Iterable[str] | None = None,
    claimant_factions: Iterable[str] | None = None,
    outlets: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    places: Iterable[str] | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> pd.DataFrame:
    """Rows matching every filter given. `factions` matches the subject or the supported faction;
    the date range keeps claims whose date range overlaps [start, end]."""
    mask = pd.Series(True, index=frame.index)
    if factions is not None:
        wanted = list(factions)
        mask &= frame["subject"].isin(wanted) | frame["supports"].isin(wanted)
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
    return frame[mask]


def latest_as_of(frame: pd.DataFrame, as_of: str | dt.date) -> pd.DataFrame:
    """The latest claim per place and map layer among claims whose dates end by `as_of`."""
    done = frame[frame["date_end"] <= str(as_of)]
    ordered = done.sort_values(["date_end", "date_start", "claim_id"])
    return ordered.groupby(["place_id", "map_faction"], sort=False).tail(1)


def in_range(frame: pd.DataFrame, start: str | dt.date, end: str | dt.date) -> pd.DataFrame:
    """Claims whose date range overlaps [start, end]."""
    return frame[(frame["date_end"] >= str(start)) & (frame["date_start"] <= str(end))]


def status_in_range(frame: pd.DataFrame, start: str | dt.date, end: str | dt.date) -> pd.DataFrame:
    """Per place, the status over a date range: whose control was claimed at any time in it."""
    return _status(in_range(frame, start, end))


def filter_by_faction(frame: pd.DataFrame, factions: Iterable[str], by: str = "layer") -> pd.DataFrame:
    """Claims of the given factions (taliban, nrf, other), matched `by` the map layer (the side the
    claim favours), the claimant's faction or the subject; `other` matches anyone else."""
    column = {"layer": "map_faction", "claimant": "claimant_faction", "subject": "subject"}[by]
    values = frame[column].where(frame[column].isin(FACTIONS), "other")
    return frame[values.isin(list(factions))]


def per_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Claims per day (by the day their date range ends) and map layer, for the timeline."""
    counts = frame.groupby(["date_end", "map_faction"]).size().unstack(fill_value=0)
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
        live[live["supports"].isin(FACTIONS)]
        .sort_values(["date_end", "date_start", "claim_id"])
        .groupby(["place_id", "supports"])["claim_id"]
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
    out["claims"] = live.groupby("place_id").size()
    return out


def corroboration(frame: pd.DataFrame) -> pd.DataFrame:
    """How many independent outlets make the same claim (same place, type and subject).

    Outlets are independent by name; a document whose outlet is unknown counts on its own, and
    `unknown_outlets` says how many of the count are such documents (they may share an outlet).
    """
    keyed = frame.assign(_outlet=frame["outlet"].where(frame["outlet_known"], "unknown:" + frame["document"]))
    grouped = keyed.groupby(["place_id", "type", "subject"])
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
