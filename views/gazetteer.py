"""Gazetteer page: resolve any spelling, see why it matched, browse every place and its sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import Gazetteer, GeoError, Resolver, load_gazetteer
from geo.web.assets import install_basemap, install_static
from geo.web.html import escape_markdown
from geo.web.mapview import basemap_files, build_gazetteer_map


@st.cache_resource
def gazetteer() -> Gazetteer:
    gaz = load_gazetteer()
    install_basemap(install_static(Path(__file__).resolve().parent.parent / "static"), basemap_files(gaz))
    return gaz


@st.cache_resource
def resolver() -> Resolver:
    return Resolver(gazetteer())


@st.cache_data
def places_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": p.id,
            "name": p.name,
            "type": p.type,
            "parents": ", ".join(gazetteer()[q].name for q in p.parents),
            "lat": p.point.lat if p.point else None,
            "lon": p.point.lon if p.point else None,
            "coordinate source": p.source.describe() if p.source else f"unpinned: {p.unpinned}",
            "estimate (km)": p.estimate.radius_km if p.estimate else None,
            "variants": ", ".join(v.name for v in p.variants),
            "ambiguity": p.ambiguity or "",
            "out of area": p.out_of_area,
        }
        for p in gazetteer()
    )


st.title("Gazetteer")
try:
    gaz = gazetteer()
except GeoError as err:
    st.error(f"The gazetteer could not be loaded: {escape_markdown(str(err))}")
    st.stop()

name = st.text_input("Resolve a place name", placeholder="any spelling: Pazark, Shattal, Gul Bahar, Panjsher…")
focus = None
if name:
    result = resolver().resolve(name)
    if result.place is None:
        st.warning(escape_markdown(result.explanation))
    else:
        focus = result.place.id
        st.success(escape_markdown(result.explanation))
        st.caption(f"method: {result.method} · score: {result.score:.2f} · id: {result.place.id}")
        if result.ambiguous:
            candidates = [
                {"place": c.place.label(), "id": c.place.id, "matched": c.matched, "score": c.score}
                for c in result.candidates
            ]
            st.dataframe(pd.DataFrame(candidates), hide_index=True)

table = places_table()
types = st.multiselect("Types", sorted(table["type"].unique()))
shown = table[table["type"].isin(types)] if types else table
options = [None, *shown["id"]]
focus = st.selectbox(
    "Show on the map",
    options,
    index=options.index(focus) if focus in options else 0,
    format_func=lambda p: "(all places)" if p is None else gaz[p].label(),
)
st_folium(
    build_gazetteer_map(gaz, places=shown["id"], focus=focus),
    key="gazetteer_map",
    height=420,
    use_container_width=True,
    returned_objects=[],
    render=False,  # it renders the map's scripts itself; rendering the whole page as well doubled the cost
)
st.dataframe(shown, hide_index=True, width="stretch")
