"""Every export is read back and compared with the frame it came from."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from geo.claims.export import claims_table, export, placemark_names
from geo.claims.tables import filter_claims
from geo.errors import ExportError


def test_geojson_is_rfc7946_and_complete(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export(frame, "geojson", tmp_path / "claims.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data  # RFC 7946: WGS84, no crs member
    by_id = {f["properties"]["claim_id"]: f for f in data["features"]}
    assert set(by_id) == set(frame["claim_id"])
    bazarak = by_id["s001-06"]
    assert bazarak["geometry"] == {"type": "Point", "coordinates": [69.51519, 35.31292]}  # lon, lat
    for row in frame.itertuples():
        assert by_id[row.claim_id]["properties"]["quote"] == row.quote
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 4326 and len(back) == len(frame)


def test_geopackage_reads_back_with_pyogrio(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export(frame, "gpkg", tmp_path / "claims.gpkg")
    assert pyogrio.list_layers(path).tolist() == [["claims", "Unknown"]]
    back = pyogrio.read_dataframe(path).set_index("claim_id").loc[frame["claim_id"]]
    assert (back["quote"].to_numpy() == frame["quote"].to_numpy()).all()
    assert (back["start"].to_numpy() == frame["start"].to_numpy()).all()
    mine = frame.set_index("claim_id").geometry
    assert (back.geometry.isna() == mine.isna()).all()  # an unpinned place (Tajikistan) stays unpinned
    pinned = mine.notna()
    assert back.geometry[pinned].geom_equals_exact(mine[pinned], tolerance=1e-9).all()


def test_kml_is_valid_and_carries_the_quotes(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export(frame, "kml", tmp_path / "claims.kml")
    root = ET.parse(path).getroot()  # well-formed XML, or this raises
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert root.tag == "{http://www.opengis.net/kml/2.2}kml"
    placemarks = root.findall(".//k:Placemark", ns)
    assert len(placemarks) == len(frame)
    descriptions = [p.find("k:description", ns).text for p in placemarks]
    for quote in frame["quote"]:
        assert any(d.startswith(quote) for d in descriptions)
    assert all(p.find("k:name", ns).text for p in placemarks)


def test_csv_names_claimant_and_subject_as_such(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = export(frame, "csv", tmp_path / "claims.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = claims_table(frame).astype(str).fillna("").replace({"None": "", "nan": "", "<NA>": ""})
    assert list(back.columns) == list(expected.columns)
    # A claim's claimant is not ACLED's perpetrator: no actor1/actor2 that could be read as one.
    assert not {"actor1", "actor2", "event_id_cnty", "notes"} & set(back.columns)
    assert {"claim_id", "claimant", "subject", "made_public_start", "hedge", "reported_by_outlets", "quote"} <= set(
        back.columns
    )
    assert (back["quote"] == frame["quote"].to_numpy()).all()
    assert (back["claim_id"] == expected["claim_id"]).all()
    assert (back["latitude"] == expected["latitude"]).all()
    by_id = back.set_index("claim_id")
    assert by_id.loc["s001-03", "claimant"] == "Zabihullah Mujahid (taliban)"
    assert by_id.loc["s001-08", "claim_type"] == "denies" and by_id.loc["s001-08", "control_claimed_for"] == ""


def test_kml_names_read_as_claims(frame: gpd.GeoDataFrame) -> None:
    names = dict(zip(frame["claim_id"], placemark_names(frame), strict=True))
    assert names["s000-01"] == "Taliban claim: controls Shutul, 3 Sep 2021 – 4 Sep 2021"
    assert names["s004-07"] == "TASS claim: holds Panjshir, 30 Aug 2021"


def test_filtered_subset(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    subset = filter_claims(frame, outlets=["TASS"])
    back = gpd.read_file(export(subset, "geojson", tmp_path / "tass.geojson"))
    assert sorted(back["claim_id"]) == sorted(subset["claim_id"]) and len(back) == 9


def test_failed_export_leaves_the_old_file_and_no_debris(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    target = tmp_path / "claims.gpkg"
    target.write_bytes(b"previous export")
    broken = frame.assign(notes=1 + 2j)  # GDAL has no complex field type: the writer fails midway
    with pytest.raises(ExportError, match="could not write gpkg"):
        export(broken, "gpkg", target)
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.gpkg"]


def test_unknown_format_and_missing_folder(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown format 'shp'"):
        export(frame, "shp", tmp_path / "x.shp")
    with pytest.raises(ExportError, match="does not exist"):
        export(frame, "csv", tmp_path / "no" / "x.csv")
