"""The schema of a gazetteer record, declared once: it drives validation and the docs.

Coordinates are (lat, lon) here, as in the data files; geometries built from them are
(x=lon, y=lat). Every point carries its source, and an estimated point says so with a radius.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PlaceType = Literal[
    "country",
    "province",
    "district",
    "city",
    "town",
    "village",
    "valley",
    "river",
    "range",
    "pass",
    "area",
    "building",
]

#: When one name fits several places and nothing in the text decides, this order decides:
#: news names a capital city before the province of the same name, a town before its district.
TYPE_PRIORITY: dict[str, int] = {
    t: i
    for i, t in enumerate(
        [
            "country",
            "city",
            "province",
            "town",
            "district",
            "valley",
            "pass",
            "area",
            "village",
            "river",
            "range",
            "building",
        ]
    )
}


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LatLon(_Record):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class CoordinateSource(_Record):
    """Where a point comes from: a GeoNames id, a bundled dataset feature, or a cited page."""

    geonames: int | None = None
    dataset: str | None = None
    feature: str | None = None
    page: str | None = None
    method: str | None = None

    @model_validator(mode="after")
    def _names_something(self) -> CoordinateSource:
        if self.geonames is None and not self.dataset and not self.page:
            raise ValueError("source must name a GeoNames id, a dataset or a page")
        return self

    def describe(self) -> str:
        parts = []
        if self.geonames is not None:
            parts.append(f"GeoNames {self.geonames}")
        if self.dataset:
            parts.append(self.dataset + (f" [{self.feature}]" if self.feature else ""))
        if self.page:
            parts.append(self.page)
        if self.method:
            parts.append(self.method)
        return "; ".join(parts)


class Estimate(_Record):
    radius_km: float = Field(gt=0)
    basis: str = Field(min_length=1)


class Variant(_Record):
    """A spelling seen for a place. `context_only` variants are common words elsewhere ("Bryan")
    and count as mentions only near another place; `match_case` ones ("US") only as written."""

    name: str = Field(min_length=1)
    note: str | None = None
    context_only: bool = False
    match_case: bool = False


class BoundaryRef(_Record):
    layer: str
    feature: str


class Place(_Record):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str = Field(min_length=1)
    type: PlaceType
    parents: tuple[str, ...] = ()
    point: LatLon | None
    source: CoordinateSource | None = None
    estimate: Estimate | None = None
    #: What a point stands for when the place is an area or a line, not a spot: a country's or a
    #: province's label point is where its name goes, not where anything happened.
    precision: Literal["country", "province", "district", "line", "range"] | None = None
    unpinned: str | None = None
    codes: dict[str, str | int] = Field(default_factory=dict)
    boundary: BoundaryRef | None = None
    variants: tuple[Variant, ...] = ()
    ambiguity: str | None = None
    #: The id of a place of the same name that the name alone means: a district centre too small
    #: for news to name ("Deh Salah") yields to its district unless a cue word ("town") says otherwise.
    yields_to: str | None = None
    notes: str | None = None
    out_of_area: bool = False
    spans_parents: bool = False
    #: The places whose seat it is (a country's capital, a province's capital, a district's centre):
    #: what "the provincial capital" or "the district centre" refers to once the province or district is named.
    seat_of: tuple[str, ...] = ()

    @field_validator("variants", mode="before")
    @classmethod
    def _plain_variants(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _point_is_accounted_for(self) -> Place:
        if self.point is not None and self.source is None:
            raise ValueError("a point needs a source (GeoNames id, dataset or page); add `source:`")
        if self.point is None and not self.unpinned:
            raise ValueError("no point: give one with its source, or say why in `unpinned:`")
        if self.estimate is not None and self.point is None:
            raise ValueError("an estimate needs the estimated point")
        if self.type == "country" and self.point is not None and self.precision != "country":
            raise ValueError("a country's point is a representative point; say so with `precision: country`")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *(v.name for v in self.variants))

    def label(self) -> str:
        return f"{self.name} ({self.type})"
