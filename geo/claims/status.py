"""The status of places: which claims are in force on a day, what status they give each place, and why.

One rule, used by the map's shading and rings, the side panel, the popups, the exports and
`python -m geo status`. Claims are not facts, so a status says what has been *claimed*:

| claims in force at the place                                   | status      |
|----------------------------------------------------------------|-------------|
| control claims of both sides, or any denial                    | contested   |
| one side's control claims, all about unnamed parts of the place | contested   |
| control claims of one side only, one about the whole place     | that side's |
| no control claim or denial, but fighting, attacks, advances... | fighting    |
| none of these (presence, massing, talks, a closed road)        | none        |

A claim is in force from the day it was made public (`made_start`) until `WINDOW_DAYS` after the
later of its event's end and its publication. A district without a status of its own inherits
the status of its province and of the valleys in that province; a province whose own status is
one side's becomes contested when the other side claims, or a denial disputes, one of its
districts. Containment comes from the boundaries (`containment`).

A claim about unnamed parts of its place (`part`: "several areas" of the province) counts at
that place and at the places holding it, never at the places within it: which districts are
meant is not said, so none inherits it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from shapely import Point

from geo.claims.sides import LAYERS, NEITHER, SIDE_BY_ID, SIDES
from geo.places.gazetteer import Gazetteer

#: A claim stays in force this many days after its event's end and its publication. Claims and the
#: denials that answer them lie within two days of each other in the seeds; three keeps such pairs
#: together without letting a week-old claim outweigh today's.
WINDOW_DAYS = 3
#: Which claim effects decide each status, for the claims a status is explained by.
_DECIDED_BY = {
    "contested": ("control", "denial"),
    **{side: ("control",) for side in SIDES},
    "fighting": ("fighting",),
}
STATUS_LABELS = {
    **{side: f"{SIDE_BY_ID[side].label}-claimed" for side in SIDES},
    "contested": "contested",
    "fighting": "fighting reported",
    "none": "no status",
}


def in_force_until(made_end: pd.Series, date_end: pd.Series, window_days: int = WINDOW_DAYS) -> pd.Series:
    """The last day each claim is in force (ISO strings, as the claims table keeps dates)."""
    # Element-wise maximum on whole arrays: `Series.combine` called Python's max once per claim.
    last = np.maximum(pd.to_datetime(made_end.astype(str)).to_numpy(), pd.to_datetime(date_end.astype(str)).to_numpy())
    return pd.Series(last + np.timedelta64(window_days, "D"), index=made_end.index).dt.strftime("%Y-%m-%d")


def in_force(frame: pd.DataFrame, day: str | dt.date, *, firm: bool = False) -> pd.DataFrame:
    """Claims in force on `day`: public by then and not yet lapsed. `firm` leaves out claims the
    text itself hedges as unconfirmed or a rumour."""
    day = str(day)
    mask = (frame["made_start"] <= day) & (frame["in_force_until"] >= day)
    if firm:
        mask &= ~frame["weak"].astype(bool)
    return frame[mask]


def in_event_range(
    frame: pd.DataFrame, start: str | dt.date, end: str | dt.date, *, firm: bool = False
) -> pd.DataFrame:
    """Claims whose event dates overlap [start, end], for the range view: listed, and shaded."""
    mask = (frame["date_end"] >= str(start)) & (frame["date_start"] <= str(end))
    if firm:
        mask &= ~frame["weak"].astype(bool)
    return frame if mask.all() else frame[mask]


@dataclass(frozen=True)
class Containment:
    """Which districts lie in which province, and which provinces hold each valley or river."""

    province_of: dict[str, str]  # district -> province
    districts_of: dict[str, tuple[str, ...]]  # province -> districts
    region_province: dict[str, str]  # valley/river/range with a point -> province holding it


@lru_cache(maxsize=4)
def containment(gazetteer: Gazetteer) -> Containment:
    """From the boundaries: a district belongs to the province holding its representative point,
    a region to the province holding its point. The gazetteer's `parents` are not trusted for this."""
    provinces = {p.id: gazetteer.boundary(p.id) for p in gazetteer if p.type == "province" and p.boundary is not None}

    def holder(point: object) -> str | None:
        return next((pid for pid, poly in provinces.items() if poly is not None and poly.covers(point)), None)

    province_of: dict[str, str] = {}
    region_province: dict[str, str] = {}
    for place in gazetteer:
        if place.type == "district" and place.boundary is not None:
            shape = gazetteer.boundary(place.id)
            if shape is not None and (pid := holder(shape.representative_point())) is not None:
                province_of[place.id] = pid
        elif place.type in ("valley", "river", "range") and place.point is not None:
            pid = holder(Point(place.point.lon, place.point.lat))
            if pid is not None:
                region_province[place.id] = pid
    districts_of: dict[str, list[str]] = {}
    for district, province in sorted(province_of.items()):
        districts_of.setdefault(province, []).append(district)
    return Containment(province_of, {k: tuple(v) for k, v in districts_of.items()}, region_province)


@dataclass(frozen=True)
class PlaceStatus:
    """A place's status and the claims that give it. `inherited_from` names the places a district
    took it from when it has none of its own; `claims` are then theirs. `in_part` says a place is
    contested only because one side claims unnamed parts of it, which the why line must say, as
    no other side is there to name."""

    place_id: str
    status: str
    claims: tuple[str, ...]
    inherited_from: tuple[str, ...] = ()
    in_part: bool = False


def _own(live: pd.DataFrame, key: pd.Series) -> dict[str, tuple[str, tuple[str, ...], bool]]:
    """The status rule (module docstring) over the claims in force grouped by `key` (a place id
    per claim), with the claims deciding each status and whether it is contested only by one
    side's claims to parts of the place; `none` statuses are left out.

    Vectorised: the app works this out on every rerun, over up to 100,000 claims."""
    if live.empty:
        return {}
    # Columns compared as they come (categories in the app's index): a conversion to text per
    # rerun cost more than the rule itself at 100,000 claims.
    effect, supports = live["effect"], live["supports"]
    whole = live["part"].isna().to_numpy()
    control = {side: ((effect == "control") & (supports == side)).to_numpy() for side in SIDES}
    flags = pd.DataFrame(
        {
            "key": np.asarray(key, dtype=object),
            **control,
            "whole": np.logical_or.reduce([control[side] & whole for side in SIDES]),
            "denial": (effect == "denial").to_numpy(),
            "fighting": (effect == "fighting").to_numpy(),
        }
    )
    sides = list(SIDES)
    has = flags.groupby("key", sort=True)[[*sides, "whole", "denial", "fighting"]].any()
    # A claim to parts of a place says, in its own words, that the place is divided: with no
    # claim of the same side to the whole of it, the place is contested.
    in_part = has[sides].any(axis=1) & ~has["whole"] & ~has[sides].all(axis=1) & ~has["denial"]
    status = pd.Series(
        np.select(
            [has[sides].all(axis=1) | has["denial"] | in_part, *(has[side] for side in sides), has["fighting"]],
            ["contested", *sides, "fighting"],
            "none",
        ),
        index=has.index,
    )
    per_claim = status.reindex(flags["key"]).to_numpy()
    deciding = (
        ((per_claim == "contested") & (flags[sides].any(axis=1) | flags["denial"]))
        | (np.isin(per_claim, sides) & flags[sides].any(axis=1))
        | ((per_claim == "fighting") & flags["fighting"])
    ).to_numpy()
    chosen = pd.DataFrame(
        {"key": flags["key"].to_numpy()[deciding], "id": np.asarray(live["claim_id"], dtype=object)[deciding]},
        dtype=object,
    )
    chosen = chosen.drop_duplicates().sort_values(["key", "id"])
    keys, ids = chosen["key"].to_numpy(), chosen["id"].to_numpy()
    starts: list[int] = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]).tolist() if len(keys) else []
    ends = [*starts[1:], len(keys)] if len(keys) else []
    by_key = {keys[a]: tuple(ids[a:b]) for a, b in zip(starts, ends, strict=True)}
    return {k: (v, by_key[k], bool(in_part[k])) for k, v in status.items() if v != "none"}


def _with_denied_places(live: pd.DataFrame) -> pd.DataFrame:
    """The columns of `live` that `statuses` reads, plus a copy of each denial at every other place
    whose claims it denies."""
    if "denies_at" not in live.columns:
        return live
    reaching = live[live["denies_at"].notna() & (live["denies_at"] != "")]
    if reaching.empty:
        return live
    # Only the columns the status rule reads: copying every column of `live` once per rerun cost
    # more than the rule itself at the seeds' size (bench/load.py).
    columns = ["place_id", "claim_id", "effect", "supports", "part"]
    extra = reaching[columns].assign(place_id=reaching["denies_at"].astype(str).str.split(";")).explode("place_id")
    return pd.concat([live[columns].assign(place_id=live["place_id"].astype(object)), extra], ignore_index=True)


def statuses(live: pd.DataFrame, gazetteer: Gazetteer) -> dict[str, PlaceStatus]:
    """The status of every place that has one, from the claims in force (`in_force`) or in a range.

    Places with claims get their own status; districts with none of their own inherit from their
    province and its valleys (a province with none of its own, from its valleys), but not their
    claims to unnamed parts; a one-sided province whose districts the other side claims, or a
    denial disputes, is contested.
    """
    tree = containment(gazetteer)
    live = _with_denied_places(live)
    place = live["place_id"]  # categories in the app's index: `map` then maps each place once
    out = {pid: PlaceStatus(pid, status, ids, (), part) for pid, (status, ids, part) in _own(live, place).items()}
    # Upward: a district claimed by the other side, or disputed, makes a one-sided province contested.
    in_province = place.map(tree.province_of)
    disputes = live[in_province.notna().to_numpy() & live["effect"].isin(("control", "denial")).to_numpy()]
    for province, rows in disputes.groupby(np.asarray(in_province[disputes.index], dtype=object), sort=True):
        own = out.get(str(province))
        if own is None or own.status not in SIDES:
            continue
        against = rows[(rows["effect"] == "denial") | (rows["supports"] != own.status)]
        if len(against):
            ids = tuple(sorted({*own.claims, *against["claim_id"].astype(str)}))
            out[own.place_id] = PlaceStatus(own.place_id, "contested", ids)
    # Downward: a province's claims and its valleys' reach the districts with no status of their own,
    # except claims to unnamed parts ("several areas" of the province), which name no district.
    scope = place.map(lambda p: p if p in tree.districts_of else tree.region_province.get(p))
    scoped = (scope.notna() & live["part"].isna()).to_numpy()
    sources = (
        live[scoped]
        .groupby(np.asarray(scope[scoped], dtype=object), sort=True, observed=True)["place_id"]
        .agg(lambda p: tuple(sorted(set(map(str, p)))))
    )
    for province, (status, ids, _) in _own(live[scoped], scope[scoped]).items():
        for district in tree.districts_of[province]:
            if district not in out:
                out[district] = PlaceStatus(district, status, ids, sources[province])
    # A province with no status of its own takes its valleys', parts of a valley being parts of it.
    valleys = place.map(tree.region_province)
    in_valley = valleys.notna().to_numpy()
    for province, (status, ids, part) in _own(live[in_valley], valleys[in_valley]).items():
        if province not in out:
            names = tuple(sorted({str(p) for p in live.loc[(valleys == province).to_numpy(), "place_id"]}))
            out[province] = PlaceStatus(province, status, ids, names, part)
    return out


#: A why line names at most this many claims per side, newest first, and counts the rest: at
#: 100,000 claims a busy place has thousands behind its colour.
WHY_PER_SIDE = 4


def status_table(live: pd.DataFrame, gazetteer: Gazetteer, details: pd.DataFrame | None = None) -> pd.DataFrame:
    """`statuses` as a table indexed by place id, with a `why` line per place (`explain`).

    `details` holds the columns the why lines name (claimant...) when `live` is a narrow index
    of the claims labelled as `details` is. Only the claims a why line names are looked up there,
    chosen for all places at once, so a rerun's cost follows the places, not the claims."""
    found = statuses(live, gazetteer)
    # Districts inheriting one province share one tuple of claims: pick its claims to name once.
    groups: dict[int, tuple[str, ...]] = {id(s.claims): s.claims for s in found.values()}
    pairs = pd.DataFrame(
        [(key, c) for key, claims in groups.items() for c in claims], columns=["group", "claim_id"], dtype=object
    )
    wanted = {c for claims in groups.values() for c in claims}
    ids = np.asarray(live["claim_id"], dtype=object)
    keep = np.fromiter((c in wanted for c in ids), dtype=bool, count=len(ids))  # a set beats pandas' isin on text
    kept = live[keep]
    sides = pd.DataFrame(
        {
            "claim_id": ids[keep],
            "side": np.where(
                kept["map_faction"].isin(SIDES), np.asarray(kept["map_faction"], dtype=object), NEITHER.id
            ),
            "made": np.asarray(kept["made_start"], dtype=object),
            "label": kept.index,
        }
    ).drop_duplicates("claim_id")
    named = pairs.merge(sides, on="claim_id").sort_values(["made", "claim_id"], ascending=False)
    rank = named.groupby(["group", "side"], sort=False).cumcount()
    counts = named.groupby(["group", "side"]).size().to_dict()
    shown = named[rank < WHY_PER_SIDE]
    rows = (details if details is not None else live).loc[shown["label"].unique()]
    by_id = {r.claim_id: r for r in rows.drop_duplicates("claim_id").itertuples()}
    picked: dict[int, list[str]] = {}
    for group, claim_id in zip(shown["group"], shown["claim_id"], strict=True):
        picked.setdefault(group, []).append(claim_id)
    records = [
        {
            "place_id": s.place_id,
            "status": s.status,
            "inherited": bool(s.inherited_from),
            "inherited_from": ";".join(s.inherited_from),
            "claims": ";".join(s.claims),
            "why": explain(
                s,
                [by_id[c] for c in picked.get(id(s.claims), ())],
                {side: n for (group, side), n in counts.items() if group == id(s.claims)},
                gazetteer,
            ),
        }
        for s in found.values()
    ]
    columns = ["place_id", "status", "inherited", "inherited_from", "claims", "why"]
    return pd.DataFrame.from_records(records, columns=columns).set_index("place_id").sort_index()


def explain(status: PlaceStatus, rows: list[Any], counts: dict[str, int], gazetteer: Gazetteer) -> str:
    """One line a reader can check against the claims: "contested: Taliban captured s001-03
    (public 2021-09-06, Zabihullah Mujahid (taliban)) vs NRF denies s001-08 (...)". `rows` are the
    claims table's rows of the claims to name, newest first; `counts` how many claims each side
    has, so that the line says how many it leaves out."""
    head = STATUS_LABELS[status.status]
    if status.in_part:
        head += ", one side claiming unnamed parts of it"
    if status.inherited_from:
        names = ", ".join(f"{gazetteer[p].name} ({gazetteer[p].type})" for p in status.inherited_from)
        head += f", inherited from {names}"
    parts: dict[str, list[str]] = {layer: [] for layer in LAYERS}
    for row in rows:
        side = row.map_faction if row.map_faction in SIDES else NEITHER.id
        label = SIDE_BY_ID[side].label if side in SIDES else ""
        made = row.made_start if row.made_start == row.made_end else f"{row.made_start}–{row.made_end}"
        where = (
            "" if row.place_id in (status.place_id, *status.inherited_from) else f" at {gazetteer[row.place_id].name}"
        )
        hedge = f", {row.hedge}" if getattr(row, "hedge", "none") != "none" else ""
        part = f' "{row.part}"' if isinstance(getattr(row, "part", None), str) else ""
        parts[side].append(
            f"{label + ' ' if label else ''}{str(row.type).replace('_', ' ')}{part}{where} {row.claim_id} "
            f"(public {made}, {row.claimant}{hedge})"
        )
    for side, named in parts.items():
        if (more := counts.get(side, 0) - len(named)) > 0:
            named.append(
                f"{more} more {SIDE_BY_ID[side].label if side in SIDES else 'other'} claim{'s' if more != 1 else ''}"
            )
    named_sides = [" and ".join(parts[s]) for s in LAYERS if parts[s]]
    return f"{head}: " + " vs ".join(named_sides) if named_sides else head
