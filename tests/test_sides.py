"""The two sides are declared once (geo/claims/sides.py): no other module spells their ids, and
what the page draws (card CSS, legend, chart, status labels) takes its colours and labels there."""

from __future__ import annotations

import ast

import pandas as pd
import pytest

from geo.claims.sides import LAYERS, SIDE_BY_ID, SIDES
from geo.claims.status import STATUS_LABELS
from geo.web.charts import timeline_chart
from geo.web.html import CARD_CSS
from geo.web.mapview import legend_html
from tests.conftest import ROOT

SOURCES = sorted([*(ROOT / "geo").rglob("*.py"), *(ROOT / "views").glob("*.py"), ROOT / "app.py"])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_but_sides_spells_a_side(path) -> None:
    if path == ROOT / "geo" / "claims" / "sides.py":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    spelled = sorted({node.lineno for node in ast.walk(tree) if isinstance(node, ast.Constant) and node.value in SIDES})
    assert spelled == [], f"{path.relative_to(ROOT)} lines {spelled}: read the side from geo.claims.sides"


def test_the_card_css_colours_each_side_as_the_map_does() -> None:
    for side in SIDES:
        assert f".claim-card.claim-{side}{{border-color:{SIDE_BY_ID[side].colour}}}" in CARD_CSS


def test_legend_and_chart_show_every_layer_in_its_colour() -> None:
    legend = legend_html()
    per_day = pd.DataFrame({layer: [1] for layer in LAYERS}, index=pd.Index(["2021-09-06"], name="date"))
    _, spec = timeline_chart(per_day)
    scale = spec["encoding"]["color"]["scale"]
    for layer in LAYERS:
        side = SIDE_BY_ID[layer]
        assert side.colour in legend and f"{side.label} claim" in legend
    assert scale == {"domain": [SIDE_BY_ID[f].label for f in LAYERS], "range": [SIDE_BY_ID[f].colour for f in LAYERS]}
    assert [STATUS_LABELS[side] for side in SIDES] == ["Taliban-claimed", "NRF-claimed"]
