"""`GET /api/map-layers?date=…&<the claims page's link parameters>`: one day's map layers, for the
map's own day buttons (`geo.web.mapelements.DaySteps`) and the claims page's filters
(`views.filters`). Not a page: serve.py adds the route.

The answer is JSON: the day, its filters as the page's link writes them, and the layers and
layer control as streamlit-folium's component takes them (`layer_scripts`), computed from the
tables the pages share (`views.data`) exactly as the claims page's run computes them. A parameter the page would ignore
is refused here (400, saying which and why): the map asks with the page's own parameters, so a
refusal means a link made up or out of date, and the map falls back to the page's run.
"""

from __future__ import annotations

import json
import logging
import sys
import threading

import folium
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from geo import GeoError
from geo.web.mapview import layer_control
from geo.web.urlstate import ViewState
from geo.web.verbatim import Map
from geo.web.viewlayers import day_steps, default_view
from views.data import bundled, claims_at, layers_at, span_at, store

# The shared caches are Streamlit's, which warn on every call from outside a page's run: here,
# that is every request, from Starlette's worker threads; a page's own warnings still show.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: not threading.current_thread().name.startswith("AnyIO worker")
)


def map_layers(request: Request) -> Response:
    if request.method not in ("GET", "HEAD"):
        # It only reads: a POST, PUT or OPTIONS (a CORS preflight among them) is answered no.
        return JSONResponse({"error": "Only GET and HEAD."}, status_code=405, headers={"Allow": "GET, HEAD"})
    if "streamlit_folium" not in sys.modules:
        # Imported here, outside a page's run, the component would never be known to Streamlit
        # (see `layer_scripts`), and every map would be blank until a restart. A map's buttons
        # ask only once a page has run, which imports it.
        return JSONResponse({"error": "No claims map has been opened on this server yet: open the page first."}, 503)
    params = dict(request.query_params)
    try:
        revision = store().revision()
        claims_at(revision)  # loaded here, so that a store that cannot be read is said so
    except GeoError as err:
        return JSONResponse({"error": f"The claims could not be loaded: {err}"}, status_code=503)
    gazetteer = bundled().gazetteer
    offer = span_at(revision)
    defaults = default_view(offer)
    view, notes = ViewState.from_params(
        params,
        defaults,
        outlets=offer["outlets"],
        articles=[document for document, _ in offer["articles"]],
        cites=offer["cites"],
        types=offer["types"],
        places=gazetteer.places,
    )
    if "date" not in params:
        notes.append("Give the day as date=YYYY-MM-DD.")
    if view.mode != "as_of":
        notes.append("The map steps through days as of a date: mode must be as_of.")
    if notes:
        return JSONResponse({"error": " ".join(notes)}, status_code=400)
    groups = layers_at(revision, view)
    steps = day_steps(view, defaults, offer)
    # The view's filters as the page's link writes them: the map tells its own drawings by them.
    query = steps["query"] if steps else ""
    body = json.dumps({"date": view.date, "query": query, **layer_scripts(groups)}, ensure_ascii=False)
    # The store can change at any time (an article added): never kept by the browser.
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


def layer_scripts(groups: list[folium.FeatureGroup]) -> dict[str, str]:
    """The layers and the layer control as streamlit-folium sends them to its component, for the
    map to swap in as the component would: through the component's own functions, so that the
    page's next run sends the same text and the component sees nothing to change.

    streamlit-folium registers its component with Streamlit when first imported, and only if
    that is in a page's run (`declare_component` needs the run's context): imported by serve.py
    or here first, the component's files would be answered with 404. So it is imported here, once
    a page has imported it (`map_layers` makes sure)."""
    from streamlit_folium import _get_feature_group_string, _get_layer_control_string

    scratch = Map(tiles=None)
    return {
        "feature_group": "".join(_get_feature_group_string(g, map=scratch, idx=i) for i, g in enumerate(groups)),
        "layer_control": _get_layer_control_string(layer_control(), scratch),
    }
