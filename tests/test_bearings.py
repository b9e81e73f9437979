"""Distances and directions between places (geopy / geographiclib on WGS84)."""

from __future__ import annotations

import pytest

from geo import Gazetteer, GeoError
from geo.places.bearings import bearing, compass, direction_matches, distance_km


def test_distance_bazarak_charikar(gazetteer: Gazetteer) -> None:
    # An independent haversine on a 6371 km sphere gives 45.66 km; the ellipsoid differs slightly.
    assert distance_km(gazetteer["bazarak"], gazetteer["charikar"]) == pytest.approx(45.66, abs=0.2)


def test_bearing_and_compass(gazetteer: Gazetteer) -> None:
    b = bearing(gazetteer["bazarak"], gazetteer["khawak-pass"])
    assert 20 < b < 50 and compass(b) == "NE"
    assert compass(0) == "N" and compass(359) == "N" and compass(200, points=16) == "SSW" and compass(100, 4) == "E"


def test_direction_check_flags_disagreement(gazetteer: Gazetteer) -> None:
    """Seed 000 says 'Shattal district, northeast of Panjshir': the geometry says otherwise."""
    panjshir, shutul = gazetteer["panjshir-province"], gazetteer["shutul-district"]
    assert not direction_matches(panjshir, shutul, "northeast")
    assert direction_matches(panjshir, shutul, "west")
    assert direction_matches(gazetteer["bazarak"], gazetteer["khawak-pass"], "north-east")


def test_unpinned_place_is_an_error(gazetteer: Gazetteer) -> None:
    # Every bundled place is pinned now; a record without a point (a user's gazetteer) still fails clearly.
    unpinned = gazetteer["hindu-kush"].model_copy(update={"point": None, "unpinned": "a range"})
    with pytest.raises(GeoError, match="has no point"):
        distance_km(unpinned, gazetteer["bazarak"])


def test_unknown_direction(gazetteer: Gazetteer) -> None:
    with pytest.raises(GeoError, match="unknown direction 'upwards'"):
        direction_matches(gazetteer["bazarak"], gazetteer["kabul"], "upwards")
