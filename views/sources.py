"""Sources page: every document with its outlet, publication date and the words that date rests
on; an article read with each claim marked, and each claim's permalink to the map.

Wiring and layout only: the table and the marked text are `geo.web.reader`'s.
"""

from __future__ import annotations

import streamlit as st

from geo import GeoError
from geo.claims.tables import stored_frame
from geo.web.html import escape_markdown
from geo.web.reader import article_html, document_href, documents_table, stored_sources
from views.data import bundled, store

st.title("Sources")
try:
    sources = stored_sources(store())
    claims, texts = stored_frame(store(), bundled().gazetteer, bundled().vocabulary)
except GeoError as err:
    st.error(f"The sources could not be loaded: {escape_markdown(str(err))}")
    st.stop()

table = documents_table(sources, claims)
seeds = sum(name in bundled().sources for name in table["document"])
st.caption(
    f"{len(table)} documents: {seeds} seed articles and {len(table) - seeds} added. A publication date is "
    "stated where the text gives it and inferred otherwise; its evidence gives the words it rests on."
)
st.dataframe(
    table.assign(read=table["document"].map(document_href)),
    hide_index=True,
    width="stretch",
    column_config={
        "read": st.column_config.LinkColumn("read", display_text="read"),
        "evidence": st.column_config.TextColumn("date evidence", width="large"),
    },
)

names = list(table["document"])
asked = st.query_params.get("doc")
if "doc" not in st.session_state:
    st.session_state.doc = asked if asked in names else None
if asked is not None and asked not in names:
    st.warning(f"Ignored doc={escape_markdown(repr(asked))} in the link: no such document.")
labels = dict(zip(table["document"], table["outlet"] + ", " + table["published"], strict=True))
st.selectbox(
    "Read an article",
    [None, *names],
    key="doc",
    format_func=lambda d: "(choose)" if d is None else f"{d} ({labels[d]})",
)
doc = st.session_state.doc
if doc is None:
    st.query_params.pop("doc", None)
    st.stop()
st.query_params["doc"] = doc
source = sources[doc]
row = table.set_index("document").loc[doc]
via = f" · via {escape_markdown(source.agency)}" if source.agency else ""
st.markdown(
    f"**{escape_markdown(source.outlet)}**{via} · published {escape_markdown(row['published'])} "
    f"({source.published_basis}) · {escape_markdown(source.language)} · {row['claims']} claims"
)
st.caption(f"Date evidence: {escape_markdown(source.published_evidence)}")
if source.outside_knowledge:
    st.caption(f"Outside knowledge: {escape_markdown(source.outside_knowledge)}")
if source.translation_notes:
    st.caption(f"Translation: {escape_markdown(source.translation_notes)}")
here = claims[claims["document"] == doc]
st.markdown(
    "<style>.article-reader{max-width:46em;line-height:1.6}.article-reader mark{background:#fde68a}"
    ".article-reader sup a{font-size:.75em;margin-left:.15em}</style>" + article_html(texts[doc], here),
    unsafe_allow_html=True,
)
st.caption("Each marked passage holds a claim; its id links to the map at the claim's place and date.")
