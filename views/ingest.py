"""Add-article page: upload or paste an article, review the claims found in it, store the accepted;
review what `python -m geo ingest` left waiting; withdraw an accepted claim.

Bad input is refused with the reason and the page keeps running; article text is escaped
wherever it becomes HTML. Wiring and layout only: the decisions are `geo.store.review`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from geo import GeoError
from geo.claims.sources import DocumentMeta
from geo.errors import IngestError
from geo.extraction.dating import infer_published
from geo.extraction.extract import EXTRACTOR_VERSION, extract
from geo.store.database import ON_MAP, document_id
from geo.store.documents import MAX_BYTES, SUFFIXES, read_document
from geo.store.review import Decision, dated, decide, document_name, new_source, outside_span
from geo.web.html import escape_markdown, highlight_spans
from views.data import bundled, store
from views.signin import editor


def span() -> tuple[dt.date, dt.date]:
    """The curated claims' dates: a publication date far outside them is asked about."""
    claims = bundled().claims
    return min(c.date.start for c in claims), max((c.made or c.date).end for c in claims)


def review_table(candidates: list[dict[str, Any]], key: str, fallback: dt.date | None) -> pd.DataFrame:
    """The editable table of candidates; returns the reviewer's rows."""
    vocab = bundled().vocabulary
    table = pd.DataFrame(
        {
            "decision": "accept",
            "place": [c["place_id"] for c in candidates],
            "type": [c["type"] for c in candidates],
            "faction": [c["faction"] for c in candidates],
            "date": [dt.date.fromisoformat(c["date"]) if c.get("date") else fallback for c in candidates],
            "claimant": [c["claimant"] for c in candidates],
            "quote": [c["quote"] for c in candidates],
            "confidence": [c["confidence"] for c in candidates],
        }
    )
    return st.data_editor(
        table,
        key=key,
        hide_index=True,
        disabled=["claimant", "quote", "confidence"],
        column_config={
            "decision": st.column_config.SelectboxColumn(options=["accept", "reject"], required=True),
            "place": st.column_config.SelectboxColumn(options=sorted(bundled().gazetteer.places), required=True),
            "type": st.column_config.SelectboxColumn(options=list(vocab.claim_types), required=True),
            "faction": st.column_config.SelectboxColumn(
                options=[*vocab.factions, *vocab.other_subjects], required=True
            ),
            "date": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )


def decisions(ids: list[str], edited: pd.DataFrame) -> list[Decision]:
    return [
        Decision(claim_id, row.decision == "accept", row.place, row.type, row.faction, _day(row.date))
        for claim_id, row in zip(ids, edited.itertuples(), strict=True)
    ]


def _day(value: object) -> dt.date | None:
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, dt.date) else None


def publication_input(label: str, known: dt.date | None, key: str) -> tuple[dt.date | None, bool]:
    """The publication date to save with, and whether it may be saved: a date is required, and one
    far outside the claims' dates needs the reviewer's word that it is right."""
    day = st.date_input(label, value=known, format="YYYY-MM-DD", key=key)
    if day is None:
        st.warning("Give the publication date: relative dates in the text are read against it.")
        return None, False
    first, last = span()
    if outside_span(day, first, last):
        sure = st.checkbox(
            f"{day} is far from the claims' dates ({first} to {last}); it is right",
            key=f"{key}-sure",
        )
        return day, sure
    return day, True


st.title("Add an article")
# Every change is recorded as the signed-in reviewer's, never a name typed in (views/signin.py).
who = editor()
if who is None:
    st.info("Read-only: adding articles, reviewing and withdrawing claims need a signed-in reviewer (sidebar).")
    st.stop()
tab_new, tab_waiting, tab_withdraw = st.tabs(["New article", "Waiting for review", "Withdraw a claim"])

with tab_new:
    st.caption(
        f"Upload {', '.join(SUFFIXES)} (up to {MAX_BYTES // 1_000_000} MB) or paste the text. The claims found "
        "in it are proposals: accept, correct or reject each; accepted claims appear on the map."
    )
    upload = st.file_uploader("Article file", type=[s.lstrip(".") for s in SUFFIXES])
    pasted = st.text_area("…or paste the article", height=160)
    left, right = st.columns(2)
    outlet = left.text_input("Outlet", placeholder="unknown")
    given = right.date_input("Published", value=None, format="YYYY-MM-DD", key="given")
    if upload is not None and pasted.strip():
        st.info("Both a file and pasted text: the file is read, the pasted text is not.")

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
            found = infer_published(text) if given is None else None
            anchor = given or (found.day if found else None)
            candidates = extract(text, anchor, gazetteer=bundled().gazetteer)
            st.session_state.draft = {
                "text": text,
                "name": name,
                "candidates": [c.to_dict() for c in candidates],
                "inferred": found,
            }

    draft = st.session_state.get("draft")
    if draft:
        text, candidates = draft["text"], draft["candidates"]
        spans = sorted({(c["mention_start"], c["mention_end"]) for c in candidates})
        st.markdown(f"<div class='article-preview'>{highlight_spans(text, spans)}</div>", unsafe_allow_html=True)
        if not candidates:
            st.info("No claims found in this article; it can still be stored for the record.")
        inferred = draft["inferred"]
        if given is None and inferred:
            st.info(f"Publication date read from the text: {inferred.day} ({escape_markdown(inferred.evidence)}).")
        day, ready = publication_input("Publication date to save", given or (inferred.day if inferred else None), "day")
        digest = document_id(text)
        ids = [f"x-{digest[:12]}-{i:03d}" for i in range(1, len(candidates) + 1)]
        edited = review_table(candidates, "review", day)
        if st.button("Save to the store", disabled=not ready):
            name = document_name(draft["name"], digest)
            # A date read from the text and kept is saved as read, with its evidence (`new_source`).
            kept = given is None and inferred is not None and inferred.day == day
            source = new_source(name, outlet=outlet or None, published=None if kept else day, by=who, read=inferred)
            try:
                gaz, vocab = bundled().gazetteer, bundled().vocabulary
                rows = decide(candidates, decisions(ids, edited), name, text, source, vocab, gaz)
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

with tab_waiting:
    waiting = store().pending()
    if not waiting:
        st.info("No article is waiting: everything ingested has been reviewed.")
    else:
        st.caption(
            f"{len(waiting)} article{'s' if len(waiting) != 1 else ''} with candidates no one has decided on, "
            "from this page or `python -m geo ingest`."
        )
        labels = {w["document"]: f"{w['document']} · {w['candidates']} candidates · {w['added_by']}" for w in waiting}
        chosen = st.selectbox("Article", list(labels), format_func=labels.get, key="waiting")
        text, source = store().document(chosen)
        pending = [c for c in store().claims(statuses=["extracted"], document=chosen)]
        candidates = [c["data"] for c in pending]
        st.markdown(
            f"<div class='article-preview'>"
            f"{highlight_spans(text, sorted({(c['mention_start'], c['mention_end']) for c in candidates}))}</div>",
            unsafe_allow_html=True,
        )
        known = source.published.start if source.published else None
        st.caption(f"Publication date: {escape_markdown(source.published_evidence)}")
        day, ready = publication_input("Publication date", known, f"day-{chosen}")
        edited = review_table(candidates, f"review-{chosen}", day)
        if st.button("Save the decisions", disabled=not ready, key=f"save-{chosen}"):
            assert day is not None  # ready implies a day
            changed: DocumentMeta | None = dated(source, day, who) if day != known else None
            try:
                ids = [c["id"] for c in pending]
                gaz, vocab = bundled().gazetteer, bundled().vocabulary
                rows = decide(candidates, decisions(ids, edited), chosen, text, changed or source, vocab, gaz)
                store().review([(i, status, data) for i, status, data in rows], by=who, source=changed)
            except GeoError as err:
                st.error(f"Not saved: {escape_markdown(str(err))}")
            else:
                accepted = sum(status != "rejected" for _, status, _ in rows)
                st.success(f"Saved: {accepted} claims on the map, {len(rows) - accepted} rejected.")

with tab_withdraw:
    on_map = [c for c in store().claims(statuses=[s for s in ON_MAP if s != "curated"])]
    if not on_map:
        st.info("No accepted claim to withdraw. Curated claims change in claims/seed_claims.yaml, under review.")
    else:
        labels = {
            c["id"]: f"{c['id']} · {c['data']['type']} at {c['data']['place_id']} · {c['document']}" for c in on_map
        }
        claim_id = st.selectbox("Claim", list(labels), format_func=labels.get, key="withdraw")
        st.text(next(c["data"]["quote"] for c in on_map if c["id"] == claim_id))
        why = st.text_input("Why it is withdrawn", key="withdraw-why")
        if st.button("Withdraw from the map", disabled=not why.strip()):
            try:
                store().set_status(claim_id, "rejected", by=who, note=f"withdrawn: {why.strip()}")
            except GeoError as err:
                st.error(f"Not withdrawn: {escape_markdown(str(err))}")
            else:
                st.success(f"Withdrawn: {escape_markdown(claim_id)}. Its history is kept.")
        history = pd.DataFrame(store().history(claim_id))
        st.dataframe(history, hide_index=True, width="stretch")
