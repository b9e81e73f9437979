"""Loading and validating the gazetteer: places from `places/*.yaml`, boundary layers, non-places.

Validation is strict because everything downstream trusts it: a claim is only as good as the
point it is drawn at. Every problem is reported with its file, line and place id, all at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
from pydantic import BaseModel, ConfigDict, ValidationError
from shapely import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.bundled import bundled
from geo.errors import GazetteerError
from geo.places.namekeys import norm_key
from geo.places.schema import Place
from geo.yamlrecords import field_errors, read_records, read_yaml

DEFAULT_ROOT = bundled("gazetteer")
KM_PER_DEGREE = 111.32  # at the equator; turns degree distances into (upper bounds of) kilometres


class Layer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    file: str
    key: str
    attribution: str
    licence: str


class NonPlace(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    kind: str


@dataclass(frozen=True)
class Origin:
    path: Path
    line: int


@dataclass(frozen=True, eq=False)  # identity equality: hashable, so it can key caches
class Gazetteer:
    """Places by id, their boundary layers, and the names known not to be places."""

    root: Path
    places: dict[str, Place]
    origins: dict[str, Origin]
    layers: dict[str, Layer]
    boundaries: dict[str, gpd.GeoDataFrame] = field(repr=False)
    non_places: dict[str, NonPlace] = field(repr=False)

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places.values())

    def __getitem__(self, place_id: str) -> Place:
        return self.places[place_id]

    def seat(self, place_id: str) -> Place | None:
        """The capital or centre of a place, where the gazetteer names it (`seat_of`)."""
        return self._seats.get(place_id)

    @cached_property
    def _seats(self) -> dict[str, Place]:
        return {of: place for place in self for of in place.seat_of}

    def boundary(self, place_id: str) -> BaseGeometry | None:
        """The polygon of a place that has one, in (x=lon, y=lat)."""
        ref = self.places[place_id].boundary
        if ref is None:
            return None
        return self.boundaries[ref.layer].geometry.get(ref.feature)

    @cached_property
    def frame(self) -> gpd.GeoDataFrame:
        """One row per pinned place, as points in EPSG:4326, for maps and spatial joins."""
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "type": p.type,
                "parents": ", ".join(p.parents),
                "variants": ", ".join(v.name for v in p.variants),
                "source": p.source.describe() if p.source else "",
                "estimate_km": p.estimate.radius_km if p.estimate else None,
                "out_of_area": p.out_of_area,
                "geometry": Point(p.point.lon, p.point.lat),
            }
            for p in self
            if p.point is not None
        ]
        return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def load_gazetteer(root: Path | str = DEFAULT_ROOT) -> Gazetteer:
    """Load and validate the gazetteer under `root`; raise `GazetteerError` listing every problem."""
    root = Path(root)
    problems: list[GazetteerError] = []
    places: dict[str, Place] = {}
    origins: dict[str, Origin] = {}
    files = sorted((root / "places").glob("*.yaml"))
    if not files:
        raise GazetteerError("no place files found; expected places/*.yaml", path=root / "places")
    for path in files:
        for line, raw in read_records(path, GazetteerError, "places"):
            place = _parse_place(raw, path, line, problems)
            if place is None:
                continue
            if place.id in places:
                first = origins[place.id]
                problems.append(
                    GazetteerError(
                        f"duplicate id, first defined at {first.path.name}:{first.line}; give one of them another id",
                        path=path,
                        line=line,
                        entry=place.id,
                    )
                )
                continue
            places[place.id] = place
            origins[place.id] = Origin(path, line)

    layers = _load_layers(root)
    boundaries = {name: _read_layer(root, name, layer) for name, layer in layers.items()}
    gaz = Gazetteer(root, places, origins, layers, boundaries, _load_non_places(root))
    problems += _check_references(gaz)
    if not problems:
        problems += _check_shared_names(gaz)
        problems += _check_points(gaz)
    if problems:
        raise GazetteerError.collected("the gazetteer", problems)
    return gaz


def _parse_place(raw: object, path: Path, line: int, problems: list[GazetteerError]) -> Place | None:
    entry = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(raw, dict):
        problems.append(GazetteerError("expected a mapping with id, name, type, point...", path=path, line=line))
        return None
    try:
        return Place.model_validate(raw)
    except ValidationError as err:
        problems += [GazetteerError(m, path=path, line=line, entry=str(entry)) for m in field_errors(err)]
        return None


def _load_layers(root: Path) -> dict[str, Layer]:
    path = root / "layers.yaml"
    data, _ = read_yaml(path, GazetteerError) if path.exists() else ({}, None)
    try:
        return {name: Layer.model_validate(spec) for name, spec in (data or {}).items()}
    except (ValidationError, AttributeError) as err:
        raise GazetteerError(f"bad layer definition: {err}", path=path) from err


def _read_layer(root: Path, name: str, layer: Layer) -> gpd.GeoDataFrame:
    path = root / layer.file
    try:
        frame = gpd.read_file(path)
    except Exception as err:  # pyogrio raises its own DataSourceError, OSError...
        raise GazetteerError(f"layer '{name}': cannot read {layer.file}: {err}", path=root / "layers.yaml") from err
    if layer.key not in frame.columns:
        raise GazetteerError(f"layer '{name}': {layer.file} has no property '{layer.key}'", path=root / "layers.yaml")
    return frame.set_index(frame[layer.key].astype(str)).to_crs("EPSG:4326")


def _load_non_places(root: Path) -> dict[str, NonPlace]:
    path = root / "non_places.yaml"
    if not path.exists():
        return {}
    out: dict[str, NonPlace] = {}
    for line, raw in read_records(path, GazetteerError, "non-places"):
        try:
            item = NonPlace.model_validate(raw)
        except ValidationError as err:
            raise GazetteerError(f"bad non-place entry: {err.errors()[0]['msg']}", path=path, line=line) from err
        out[norm_key(item.name)] = item
    return out


def _problem(gaz: Gazetteer, place_id: str, message: str) -> GazetteerError:
    origin = gaz.origins[place_id]
    return GazetteerError(message, path=origin.path, line=origin.line, entry=place_id)


def _check_references(gaz: Gazetteer) -> list[GazetteerError]:
    problems = []
    for place in gaz:
        for parent in place.parents:
            if parent not in gaz.places:
                problems.append(
                    _problem(gaz, place.id, f"parent '{parent}' is not a place id; fix the id or add that place")
                )
        if place.boundary is not None:
            ref = place.boundary
            if ref.layer not in gaz.boundaries:
                problems.append(_problem(gaz, place.id, f"boundary layer '{ref.layer}' is not in layers.yaml"))
            elif ref.feature not in gaz.boundaries[ref.layer].index:
                key = gaz.layers[ref.layer].key
                problems.append(
                    _problem(gaz, place.id, f"boundary feature {key}={ref.feature!r} is not in layer '{ref.layer}'")
                )
        for of in place.seat_of:
            if of not in place.parents:
                problems.append(
                    _problem(
                        gaz, place.id, f"seat_of '{of}' is not among its parents; a seat lies in what it is the seat of"
                    )
                )
        if place.yields_to is not None:
            target = gaz.places.get(place.yields_to)
            if target is None:
                problems.append(_problem(gaz, place.id, f"yields_to '{place.yields_to}' is not a place id"))
            elif not {norm_key(n) for n in place.names} & {norm_key(n) for n in target.names}:
                problems.append(
                    _problem(gaz, place.id, f"yields_to '{place.yields_to}' shares no name with it; remove yields_to")
                )
        dataset = place.source.dataset if place.source else None
        if dataset and dataset.startswith("boundaries/") and not (gaz.root / dataset).exists():
            problems.append(_problem(gaz, place.id, f"source dataset {dataset} does not exist"))
    return problems


def _check_shared_names(gaz: Gazetteer) -> list[GazetteerError]:
    """A spelling listed by two places is fine only when both say how they are told apart."""
    owners: dict[str, set[str]] = defaultdict(set)
    for place in gaz:
        for name in place.names:
            owners[norm_key(name)].add(place.id)
    problems = []
    for key, ids in sorted(owners.items()):
        if len(ids) < 2:
            continue
        for pid in sorted(ids):
            if gaz.places[pid].ambiguity is None:
                others = ", ".join(f"'{o}'" for o in sorted(ids - {pid}))
                spelled = next(n for n in gaz.places[pid].names if norm_key(n) == key)
                problems.append(
                    _problem(
                        gaz,
                        pid,
                        f"name '{spelled}' is also listed by {others}; add an `ambiguity:` note saying how "
                        "they are told apart, or remove the name from one of them",
                    )
                )
    return problems


def _check_points(gaz: Gazetteer) -> list[GazetteerError]:
    """A point must lie inside every parent polygon; an estimate within its radius of it;
    a place that `spans_parents` (a town astride a border) inside or within reach of any one."""
    problems = []
    for place in gaz:
        if place.point is None:
            continue
        point = Point(place.point.lon, place.point.lat)
        slack_deg = place.estimate.radius_km / KM_PER_DEGREE if place.estimate else 0.0
        polygons = {pid: poly for pid in place.parents if (poly := gaz.boundary(pid)) is not None}
        if not polygons:
            continue
        if place.spans_parents:
            union = unary_union(list(polygons.values()))
            if union.distance(point) > slack_deg:
                problems.append(_problem(gaz, place.id, f"point {_fmt(place)} is outside all of its parents"))
            continue
        for pid, poly in polygons.items():
            if not poly.covers(point) and poly.distance(point) > slack_deg:
                reach = (
                    f" and more than its estimate's {place.estimate.radius_km:g} km from it" if place.estimate else ""
                )
                problems.append(
                    _problem(
                        gaz,
                        place.id,
                        f"point {_fmt(place)} is outside the polygon of its parent '{pid}'{reach}; "
                        "check the coordinates (lat, lon order?) or the parent",
                    )
                )
    return problems


def _fmt(place: Place) -> str:
    assert place.point is not None
    return f"({place.point.lat}, {place.point.lon})"
