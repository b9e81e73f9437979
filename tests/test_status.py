"""The status rule (geo/claims/status.py): two clocks, denials, presence, hierarchy, hedges, why lines.

Each test takes real seed claims, sometimes a chosen few of them, so that one rule is seen at a time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest

from geo.claims.status import containment, in_event_range, in_force, status_table
from geo.places.gazetteer import Gazetteer
from tests.conftest import ROOT, run_geo


def _only(frame: gpd.GeoDataFrame, *ids: str) -> gpd.GeoDataFrame:
    return frame[frame["claim_id"].isin(ids)]


def test_containment_comes_from_the_boundaries(gazetteer: Gazetteer) -> None:
    tree = containment(gazetteer)
    assert tree.province_of["shutul-district"] == "panjshir-province"
    assert tree.province_of["andarab-district"] == "baghlan-province"
    assert len(tree.districts_of["panjshir-province"]) == 7
    assert tree.region_province["panjshir-valley"] == "panjshir-province"


def test_a_claim_counts_from_the_day_it_was_made_public(frame: gpd.GeoDataFrame) -> None:
    """Mujahid's "completely conquered" was public on 6 September: it is in force that day, not the day before."""
    assert "s001-03" in set(in_force(frame, "2021-09-06")["claim_id"])
    assert "s001-03" not in set(in_force(frame, "2021-09-05")["claim_id"])
    # Seed 002 was public from 1 September: its claims count then, not only once its range ends.
    assert "s002-05" in set(in_force(frame, "2021-09-01")["claim_id"])


def test_claims_lapse_after_the_window(frame: gpd.GeoDataFrame) -> None:
    by_id = frame.set_index("claim_id")
    assert by_id.loc["s004-07", "in_force_until"] == "2021-09-02"  # public 30 August, + 3 days
    assert "s004-07" in set(in_force(frame, "2021-09-02")["claim_id"])
    assert "s004-07" not in set(in_force(frame, "2021-09-03")["claim_id"])


def test_the_range_view_selects_by_event_date(frame: gpd.GeoDataFrame) -> None:
    ids = set(in_event_range(frame, "2021-08-15", "2021-08-15")["claim_id"])
    assert {"s004-06", "s004-08"} <= ids  # Kabul, 15 August, reported on 30 August


def test_one_side_claiming_control_gives_that_side(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    table = status_table(_only(frame, "s004-07"), gazetteer)
    assert table.loc["panjshir-province", "status"] == "nrf"
    assert table.loc["panjshir-province", "claims"] == "s004-07"


def test_both_sides_claiming_control_is_contested(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    table = status_table(_only(frame, "s000-01", "s000-03"), gazetteer)
    assert table.loc["shutul-district", "status"] == "contested"
    assert table.loc["shutul-district", "why"].startswith("contested: Taliban controls s000-01")
    assert " vs NRF repelled attack s000-03" in table.loc["shutul-district", "why"]


def test_a_denial_contests_without_claiming_control(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    """'advanced ... until they reached the center of the Panjshir Valley' vs 'categorically denied this':
    two competing claims, neither of control. The valley is contested, not NRF-claimed."""
    table = status_table(_only(frame, "s000-12", "s000-13"), gazetteer)
    assert table.loc["panjshir-valley", "status"] == "contested"
    alone = status_table(_only(frame, "s000-12"), gazetteer)
    assert alone.loc["panjshir-valley", "status"] == "fighting"


def test_presence_is_not_control(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    present = frame[frame["type"] == "present"]
    assert len(present)
    assert status_table(present, gazetteer).empty


def test_districts_inherit_the_province_and_their_own_claims_override(
    frame: gpd.GeoDataFrame, gazetteer: Gazetteer
) -> None:
    table = status_table(_only(frame, "s004-07", "s000-01"), gazetteer)
    paryan = table.loc["paryan-district"]
    assert (paryan["status"], paryan["inherited"], paryan["inherited_from"]) == ("nrf", True, "panjshir-province")
    assert "inherited from Panjshir (province)" in paryan["why"]
    shutul = table.loc["shutul-district"]  # its own Taliban claim overrides the inherited NRF status
    assert (shutul["status"], shutul["inherited"]) == ("taliban", False)
    # ... and the province, claimed by the NRF, is contested once the Taliban claim one of its districts.
    assert table.loc["panjshir-province", "status"] == "contested"
    assert table.loc["panjshir-province", "claims"] == "s000-01;s004-07"


def test_a_valley_claim_reaches_the_districts_of_its_province(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    table = status_table(_only(frame, "s000-12", "s000-13"), gazetteer)
    dara = table.loc["dara-district"]
    assert (dara["status"], dara["inherited_from"]) == ("contested", "panjshir-valley")
    assert table.loc["panjshir-province", "inherited_from"] == "panjshir-valley"


def test_a_denial_reaches_the_places_of_the_claims_it_denies(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    """The FNR "denied the Taliban's statements", which named Anaba and Rokha as well as the province."""
    table = status_table(_only(frame, "s001-04", "s001-08"), gazetteer)
    assert table.loc["anaba-district", "status"] == "contested"
    assert set(table.loc["anaba-district", "claims"].split(";")) == {"s001-04", "s001-08"}
    assert "NRF denies at Panjshir s001-08" in table.loc["anaba-district", "why"]


def test_a_claim_to_unnamed_parts_contests_the_province_and_no_district(
    frame: gpd.GeoDataFrame, gazetteer: Gazetteer
) -> None:
    """Taliban followers: the Taliban "had captured several areas that were controlled by opposition
    forces" (s002-21, `part`), against TASS's "the only pocket of resistance" (s004-07). The province
    is claimed by both sides; its districts, none of them named, keep the NRF status they inherit."""
    table = status_table(_only(frame, "s002-21", "s004-07"), gazetteer)
    province = table.loc["panjshir-province"]
    assert (province["status"], province["claims"]) == ("contested", "s002-21;s004-07")
    assert 'Taliban captured "several areas" s002-21' in province["why"]
    for district in containment(gazetteer).districts_of["panjshir-province"]:
        row = table.loc[district]
        assert (row["status"], row["inherited"], row["claims"]) == ("nrf", True, "s004-07"), district


def test_a_side_claiming_only_parts_of_a_place_contests_it(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    """A claim to parts says, in its own words, that the place is divided: alone it makes the place
    contested, and the why line says so, as no other side is named; a claim of the same side to the
    whole place makes it that side's. Either way no district inherits the parts."""
    alone = status_table(_only(frame, "s002-21"), gazetteer)
    assert list(alone.index) == ["panjshir-province"]
    assert alone.loc["panjshir-province", "status"] == "contested"
    assert alone.loc["panjshir-province", "why"].startswith(
        'contested, one side claiming unnamed parts of it: Taliban captured "several areas" s002-21 (public 2021-09-01'
    )
    whole = status_table(_only(frame, "s002-21", "s001-03"), gazetteer)
    assert (whole.loc["panjshir-province", "status"], whole.loc["panjshir-province", "claims"]) == (
        "taliban",
        "s001-03;s002-21",
    )
    assert whole.loc["dara-district", "claims"] == "s001-03"


def test_parts_of_a_district_are_parts_of_its_province(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    """Upward, a claim to parts counts: had the Taliban claimed only parts of Shutul (s000-01 read
    so), Shutul would be contested, and so would the province the NRF holds (s004-07)."""
    parts = _only(frame, "s000-01", "s004-07").assign(
        part=lambda f: f["part"].mask(f["claim_id"] == "s000-01", "parts")
    )
    table = status_table(parts, gazetteer)
    assert table.loc["shutul-district", "status"] == "contested"
    assert table.loc["panjshir-province", "status"] == "contested"
    assert table.loc["paryan-district", "status"] == "nrf"


def test_firm_leaves_out_unconfirmed_claims(frame: gpd.GeoDataFrame) -> None:
    weak = frame[frame["weak"]]
    assert len(weak), "the seeds hedge some claims as unconfirmed or rumours"
    day = weak["made_start"].min()
    assert set(weak["claim_id"]) & set(in_force(frame, day)["claim_id"])
    assert not set(weak["claim_id"]) & set(in_force(frame, day, firm=True)["claim_id"])


def test_the_command_prints_the_same_as_the_table(frame: gpd.GeoDataFrame, gazetteer: Gazetteer) -> None:
    out = run_geo("status", "--date", "2021-09-06")
    assert out.returncode == 0, out.stderr
    rows = {r["place_id"]: r for r in map(json.loads, out.stdout.splitlines())}
    table = status_table(in_force(frame, "2021-09-06"), gazetteer)
    assert set(rows) == set(table.index)
    for place_id, row in rows.items():
        assert row["status"] == table.loc[place_id, "status"]
        assert ";".join(row["claims"]) == table.loc[place_id, "claims"]
        assert row["why"] == table.loc[place_id, "why"]


@pytest.mark.parametrize("args", [["--place", "nowhere"], ["--date", "2021-13-01"]])
def test_the_command_refuses_bad_input(args: list[str]) -> None:
    argv = [sys.executable, "-m", "geo", "status", *(["--date", "2021-09-06"] if "--date" not in args else []), *args]
    out = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode != 0 and ("nowhere" in out.stderr or "not a date" in out.stderr)
