"""The Streamlit app, headless through AppTest, and the map it builds."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.mapview import build_gazetteer_map, escape_text
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def test_app_runs_and_resolves() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error
    at.text_input[0].input("Pazark").run()
    assert [s.value for s in at.success] == [
        "Pazark → Bazarak (town): listed variant (misspelling of بازارک by machine translation, seed 000)"
    ]
    at.text_input[0].input("Taliban").run()
    assert "is not a place" in at.warning[0].value
    assert not at.exception


def test_app_lists_the_places_table() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    table = at.dataframe[0].value
    assert "bazarak" in set(table["id"]) and len(table) > 100


def test_map_shows_places_of_selected_types(gazetteer: Gazetteer) -> None:
    html = build_gazetteer_map(gazetteer, types={"town"}).get_root().render()
    assert "Bazarak (town)" in html and "Khawak Pass (pass)" not in html
    html = build_gazetteer_map(gazetteer, types={"pass"}).get_root().render()
    assert "Khawak Pass (pass)" in html and "Bazarak (town)" not in html


def test_map_is_offline_unless_tiles_are_asked_for(gazetteer: Gazetteer) -> None:
    assert "tile.openstreetmap.org" not in build_gazetteer_map(gazetteer).get_root().render()
    assert "tile.openstreetmap.org" in build_gazetteer_map(gazetteer, tiles=True).get_root().render()


def test_escape_text_neutralises_html_and_templates() -> None:
    assert escape_text("<script>alert(1)</script> {{ 7*7 }}") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123; 7*7 &#125;&#125;"
    )


def test_map_credits_its_boundaries(gazetteer: Gazetteer) -> None:
    html = build_gazetteer_map(gazetteer).get_root().render()
    assert '"attribution": "Boundaries from geoBoundaries (www.geoboundaries.org), Runfola et al. 2020' in html


def test_map_loads_leaflet_and_jquery_from_the_app_only(gazetteer: Gazetteer, tmp_path) -> None:
    """Offline first: the rendered page names no host at all, only /app/static files that exist."""
    import re

    from geo.assets import install_static

    html = build_gazetteer_map(gazetteer).get_root().render()
    assert re.findall(r"https?://", html) == []
    assets = re.findall(r'(?:src|href)="(/app/static/[^"]+)"', html)
    assert len(assets) == 3
    static = install_static(tmp_path / "static")
    for url in assets:
        assert (static / url.removeprefix("/app/static/")).is_file(), url
