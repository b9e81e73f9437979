"""Shared fixtures: the bundled gazetteer, a builder of small ones in tmp_path, the claims page opened."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button, DateInput

from geo import Gazetteer, Resolver, load_gazetteer
from geo.places.gazetteer import DEFAULT_ROOT

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"

#: A valid minimal record set: a province with its polygon, a district and a town inside them.
BASE_PLACES: list[dict] = [
    {
        "id": "afghanistan",
        "name": "Afghanistan",
        "type": "country",
        "point": None,
        "unpinned": "test country",
    },
    {
        "id": "panjshir-province",
        "name": "Panjshir",
        "type": "province",
        "parents": ["afghanistan"],
        "point": {"lat": 35.4469, "lon": 69.795},
        "source": {"dataset": "boundaries/afg_adm1_dissolved_from_geoboundaries_adm2.geojson"},
        "boundary": {"layer": "provinces", "feature": "Panjshir"},
    },
    {
        "id": "bazarak-district",
        "name": "Bazarak",
        "type": "district",
        "parents": ["afghanistan", "panjshir-province"],
        "point": {"lat": 35.3695, "lon": 69.5061},
        "source": {"dataset": "boundaries/afg_adm2_panjshir_parwan_kapisa_baghlan_geoboundaries.geojson"},
        "boundary": {"layer": "districts", "feature": "17698898B32986423945251"},
        "ambiguity": "district and town",
    },
    {
        "id": "bazarak",
        "name": "Bazarak",
        "type": "town",
        "parents": ["afghanistan", "panjshir-province", "bazarak-district"],
        "point": {"lat": 35.31292, "lon": 69.51519},
        "source": {"geonames": 1429434},
        "variants": ["Pazark"],
        "ambiguity": "district and town",
    },
]


def claims_page(**params: str) -> AppTest:
    """The claims page as a browser opens it, from a link with `params`: the first run, which ends
    after the map, then the run the map's report causes once it has drawn (AppTest runs no
    JavaScript and is sent none: a plain rerun stands for it)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(params)
    return at.run().run()


def button(at: AppTest, label: str) -> Button:
    """The page's button with this label."""
    return next(b for b in at.button if b.label == label)


def published(at: AppTest) -> DateInput:
    """The Add-article page's publication date, shown once an article is found."""
    return next(d for d in at.date_input if d.label == "Published")


def decide_all(at: AppTest, choice: str, prefix: str = "new-") -> AppTest:
    """Set every candidate's decision on the Add-article page (`prefix` new- for the new article,
    wait- for the one waiting for review) to undecided, accept or reject, as a reviewer clicks them."""
    for radio in at.radio:
        if str(radio.key).startswith(prefix):
            radio.set_value(choice)
    return at.run()


def write_gazetteer(root: Path, places: list[dict], *, files: dict[str, str] | None = None) -> Path:
    """Write a gazetteer folder: the bundled layers and boundaries, `places` as places/test.yaml."""
    shutil.copy(DEFAULT_ROOT / "layers.yaml", root / "layers.yaml")
    shutil.copytree(DEFAULT_ROOT / "boundaries", root / "boundaries")
    (root / "places").mkdir()
    (root / "places" / "test.yaml").write_text(yaml.safe_dump(places, allow_unicode=True, sort_keys=False))
    for name, text in (files or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def run_geo(*args: str, timeout: float = 120, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m geo ARGS` as a user runs it, from the project folder; `input` is its standard input."""
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout, input=input
    )


#: A short article with a claim of each side, for ingest tests.
ARTICLE = (
    "The Taliban captured Bazarak on Friday, a Taliban source said. Resistance forces repelled an attack on Khawak."
)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A folder of twelve article files, for ingest tests."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(12):
        (folder / f"a{i:02d}.txt").write_text(f"Report {i}: " + ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture
def app_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder of its own for the app under AppTest: the app caches its store per process,
    so the cache is cleared around the test (other tests add articles to the session's store)."""
    import streamlit as st

    monkeypatch.setenv("PANJSHIR_DATA", str(tmp_path))
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def main_module_kept() -> Iterator[None]:
    """AppTest runs a page as `__main__` and leaves it there, and a process started by spawn later
    in the same pytest process (a Dask worker) runs `__main__`'s file first: it ran the Sources page
    and died. Which test runs after an AppTest depends on how the files are shared out (`-n 2`)."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(scope="session", autouse=True)
def data_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's store lives here during tests, never in the project's data/ folder."""
    import os

    folder = tmp_path_factory.mktemp("data")
    os.environ["PANJSHIR_DATA"] = str(folder)
    return folder


@pytest.fixture
def make_gazetteer(tmp_path: Path) -> Callable[..., Path]:
    def make(places: list[dict], **kw: dict[str, str]) -> Path:
        root = tmp_path / f"gaz{len(list(tmp_path.iterdir()))}"
        root.mkdir()
        return write_gazetteer(root, places, **kw)

    return make


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def resolver(gazetteer: Gazetteer) -> Resolver:
    return Resolver(gazetteer)


@pytest.fixture(scope="session")
def claim_set(gazetteer: Gazetteer):
    from geo.claims.model import load_claims

    return load_claims(gazetteer=gazetteer)


@pytest.fixture(scope="session")
def frame(claim_set):
    from geo.claims.tables import claims_frame

    return claims_frame(claim_set)
