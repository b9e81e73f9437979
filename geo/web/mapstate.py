"""What a claims map starts from, and what the map in the browser reports back.

A reader zooms, pans and ticks layers in Leaflet; the app reruns (a new day, a filter) and draws
a new map. `MapView` is what that new map must start from, and `read_report` reads it, with the
place clicked, from what streamlit-folium sends. Plain data and parsing, no Streamlit: the
JavaScript half is `geo.web.mapelements.ViewKeeper`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeGuard

from geo.claims.sides import LAYERS
from geo.days import DayError, parse_day
from geo.places.schema import Place

#: The overlays a reader can hide in the layer control, by key: the status shading and the layers.
OVERLAYS: tuple[str, ...] = ("status", *LAYERS)
#: The base layers offered when online tiles are on, by key; the first is the default.
BASES: tuple[str, ...] = ("osm", "topo", "none")
MIN_ZOOM, MAX_ZOOM = 1, 18  # the tiles' range


@dataclass(frozen=True)
class MapView:
    """Where the map looks (`center` as (lat, lon), `zoom`; None: the map's own start), the
    overlays hidden and the base layer shown."""

    center: tuple[float, float] | None = None
    zoom: int | None = None
    hide: tuple[str, ...] = ()
    base: str = BASES[0]

    def as_json(self) -> dict[str, Any]:
        """As `ViewKeeper` reads it: {"center": [lat, lon], "zoom", "base"}. The hidden overlays
        go with the claims layers (`geo.web.mapview.claims_layers`), which are redrawn on every run."""
        return {"center": list(self.center) if self.center else None, "zoom": self.zoom, "base": self.base}


@dataclass(frozen=True)
class Report:
    """What the browser's map said: the tooltip of the last thing clicked (with its click's
    serial number, see `geo.web.mapelements.ClickSerial`), the view it now shows, and the day
    its own day buttons moved it to (`geo.web.mapelements.DaySteps`), if that is what it says,
    with the filters it drew that day with, as link parameters (`filters`)."""

    clicked: str | None
    view: MapView
    day: dt.date | None = None
    filters: str | None = None


def read_report(value: Mapping[str, Any] | None, current: MapView) -> Report:
    """Read streamlit-folium's value: the clicked tooltip, the centre, the zoom and the layers.

    The layers come as `selected_layers`, which the component fills only for WMS layers; the
    map's `ViewKeeper` puts ours there as {"name": key, "url": "shown" | "hidden" | "base"}.
    Anything missing or malformed leaves that part of `current` as it was. A map that has just
    mounted says so (`drawn`, see `ViewKeeper`) with the view the app gave it, to the float:
    `current` stands, so that the run it causes draws the map exactly as before. A `day` (an
    ISO date) is the day the map has moved itself to; the caller checks it lies in its span.

    >>> read_report({"zoom": 11, "center": {"lat": 35.4, "lng": 69.7}}, MapView()).view.zoom
    11
    """
    value = value or {}
    view = current
    if value.get("drawn"):  # a map just mounted, saying it has drawn the view the app gave it
        return Report(None, view)
    day = None
    if isinstance(value.get("day"), str):
        with contextlib.suppress(DayError):  # not a day: no step
            day = parse_day(value["day"])
    zoom = value.get("zoom")
    if isinstance(zoom, int | float) and MIN_ZOOM <= zoom <= MAX_ZOOM:
        view = replace(view, zoom=round(zoom))
    centre = value.get("center")
    if isinstance(centre, Mapping):
        lat, lon = centre.get("lat"), centre.get("lng")
        if valid_centre(lat, lon) and isinstance(lon, int | float):
            view = replace(view, center=(float(lat), float(lon)))
    hidden = list(view.hide)
    for entry in value.get("selected_layers") or []:
        if not isinstance(entry, Mapping):
            continue
        key, state = entry.get("name"), entry.get("url")
        if state == "base" and key in BASES:
            view = replace(view, base=key)
        elif key in OVERLAYS and state == "hidden" and key not in hidden:
            hidden.append(key)
        elif key in OVERLAYS and state == "shown" and key in hidden:
            hidden.remove(key)
    view = replace(view, hide=tuple(k for k in OVERLAYS if k in hidden))
    clicked = value.get("last_object_clicked_tooltip")
    filters = value.get("filters") if day is not None and isinstance(value.get("filters"), str) else None
    return Report(clicked if isinstance(clicked, str) else None, view, day, filters)


def valid_centre(lat: object, lon: object) -> TypeGuard[float]:
    """A finite latitude in [-90, 90] and longitude in [-180, 180] (checked as numbers, not bools)."""
    if isinstance(lat, bool) or isinstance(lon, bool):
        return False
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return False
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def near(a: tuple[float, float], b: tuple[float, float], zoom: int, pixels: float = 2.0) -> bool:
    """Whether two centres (lat, lon) lie within `pixels` of each other on a map at `zoom`."""
    degrees = pixels * 360 / (256 * 2.0**zoom)  # a Web Mercator pixel, in longitude; less in latitude
    return abs(a[0] - b[0]) <= degrees and abs(a[1] - b[1]) <= degrees


#: How close the map comes to a place found by name: a town fills the view, a province fits in it.
FOCUS_ZOOM: dict[str, int] = {"province": 9, "valley": 10, "river": 10, "district": 11}
FOCUS_ZOOM_DEFAULT = 12


def focus(place: Place, view: MapView) -> MapView:
    """`view` moved onto `place`: centred on its point, as close as its type asks; the layers
    stay as the reader chose them. A place with no point leaves the view as it was.

    >>> from geo import load_gazetteer
    >>> focus(load_gazetteer()["bazarak"], MapView(zoom=9)).zoom
    12
    """
    if place.point is None:
        return view
    zoom = FOCUS_ZOOM.get(place.type, FOCUS_ZOOM_DEFAULT)
    return replace(view, center=(place.point.lat, place.point.lon), zoom=zoom)


def move_request(view: MapView, serial: int) -> tuple[tuple[float, float], float] | None:
    """The `center` and `zoom` to give streamlit-folium to move the map to `view`, once.

    The component moves the map only when these differ from the values it was last given, and
    the app gives them only to move the map (a place found by name): handing back what the map
    reported would undo whatever the reader did while the page was rerunning. A move to the same
    place as the last one would not differ, so each request is offset by `serial` billionths of
    a degree and of a zoom level (0.1 mm; Leaflet snaps the zoom to a whole level).

    >>> move_request(MapView(center=(35.0, 69.0), zoom=11), 2)
    ((35.000000002, 69.0), 11.000000002)
    """
    if view.center is None or view.zoom is None:
        return None
    nudge = serial * 1e-9
    return (view.center[0] + nudge, view.center[1]), view.zoom + nudge
