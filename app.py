"""Streamlit app: the gazetteer on a map, and a search box that resolves any spelling."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo import Gazetteer, GeoError, Resolver, load_gazetteer
from geo.assets import install_static
from geo.mapview import build_gazetteer_map

st.set_page_config(page_title="Panjshir claims: gazetteer", layout="wide")


@st.cache_resource
def static_assets() -> Path:
    return install_static(Path(__file__).parent / "static")


@st.cache_resource
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@st.cache_resource
def resolver() -> Resolver:
    return Resolver(gazetteer())


st.title("Panjshir 2021: gazetteer")
try:
    static_assets()
    gaz = gazetteer()
except GeoError as err:
    st.error(str(err))
    st.stop()

with st.sidebar:
    name = st.text_input("Resolve a place name", placeholder="e.g. Pazark, Shattal, Gul Bahar")
    types = st.multiselect(
        "Place types", sorted({p.type for p in gaz}), default=["town", "city", "pass", "area", "valley"]
    )
    tiles = st.toggle("Online basemap tiles", value=False, help="Off: boundaries only, works without internet")

if name:
    result = resolver().resolve(name)
    if result.place is None:
        st.warning(result.explanation)
    else:
        st.success(result.explanation)
        st.caption(f"method: {result.method} · score: {result.score:.2f} · id: {result.place.id}")

st_folium(
    build_gazetteer_map(gaz, tiles=tiles, types=set(types)), height=620, use_container_width=True, returned_objects=[]
)
st.dataframe(gaz.frame.drop(columns="geometry"), hide_index=True, width="stretch")
