"""The data the pages and the server's map-layers route share, loaded once per server start: not a page.

One definition, so one cache: the pages read the same claim set and the same store, an article
added on one is listed on the others without a second load of the curated claims, and the route
that serves a day's map layers (`views/layers.py`) answers from the very tables the claims page drew.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import folium
import pandas as pd
import streamlit as st

from geo import Resolver
from geo.claims.model import ClaimSet, load_claims
from geo.claims.status import in_event_range, in_force, status_table
from geo.claims.tables import index_frame, stored_frame
from geo.store.database import Store
from geo.web.assets import install_basemap, install_static
from geo.web.mapview import basemap_files
from geo.web.urlstate import ViewState
from geo.web.viewlayers import Span, day_steps, default_view, span, view_claims, view_layers

STATIC = Path(__file__).resolve().parent.parent / "static"


@st.cache_resource
def bundled() -> ClaimSet:
    """The curated claims, their sources and the gazetteer; Leaflet and the boundaries put in the
    app's static folder, where the maps fetch them."""
    claim_set = load_claims()
    install_basemap(install_static(STATIC), basemap_files(claim_set.gazetteer))
    return claim_set


@st.cache_resource
def resolver() -> Resolver:
    """The name resolver over the bundled gazetteer: its index is built once per server start."""
    return Resolver(bundled().gazetteer)


@st.cache_resource
def store() -> Store:
    """The store, with the curated claims brought in."""
    db = Store()
    db.load_curated(bundled())
    return db


@st.cache_resource(max_entries=1)
def claims_at(revision: int) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The claims table, its index (see `index_frame`) and the documents' texts as of a store
    revision: re-read only when the store has changed; one revision held, as it may be 100,000 claims."""
    frame, texts = stored_frame(store(), bundled().gazetteer, bundled().vocabulary)
    return frame, index_frame(frame), texts


@st.cache_resource(max_entries=1)
def span_at(revision: int) -> Span:
    """What the claims offer a view (`span`), for each run and each request of the map-layers
    route: 17 ms at 100,000 claims, a sixth of the route's time for a faction changed."""
    return span(claims_at(revision)[1])


@st.cache_resource(max_entries=64)
def status_at(revision: int, mode: str, start: str, end: str, firm: bool) -> pd.DataFrame:
    """The status of every place in a view. It depends on the data and these values alone, so the
    sessions looking at one day share it: it was the largest part of a page run (bench/load.py)."""
    table, index, _ = claims_at(revision)
    live = in_force(index, start, firm=firm) if mode == "as_of" else in_event_range(index, start, end, firm=firm)
    return status_table(live, bundled().gazetteer, details=table)


def view_status(revision: int, view: ViewState) -> pd.DataFrame:
    """`status_at` for a view, keyed alike by the claims page and the map-layers route, so that
    they share one entry per day."""
    if view.mode == "as_of":
        return status_at(revision, "as_of", view.date, view.date, view.firm)
    return status_at(revision, "range", view.start, view.end, view.firm)


def layers_at(revision: int, view: ViewState) -> list[folium.FeatureGroup]:
    """The map's claims layers for a view (`view_layers`), as the claims page's run and the
    map-layers route draw them. Every new session opens on the default view, and building its
    layers was the largest part of its first run (bench/sessions.py); so they are made once per
    revision and view, whatever the map's centre, zoom or base layer, which they do not depend on."""
    return _layers_at(revision, replace(view, center=None, zoom=None, base=ViewState.base, tiles=False, claim=None))


# cache_data, not cache_resource: each caller gets its own copy (unpickled, 0.1 ms for the
# default view), as streamlit-folium attaches the groups it is given to the session's map.
@st.cache_data(max_entries=128, show_spinner=False)
def _layers_at(revision: int, view: ViewState) -> list[folium.FeatureGroup]:
    index = claims_at(revision)[1]
    offer = span_at(revision)
    listed, label = view_claims(index, view)
    steps = day_steps(view, default_view(offer), offer)
    return view_layers(view, listed, label, view_status(revision, view), bundled().gazetteer, steps=steps)
