"""The claims-per-day chart as a Vega-Lite spec.

Streamlit's `st.bar_chart` builds its chart through Altair, which validates the whole spec
against Vega-Lite's schema on every rerun: about 25 ms, a sixth of a rerun's budget. The spec
is a few lines, so the app hands it to `st.vega_lite_chart` as it is.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo.claims.sides import LAYERS, SIDE_BY_ID


def timeline_chart(per_day: pd.DataFrame, select: str | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Data and spec of stacked bars from a `geo.claims.tables.per_day` table: claims per day, by layer,
    in the map's colours. With `select`, a click on a bar selects its day, as a point selection of
    that name over the `date` field (the app's way to move the map to the day); other days fade.

    Drawn as SVG, not on a canvas: each bar is then an element with its day and count as its
    accessible name, for screen readers and for browser tests alike.

    >>> timeline_chart(pd.DataFrame({"nrf": [2]}, index=pd.Index(["2021-09-01"], name="date")), "day")[1]["params"]
    [{'name': 'day', 'select': {'type': 'point', 'fields': ['date']}}]
    """
    layers = [f for f in LAYERS if f in per_day.columns]
    data = (
        per_day[layers]
        .rename(columns={f: SIDE_BY_ID[f].label for f in layers})
        .reset_index()
        .melt(id_vars="date", var_name="layer", value_name="claims")
    )
    spec: dict[str, Any] = {
        "usermeta": {"embedOptions": {"renderer": "svg"}},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "date", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}},
            "y": {"field": "claims", "type": "quantitative", "stack": True, "title": "claims"},
            "color": {
                "field": "layer",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [SIDE_BY_ID[f].label for f in layers],
                    "range": [SIDE_BY_ID[f].colour for f in layers],
                },
                "legend": {"orient": "bottom"},
            },
            # Named fields: `"tooltip": true` also showed the columns Streamlit adds to the data.
            "tooltip": [
                {"field": "date", "type": "ordinal"},
                {"field": "layer", "type": "nominal", "title": "side"},
                {"field": "claims", "type": "quantitative"},
            ],
        },
    }
    if select is not None:
        spec["params"] = [{"name": select, "select": {"type": "point", "fields": ["date"]}}]
        spec["encoding"]["opacity"] = {"condition": {"param": select, "value": 1}, "value": 0.35}
    return data, spec
