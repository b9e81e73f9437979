"""The golden timeline: statuses an analyst worked out by reading the five seeds, day by day.

`tests/data/golden_timeline.csv` was written by hand from the texts, the curated claims and the
written status rules (README, "Status rules"), without running this code: 16 places × 30 August to
7 September, each row with its status, whether it is inherited, the claims that justify it and a
line of reading. Every view must reproduce it exactly: the status table, the map's shading and
rings, the side panel and the `status` command. A change of rule or reading that breaks a row is
argued in `tests/data/golden_timeline_changes.md`, in the diff that changes the row.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from geo import cli
from geo.claims.status import containment, in_force, status_table
from geo.claims.tables import latest_as_of
from geo.places.gazetteer import Gazetteer
from geo.web.mapelements import DrawnItems
from geo.web.mapview import build_claims_map
from tests.conftest import ROOT, claims_page
from tests.test_app import place_box

GOLDEN = ROOT / "tests" / "data" / "golden_timeline.csv"
ROWS = list(csv.DictReader(GOLDEN.open(encoding="utf-8")))
BY_DAY: dict[str, list[dict[str, str]]] = defaultdict(list)
for _row in ROWS:
    BY_DAY[_row["date"]].append(_row)


def _expected(row: dict[str, str]) -> tuple[str, bool, str]:
    return row["status"], row["inherited"] == "yes", row["claims"]


def _got(table: object, place_id: str) -> tuple[str, bool, str]:
    if place_id not in table.index:  # type: ignore[attr-defined]
        return "none", False, ""
    found = table.loc[place_id]  # type: ignore[attr-defined]
    return found["status"], bool(found["inherited"]), found["claims"]


def test_the_table_is_big_enough_and_sourced() -> None:
    assert len({r["place_id"] for r in ROWS}) >= 12 and len(BY_DAY) >= 9
    assert all(r["reading"] for r in ROWS)
    assert {r["status"] for r in ROWS} == {"taliban", "nrf", "contested", "fighting", "none"}


@pytest.mark.parametrize("day", sorted(BY_DAY))
def test_the_status_view_reproduces_the_reading(frame: gpd.GeoDataFrame, gazetteer: Gazetteer, day: str) -> None:
    table = status_table(in_force(frame, day), gazetteer)
    wrong = [
        (row["place_id"], _expected(row), _got(table, row["place_id"]))
        for row in BY_DAY[day]
        if _expected(row) != _got(table, row["place_id"])
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("day", sorted(BY_DAY))
def test_the_map_draws_the_reading(frame: gpd.GeoDataFrame, gazetteer: Gazetteer, day: str) -> None:
    """Each district and unsplit province is shaded in its golden status (lighter and dashed when
    inherited); each point is ringed exactly when it is contested."""
    fmap = build_claims_map(latest_as_of(frame, day), status_table(in_force(frame, day), gazetteer), gazetteer)
    # the claims' own, in the map's last layer (`claims_layers`); the basemap's names have another
    (drawn,) = [
        e
        for layer in fmap._children.values()
        for e in layer._children.values()
        if isinstance(e, DrawnItems) and "status" in e.groups
    ]
    items = json.loads(drawn.items_json)
    shaded = {}
    for item in items:
        name = item.get("style", {}).get("className", "")
        if name.startswith("status-shading"):
            classes = name.split()
            state = next(
                c for c in classes if c.startswith("status-") and c not in ("status-shading", "status-inherited")
            )
            shaded[item["shape"]] = (state.removeprefix("status-"), "status-inherited" in classes)
    rings = {tuple(i["at"]) for i in items if i["kind"] == "dot" and i["style"].get("radius") == 16}
    split = containment(gazetteer).districts_of
    for row in BY_DAY[day]:
        place = gazetteer[row["place_id"]]
        status, inherited, _ = _expected(row)
        if place.type in ("district", "province") and place.id not in split:
            want = (status, inherited) if status != "none" else None
            assert shaded.get(place.id) == want, (place.id, day)
        elif place.point is not None and place.type not in ("district", "province", "valley"):
            assert ((place.point.lat, place.point.lon) in rings) == (status == "contested"), (place.id, day)


@pytest.mark.parametrize("day", sorted(BY_DAY))
def test_the_status_command_prints_the_reading(capsys: pytest.CaptureFixture[str], day: str) -> None:
    places = [arg for row in BY_DAY[day] for arg in ("--place", row["place_id"])]
    assert cli.main(["status", "--date", day, *places]) == 0
    printed = {r["place_id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    for row in BY_DAY[day]:
        got = printed[row["place_id"]]
        status, inherited, claims = _expected(row)
        assert (got["status"], bool(got["inherited_from"]), ";".join(got["claims"])) == (status, inherited, claims)


@pytest.mark.parametrize("day", sorted(BY_DAY))
def test_the_side_panel_says_the_reading(gazetteer: Gazetteer, day: str, app_data: Path) -> None:
    """The panel beside the map, through the app as a reader opens it from a shared link, for every
    place of the day: its status, and the ids of the claims that make it in the "why" line."""
    labels = {"taliban": "Taliban-claimed", "nrf": "NRF-claimed", "contested": "contested"}
    labels |= {"fighting": "fighting reported", "none": "no status"}

    def opened(place_id: str) -> AppTest:
        return claims_page(place=place_id, date=day)

    at = opened(BY_DAY[day][0]["place_id"])
    for row in BY_DAY[day]:
        if place_box(at).value == row["place_id"]:
            pass
        elif gazetteer[row["place_id"]].label() in place_box(at).options:  # claims or a status that day
            place_box(at).set_value(row["place_id"]).run()
        else:  # a place with nothing that day, opened from a link
            at = opened(row["place_id"])
        assert not at.exception
        said = " ".join(m.value for m in at.markdown)
        assert f"Status: {labels[row['status']]}" in said, (row["place_id"], day)
        why = next((m.value for m in at.markdown if m.value.startswith("<div class='why'>")), "")
        assert all(c in why for c in row["claims"].split(";") if c), (row["place_id"], day)
        assert ("inherited from" in why) == (row["inherited"] == "yes"), (row["place_id"], day)
