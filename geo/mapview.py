"""Folium maps of the gazetteer. No Streamlit here: the app only places what this builds.

The basemap is the bundled boundaries (works offline); OpenStreetMap tiles are an optional layer.
Every text that comes from data files goes through `escape_text` before it becomes HTML.
"""

from __future__ import annotations

from html import escape

import folium

from geo.assets import STATIC_URL, use_local_assets
from geo.gazetteer import Gazetteer
from geo.places import Place

PANJSHIR_CENTRE = (35.35, 69.6)  # (lat, lon): the valley and its approaches fill the first view
_TYPE_STYLE: dict[str, tuple[str, int]] = {  # Okabe-Ito colours, distinguishable with colour-blindness
    "city": ("#000000", 7),
    "town": ("#0072B2", 6),
    "village": ("#56B4E9", 5),
    "pass": ("#D55E00", 6),
    "valley": ("#009E73", 6),
    "area": ("#CC79A7", 6),
    "building": ("#E69F00", 5),
    "province": ("#999999", 4),
    "district": ("#999999", 3),
    "country": ("#999999", 4),
}


def escape_text(text: str) -> str:
    """HTML-escape `text`, and turn braces into entities too: Folium renders a popup's HTML and
    then compiles the result as a Jinja template again (folium.map.Popup.render), so a "{{ }}"
    in a source text would otherwise be evaluated."""
    return escape(text).replace("{", "&#123;").replace("}", "&#125;")


def place_popup(place: Place, gazetteer: Gazetteer) -> str:
    """Popup HTML for a place: names, type, parents, the point's source; all of it escaped."""
    parents = ", ".join(gazetteer[p].name for p in place.parents if p in gazetteer.places)
    rows = [
        f"<b>{escape_text(place.name)}</b> ({escape_text(place.type)})",
        f"in {escape_text(parents)}" if parents else "",
        f"variants: {escape_text(', '.join(v.name for v in place.variants))}" if place.variants else "",
        f"source: {escape_text(place.source.describe())}" if place.source else "",
        f"estimate: ±{place.estimate.radius_km:g} km; {escape_text(place.estimate.basis)}" if place.estimate else "",
        f"note: {escape_text(place.ambiguity)}" if place.ambiguity else "",
    ]
    return "<br>".join(r for r in rows if r)


def build_gazetteer_map(
    gazetteer: Gazetteer,
    *,
    tiles: bool = False,
    types: set[str] | None = None,
    asset_base: str = STATIC_URL,
) -> folium.Map:
    """A map of the gazetteer: province and district outlines, a marker per pinned place.

    Leaflet loads from `asset_base` (see `geo.assets`); online tiles only when `tiles` is true.
    """
    fmap = use_local_assets(
        folium.Map(location=PANJSHIR_CENTRE, zoom_start=9, tiles=None, control_scale=True), asset_base
    )
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)").add_to(fmap)
    for layer_name, style in (("provinces", {"weight": 2, "color": "#444"}), ("districts", {"weight": 1})):
        frame = gazetteer.boundaries[layer_name]
        label = "province" if layer_name == "provinces" else "shapeName"
        folium.GeoJson(
            frame[[label, "geometry"]].rename(columns={label: "label"}).reset_index(drop=True),
            name=f"{layer_name.title()} (geoBoundaries)",
            style_function=lambda _f, s=style: {"fillOpacity": 0.03, "color": "#777", **s},
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
            attribution=escape_text(gazetteer.layers[layer_name].attribution),
        ).add_to(fmap)
    group = folium.FeatureGroup(name="Gazetteer places").add_to(fmap)
    for place in gazetteer:
        if place.point is None or place.out_of_area or (types is not None and place.type not in types):
            continue
        colour, radius = _TYPE_STYLE.get(place.type, ("#333333", 4))
        location = (place.point.lat, place.point.lon)
        if place.estimate is not None:
            folium.Circle(
                location, radius=place.estimate.radius_km * 1000, color=colour, weight=1, dash_array="4"
            ).add_to(group)
        folium.CircleMarker(
            location,
            radius=radius,
            color=colour,
            fill=True,
            fill_opacity=0.9,
            tooltip=escape_text(place.label()),
            popup=folium.Popup(place_popup(place, gazetteer), max_width=360),
        ).add_to(group)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap
