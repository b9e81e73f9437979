"""The bundled gazetteer: complete for the seeds and the theatre, every point sourced and placed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Point
from shapely.geometry import MultiPolygon
from shapely.ops import polylabel

from geo import Gazetteer, Resolver
from tests.conftest import ROOT, SEEDS

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

#: Every place the five seed articles name, by id.
SEED_PLACES = [
    "panjshir-province",
    "panjshir-valley",
    "panjshir-river",
    "bazarak",
    "bazarak-governors-compound",
    "darband",
    "khawak-pass",
    "gulbahar",
    "charikar",
    "andarab-district",
    "kapisa-province",
    "parwan-province",
    "baghlan-province",
    "samangan-province",
    "kabul",
    "hindu-kush",
    "anaba-district",
    "rokha-district",
    "shutul-district",
    "paryan-district",
    "tajikistan",
    "pakistan",
    "islamabad",
]
#: District centres and passes that 2021 reporting names beyond the seeds.
THEATRE_PLACES = ["jabal-saraj", "salang-pass", "salang-district", "anjuman-pass", "banu", "deh-salah", "pul-e-hisar"]


def test_seed_copies_are_byte_identical() -> None:
    sums = dict(line.split()[::-1] for line in (SEEDS / "SHA256SUMS").read_text().splitlines())
    files = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert files == sorted(sums), "seeds/SHA256SUMS must list exactly the seed files"
    for name in files:
        data = (SEEDS / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sums[name], name
        if SHARED_SEEDS.is_dir():
            assert data == (SHARED_SEEDS / name).read_bytes(), f"{name} differs from ../shared/seeds"


@pytest.mark.parametrize("place_id", SEED_PLACES + THEATRE_PLACES)
def test_named_place_is_present(gazetteer: Gazetteer, place_id: str) -> None:
    assert place_id in gazetteer.places


def test_all_provinces_and_the_four_provinces_districts(gazetteer: Gazetteer) -> None:
    provinces = [p for p in gazetteer if p.type == "province"]
    districts = [p for p in gazetteer if p.type == "district"]
    assert len(provinces) == 34
    assert len(districts) == 39
    by_province = {pid: sum(pid in d.parents for d in districts) for pid in ["panjshir-province", "parwan-province"]}
    assert by_province == {"panjshir-province": 7, "parwan-province": 10}
    assert all(d.boundary is not None for d in districts)


def test_every_point_has_a_source_and_every_estimate_a_radius(gazetteer: Gazetteer) -> None:
    for place in gazetteer:
        if place.point is not None:
            assert place.source is not None, place.id
        else:
            assert place.unpinned, place.id
        if place.source and place.source.method and place.source.method.startswith("estimate"):
            assert place.estimate is not None and place.estimate.radius_km > 0, place.id


def test_out_of_area_places_are_marked(gazetteer: Gazetteer) -> None:
    for pid in ["tajikistan", "pakistan", "islamabad", "moscow", "cairo"]:
        assert gazetteer[pid].out_of_area, pid
    assert not gazetteer["afghanistan"].out_of_area
    assert not gazetteer["kabul"].out_of_area


@pytest.mark.parametrize(
    ("place_id", "district"),
    [("bazarak", "bazarak-district"), ("khawak-pass", "paryan-district"), ("charikar", "charikar-district")],
)
def test_points_fall_in_their_district(gazetteer: Gazetteer, place_id: str, district: str) -> None:
    point = gazetteer[place_id].point
    assert point is not None
    assert gazetteer.boundary(district).covers(Point(point.lon, point.lat))


def test_boundary_attribution_is_kept() -> None:
    readme = (ROOT / "gazetteer" / "README.md").read_text()
    assert "geoBoundaries" in readme and "Runfola et al. 2020" in readme
    assert "GeoNames" in readme and "CC BY 4.0" in readme


def test_frame_has_one_point_per_pinned_place(gazetteer: Gazetteer) -> None:
    frame = gazetteer.frame
    assert len(frame) == sum(p.point is not None for p in gazetteer)
    assert frame.crs.to_epsg() == 4326
    row = frame.set_index("id").loc["bazarak"]
    assert (row.geometry.y, row.geometry.x) == (35.31292, 69.51519)


def test_places_files_are_found_relative_to_the_package(gazetteer: Gazetteer) -> None:
    assert Path(gazetteer.root, "places").is_dir()


def test_every_place_that_resolves_has_a_point(gazetteer: Gazetteer) -> None:
    """A mention must be drawable: every place any name resolves to carries coordinates."""
    resolver = Resolver(gazetteer)
    unpinned = {
        p.id
        for place in gazetteer
        for name in place.names
        if (p := resolver.resolve(name).place) is not None and p.point is None
    }
    assert unpinned == set()


@pytest.mark.parametrize(
    ("place_id", "lat", "lon"),
    [
        ("pakistan", 30, 70),
        ("qatar", 25.5, 51.25),
        ("united-states", 38, -97),
        ("russia", 60, 100),
        ("tajikistan", 39, 71),
    ],
)
def test_countries_have_a_sourced_representative_point(
    gazetteer: Gazetteer, place_id: str, lat: float, lon: float
) -> None:
    place = gazetteer[place_id]
    assert place.point is not None and (place.point.lat, place.point.lon) == (lat, lon)
    assert place.precision == "country"
    assert place.source is not None and "countryinfo 1.0.1" in (place.source.dataset or "")


def test_country_points_name_their_precision(gazetteer: Gazetteer) -> None:
    countries = [p for p in gazetteer if p.type == "country"]
    assert len(countries) >= 14
    assert all(p.point is not None and p.precision == "country" for p in countries)


PROVINCES_UTM = "EPSG:32642"


def test_province_points_are_inside_and_central(gazetteer: Gazetteer) -> None:
    """Each province's point is inside its polygon and is its polylabel (within 1 km): Badakhshan's
    is no longer out in the Wakhan corridor."""
    provinces = [p for p in gazetteer if p.type == "province"]
    assert len(provinces) == 34
    for place in provinces:
        polygon = gazetteer.boundary(place.id)
        assert polygon is not None and place.point is not None, place.id
        assert polygon.contains(Point(place.point.lon, place.point.lat)), place.id
        assert place.precision == "province" and "polylabel" in (place.source.method or ""), place.id
        utm = gpd.GeoSeries([polygon, Point(place.point.lon, place.point.lat)], crs=4326).to_crs(PROVINCES_UTM)
        shape = max(utm.iloc[0].geoms, key=lambda g: g.area) if isinstance(utm.iloc[0], MultiPolygon) else utm.iloc[0]
        assert polylabel(shape, tolerance=100).distance(utm.iloc[1]) < 1000, place.id
    badakhshan = gazetteer["badakhshan-province"].point
    assert badakhshan is not None and badakhshan.lon < 71.5  # the Wakhan corridor starts east of 71.5°E
