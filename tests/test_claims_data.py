"""The curated claims: verbatim, complete per seed, competing pairs linked, metadata sourced."""

from __future__ import annotations

import pytest

from geo.claims.model import ClaimSet
from geo.claims.sources import load_sources
from tests.conftest import SEEDS


def test_every_seed_has_sourced_metadata() -> None:
    sources = load_sources()
    assert sorted(sources) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sources["004_9664b19b629e403e.txt"].outlet == "TASS"
    assert sources["004_9664b19b629e403e.txt"].published_basis == "stated"
    for source in sources.values():
        if not source.outlet_known:
            assert source.outlet_evidence.startswith("Not named")
        if source.published_basis == "inferred":
            assert '"' in source.published_evidence  # the text's own words
        # None of the five states its full date: what we know from outside is declared as such.
        assert source.outside_knowledge, source.document
    assert "widely reported" in sources["001_b2ea9295ad45eb18.txt"].outside_knowledge


def test_several_dozen_claims_from_every_seed(claim_set: ClaimSet) -> None:
    assert len(claim_set) >= 80
    per_document = {d: sum(c.document == d for c in claim_set.claims) for d in claim_set.sources}
    assert min(per_document.values()) >= 7, per_document


def test_quotes_are_verbatim_at_their_offsets(claim_set: ClaimSet) -> None:
    for claim in claim_set.claims:
        text = (SEEDS / claim.document).read_text(encoding="utf-8")
        assert text[claim.start : claim.end] == claim.quote, claim.id
        assert claim.place_text in claim.quote, claim.id


@pytest.mark.parametrize(
    ("taliban_claim", "resistance_claim", "place_id", "taliban_supports", "resistance_supports"),
    [
        ("s001-03", "s001-08", "panjshir-province", "taliban", None),  # Mujahid "completely conquered" / FNR "false"
        ("s000-16", "s000-14", "panjshir-province", "taliban", None),  # celebrated "control" / Saleh denies, on Friday
        ("s003-05", "s000-14", "panjshir-province", "taliban", None),  # the same rumour, in seed 003 / Saleh's denial
        ("s000-12", "s000-13", "panjshir-valley", None, None),  # "advanced" to the valley's centre / denied
        ("s000-01", "s000-03", "shutul-district", "taliban", "nrf"),  # announced control / repelled the attack
        ("s001-01", "s001-09", None, "taliban", "nrf"),  # "has fallen" / "present in all strategic positions"
        ("s001-04", "s001-08", None, "taliban", None),  # Anaba conquered / the FNR denies "the Taliban's statements"
    ],
)
def test_competing_claims_are_linked_both_ways(
    claim_set: ClaimSet,
    taliban_claim: str,
    resistance_claim: str,
    place_id: str | None,
    taliban_supports: str | None,
    resistance_supports: str | None,
) -> None:
    """A denial asserts no control of its own (its supports is None): it contests the claim it denies."""
    claims = claim_set.by_id()
    a, b = claims[taliban_claim], claims[resistance_claim]
    if place_id is not None:
        assert a.place_id == b.place_id == place_id
    assert resistance_claim in a.competes_with and taliban_claim in b.competes_with
    assert a.subject == "taliban" and claim_set.vocabulary.supports(a) == taliban_supports
    assert claim_set.vocabulary.supports(b) == resistance_supports
    assert claim_set.vocabulary.favoured(b.type, b.subject) == "nrf"


def test_fixed_codings_hold(claim_set: ClaimSet) -> None:
    """The second read's corrections, each decided by the words in the claim's notes."""
    claims = claim_set.by_id()
    assert "s004-03" not in claims and "s003-03" not in claims  # "moving from Andarab"; Kabul only received the dead
    assert claims["s002-04"].place_id == "panjshir-valley"  # an attack *from* Parwan on the valley
    assert claims["s002-06"].type == "advanced"  # "on their way to Panjshir"
    assert claims["s000-17"].type == "talks"  # a decision to launch an operation is not an attack
    assert claims["s001-09"].type == "holds"
    assert str(claims["s001-02"].date.start) == "2021-08-15"  # "Since the insurgents arrived in Kabul"
    assert claims["s000-16"].hedge is not None and claims["s000-16"].hedge.kind == "rumour"
    assert claims["s003-05"].hedge is not None and claims["s003-05"].hedge.kind == "unconfirmed"


def test_third_read_codings_hold(claim_set: ClaimSet) -> None:
    """The third read's corrections (claims/second_read_round3.md), each argued in the claim's notes."""
    claims = claim_set.by_id()
    assert "s001-14" not in claims  # "our country is completely out of the war": the war's end, not control
    assert "s000-26" not in claims  # aid kept from Panjshir: no road named or closed
    assert claims["s000-24"].hedge is not None and claims["s000-24"].hedge.kind == "rumour"  # as s000-16
    assert claims["s000-22"].place_id == "panjshir-province"  # unlocated "attacks", not at Bazarak
    assert claims["s001-06"].type == "advanced"  # "arrival in": an advance
    assert claims["s001-07"].type == "present"  # videos from inside the governor's office: presence
    # Taliban followers' "several areas": the only Taliban control claim on the province before 3 September
    assert (claims["s002-21"].part, claims["s002-21"].place_id) == ("several areas", "panjshir-province")
    # 85 claims, less the two above, and nine found by the third read: the partial claim and eight of no colour weight
    assert len(claim_set) == 92


def test_claimants_and_speakers(claim_set: ClaimSet) -> None:
    speakers = {c.claimant.speaker for c in claim_set.claims} - {None}
    assert {"Zabihullah Mujahid", "Fahim Dashti", "Amrullah Saleh", "Ahmad Massoud"} <= speakers
    kinds = {c.claimant.kind for c in claim_set.claims}
    assert {"hospital", "outlet", "spokesperson", "source", "activists"} <= kinds


def test_dates_say_how_they_are_known(claim_set: ClaimSet) -> None:
    claims = claim_set.by_id()
    assert claims["s004-06"].date.basis == "stated" and str(claims["s004-06"].date.start) == "2021-08-15"
    friday = claims["s000-14"].date
    assert (str(friday.start), friday.basis, "on Friday" in friday.evidence) == ("2021-09-03", "inferred", True)
    assert all(c.date.evidence for c in claim_set.claims)


def test_stated_directions_are_checked_and_disagreements_flagged(claim_set: ClaimSet) -> None:
    """'the Shattal district, northeast of Panjshir': Shutul lies west of Panjshir's centre."""
    assert set(claim_set.flags) == {"s000-11"}
    assert "lies W (264°) of Panjshir" in claim_set.flags["s000-11"]  # from its label point (polylabel)
    with_relations = [c.id for c in claim_set.claims if c.relation is not None]
    assert {"s000-06", "s002-01", "s002-03"} <= set(with_relations)  # checked, and they agree
