// `PageFriendly` (geo/web/mapelements.py): the map in a page, on small screens above all. A
// press never scrolls the page, the wheel zooms only once the reader is in the map, and on a
// touch screen one finger scrolls the page. The popups are placed by `popup-placement.js`.
mapElements.pageFriendly = function (map) {
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
};
