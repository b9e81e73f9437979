"""geo/'s packages are its layers (README, Layout): each imports only from the layers before it,
none imports Streamlit, and the wheel ships every one of them."""

from __future__ import annotations

import ast
import tomllib

import pytest

from tests.conftest import ROOT

#: In import order: a module may import from its own layer and the ones before it.
LAYERS = ("base", "geo.places", "geo.claims", "geo.extraction", "geo.store", "geo.web")
#: The two shells over all the layers.
SHELLS = {"geo", "geo.__main__", "geo.cli"}


def layer_of(module: str) -> str:
    package = ".".join(module.split(".")[:2])
    return package if package in LAYERS else "base"


def geo_modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted((ROOT / "geo").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return out


def imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


MODULES = geo_modules()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_no_layer_after_its_own(module: str) -> None:
    if module in SHELLS:
        return
    mine = LAYERS.index(layer_of(module))
    later = sorted(m for m in imported(MODULES[module]) if m.startswith("geo.") and LAYERS.index(layer_of(m)) > mine)
    assert later == [], f"{module} ({LAYERS[mine]}) imports from a later layer: {later}"


def test_nothing_in_geo_imports_streamlit() -> None:
    users = sorted(m for m, tree in MODULES.items() if any(n.split(".")[0] == "streamlit" for n in imported(tree)))
    assert users == []


def test_the_wheel_lists_every_package() -> None:
    """setuptools' package list is written by hand (the data folders need package-dir): a layer
    left off it is missing from the wheel, which only an import of it there would show."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    packages = {m for m in MODULES if (ROOT / m.replace(".", "/") / "__init__.py").exists()}
    assert packages <= set(listed)
