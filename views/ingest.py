"""Add-article page: upload or paste an article, review the claims found in it, store the accepted.

Bad input is refused with the reason and the page keeps running; article text is escaped
wherever it becomes HTML.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo import GeoError
from geo.claims import load_claims, load_vocabulary
from geo.documents import MAX_BYTES, SUFFIXES, read_document
from geo.errors import IngestError
from geo.extract import EXTRACTOR_VERSION, extract
from geo.html import escape_markdown, highlight_spans
from geo.review import claim_from_candidate, document_name, new_source
from geo.store import Store, document_id


@st.cache_resource
def store() -> Store:
    db = Store()
    db.load_curated(load_claims())
    return db


@st.cache_resource
def gazetteer():  # noqa: ANN201 - the bundled Gazetteer, loaded once
    return load_claims().gazetteer


st.title("Add an article")
st.caption(
    f"Upload {', '.join(SUFFIXES)} (up to {MAX_BYTES // 1_000_000} MB) or paste the text. The claims found "
    "in it are proposals: accept, correct or reject each; accepted claims appear on the map."
)
upload = st.file_uploader("Article file", type=[s.lstrip(".") for s in SUFFIXES])
pasted = st.text_area("…or paste the article", height=160)
left, right = st.columns(2)
outlet = left.text_input("Outlet", placeholder="unknown")
published = right.date_input("Published", value=None, format="YYYY-MM-DD")
who = st.text_input("Reviewer", value="analyst")

if st.button("Find places and claims", type="primary"):
    try:
        if upload is not None:
            text, name = read_document(upload.getvalue(), upload.name), upload.name
        else:
            text, name = read_document(pasted.encode("utf-8"), "pasted text"), "pasted.txt"
    except IngestError as err:
        st.error(f"Not taken in: {escape_markdown(str(err))}")
        st.session_state.pop("draft", None)
    else:
        candidates = extract(text, published, gazetteer=gazetteer())
        st.session_state.draft = {"text": text, "name": name, "candidates": [c.to_dict() for c in candidates]}

draft = st.session_state.get("draft")
if draft:
    text, candidates = draft["text"], draft["candidates"]
    spans = sorted({(c["mention_start"], c["mention_end"]) for c in candidates})
    st.markdown(f"<div class='article-preview'>{highlight_spans(text, spans)}</div>", unsafe_allow_html=True)
    if not candidates:
        st.info("No control claims found in this article; it can still be stored for the record.")
    vocab = load_vocabulary()
    table = pd.DataFrame(
        {
            "decision": "accept",
            "place": [c["place_id"] for c in candidates],
            "type": [c["type"] for c in candidates],
            "faction": [c["faction"] for c in candidates],
            "date": [dt.date.fromisoformat(c["date"]) if c["date"] else published for c in candidates],
            "claimant": [c["claimant"] for c in candidates],
            "quote": [c["quote"] for c in candidates],
            "confidence": [c["confidence"] for c in candidates],
        }
    )
    edited = st.data_editor(
        table,
        key="review",
        hide_index=True,
        disabled=["claimant", "quote", "confidence"],
        column_config={
            "decision": st.column_config.SelectboxColumn(options=["accept", "reject"], required=True),
            "place": st.column_config.SelectboxColumn(options=sorted(gazetteer().places), required=True),
            "type": st.column_config.SelectboxColumn(options=list(vocab.claim_types), required=True),
            "faction": st.column_config.SelectboxColumn(
                options=[*vocab.factions, *vocab.other_subjects], required=True
            ),
            "date": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
    if st.button("Save to the store"):
        digest = document_id(text)
        name = document_name(draft["name"], digest)
        source = new_source(name, outlet=outlet or None, published=published, by=who)
        rows = []
        try:
            for i, (candidate, row) in enumerate(zip(candidates, edited.itertuples(), strict=True), 1):
                claim_id = f"x-{digest[:12]}-{i:03d}"
                if row.decision == "reject":
                    rows.append((claim_id, "rejected", candidate))
                    continue
                changed = (row.place, row.type, row.faction) != (
                    candidate["place_id"],
                    candidate["type"],
                    candidate["faction"],
                )
                day = row.date if isinstance(row.date, dt.date) else None
                changed |= day is not None and day.isoformat() != candidate["date"]
                claim = claim_from_candidate(
                    candidate, claim_id, name, text, source, vocab, gazetteer(),
                    place_id=row.place, type=row.type, faction=row.faction, date=day,
                )  # fmt: skip
                rows.append((claim_id, "edited" if changed else "accepted", claim.model_dump(mode="json")))
            result = store().add_document(text, source, rows, by=who, extractor_version=EXTRACTOR_VERSION)
        except GeoError as err:
            st.error(f"Not saved: {escape_markdown(str(err))}")
        else:
            if result.added:
                accepted = sum(status != "rejected" for _, status, _ in rows)
                st.success(
                    f"Saved {escape_markdown(result.name)}: {accepted} claims on the map, "
                    f"{len(rows) - accepted} rejected."
                )
                st.session_state.pop("draft", None)
            else:
                st.warning(
                    f"This article is already in the store as {escape_markdown(result.name)}; nothing was added."
                )
