"""Folium maps of claims and of the gazetteer. No Streamlit here: the app only places what this builds.

The basemap is the bundled boundaries with labels, so maps work offline; OpenStreetMap and
OpenTopoMap tiles are optional base layers. Each faction is one FeatureGroup (the layer control
toggles it), with one marker per place and faction, distinct shapes as well as colours
(Okabe-Ito, safe for colour-blind readers). A claim about a district or province outlines that
polygon instead of pretending to be a pin. Every text from data goes through `escape_text`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import folium
import pandas as pd
import shapely
from branca.element import Element, Figure

from geo.claims.counts import place_counts, place_lines
from geo.claims.sides import LAYERS, SIDE_BY_ID, SIDES, Side
from geo.claims.status import containment
from geo.places.gazetteer import Gazetteer
from geo.places.schema import TYPE_PRIORITY, Place
from geo.web.assets import STATIC_URL, use_local_assets
from geo.web.html import escape_text, summary_popup
from geo.web.mapelements import (
    ClaimOverlays,
    ClickSerial,
    DaySteps,
    DrawnItems,
    Item,
    MapCode,
    PageFriendly,
    ScriptElement,
    StaticGeoJson,
    ViewKeeper,
    view_meta,
)
from geo.web.mapstate import MapView
from geo.web.verbatim import CircleMarker, FeatureGroup, LayerControl, Map, TileLayer, Verbatim

PANJSHIR_CENTRE = (35.35, 69.6)  # (lat, lon): the valley and its approaches fill the first view
START_ZOOM = 9
#: [[south, west], [north, east]] in degrees, (lat, lon) as everywhere in the data.
Bounds = list[list[float]]
#: Pixels kept clear around the places a map opens fitted to (`claims_bounds`): a marker stands
#: beside its point, and the controls sit in the corners.
FIT_PADDING = 40
#: No closer than a town's view (`geo.web.mapstate.FOCUS_ZOOM_DEFAULT`), for claims at one place.
FIT_MAX_ZOOM = 12
#: Status fills, one per status of `geo.claims.status` (the rule is there); `none` is not drawn.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    **{side: (SIDE_BY_ID[side].colour, f"{SIDE_BY_ID[side].label}-claimed") for side in SIDES},
    "contested": ("#CC79A7", "Contested"),
    "fighting": ("#999999", "Fighting reported"),
}
#: Own status is a solid fill; a status a district inherits from its province or valley is a
#: lighter fill with a dashed edge, weaker than a claim about the district itself.
OWN_FILL, INHERITED_FILL = 0.35, 0.12
CONTESTED_RING = STATUS_STYLE["contested"][0]
#: Pixels: a claims popup holds a place's name, counts and status, and covers as little as that needs.
CLAIM_POPUP_WIDTH = 240
#: Short credit on the map; the full attribution is in gazetteer/README.md and layers.yaml.
BOUNDARY_CREDIT = "Boundaries: geoBoundaries (Runfola et al. 2020), public domain"
_SHAPES = {
    "triangle": '<polygon points="11,1 21,19 1,19" fill="{c}" stroke="#fff" stroke-width="1.5"/>',
    "square": '<rect x="2" y="1" width="17" height="17" fill="{c}" stroke="#fff" stroke-width="1.5"/>',
    "circle": '<circle cx="11" cy="10" r="8.5" fill="{c}" stroke="#fff" stroke-width="1.5"/>',
}
#: The online base layers by `geo.web.mapstate.BASES` key: Folium's tile name and the control's label.
_TILES = {
    "osm": ("OpenStreetMap", "OpenStreetMap (online)"),
    "topo": ("OpenTopoMap", "Terrain: OpenTopoMap (online)"),
}
NO_TILES = "No tiles: boundaries only (offline)"
#: Grid, in degrees, the drawn boundaries' coordinates are snapped to (about 11 m).
BASEMAP_GRID = 1e-4


def basemap_files(gazetteer: Gazetteer) -> dict[str, str]:
    """The simplified boundary layers as GeoJSON text, by file name, for the static folder."""
    basemap = _basemap(gazetteer)
    return {f"{layer}.geojson": json.dumps(basemap[layer]) for layer in ("provinces", "districts")}


def shape_svg(faction: str, count: int | None = None) -> str:
    side = SIDE_BY_ID[faction]
    label = (
        f'<text x="11" y="14" font-size="9" text-anchor="middle" fill="#fff" font-family="sans-serif">{count}</text>'
        if count and count > 1
        else ""
    )
    body = _SHAPES[side.shape].format(c=side.colour)
    return f'<svg width="22" height="20" viewBox="0 0 22 20">{body}{label}</svg>'


def tooltip_text(place: Place, faction: str, count: int) -> str:
    """Tooltip of a claim marker; `place_from_tooltip` reads the place back from it on a click."""
    return f"{place.label()} — {SIDE_BY_ID[faction].label}: {count} claim{'s' if count != 1 else ''}"


def place_from_tooltip(tooltip: str | None, gazetteer: Gazetteer) -> str | None:
    """The place id behind a clicked marker's or polygon's tooltip, if any."""
    if not tooltip:
        return None
    label = tooltip.split(" — ")[0].split(": ")[0].strip()
    return _labels(gazetteer).get(label)


@lru_cache(maxsize=4)
def _labels(gazetteer: Gazetteer) -> dict[str, str]:
    return {p.label(): p.id for p in gazetteer}


@lru_cache(maxsize=4)
def _basemap(gazetteer: Gazetteer) -> dict[str, Any]:
    """Simplified boundary GeoJSON and label points, built once: they are most of the map's bytes."""
    out: dict[str, Any] = {}
    for layer, tolerance, column in (("provinces", 0.01, "province"), ("districts", 0.002, "shapeName")):
        frame = gazetteer.boundaries[layer][[column, "geometry"]].rename(columns={column: "label"})
        frame = frame.reset_index(drop=True)
        # Coordinates on a 1e-4 degree grid (~11 m), far below the simplification (~1 km and
        # ~200 m): the served files shrink from 276 to 149 kB (98 to 41 kB gzipped), and the browser parses and
        # draws them again on every new map. The bundled files keep their full precision.
        frame["geometry"] = frame.geometry.simplify(tolerance, preserve_topology=True).set_precision(BASEMAP_GRID)
        out[layer] = frame.__geo_interface__
    out["labels"] = [
        (p.name, p.type, p.point.lat, p.point.lon)
        for p in gazetteer
        if p.type in ("province", "district") and p.point is not None and not p.out_of_area
    ]
    # Claim outlines and status shading: ~500 m simplification and ~11 m coordinates are ample at
    # the scales they are read at, and cut what every map carries by about two thirds.
    out["polygons"] = {
        p.id: shapely.set_precision(polygon.simplify(0.005, preserve_topology=True), BASEMAP_GRID).__geo_interface__
        for p in gazetteer
        if (polygon := gazetteer.boundary(p.id)) is not None
    }
    return out


def _base(
    gazetteer: Gazetteer,
    *,
    tiles: bool,
    asset_base: str,
    location: tuple[float, float] = PANJSHIR_CENTRE,
    zoom: int = START_ZOOM,
    inline: bool = False,
    swapped_in: Iterable[type[ScriptElement]] = (),
) -> tuple[folium.Map, dict[str, folium.map.Layer]]:
    """The map with the boundaries and names, and its base layers by key (none without `tiles`).
    `inline` puts the boundaries in the map instead of the app's static files (a map saved as a file);
    `swapped_in`: the elements of layers the browser will add to it (their code is in the map's).

    The base layers are not added to the map: `ViewKeeper` adds the chosen one, as Leaflet
    loads the tiles of every base layer on the map, shown or not."""
    fmap = use_local_assets(Map(location=location, zoom_start=zoom, tiles=None, control_scale=True), asset_base)
    MapCode(swapped_in).add_to(fmap)  # first: the elements after it call its code
    bases: dict[str, folium.map.Layer] = {}
    if tiles:
        # add_to() is typed as returning a plain Element: each layer is kept before it is added
        for key, (tile, name) in _TILES.items():
            bases[key] = TileLayer(tile, name=name, show=False)
        bases["none"] = FeatureGroup(name=NO_TILES, overlay=False, show=False)
        for base in bases.values():
            base.add_to(fmap)
    basemap = _basemap(gazetteer)
    group = FeatureGroup(name="Boundaries and names", control=False)
    group.add_to(fmap)
    for layer, weight in (("districts", 0.8), ("provinces", 2.0)):
        style = {"color": "#666", "weight": weight, "fillOpacity": 0.0}
        credit = BOUNDARY_CREDIT if layer == "provinces" else None
        data = basemap[layer] if inline else None
        StaticGeoJson(f"{asset_base}/basemap/{layer}.geojson", style, credit, data).add_to(group)
    labels = [("names", _label(name, kind, lat, lon)) for name, kind, lat, lon in basemap["labels"]]
    DrawnItems({"names": group}, labels).add_to(group)
    _header(fmap).add_child(
        Verbatim(
            # Browsers outline a focused SVG path with a black rectangle after a click: a focus
            # ring belongs on keyboard focus only.
            "<style>.leaflet-interactive:focus:not(:focus-visible){outline:none}"
            ".map-label{color:#555;text-align:center;white-space:nowrap;"
            "text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none}"
            ".map-label-province{font-weight:600;color:#333}"
            ".day-steps{display:flex;align-items:center;background:#fff;color:#222;font:12px/1.5 sans-serif}"
            ".day-steps-button{border:0;background:#fff;color:#222;padding:4px 8px;"
            "font:600 12px/1.5 sans-serif;cursor:pointer}"
            ".day-steps-button:hover{background:#f4f4f4}.day-steps-button:disabled{color:#bbb;cursor:default}"
            ".day-steps-date{padding:0 4px;font-variant-numeric:tabular-nums}"
            ".place-summary{font:12px/1.4 sans-serif}.place-summary p{margin:0 0 .5em}"
            ".place-summary p:last-child{margin:0}</style>"
        )
    )
    return fmap, bases


def _header(fmap: folium.Map) -> Element:
    """The page's <head>: a map's root is always a Figure, though folium types it as any Element."""
    root = fmap.get_root()
    assert isinstance(root, Figure)  # folium.Map makes one in its __init__
    return root.header


def _label(name: str, kind: str, lat: float, lon: float) -> Item:
    size = 12 if kind == "province" else 10
    html = f'<div class="map-label map-label-{kind}" style="font-size:{size}px">{escape_text(name)}</div>'
    icon = {"html": html, "iconSize": (120, 14), "iconAnchor": (60, 7), "className": "map-label-icon"}
    return {"kind": "marker", "at": (lat, lon), "interactive": False, "icon": icon}


def claims_bounds(claims: pd.DataFrame, gazetteer: Gazetteer) -> Bounds | None:
    """The south-west and north-east corners, as [lat, lon], of the places the map draws `claims`
    at, by their points (a district's or province's is its label's): the view a map opens at when
    the reader has chosen none, every marker in it and the places as close as that allows. None
    when no claim is drawn at a point.

    >>> from geo import load_gazetteer
    >>> claims = pd.DataFrame({"place_id": ["bazarak", "kabul"], "geo_precision": ["point", "point"]})
    >>> claims_bounds(claims, load_gazetteer())
    [[34.52813, 69.17233], [35.31292, 69.51519]]
    """
    drawn = claims.loc[claims["geo_precision"] != "country", "place_id"].unique()
    points = [(p.lat, p.lon) for pid in drawn if (p := gazetteer[str(pid)].point) is not None]
    if not points:
        return None
    lats, lons = zip(*points, strict=True)
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def claims_base_map(
    gazetteer: Gazetteer,
    *,
    tiles: bool = False,
    asset_base: str = STATIC_URL,
    view: MapView | None = None,
    inline: bool = False,
    fit: Bounds | None = None,
) -> folium.Map:
    """The claims map without its claims: boundaries, names, base layers and the reader's view.

    Its script is the same on every run with the same `tiles`, whatever the day, filters or
    view: the app mounts it once, and streamlit-folium swaps the `claims_layers` in on each run
    (a new script would mount a new map). `view` (centre, zoom, base layer) is in the page's
    header only (see `ViewKeeper`); `inline` carries the boundaries in the map itself. A view
    with no centre opens fitted to `fit` (`claims_bounds`), where given."""
    # `claims_layers` are swapped in by streamlit-folium, or fetched by the map's own day steps.
    layers = (DrawnItems, ClickSerial, ClaimOverlays)
    fmap, bases = _base(gazetteer, tiles=tiles, asset_base=asset_base, inline=inline, swapped_in=layers)
    PageFriendly().add_to(fmap)
    ViewKeeper(bases, report_drawn=True).add_to(fmap)
    if not inline:  # a saved map has no server to fetch another day's claims from
        DaySteps().add_to(fmap)
    view = view or MapView()
    opening = view.as_json()
    if fit is not None and (view.center is None or view.zoom is None):
        opening["fit"] = {"bounds": fit, "padding": FIT_PADDING, "maxZoom": FIT_MAX_ZOOM}
    _header(fmap).add_child(view_meta(opening), name="map_view")
    return fmap


def claims_layers(
    claims: pd.DataFrame,
    status: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    layers: Iterable[str] = LAYERS,
    status_label: str = "",
    selected: str | None = None,
    hide: Iterable[str] = (),
    steps: dict[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """The claims as map layers: `claims` (already filtered) grouped per place and faction
    layer, `status` (a `geo.claims.tables` status table) shading district and province polygons.
    `claims` may be an `index_frame`: the popups hold counts and statuses, no words of a claim.

    One layer for the status, one per faction named in `layers` (a faction turned off is absent),
    and a last one, not in the layer control, that draws them all and rings `selected`; the
    overlays keyed in `hide` start hidden; `steps` gives the map's day buttons their day
    (`geo.web.viewlayers.day_steps`). Country-level claims and claims at places with no point
    are listed by the app, not drawn."""
    polygons = _basemap(gazetteer)["polygons"]
    shown = [f for f in LAYERS if f in set(layers)]
    groups: dict[str, folium.FeatureGroup] = {"status": FeatureGroup(name=f"Claimed status {status_label}".strip())}
    groups |= {f: FeatureGroup(name=f"{SIDE_BY_ID[f].label} claims") for f in shown}
    items = _status_items(status, gazetteer, polygons, status_label)
    items += _claim_items(claims, status, gazetteer, polygons, shown, status_label)
    # Leaflet stacks shapes in the order drawn: provinces first (their status and claim outlines),
    # then districts, then points, so that a click lands on the most specific place under it.
    items.sort(key=lambda i: _stacking(i[1], gazetteer))
    used = {item["shape"] for _, item in items if "shape" in item}
    last = FeatureGroup(name="Selected place", control=False)
    _ring(selected, gazetteer, last)
    shapes = {key: polygons[key] for key in sorted(used)}
    DrawnItems(groups, items, shapes=shapes, popup_width=CLAIM_POPUP_WIDTH).add_to(last)
    ClickSerial(groups.values()).add_to(last)
    ClaimOverlays(groups, hide, steps).add_to(last)
    return [*groups.values(), last]


def build_claims_map(
    claims: pd.DataFrame,
    status: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    layers: Iterable[str] = LAYERS,
    tiles: bool = False,
    status_label: str = "",
    asset_base: str = STATIC_URL,
    view: MapView | None = None,
    inline: bool = False,
    selected: str | None = None,
) -> folium.Map:
    """The claims map in one piece, with its layer control: `claims_base_map` and
    `claims_layers` together, as a saved map (`geo.web.standalone`) carries them."""
    view = view or MapView()
    fit = claims_bounds(claims, gazetteer)
    fmap = claims_base_map(gazetteer, tiles=tiles, asset_base=asset_base, view=view, inline=inline, fit=fit)
    groups = claims_layers(
        claims,
        status,
        gazetteer,
        layers=layers,
        status_label=status_label,
        selected=selected,
        hide=view.hide,
    )
    for group in groups:
        group.add_to(fmap)
    layer_control().add_to(fmap)
    return fmap


def layer_control() -> folium.LayerControl:
    """The maps' layer control, folded: the map is for reading."""
    return LayerControl(collapsed=True)


def _ring(place_id: str | None, gazetteer: Gazetteer, group: folium.FeatureGroup) -> None:
    """A dashed ring around the selected place, if it has a point."""
    point = gazetteer[place_id].point if place_id and place_id in gazetteer.places else None
    if point is None:
        return
    CircleMarker(
        (point.lat, point.lon),
        radius=22,
        color="#000",
        weight=2,
        dash_array="3 3",
        fill=False,
        interactive=False,
        class_name=f"selected-place place-{place_id}",
    ).add_to(group)


def _stacking(item: Item, gazetteer: Gazetteer) -> int:
    if item["kind"] != "shape":
        return 2
    return 0 if gazetteer[item["shape"]].type == "province" else 1


def _status_items(
    status: pd.DataFrame, gazetteer: Gazetteer, polygons: dict[str, Any], label: str
) -> list[tuple[str, Item]]:
    """District and province polygons shaded by their status (`geo.claims.status`).

    A province whose districts are in the boundary data is not filled: its districts carry its
    status (inherited where they have none of their own), so fills never stack into colours the
    legend does not show. Its status is in its tooltip and the side panel."""
    split = containment(gazetteer).districts_of
    items: list[tuple[str, Item]] = []
    for place_id, state, inherited in zip(status.index, status["status"], status["inherited"], strict=True):
        if state not in STATUS_STYLE or place_id not in polygons or place_id in split:
            continue
        colour, text = STATUS_STYLE[state]
        style = {
            "color": colour,
            "weight": 1.5 if inherited else 0,
            "dashArray": "4 4" if inherited else "",
            "fillColor": colour,
            "fillOpacity": INHERITED_FILL if inherited else OWN_FILL,
            "className": f"status-shading status-{state}{' status-inherited' if inherited else ''} place-{place_id}",
        }
        how = " (inherited)" if inherited else ""
        said = f"{gazetteer[place_id].label()}: {text}{how} {label}".strip()
        shade: Item = {"kind": "shape", "shape": place_id, "style": style, "tooltip": escape_text(said), "label": said}
        items.append(("status", shade))
    return items


def _claim_items(
    claims: pd.DataFrame,
    status: pd.DataFrame,
    gazetteer: Gazetteer,
    polygons: dict[str, Any],
    shown: list[str],
    label: str,
) -> list[tuple[str, Item]]:
    """One marker or outline per place and faction, its popup saying what the side panel says of
    its places (`geo.claims.counts.place_lines`): their claims by side and their status.

    Claims about a district or province outline its polygon; others pin their place's point, per
    location, so that places sharing a point (the governor's compound, estimated at Bazarak's)
    give one marker per faction there, not a hidden stack: its number is their claims of that
    faction, and its popup names each place with its own counts, as the panel counts them when
    it is chosen. The work is grouped once for the whole frame, then a loop over the few hundred
    groups, whatever the number of claims.
    """
    drawable = claims[claims["geo_precision"] != "country"]
    drawable = drawable[drawable["map_faction"].isin(shown)]
    points = {p.id: (p.point.lat, p.point.lon) for p in gazetteer if p.point is not None}
    per_place = place_counts(claims)

    def anchor(place_id: str, precision: str) -> str | None:
        if precision in ("district", "province") and place_id in polygons:
            return place_id
        at = points.get(place_id)
        return None if at is None else f"{at[0]},{at[1]}"

    # Claims are grouped by their own columns (categories in an `index_frame`: no hashing of text
    # per claim); the few hundred groups are then merged per anchor in Python.
    groups = drawable.groupby(["place_id", "geo_precision", "map_faction"], sort=False, observed=True)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    place_ids: dict[str, set[str]] = defaultdict(set)
    for (place_id, precision, faction), count in groups.size().items():
        if (key := anchor(place_id, precision)) is not None:
            counts[key, faction] += count
            place_ids[key].add(place_id)

    items: list[tuple[str, Item]] = []
    for (key, faction), count in counts.items():
        places = sorted((gazetteer[p] for p in place_ids[key]), key=lambda p: (TYPE_PRIORITY[p.type], p.id))
        place = places[0]
        lines = [(p.id, p.label(), *place_lines(p.id, per_place, status, label)) for p in places]
        tip = tooltip_text(place, faction, count) + "".join(f"; also {p.label()}" for p in places[1:])
        words: Item = {"tooltip": escape_text(tip), "popup": summary_popup(lines), "label": tip}
        side = SIDE_BY_ID[faction]
        if key in polygons:
            edge = {
                "color": side.colour,
                "weight": 3,
                "dashArray": side.dash,
                "fillOpacity": 0.04,
                "className": f"claim-outline claim-{faction} place-{key}",  # as the pins' claim-marker
            }
            items.append((faction, {"kind": "shape", "shape": key, "style": edge, **words}))
            continue
        at = points[place.id]  # not an outline: anchored at its point
        if any(status["status"].get(p.id) == "contested" for p in places):
            ring = {"radius": 16, "color": CONTESTED_RING, "weight": 3, "fill": False, "interactive": False}
            items.append((faction, {"kind": "dot", "at": at, "style": ring}))
        icon = {
            "html": f'<div class="claim-marker claim-{faction}" data-place="{escape_text(place.id)}">'
            f"{shape_svg(faction, count)}</div>",
            "iconSize": (22, 20),
            "iconAnchor": side.icon_anchor,
            "className": "claim-icon",
        }
        items.append((faction, {"kind": "marker", "at": at, "icon": icon, **words}))
    return items


def legend_html() -> str:
    """Legend for the app, beside the map: every symbol the claims map draws."""

    def swatch(style: str) -> str:
        return f'<span style="display:inline-block;width:14px;height:14px;vertical-align:middle;{style}"></span>'

    def entry(symbol: str, text: str) -> str:
        # Entries flow and wrap: the legend sits in the narrow column beside the map.
        return f'<span style="display:inline-block;margin-right:.8em">{symbol} {escape_text(text)}</span>'

    def outline(side: Side) -> str:
        edge = f"border:3px {'dashed' if side.dash else 'solid'} {side.colour}"
        return entry(swatch(edge), f"{side.label} claim about a district or province")

    markers = [entry(shape_svg(f), f"{SIDE_BY_ID[f].label} claim") for f in LAYERS]
    outlines = [outline(SIDE_BY_ID[f]) for f in LAYERS]
    fills = [
        entry(swatch(f"background:{c};opacity:{OWN_FILL + 0.25}"), f"{t}: its own claims")
        for c, t in STATUS_STYLE.values()
    ]
    inherited = entry(
        swatch(f"background:rgba(204,121,167,{INHERITED_FILL + 0.1});border:1.5px dashed {CONTESTED_RING}"),
        "lighter, dashed: inherited from its province or valley (any status colour)",
    )
    ring = entry(swatch(f"border:3px solid {CONTESTED_RING};border-radius:50%"), "contested town, pass or area")
    rows = [markers, outlines, [*fills, inherited, ring]]
    return "<div class='legend'>" + "<br>".join(" ".join(r) for r in rows) + "</div>"


def place_popup(place: Place, gazetteer: Gazetteer) -> str:
    """Popup HTML for a gazetteer place: names, type, parents, the point's source; all escaped."""
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


_TYPE_STYLE: dict[str, tuple[str, int]] = {
    "city": ("#000000", 7),
    "town": ("#0072B2", 6),
    "village": ("#56B4E9", 5),
    "pass": ("#D55E00", 6),
    "valley": ("#009E73", 6),
    "area": ("#CC79A7", 6),
    "building": ("#E69F00", 5),
}


def build_gazetteer_map(
    gazetteer: Gazetteer,
    *,
    tiles: bool = False,
    types: set[str] | None = None,
    places: Iterable[str] | None = None,
    focus: str | None = None,
    asset_base: str = STATIC_URL,
) -> folium.Map:
    """The gazetteer's pinned places over the boundaries, by type; estimates with their radius.
    With `focus`, the map centres on that place, closer in."""
    point = gazetteer[focus].point if focus and focus in gazetteer.places else None
    location, zoom = ((point.lat, point.lon), 11) if point else (PANJSHIR_CENTRE, START_ZOOM)
    fmap, bases = _base(gazetteer, tiles=tiles, asset_base=asset_base, location=location, zoom=zoom)
    wanted = set(places) if places is not None else None
    group = FeatureGroup(name="Gazetteer places")
    group.add_to(fmap)
    items: list[tuple[str, Item]] = []
    for place in gazetteer:
        if place.point is None or place.out_of_area:
            continue
        if (types is not None and place.type not in types) or (wanted is not None and place.id not in wanted):
            continue
        colour, radius = _TYPE_STYLE.get(place.type, ("#999999", 4))
        at = (place.point.lat, place.point.lon)
        if place.estimate is not None:
            area = {"radius": place.estimate.radius_km * 1000, "color": colour, "weight": 1, "dashArray": "4"}
            area |= {"fill": False, "className": f"estimate estimate-{place.id}"}  # an outline, as in folium
            items.append(("places", {"kind": "circle", "at": at, "style": area}))
        dot = {"radius": radius, "color": colour, "fill": True, "fillOpacity": 0.9}
        dot["className"] = f"place place-{place.id}"
        tip, popup = escape_text(place.label()), place_popup(place, gazetteer)
        item: Item = {"kind": "dot", "at": at, "style": dot, "tooltip": tip, "popup": popup, "label": place.label()}
        items.append(("places", item))
    DrawnItems({"places": group}, items, popup_width=360).add_to(group)
    PageFriendly().add_to(fmap)
    ViewKeeper(bases).add_to(fmap)
    layer_control().add_to(fmap)
    return fmap
