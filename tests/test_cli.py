"""`python -m geo`: real subprocesses, JSON on stdout, errors on stderr with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import BASE_PLACES, ROOT, SEEDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_resolve_prints_json() -> None:
    out = run("resolve", "Pazark")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["place_id"], data["name"], data["method"]) == ("bazarak", "Bazarak", "variant")
    assert (data["lat"], data["lon"]) == (35.31292, 69.51519)


def test_resolve_with_context() -> None:
    data = json.loads(run("resolve", "Kabul", "--context", "kabul-province").stdout)
    assert data["place_id"] in ("kabul", "kabul-province") and len(data["candidates"]) == 2


def test_mentions_prints_the_documented_fields() -> None:
    out = run("mentions", str(SEEDS / "000_e6d450eeac073c7f.txt"))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows[0] | {"explanation": None} == {
        "mention": "Shatel",
        "start": 44,
        "end": 50,
        "place_id": "shutul-district",
        "name": "Shutul",
        "lat": 35.294,
        "lon": 69.3027,
        "method": "variant",
        "score": 1.0,
        "explanation": None,
    }
    assert {"mention", "start", "end", "place_id", "name", "lat", "lon", "method", "score"} <= set(rows[5])


def test_mentions_of_a_missing_file() -> None:
    out = run("mentions", "no/such/file.txt")
    assert out.returncode == 2 and "no such file" in out.stderr


def test_mentions_of_a_binary_file(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(b"\xff\xfe\x00bad")
    out = run("mentions", str(tmp_path / "x.txt"))
    assert out.returncode == 2 and "not UTF-8" in out.stderr


def test_validate_bundled() -> None:
    out = run("validate")
    assert out.returncode == 0 and out.stdout.startswith("ok: 120 places, 2 boundary layers, 85 claims")


def test_validate_fails_on_a_bad_record(make_gazetteer: Callable[..., Path]) -> None:
    bad = [*BASE_PLACES[:3], BASE_PLACES[3] | {"point": {"lat": 69.5, "lon": 35.3}}]
    out = run("--gazetteer", str(make_gazetteer(bad)), "validate")
    assert out.returncode == 1
    assert "test.yaml" in out.stderr and "place 'bazarak'" in out.stderr
    assert "invalid: 2 problem(s)" in out.stderr  # outside the province and the district


def test_claims_prints_json_lines() -> None:
    out = run("claims")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) >= 50
    first = rows[0]
    assert {"id", "document", "quote", "start", "end", "place_id", "claimant", "subject", "type", "date"} <= set(first)
    assert first["supports"] == "taliban"


def test_export_writes_a_filtered_file(tmp_path: Path) -> None:
    out = run("export", "--format", "geojson", str(tmp_path / "tass.geojson"), "--outlet", "TASS")
    assert out.returncode == 0, out.stderr
    assert "wrote 9 claims" in out.stderr
    assert len(json.loads((tmp_path / "tass.geojson").read_text())["features"]) == 9


def test_locate() -> None:
    out = run("locate", str(SEEDS / "004_9664b19b629e403e.txt"), "only pocket of resistance")
    assert json.loads(out.stdout) == {"start": 2502, "end": 2527}


@pytest.mark.parametrize(
    ("factions", "by"),
    [(["nrf"], "layer"), (["taliban", "other"], "layer"), (["nrf"], "claimant"), (["nrf"], "subject")],
)
def test_export_filters_factions_as_the_app_does(tmp_path: Path, factions: list[str], by: str) -> None:
    """The same faction filter gives the same claims from the CLI as from the app's downloads."""
    args = [a for f in factions for a in ("--faction", f)]
    by_args = [] if by == "layer" else ["--faction-by", by]  # the app's default, unsaid
    out = run("export", "--format", "geojson", str(tmp_path / "f.geojson"), *args, *by_args)
    assert out.returncode == 0, out.stderr
    cli = {f["properties"]["claim_id"] for f in json.loads((tmp_path / "f.geojson").read_text())["features"]}
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.query_params.update(factions=",".join(factions), by=by)
    shown = set(app.run().dataframe[0].value["claim_id"])  # every claim the downloads hold, as of the last day
    curated = {c["id"] for c in (json.loads(line) for line in run("claims").stdout.splitlines())}
    assert cli and cli == shown & curated  # the app's store may also hold articles added by other tests
