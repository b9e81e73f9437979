"""Search (issue 28, point 7): the store's full-text index over quotes, places and articles, kept
in step by its triggers, safe with any words a reader types, and the Search page that lists the
results with links to the map and the article."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import Gazetteer, Resolver
from geo.claims.model import ClaimSet
from geo.errors import StoreError
from geo.store.database import Store
from geo.store.ingest import ingest_text
from geo.web.found import place_spellings
from tests.conftest import ROOT, run_geo

SEARCH_PAGE = str(ROOT / "views" / "search.py")


@pytest.fixture
def curated(tmp_path: Path, claim_set: ClaimSet) -> Store:
    store = Store(tmp_path / "claims.sqlite")
    store.load_curated(claim_set)
    return store


def claims_found(store: Store, words: str, resolver: Resolver | None = None) -> set[str]:
    names = place_spellings(resolver) if resolver else None
    return {h.claim for h in store.search(words, place_names=names) if h.kind == "claim" and h.claim}


def test_a_place_finds_its_claims_under_every_spelling(
    curated: Store, claim_set: ClaimSet, resolver: Resolver, gazetteer: Gazetteer
) -> None:
    shutul = gazetteer["shutul-district"]
    spellings = {shutul.name.lower(), *(v.name.lower() for v in shutul.variants)}
    at_shutul = {c.id for c in claim_set.claims if c.place_id == shutul.id}
    naming_it = {c.id for c in claim_set.claims if spellings & set(re.findall(r"\w+", c.quote.lower()))}
    says_shatel = {c.id for c in claim_set.claims if "Shatel" in c.quote}
    assert (
        says_shatel - at_shutul and at_shutul - says_shatel
    )  # quotes naming it elsewhere; claims there in other words
    assert claims_found(curated, "Shatel") == says_shatel  # the words alone
    for name in ("Shutul", "shatel"):  # the place, whatever spelling its claims' quotes use
        assert claims_found(curated, name, resolver) == at_shutul | naming_it
    assert claims_found(curated, "Bāzārak") == claims_found(curated, "bazarak")  # diacritics folded
    assert claims_found(curated, "bazar") >= claims_found(curated, "bazarak")  # the last word a prefix


def test_any_words_a_reader_types_are_words_not_syntax(curated: Store) -> None:
    for words in ['"', "AND", "NEAR(", "*", "-", "a:b", "'", "OR OR", "^x", "quote:x", "x" * 5000, "Kabul " * 500]:
        curated.search(words)  # no FTS5 syntax error, whatever the text
    assert curated.search(" ?! ") == []
    hits = curated.search("Kabul " * 500)  # a long paste: its first words only, each required
    assert hits and all("Kabul" in h.marked for h in hits)


def test_the_index_follows_every_write(tmp_path: Path, gazetteer: Gazetteer) -> None:
    """Candidates are not results; an accepted claim is, an edit's new quote replaces its old one,
    a rejected or withdrawn claim leaves the results."""
    store = Store(tmp_path / "claims.sqlite")
    text = "The Taliban captured Rokha district on Sunday, a spokesman said."
    result = ingest_text(store, text, "x.txt", gazetteer, published=dt.date(2021, 9, 5))
    assert result.claims >= 1
    [claim] = [c for c in store.claims() if c["data"]["place_id"] == "rokha-district"]
    assert claims_found(store, "Rokha") == set() and [h.kind for h in store.search("Rokha")] == ["article"]
    store.set_status(claim["id"], "accepted", by="reviewer")
    assert claims_found(store, "Rokha") == {claim["id"]}
    edited = claim["data"] | {"quote": "Taliban captured Rokha district", "end": claim["data"]["start"] + 31}
    store.set_status(claim["id"], "edited", by="reviewer", data=edited)
    assert claims_found(store, "captured Rokha") == {claim["id"]} and claims_found(store, "spokesman") == set()
    store.set_status(claim["id"], "rejected", by="reviewer")
    assert claims_found(store, "Rokha") == set()


def test_a_store_made_before_search_is_indexed_when_opened(curated: Store) -> None:
    with sqlite3.connect(curated.path) as conn:
        conn.executescript("DROP TABLE claim_words; DROP TABLE article_words; DELETE FROM meta WHERE key = 'search';")
    with pytest.raises(StoreError, match="no search index yet: open it once with write access"):
        Store(curated.path, read_only=True).search("Bazarak")
    assert Store(curated.path).search("Bazarak")


def test_the_search_page_lists_claims_and_articles_with_links(app_data: Path) -> None:
    at = AppTest.from_file(SEARCH_PAGE, default_timeout=120)
    at.query_params["q"] = "Shatel"
    at.run()
    assert not at.exception
    page = "".join(m.value for m in at.markdown)
    assert "<mark>Shatel</mark>" in page
    assert "href='/?claim=s000-01'" in page and "href='/sources?doc=000_" in page
    assert next(s.value for s in at.subheader).startswith(f"{page.count('on the map</a>')} claims on the map")
    at.text_input(key="q").set_value('"unmatched <b>Zebulon').run()  # the link follows; nothing found is said
    assert not at.exception and at.query_params["q"] == '"unmatched <b>Zebulon'
    assert [s.value for s in at.subheader] == ["0 claims on the map", "0 articles"]
    assert [c.value for c in at.caption] == ["No quote on the map holds these words.", "No article holds these words."]


def test_the_cli_searches_with_its_flags(tmp_path: Path) -> None:
    out = run_geo("search", "Shutul", "--limit", "2", "--db", str(tmp_path / "s.sqlite"))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["kind"] for r in rows].count("claim") == 2 and rows[-1]["kind"] == "article"
    for row in rows:  # each match at its offsets: the place under one of its spellings
        assert {row["text"][a:b] for a, b in row["matched"]} <= {"Shutul", "Shatel", "Shattal", "Shutal", "Shotul"}
    refused = run_geo("search", "x", "--limit", "0")
    assert refused.returncode == 2 and "0 is not a positive whole number" in refused.stderr
