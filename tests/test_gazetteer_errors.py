"""One bad record per test, and the exact error it gets: file, line, entry and a fix."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

import geo.errors
from geo import GazetteerError, GeoError, load_gazetteer
from tests.conftest import BASE_PLACES


def places_with(**changes: dict) -> list[dict]:
    """BASE_PLACES with fields of the named places replaced (None deletes a field)."""
    places = copy.deepcopy(BASE_PLACES)
    for place in places:
        for key, value in changes.get(place["id"].replace("-", "_"), {}).items():
            if value is None:
                place.pop(key, None)
            else:
                place[key] = value
    return places


def test_the_base_fixture_is_valid(make_gazetteer: Callable[..., Path]) -> None:
    assert len(load_gazetteer(make_gazetteer(BASE_PLACES))) == 4


def test_duplicate_id(make_gazetteer: Callable[..., Path]) -> None:
    places = [*copy.deepcopy(BASE_PLACES), copy.deepcopy(BASE_PLACES[3])]
    with pytest.raises(GazetteerError, match=r"test\.yaml:\d+: place 'bazarak': duplicate id") as info:
        load_gazetteer(make_gazetteer(places))
    problem = info.value.problems[0]
    assert problem.entry == "bazarak" and problem.path.endswith("test.yaml") and problem.line is not None


def test_variant_shared_without_ambiguity_note(make_gazetteer: Callable[..., Path]) -> None:
    places = places_with(bazarak={"ambiguity": None})
    with pytest.raises(GazetteerError, match=r"place 'bazarak': name 'Bazarak' is also listed by 'bazarak-district'"):
        load_gazetteer(make_gazetteer(places))


def test_variant_shared_after_normalisation(make_gazetteer: Callable[..., Path]) -> None:
    extra = {
        "id": "pazark-village",
        "name": "Pāzārk",
        "type": "village",
        "parents": ["panjshir-province"],
        "point": {"lat": 35.3, "lon": 69.5},
        "source": {"geonames": 1},
    }
    with pytest.raises(GazetteerError, match=r"place 'pazark-village': name 'Pāzārk' is also listed by 'bazarak'"):
        load_gazetteer(make_gazetteer([*copy.deepcopy(BASE_PLACES), extra]))


@pytest.mark.parametrize(("lat", "lon", "field"), [(135.3, 69.5, "point.lat"), (35.3, 269.5, "point.lon")])
def test_coordinates_out_of_range(make_gazetteer: Callable[..., Path], lat: float, lon: float, field: str) -> None:
    places = places_with(bazarak={"point": {"lat": lat, "lon": lon}})
    with pytest.raises(GazetteerError, match=rf"place 'bazarak': {field}: Input should be less than or equal to"):
        load_gazetteer(make_gazetteer(places))


def test_point_outside_parent_polygon(make_gazetteer: Callable[..., Path]) -> None:
    places = places_with(bazarak={"point": {"lat": 69.51519, "lon": 35.31292}})  # lat and lon swapped
    with pytest.raises(GazetteerError, match=r"outside the polygon of its parent 'panjshir-province'.*lat, lon order"):
        load_gazetteer(make_gazetteer(places))


def test_estimate_may_lie_within_its_radius_of_the_parent(make_gazetteer: Callable[..., Path]) -> None:
    near = {"lat": 35.105, "lon": 69.44}  # about 6 km south of Panjshir's southern edge
    parents = ["afghanistan", "panjshir-province"]
    estimate = {"radius_km": 10, "basis": "test"}
    assert load_gazetteer(
        make_gazetteer(places_with(bazarak={"point": near, "estimate": estimate, "parents": parents}))
    )
    narrow = {"point": near, "estimate": estimate | {"radius_km": 1}, "parents": parents}
    with pytest.raises(GazetteerError, match=r"'panjshir-province' and more than its estimate's 1 km from it"):
        load_gazetteer(make_gazetteer(places_with(bazarak=narrow)))


def test_missing_source(make_gazetteer: Callable[..., Path]) -> None:
    with pytest.raises(GazetteerError, match=r"place 'bazarak': .*a point needs a source"):
        load_gazetteer(make_gazetteer(places_with(bazarak={"source": None})))


def test_source_that_names_nothing(make_gazetteer: Callable[..., Path]) -> None:
    with pytest.raises(GazetteerError, match=r"source must name a GeoNames id, a dataset or a page"):
        load_gazetteer(make_gazetteer(places_with(bazarak={"source": {"method": "guess"}})))


def test_unknown_parent(make_gazetteer: Callable[..., Path]) -> None:
    places = places_with(bazarak={"parents": ["panjshir-provinse"]})
    with pytest.raises(GazetteerError, match=r"parent 'panjshir-provinse' is not a place id"):
        load_gazetteer(make_gazetteer(places))


def test_unknown_boundary_feature(make_gazetteer: Callable[..., Path]) -> None:
    places = places_with(panjshir_province={"boundary": {"layer": "provinces", "feature": "Panjsher"}})
    with pytest.raises(GazetteerError, match=r"boundary feature province='Panjsher' is not in layer 'provinces'"):
        load_gazetteer(make_gazetteer(places))


def test_unknown_field_is_refused(make_gazetteer: Callable[..., Path]) -> None:
    with pytest.raises(GazetteerError, match=r"place 'bazarak': lattitude: Extra inputs are not permitted"):
        load_gazetteer(make_gazetteer(places_with(bazarak={"lattitude": 35.0})))


def test_no_point_and_no_reason(make_gazetteer: Callable[..., Path]) -> None:
    with pytest.raises(GazetteerError, match=r"place 'afghanistan': .*say why in `unpinned:`"):
        load_gazetteer(make_gazetteer(places_with(afghanistan={"unpinned": None})))


def test_broken_yaml_names_file_and_line(make_gazetteer: Callable[..., Path]) -> None:
    root = make_gazetteer(BASE_PLACES)
    (root / "places" / "broken.yaml").write_text("- id: x\n  name: [unclosed\n")
    with pytest.raises(GazetteerError, match=r"broken\.yaml:\d+: not valid YAML"):
        load_gazetteer(root)


def test_not_utf8(make_gazetteer: Callable[..., Path]) -> None:
    root = make_gazetteer(BASE_PLACES)
    (root / "places" / "latin1.yaml").write_bytes("- id: bāzārak\n".encode("utf-16"))
    with pytest.raises(GazetteerError, match=r"latin1\.yaml: not UTF-8 text"):
        load_gazetteer(root)


def test_every_problem_is_reported_at_once(make_gazetteer: Callable[..., Path]) -> None:
    places = places_with(bazarak={"source": None}, bazarak_district={"parents": ["nowhere"]})
    with pytest.raises(GazetteerError) as info:
        load_gazetteer(make_gazetteer(places))
    assert {p.entry for p in info.value.problems} == {"bazarak", "bazarak-district"}
    assert str(info.value).startswith("2 problem(s) in the gazetteer")


def test_every_error_class_derives_from_geo_error() -> None:
    classes = [c for c in vars(geo.errors).values() if isinstance(c, type) and issubclass(c, Exception)]
    assert len(classes) >= 3
    assert all(issubclass(c, GeoError) for c in classes)


def test_yields_to_an_unknown_place(make_gazetteer: Callable[..., Path]) -> None:
    places = places_with(bazarak={"yields_to": "bazarak-districtt"})
    with pytest.raises(GazetteerError, match=r"place 'bazarak': yields_to 'bazarak-districtt' is not a place id"):
        load_gazetteer(make_gazetteer(places))


def test_yields_to_a_place_of_another_name(make_gazetteer: Callable[..., Path]) -> None:
    places = places_with(bazarak={"yields_to": "panjshir-province"})
    with pytest.raises(GazetteerError, match=r"place 'bazarak': yields_to 'panjshir-province' shares no name with it"):
        load_gazetteer(make_gazetteer(places))
