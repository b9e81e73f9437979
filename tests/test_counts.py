"""One count everywhere: for every day of the bundled claims and a few filtered views, each place's
popup, the side panel, the table, the chart and the CSV export say the same number of claims, by
side. Computed from the functions the page calls (the browser is tested on one click, in
tests/test_browser.py), so the sweep takes seconds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from geo.claims.counts import place_counts, place_lines
from geo.claims.export import export_bytes
from geo.claims.sides import LAYERS, SIDE_BY_ID
from geo.claims.status import in_force, status_table
from geo.claims.tables import index_frame, per_day
from geo.web.mapelements import DrawnItems
from geo.web.viewlayers import default_view, span, view_claims, view_layers
from tests.conftest import claims_page

#: The views swept, on every day: each filter the sidebar offers, once.
VIEWS = {
    "everything": {},
    "one side": {"factions": ("nrf",)},
    "by claimant": {"factions": ("taliban",), "by": "claimant"},
    "one outlet": {"outlets": ("TASS",)},
}
SHORT = {SIDE_BY_ID[side].label.split(" (")[0]: side for side in LAYERS}


class _Popup(HTMLParser):
    """The places of a popup (`geo.web.html.summary_popup`) and the claims line of each, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.places: dict[str, str] = {}
        self._place: str | None = None
        self._in_counts = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "p" and found.get("data-place"):
            self._place = found["data-place"]
            self.places[str(self._place)] = ""
        self._in_counts = tag == "span" and found.get("class") == "counts"

    def handle_endtag(self, tag: str) -> None:
        self._in_counts = False

    def handle_data(self, data: str) -> None:
        if self._in_counts and self._place is not None:
            self.places[self._place] += data


def said_by_side(line: str) -> dict[str, int]:
    """ "3 claims as of 2021-09-06: Taliban 2 · Neither side 1" as {"taliban": 2, "nrf": 0, "other": 1}."""
    total = int(line.split(" ", 1)[0])
    sides = {side: 0 for side in LAYERS}
    if ": " in line:
        for part in line.split(": ", 1)[1].split(" · "):
            name, n = part.rsplit(" ", 1)
            sides[SHORT[name]] = int(n)
    assert sum(sides.values()) == total, line
    return sides


def drawn(layers: list) -> list[dict]:
    """The items the claims layers draw (`DrawnItems`), with their popups and markers."""
    (element,) = [e for e in layers[-1]._children.values() if isinstance(e, DrawnItems)]
    return json.loads(element.items_json)


class Bundled:
    """The bundled claims, with what the sweep works out once for each different set of claims:
    the status (it depends on the claims in force alone, whatever the filters) and the export."""

    def __init__(self, table: pd.DataFrame, gazetteer) -> None:
        self.table, self.index, self.gazetteer = table, index_frame(table), gazetteer
        self._status: dict[tuple, pd.DataFrame] = {}
        self._export: dict[tuple, Counter[tuple[str, str]]] = {}

    def status(self, day: str) -> pd.DataFrame:
        live = in_force(self.index, day)
        key = tuple(live.index)
        if key not in self._status:
            self._status[key] = status_table(live, self.gazetteer, details=self.table)
        return self._status[key]

    def exported(self, listed: pd.DataFrame) -> Counter[tuple[str, str]]:
        """The CSV export of `listed`, as rows per (place, side favoured)."""
        key = tuple(listed.index)
        if key not in self._export:
            text = export_bytes(self.table.loc[listed.index], "csv").decode("utf-8")
            self._export[key] = Counter(
                (r["location_id"], r["side_favoured"]) for r in csv.DictReader(io.StringIO(text))
            )
        return self._export[key]


@pytest.fixture(scope="module")
def bundled(frame: pd.DataFrame, gazetteer) -> Bundled:
    return Bundled(frame, gazetteer)


@pytest.mark.parametrize("name", VIEWS)
def test_popup_panel_table_chart_and_export_count_alike_on_every_day(name: str, bundled: Bundled, gazetteer) -> None:
    index = bundled.index
    offer = span(index)
    defaults = default_view(offer)
    day, last = dt.date.fromisoformat(offer["first"]), dt.date.fromisoformat(offer["last"])
    checked = Counter[str]()
    while day <= last:
        view = replace(defaults, date=day.isoformat(), **VIEWS[name])
        listed, label = view_claims(index, view)
        if listed.empty:  # before the first claim: nothing to count, nor to draw
            assert place_counts(listed).empty and per_day(listed).empty
            day += dt.timedelta(days=1)
            continue
        status = bundled.status(view.date)
        counts = place_counts(listed)
        by_side = {p: counts.loc[p].to_dict() for p in counts.index}
        # The table lists the view's claims, one row each; the export holds the same rows.
        rows = listed.groupby(["place_id", "map_faction"], observed=True).size()
        in_table = {p: {s: int(rows.get((p, s), 0)) for s in LAYERS} for p in rows.index.get_level_values(0)}
        assert in_table == by_side, (name, day)
        assert dict(bundled.exported(listed)) == {k: int(n) for k, n in rows.items() if n}, (name, day)
        # The chart's bars, summed over the days, are the places' counts summed over the places.
        chart = per_day(listed).sum()
        assert {s: int(chart.get(s, 0)) for s in LAYERS} == {s: int(counts[s].sum()) for s in LAYERS}, (name, day)
        # Every popup names its places with their counts; a marker's number is theirs for its side.
        for item in drawn(view_layers(view, listed, label, status, gazetteer)):
            if "popup" not in item:
                continue
            popup = _Popup()
            popup.feed(item["popup"])
            assert popup.places, item
            for place, line in popup.places.items():
                assert said_by_side(line) == by_side[place], (name, day, place, line)
                assert line == place_lines(place, counts, status, label)[0]
                checked[place] += 1
            if item["kind"] == "marker":
                number = re.search(r"<text[^>]*>(\d+)</text>", item["icon"]["html"])
                side = item["group"]
                assert (int(number.group(1)) if number else 1) == sum(by_side[p][side] for p in popup.places)
        day += dt.timedelta(days=1)
    drawable = set(index.loc[index["geo_precision"] != "country", "place_id"].astype(str))
    if name == "everything":  # every place with a drawn claim has had its popup checked
        assert set(checked) == drawable


def test_the_panel_says_what_the_popup_says_and_why_a_filter_leaves_none(app_data: Path) -> None:
    """The side panel, through the app: the popup's claims line, word for word, and as many
    cards; with a filter that leaves the place no claim, "0 claims" and why the status remains.
    A store of its own (`app_data`): other tests in the process add claims at Bazarak."""
    at = claims_page(place="bazarak", date="2021-09-07")
    said = [m.value for m in at.markdown if m.value.startswith("**")]
    assert said[0] == "**2 claims as of 2021-09-07: Neither side 2**  \nStatus: contested", said
    assert sum(m.value.count("<div class='claim-card") for m in at.markdown) == 2
    at = claims_page(place="bazarak", date="2021-09-07", factions="nrf")
    said = [m.value for m in at.markdown if m.value.startswith("**")]
    assert said[0] == "**0 claims as of 2021-09-07**  \nStatus: contested", said
    assert any("the status comes from every claim" in c.value for c in at.caption)
