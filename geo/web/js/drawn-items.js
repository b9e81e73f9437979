// `DrawnItems` (geo/web/mapelements.py): a layer's items, given as one JSON array, drawn into the
// map's feature groups with one loop. `groups`: the feature groups by key; `items`: the items,
// each naming its group; `shapes`: the geometries the `shape` items name; `popupWidth`: pixels.
mapElements.drawnItems = function (groups, items, shapes, popupWidth) {
    var make = {
        marker: function (d) {  // its focus pans the map only from the keyboard: see `keyable`
            return L.marker(d.at, {icon: L.divIcon(d.icon), interactive: d.interactive !== false,
                                   keyboard: Boolean(d.label), autoPanOnFocus: false});
        },
        dot: function (d) { return L.circleMarker(d.at, d.style); },
        circle: function (d) { return L.circle(d.at, d.style); },
        shape: function (d) { return L.GeoJSON.geometryToLayer(shapes[d.shape]).setStyle(d.style); }
    };
    items.forEach(function (d) {
        var layer = make[d.kind](d);
        // The same place and layer have the same key on every run: see `ClaimOverlays`.
        layer.itemKey = [d.group, d.kind, d.shape || d.at].join("|");
        if (d.tooltip) { layer.bindTooltip(d.tooltip, {sticky: true}); }
        // No autoPan: `PageFriendly` opens the popup where it fits, the map staying still.
        if (d.popup) { layer.bindPopup(d.popup, {maxWidth: popupWidth, autoPan: false}); }
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
};
