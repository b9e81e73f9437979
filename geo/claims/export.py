"""Exports of a claims frame: GeoJSON (RFC 7946), GeoPackage, KML and a CSV of claims (README maps it to ACLED).

Every file is written by `write_atomically`: into a temporary folder beside the destination,
synced to disk and checked complete before it is moved into place, so a failed export (a full
disk included) raises `ExportError` and never leaves a half-written file where a reader expects
one. Only a new path or an existing regular file is ever replaced: an export to a symbolic link,
folder, FIFO or device is refused rather than replacing the node itself.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.claims.sides import SIDE_BY_ID, SIDES
from geo.errors import ExportError

FORMATS = ("geojson", "gpkg", "kml", "csv")
SUFFIXES = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ".csv"}
# ACLED's time_precision: 1 = day, 2 = within a week, 3 = within a month or vaguer.
_ACLED_GEO = {"point": 1, "district": 2, "region": 2, "province": 3, "country": 3}
#: A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export(frame: gpd.GeoDataFrame, fmt: str, path: Path | str) -> Path:
    """Write `frame` as `fmt` to `path` (see `write_atomically`); return the path.

    Raises `ExportError` when the format is unknown, the folder is missing, `path` is not a
    regular file, or the file could not be written in full; `path` is then left as it was.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        # Written from bytes in hand, so the check can be exact: the file holds every byte.
        data = _csv(frame)
        return write_atomically(Path(path), lambda tmp: _write_bytes(tmp, data), _size_check(len(data)), what=fmt)
    gdal = {"geojson": _geojson, "gpkg": _gpkg, "kml": _kml}[fmt]
    # GDAL may log a failed write (ENOSPC) and carry on; only reading the file back tells.
    return write_atomically(Path(path), lambda tmp: gdal(frame, tmp), _feature_check(len(frame)), what=fmt)


def export_bytes(frame: gpd.GeoDataFrame, fmt: str) -> bytes:
    """`frame` exported as `fmt`, as bytes: what the app's download buttons serve."""
    with tempfile.TemporaryDirectory() as tmp:
        return export(frame, fmt, Path(tmp) / f"claims{SUFFIXES[fmt]}").read_bytes()


def write_atomically(
    path: Path, write: Callable[[Path], None], check: Callable[[Path], str | None], *, what: str = "file"
) -> Path:
    """Have `write` make a file at a temporary path, then sync it, `check` it and move it to `path`.

    The temporary path is in a new folder beside `path` (same filesystem, so the move is atomic)
    and has `path`'s name, which GDAL takes as the layer name. `check` returns what is wrong with
    the written file, or None if it is complete. The folder is synced after the move, so that the
    new name survives a crash too. Raises `ExportError`, leaving `path` as it was, on any failure.
    """
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"folder {folder} does not exist; create it first", path=path)
    _refuse_non_regular(path)
    try:
        work = Path(tempfile.mkdtemp(dir=folder, prefix=f".{path.name}."))
    except OSError as err:  # the folder takes no new file: read-only, /proc, no permission
        full = err.errno in (errno.ENOSPC, errno.EDQUOT)
        cause = (
            "the disk is full: free some space or export elsewhere" if full else "export to a folder you can write to"
        )
        raise ExportError(
            f"cannot create a file in {folder} ({err.strerror}); {cause}; the destination was left as it was", path=path
        ) from err
    try:
        tmp = work / path.name
        write(tmp)
        _fsync(tmp)
        problem = check(tmp)
        if problem is not None:
            raise _failure(what, problem, path, _out_of_space(None, folder))
        _refuse_non_regular(path)  # again: a long export leaves time for the path to change
        os.replace(tmp, path)
    except ExportError:
        raise
    except Exception as err:
        raise _failure(what, str(err), path, _out_of_space(err, folder)) from err
    finally:
        shutil.rmtree(work, ignore_errors=True)
    try:
        _fsync(folder)
    except OSError as err:
        raise ExportError(
            f"was written, but its folder could not be synced to disk ({err}); check the disk", path=path
        ) from err
    return path


#: Free space below which a failed write is put down to a full disk (see `_out_of_space`).
_FULL_BELOW = 1024 * 1024


def _failure(what: str, detail: str, path: Path, full: bool) -> ExportError:
    hint = "; the disk is full: free some space or export elsewhere" if full else ""
    return ExportError(f"could not write {what}: {detail}{hint}; the destination was left as it was", path=path)


def _out_of_space(err: BaseException | None, folder: Path) -> bool:
    """Whether a write failed for want of space. GDAL reports ENOSPC as a generic write error, or
    not at all, so the folder's free space, measured while the partial file still takes it, tells."""
    if isinstance(err, OSError) and err.errno is not None:  # the system said why: believe it
        return err.errno in (errno.ENOSPC, errno.EDQUOT)
    space = os.statvfs(folder)
    # A filesystem of no blocks (/proc, /sys) is not full: it holds no files of ours at all.
    return space.f_blocks > 0 and space.f_bavail * space.f_frsize < _FULL_BELOW


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_non_regular(path: Path) -> None:
    """Raise unless `path` is free or a regular file: replacing a link or a device node would
    destroy the node itself, and writing through it would write where the user did not say."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise ExportError(
        f"is {kind}, not a regular file; it was left alone: export to a new file name or a regular file",
        path=path,
    )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as err:
        # Some filesystems cannot sync a folder (EINVAL); the data itself was synced before.
        if not (err.errno == errno.EINVAL and path.is_dir()):
            raise
    finally:
        os.close(fd)


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "xb") as out:
        out.write(data)


def _size_check(size: int) -> Callable[[Path], str | None]:
    def check(path: Path) -> str | None:
        written = path.stat().st_size
        return None if written == size else f"only {written:,} of {size:,} bytes were written"

    return check


def _feature_check(count: int) -> Callable[[Path], str | None]:
    def check(path: Path) -> str | None:
        try:
            found = pyogrio.read_info(path, force_feature_count=True)["features"]
        except Exception as err:  # a truncated file does not parse; GDAL's errors vary by driver
            return f"the written file cannot be read back ({err})"
        return None if found == count else f"the written file holds {found} of {count} claims"

    return check


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


_SIDE_NAMES = {side: SIDE_BY_ID[side].label for side in SIDES}


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
            "part": frame["part"],
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


def _csv(frame: gpd.GeoDataFrame) -> bytes:
    # CRLF, as RFC 4180 has it, also makes the csv module quote any cell holding a carriage return:
    # with LF alone, Python 3.11 leaves one bare, and a spreadsheet starts a new row there.
    text: str = neutralise_cells(claims_table(frame)).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8")


def neutralise_cells(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with a single quote before every text cell that starts like a formula
    (`FORMULA_STARTS`), OWASP's rule, so that a spreadsheet opening the CSV shows an article's
    `=HYPERLINK(...)` rather than running it. Only text changes: numbers such as -12.5 stay numbers.
    """
    out = table.copy()
    for position in range(table.shape[1]):
        column = table.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column):
            continue
        text = column.astype(object)
        risky = text.map(lambda cell: isinstance(cell, str) and cell.startswith(FORMULA_STARTS)).astype(bool)
        if risky.any():
            out.isetitem(position, text.mask(risky, "'" + text[risky].astype(str)))
    return out
