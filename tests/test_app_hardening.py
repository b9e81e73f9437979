"""The app against what a visitor can send: bad values in a link, oversized uploads, and file names
or searches that look like Markdown. Headless through AppTest, with the project's own config."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from geo.store.documents import MAX_BYTES
from geo.web.html import claim_card, escape_markdown
from tests.conftest import ROOT, claims_page
from tests.test_app import GAZETTEER_PAGE, INGEST_PAGE, as_of_slider, filters, place_box
from views.filters import Choice, chosen_value

HOSTILE_NAME = "![x](http://example.com/a.png) **bold** $x$ :red[y]"


def unescaped(markdown: str) -> str:
    """The text a reader sees of Markdown whose punctuation is backslash-escaped (CommonMark)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def assert_literal(markdown: str, text: str) -> None:
    """`text` is in `markdown`, every Markdown character of it escaped."""
    assert escape_markdown(text) in markdown and unescaped(escape_markdown(text)) == text


@pytest.fixture(scope="module")
def default() -> AppTest:
    return claims_page()


def chosen(at: AppTest) -> dict[str, object]:
    return {
        "as_of": as_of_slider(at).value if at.radio(key="mode").value == "as_of" else None,
        "span": at.slider(key="span").value if at.radio(key="mode").value == "range" else None,
        **{key: filters(at)[key] for key in ("factions", "outlets", "types")},
        "place": place_box(at).value,
    }


@pytest.mark.parametrize(
    ("params", "key", "value"),
    [
        ({"date": "2099-01-01"}, "date", "2099-01-01"),
        ({"date": "2021-13-45"}, "date", "2021-13-45"),
        ({"date": "20210906"}, "date", "20210906"),  # ISO 8601, but not the YYYY-MM-DD the notes ask for
        ({"mode": "range", "start": "1900-01-01"}, "start", "1900-01-01"),
        ({"mode": "range", "end": "soon"}, "end", "soon"),
        ({"mode": "range", "start": "2021-09-07", "end": "2021-08-20"}, "start", "2021-09-07"),
        ({"mode": "sideways"}, "mode", "sideways"),
        ({"factions": "martians"}, "factions", "martians"),
        ({"outlets": "Nobody"}, "outlets", "Nobody"),
        ({"types": "liberated"}, "types", "liberated"),
        ({"zoom": "99"}, "zoom", "99"),
        ({"zoom": "inf"}, "zoom", "inf"),
        ({"center": "north"}, "center", "north"),
        ({"center": "95,69.6"}, "center", "95,69.6"),
        ({"hide": "martians"}, "hide", "martians"),
        ({"base": "mars"}, "base", "mars"),
        ({"claim": "s999-99"}, "claim", "s999-99"),
        ({"place": "atlantis"}, "place", "atlantis"),
        ({"place": HOSTILE_NAME}, "place", HOSTILE_NAME),
    ],
)
def test_a_bad_value_in_the_link_gets_a_note_and_the_default(
    default: AppTest, params: dict[str, str], key: str, value: str
) -> None:
    at = claims_page(**params)
    assert not at.exception
    (note,) = [w.value for w in at.warning]
    assert_literal(note, f"{key}={value!r}")
    expected = chosen(default)
    if params.get("mode") == "range":
        expected |= {"as_of": None, "span": default.session_state["span"]}
    assert chosen(at) == expected


def test_good_values_in_the_link_are_kept_beside_bad_ones() -> None:
    at = claims_page(factions="nrf,martians", date="2021-09-04", types="captured")
    assert not at.exception
    assert filters(at)["factions"] == ["nrf"] and filters(at)["types"] == ["captured"]
    assert as_of_slider(at).value == dt.date(2021, 9, 4)
    (note,) = [unescaped(w.value) for w in at.warning]
    assert note == "Ignored factions='nrf,martians' in the link: unknown 'martians'. Kept 'nrf'."


def test_the_config_hides_tracebacks_and_limits_uploads_to_2_mb() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_BYTES // 1_000_000 == 2
    # As Streamlit itself reads it: "none" is the level that shows no traceback (false means "stacktrace").
    shown = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"], capture_output=True, text=True, cwd=ROOT, timeout=60
    ).stdout.splitlines()
    assert "maxUploadSize = 2" in shown and 'showErrorDetails = "none"' in shown


def test_a_file_over_2_mb_is_refused_with_a_message() -> None:
    at = AppTest.from_file(INGEST_PAGE, default_timeout=120).run()
    assert "up to 2 MB" in at.caption[0].value
    at.file_uploader[0].upload("big.txt", b"word " * (MAX_BYTES // 5 + 1), "text/plain").run()
    at.button[0].click().run()
    assert not at.exception
    assert unescaped(at.error[0].value).startswith(
        "Not taken in: big.txt is 2,000,005 bytes, over the 2,000,000-byte limit for one article"
    )


def test_a_file_name_that_looks_like_markdown_is_shown_as_text() -> None:
    at = AppTest.from_file(INGEST_PAGE, default_timeout=120).run()
    at.file_uploader[0].upload(HOSTILE_NAME + ".txt", b"\x00\x01 binary", "text/plain").run()
    at.button[0].click().run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert_literal(error, HOSTILE_NAME + ".txt is a binary file")
    assert "![x](" not in error and "**bold**" not in error


def test_a_search_that_looks_like_markdown_is_shown_as_text() -> None:
    at = AppTest.from_file(GAZETTEER_PAGE, default_timeout=60).run()
    at.text_input[0].input(HOSTILE_NAME).run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    assert_literal(warning, HOSTILE_NAME)
    assert "![x](" not in warning and "**bold**" not in warning


def test_a_claim_card_stays_one_html_block(frame) -> None:
    """st.markdown reads what follows a blank line inside HTML as Markdown again."""
    row = next(frame.head(1).assign(article="AFP\n\n" + HOSTILE_NAME).itertuples())
    card = claim_card(row, "Bazarak fell.\n\nThe end.")
    assert "\n" not in card and "\r" not in card and "AFP&#10;&#10;![x]" in card


def test_a_link_that_selects_no_outlets_keeps_that_choice() -> None:
    at = claims_page(outlets="", types="")
    assert not at.exception and not at.warning
    assert filters(at)["outlets"] == [] and filters(at)["types"] == []
    (why,) = [i.value for i in at.info if not i.value.startswith("Click a marker")]  # an empty map that says why
    assert why == "No claims are listed while no box is ticked in Outlets and Claim types (in the sidebar)."


def test_the_filters_take_only_what_each_allows_from_the_browser() -> None:
    """The filters' values come from the page's script (views/filters.py): whatever a visitor
    makes it send, boxes keep known values, once each, in the filter's order; a radio group one
    known value; a switch a boolean; anything else leaves the filter as it was (None)."""
    boxes = Choice("factions", "Factions", "boxes", [("taliban", "Taliban"), ("nrf", "NRF"), ("other", "Other")])
    assert chosen_value(boxes, ["other", "martians", "taliban", "taliban", 3]) == ["taliban", "other"]
    assert chosen_value(boxes, []) == []
    assert all(chosen_value(boxes, bad) is None for bad in ("taliban", None, {"a": 1}, 1))
    radio = Choice("by", "Match by", "radio", [("layer", "side"), ("claimant", "claimant")])
    assert chosen_value(radio, "claimant") == "claimant"
    assert all(chosen_value(radio, bad) is None for bad in ("<script>", ["layer"], None))
    switch = Choice("firm", "Leave out", "switch")
    assert chosen_value(switch, True) is True and chosen_value(switch, False) is False
    assert all(chosen_value(switch, bad) is None for bad in ("1", 1, None))
