"""Derived views: the claims frame, filters, status as of a date, corroboration."""

from __future__ import annotations

import geopandas as gpd
import pytest

from geo.views import corroboration, filter_by_faction, filter_claims, index_frame, status_as_of


def test_frame_geometry_follows_precision(frame: gpd.GeoDataFrame) -> None:
    by_id = frame.set_index("claim_id")
    assert by_id.loc["s000-01"].geometry.geom_type in ("Polygon", "MultiPolygon")  # Shutul district
    assert by_id.loc["s004-07"].geometry.geom_type in ("Polygon", "MultiPolygon")  # Panjshir province
    assert by_id.loc["s001-06"].geometry.geom_type == "Point"  # Bazarak town
    assert (by_id.loc["s001-06"].geometry.y, by_id.loc["s001-06"].geometry.x) == (35.31292, 69.51519)
    assert frame.crs.to_epsg() == 4326 and len(frame) == frame["claim_id"].nunique()


@pytest.mark.parametrize(
    ("as_of", "place_id", "status"),
    [
        ("2021-08-30", "panjshir-province", "nrf"),  # TASS: "the only pocket of resistance"
        ("2021-08-30", "andarab-district", "taliban"),  # the attack came "from Andarab"
        ("2021-09-04", "shutul-district", "contested"),  # Taliban/activists vs "repelled the attack"
        ("2021-09-04", "paryan-district", "contested"),
        ("2021-09-06", "panjshir-province", "contested"),  # "completely conquered" vs "is false"
        ("2021-09-06", "rokha-district", "taliban"),
        ("2021-08-20", "panjshir-province", None),  # nothing claimed yet
    ],
)
def test_status_as_of(frame: gpd.GeoDataFrame, as_of: str, place_id: str, status: str | None) -> None:
    table = status_as_of(frame, as_of)
    if status is None:
        assert place_id not in table.index
    else:
        assert table.loc[place_id, "status"] == status


def test_status_names_the_latest_claim_for_each_faction(frame: gpd.GeoDataFrame) -> None:
    # Mujahid's claim and the FNR denial are dated 6 or 7 September: they count once that range ends.
    row = status_as_of(frame, "2021-09-07").loc["panjshir-province"]
    assert (row["latest_taliban_claim"], row["latest_nrf_claim"]) == ("s001-03", "s001-08")


def test_status_window_lets_old_claims_lapse(frame: gpd.GeoDataFrame) -> None:
    assert status_as_of(frame, "2021-08-30").loc["panjshir-province", "status"] == "nrf"
    assert (
        "panjshir-province" not in status_as_of(frame, "2021-08-30", window_days=0).query("status == 'taliban'").index
    )
    # Andarab's one claim is dated 30 August: it counts that day, and for 3 more days by default.
    assert status_as_of(frame, "2021-08-30", window_days=0).loc["andarab-district", "status"] == "taliban"
    assert "andarab-district" not in status_as_of(frame, "2021-08-31", window_days=0).index
    assert status_as_of(frame, "2021-09-02").loc["andarab-district", "status"] == "taliban"
    assert "andarab-district" not in status_as_of(frame, "2021-09-03").index


def test_corroboration_counts_independent_outlets(frame: gpd.GeoDataFrame) -> None:
    table = corroboration(frame)
    row = table.loc[("panjshir-province", "repelled_attack", "nrf")]
    assert (row["outlets"], row["claims"]) == (3, 3)  # 002, 003 (unknown outlets) and TASS
    assert row["unknown_outlets"] == 2
    attack = table.loc[("panjshir-province", "attack", "taliban")]
    assert attack["outlets"] == 3
    assert frame.set_index("claim_id").loc["s004-02", "corroboration"] == 3


def test_filters(frame: gpd.GeoDataFrame) -> None:
    assert set(filter_claims(frame, outlets=["TASS"])["document"]) == {"004_9664b19b629e403e.txt"}
    nrf = filter_by_faction(frame, ["nrf"])
    assert (nrf["map_faction"] == "nrf").all() and len(nrf) > 10
    window = filter_claims(frame, start="2021-09-06", end="2021-09-06")
    assert (window["date_end"] >= "2021-09-06").all() and (window["date_start"] <= "2021-09-06").all()
    assert set(filter_claims(frame, claimant_factions=["taliban"], types=["captured"])["claim_id"]) >= {"s001-03"}
    assert len(filter_claims(frame)) == len(frame)


def test_the_index_gives_the_views_of_the_whole_table(frame: gpd.GeoDataFrame, gazetteer) -> None:
    """The app filters `index_frame` (categories, time order) rather than the table: every view
    must come out the same, claim for claim, and the map the same, item for item."""
    from geo.mapview import build_claims_map
    from geo.views import LAYERS, filter_by_faction, in_range, latest_as_of, per_day, status_in_range

    index = index_frame(frame)
    assert set(index.index) == set(frame.index) and index["seq"].is_monotonic_increasing
    assert list(index["claim_id"]) == list(frame.sort_values(["date_end", "date_start", "claim_id"])["claim_id"])
    for by in ("layer", "claimant", "subject"):
        for factions in (["taliban"], ["nrf", "other"], list(LAYERS)):
            a, b = filter_by_faction(frame, factions, by=by), filter_by_faction(index, factions, by=by)
            assert sorted(a["claim_id"]) == sorted(b["claim_id"]), (by, factions)
    outlets, types = ["TASS"], ["captured", "repelled_attack"]
    a, b = filter_claims(frame, outlets=outlets, types=types), filter_claims(index, outlets=outlets, types=types)
    assert sorted(a["claim_id"]) == sorted(b["claim_id"]) and len(a)
    for day in ("2021-08-30", "2021-09-04", "2021-09-06"):
        assert sorted(latest_as_of(frame, day)["claim_id"]) == sorted(latest_as_of(index, day)["claim_id"])
        a, b = status_as_of(frame, day), status_as_of(index, day)
        assert a["status"].to_dict() == b["status"].to_dict()
        assert a.drop(columns="status").astype(str).to_dict() == b.drop(columns="status").astype(str).to_dict()
        done = index[index["date_end"] <= day]
        assert per_day(frame[frame["date_end"] <= day]).to_dict() == per_day(done).to_dict()
        whole = build_claims_map(latest_as_of(frame, day), status_as_of(frame, day), gazetteer)
        narrow = build_claims_map(latest_as_of(done, day), status_as_of(index, day), gazetteer, details=frame)
        assert _items(whole) == _items(narrow)
    span = in_range(index, "2021-09-03", "2021-09-05")
    assert sorted(span["claim_id"]) == sorted(in_range(frame, "2021-09-03", "2021-09-05")["claim_id"])
    a = build_claims_map(
        in_range(frame, "2021-09-03", "2021-09-05"), status_in_range(frame, "2021-09-03", "2021-09-05"), gazetteer
    )
    b = build_claims_map(span, status_in_range(index, "2021-09-03", "2021-09-05"), gazetteer, details=frame)
    assert _items(a) == _items(b)


def _items(fmap) -> list[dict]:
    """What a claims map draws, by its `DrawnItems` payload."""
    import json

    from geo.mapelements import DrawnItems

    (drawn,) = [e for e in fmap._children.values() if isinstance(e, DrawnItems)]
    return sorted(json.loads(drawn.items_json), key=json.dumps)
