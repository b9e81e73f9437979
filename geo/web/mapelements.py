"""Leaflet elements for Folium: drawing many things cheaply, and living in a Streamlit page.

Folium makes one Python object, one Jinja template and one block of JavaScript per marker,
polygon, tooltip and popup; a claims map of 200 places cost a second to build and half a second
to render, on every rerun. `DrawnItems` instead carries all a layer's items as one JSON array
and draws them with one short loop in the browser, and `StaticGeoJson` leaves the boundaries in
the app's static files for the browser to fetch and cache.

Text goes into the page as JSON (`script_json`) that no string can end the script with; the
tooltips and popups are HTML that the caller has built with `geo.web.html.escape_text`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from typing import Any, Literal, TypedDict

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


class DrawnItems(VerbatimMacro):
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

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var shapes = {{ this.shapes_json }};
            var groups = { {%- for key, group in this.groups.items() %}
                {{ key|tojson }}: {{ group.get_name() }},{% endfor %}
            };
            var make = {
                marker: function (d) {  // its focus pans the map only from the keyboard: see `keyable`
                    return L.marker(d.at, {icon: L.divIcon(d.icon), interactive: d.interactive !== false,
                                           keyboard: Boolean(d.label), autoPanOnFocus: false});
                },
                dot: function (d) { return L.circleMarker(d.at, d.style); },
                circle: function (d) { return L.circle(d.at, d.style); },
                shape: function (d) { return L.GeoJSON.geometryToLayer(shapes[d.shape]).setStyle(d.style); }
            };
            {{ this.items_json }}.forEach(function (d) {
                var layer = make[d.kind](d);
                // The same place and layer have the same key on every run: see `ClaimOverlays`.
                layer.itemKey = [d.group, d.kind, d.shape || d.at].join("|");
                if (d.tooltip) { layer.bindTooltip(d.tooltip, {sticky: true}); }
                // No autoPan: `PageFriendly` opens the popup where it fits, the map staying still.
                if (d.popup) { layer.bindPopup(d.popup, {maxWidth: {{ this.popup_width }}, autoPan: false}); }
                if (d.label) { layer.on("add", function () { keyable(layer, d.label, layer.itemKey); }); }
                layer.addTo(groups[d.group]);
            });
            function keyable(layer, label, key) {
                var element = layer.getElement();
                if (!element) { return; }
                element.setAttribute("data-item-key", key);
                element.setAttribute("tabindex", "0");
                element.setAttribute("role", "button");
                element.setAttribute("aria-label", label);
                L.DomEvent.on(element, "keydown", function (e) {
                    if (e.key !== "Enter" && e.key !== " ") { return; }
                    L.DomEvent.preventDefault(e);  // no page scroll on Space, no marker keypress after
                    var at = layer.getLatLng ? layer.getLatLng() : layer.getCenter();
                    layer.fire("click", {latlng: at, originalEvent: e}, true);
                });
                if (!(layer instanceof L.Marker)) { return; }
                // Leaflet pans a marker that takes the focus whole into the map, and a press
                // focuses it: a marker at the map's edge moved under the pointer. Tabbed to, it
                // still comes into view (only the keyboard's focus is :focus-visible).
                L.DomEvent.on(element, "focus", function () {
                    if (!element.matches(":focus-visible") || !layer._map) { return; }
                    var icon = layer.options.icon.options, anchor = L.point(icon.iconAnchor);
                    layer._map.panInside(layer.getLatLng(), {
                        paddingTopLeft: anchor, paddingBottomRight: L.point(icon.iconSize).subtract(anchor)
                    });
                });
            }
        })();
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


class ClickSerial(VerbatimMacro):
    """Stamps each click on a claim in what the map reports to streamlit-folium.

    The component sends a click to Python only when what it reports has changed (its
    issue #316): a reader who clicks Bazarak, picks another place in the side panel, then
    clicks Bazarak again would get no answer. The click's time in milliseconds, appended to
    the reported tooltip after every handler has run, makes each click a change, and one the
    app can tell from the last click it acted on, even on a newly mounted map; the map also
    reports when it is only panned, with the old tooltip. `place_from_tooltip` reads the place
    before the stamp. Outside the component (a saved map) nothing is reported, and nothing happens.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            [{% for group in this.groups %}{{ group.get_name() }}, {% endfor %}].forEach(function (group) {
                group.on("click", function () {
                    // On the window: the layers, and this script, are replaced on every run.
                    var serial = window.claimClickSerial = Math.max(Date.now(), (window.claimClickSerial || 0) + 1);
                    setTimeout(function () {  // after the component's own click handlers
                        var reported = window.__GLOBAL_DATA__;
                        if (reported && reported.last_object_clicked_tooltip) {
                            reported.last_object_clicked_tooltip += " #" + serial;
                        }
                    }, 0);
                });
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, groups: Iterable[folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "ClickSerial"
        self.groups = list(groups)


class PageFriendly(VerbatimMacro):
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

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var wheel = map.scrollWheelZoom, container = map.getContainer(), keyboard = map.keyboard;
            // Leaflet focuses the map on a press, for its arrow keys, and the browser scrolls what
            // takes the focus into view, in the page around this frame too (Leaflet puts back
            // this frame's scroll only): a map reaching below the fold moved up under the pointer,
            // and the release, on another element, made no click. The handler is bound when the
            // map is made, so it is taken off and put back with one that focuses in place.
            if (keyboard && keyboard.enabled()) {
                keyboard.disable();
                keyboard._onMouseDown = function () {
                    if (!this._focused) { container.focus({preventScroll: true}); }
                };
                keyboard.enable();
            }
            wheel.disable();
            // Focus on the map or anything in it (a marker clicked or tabbed to) counts as in.
            L.DomEvent.on(container, "focusin mousedown", function () { wheel.enable(); });
            L.DomEvent.on(container, "focusout", function (e) {
                if (!container.contains(e.relatedTarget)) { wheel.disable(); }
            });
            L.DomEvent.on(container, "mouseleave", function () { wheel.disable(); });
            if (L.Browser.touch && window.matchMedia("(pointer: coarse)").matches) {
                map.dragging.disable();
            }
            // A popup opens where it fits in the map, which stays where it is (`DrawnItems` turns
            // Leaflet's autoPan off: the map moved under the pointer, carrying away the next place
            // aimed at). Of the sides of its place where it fits whole, the one where the fewest of
            // the map's controls sit over it (they hid its close button, or its text), then where
            // it hides the fewest other markers, above first as Leaflet has it; shifted along that
            // side to stay in the map and clear of the controls, its tip on the place. Where it
            // fits nowhere, the side with the most room, its text scrolling inside. `gap`: from
            // the place to the popup's edge, the length of its tip.
            var pad = {{ this.pad }}, gap = 13, inset = 26, sides = ["above", "below", "right", "left"];
            var narrowest = 200;  // pixels: a popup beside its place, no narrower, or it is no candidate
            // A run's swap opens the popup a click opened again, on its place's new layer, before
            // the new layer control is in: it stays where it was, placed by the controls it was
            // placed by, on the side it took where it still fits.
            var kept = {here: null, side: null, controls: []};
            map.on("popupopen", function (e) { fit(e.popup); });
            // A popup's box, `width` by `height`, on `side` of the point `at`, in the map's pixels:
            // centred on the point, or slid along that side off the `controls`, as far as its tip
            // (`inset` from its ends, off its rounded corners) still reaches the point.
            function spot(side, at, width, height, size, controls) {
                var tall = side === "above" || side === "below";
                var room = {above: at.y - gap - pad, below: size.y - pad - at.y - gap,
                            left: at.x - gap - pad, right: size.x - pad - at.x - gap}[side];
                var shown = Math.min(height, tall ? room : size.y - 2 * pad);
                var along = function (v, low, high) { return Math.max(Math.min(v, high), low); };
                var place = {
                    side: side, width: width, height: shown, fits: shown === height && (tall || width <= room),
                    left: tall ? along(at.x - width / 2, pad, size.x - pad - width)
                        : side === "left" ? at.x - gap - width : at.x + gap,
                    top: !tall ? along(at.y - shown / 2, pad, size.y - pad - shown)
                        : side === "above" ? at.y - gap - shown : at.y + gap
                };
                var axis = tall ? "left" : "top", extent = tall ? width : shown, point = tall ? at.x : at.y;
                var low = Math.max(pad, point + inset - extent);
                var high = Math.min((tall ? size.x : size.y) - pad - extent, point - inset);
                var centred = place[axis], tries = [centred];
                controls.forEach(function (c) {
                    tries.push(tall ? c.right + pad : c.bottom + pad, (tall ? c.left : c.top) - pad - extent);
                });
                tries = tries.filter(function (v) { return v === centred || (v >= low && v <= high); });
                tries.sort(function (a, b) { return Math.abs(a - centred) - Math.abs(b - centred); });
                for (var i = 0; i < tries.length; i++) {
                    place[axis] = tries[i];
                    if (under(place, controls) === 0) { return place; }
                }
                place[axis] = centred;
                return place;
            }
            function under(place, controls) {  // how many of the `controls` sit over the popup's box
                return controls.filter(function (c) {
                    return c.right > place.left && c.left < place.left + place.width
                        && c.bottom > place.top && c.top < place.top + place.height;
                }).length;
            }
            function first(a, b) {  // whether the rank `a` comes before `b`
                for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return a[i] < b[i]; } }
                return false;
            }
            function fit(popup) {
                var options = popup.options, size = map.getSize(), at = map.latLngToContainerPoint(popup.getLatLng());
                var here = [popup._source && popup._source.itemKey, at.x, at.y, size.x, size.y].join();
                var box = popup.getElement(), text = box.querySelector(".leaflet-popup-content");
                var tip = box.querySelector(".leaflet-popup-tip-container"), frame = container.getBoundingClientRect();
                function layout(width, height) {  // the popup laid out at most this wide, its text this tall
                    options.maxWidth = width;
                    options.maxHeight = height;
                    popup.update();
                    return [box.offsetWidth, box.offsetHeight];
                }
                options.full = options.full || options.maxWidth;
                layout(options.full, null);
                var edge = box.offsetWidth - text.offsetWidth, rim = box.offsetHeight - text.offsetHeight;
                var marks = [];  // the other markers in view, by their middles
                map.eachLayer(function (layer) {
                    var shown = layer instanceof L.Marker && layer !== popup._source && layer.options.interactive;
                    var element = shown && layer.getElement();
                    if (!element) { return; }
                    var r = element.getBoundingClientRect(), x = (r.left + r.right) / 2 - frame.left;
                    var y = (r.top + r.bottom) / 2 - frame.top;
                    if (x >= 0 && y >= 0 && x <= size.x && y <= size.y) { marks.push([x, y]); }
                });
                // The map's controls (zoom, days, layers, scale, credits), which sit over popups.
                var controls = here === kept.here ? kept.controls
                    : Array.from(container.querySelectorAll(".leaflet-control")).map(function (c) {
                        var r = c.getBoundingClientRect();
                        return {left: r.left - frame.left, right: r.right - frame.left, top: r.top - frame.top,
                                bottom: r.bottom - frame.top};
                    });
                var best = null;
                sides.forEach(function (side, order) {
                    var tall = side === "above" || side === "below";
                    var room = tall ? size.x - 2 * pad : (side === "left" ? at.x : size.x - at.x) - gap - pad;
                    // Leaflet makes the text a pixel wider than its maxWidth.
                    var widest = Math.max(Math.min(options.full, room - edge - 1), 120);
                    if (!tall && widest < narrowest) { return; }
                    var laid = layout(widest, null), place = spot(side, at, laid[0], laid[1], size, controls);
                    place.widest = widest;
                    place.natural = laid[1];
                    var hides = marks.filter(function (m) {
                        return m[0] >= place.left && m[0] <= place.left + place.width
                            && m[1] >= place.top && m[1] <= place.top + place.height;
                    }).length;
                    var again = here === kept.here && side === kept.side ? 0 : 1;
                    place.rank = place.fits ? [0, again, under(place, controls), hides, order]
                        : [1, -place.width * place.height, order];
                    if (!best || first(place.rank, best.rank)) { best = place; }
                });
                kept = {here: here, side: best.side, controls: controls};
                var laid = layout(best.widest, best.height < best.natural ? Math.max(best.height - rim, 60) : null);
                var place = spot(best.side, at, laid[0], laid[1], size, controls), width = laid[0], height = laid[1];
                // Leaflet places a popup by its offset from the point: its middle, and its bottom edge
                // 20 px (the popup's bottom margin) above the point and the offset.
                options.offset = [Math.round(place.left - at.x + width / 2),
                                  Math.round(place.top + height + 20 - at.y)];
                popup.setLatLng(popup.getLatLng());  // placed again with the new offset
                // The tip (Leaflet's points down from under the popup) turned toward the place, off
                // the popup's rounded corners.
                var x = Math.max(Math.min(at.x - place.left, width - inset), inset);
                var y = Math.max(Math.min(at.y - place.top, height - inset), inset);
                var turned = {above: [x - 20, height - 1, 0], below: [x - 20, -19, 180],
                              left: [width - 11, y - 10, -90], right: [-29, y - 10, 90]}[place.side];
                tip.style.margin = "0";
                tip.style.left = turned[0] + "px";
                tip.style.top = turned[1] + "px";
                tip.style.transform = "rotate(" + turned[2] + "deg)";
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, pad: int = 12) -> None:
        """`pad`: pixels of map left clear around a popup, for its shadow and the reader's eye."""
        super().__init__()
        self._name = "PageFriendly"
        self.pad = pad


class ViewKeeper(VerbatimMacro):
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

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var bases = { {%- for key, layer in this.bases.items() %}
                {{ key|tojson }}: {{ layer.get_name() }},{% endfor %}
            };
            var meta = document.querySelector('meta[name="map-view"]');
            var view = meta ? JSON.parse(meta.content) : {};
            if (view.center && view.zoom) { map.setView(view.center, view.zoom, {animate: false}); }
            var base = bases[view.base] || bases[Object.keys(bases)[0]];
            if (base) { base.addTo(map); }
            // `seed`: the app drew these layers and knows them, so they are also taken as the
            // component's last value sent; otherwise the next pan would send them, for a rerun
            // that changes nothing.
            window.reportLayers = function (seed) {
                var reported = window.__GLOBAL_DATA__;
                if (!reported) { return; }
                var overlays = window.claimOverlays || {}, layers = {};
                Object.keys(overlays).forEach(function (key) {
                    layers[key] = {name: key, url: map.hasLayer(overlays[key]) ? "shown" : "hidden"};
                });
                Object.keys(bases).forEach(function (key) {
                    if (map.hasLayer(bases[key])) { layers.base = {name: key, url: "base"}; }
                });
                reported.selected_layers = layers;
                var sent = reported.previous_data;
                if (seed && sent && "selected_layers" in sent) { sent.selected_layers = Object.values(layers); }
            };
            window.reportLayers(false);
            var reported = window.__GLOBAL_DATA__;
            if (reported) {
                // The component would send what the map shows as soon as it mounts. The app drew
                // this view and knows it: seeded as the component's last value sent, that send is
                // saved, and the next sends compare with it. Keys in the component's order. The
                // centre as Leaflet works it out from the map's pixels, as `getCenter` gives it
                // once the frame has been resized (Streamlit sizes it after mounting): the centre
                // given to `setView` is a float apart, which the next send took for a move.
                map.invalidateSize({pan: false});
                var now = {last_object_clicked_tooltip: null, zoom: map.getZoom(), center: map.getCenter(),
                           selected_layers: Object.values(reported.selected_layers)};
                var seed = {};
                Object.keys(now).forEach(function (key) {
                    if ((reported.returned_objects || []).indexOf(key) >= 0) { seed[key] = now[key]; }
                });
                reported.previous_data = seed;
                // Instead, once the component has drawn the claims (in the task after this one),
                // the map says it is drawn: the app's first run stops after the map, and this
                // report causes the run that draws the rest of the page. Its view is the one the
                // app drew, which the app leaves as it was (`read_report`): that run sends the
                // map unchanged, which Streamlit then sends as a reference, not again.
                if ({{ this.report_drawn|tojson }} && window.Streamlit) {
                    setTimeout(function () {
                        window.Streamlit.setComponentValue(Object.assign({drawn: true}, reported.previous_data));
                    }, 0);
                }
            }
            map.on("overlayadd overlayremove", function () { window.reportLayers(false); });
            map.on("baselayerchange", function () { window.reportLayers(false); map.fire("overlayadd"); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bases: dict[str, folium.map.Layer], report_drawn: bool = False) -> None:
        """`report_drawn`: the map says when it has drawn (the claims map, whose page waits for it)."""
        super().__init__()
        self._name = "ViewKeeper"
        self.bases = bases
        self.report_drawn = report_drawn


class ClaimOverlays(VerbatimMacro):
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

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent._parent.get_name() }};
            var overlays = { {%- for key, layer in this.overlays.items() %}
                {{ key|tojson }}: {{ layer.get_name() }},{% endfor %}
            };
            window.claimOverlays = overlays;
            // The component keeps every layer it swapped in, to remove it at the next swap, and
            // never lets go: the old ones, removed already, are dropped here (the last layer,
            // this one's, it adds after), or each run's claims would stay in memory.
            window.feature_group = Object.values(overlays);
            {{ this.hide|tojson }}.forEach(function (key) { if (overlays[key]) { map.removeLayer(overlays[key]); } });
            var open = window.claimsOpen = window.claimsOpen || {popup: null, focus: null};
            if (!map.claimsWatched) {
                map.claimsWatched = true;
                map.on("popupopen", function (e) {
                    var source = e.popup._source;
                    open.popup = source && source.itemKey ? {key: source.itemKey, at: e.popup.getLatLng()} : null;
                });
                // Closed by the reader (its layer still on the map), not by a swap removing it;
                // a swap's is gone at once, not faded out over the popup opened in its place.
                map.on("popupclose", function (e) {
                    if (e.popup._source && map.hasLayer(e.popup._source)) {
                        open.popup = null;
                    } else if (e.popup._container) {
                        L.DomUtil.remove(e.popup._container);
                    }
                });
                var container = map.getContainer();
                L.DomEvent.on(container, "focusin", function (e) {
                    open.focus = e.target.getAttribute("data-item-key");
                });
                L.DomEvent.on(container, "focusout", function (e) {
                    // Still in the page after the run's swap: the reader moved on, from the map or to
                    // another thing in it (whose focusin came first).
                    var left = e.target, key = left.getAttribute("data-item-key");
                    setTimeout(function () { if (left.isConnected && open.focus === key) { open.focus = null; } }, 0);
                });
            }
            var popup = open.popup;
            open.popup = null;  // a place gone from the map (another day) takes its popup with it
            Object.values(overlays).forEach(function (group) {
                if ((!popup && !open.focus) || !map.hasLayer(group)) { return; }  // nothing to carry over
                group.eachLayer(function (layer) {
                    if (popup && layer.itemKey === popup.key) { layer.openPopup(popup.at); }
                    var element = layer.getElement && layer.getElement();
                    if (open.focus && layer.itemKey === open.focus && element && document.hasFocus()
                        && (!document.activeElement || document.activeElement === document.body)) {
                        element.focus({preventScroll: true});
                    }
                });
            });
            if (window.reportLayers) { window.reportLayers(true); }
            window.claimDay = {{ this.steps|tojson }};
            if (window.daySteps) { window.daySteps.update(); }
        })();
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


class DaySteps(VerbatimMacro):
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

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            // `going`: the day a step is heading for, until drawn; `steps`: the days stepped to
            // lately, as [day, time], the latest last. `current`: the view (day and filters, as
            // the route writes them) the map takes as the page's; `changes`: filters chosen since
            // (`filter`), sent with every fetch until drawn; `own`: the layers the map drew itself
            // last, and when; `drawn`: the views it drew itself lately, as ["day?filters", time].
            var fetched = {}, bar, back, label, forward, going = null, serial = 0, asked = 0, steps = [];
            var current = null, changes = {}, own = null, drawn = [];
            function shift(day, days) {
                var d = new Date(day + "T00:00:00Z");
                d.setUTCDate(d.getUTCDate() + days);
                return d.toISOString().slice(0, 10);
            }
            function target(days) {
                var now = window.claimDay;
                if (!now || !current) { return null; }
                var day = shift(going || current.date, days);
                return day < now.first || day > now.last ? null : day;
            }
            function wanted(extra) {  // the filters the map is to show: the page's, and those chosen since
                var params = new URLSearchParams(current.query), chosen = Object.assign({}, changes, extra || {});
                Object.keys(chosen).forEach(function (name) {  // null: the parameter's default
                    if (chosen[name] === null) { params.delete(name); } else { params.set(name, chosen[name]); }
                });
                return params;
            }
            function address(day, extra) {
                var now = window.claimDay, overlays = window.claimOverlays || {}, params = wanted(extra);
                params.set("date", day);
                var hidden = Object.keys(overlays).filter(function (key) { return !map.hasLayer(overlays[key]); });
                if (hidden.length) { params.set("hide", hidden.join(",")); } else { params.delete("hide"); }
                params.sort();  // one address per view, whatever order the changes came in
                return now.url + "?" + params.toString();
            }
            function load(day, extra) {
                var url = address(day, extra);
                if (!(url in fetched)) {
                    fetched[url] = fetch(url, {credentials: "same-origin"})
                        .then(function (answer) { return answer.ok ? answer.json() : null; })
                        .catch(function () { return null; });
                    var urls = Object.keys(fetched);
                    if (urls.length > {{ this.kept }}) { delete fetched[urls[0]]; }
                }
                return fetched[url];
            }
            function ahead(days) {
                var day = target(days);
                if (day) { load(day); }
            }
            function draw(layers) {
                var lib = window.Streamlit, data = window.__GLOBAL_DATA__;
                lib.events.dispatchEvent(new CustomEvent(lib.RENDER_EVENT, {detail: {disabled: false, args: {
                    feature_group: layers.feature_group, layer_control: layers.layer_control,
                    height: data.height, zoom: null, center: null, return_on_hover: false
                }}}));
            }
            // The day's layers with the filters chosen, drawn if no later step or choice has asked
            // since; true once drawn. The filters sent are then in the layers' own query.
            function request(day) {
                var mine = ++asked, sent = Object.assign({}, changes);
                return load(day).then(function (layers) {
                    if (mine !== asked || !layers || layers.date !== day) { return false; }
                    own = {layers: layers, at: Date.now()};
                    drawn.push([layers.date + "?" + layers.query, own.at]);
                    current = {date: layers.date, query: layers.query};
                    Object.keys(sent).forEach(function (name) {
                        if (changes[name] === sent[name]) { delete changes[name]; }
                    });
                    draw(layers);
                    return true;
                });
            }
            // The day, and the filters the map shows it with: chosen just before or after the step
            // (`filter`), they would otherwise come in a run of their own, and the run for the day
            // alone would bring back the filters left.
            function report(day) {
                var data = window.__GLOBAL_DATA__, filters = wanted();
                filters.sort();
                window.Streamlit.setComponentValue(Object.assign({}, data.previous_data, {
                    day: day, filters: filters.toString(), step: Date.now()
                }));
            }
            function since(ms) { return Date.now() - (ms || {{ this.overtaken_ms }}); }
            function latest() {
                steps = steps.filter(function (s) { return s[1] >= since(); });
                return steps.length ? steps[steps.length - 1][0] : null;
            }
            function show(day, now) {
                label.textContent = day;
                back.disabled = day <= now.first;
                forward.disabled = day >= now.last;
                // A button just disabled (the first or last day) hands the keyboard focus to the other.
                var focused = document.activeElement;
                if (focused === back && back.disabled) { forward.focus(); }
                if (focused === forward && forward.disabled) { back.focus(); }
            }
            function step(days) {
                var day = target(days), mine = ++serial;
                if (!day || !window.Streamlit || !window.__GLOBAL_DATA__) { return; }
                going = day;
                steps.push([day, Date.now()]);
                request(day).then(function () {
                    if (mine !== serial) { return; }  // a later step has overtaken this one
                    report(day);
                    ahead(days);
                });
            }
            function button(text, title, days) {
                var element = L.DomUtil.create("button", "day-steps-button", bar);
                element.type = "button";
                element.textContent = text;
                element.title = title;
                L.DomEvent.on(element, "click", function (e) { L.DomEvent.preventDefault(e); step(days); });
                L.DomEvent.on(element, "pointerenter focus", function () { ahead(days); });
                return element;
            }
            var Steps = L.Control.extend({
                options: {position: "topleft"},
                onAdd: function () {
                    bar = L.DomUtil.create("div", "leaflet-bar day-steps");
                    back = button("◀ Day", "The day before", -1);
                    label = L.DomUtil.create("span", "day-steps-date", bar);
                    label.setAttribute("aria-live", "polite");
                    forward = button("Day ▶", "The day after", 1);
                    L.DomEvent.disableClickPropagation(bar);
                    L.DomEvent.disableScrollPropagation(bar);
                    return bar;
                }
            });
            window.daySteps = {
                // Filters changed outside the map (`views/filters.py`), as link parameters: the
                // layers with them (and any chosen before, not drawn yet) fetched and drawn. The
                // promise says whether (true: drawn), for the filters to run the page after, which
                // then brings the same layers. Nothing is drawn for a date range (no `claimDay`)
                // or a failed fetch: the page's run alone brings the change.
                filter: function (chosen) {
                    if (!window.claimDay || !current || !window.Streamlit || !window.__GLOBAL_DATA__) {
                        return Promise.resolve(false);
                    }
                    Object.assign(changes, chosen);
                    return request(going || current.date);
                },
                ahead: function (chosen) {  // fetched before the reader chooses, as for a day
                    if (window.claimDay && current) { load(going || current.date, chosen); }
                },
                update: function () {  // the layers drawn now, by a run or by the map, say their view
                    var now = window.claimDay, last = latest();
                    bar.style.display = now ? "" : "none";
                    if (!now) { going = null; current = null; return; }
                    drawn = drawn.filter(function (d) { return d[1] >= since({{ this.redrawn_ms }}); });
                    var mine = own && own.at >= since({{ this.redrawn_ms }}) ? own : null;
                    // A view the map itself drew lately, and no longer shows: a run from before.
                    // (One the reader chose on the page is new to the map, or older than this.)
                    var passed = drawn.some(function (d) { return d[0] === now.date + "?" + now.query; });
                    if (mine && passed && (now.date !== mine.layers.date || now.query !== mine.layers.query)) {
                        // The page's run for an earlier step or choice, overtaken by later ones
                        // (quicker than runs): what the map drew last comes back before the frame
                        // is painted, and the next step or choice counts from it.
                        show(going || mine.layers.date, now);
                        Promise.resolve().then(function () { if (own === mine) { draw(mine.layers); } });
                        return;
                    }
                    current = {date: now.date, query: now.query};
                    if (last && now.date !== last && steps.some(function (s) { return s[0] === now.date; })) {
                        // A step's run overtaken by a later step not drawn yet: its day comes once fetched.
                        going = last;
                        show(last, now);
                        request(last);
                        return;
                    }
                    going = null;
                    show(now.date, now);
                }
            };
            new Steps().addTo(map);
            // The controls first in the page's order, so that Tab reaches the day buttons before
            // the map's hundreds of places (Leaflet places them by position, not by order).
            var container = map.getContainer(), controls = container.querySelector(".leaflet-control-container");
            if (controls) { container.insertBefore(controls, container.firstChild); }
            window.daySteps.update();
        })();
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


class StaticGeoJson(VerbatimMacro):
    """A GeoJSON layer Leaflet fetches from the app's static files, instead of one embedded in
    every map: the boundaries are most of a map's bytes and never change (see `install_basemap`).

    It arrives after everything else is drawn, so it goes into a pane of its own beneath the
    overlays: otherwise each boundary line would cover the claim outlines along it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {%- if this.data is not none %}
        Promise.resolve({{ this.data_json }}).then(function (data) {
        {%- else %}
        fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }).then(function (data) {
        {%- endif %}
            var group = {{ this._parent.get_name() }};
            var map = group._map;
            if (map && !map.getPane("basemap")) {
                map.createPane("basemap").style.zIndex = 350;  // above tiles (200), below overlays (400)
            }
            L.geoJSON(data, {style: {{ this.style|tojson }}, interactive: false,
                             pane: map ? "basemap" : "overlayPane",
                             attribution: {{ this.attribution|tojson }}})
                .addTo(group);
        });
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
