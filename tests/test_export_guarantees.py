"""What every export promises: spreadsheet-safe CSV cells, nothing half-written on a full disk,
and no symbolic link, FIFO, folder or device replaced. Real files, a real full filesystem."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from geo import Gazetteer
from geo.claims.export import FORMATS, FORMULA_STARTS, SUFFIXES, export, export_bytes
from geo.claims.model import ClaimSet
from geo.claims.tables import stored_frame
from geo.errors import ExportError
from geo.extraction.extract import extract
from geo.store.database import Store
from geo.store.review import claim_from_candidate, new_source
from tests.conftest import ROOT

HYPERLINK = '=HYPERLINK("http://example.com/x","click")'
HOSTILE = {  # column of the claims frame -> a value a spreadsheet would run as a formula
    "outlet": "=1+2",
    "quote": HYPERLINK + " The Taliban captured Bazarak.",
    "claimant": "@SUM(A1:A9)",
    "speaker": "+cmd|' /C calc'!A0",
    "place_name": "-2+3",
    "date_evidence": "\t=1+2",
    "competes_with": "\r=1+2",
}


def csv_cells(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def assert_spreadsheet_safe(rows: list[dict[str, str]]) -> None:
    """No cell starts like a formula unless it is a plain number (-12.5)."""
    for row in rows:
        for column, cell in row.items():
            if cell.startswith(FORMULA_STARTS):
                float(cell)  # raises for "=1+2", "-2+3", "@SUM(...)"
                assert column in ("latitude", "longitude"), (column, cell)


@pytest.fixture
def hostile(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.head(3).copy()
    for column, value in HOSTILE.items():
        out[column] = value
    out["lat"], out["lon"] = -12.5, -71.25
    return out


def test_csv_cells_that_start_like_formulas_are_neutralised(hostile: gpd.GeoDataFrame, tmp_path: Path) -> None:
    rows = csv_cells(export(hostile, "csv", tmp_path / "claims.csv").read_bytes())
    cells = {cell for row in rows for cell in row.values()}
    for value in HOSTILE.values():
        assert "'" + value in cells and value not in cells, value
    assert {"-12.5", "-71.25"} <= cells  # numbers stay numbers
    assert_spreadsheet_safe(rows)


def test_other_formats_keep_the_values_exact(hostile: gpd.GeoDataFrame, tmp_path: Path) -> None:
    features = json.loads(export(hostile, "geojson", tmp_path / "c.geojson").read_text(encoding="utf-8"))["features"]
    gpkg = pyogrio.read_dataframe(export(hostile, "gpkg", tmp_path / "c.gpkg"))
    for column, value in HOSTILE.items():
        assert {f["properties"][column] for f in features} == {value}, column
        assert set(gpkg[column]) == {value}, column
    kml = ET.parse(export(hostile, "kml", tmp_path / "c.kml")).getroot()
    descriptions = [d.text for d in kml.iter("{http://www.opengis.net/kml/2.2}description")]
    assert len(descriptions) == 3 and all(d.startswith(HOSTILE["quote"]) for d in descriptions)


def test_the_apps_download_neutralises_an_article_saved_with_formulas(
    tmp_path: Path, claim_set: ClaimSet, gazetteer: Gazetteer
) -> None:
    """As in the report: an article saved from the app with outlet `=1+2` and a sentence that
    begins `=HYPERLINK(`, then "Download CSV" (the bytes the button serves)."""
    text = HYPERLINK + " The Taliban captured Bazarak on Friday, a Taliban source said."
    day = dt.date(2021, 9, 4)
    (candidate,) = (c.to_dict() for c in extract(text, day, gazetteer=gazetteer))
    assert candidate["quote"].startswith("=HYPERLINK(")
    source = new_source("a.txt", outlet="=1+2", published=day, by="tester")
    claim = claim_from_candidate(candidate, "x-1", "a.txt", text, source, claim_set.vocabulary, gazetteer)
    store = Store(tmp_path / "claims.sqlite")
    store.add_document(text, source, [("x-1", "accepted", claim.model_dump(mode="json"))], by="tester")
    table, _ = stored_frame(store, gazetteer, claim_set.vocabulary)
    rows = csv_cells(export_bytes(table.loc[table["claim_id"] == "x-1"], "csv"))
    cells = {cell for row in rows for cell in row.values()}
    assert len(rows) == 1 and "'=1+2" in cells and "'" + claim.quote in cells
    assert_spreadsheet_safe(rows)


# A full disk: a real 64 kB tmpfs, mostly filled, so each writer meets ENOSPC part-way.


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True)
    assert mounted.returncode == 0, f"these tests mount a small tmpfs and need root: {mounted.stderr.decode()}"
    try:
        (disk / "filler").write_bytes(b"x" * 52 * 1024)  # leaves about 12 kB: less than any export
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_disk_fails_loudly_and_leaves_the_old_file(fmt: str, frame: gpd.GeoDataFrame, full_disk: Path) -> None:
    target = full_disk / f"claims{SUFFIXES[fmt]}"
    target.write_bytes(b"previous export")
    with pytest.raises(ExportError, match=rf"could not write {fmt}: .*disk (is )?full"):
        export(frame, fmt, target)
    assert target.read_bytes() == b"previous export"
    assert sorted(p.name for p in full_disk.iterdir()) == [target.name, "filler"]


def test_the_cli_exits_non_zero_on_a_full_disk(full_disk: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "geo", "export", "--format", "kml", str(full_disk / "claims.kml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 2 and "could not write kml" in out.stderr and "wrote" not in out.stderr
    assert [p.name for p in full_disk.iterdir()] == ["filler"]


# Destinations that are not regular files are refused and left as they were.


def test_a_symbolic_link_is_refused(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("kept")
    link = tmp_path / "claims.csv"
    link.symlink_to(elsewhere)
    with pytest.raises(ExportError, match=r"claims\.csv: is a symbolic link, not a regular file"):
        export(frame, "csv", link)
    assert link.is_symlink() and link.readlink() == elsewhere and elsewhere.read_text() == "kept"
    dangling = tmp_path / "dangling.kml"
    dangling.symlink_to(tmp_path / "nowhere.kml")
    with pytest.raises(ExportError, match="symbolic link"):
        export(frame, "kml", dangling)
    assert dangling.is_symlink() and not (tmp_path / "nowhere.kml").exists()


def test_a_fifo_a_device_and_a_folder_are_refused(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    fifo, device, folder = tmp_path / "pipe.csv", tmp_path / "null.geojson", tmp_path / "dir.gpkg"
    os.mkfifo(fifo)
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null
    folder.mkdir()
    for path, fmt, kind in (
        (fifo, "csv", "named pipe"),
        (device, "geojson", "character device"),
        (folder, "gpkg", "folder"),
    ):
        with pytest.raises(ExportError, match=f"is a {kind}"):
            export(frame, fmt, path)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and stat.S_ISCHR(device.lstat().st_mode) and folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.gpkg", "null.geojson", "pipe.csv"]


@pytest.mark.parametrize("fmt", ["gpkg", "csv"])
def test_a_folder_that_takes_no_file_is_named_as_the_cause_not_a_full_disk(frame: gpd.GeoDataFrame, fmt: str) -> None:
    """/proc has no free space to speak of and takes no new file: the error once said the disk was full."""
    before = Path("/proc/version").read_bytes()
    with pytest.raises(
        ExportError, match=r"cannot create a file in /proc \(.+\); export to a folder you can write"
    ) as err:
        export(frame, fmt, Path("/proc/version"))
    assert "full" not in str(err.value) and Path("/proc/version").read_bytes() == before


def test_a_regular_file_is_replaced_and_a_new_one_made(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    old = tmp_path / "old.geojson"
    old.write_text("previous export")
    for path in (old, tmp_path / "new.geojson"):
        assert len(gpd.read_file(export(frame, "geojson", path))) == len(frame)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.geojson", "old.geojson"]
