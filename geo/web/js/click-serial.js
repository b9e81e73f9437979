// `ClickSerial` (geo/web/mapelements.py): each click on one of the claims `groups` stamped in
// what the map reports to streamlit-folium, so that a click on the same place again is a change.
mapElements.clickSerial = function (groups) {
    groups.forEach(function (group) {
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
};
