// `ViewKeeper` (geo/web/mapelements.py): `map` opened at the view its page's header gives, on
// the chosen of its `bases` (base layers by key), and the layers the reader ticks reported to
// streamlit-folium. `reportDrawn`: the map says when it has drawn its claims.
mapElements.viewKeeper = function (map, bases, reportDrawn) {
    var meta = document.querySelector('meta[name="map-view"]');
    var view = meta ? JSON.parse(meta.content) : {};
    // No view chosen: fitted to the places with claims (`claims_bounds`), once the map has a
    // size to fit them in (Streamlit sizes its frame after the map is made).
    if (view.center && view.zoom) {
        map.setView(view.center, view.zoom, {animate: false});
    } else if (view.fit) {
        // A link may give a zoom without a centre, or a centre without a zoom: the other is fitted.
        var bounds = L.latLngBounds(view.fit.bounds), pad = L.point(view.fit.padding, view.fit.padding);
        var zoom = view.zoom || Math.min(map.getBoundsZoom(bounds, false, pad.multiplyBy(2)), view.fit.maxZoom);
        map.setView(view.center || bounds.getCenter(), zoom, {animate: false});
    }
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
        if (reportDrawn && window.Streamlit) {
            setTimeout(function () {
                window.Streamlit.setComponentValue(Object.assign({drawn: true}, reported.previous_data));
            }, 0);
        }
    }
    map.on("overlayadd overlayremove", function () { window.reportLayers(false); });
    map.on("baselayerchange", function () { window.reportLayers(false); map.fire("overlayadd"); });
};
