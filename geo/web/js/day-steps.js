// `DaySteps` (geo/web/mapelements.py): the map's own ◀ Day and Day ▶, which fetch a day's layers
// from the server and draw them before the page's run. `kept`: days' layers held at most;
// `overtakenMs`, `redrawnMs`: see `DaySteps.__init__`.
mapElements.daySteps = function (map, kept, overtakenMs, redrawnMs) {
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
            if (urls.length > kept) { delete fetched[urls[0]]; }
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
    function since(ms) { return Date.now() - (ms || overtakenMs); }
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
            drawn = drawn.filter(function (d) { return d[1] >= since(redrawnMs); });
            var mine = own && own.at >= since(redrawnMs) ? own : null;
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
};
