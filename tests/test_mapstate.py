"""What the browser's map reports back (geo.web.mapstate), read as the app reads it."""

from __future__ import annotations

import pytest

from geo.web.mapstate import MapView, read_report

START = MapView(center=(35.35, 69.6), zoom=9, hide=("nrf",), base="osm")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, START),
        ({"zoom": 11}, MapView((35.35, 69.6), 11, ("nrf",), "osm")),
        ({"zoom": 40}, START),  # beyond the tiles
        ({"center": {"lat": 35.4, "lng": 69.7}}, MapView((35.4, 69.7), 9, ("nrf",), "osm")),
        ({"center": {"lat": "35.4", "lng": 69.7}}, START),
        ({"center": {"lat": 95, "lng": 69.7}}, START),
        (
            {"selected_layers": [{"name": "status", "url": "hidden"}]},
            MapView((35.35, 69.6), 9, ("status", "nrf"), "osm"),
        ),
        ({"selected_layers": [{"name": "nrf", "url": "shown"}]}, MapView((35.35, 69.6), 9, (), "osm")),
        ({"selected_layers": [{"name": "topo", "url": "base"}]}, MapView((35.35, 69.6), 9, ("nrf",), "topo")),
        ({"selected_layers": [{"name": "martians", "url": "hidden"}, "junk", {"name": "mars", "url": "base"}]}, START),
    ],
)
def test_a_report_changes_what_it_names_and_nothing_else(value, expected) -> None:
    assert read_report(value, START).view == expected


def test_a_click_comes_with_its_tooltip() -> None:
    clicked = "Bazarak (town) — NRF: 1 claim #17"
    assert read_report({"last_object_clicked_tooltip": clicked}, START).clicked == clicked
    assert read_report({"last_object_clicked_tooltip": None}, START).clicked is None


def test_a_map_saying_it_has_drawn_leaves_the_view_as_the_app_gave_it() -> None:
    """Its centre is Leaflet's float for the view the app gave (or the map's own start, when the
    app gave none): taken as a move, it would change the map's arguments for nothing."""
    drawn = {"drawn": True, "zoom": 9, "center": {"lat": 35.3509759564216, "lng": 69.60113525390626}}
    assert read_report(drawn, START) == read_report(None, START)
    assert read_report(drawn, MapView()).view == MapView()
    assert read_report({**drawn, "drawn": False}, START).view.center == (35.3509759564216, 69.60113525390626)


def test_a_day_step_comes_as_a_date_and_anything_else_is_no_day() -> None:
    """The map's own day buttons report the day they drew (`DaySteps`); a value that is not an ISO
    date is no step, and the view reads as before."""
    import datetime as dt

    step = {"day": "2021-09-05", "step": 1796355800247, "zoom": 9}
    assert read_report(step, START).day == dt.date(2021, 9, 5)
    assert read_report(step, START).view == START
    for junk in ("2021-09-31", "yesterday", 20210905, None, ["2021-09-05"]):
        assert read_report({"day": junk}, START).day is None
    assert read_report({"last_object_clicked_tooltip": "Bazarak (town)"}, START).day is None


def test_a_day_step_carries_the_filters_the_map_drew_it_with_and_nothing_else_does() -> None:
    """A filter chosen just before or after a day step is in the map's report of the step, as
    link parameters (`DaySteps`), so that the page's run for the day brings it too; a report
    without a day carries no filters, and filters that are not text are none."""
    step = {"day": "2021-09-05", "filters": "factions=nrf%2Cother", "step": 1796355800247}
    assert read_report(step, START).filters == "factions=nrf%2Cother"
    assert read_report({"filters": "factions=nrf", "zoom": 9}, START).filters is None
    assert read_report({**step, "filters": ["factions=nrf"]}, START).filters is None
    assert read_report({**step, "day": "soon"}, START).filters is None
