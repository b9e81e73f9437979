"""The library type-checks: mypy, at the strictness set in pyproject.toml, is part of the test run."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_mypy_geo() -> None:
    out = subprocess.run([sys.executable, "-m", "mypy", "geo"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
