"""Where a claim was said: its article's key, and the outlets its text cites (issue 28, point 1)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.claims.citations import article_key, article_keys, claim_cites, load_outlets
from geo.claims.model import load_claims
from geo.claims.sources import DocumentMeta
from geo.claims.tables import NO_CITES, claims_frame, filter_claims, index_frame
from geo.errors import ClaimError
from geo.web.html import claim_card
from geo.web.reader import article_html, citations_table, documents_table
from geo.web.viewlayers import span

OUTLETS = load_outlets()


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("Fighting goes on, according to TOLO news.", [("TOLOnews", "according to TOLO news")]),
        ("A source in the valley told TASS over the phone.", [("TASS", "told TASS")]),
        ("They patrol a hilltop. - Valley (Photo by A. Person / AFP)", [("AFP", "/ AFP")]),
        ("Al-Jazeera correspondent in the capital said so.", [("Al Jazeera", "Al-Jazeera correspondent")]),
        (
            "The attack was repelled, reported by the Voice of America.",
            [("Voice of America", "reported by the Voice of America")],
        ),
        ("KABUL, Sept 5 (Wire) - Fighting went on.", [("Wire", "KABUL, Sept 5 (Wire) - ")]),
        ("TASS is a word in this sentence and cites nothing.", []),
        ("He said nothing. TASS was not mentioned as a source.", []),  # the cue is in another sentence
        ("The TASSEL fell; MetaAFP rose.", []),  # names are whole words
    ],
)
def test_cited_outlets_are_read_with_their_words(text: str, cited: list[tuple[str, str]]) -> None:
    assert [(c.outlet, c.evidence(text)) for c in OUTLETS.cited(text)] == cited


def test_a_citation_keeps_its_offsets_and_a_claim_cites_its_paragraph_and_the_dateline() -> None:
    text = "CAIRO, August 30. /TASS/. The town fell.\nA commander told Reuters the pass held.\nQuiet here."
    citations = OUTLETS.cited(text)
    assert [(c.outlet, text[c.start : c.end], c.dateline) for c in citations] == [
        ("TASS", "TASS", True),
        ("Reuters", "Reuters", False),
    ]
    pass_held = text.index("the pass held")
    assert {c.outlet for c in claim_cites(text, citations, pass_held, pass_held + 13)} == {"TASS", "Reuters"}
    quiet = text.index("Quiet")
    assert {c.outlet for c in claim_cites(text, citations, quiet, quiet + 5)} == {"TASS"}


def test_a_two_megabyte_line_is_read_and_its_citation_found() -> None:
    """No line break, no full stop, two million characters: read once through, the cue at its end found."""
    text = "word " * 400_000 + "according to TOLO news"
    (citation,) = OUTLETS.cited(text)
    assert citation.outlet == "TOLOnews" and citation.start == len(text) - len("TOLO news")
    many = "told TASS, " * 200_000  # a name at every step
    assert len(OUTLETS.cited(many)) == 200_000


def test_the_outlet_list_is_data_and_a_name_listed_twice_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "outlets.yaml"
    bad.write_text("outlets:\n- {name: A, names: [X]}\n- {name: B, names: [X]}\nbefore: [told]\nafter: [said]\n")
    with pytest.raises(ClaimError, match=r"outlets.yaml: the name 'X' is listed for both 'A' and 'B'; keep one"):
        load_outlets(bad)
    bad.write_text("outlets: []\nbefore: [told]\nafter: [said]\n")
    with pytest.raises(ClaimError, match=r"outlets.yaml: bad outlet list: outlets"):
        load_outlets(bad)


def _source(document: str, outlet: str = "unknown") -> DocumentMeta:
    return DocumentMeta(
        document=document,
        outlet=outlet,
        outlet_evidence="Not named.",
        language="English",
        published={"start": "2021-09-04", "end": "2021-09-04"},
        published_basis="inferred",
        published_evidence="test",
    )


def test_an_article_is_keyed_by_its_outlet_else_its_first_line_with_its_date() -> None:
    assert article_key(_source("a.txt", "AFP"), "Headline\nBody") == "AFP, 2021-09-04"
    assert article_key(_source("a.txt"), "\n\n Headline  here\nBody") == "“Headline here”, 2021-09-04 (outlet unknown)"
    assert article_key(_source("a.txt"), "") == "a.txt, 2021-09-04 (outlet unknown)"
    long = article_key(_source("a.txt"), "x" * 2_000_000)
    assert len(long) < 120 and long.startswith("“xxx") and "…" in long
    keys = article_keys({"a.txt": _source("a.txt", "AFP"), "b.txt": _source("b.txt", "AFP")}, {})
    assert keys == {"a.txt": "AFP, 2021-09-04 [a.txt]", "b.txt": "AFP, 2021-09-04 [b.txt]"}


HOSTILE_TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)> {{ 7*7 }}"


def test_html_in_a_title_is_escaped_wherever_it_becomes_html() -> None:
    claim_set = load_claims()
    frame = claims_frame(claim_set)
    texts = {
        **claim_set.texts,
        "001_b2ea9295ad45eb18.txt": HOSTILE_TITLE + "\n" + claim_set.texts["001_b2ea9295ad45eb18.txt"],
    }
    keys = article_keys(claim_set.sources, texts)
    assert keys["001_b2ea9295ad45eb18.txt"].startswith("“<script>")  # the key is text, as written
    row = next(
        frame[frame["document"] == "001_b2ea9295ad45eb18.txt"]
        .assign(article=keys["001_b2ea9295ad45eb18.txt"])
        .itertuples()
    )
    card = claim_card(row, claim_set.texts[row.document])
    assert "<script" not in card and "<img" not in card and "{{" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert "/sources?doc=001_b2ea9295ad45eb18.txt&amp;claim=s001-" in card  # escaped in the attribute
    page = article_html(texts["001_b2ea9295ad45eb18.txt"], frame[frame["document"] == "001_b2ea9295ad45eb18.txt"])
    assert "<script" not in page and "&lt;script&gt;" in page
    table = documents_table(claim_set.sources, frame, texts)
    assert table.set_index("document").at["001_b2ea9295ad45eb18.txt", "article"] == keys["001_b2ea9295ad45eb18.txt"]


def test_every_claim_is_keyed_by_its_article_and_the_outlets_it_cites() -> None:
    """No claim's article is "unknown", and the seeds' citations are read from their texts."""
    claim_set = load_claims()
    frame = claims_frame(claim_set)
    assert not frame["article"].str.fullmatch("unknown").any() and frame["article"].nunique() == 5
    by_id = frame.set_index("claim_id")
    assert by_id.at["s004-01", "article"] == "TASS, 2021-08-30" and by_id.at["s004-01", "cites"] == "TASS"
    assert (
        by_id.loc[frame.loc[frame["document"] == "003_fe92bc33c68e5510.txt", "claim_id"], "cites"]
        .isin(["", "TOLOnews"])
        .all()
    )
    assert (frame["cites"] == "TOLOnews").sum() >= 5
    cited = citations_table(claim_set.sources, frame, claim_set.texts)
    assert {"TOLOnews", "AFP", "TASS", "Al Jazeera", "Voice of America"} <= set(cited["cited"])
    for evidence, document in zip(cited["evidence"], cited["document"], strict=True):
        for words in evidence.split("; "):  # every citation's words are the text's, at its offsets
            quoted, span_ = words.rsplit(" (", 1)
            start, end = (int(x) for x in span_.rstrip(")").split("–"))
            assert claim_set.texts[document][start:end] == quoted.strip("“”")


def test_the_filters_offer_both_keys_and_each_narrows_the_claims() -> None:
    index = index_frame(claims_frame(load_claims()))
    offer = span(index)
    articles = dict(offer["articles"])
    assert articles["004_9664b19b629e403e.txt"] == "TASS, 2021-08-30"
    assert articles["001_b2ea9295ad45eb18.txt"].startswith("“Taliban take control of Panjshir”")
    assert offer["cites"][-1] == NO_CITES and {"TOLOnews", "AFP", "TASS"} <= set(offer["cites"])
    one = filter_claims(index, documents=["003_fe92bc33c68e5510.txt"])
    assert set(one["document"]) == {"003_fe92bc33c68e5510.txt"} and 0 < len(one) < len(index)
    tolo = filter_claims(index, cites=["TOLOnews"])
    assert len(tolo) and tolo["cites"].astype(str).str.contains("TOLOnews").all()
    none = filter_claims(index, cites=[NO_CITES])
    assert len(none) and (none["cites"] == "").all()
    assert len(filter_claims(index, cites=offer["cites"])) == len(index)
    assert isinstance(index["cites"].dtype, pd.CategoricalDtype)  # filtered per distinct value, not per claim
