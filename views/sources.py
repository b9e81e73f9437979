"""Sources page: every article as a reader tells it (outlet where known, else its first line, with
its date), the outlets its text cites, its publication date and the words that date rests on; the
outlets cited, with the words each citation was read from; an article read with each claim
marked (the one a link names picked out), and each claim's permalink to the map.

Wiring and layout only: the table and the marked text are `geo.web.reader`'s.
"""

from __future__ import annotations

import streamlit as st

from geo import GeoError
from geo.claims.tables import stored_frame
from geo.web.html import document_href, escape_markdown, escape_text, quote_in_paragraph
from geo.web.reader import article_html, citations_table, documents_table, stored_sources
from views.data import bundled, store

st.title("Sources")
try:
    sources = stored_sources(store())
    claims, texts = stored_frame(store(), bundled().gazetteer, bundled().vocabulary)
except GeoError as err:
    st.error(f"The sources could not be loaded: {escape_markdown(str(err))}")
    st.stop()

table = documents_table(sources, claims, texts)
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
        "article": st.column_config.TextColumn("article", width="large"),
        "cites": st.column_config.TextColumn("outlets cited"),
        "evidence": st.column_config.TextColumn("date evidence", width="large"),
    },
)
st.subheader("Outlets and agencies cited")
st.caption(
    'Read from the texts: an outlet\'s name beside a cue ("according to", "told", "/ AFP") or in a '
    "dateline, with the words and their offsets in the article. A claim cites what its paragraph cites."
)
st.dataframe(
    citations_table(sources, claims, texts),
    hide_index=True,
    width="stretch",
    column_config={"evidence": st.column_config.TextColumn("the words cited", width="large")},
)

names = list(table["document"])
asked = st.query_params.get("doc")
if "doc" not in st.session_state:
    st.session_state.doc = asked if asked in names else None
if asked is not None and asked not in names:
    st.warning(f"Ignored doc={escape_markdown(repr(asked))} in the link: no such document.")
labels = dict(zip(table["document"], table["article"], strict=True))
st.selectbox(
    "Read an article",
    [None, *names],
    key="doc",
    format_func=lambda d: "(choose)" if d is None else f"{d} ({labels[d]})",
)
doc = st.session_state.doc
if doc is None:
    st.query_params.pop("doc", None)
    st.query_params.pop("claim", None)
    st.stop()
st.query_params["doc"] = doc
source = sources[doc]
row = table.set_index("document").loc[doc]
via = f" · via {escape_markdown(source.agency)}" if source.agency else ""
st.markdown(
    f"**{escape_markdown(row['article'])}**{via} · published {escape_markdown(row['published'])} "
    f"({source.published_basis}) · {escape_markdown(source.language)} · {row['claims']} claims"
)
st.caption(f"Date evidence: {escape_markdown(source.published_evidence)}")
if source.outside_knowledge:
    st.caption(f"Outside knowledge: {escape_markdown(source.outside_knowledge)}")
if source.translation_notes:
    st.caption(f"Translation: {escape_markdown(source.translation_notes)}")
if source.outlet_known:
    st.caption(f"Outlet: {escape_markdown(source.outlet_evidence)}")
else:
    st.caption(f"Outlet unknown: {escape_markdown(source.outlet_evidence)}")
if row["cites"]:
    st.caption(f"Cites: {escape_markdown(row['cites'])}")
here = claims[claims["document"] == doc]
# A claim's "in its article" link names it: its passage first, and its mark picked out below.
named = st.query_params.get("claim") if doc == asked else None  # not once the reader picks another
if named is None:
    st.query_params.pop("claim", None)
picked = here[here["claim_id"] == named]
if named is not None and picked.empty:
    st.warning(f"Ignored claim={escape_markdown(repr(named))} in the link: no such claim in this article.")
    st.query_params.pop("claim", None)
    named = None
if named is not None:
    start, end = int(picked["start"].iloc[0]), int(picked["end"].iloc[0])
    st.markdown(
        f"<div class='chosen-claim'><b>Claim {escape_text(named)}</b>, in its paragraph: "
        f"{quote_in_paragraph(texts[doc], start, end)}</div>",
        unsafe_allow_html=True,
    )
st.markdown(
    "<style>.article-reader{max-width:46em;line-height:1.6}.article-reader mark{background:#fde68a}"
    ".article-reader mark.chosen,.chosen-claim mark{background:#f59e0b;outline:2px solid #b45309}"
    ".chosen-claim{max-width:46em;border-left:4px solid #b45309;padding:.3em .6em;margin:.5em 0}"
    ".article-reader sup a{font-size:.75em;margin-left:.15em}</style>" + article_html(texts[doc], here, named),
    unsafe_allow_html=True,
)
st.caption("Each marked passage holds a claim; its id links to the map at the claim's place and date.")
