"""The curated claims: verbatim, complete per seed, competing pairs linked, metadata sourced."""

from __future__ import annotations

import pytest

from geo.claims import ClaimSet
from geo.sources import load_sources
from tests.conftest import SEEDS


def test_every_seed_has_sourced_metadata() -> None:
    sources = load_sources()
    assert sorted(sources) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sources["004_9664b19b629e403e.txt"].outlet == "TASS"
    assert sources["004_9664b19b629e403e.txt"].published_basis == "stated"
    for source in sources.values():
        assert source.published.start in source.frame and source.published.end in source.frame
        if not source.outlet_known:
            assert source.outlet_evidence.startswith("Not named")
        if source.published_basis == "inferred":
            assert "Outside knowledge" in source.published_evidence or '"' in source.published_evidence


def test_several_dozen_claims_from_every_seed(claim_set: ClaimSet) -> None:
    assert len(claim_set) >= 50
    per_document = {d: sum(c.document == d for c in claim_set.claims) for d in claim_set.sources}
    assert min(per_document.values()) >= 7, per_document


def test_quotes_are_verbatim_at_their_offsets(claim_set: ClaimSet) -> None:
    for claim in claim_set.claims:
        text = (SEEDS / claim.document).read_text(encoding="utf-8")
        assert text[claim.start : claim.end] == claim.quote, claim.id
        assert claim.place_text in claim.quote, claim.id


@pytest.mark.parametrize(
    ("taliban_claim", "resistance_claim", "place_id", "taliban_supports"),
    [
        ("s001-03", "s001-08", "panjshir-province", "taliban"),  # Mujahid "completely conquered" / FNR "false"
        ("s000-16", "s000-14", "panjshir-province", "taliban"),  # celebrated "control" / Saleh denies, 3 September
        ("s000-12", "s000-13", "panjshir-valley", None),  # "advanced" to the valley's centre (no control) / denied
        ("s000-01", "s000-03", "shutul-district", "taliban"),  # announced control / repelled the attack
        ("s003-05", "s003-06", "panjshir-province", "taliban"),  # reports of capture / Saleh still in Panjshir
    ],
)
def test_competing_claims_are_linked_both_ways(
    claim_set: ClaimSet, taliban_claim: str, resistance_claim: str, place_id: str, taliban_supports: str | None
) -> None:
    claims = claim_set.by_id()
    a, b = claims[taliban_claim], claims[resistance_claim]
    assert a.place_id == b.place_id == place_id
    assert resistance_claim in a.competes_with and taliban_claim in b.competes_with
    assert a.subject == "taliban" and claim_set.vocabulary.supports(a) == taliban_supports
    assert claim_set.vocabulary.supports(b) == "nrf"
    assert a.date.start <= b.date.end and b.date.start <= a.date.end, "competing claims overlap in time"


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
    assert "lies W (249°) of Panjshir" in claim_set.flags["s000-11"]
    with_relations = [c.id for c in claim_set.claims if c.relation is not None]
    assert {"s000-06", "s002-01", "s002-03", "s004-03"} <= set(with_relations)  # checked, and they agree
