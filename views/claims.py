"""Claims map page: claims by faction, date and source; click a place to read the words.

Wiring and layout only: data comes from `geo` (cached here), filtering is `geo.views`, the map
is `geo.mapview`, the URL state `geo.urlstate`.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo import GeoError
from geo.assets import install_basemap, install_static
from geo.claims import ClaimSet, load_claims
from geo.export import FORMATS, SUFFIXES, export
from geo.html import CARD_CSS, claim_card
from geo.mapview import FACTION_STYLE, basemap_files, build_claims_map, legend_html, place_from_tooltip
from geo.store import Store
from geo.urlstate import ViewState
from geo.views import (
    LAYERS,
    claims_frame,
    filter_by_faction,
    filter_claims,
    in_range,
    latest_as_of,
    per_day,
    status_as_of,
    status_in_range,
)


@st.cache_resource
def bundled() -> ClaimSet:
    """The curated claims and the gazetteer, read from their files once per server start."""
    claim_set = load_claims()
    static = install_static(Path(__file__).resolve().parent.parent / "static")
    install_basemap(static, basemap_files(claim_set.gazetteer))
    return claim_set


@st.cache_resource
def store() -> Store:
    """The store, with the curated claims brought in once per server start."""
    db = Store()
    db.load_curated(bundled())
    return db


@st.cache_resource(max_entries=4)
def claims_at(revision: int) -> tuple[ClaimSet, object]:
    """Claims and their frame as of a store revision: re-read only when the store has changed."""
    claim_set = store().claim_set(bundled().gazetteer, bundled().vocabulary)
    return claim_set, claims_frame(claim_set)


@st.cache_data(max_entries=64)
def export_bytes(revision: int, claim_ids: tuple[str, ...], fmt: str) -> bytes:
    table = claims_at(revision)[1]
    subset = table[table["claim_id"].isin(claim_ids)]
    with tempfile.TemporaryDirectory() as tmp:
        return export(subset, fmt, Path(tmp) / f"claims{SUFFIXES[fmt]}").read_bytes()


try:
    revision = store().revision()
    claim_set, table = claims_at(revision)
except GeoError as err:
    st.error(f"The bundled data could not be loaded: {err}")
    st.stop()

gaz = claim_set.gazetteer
first, last = dt.date.fromisoformat(table["date_start"].min()), dt.date.fromisoformat(table["date_end"].max())
outlets, types = sorted(table["outlet"].unique()), sorted(table["type"].unique())
defaults = ViewState(date=last.isoformat(), start=first.isoformat(), end=last.isoformat())

if "init" not in st.session_state:
    view = ViewState.from_params(st.query_params.to_dict(), defaults)
    st.session_state.update(
        init=True,
        mode=view.mode,
        as_of=dt.date.fromisoformat(view.date),
        span=(dt.date.fromisoformat(view.start), dt.date.fromisoformat(view.end)),
        factions=[f for f in view.factions if f in LAYERS],
        by=view.by,
        outlets=[o for o in (view.outlets or outlets) if o in outlets],
        types=[t for t in (view.types or types) if t in types],
        tiles=view.tiles,
        place=view.place if view.place in gaz.places else None,
        last_click=None,
    )


def step(days: int) -> None:
    st.session_state.as_of = min(max(st.session_state.as_of + dt.timedelta(days=days), first), last)


with st.sidebar:
    st.radio("View", ["as_of", "range"], key="mode", format_func={"as_of": "As of a date", "range": "Date range"}.get)
    if st.session_state.mode == "as_of":
        st.slider("As of", first, last, key="as_of", step=dt.timedelta(days=1), format="YYYY-MM-DD")
        back, forward = st.columns(2)
        back.button("◀ Day", on_click=step, args=(-1,), width="stretch")
        forward.button("Day ▶", on_click=step, args=(1,), width="stretch")
    else:
        st.slider("Dates", first, last, key="span", step=dt.timedelta(days=1), format="YYYY-MM-DD")
    st.multiselect("Factions", list(LAYERS), key="factions", format_func=lambda f: FACTION_STYLE[f]["label"])
    st.radio(
        "Match factions by",
        ["layer", "claimant", "subject"],
        key="by",
        horizontal=True,
        format_func={"layer": "side favoured", "claimant": "claimant", "subject": "subject"}.get,
        help="Side favoured: a control claim counts for the faction whose control it asserts, others for "
        "their claimant. Claimant: who makes the claim. Subject: whom the claim is about.",
    )
    st.multiselect("Outlets", outlets, key="outlets")
    st.multiselect("Claim types", types, key="types", format_func=lambda t: t.replace("_", " "))
    st.toggle("Online basemap tiles", key="tiles", help="Off: bundled boundaries only, works without internet")

s = st.session_state
view = ViewState(
    mode=s.mode,
    date=s.as_of.isoformat(),
    start=s.span[0].isoformat(),
    end=s.span[1].isoformat(),
    factions=tuple(s.factions),
    by=s.by,
    outlets=None if set(s.outlets) == set(outlets) else tuple(s.outlets),
    types=None if set(s.types) == set(types) else tuple(s.types),
    place=s.place,
    tiles=s.tiles,
)

selected = filter_by_faction(filter_claims(table, outlets=s.outlets, types=s.types), s.factions, by=s.by)
if view.mode == "as_of":
    shown, status, label = latest_as_of(selected, s.as_of), status_as_of(selected, s.as_of), f"as of {view.date}"
    listed = selected[selected["date_end"] <= view.date]
else:
    listed = in_range(selected, s.span[0], s.span[1])
    shown, status, label = listed, status_in_range(selected, s.span[0], s.span[1]), f"{view.start} to {view.end}"
layers = s.factions if s.by == "layer" else LAYERS

st.title("Panjshir 2021: who claimed what, where, when")
st.caption(
    f"{len(listed)} claims {label} from {listed['document'].nunique()} "
    f"article{'s' if listed['document'].nunique() != 1 else ''}. "
    "Markers show claims, not facts; each opens its source's words."
)
st.markdown(legend_html() + CARD_CSS, unsafe_allow_html=True)

left, right = st.columns([3, 2])
with left:
    fmap = build_claims_map(shown, status, gaz, layers=layers, tiles=s.tiles, status_label=label, selected=s.place)
    clicked = st_folium(
        fmap, key="claims_map", height=600, use_container_width=True, returned_objects=["last_object_clicked_tooltip"]
    )
    tooltip = (clicked or {}).get("last_object_clicked_tooltip")
    if tooltip and tooltip != s.last_click:
        s.last_click = tooltip
        s.place = place_from_tooltip(tooltip, gaz) or s.place
with right:
    here = sorted(set(listed["place_id"]), key=lambda p: gaz[p].label())
    st.selectbox(
        "Place", [None, *here], key="place", format_func=lambda p: "(click a marker)" if p is None else gaz[p].label()
    )
    if s.place:
        rows = listed[listed["place_id"] == s.place].sort_values(["date_end", "claim_id"], ascending=False)
        state = status["status"].get(s.place, "none") if s.place in status.index else "none"
        st.markdown(f"**{len(rows)} claims** {label}; status: **{state}**")
        columns = dict(zip(("taliban", "nrf"), st.columns(2), strict=True))
        for faction, column in columns.items():
            column.markdown(f"**{FACTION_STYLE[faction]['label']} side**")
        for row in rows.itertuples():
            target = columns.get(row.map_faction, right)
            target.markdown(claim_card(row, claim_set.texts[row.document]), unsafe_allow_html=True)

view = ViewState(**{**view.as_dict(), "place": s.place})
st.query_params.from_dict(view.to_params(defaults))

st.subheader("Claims per day")
timeline = per_day(listed)
if len(timeline):
    st.bar_chart(timeline, color=[FACTION_STYLE[f]["colour"] for f in timeline.columns])
st.subheader("Claims")
columns = ["claim_id", "date_start", "date_end", "place_name", "type", "claimant", "subject", "outlet", "quote"]
TABLE_ROWS = 1000  # beyond this a browser table helps no one; the downloads hold every claim
if len(listed) > TABLE_ROWS:
    st.caption(f"The {TABLE_ROWS:,} latest of {len(listed):,} claims; download the set for all of them.")
st.dataframe(
    listed.sort_values(["date_end", "claim_id"], ascending=False).head(TABLE_ROWS)[columns],
    hide_index=True,
    width="stretch",
)
unmapped = listed[(listed["geo_precision"] == "country") | listed["geometry"].isna()]
if len(unmapped):
    with st.expander(f"{len(unmapped)} claims not drawn on the map (country-wide or unpinned places)"):
        st.dataframe(unmapped[columns], hide_index=True, width="stretch")
ids = tuple(sorted(listed["claim_id"]))
for fmt, column in zip(FORMATS, st.columns(len(FORMATS)), strict=True):
    column.download_button(
        f"Download {fmt.upper()}",
        # Made on click, not on every rerun: exporting 100,000 claims takes seconds.
        data=functools.partial(export_bytes, revision, ids, fmt),
        file_name=f"panjshir-claims{SUFFIXES[fmt]}",
        disabled=not ids,
        on_click="ignore",
        width="stretch",
    )
