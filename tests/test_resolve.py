"""resolve(): how each kind of spelling lands, and what is refused."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from geo import Gazetteer, ResolveError, Resolver, load_gazetteer, resolve
from geo.places.gazetteer import DEFAULT_ROOT
from tests.conftest import BASE_PLACES, write_gazetteer


@pytest.mark.parametrize(
    ("name", "place_id", "method"),
    [
        ("Bazarak", "bazarak", "exact"),
        ("Pazark", "bazarak", "variant"),
        ("Shatel", "shutul-district", "variant"),
        ("Shattal", "shutul-district", "variant"),
        ("Bryan", "paryan-district", "variant"),
        ("Gul Bahar", "gulbahar", "variant"),
        ("gul-bahar", "gulbahar", "normalised"),
        ("BĀZĀRAK", "bazarak", "normalised"),
        ("Charikaar", "charikar", "transliteration"),
        ("Khavak", "khawak-pass", "transliteration"),
        ("Puli Hisar", "pul-e-hisar-district", "variant"),
        ("Pol-e Hesar", "pul-e-hisar-district", "variant"),  # the town yields_to its district
        ("Deh Salah", "deh-salah-district", "exact"),
        # Foreign desks' spellings (German, French, Russian) under the transliteration keys.
        ("Pandschir", "panjshir-province", "transliteration"),
        ("Pandjchir", "panjshir-province", "transliteration"),
        ("Pandzhsher", "panjshir-province", "transliteration"),
        ("Tscharikar", "charikar", "transliteration"),
        ("Tcharikar", "charikar", "transliteration"),
        ("Dschabal Saradsch", "jabal-saraj", "transliteration"),
        ("Djabal-ous-Saradj", "jabal-saraj", "transliteration"),
        ("Dzhabal-us-Saradzh", "jabal-saraj", "transliteration"),
        ("Chawak", "khawak-pass", "transliteration"),
        ("Chotoul", "shutul-district", "transliteration"),
        ("Schutul", "shutul-district", "transliteration"),
        ("Roukha", "rokha-district", "transliteration"),
        ("Rucha", "rokha-district", "transliteration"),
        ("Andarabe", "andarab-district", "transliteration"),
        ("Pariane", "paryan-district", "transliteration"),
        ("Parjan", "paryan-district", "transliteration"),
        ("Parouan", "parwan-province", "transliteration"),
        ("Gulbakhar", "gulbahar", "transliteration"),
        ("Goulbahar", "gulbahar", "transliteration"),
        ("Basarak", "bazarak", "transliteration"),
        ("Hindukusch", "hindu-kush", "transliteration"),
        ("Kouh Band", "koh-band-district", "transliteration"),
        ("Kuh-i-Safi", "koh-e-safi-district", "transliteration"),
        ("Pul-i-Chumri", "pul-e-khumri", "transliteration"),
        ("Poul-e Hessar", "pul-e-hisar-district", "transliteration"),
        ("Pul-i-Khisar", "pul-e-hisar-district", "transliteration"),
        ("Dih Salah", "deh-salah-district", "variant"),
        ("Hisa-i-Awal", "khenj-district", "transliteration"),
        ("Bazrak", "bazarak", "fuzzy"),
        ("Anaba", "anaba-district", "exact"),
        ("Darband", "darband", "exact"),
        ("Khawak", "khawak-pass", "variant"),
        ("CAIRO", "cairo", "normalised"),
        ("US", "united-states", "variant"),
    ],
)
def test_resolves(resolver: Resolver, name: str, place_id: str, method: str) -> None:
    result = resolver.resolve(name)
    assert result.place is not None, result.explanation
    assert (result.place.id, result.method) == (place_id, method)
    assert 0 < result.score <= 1
    assert result.explanation.startswith(f"{name} → ")


@pytest.mark.parametrize(
    "name",
    [
        *("Taliban", "Masoud", "Kabulistan", "Talibaan", "Massod", "us", "Afghan", "", "  ", "x"),
        *("Saleh", "Massoud", "Mujahid", "Masud", "Mudschahid", "Moudjahid", "Russian", "Talibans"),
    ],
)
def test_refuses_non_places(resolver: Resolver, name: str) -> None:
    result = resolver.resolve(name)
    assert result.place is None and result.method is None and result.score == 0
    assert result.explanation


def test_refusal_says_why(resolver: Resolver) -> None:
    assert "listed as a faction" in resolver.resolve("Taliban").explanation
    assert "closely enough" in resolver.resolve("Kabulistan").explanation


def test_explanation_for_machine_translation(resolver: Resolver) -> None:
    assert resolver.resolve("Pazark").explanation.startswith("Pazark → Bazarak (town): listed variant (")
    assert "machine translation" in resolver.resolve("Pazark").explanation


@pytest.fixture(scope="module")
def bare_resolver(tmp_path_factory: pytest.TempPathFactory) -> Resolver:
    """The bundled gazetteer with every variant removed: only canonical names are known."""
    import yaml

    root = tmp_path_factory.mktemp("bare")
    places = []
    for path in sorted((DEFAULT_ROOT / "places").glob("*.yaml")):
        for place in yaml.safe_load(path.read_text(encoding="utf-8")):
            place.pop("variants", None)
            places.append(place)
    write_gazetteer(root, places, files={"non_places.yaml": (DEFAULT_ROOT / "non_places.yaml").read_text()})
    return Resolver(load_gazetteer(root))


@pytest.mark.parametrize(
    ("unseen", "place_id"),
    [
        ("Panjsher", "panjshir-province"),
        ("Rukha", "rokha-district"),
        ("Anabah", "anaba-district"),
        ("Shotul", "shutul-district"),
        ("Parian", "paryan-district"),
        ("Golbahar", "gulbahar"),
        ("Bazaarak", "bazarak"),
        ("Jabal us Saraj", "jabal-saraj"),
        ("Andarap", "andarab-district"),
        ("Baghlaan", "baghlan-province"),
    ],
)
def test_unseen_romanisations_resolve_without_listed_variants(
    bare_resolver: Resolver, unseen: str, place_id: str
) -> None:
    result = bare_resolver.resolve(unseen)
    assert result.place is not None, result.explanation
    assert result.place.id == place_id
    assert result.method in ("transliteration", "fuzzy")


def test_panjshir_is_ambiguous_and_ranked(resolver: Resolver) -> None:
    result = resolver.resolve("Panjshir")
    assert result.ambiguous
    assert [c.place.id for c in result.candidates] == ["panjshir-province", "panjshir-valley", "panjshir-river"]


def test_context_picks_among_same_named_places(make_gazetteer: Callable[..., Path]) -> None:
    """Two Darbands in different provinces: the places named nearby decide."""
    darband = {"name": "Darband", "type": "area", "source": {"page": "test"}, "ambiguity": "two Darbands"}
    extra = [
        {"id": "parwan-province", "name": "Parwan", "type": "province", "parents": ["afghanistan"],
         "point": {"lat": 34.9573, "lon": 68.8851}, "source": {"page": "test"},
         "boundary": {"layer": "provinces", "feature": "Parwan"}},
        darband | {"id": "darband-panjshir", "parents": ["panjshir-province"], "point": {"lat": 35.3, "lon": 69.6}},
        darband | {"id": "darband-parwan", "parents": ["parwan-province"], "point": {"lat": 35.0, "lon": 68.9}},
    ]  # fmt: skip
    resolver = Resolver(load_gazetteer(make_gazetteer([*copy.deepcopy(BASE_PLACES), *extra])))
    plain = resolver.resolve("Darband")
    assert plain.ambiguous and {c.place.id for c in plain.candidates} == {"darband-panjshir", "darband-parwan"}
    assert resolver.resolve("Darband", context=["parwan-province"]).place.id == "darband-parwan"
    near_bazarak = resolver.resolve("Darband", context=["bazarak"])
    assert near_bazarak.place.id == "darband-panjshir"
    assert "places named nearby" in near_bazarak.explanation or plain.place.id == "darband-panjshir"


def test_module_level_resolve_uses_the_bundled_gazetteer() -> None:
    assert resolve("Pazark").place.name == "Bazarak"


def test_non_text_is_an_error(resolver: Resolver) -> None:
    with pytest.raises(ResolveError, match="expected a place name as text"):
        resolver.resolve(None)  # type: ignore[arg-type]


def test_to_dict_is_json_ready(resolver: Resolver, gazetteer: Gazetteer) -> None:
    d = resolver.resolve("Pazark").to_dict()
    assert d["place_id"] == "bazarak" and d["lat"] == gazetteer["bazarak"].point.lat
    assert d["candidates"][0]["place_id"] == "bazarak"


def test_fuzzy_candidates_come_ranked_one_per_place(resolver: Resolver) -> None:
    """A fuzzy match offers its candidates best first, one per place, whether one spelling key
    matched (they are then taken in the index's order) or several did (they are re-ranked)."""
    from geo.places.resolve import _ranked

    seen_fuzzy = 0
    for name in [n for place in resolver.gazetteer for n in place.names if n.isascii() and len(n) >= 6]:
        for query in (name[:-1] + "x", name[0] + name[2:], name + "a"):
            result = resolver.resolve(query)
            if result.method == "fuzzy":
                seen_fuzzy += 1
                assert result.candidates == _ranked(list(result.candidates)), query
                assert len({c.place.id for c in result.candidates}) == len(result.candidates)
    assert seen_fuzzy > 100
