"""The library installs as a package: a wheel carries its data, and runs away from the checkout.

Building the wheel and installing it with its dependencies into a fresh venv takes about a minute
(pip's cache holds the dependencies after the first run). `.ci/run` does the same from the shell,
and these tests then use what it built (see `installed`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(the wheel, a fresh venv's python with the wheel installed, an environment with no data folder set).

    Under `.ci/run`, which has just built this checkout's wheel into a fresh venv of its own for
    its wheel check, that wheel and venv (`$PANJSHIR_WHEEL_CHECK`): building them again took a
    minute of CI's 15."""
    tmp = tmp_path_factory.mktemp("package")
    env = {k: v for k, v in os.environ.items() if k not in ("PANJSHIR_DATA", "PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"HOME": str(tmp / "home"), "XDG_DATA_HOME": str(tmp / "home" / "share")}
    if checked := os.environ.get("PANJSHIR_WHEEL_CHECK"):
        (wheel,) = Path(checked, "dist").glob("panjshir_claims-*.whl")
        return wheel, Path(checked, "venv", "bin", "python"), env
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp / "dist").glob("panjshir_claims-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(tmp / "venv")], check=True, timeout=120)
    python = tmp / "venv" / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    (tmp / "elsewhere").mkdir()
    return wheel, python, env


def run_installed(installed: tuple[Path, Path, dict[str, str]], *args: str) -> subprocess.CompletedProcess[str]:
    _, python, env = installed
    cwd = python.parent.parent.parent / "elsewhere"  # neither the checkout nor the venv
    return subprocess.run([str(python), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_the_wheel_carries_the_data(installed) -> None:
    names = set(zipfile.ZipFile(installed[0]).namelist())
    for folder, package in (
        ("gazetteer", "geo_data/gazetteer"),
        ("claims", "geo_data/claims"),
        ("seeds", "geo_data/seeds"),
    ):
        tracked = subprocess.run(["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True)
        expected = {package + path.removeprefix(folder) for path in tracked.stdout.split()}
        assert expected <= names, sorted(expected - names)


def test_the_wheel_carries_the_maps_browser_code(installed) -> None:
    """The maps' .js files ship, and an installed map's page carries their code (read from the venv)."""
    names = set(zipfile.ZipFile(installed[0]).namelist())
    tracked = subprocess.run(["git", "ls-files", "geo/web/js"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert tracked.stdout.split() and set(tracked.stdout.split()) <= names, sorted(set(tracked.stdout.split()) - names)
    probe = "from geo import load_gazetteer; from geo.web.mapview import build_gazetteer_map; "
    probe += "print(build_gazetteer_map(load_gazetteer()).get_root().render())"
    out = run_installed(installed, "-c", probe)
    assert out.returncode == 0, out.stderr
    assert "mapElements.drawnItems = function" in out.stdout and "mapElements.drawnItems({" in out.stdout


def test_installed_validate_from_another_folder(installed) -> None:
    out = run_installed(installed, "-m", "geo", "validate")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok: 120 places, 2 boundary layers, 92 claims"), out.stdout


def test_installed_resolve_from_another_folder(installed) -> None:
    out = run_installed(installed, "-m", "geo", "resolve", "Pazark")
    assert out.returncode == 0, out.stderr
    assert (json.loads(out.stdout)["place_id"], json.loads(out.stdout)["method"]) == ("bazarak", "variant")


def test_installed_data_is_read_from_the_venv_not_the_checkout(installed) -> None:
    probe = "from geo.bundled import bundled; from geo.store.database import data_dir; print(bundled('claims')); print(data_dir())"
    out = run_installed(installed, "-c", probe)
    assert out.returncode == 0, out.stderr
    claims, data = out.stdout.split()
    venv = installed[1].parent.parent
    assert Path(claims).is_relative_to(venv) and not Path(claims).is_relative_to(ROOT), claims
    # An installed wheel writes its store in the user's data folder, never inside site-packages.
    assert Path(data) == Path(installed[2]["XDG_DATA_HOME"]) / "panjshir-claims"


def test_a_checkout_keeps_its_data_folder(monkeypatch) -> None:
    from geo.store.database import data_dir

    monkeypatch.delenv("PANJSHIR_DATA")
    assert data_dir() == ROOT / "data"
