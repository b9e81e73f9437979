"""Distances and compass directions between places, on the WGS84 ellipsoid.

Reporting says "Shattal district, northeast of Panjshir" or "the province's western part";
these helpers let a claim's stated direction be checked against the gazetteer's geometry.
"""

from __future__ import annotations

from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic

from geo.errors import GeoError
from geo.places.schema import Place

_POINTS_16 = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")
_WORDS = {
    "north": 0.0,
    "northeast": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "west": 270.0,
    "northwest": 315.0,
}


def _latlon(place: Place) -> tuple[float, float]:
    if place.point is None:
        raise GeoError(f"{place.name} ({place.id}) has no point: {place.unpinned}", entry=place.id)
    return place.point.lat, place.point.lon


def distance_km(a: Place, b: Place) -> float:
    """Geodesic distance between two places' points, in kilometres."""
    return float(geodesic(_latlon(a), _latlon(b)).km)


def bearing(a: Place, b: Place) -> float:
    """Initial bearing from `a` to `b`, degrees clockwise from true north in [0, 360)."""
    (lat1, lon1), (lat2, lon2) = _latlon(a), _latlon(b)
    return float(Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["azi1"]) % 360.0


def compass(degrees: float, points: int = 8) -> str:
    """'NE' for 45°; `points` is 4, 8 or 16."""
    if points not in (4, 8, 16):
        raise GeoError(f"compass points must be 4, 8 or 16, not {points}")
    step = 16 // points
    index = round((degrees % 360.0) / (360.0 / points)) % points
    return _POINTS_16[index * step]


def direction_matches(a: Place, b: Place, direction: str, tolerance: float = 45.0) -> bool:
    """Whether `b` lies `direction` ("northeast", "north-east", "NE") of `a`, within `tolerance`°."""
    word = direction.lower().replace("-", "").replace(" ", "")
    abbreviations = {"n": "north", "ne": "northeast", "e": "east", "se": "southeast", "s": "south"}
    abbreviations |= {"sw": "southwest", "w": "west", "nw": "northwest"}
    word = abbreviations.get(word, word)
    if word not in _WORDS:
        raise GeoError(f"unknown direction {direction!r}; use one of {', '.join(_WORDS)}")
    diff = abs((bearing(a, b) - _WORDS[word] + 180.0) % 360.0 - 180.0)
    return diff <= tolerance
