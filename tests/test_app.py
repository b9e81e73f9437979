"""The Streamlit app, headless through AppTest, and the maps it builds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo import Gazetteer
from geo.web.assets import install_static
from geo.web.html import escape_markdown, escape_text
from geo.web.mapview import build_gazetteer_map, place_from_tooltip, tooltip_text
from tests.conftest import ROOT, button, claims_page, decide_all, published

APP = str(ROOT / "app.py")
GAZETTEER_PAGE = str(ROOT / "views" / "gazetteer.py")


def place_box(at: AppTest):
    """The Place box: its key changes whenever the page selects a place itself (views/claims.py)."""
    (box,) = [b for b in at.selectbox if b.label == "Place"]
    return box


def as_of_slider(at: AppTest):
    """The As-of slider: its key changes whenever the page moves the date itself (views/claims.py)."""
    (slider,) = [s for s in at.slider if s.label == "As of"]
    return slider


def filters(at: AppTest) -> dict[str, Any]:
    """The sidebar's filters as drawn (`views.filters`), by key: what each shows chosen."""
    (box,) = [e for e in at.get("bidi_component") if e.proto.component_name == "panjshir_filters"]
    return {c["key"]: c["chosen"] for c in json.loads(box.proto.json)["choices"]}


def choose(at: AppTest, **values: Any) -> AppTest:
    """What the reader's change in a filter does (`views.filters` sets the session's value, then
    the page runs); AppTest cannot click a custom component."""
    for key, value in values.items():
        at.session_state[key] = value
    return at.run()


def map_args(at: AppTest) -> dict[str, Any]:
    """What the app sent to the streamlit-folium component."""
    (component,) = [n for n in at.get("component_instance") if "folium" in n.proto.component_name]
    return json.loads(component.proto.json_args)


def map_script(at: AppTest) -> str:
    """The mounted map's own Leaflet script: boundaries, names, base layers."""
    return map_args(at)["script"]


def map_layers(at: AppTest) -> str:
    """The claims layers and layer control, which the component swaps into the mounted map."""
    args = map_args(at)
    return args["feature_group"] + args["layer_control"]


def markers(at: AppTest, faction: str) -> int:
    return map_layers(at).count(f"claim-marker claim-{faction}")


@pytest.fixture(scope="module")
def app() -> AppTest:
    return claims_page()


def test_app_runs(app: AppTest) -> None:
    assert not app.exception and not app.error
    assert app.title[0].value.startswith("Panjshir 2021")
    assert markers(app, "taliban") > 0 and markers(app, "nrf") > 0 and markers(app, "other") > 0


def test_turning_a_faction_off_removes_its_markers() -> None:
    at = claims_page()
    before = markers(at, "nrf")
    choose(at, factions=["nrf", "other"])
    assert filters(at)["factions"] == ["nrf", "other"]
    assert markers(at, "taliban") == 0 and "Taliban claims" not in map_layers(at)
    assert markers(at, "nrf") == before
    assert at.query_params["factions"] == "nrf,other"


def test_moving_the_date_changes_what_is_shown() -> None:
    at = claims_page()
    late = at.caption[0].value
    as_of_slider(at).set_value(__import__("datetime").date(2021, 8, 30)).run()
    early = at.caption[0].value
    assert late.startswith("92 claims as of 2021-09-07") and early.startswith(
        "9 claims as of 2021-08-30 from 1 article."
    )
    # On 7 September Shutul's own claims contest it; on 30 August it only inherits Panjshir's status.
    assert "Shutul (district): Contested as of" in map_layers(claims_page())
    assert "Shutul (district): NRF-claimed (inherited) as of 2021-08-30" in map_layers(at)


def test_a_day_moves_with_a_place_open_and_the_map_carries_its_day() -> None:
    """Day steps are the map's own buttons (`DaySteps`, in the browser tests); the slider moves a
    day too, with the place kept, and each run's layers carry their day for those buttons."""
    at = claims_page(place="bazarak", date="2021-09-05")
    as_of_slider(at).set_value(__import__("datetime").date(2021, 9, 4)).run()
    assert not at.exception and place_box(at).value == "bazarak"
    assert '"date": "2021-09-04"' in map_layers(at) and '"url": "/api/map-layers"' in map_layers(at)
    assert "day-steps" in map_script(at)  # the buttons are in the mounted map, shown as of a date
    at.radio(key="mode").set_value("range").run()
    assert re.search(r"mapElements\.claimOverlays\(.*\], null\);", map_layers(at), re.S)  # no day for a range: hidden


def test_date_range_view() -> None:
    at = claims_page(mode="range", start="2021-09-03", end="2021-09-04")
    assert not at.exception
    table = at.dataframe[0].value
    assert (table["date_end"] >= "2021-09-03").all() and (table["date_start"] <= "2021-09-04").all()


def test_switching_views_keeps_both_dates() -> None:
    """Streamlit forgets a keyed widget's value on a run that does not draw it: the as-of date
    while the range view shows, and the range while the as-of view shows."""
    at = claims_page()
    as_of_slider(at).set_value(__import__("datetime").date(2021, 9, 2)).run()
    at.radio(key="mode").set_value("range").run()
    choose(at, outlets=filters(at)["outlets"][:1])
    assert not at.exception
    at.radio(key="mode").set_value("as_of").run()
    choose(at, types=["captured"])
    assert not at.exception
    assert as_of_slider(at).value.isoformat() == "2021-09-02"
    assert at.query_params["date"] == "2021-09-02"


def test_source_filter_narrows_the_claims() -> None:
    at = claims_page()
    everything = len(at.dataframe[0].value)
    choose(at, outlets=["TASS"])
    table = at.dataframe[0].value
    assert 0 < len(table) < everything and set(table["article"]) == {"TASS, 2021-08-30"}
    assert at.query_params["outlets"] == "TASS"


def test_query_parameters_round_trip() -> None:
    at = claims_page(
        place="bazarak", date="2021-09-06", factions="taliban,nrf", by="claimant", types="present,advanced"
    )
    assert not at.exception
    assert place_box(at).value == "bazarak"
    assert filters(at)["factions"] == ["taliban", "nrf"]
    assert filters(at)["by"] == "claimant"
    assert as_of_slider(at).value.isoformat() == "2021-09-06"
    params = {k: at.query_params[k] for k in at.query_params}
    assert params == {
        "place": "bazarak",
        "date": "2021-09-06",
        "factions": "taliban,nrf",
        "by": "claimant",
        "types": "present,advanced",
    }
    cards = [m.value for m in at.markdown if m.value.startswith("<div class='claim-card")]
    assert cards and all("Bazarak" in c for c in cards)
    assert any("<mark>They also confirmed the arrival in Bazarak" in c for c in cards)


def map_header(at: AppTest) -> str:
    return map_args(at)["header"]


def test_the_map_view_round_trips_through_the_link() -> None:
    """Centre, zoom, hidden layers and base layer come from the link, reach the map's header
    (where the browser's map reads them) and go back into the URL unchanged."""
    view = {"center": "35.4000,69.7000", "zoom": "11", "hide": "status,other", "base": "topo", "tiles": "1"}
    at = claims_page(**view)
    assert not at.exception and not at.warning
    assert {k: at.query_params[k] for k in at.query_params} == view
    (meta,) = re.findall(r'<meta name="map-view" content="([^"]*)">', map_header(at))
    assert json.loads(meta.replace("&quot;", '"')) == {"center": [35.4, 69.7], "zoom": 11, "base": "topo"}
    assert "mapElements.claimOverlays(" in map_layers(at) and '["status", "other"]' in map_layers(at)
    # The view is in the header, the hidden layers with the claims: a script that changed with
    # each pan, day or layer ticked would remount the map.
    assert map_script(at) == map_script(claims_page(tiles="1"))
    assert map_script(at) == map_script(claims_page(tiles="1", date="2021-08-20", factions="nrf"))
    assert "center" not in claims_page().query_params


def test_the_first_run_ends_after_the_map_and_the_next_draws_the_whole_page() -> None:
    """A session's first run draws the controls, the map and its panel; the run the map's report
    causes once it has drawn (any run after the first) draws the chart, the table and the
    downloads too, and the map exactly as before: Streamlit then sends it as a reference."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(place="bazarak", date="2021-09-06", factions="nrf")
    at.run()
    assert not at.exception and not at.dataframe and not at.get("vega_lite_chart")
    assert any("follow once the map has drawn" in c.value for c in at.caption)
    assert place_box(at).value == "bazarak" and markers(at, "nrf") > 0  # the panel and the map are there
    # The filters wait too (the sidebar is folded), but the link's already apply to the map.
    assert not at.get("bidi_component") and markers(at, "taliban") == 0
    assert at.query_params["place"] == "bazarak"
    first = map_args(at)
    at.run()
    assert not at.exception and at.dataframe and at.get("vega_lite_chart")
    assert not any("follow once the map has drawn" in c.value for c in at.caption)
    assert filters(at)["factions"] == ["nrf"]
    assert map_args(at) == first


def test_bad_query_parameters_fall_back_to_defaults() -> None:
    at = claims_page(date="yesterday", mode="sideways", factions="martians", place="<script>")
    assert not at.exception
    assert as_of_slider(at).value.isoformat() == "2021-09-07" and place_box(at).value is None


def test_gazetteer_page_resolves_and_lists() -> None:
    at = AppTest.from_file(GAZETTEER_PAGE, default_timeout=60).run()
    assert not at.exception
    at.text_input[0].input("Pazark").run()
    assert at.success[0].value == escape_markdown(
        "Pazark → Bazarak (town): listed variant (misspelling of بازارک by machine translation, seed 000)"
    )
    assert "method: variant · score: 1.00 · id: bazarak" in at.caption[0].value
    at.text_input[0].input("Panjshir").run()
    candidates = at.dataframe[0].value
    assert list(candidates["id"]) == ["panjshir-province", "panjshir-valley", "panjshir-river"]
    places = at.dataframe[1].value
    assert len(places) == 120 and {"variants", "coordinate source"} <= set(places.columns)
    at.text_input[0].input("Taliban").run()
    assert "is not a place" in at.warning[0].value


def test_tooltips_lead_back_to_their_place(gazetteer: Gazetteer) -> None:
    for place_id in ("bazarak", "bazarak-district", "panjshir-valley", "shutul-district"):
        assert place_from_tooltip(tooltip_text(gazetteer[place_id], "nrf", 2), gazetteer) == place_id
    assert place_from_tooltip("Atlantis (town) — NRF: 1 claim", gazetteer) is None


def test_gazetteer_map_by_type(gazetteer: Gazetteer) -> None:
    html = build_gazetteer_map(gazetteer, types={"town"}).get_root().render()
    assert "Bazarak (town)" in html and "Khawak Pass (pass)" not in html


def test_map_credits_its_boundaries(gazetteer: Gazetteer) -> None:
    html = build_gazetteer_map(gazetteer).get_root().render()
    assert 'attribution: "Boundaries: geoBoundaries (Runfola et al. 2020), public domain"' in html


def test_maps_load_leaflet_from_the_app_only(gazetteer: Gazetteer, tmp_path: Path) -> None:
    """Offline first: the rendered page names no host at all, only /app/static files that exist:
    Leaflet's script and stylesheet, and no jQuery, which nothing on the maps calls."""
    html = build_gazetteer_map(gazetteer).get_root().render()
    assert re.findall(r"https?://", html) == []
    assets = re.findall(r'(?:src|href)="(/app/static/[^"]+)"', html)
    assert [a.rsplit("/", 1)[-1] for a in assets] == ["leaflet.js", "leaflet.css"]
    at = claims_page(place="bazarak", tiles="1")
    claims_map = "".join(str(v) for k, v in map_args(at).items() if k in ("script", "feature_group", "layer_control"))
    for page in (html, claims_map, build_gazetteer_map(gazetteer, tiles=True).get_root().render()):
        assert not re.search(r"\$\(|jQuery", page)
    assert [link.rsplit("/", 1)[-1] for link in map_args(at)["js_links"]] == ["leaflet.js"]
    static = install_static(tmp_path / "static")
    for url in assets:
        assert (static / url.removeprefix("/app/static/")).is_file(), url
    assert "tile.openstreetmap.org" in build_gazetteer_map(gazetteer, tiles=True).get_root().render()


def test_boundaries_are_fetched_from_static_files_not_embedded(gazetteer: Gazetteer, tmp_path: Path) -> None:
    from geo.web.assets import install_basemap
    from geo.web.mapview import basemap_files

    html = build_gazetteer_map(gazetteer).get_root().render()
    assert (
        'fetch("/app/static/basemap/provinces.geojson")' in html
        and 'fetch("/app/static/basemap/districts.geojson")' in html
    )
    assert "FeatureCollection" not in html  # the 400 kB of boundaries are no longer in every map
    folder = install_basemap(tmp_path, basemap_files(gazetteer))
    provinces = json.loads((folder / "provinces.geojson").read_text())
    assert provinces["type"] == "FeatureCollection" and len(provinces["features"]) == 34
    assert install_basemap(tmp_path, basemap_files(gazetteer)) == folder  # unchanged files are left alone


def test_escape_text_neutralises_html_and_templates() -> None:
    assert escape_text("<script>alert(1)</script> {{ 7*7 }}") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123; 7*7 &#125;&#125;"
    )


INGEST_PAGE = str(ROOT / "views" / "ingest.py")


def test_add_article_paste_review_save_and_see_it_on_the_map() -> None:
    at = AppTest.from_file(INGEST_PAGE, default_timeout=120).run()
    text = (
        "The Taliban captured Bazarak on Friday, a Taliban source said. Resistance forces repelled an attack on Khawak."
    )
    at.text_area[0].input(text).run()
    button(at, "Find places and claims").click().run()
    published(at).set_value(__import__("datetime").date(2021, 9, 4)).run()
    assert not at.exception
    preview = next(m.value for m in at.markdown if "article-preview" in m.value)
    assert "<mark>Bazarak</mark>" in preview and "<mark>Khawak</mark>" in preview
    decide_all(at, "accept")
    button(at, "Save to the store").click().run()
    assert at.success and "2 claims on the map, 0 rejected" in at.success[0].value
    button(at, "Find places and claims").click().run()
    assert [r.value for r in at.radio if r.key.startswith("new-")] == ["accept", "accept"]  # as saved
    button(at, "Save to the store").click().run()
    assert "already in the store" in at.info[0].value  # the same article twice adds nothing
    opened = claims_page()
    table = opened.dataframe[0].value
    accepted = table[table["claim_id"].str.startswith("x-")]
    assert set(accepted["place_name"]) == {"Bazarak", "Khawak Pass"} and len(accepted) == 2
    in_range = claims_page(mode="range")  # every claim in the range, the accepted ones among them
    listed = in_range.dataframe[0].value
    at_khawak = int((listed["place_name"] == "Khawak Pass").sum())
    assert at_khawak >= 2  # the bundled claim and the accepted one; the popup counts them, its words are in the panel
    # In the layers' JSON, where "</" is written "<\\/" (`script_json`).
    said = f"data-place='khawak-pass'><b>Khawak Pass (pass)<\\/b><br><span class='counts'>{at_khawak} claims "
    assert said in map_layers(in_range)


def test_bad_input_is_refused_and_the_page_keeps_running() -> None:
    at = AppTest.from_file(INGEST_PAGE, default_timeout=120).run()
    at.text_area[0].input("   ").run()
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Not taken in: pasted text is empty")
    at.text_area[0].input("\x00\x01 binary").run()
    at.button[0].click().run()
    assert "binary file" in at.error[0].value and not at.exception


BUSY_PLACE = r"""
import json, sys
sys.path[:0] = [{root!r}, {bench!r}]
from pathlib import Path
from streamlit.testing.v1 import AppTest
from synth import generate
from geo.claims.model import load_claims
from geo.store.database import Store

base = load_claims()
corpus = generate(3000, 60, base=base)
store = Store()
store.load_curated(base)
for name, text in corpus.texts.items():
    rows = [(c.id, "accepted", c.model_dump(mode="json")) for c in corpus.claims if c.document == name]
    store.add_document(text, corpus.sources[name], rows, by="test")
busiest = max({{c.place_id for c in corpus.claims}}, key=lambda p: sum(c.place_id == p for c in corpus.claims))
at = AppTest.from_file({app!r}, default_timeout=120)
at.query_params.update(mode="range", place=busiest)
at.run()
card = "<div class='claim-card"  # each side's page of cards is one markdown element
cards = lambda: [card + c for m in at.markdown if m.value.startswith(card) for c in m.value.split(card)[1:]]
first = cards()
page = at.selectbox(key=f"page-{{busiest}}")
at.selectbox(key=f"page-{{busiest}}").set_value(page.options[1]).run()
print(json.dumps({{"errors": [str(e.value) for e in at.exception], "first": first, "second": cards(),
                  "pages": len(page.options), "label": page.options[1]}}))
"""


def test_a_busy_place_lists_its_claims_a_page_at_a_time(tmp_path: Path) -> None:
    """A place with hundreds of claims gets 25 cards beside the map, newest first, and a choice of
    page, not hundreds of cards per rerun. Its own store: the app caches the session's one."""
    probe = BUSY_PLACE.format(root=str(ROOT), bench=str(ROOT / "bench"), app=APP)
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PANJSHIR_DATA": str(tmp_path)},
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert len(result["first"]) == len(result["second"]) == 25
    assert not set(result["first"]) & set(result["second"])
    assert result["pages"] >= 4 and result["label"].startswith("26–50 ")
    when = re.compile(r"<div class='meta'>event (\d{4}-\d{2}-\d{2})(?: – (\d{4}-\d{2}-\d{2}))?")
    for side in ("taliban", "nrf", "other"):  # each side has a column of its own
        pages = [
            [c for c in result[p] if c.startswith(f"<div class='claim-card claim-{side}")] for p in ("first", "second")
        ]
        ends = [(m := when.search(card)).group(2) or m.group(1) for card in pages[0] + pages[1]]
        assert ends == sorted(ends, reverse=True), side  # newest first, across pages


@pytest.mark.parametrize(
    ("typed", "place", "said"),
    [
        ("Pazark", "bazarak", "Pazark → Bazarak (town): listed variant"),
        ("Rukha", "rokha-district", "Rukha → Rokha (district): listed variant"),
        ("Taliban", None, "'Taliban' is not a place"),
    ],
)
def test_find_a_place_selects_what_the_resolver_finds(typed: str, place: str | None, said: str) -> None:
    at = claims_page()
    at.text_input(key="find").input(typed).run()
    assert not at.exception
    assert place_box(at).value == place
    shown = [escape_markdown(said) in e.value for e in [*at.caption, *at.warning]]
    assert any(shown)
    if place:
        assert at.query_params["place"] == place and "zoom" in at.query_params


def test_an_ambiguous_name_offers_its_other_places() -> None:
    at = claims_page()
    at.text_input(key="find").input("Panjshir").run()
    assert place_box(at).value == "panjshir-province"
    at.button(key="found-panjshir-valley").click().run()
    assert place_box(at).value == "panjshir-valley"


def test_a_claim_permalink_opens_its_place_and_day_with_its_card() -> None:
    at = claims_page(claim="s001-03")
    assert not at.exception and not at.warning
    assert place_box(at).value == "panjshir-province"
    assert as_of_slider(at).value.isoformat() == "2021-09-06"
    linked = [m.value for m in at.markdown if m.value.startswith("<div class='linked-claim'>")]
    assert linked and "The last nest of the enemy" in linked[0]
    assert at.query_params["claim"] == "s001-03"


def test_sources_page_lists_every_document_and_reads_one() -> None:
    at = AppTest.from_file(str(ROOT / "views" / "sources.py"), default_timeout=120)
    at.query_params["doc"] = "001_b2ea9295ad45eb18.txt"
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert {"outlet", "agency", "published", "evidence", "language", "claims"} <= set(table.columns) and len(table) >= 5
    (article,) = [m.value for m in at.markdown if "article-reader" in m.value]
    assert article.count("class='permalink'") == 17  # seed 001's claims (s001-14 removed by issue 29)


def test_the_filters_list_articles_and_the_outlets_they_cite() -> None:
    """Issue 28, point 1: the sidebar offers each article (its outlet where known, else its first
    line, with its date) and each outlet cited, and either narrows the claims, in the link too."""
    at = claims_page()
    (box,) = [e for e in at.get("bidi_component") if e.proto.component_name == "panjshir_filters"]
    choices = {c["key"]: dict(c["options"]) for c in json.loads(box.proto.json)["choices"]}
    assert choices["articles"]["004_9664b19b629e403e.txt"] == "TASS, 2021-08-30"
    assert choices["articles"]["001_b2ea9295ad45eb18.txt"].startswith("“Taliban take control of Panjshir”, 2021-09-06")
    assert choices["cites"]["TOLOnews"] == "via TOLOnews" and choices["cites"]["(none)"] == "none named"
    everything = len(at.dataframe[0].value)
    choose(at, articles=["003_fe92bc33c68e5510.txt"])
    table = at.dataframe[0].value
    assert 0 < len(table) < everything and set(table["article"]) == {choices["articles"]["003_fe92bc33c68e5510.txt"]}
    assert at.query_params["articles"] == "003_fe92bc33c68e5510.txt"
    choose(at, articles=filters(at)["articles"] + list(choices["articles"]), cites=["TOLOnews"])
    table = at.dataframe[0].value
    assert len(table) and table["cites"].str.contains("TOLOnews").all() and "articles" not in at.query_params
    assert at.query_params["cites"] == "TOLOnews"
    linked = claims_page(cites="AFP,Nobody")
    assert filters(linked)["cites"] == ["AFP"] and any("Nobody" in w.value for w in linked.warning)
