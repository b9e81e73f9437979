"""The data the library ships with: the gazetteer, the curated claims and lexicon, the seed articles.

They stay in the repository's top-level folders (`gazetteer/`, `claims/`, `seeds/`), where reviewers
edit them. pyproject.toml's `package-dir` maps each to a package (`geo_data.gazetteer`,
`geo_data.claims`, `geo_data.seeds`) with its files as package data, so a wheel carries them and
`importlib.resources` finds them wherever the library is installed: a wheel in site-packages, or an
editable install pointing at a checkout. Nothing is looked up relative to this file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from geo.errors import GeoError

Folder = Literal["gazetteer", "claims", "seeds"]


def bundled(folder: Folder) -> Path:
    """The installed folder of bundled data, e.g. `bundled("gazetteer") / "layers.yaml"`."""
    try:
        root = resources.files(f"geo_data.{folder}")
    except ModuleNotFoundError as err:
        raise GeoError(
            f"the bundled data package geo_data.{folder} is not installed; reinstall panjshir-claims "
            "(`pip install .` from a checkout, or `pip install -e .` to work on it)"
        ) from err
    # A package on disk is a real folder; the loaders read files by path (pyogrio needs one).
    if not isinstance(root, Path):
        raise GeoError(
            f"the bundled data package geo_data.{folder} is not a folder on disk ({root}); "
            "install panjshir-claims unzipped, as pip does"
        )
    return root
