"""Leaflet elements for Folium: drawing many things cheaply, and living in a Streamlit page.

Folium makes one Python object, one Jinja template and one block of JavaScript per marker,
polygon, tooltip and popup; a claims map of 200 places cost a second to build and half a second
to render, on every rerun. `DrawnItems` instead carries all a layer's items as one JSON array
and draws them with one short loop in the browser, and `StaticGeoJson` leaves the boundaries in
the app's static files for the browser to fetch and cache.

Each element's browser code is a file of `geo/web/js/` (one concept each, checked by `node
--check` in the tests), which `MapCode` puts into the map's script once; the element's own
template only calls it, with the names of its Leaflet objects and its data.

Text goes into the page as JSON (`script_json`) that no string can end the script with; the
tooltips and popups are HTML that the caller has built with `geo.web.html.escape_text`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from html import escape
from importlib.resources import files
from typing import Any, ClassVar, Literal, TypedDict

import folium
from branca.element import Element
from jinja2 import Template

from geo.web.verbatim import Verbatim, VerbatimMacro

Kind = Literal["marker", "dot", "circle", "shape"]


def script_json(value: object) -> str:
    """`value` as compact UTF-8 JSON for a `<script>`, with no way to end it or open an HTML comment.

    Jinja's `tojson` escapes every `<`, `>`, `&` and `'` as six bytes: the popups' HTML came out
    at about twice its length, and twice again inside streamlit-folium's JSON arguments (1.07 MB
    for one run's map at 100,000 claims). Only `</` and `<!--` can change how a browser reads a
    script, and outside strings JSON has no `<`, so those two are escaped (`\\/` and `\\u0021`,
    both JSON): the result is still JSON, and reads back to `value`."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


class Item(TypedDict, total=False):
    """One thing to draw. `kind` says which: an HTML `marker` (`icon` holds Leaflet divIcon
    options), a `dot` (circleMarker, radius in pixels), a `circle` (radius in metres) or a
    `shape` (the `shapes` geometry named by `shape`). `style` holds Leaflet path options.
    `label`, plain text naming the place, makes the item a keyboard stop (see `DrawnItems`)."""

    kind: Kind
    at: tuple[float, float]
    shape: str
    icon: dict[str, Any]
    style: dict[str, Any]
    tooltip: str
    popup: str
    interactive: bool
    label: str


@cache
def browser_code(name: str) -> str:
    """The text of `geo/web/js/<name>.js`, read once per process (from the wheel when installed)."""
    return files("geo.web").joinpath("js", f"{name}.js").read_text(encoding="utf-8")


class ScriptElement(VerbatimMacro):
    """An element whose browser code is in `geo/web/js/`: `js` names its files; `MapCode` puts
    them into the page, and the element's template only calls them."""

    js: ClassVar[tuple[str, ...]] = ()


class MapCode(ScriptElement):
    """The browser code of every `ScriptElement` on the map, each file once, before the first
    of them calls it; `also`: the elements of layers added to the map later, in the browser
    (streamlit-folium's `feature_group_to_add`, and the map's own day steps).

    Put into the map's script rather than served from the app's static folder as Leaflet is.
    Measured (serve.py, bundled data, 2 cores): in the map's frame streamlit-folium loads its
    `js_links` one after the other before the map's script runs, and Leaflet's took 27 ms on a
    first page, 4-7 ms on each page after (from the browser's cache: Streamlit gives the files no
    lifetime). Served, the code would be one more such wait per new map, a file to install
    under a name per version, and one more to put inside a saved map. Inline it is 31 kB of
    the claims map's script (11 kB deflated over the WebSocket), sent once per new map: the
    script is the same on every run, which Streamlit then sends as a reference. The layers of
    each run only call it: 45 instead of 52 kB (9 instead of 11 deflated) with the code in each.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.mapElements = window.mapElements || {};
        {{ this.code() }}
        {% endmacro %}
        """
    )

    def __init__(self, also: Iterable[type[ScriptElement]] = ()) -> None:
        super().__init__()
        self._name = "MapCode"
        self.also = list(also)

    def code(self) -> str:
        """The files' text, in the order the map's elements (then `also`) first name them."""
        assert self._parent is not None, "add MapCode to the map"
        elements = [type(e) for e in _descendants(self._parent)] + self.also
        names = dict.fromkeys(name for element in elements if issubclass(element, ScriptElement) for name in element.js)
        return "\n".join(browser_code(name) for name in names)


def _descendants(element: Element) -> Iterator[Element]:
    for child in element._children.values():
        yield child
        yield from _descendants(child)


class DrawnItems(ScriptElement):
    """Items drawn into the map's feature groups, with their tooltips and popups.

    Each tooltip is bound to the layer the reader clicks (a polygon's own layer, not a GeoJSON
    group around it), so that streamlit-folium reports it as `last_object_clicked_tooltip`.
    Shapes are given once in `shapes`, by name, and any number of items may use one.

    An item with a `label` is reached by Tab and chosen by Enter or Space, which fire the same
    click a pointer does (popup, and the app's selection through streamlit-folium's handler).
    Leaflet makes markers focusable but opens only their popup on Enter, and leaves paths out;
    the label is the element's accessible name. Items without one (the names on the basemap)
    are no tab stops. Each add to the map makes a new element, so this is done on every add.
    A marker tabbed to is brought into the map; one pressed is not (the map would move under
    the pointer), nor does its popup pan the map (`PageFriendly` places it).
    """

    js = ("drawn-items",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapElements.drawnItems({ {%- for key, group in this.groups.items() %}
            {{ key|tojson }}: {{ group.get_name() }},{% endfor %}
        }, {{ this.items_json }}, {{ this.shapes_json }}, {{ this.popup_width }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        groups: dict[str, folium.FeatureGroup],
        items: list[tuple[str, Item]],
        shapes: dict[str, dict[str, Any]] | None = None,
        popup_width: int = 420,
    ) -> None:
        super().__init__()
        self._name = "DrawnItems"
        unknown = {group for group, _ in items} - set(groups)
        if unknown:
            raise ValueError(f"items name feature groups that were not given: {sorted(unknown)}")
        self.groups = groups
        self.popup_width = popup_width
        # Serialised once here: a map's script is rendered twice (the page and streamlit-folium).
        self.items_json = script_json([{"group": group, **item} for group, item in items])
        self.shapes_json = script_json(shapes or {})


class ClickSerial(ScriptElement):
    """Stamps each click on a claim in what the map reports to streamlit-folium.

    The component sends a click to Python only when what it reports has changed (its
    issue #316): a reader who clicks Bazarak, picks another place in the side panel, then
    clicks Bazarak again would get no answer. The click's time in milliseconds, appended to
    the reported tooltip after every handler has run, makes each click a change, and one the
    app can tell from the last click it acted on, even on a newly mounted map; the map also
    reports when it is only panned, with the old tooltip. `place_from_tooltip` reads the place
    before the stamp. Outside the component (a saved map) nothing is reported, and nothing happens.
    """

    js = ("click-serial",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapElements.clickSerial([{% for group in this.groups %}{{ group.get_name() }}, {% endfor %}]);
        {% endmacro %}
        """
    )

    def __init__(self, groups: Iterable[folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "ClickSerial"
        self.groups = list(groups)


class PageFriendly(ScriptElement):
    """Keeps the map from taking over the page it sits in, on small screens above all.

    Nothing moves under a pointer pressed on the map, or a click would land elsewhere (the
    release on another element fires none). A press never scrolls the page: the map takes the
    focus where it is, so the first click on a map reaching below the fold counts. A popup opens
    without moving the map, on the side of its place where it fits under no control and hides
    the fewest other markers, so the next place aimed at is still there and in sight; never
    wider or taller than the map, its text scrolling inside where no side has room for all of it.

    The wheel zooms the map only once the reader has clicked or tabbed into it, and scrolls the
    page again once the pointer leaves: scrolling down the page past the map no longer zooms it.
    On a touch screen one finger scrolls the page and two pan and zoom the map (Leaflet's pinch
    follows the fingers), as on most news maps.
    """

    js = ("page-friendly", "popup-placement")
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapElements.pageFriendly({{ this._parent.get_name() }});
        mapElements.placePopups({{ this._parent.get_name() }}, {{ this.pad }});
        {% endmacro %}
        """
    )

    def __init__(self, pad: int = 12) -> None:
        """`pad`: pixels of map left clear around a popup, for its shadow and the reader's eye."""
        super().__init__()
        self._name = "PageFriendly"
        self.pad = pad


class ViewKeeper(ScriptElement):
    """Starts the map at the reader's view and reports the layers they tick, so that a rerun
    keeps both (`geo.web.mapstate`).

    The view is read from a `<meta name="map-view">` in the page's header, not written into the
    script: streamlit-folium names its widget by a hash of the script, so a script that changed
    with every pan would remount the map each time. The component applies the header when it
    mounts a map, which is exactly when the view is needed: later runs update the mounted map,
    which keeps its own view. Base layers arrive unadded; this adds the chosen one only, so
    tiles load for that one alone.

    The overlays are the claims layers, which come and go with each run (`ClaimOverlays`
    registers them). The component reports `selected_layers` for WMS layers only, on
    `overlayadd` and `overlayremove`; `window.reportLayers` writes ours there, and a base layer
    change is announced as an `overlayadd` for the component to send them.
    """

    js = ("view-keeper",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapElements.viewKeeper({{ this._parent.get_name() }}, { {%- for key, layer in this.bases.items() %}
            {{ key|tojson }}: {{ layer.get_name() }},{% endfor %}
        }, {{ this.report_drawn|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bases: dict[str, folium.map.Layer], report_drawn: bool = False) -> None:
        """`report_drawn`: the map says when it has drawn (the claims map, whose page waits for it)."""
        super().__init__()
        self._name = "ViewKeeper"
        self.bases = bases
        self.report_drawn = report_drawn


class ClaimOverlays(ScriptElement):
    """Registers a run's claims layers with `ViewKeeper`, hides those the reader hid, and
    carries over what the reader had open.

    The app hands its claims layers to streamlit-folium apart from the map
    (`feature_group_to_add`), which swaps them in the mounted map on every run instead of
    mounting a new one: the reader's zoom stays, and a new day costs the layers alone. A swap
    removes the old layers, closing the popup a click has just opened (the click's own run is a
    swap) and dropping the keyboard focus; both come back on the same place's new layer, found
    by its `DrawnItems` key. A popup the reader closed stays closed. Added to the map's last
    layer, after the others exist.
    """

    js = ("claim-overlays",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapElements.claimOverlays({{ this._parent._parent.get_name() }}, {
            {%- for key, layer in this.overlays.items() %}
            {{ key|tojson }}: {{ layer.get_name() }},{% endfor %}
        }, {{ this.hide|tojson }}, {{ this.steps|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        overlays: dict[str, folium.FeatureGroup],
        hide: Iterable[str] = (),
        steps: dict[str, str] | None = None,
    ) -> None:
        """`steps`: the layers' day, the days around it and where to fetch theirs (`DaySteps`);
        None hides the map's day buttons (a date range, a saved map)."""
        super().__init__()
        self._name = "ClaimOverlays"
        self.overlays = overlays
        self.hide = list(hide)
        self.steps = steps


class DaySteps(ScriptElement):
    """The map's own ◀ Day and Day ▶: the next day's claims drawn at once, the page following.

    A day step by a widget is a run of the whole page, and Streamlit's frontend renders every
    element of it again before the map's new layers are drawn: 0.3 s and more in Chromium on the
    bundled data, twice that at 100,000 claims (bench/README.md). These buttons fetch the day's
    layers from the server instead (`views/layers.py`, computed as the page's run computes them,
    `geo.web.viewlayers`) and give them to streamlit-folium's own render handler, as a run does;
    then they report the day, and the page's run follows (date, panel, table, link) with the same
    layers, which the component leaves alone as unchanged. The day beyond is fetched ahead when
    the pointer or the focus reaches a button, and after each step. If the fetch fails (the app
    run as `streamlit run app.py`, which has no such route), the step is the page's run alone.

    The buttons show only while the layers carry a day (`ClaimOverlays`'s `steps`): as of a date,
    in the app; not for a date range, nor in a saved map, which has no server to ask. The same
    fetch draws a filter changed outside the map, before the page's run (`window.daySteps.filter`,
    which views/filters.py calls from the page).
    """

    js = ("day-steps",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapElements.daySteps(
            {{ this._parent.get_name() }}, {{ this.kept }}, {{ this.overtaken_ms }}, {{ this.redrawn_ms }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, kept: int = 8, overtaken_ms: int = 5000, redrawn_ms: int = 2000) -> None:
        """`kept`: days' layers held in the page at most (at 100,000 claims, about 1 MB each).
        `overtaken_ms`: how long a step is remembered, to tell the page's run for it, arriving
        after a later step's, from a day the reader chose on the page. `redrawn_ms`: how long a
        view the map drew itself is, to tell a late run of it from the reader choosing it again
        on the page (the runs of quick changes came within 1.2 s at 100,000 claims; a reader
        takes longer to go back to a view by the page's own controls)."""
        super().__init__()
        self._name = "DaySteps"
        self.kept = kept
        self.overtaken_ms = overtaken_ms
        self.redrawn_ms = redrawn_ms


def view_meta(view: dict[str, Any]) -> Element:
    """The header element `ViewKeeper` reads the view from."""
    return Verbatim(f'<meta name="map-view" content="{escape(json.dumps(view), quote=True)}">')


class StaticGeoJson(ScriptElement):
    """A GeoJSON layer Leaflet fetches from the app's static files, instead of one embedded in
    every map: the boundaries are most of a map's bytes and never change (see `install_basemap`).

    It arrives after everything else is drawn, so it goes into a pane of its own beneath the
    overlays: otherwise each boundary line would cover the claim outlines along it."""

    js = ("static-geojson",)
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapElements.staticGeoJson({{ this._parent.get_name() }},
            {%- if this.data is not none %} Promise.resolve({{ this.data_json }}),
            {%- else %} fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }),{% endif %}
            {style: {{ this.style|tojson }}, attribution: {{ this.attribution|tojson }}});
        {% endmacro %}
        """
    )

    def __init__(
        self, url: str, style: dict[str, object], attribution: str | None = None, data: dict[str, Any] | None = None
    ) -> None:
        """`data`, when given, is drawn instead of fetching `url`: a map saved as a file has no server."""
        super().__init__()
        self._name = "StaticGeoJson"
        self.url = url
        self.data = data
        self.data_json = script_json(data) if data is not None else None
        self.style = style
        self.attribution = attribution
