"""Derived views: the claims frame, filters, outlets reporting an event, the app's narrow index."""

from __future__ import annotations

import geopandas as gpd

from geo.claims.status import in_event_range, in_force, status_table
from geo.claims.tables import filter_by_faction, filter_claims, index_frame


def test_frame_geometry_follows_precision(frame: gpd.GeoDataFrame) -> None:
    by_id = frame.set_index("claim_id")
    assert by_id.loc["s000-01"].geometry.geom_type in ("Polygon", "MultiPolygon")  # Shutul district
    assert by_id.loc["s004-07"].geometry.geom_type in ("Polygon", "MultiPolygon")  # Panjshir province
    assert by_id.loc["s001-06"].geometry.geom_type == "Point"  # Bazarak town
    assert (by_id.loc["s001-06"].geometry.y, by_id.loc["s001-06"].geometry.x) == (35.31292, 69.51519)
    assert frame.crs.to_epsg() == 4326 and len(frame) == frame["claim_id"].nunique()


def test_reported_by_counts_outlets_per_event_not_per_place(frame: gpd.GeoDataFrame) -> None:
    by_id = frame.set_index("claim_id")
    # The 30 August attack (TASS) and the 31 August one (the fallen government's minister, seed 002)
    # are different events at the same place: neither corroborates the other.
    assert by_id.loc["s004-02", "outlets_reporting"] == 1
    assert by_id.loc["s002-09", "outlets_reporting"] == 1
    # Mujahid's claim and the outlet's own headline, same document: one outlet.
    assert by_id.loc["s001-03", "outlets_reporting"] == 1


def test_outlets_reporting_joins_overlapping_dates_only() -> None:
    import pandas as pd

    from geo.claims.tables import outlets_reporting

    rows = pd.DataFrame(
        {
            "place_id": ["p"] * 4,
            "type": ["attack"] * 4,
            "subject": ["taliban"] * 4,
            "date_start": ["2021-09-01", "2021-09-02", "2021-09-03", "2021-09-10"],
            "date_end": ["2021-09-02", "2021-09-03", "2021-09-03", "2021-09-10"],
            "outlet": ["A", "B", "A", "C"],
            "outlet_known": [True, True, True, True],
            "document": ["a", "b", "c", "d"],
        }
    )
    # 1-2 overlaps 2-3, which overlaps 3-3: one event, outlets A and B; 10 Sep is another event.
    assert outlets_reporting(rows).tolist() == [2, 2, 2, 1]


def test_filters(frame: gpd.GeoDataFrame) -> None:
    assert set(filter_claims(frame, outlets=["TASS"])["document"]) == {"004_9664b19b629e403e.txt"}
    nrf = filter_by_faction(frame, ["nrf"])
    assert (nrf["map_faction"] == "nrf").all() and len(nrf) > 10
    window = filter_claims(frame, start="2021-09-06", end="2021-09-06")
    assert (window["date_end"] >= "2021-09-06").all() and (window["date_start"] <= "2021-09-06").all()
    assert set(filter_claims(frame, claimant_factions=["taliban"], types=["captured"])["claim_id"]) >= {"s001-03"}
    assert len(filter_claims(frame)) == len(frame)


def test_the_index_gives_the_views_of_the_whole_table(frame: gpd.GeoDataFrame, gazetteer) -> None:
    """The app filters `index_frame` (categories, time order) rather than the table: every view
    must come out the same, claim for claim, and the map the same, item for item."""
    from geo.claims.sides import LAYERS
    from geo.claims.tables import filter_by_faction, in_range, latest_as_of, per_day, public_by
    from geo.web.mapview import build_claims_map

    index = index_frame(frame)
    assert set(index.index) == set(frame.index) and index["seq"].is_monotonic_increasing
    assert list(index["claim_id"]) == list(frame.sort_values(["date_end", "date_start", "claim_id"])["claim_id"])
    for by in ("layer", "claimant", "subject"):
        for factions in (["taliban"], ["nrf", "other"], list(LAYERS)):
            a, b = filter_by_faction(frame, factions, by=by), filter_by_faction(index, factions, by=by)
            assert sorted(a["claim_id"]) == sorted(b["claim_id"]), (by, factions)
    outlets, types = ["TASS"], ["captured", "repelled_attack"]
    a, b = filter_claims(frame, outlets=outlets, types=types), filter_claims(index, outlets=outlets, types=types)
    assert sorted(a["claim_id"]) == sorted(b["claim_id"]) and len(a)
    for day in ("2021-08-30", "2021-09-04", "2021-09-06"):
        assert sorted(latest_as_of(frame, day)["claim_id"]) == sorted(latest_as_of(index, day)["claim_id"])
        a = status_table(in_force(frame, day), gazetteer)
        b = status_table(in_force(index, day), gazetteer, details=frame)
        assert a.to_dict() == b.to_dict() and len(a)
        done = public_by(index, day)
        assert per_day(public_by(frame, day)).to_dict() == per_day(done).to_dict()
        whole = build_claims_map(latest_as_of(frame, day), a, gazetteer)
        narrow = build_claims_map(latest_as_of(done, day), b, gazetteer)
        assert _items(whole) == _items(narrow)
    span = in_range(index, "2021-09-03", "2021-09-05")
    assert sorted(span["claim_id"]) == sorted(in_range(frame, "2021-09-03", "2021-09-05")["claim_id"])
    a = build_claims_map(
        in_range(frame, "2021-09-03", "2021-09-05"),
        status_table(in_event_range(frame, "2021-09-03", "2021-09-05"), gazetteer),
        gazetteer,
    )
    b = build_claims_map(
        span,
        status_table(in_event_range(index, "2021-09-03", "2021-09-05"), gazetteer, details=frame),
        gazetteer,
    )
    assert _items(a) == _items(b)


def _items(fmap) -> list[dict]:
    """What a claims map draws, by its `DrawnItems` payload."""
    import json

    from geo.web.mapelements import DrawnItems

    # the claims' own, in the map's last layer (`claims_layers`); the basemap's names have another
    (drawn,) = [
        e
        for layer in fmap._children.values()
        for e in layer._children.values()
        if isinstance(e, DrawnItems) and "status" in e.groups
    ]
    return sorted(json.loads(drawn.items_json), key=json.dumps)


def test_the_article_reader_marks_every_claim_and_escapes_the_text() -> None:
    import pandas as pd

    from geo.web.reader import article_html

    text = 'Intro. <img src=x onerror="alert(1)"> took Bazarak {{ 7*7 }}.\n\nThey denied it.'
    start = text.index("<img")
    claims = pd.DataFrame(
        {
            "start": [start, start + 5, text.index("They")],
            "end": [text.index("Bazarak") + 7, text.index("{{"), len(text) - 1],
            "claim_id": ["x-1", "x-2", "x-3"],
            "type": ["captured", "present", "denies"],
            "place_name": ["Bazarak", "Bazarak", "Bazarak"],
        }
    )
    html = article_html(text, claims)
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "{{" not in html  # no template syntax survives
    assert html.count("<mark") == 2  # the two overlapping quotes share one mark
    assert [f"?claim={c}'" in html for c in ("x-1", "x-2", "x-3")] == [True, True, True]
    assert "</p><p>" in html


def test_the_documents_table_counts_claims_per_document(claim_set, frame) -> None:
    from geo.web.reader import documents_table

    table = documents_table(claim_set.sources, frame, claim_set.texts)
    assert len(table) == 5 and table["claims"].sum() == len(frame) == 92
    row = table.set_index("document").loc["000_e6d450eeac073c7f.txt"]
    assert row["outlet"] == "unknown" and row["published"] == "2021-09-04" and "Saturday" in row["evidence"]


def test_a_saved_map_carries_everything_it_needs_and_escapes_its_caption(frame, gazetteer) -> None:
    import re

    from geo.claims.tables import latest_as_of
    from geo.web.mapview import build_claims_map
    from geo.web.standalone import standalone_html

    day = "2021-09-06"
    fmap = build_claims_map(
        latest_as_of(frame, day),
        status_table(in_force(frame, day), gazetteer),
        gazetteer,
        inline=True,
        selected="bazarak",
    )
    page = standalone_html(fmap, ["Claims as of 2021-09-06", "outlets: <img src=x onerror=alert(1)>"])
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*stylesheet|fetch\(", page)  # nothing fetched: all inside
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert "selected-place place-bazarak" in page


def test_a_table_of_no_claims_has_the_columns_of_a_full_one(claim_set, frame) -> None:
    from geo.claims.tables import records_frame

    empty = records_frame([], claim_set.sources, claim_set.vocabulary, claim_set.gazetteer, texts=claim_set.texts)
    assert empty.empty and list(empty.columns) == list(frame.columns)


def test_script_json_cannot_end_its_script_and_reads_back() -> None:
    """The map's items go into a <script> as JSON: no text may close it or open an HTML comment
    there, whatever it holds, and the JSON must read back to what was given."""
    import json

    from geo.web.mapelements import script_json

    hostile = ["</script><script>window.__x=1</script>", "<!--<script>", "</SCRIPT >", "Andarāb — 3 · 'q' & \"dq\""]
    text = script_json({"popup": hostile, "n": [1, 2.5, None, True]})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"popup": hostile, "n": [1, 2.5, None, True]}
    assert "Andarāb — 3" in text  # UTF-8 as it is, not six bytes a character
    popup = "<div class='claims'><h4>Bazarak</h4><p><q>words</q></p></div>"
    assert len(script_json(popup)) < len(popup) + 12  # not twice its length, as `tojson` made it


def test_every_element_of_the_claims_map_renders_verbatim(frame, gazetteer) -> None:
    """Branca compiles each element's rendered script as a Jinja template again (a quarter of a
    new session's run, bench/sessions.py); every element of the page's map, its layers and the
    ones folium adds while rendering must take `VerbatimMacro`'s way instead."""
    from branca.element import Element, MacroElement

    from geo.claims.tables import latest_as_of
    from geo.web.mapview import claims_base_map, claims_layers, layer_control
    from geo.web.verbatim import VerbatimMacro

    day = "2021-09-06"
    fmap = claims_base_map(gazetteer, tiles=True)
    for group in claims_layers(
        latest_as_of(frame, day), status_table(in_force(frame, day), gazetteer), gazetteer, selected="bazarak"
    ):
        group.add_to(fmap)
    layer_control().add_to(fmap)
    fmap.get_root().render()

    def plain(element: Element) -> list[str]:
        here = (
            [type(element).__name__]
            if isinstance(element, MacroElement) and not isinstance(element, VerbatimMacro)
            else []
        )
        return here + [name for child in element._children.values() for name in plain(child)]

    assert plain(fmap) == []
