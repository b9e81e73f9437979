"""Exports of a claims frame: GeoJSON (RFC 7946), GeoPackage, KML and a CSV of claims (README maps it to ACLED).

Every file is written to a temporary name beside the destination and moved into place only when
complete, so an interrupted export never leaves a half-written file where a reader expects one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import ExportError

FORMATS = ("geojson", "gpkg", "kml", "csv")
SUFFIXES = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ".csv"}
# ACLED's time_precision: 1 = day, 2 = within a week, 3 = within a month or vaguer.
_ACLED_GEO = {"point": 1, "district": 2, "region": 2, "province": 3, "country": 3}


def export(frame: gpd.GeoDataFrame, fmt: str, path: Path | str) -> Path:
    """Write `frame` as `fmt` to `path`, atomically; return the path."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    writers: dict[str, Callable[[gpd.GeoDataFrame, Path], None]] = {
        "geojson": _geojson,
        "gpkg": _gpkg,
        "kml": _kml,
        "csv": _csv,
    }
    path = Path(path)
    tmp_dir = path.parent if path.parent.exists() else None
    if tmp_dir is None:
        raise ExportError(f"folder {path.parent} does not exist; create it first", path=path)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=f".{path.name}.", suffix=SUFFIXES[fmt])
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # GDAL drivers refuse to overwrite an existing (empty) file
        writers[fmt](frame, tmp)
        os.replace(tmp, path)
    except Exception as err:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(err, ExportError):
            raise
        raise ExportError(f"could not write {fmt}: {err}", path=path) from err
    return path


def _geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    frame.to_crs("EPSG:4326").to_file(path, driver="GeoJSON", engine="pyogrio", RFC7946="YES")


def _gpkg(frame: gpd.GeoDataFrame, path: Path) -> None:
    frame.to_file(path, driver="GPKG", layer="claims", engine="pyogrio", geometry_type="Unknown")


def _kml(frame: gpd.GeoDataFrame, path: Path) -> None:
    # GDAL fills <name> and <description> from fields called Name and Description by default;
    # naming them so avoids the NameField option, which pyogrio's option check rejects by case.
    placemarks = frame.assign(
        Name=placemark_names(frame),
        Description=frame["quote"]
        + "\n\n"
        + frame["claimant"]
        + ", event "
        + frame["date_start"]
        + ("/" + frame["date_end"]).where(frame["date_end"] != frame["date_start"], "")
        + ", public "
        + frame["made_start"]
        + ", "
        + frame["outlet"]
        + " ("
        + frame["document"]
        + ")"
        + (", hedged: " + frame["hedge_words"].fillna("")).where(frame["hedge"] != "none", ""),
    )
    placemarks.to_file(path, driver="KML", engine="pyogrio")


def placemark_names(frame: pd.DataFrame) -> pd.Series:
    """Names that read as claims, not events: "Taliban claim: captured Shutul, 3 Sep 2021"."""
    named = frame["claimant"].astype(str)
    who = frame["claimant_faction"].map(_SIDE_NAMES).fillna(named.str[:1].str.upper() + named.str[1:])
    day = pd.to_datetime(frame["date_start"]).dt.strftime("%-d %b %Y")
    end = pd.to_datetime(frame["date_end"]).dt.strftime("%-d %b %Y")
    when = day.where(frame["date_start"] == frame["date_end"], day + " – " + end)
    return who + " claim: " + frame["type"].str.replace("_", " ") + " " + frame["place_name"] + ", " + when


_SIDE_NAMES = {"taliban": "Taliban", "nrf": "NRF"}


def claims_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The claims as the CSV holds them. Columns are named for what they are in a claim (claimant,
    subject), not ACLED's actor1/actor2: a claim's claimant is not an event's perpetrator. The
    README maps them to ACLED's columns for those who join the two."""
    days = (pd.to_datetime(frame["date_end"]) - pd.to_datetime(frame["date_start"])).dt.days
    return pd.DataFrame(
        {
            "claim_id": frame["claim_id"],
            "claim_type": frame["type"],
            "effect": frame["effect"],
            "claimant": frame["claimant"],
            "claimant_faction": frame["claimant_faction"],
            "speaker": frame["speaker"],
            "subject": frame["subject"],
            "control_claimed_for": frame["supports"],
            "side_favoured": frame["map_faction"],
            "event_date_start": frame["date_start"],
            "event_date_end": frame["date_end"],
            "time_precision": days.map(lambda d: 1 if d == 0 else 2 if d <= 7 else 3),
            "date_basis": frame["date_basis"],
            "date_evidence": frame["date_evidence"],
            "made_public_start": frame["made_start"],
            "made_public_end": frame["made_end"],
            "made_public_basis": frame["made_basis"],
            "outside_knowledge": frame["outside_knowledge"],
            "hedge": frame["hedge"],
            "hedge_words": frame["hedge_words"],
            "country": "Afghanistan",
            "admin1": frame["admin1"],
            "admin2": frame["admin2"],
            "location": frame["place_name"],
            "location_id": frame["place_id"],
            "latitude": frame["lat"],
            "longitude": frame["lon"],
            "geo_precision": frame["geo_precision"].map(_ACLED_GEO),
            "source": frame["outlet"],
            "source_document": frame["document"],
            "quote": frame["quote"],
            "quote_start": frame["start"],
            "quote_end": frame["end"],
            "competes_with": frame["competes_with"],
            "reported_by_outlets": frame["outlets_reporting"],
            "relation_flag": frame["relation_flag"],
        }
    )


def _csv(frame: gpd.GeoDataFrame, path: Path) -> None:
    claims_table(frame).to_csv(path, index=False, encoding="utf-8")
