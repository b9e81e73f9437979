"""Search page: the reader's words in every claim's quote and place, and in every article.

Wiring and layout only: the search is the store's (`geo.store.search`), the results' HTML
`geo.web.found`'s. The words live in the link (`?q=`), so a search can be shared.
"""

from __future__ import annotations

import streamlit as st

from geo import GeoError
from geo.web.found import article_hits_html, claim_hits_html, place_spellings
from geo.web.html import CARD_CSS, escape_markdown
from geo.web.reader import stored_sources
from views.data import claims_at, resolver, store

LIMIT = 50
_CSS = (
    "<style>.found{padding-left:1.4em;max-width:60em}.found li{margin:.2em 0 .8em}.found mark{background:#fde68a}"
    ".found .meta{font-size:.82em;color:#555}.found q{font-style:italic}</style>"
)

st.title("Search")
if "q" not in st.session_state:
    st.session_state.q = st.query_params.get("q", "")
st.text_input(
    "Words in the quotes and the articles",
    key="q",
    placeholder="a place, a word of a quote, a speaker…",
    help="Every word must be found; the last may be the start of one. A place's name also finds the "
    "claims made at it, whatever spelling their quote uses.",
)
words = st.session_state.q.strip()
if not words:
    st.query_params.pop("q", None)
    st.caption("Search every quote on the map and every article's text; each result links to the map and the article.")
    st.stop()
st.query_params["q"] = words
try:
    db = store()
    hits = db.search(words, limit=LIMIT, place_names=place_spellings(resolver()))
    table = claims_at(db.revision())[0]
    # the rows found, by id: a copy of the whole table per search was 100,000 rows for fifty
    found = table[table["claim_id"].isin([h.claim for h in hits if h.claim])].set_index("claim_id", drop=False)
    sources = stored_sources(db)
except GeoError as err:
    st.error(f"The search could not be run: {escape_markdown(str(err))}")
    st.stop()

st.markdown(CARD_CSS + _CSS, unsafe_allow_html=True)
claims = [h for h in hits if h.kind == "claim"]
articles = [h for h in hits if h.kind == "article"]
more = f" (the first {LIMIT})" if LIMIT in (len(claims), len(articles)) else ""
st.subheader(f"{len(claims)} claim{'s' if len(claims) != 1 else ''} on the map{more}")
if claims:
    st.markdown(claim_hits_html(claims, found), unsafe_allow_html=True)
else:
    st.caption("No quote on the map holds these words.")
st.subheader(f"{len(articles)} article{'s' if len(articles) != 1 else ''}")
if articles:
    st.markdown(article_hits_html(articles, sources), unsafe_allow_html=True)
else:
    st.caption("No article holds these words.")
