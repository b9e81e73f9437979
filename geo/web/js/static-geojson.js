// `StaticGeoJson` (geo/web/mapelements.py): boundaries drawn into `group` once `loading` (a
// promise of GeoJSON: fetched from the static files, or the data itself in a saved map) gives
// them, in a pane of their own beneath the overlays. `style`: Leaflet path options.
mapElements.staticGeoJson = function (group, loading, style, attribution) {
    loading.then(function (data) {
        var map = group._map;
        if (map && !map.getPane("basemap")) {
            map.createPane("basemap").style.zIndex = 350;  // above tiles (200), below overlays (400)
        }
        L.geoJSON(data, {style: style, interactive: false,
                         pane: map ? "basemap" : "overlayPane",
                         attribution: attribution})
            .addTo(group);
    });
};
