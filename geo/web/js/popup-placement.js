// `PageFriendly` (geo/web/mapelements.py): each popup opened where it fits in `map`, which stays
// where it is; `pad`: pixels of map left clear around a popup.
mapElements.placePopups = function (map, pad) {
    var container = map.getContainer();
    // A popup opens where it fits in the map, which stays where it is (`DrawnItems` turns
    // Leaflet's autoPan off: the map moved under the pointer, carrying away the next place
    // aimed at). Of the sides of its place where it fits whole, the one where the fewest of
    // the map's controls sit over it (they hid its close button, or its text), then where
    // it hides the fewest other markers, above first as Leaflet has it; shifted along that
    // side to stay in the map and clear of the controls, its tip on the place. Where it
    // fits nowhere, the side with the most room, its text scrolling inside. `gap`: from
    // the place to the popup's edge, the length of its tip.
    var gap = 13, inset = 26, sides = ["above", "below", "right", "left"];
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
        // The markers in view, by their boxes (a popup over a part of one hides it): its own
        // among them, as the markers of a place's sides stand around its point, where the
        // popup's tip is.
        var marks = [];
        map.eachLayer(function (layer) {
            var shown = layer instanceof L.Marker && layer.options.interactive;
            var element = shown && layer.getElement();
            if (!element) { return; }
            var r = element.getBoundingClientRect(), x = (r.left + r.right) / 2 - frame.left;
            var y = (r.top + r.bottom) / 2 - frame.top;
            if (x >= 0 && y >= 0 && x <= size.x && y <= size.y) {
                marks.push([r.left - frame.left, r.top - frame.top, r.right - frame.left, r.bottom - frame.top]);
            }
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
                return m[2] > place.left && m[0] < place.left + place.width
                    && m[3] > place.top && m[1] < place.top + place.height;
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
};
