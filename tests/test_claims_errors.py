"""One bad claim per test, and the error it gets: file, line, claim id, what to fix."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from geo import Gazetteer
from geo.claims.model import DEFAULT_CLAIMS, load_claims
from geo.errors import ClaimError, GeoError

GOOD = {
    "id": "t-01",
    "document": "004_9664b19b629e403e.txt",
    "quote": "The northern province of Panjshir is the only pocket of resistance to the Taliban.",
    "start": 2461,
    "end": 2543,
    "place_text": "Panjshir",
    "place_id": "panjshir-province",
    "geo_precision": "province",
    "claimant": {"kind": "outlet", "role": "TASS"},
    "subject": "nrf",
    "type": "holds",
    "date": {"start": "2021-08-30", "end": "2021-08-30", "basis": "stated", "evidence": "dateline"},
}


def load(tmp_path: Path, gazetteer: Gazetteer, *claims: dict) -> object:
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(list(claims), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_claims(path, vocabulary=DEFAULT_CLAIMS / "vocabulary.yaml", gazetteer=gazetteer)


def bad(**changes: object) -> dict:
    claim = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is None:
            claim.pop(key)
        else:
            claim[key] = value
    return claim


def test_the_good_claim_loads(tmp_path: Path, gazetteer: Gazetteer) -> None:
    assert len(load(tmp_path, gazetteer, GOOD)) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": 2462, "end": 2544}, r"quote differs from 004_9664b19b629e403e\.txt\[2462:2544\]; the quote is at 2461-2543"),
        ({"quote": "The northern province of Panjshir is the only pocket of resistance.", "end": 2530}, r"the quote is not in it"),
        ({"place_text": "Kabul"}, r"place_text 'Kabul' is not in the quote"),
        ({"place_id": "kabul"}, r"place_text 'Panjshir' resolves to panjshir-province, not 'kabul'"),
        ({"place_id": "panjsher"}, r"place_id 'panjsher' is not in the gazetteer"),
        ({"geo_precision": "point"}, r"geo_precision 'point' does not fit a province"),
        ({"claimant": {"kind": "oracle"}}, r"claimant kind 'oracle' is not in the vocabulary"),
        ({"claimant": {"kind": "outlet", "faction": "isis"}}, r"claimant faction 'isis' is not in the vocabulary"),
        ({"subject": "rebels"}, r"subject 'rebels' is not a faction"),
        ({"type": "liberated"}, r"claim type 'liberated' is not in the vocabulary"),
        ({"date": {"start": "2021-09-02", "end": "2021-09-02", "basis": "stated", "evidence": "x"}}, r"date starts 2021-09-02, after the document's publication \(2021-08-30\)"),
        ({"made": {"start": "2021-09-01", "end": "2021-09-01", "basis": "stated", "evidence": "x"}}, r"made public 2021-09-01, after the document's publication"),
        ({"made": {"start": "2021-08-20", "end": "2021-08-20", "basis": "stated", "evidence": "x"}}, r"made public by 2021-08-20, before its event begins \(2021-08-30\)"),
        ({"hedge": {"kind": "gossip", "words": "the source said"}}, r"hedge kind 'gossip' is not in the vocabulary"),
        ({"hedge": {"kind": "unconfirmed", "words": "unconfirmed reports"}}, r"hedge words 'unconfirmed reports' are not in 004"),
        ({"date": {"start": "2021-08-30", "end": "2021-08-30", "basis": "guessed", "evidence": "x"}}, r"date\.basis: Input should be 'stated' or 'inferred'"),
        ({"document": "999_missing.txt"}, r"document '999_missing\.txt' is not in seeds/sources\.yaml"),
        ({"type": None}, r"type: Field required"),
        ({"relation": {"kind": "direction", "words": "x", "of": "atlantis", "direction": "north"}}, r"relation names unknown place 'atlantis'"),
    ],
)  # fmt: skip
def test_bad_claim(tmp_path: Path, gazetteer: Gazetteer, changes: dict, message: str) -> None:
    with pytest.raises(ClaimError, match=message) as info:
        load(tmp_path, gazetteer, bad(**changes))
    problem = info.value.problems[0]
    assert problem.entry == "t-01" and problem.path.endswith("claims.yaml") and problem.line == 1
    assert "claims.yaml:1: claim 't-01': " in str(problem)


def test_duplicate_id(tmp_path: Path, gazetteer: Gazetteer) -> None:
    with pytest.raises(ClaimError, match=r"claims\.yaml:\d+: claim 't-01': duplicate id, first at line 1"):
        load(tmp_path, gazetteer, GOOD, GOOD)


def test_competition_must_be_linked_both_ways(tmp_path: Path, gazetteer: Gazetteer) -> None:
    other = bad(id="t-02")
    with pytest.raises(ClaimError, match=r"competes_with 't-02', but 't-02' does not list it back"):
        load(tmp_path, gazetteer, bad(competes_with=["t-02"]), other)
    with pytest.raises(ClaimError, match=r"competes_with 't-09', which is not a claim id"):
        load(tmp_path, gazetteer, bad(competes_with=["t-09"]))
    assert len(load(tmp_path, gazetteer, bad(competes_with=["t-02"]), bad(id="t-02", competes_with=["t-01"]))) == 2


def test_all_problems_reported_at_once(tmp_path: Path, gazetteer: Gazetteer) -> None:
    with pytest.raises(ClaimError) as info:
        load(tmp_path, gazetteer, bad(type="liberated"), bad(id="t-02", subject="rebels"))
    assert [p.entry for p in info.value.problems] == ["t-01", "t-02"]


def test_a_place_note_explains_an_indirect_reference(tmp_path: Path, gazetteer: Gazetteer) -> None:
    indirect = bad(place_text="province", place_note="'the northern province' is Panjshir, named in the quote")
    assert len(load(tmp_path, gazetteer, indirect)) == 1
    with pytest.raises(ClaimError, match=r"say in place_note how the text refers to it"):
        load(tmp_path, gazetteer, bad(place_text="province"))


def test_locate_refuses_missing_and_repeated_quotes() -> None:
    from geo.claims.model import locate

    assert locate("a Panjshir b", "Panjshir") == (2, 10)
    with pytest.raises(GeoError, match="not found"):
        locate("abc", "x")
    with pytest.raises(GeoError, match="more than once"):
        locate("Panjshir Panjshir", "Panjshir")
