"""Add-article page: upload or paste an article, confirm its source, decide on each claim found in
it and save the decided; undo a save; review what `python -m geo ingest` left waiting; withdraw an
accepted claim.

Nothing reaches the map unless a reviewer accepts it (views/review.py). An article already in the
store shows what was decided on it, so a rejected candidate stays rejected. Bad input is refused
with the reason and the page keeps running; article text is escaped wherever it becomes HTML.
Wiring and layout only: the decisions are `geo.store.review`'s, the writes `geo.store.database`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pandas as pd
import streamlit as st

from geo import GeoError
from geo.claims.sources import DocumentMeta
from geo.errors import IngestError
from geo.extraction.extract import EXTRACTOR_VERSION, extract
from geo.store.database import ON_MAP, Reviewed, document_id
from geo.store.documents import MAX_BYTES, SUFFIXES, read_document
from geo.store.review import (
    Decision,
    Masthead,
    Proposal,
    dated,
    decide,
    document_name,
    new_source,
    outside_span,
    place_label,
    proposals,
    read_masthead,
)
from geo.web.html import escape_markdown, highlight_spans
from views.data import bundled, store
from views.review import accept_confident_button, cards, forget_seen
from views.signin import editor


def span() -> tuple[dt.date, dt.date]:
    """The curated claims' dates: a publication date far outside them is asked about."""
    claims = bundled().claims
    return min(c.date.start for c in claims), max((c.made or c.date).end for c in claims)


def publication_input(label: str, known: dt.date | None, key: str) -> tuple[dt.date | None, bool]:
    """The publication date to save with, and whether it may be saved: a date is required, and one
    far outside the claims' dates needs the reviewer's word that it is right."""
    st.session_state.setdefault(key, known)
    day = st.date_input(label, format="YYYY-MM-DD", key=key)
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


@st.cache_data(max_entries=16, show_spinner="Finding places and claims…")
def candidates_of(text: str, day: dt.date | None) -> list[dict[str, Any]]:
    """The extractor's candidates, with relative dates ("on Sunday") read against `day`: read again
    when the reviewer corrects the publication date, from the cache when they change anything else."""
    return [c.to_dict() for c in extract(text, day, gazetteer=bundled().gazetteer)]


def masthead_note(seen: Masthead) -> str:
    """What the text said of its source, for the reviewer to confirm."""
    if seen.dateline is None:
        read = "No dateline: give the outlet and the date if you know them."
    else:
        read = f"Dateline “{escape_markdown(seen.dateline)}”"
        read += f": agency {escape_markdown(seen.agency)}" if seen.agency else ", no agency named"
        if seen.published is None and seen.date_words:
            read += f"; it gives the date as {escape_markdown(seen.date_words)} with no year: give the date."
        else:
            read += "."
    if seen.published is not None:
        read += f" Publication date read from the text: {escape_markdown(seen.published.evidence)}."
    return read + " Correct what is wrong: these fields are saved as they stand."


_CHOSEN = {"accepted": "accept", "edited": "accept", "rejected": "reject", "extracted": "undecided"}


def saved_message(name: str, rows: list[Reviewed]) -> str:
    counts = Counter(_CHOSEN[r.status] for r in rows)
    return (
        f"Saved {escape_markdown(name)}: {counts['accept']} claims on the map, {counts['reject']} rejected, "
        f"{counts['undecided']} waiting for review."
    )


def save_caption(choices: list[Decision]) -> None:
    counts = Counter(d.choice for d in choices)
    st.caption(
        f"Saving stores {counts['accept']} accepted (on the map) and {counts['reject']} rejected; "
        f"{counts['undecided']} undecided wait in “Waiting for review”."
    )


def source_fields(text: str, seen: Masthead, known: DocumentMeta | None) -> tuple[str, str, dt.date | None, bool]:
    """Outlet, agency and publication date, filled in from the stored record or what the text
    says, for the reviewer to confirm: the keys hold the document's hash, so each article is
    filled in afresh."""
    key = document_id(text)[:12]
    outlet = known.outlet if known is not None and known.outlet_known else seen.agency
    st.session_state.setdefault(f"outlet-{key}", outlet or "")
    st.session_state.setdefault(f"agency-{key}", (known.agency if known is not None else seen.agency) or "")
    date = known.published.start if known is not None and known.published else None
    left, middle, right = st.columns(3)
    left.text_input("Outlet", key=f"outlet-{key}", placeholder="unknown")
    middle.text_input("Agency", key=f"agency-{key}", placeholder="none named")
    with right:
        day, ready = publication_input(
            "Published", date or (seen.published.day if seen.published else None), f"day-{key}"
        )
    st.caption(masthead_note(seen))
    return st.session_state[f"outlet-{key}"].strip(), st.session_state[f"agency-{key}"].strip(), day, ready


def review_new(draft: dict[str, str], who: str) -> None:
    """The review of an article found on this page: its source, then a card per candidate."""
    text = draft["text"]
    digest = document_id(text)
    gaz, vocab = bundled().gazetteer, bundled().vocabulary
    known = store().stored(text)
    if known is not None:
        st.info(
            f"This article is in the store as {escape_markdown(known[0])}: each candidate shows what was "
            "decided on it. Saving records only what you change."
        )
    seen = read_masthead(text)
    outlet, agency, day, ready = source_fields(text, seen, known[1] if known else None)
    found, unmatched = proposals(digest, text, candidates_of(text, day), known[2] if known else [])
    spans = sorted({(p.candidate["mention_start"], p.candidate["mention_end"]) for p in found})
    st.markdown(f"<div class='article-preview'>{highlight_spans(text, spans)}</div>", unsafe_allow_html=True)
    if unmatched:
        st.caption(
            f"{unmatched} claims stored from this article before are not among these candidates; they are unchanged."
        )
    if not found:
        st.info("No claims found in this article; it can still be stored for the record.")
    st.subheader(f"{len(found)} candidate{'s' if len(found) != 1 else ''}")
    accept_confident_button(found, f"new-{digest[:12]}")
    choices = cards(found, text, f"new-{digest[:12]}", day, gaz, vocab)
    save_caption(choices)
    if st.button("Save to the store", disabled=not ready):
        name = known[0] if known else document_name(draft["name"], digest)
        source = confirmed_source(name, outlet, agency, day, seen, known[1] if known else None, who)
        try:
            rows = decide([p.candidate for p in found], choices, name, text, source, vocab, gaz)
            result = store().save_review(text, source, rows, by=who, extractor_version=EXTRACTOR_VERSION)
        except GeoError as err:
            st.error(f"Not saved: {escape_markdown(str(err))}")
            return
        if not result.added and not result.changed:
            message = (
                f"This article is already in the store as {escape_markdown(result.name)} with these decisions; "
                "nothing changed."
            )
        else:
            message = saved_message(result.name, rows)
        st.session_state.last_save = {"message": message, "changed": list(result.changed)}
        forget_seen()
        st.session_state.pop("draft", None)
        st.rerun()


def confirmed_source(
    name: str,
    outlet: str,
    agency: str,
    day: dt.date | None,
    seen: Masthead,
    known: DocumentMeta | None,
    who: str,
) -> DocumentMeta:
    """The document's metadata as the reviewer left the fields: the stored record where they
    changed nothing of it; a date kept as read from the text is saved as read, with its evidence."""
    if known is not None:
        same_day = day == (known.published.start if known.published else None)
        if (outlet or "unknown", agency or None, same_day) == (known.outlet, known.agency, True):
            return known
    kept = seen.published is not None and seen.published.day == day
    return new_source(
        name,
        outlet=outlet or None,
        published=None if kept else day,
        by=who,
        read=seen.published,
        agency=agency or None,
        tag=seen.agency,
    )


def last_save(who: str) -> None:
    """What the last save did, with the button that takes it back."""
    last = st.session_state.get("last_save")
    if not last:
        return
    (st.success if last["changed"] else st.info)(last["message"])
    if last["changed"] and st.button("Undo this save", key="undo"):
        try:
            off = store().undo(last["changed"], by=who)
        except GeoError as err:
            st.error(f"Not undone: {escape_markdown(str(err))}")
            return
        st.session_state.last_save = None
        forget_seen()
        st.success(
            f"Undone: {off} claims taken off the map. The article's candidates wait for review again, "
            "undecided; their history is kept."
        )


def review_waiting(chosen: str, who: str) -> None:
    """The undecided candidates of a stored article (from `python -m geo ingest`, or left undecided here)."""
    text, source = store().document(chosen)
    known = store().stored(text)
    assert known is not None  # the document was just read from the store
    found = [
        Proposal(c.id, c.candidate or c.data, c.status, None, c.updated_by, c.updated_at)
        for c in known[2]
        if c.status == "extracted"
    ]
    spans = sorted({(p.candidate["mention_start"], p.candidate["mention_end"]) for p in found})
    st.markdown(f"<div class='article-preview'>{highlight_spans(text, spans)}</div>", unsafe_allow_html=True)
    when = source.published.start if source.published else None
    st.caption(f"Publication date: {escape_markdown(source.published_evidence)}")
    day, ready = publication_input("Publication date", when, f"day-{chosen}")
    prefix = f"wait-{document_id(text)[:12]}"
    accept_confident_button(found, prefix)
    choices = cards(found, text, prefix, day, bundled().gazetteer, bundled().vocabulary)
    save_caption(choices)
    if st.button("Save the decisions", disabled=not ready, key=f"save-{chosen}"):
        assert day is not None  # ready implies a day
        changed = dated(source, day, who) if day != when else source
        gaz, vocab = bundled().gazetteer, bundled().vocabulary
        try:
            rows = decide([p.candidate for p in found], choices, chosen, text, changed, vocab, gaz)
            result = store().save_review(text, changed, rows, by=who)
        except GeoError as err:
            st.error(f"Not saved: {escape_markdown(str(err))}")
        else:
            st.session_state.last_save = {"message": saved_message(chosen, rows), "changed": list(result.changed)}
            forget_seen()
            st.rerun()


st.title("Add an article")
# Every change is recorded as the signed-in reviewer's, never a name typed in (views/signin.py).
who = editor()
if who is None:
    st.info("Read-only: adding articles, reviewing and withdrawing claims need a signed-in reviewer (sidebar).")
    st.stop()
banner = st.container()  # what the last save did, filled in last: a new article clears it
tab_new, tab_waiting, tab_withdraw = st.tabs(["New article", "Waiting for review", "Withdraw a claim"])

with tab_new:
    st.caption(
        f"Upload {', '.join(SUFFIXES)} (up to {MAX_BYTES // 1_000_000} MB) or paste the text. The claims found "
        "in it are proposals: none is accepted until you accept it; accepted claims appear on the map."
    )
    upload = st.file_uploader("Article file", type=[s.lstrip(".") for s in SUFFIXES])
    pasted = st.text_area("…or paste the article", height=160)
    if upload is not None and pasted.strip():
        st.info("Both a file and pasted text: the file is read, the pasted text is not.")

    if st.button("Find places and claims", type="primary"):
        st.session_state.last_save = None
        try:
            if upload is not None:
                text, name = read_document(upload.getvalue(), upload.name), upload.name
            else:
                text, name = read_document(pasted.encode("utf-8"), "pasted text"), "pasted.txt"
        except IngestError as err:
            st.error(f"Not taken in: {escape_markdown(str(err))}")
            st.session_state.pop("draft", None)
        else:
            st.session_state.draft = {"text": text, "name": name}

    draft = st.session_state.get("draft")
    if draft:
        review_new(draft, who)

with tab_waiting:
    waiting = store().pending()
    if not waiting:
        st.info("No article is waiting: everything ingested has been reviewed.")
    else:
        st.caption(
            f"{len(waiting)} article{'s' if len(waiting) != 1 else ''} with candidates no one has decided on, "
            "from this page or `python -m geo ingest`."
        )
        articles = {w["document"]: f"{w['document']} · {w['candidates']} candidates · {w['added_by']}" for w in waiting}
        chosen = st.selectbox("Article", list(articles), format_func=articles.__getitem__, key="waiting")
        if chosen is not None:
            review_waiting(chosen, who)

with tab_withdraw:
    on_map = [c for c in store().claims(statuses=[s for s in ON_MAP if s != "curated"])]
    if not on_map:
        st.info("No accepted claim to withdraw. Curated claims change in claims/seed_claims.yaml, under review.")
    else:
        gaz = bundled().gazetteer
        labels = {
            c["id"]: f"{c['id']} · {c['data']['type']} at {place_label(gaz, c['data']['place_id'])} · {c['document']}"
            for c in on_map
        }
        claim_id = st.selectbox("Claim", list(labels), format_func=labels.__getitem__, key="withdraw") or ""
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

with banner:
    last_save(who)
