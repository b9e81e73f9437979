// `ClaimOverlays` (geo/web/mapelements.py): a run's claims layers (`overlays`, by key) known to
// `ViewKeeper`, those keyed in `hide` hidden, and the popup and focus the reader had carried over
// from the layers they replace. `steps`: the layers' day for `DaySteps`, or null.
mapElements.claimOverlays = function (map, overlays, hide, steps) {
    window.claimOverlays = overlays;
    // The component keeps every layer it swapped in, to remove it at the next swap, and
    // never lets go: the old ones, removed already, are dropped here (the last layer,
    // this one's, it adds after), or each run's claims would stay in memory.
    window.feature_group = Object.values(overlays);
    hide.forEach(function (key) { if (overlays[key]) { map.removeLayer(overlays[key]); } });
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
    window.claimDay = steps;
    if (window.daySteps) { window.daySteps.update(); }
};
