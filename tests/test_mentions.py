"""find_mentions(): every expected mention in every seed, with exact spans."""

from __future__ import annotations

import pytest
import yaml

from geo import Gazetteer, MentionFinder, Resolver, find_mentions
from tests.conftest import ROOT, SEEDS

EXPECTED: dict[str, list[list]] = yaml.safe_load((ROOT / "claims" / "seed_mentions.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def finder(resolver: Resolver) -> MentionFinder:
    return MentionFinder(resolver)


def test_every_seed_has_expectations() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("document", sorted(EXPECTED))
def test_seed_mentions(finder: MentionFinder, document: str) -> None:
    text = (SEEDS / document).read_text(encoding="utf-8")
    found = [(m.text, m.start, m.resolution.place.id) for m in finder.find(text)]
    expected = [tuple(row) for row in EXPECTED[document]]
    assert [row for row in expected if row not in found] == [], "missed mentions"
    assert [row for row in found if row not in expected] == [], "unexpected mentions"
    for surface, start, _ in expected:
        assert text[start : start + len(surface)] == surface


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "They took the Shattal district, northeast of Panjshir.",
            [("Shattal", "shutul-district"), ("Panjshir", "panjshir-province")],
        ),
        ("Fighting in Shotul district.", [("Shotul", "shutul-district")]),
        ("Fighting in Shootul district.", [("Shootul", "shutul-district")]),
        (
            "Salang pass was closed, and so was Bazarak district.",
            [("Salang pass", "salang-pass"), ("Bazarak", "bazarak-district")],
        ),
        ("They reached Bazarak.", [("Bazarak", "bazarak")]),
        ("The river: Panjshir river floods.", [("Panjshir river", "panjshir-river")]),
        ("the province of Kabul", [("Kabul", "kabul-province")]),
        ("Bryan Adams sang in Toronto.", []),
        (
            'the "Bryan" district in the province of Panjshir',
            [("Bryan", "paryan-district"), ("Panjshir", "panjshir-province")],
        ),
        ("tell us about it", []),
        ("Kabulistan and Kabul’s hospital", [("Kabul", "kabul")]),
        ("The Taliban and Massoud", []),
        ("", []),
        # Foreign desks' spellings in running text, found through a cue word or a place nearby.
        (
            "Also in the district Kuh-i-Safi east of Tscharikar have the Taliban checkpoints.",
            [("Kuh-i-Safi", "koh-e-safi-district"), ("Tscharikar", "charikar")],
        ),
        (
            "Les talibans ont pris Chotoul et Pariane, dans la province de Pandjchir.",
            [("Chotoul", "shutul-district"), ("Pariane", "paryan-district"), ("Pandjchir", "panjshir-province")],
        ),
        (
            "The militants passed the districts Shutul, Parjan, Anava and Khindzh.",
            [("Shutul", "shutul-district"), ("Parjan", "paryan-district"), ("Anava", "anaba-district"), ("Khindzh", "khenj-district")],
        ),
        ("Heavy fights at the Chawak-Pass.", [("Chawak-Pass", "khawak-pass")]),
        ("The Salang road is cut.", [("Salang", "salang-pass")]),
        ("Die Kämpfer zogen sich aus Pandschir nach Dschabal-us-Siradsch und Charikar zurück, sagte Mudschahid.", [("Pandschir", "panjshir-province"), ("Dschabal-us-Siradsch", "jabal-saraj"), ("Charikar", "charikar")]),
        ("Kämpfer aus Pandschir, sagte Mudschahid.", []),  # no place named nearby: nothing is guessed
        ("Fighters reached Gulbakhar and the Pandzhsher gorge.", [("Gulbakhar", "gulbahar"), ("Pandzhsher", "panjshir-valley")]),
        # One sense per text: a spelling accepted once counts everywhere in the article.
        ("Pandjchir: the talibans claim victory. They entered the province of Pandjchir.", [("Pandjchir", "panjshir-province"), ("Pandjchir", "panjshir-province")]),
        # People, outlets and common words next to places stay people, outlets and words.
        (
            "Saleh said the Taliban lost Deh Saleh; Massoud and Mujahid spoke to TASS in Kabul on Monday.",
            [("Deh Saleh", "deh-salah-district"), ("Kabul", "kabul")],
        ),
        ("Amrullah Saleh wrote from Bazarak that Moudjahid and the Talibans lied.", [("Bazarak", "bazarak")]),
        ("The resistance was alive in every valley of Panjshir.", [("Panjshir", "panjshir-province")]),
        ("A Russian diplomat in Kabul", [("Kabul", "kabul")]),
    ],
)  # fmt: skip
def test_mentions_in_sentences(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_mentions(text)
    assert [(m.text, m.resolution.place.id) for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.text


def test_spans_survive_non_ascii_text(gazetteer: Gazetteer) -> None:
    text = "İİ “Bāzārak” — ‘Unābah, Gul-Bahar"
    found = find_mentions(text, gazetteer)
    assert [(m.text, m.resolution.place.id) for m in found] == [
        ("Bāzārak", "bazarak"),
        ("‘Unābah", "unabah"),
        ("Gul-Bahar", "gulbahar"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_mention_json_fields() -> None:
    (m,) = find_mentions("in Pazark")
    d = m.to_dict()
    assert {k: d[k] for k in ("mention", "start", "end", "place_id", "name", "method")} == {
        "mention": "Pazark",
        "start": 3,
        "end": 9,
        "place_id": "bazarak",
        "name": "Bazarak",
        "method": "variant",
    }
    assert (d["lat"], d["lon"]) == (35.31292, 69.51519) and d["score"] == 1.0
