"""The examples in the library's docstrings run, and say what they print: an example that no
longer holds (a count of the bundled claims, an import moved) misleads whoever reads it."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import geo


def _with_examples() -> list[str]:
    """The modules of `geo` whose source holds an example (a line with `>>>`)."""
    names = []
    for module in pkgutil.walk_packages(geo.__path__, "geo."):
        spec = importlib.util.find_spec(module.name)
        if spec is not None and spec.origin and ">>>" in Path(spec.origin).read_text(encoding="utf-8"):
            names.append(module.name)
    return sorted(names)


def test_the_library_has_examples() -> None:
    assert len(_with_examples()) >= 5


@pytest.mark.parametrize("name", _with_examples())
def test_a_modules_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, f"{name}: {result.failed} of {result.attempted} fail"
