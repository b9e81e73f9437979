"""Spatial statements made in claims, checked against the gazetteer's geometry.

Reporting places things: "Shattal district, northeast of Panjshir", "the Darband heights on the
border between Kapisa and Panjshir provinces", "Andarab [in the Baghlan Province]". A check that
fails is not an error in the data: it is a flag for the reader, who should know that the text and
the map disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field
from shapely import Point

from geo.places.bearings import bearing, compass, direction_matches, distance_km
from geo.places.gazetteer import KM_PER_DEGREE, Gazetteer

BORDER_KM = 5.0  # how far from a border a place "on the border" may lie, beyond its own error radius


class Relation(BaseModel):
    """`direction`: the claim's place lies `direction` of `of`. `border`: on the border of `between`.
    `within`: inside the polygon of `of`. `words` quotes the text that states it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["direction", "border", "within"]
    words: str = Field(min_length=1)
    of: str | None = None
    direction: str | None = None
    between: tuple[str, ...] = ()

    def places(self) -> tuple[str, ...]:
        return (*((self.of,) if self.of else ()), *self.between)


class HasRelation(Protocol):
    """What `relation_flags` reads of a claim (geo.claims.model.Claim imports this module)."""

    @property
    def id(self) -> str: ...
    @property
    def place_id(self) -> str: ...
    @property
    def relation(self) -> Relation | None: ...


def relation_flags(claims: Iterable[HasRelation], gazetteer: Gazetteer) -> dict[str, str]:
    """Claim id -> how its stated relation disagrees with the geometry, for the claims that do."""
    return {
        c.id: flag
        for c in claims
        if c.relation is not None and (flag := check_relation(c.relation, c.place_id, gazetteer))
    }


def check_relation(relation: Relation, place_id: str, gazetteer: Gazetteer) -> str | None:
    """None when the geometry bears the statement out; otherwise a sentence saying how it differs."""
    place = gazetteer[place_id]
    if place.point is None:
        return f"'{relation.words}' cannot be checked: {place.name} has no point"
    point = Point(place.point.lon, place.point.lat)
    slack = (place.estimate.radius_km if place.estimate else 0.0) + BORDER_KM
    if relation.kind == "direction" and relation.of and relation.direction:
        ref = gazetteer[relation.of]
        if direction_matches(ref, place, relation.direction):
            return None
        b = bearing(ref, place)
        return (
            f"the text says '{relation.words}', but {place.name} lies {compass(b)} ({b:.0f}°) of "
            f"{ref.name}, {distance_km(ref, place):.0f} km away"
        )
    if relation.kind == "border":
        far = []
        for pid in relation.between:
            polygon = gazetteer.boundary(pid)
            km = polygon.boundary.distance(point) * KM_PER_DEGREE if polygon is not None else None
            if km is None or km > slack:
                far.append(f"{gazetteer[pid].name} ({'no boundary' if km is None else f'{km:.0f} km'})")
        if not far:
            return None
        return f"the text says '{relation.words}', but {place.name} is far from the border of " + ", ".join(far)
    if relation.kind == "within" and relation.of:
        polygon = gazetteer.boundary(relation.of)
        if polygon is not None and polygon.covers(point):
            return None
        return f"the text says '{relation.words}', but {place.name} is not inside {gazetteer[relation.of].name}"
    return f"'{relation.words}': relation is incomplete (needs `of`, `direction` or `between`)"
