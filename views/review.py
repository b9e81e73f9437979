"""The review of an article's candidates, one card each: not a page. The Add-article page draws
it for a new article and for one waiting in the queue.

Each card shows the candidate in its sentence, the quote underlined and the place, the cue and the
subject's words marked; its decision (undecided, accept, reject) and its place, type, side and
date as lists. Nothing is decided for the reviewer: a card starts undecided, or as it was saved
before, and accepting the confident ones is one button that says how many it accepts. Every
field is reached with Tab and changed with the arrow keys or by typing, as Streamlit's widgets are.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import streamlit as st

from geo.claims.model import Vocabulary
from geo.extraction.scoring import load_scorer
from geo.places.gazetteer import Gazetteer
from geo.store.review import ACCEPT_ABOVE, CHOICES, Choice, Decision, Proposal, candidate_key, place_label
from geo.web.html import REVIEW_CSS, candidate_html, escape_text

_FIELDS = ("place_id", "type", "faction")
_SIDE = re.compile(r"\s*\([^()]*\)$")


def _key(prefix: str, proposal: Proposal, field: str) -> str:
    return f"{prefix}-{candidate_key(proposal.candidate)}-{field}"


#: The key suffix of what a reviewer first saw of each candidate.
SEEN = "seen"


def forget_seen() -> None:
    """After a save or an undo by this reviewer, what they saw is what the store now holds."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.endswith(f"-{SEEN}")]:
        del st.session_state[key]


def _choice(prefix: str, proposal: Proposal) -> Choice:
    return st.session_state.get(_key(prefix, proposal, "choice"), proposal.choice)  # type: ignore[no-any-return]


def confident(proposals: list[Proposal], prefix: str) -> list[Proposal]:
    """The undecided candidates whose calibrated confidence is above `ACCEPT_ABOVE`."""
    return [p for p in proposals if p.candidate["confidence"] > ACCEPT_ABOVE and _choice(prefix, p) == "undecided"]


def _accept(prefix: str, chosen: list[Proposal]) -> None:
    for p in chosen:
        st.session_state[_key(prefix, p, "choice")] = "accept"
    st.session_state[f"{prefix}-accepted"] = len(chosen)


def _edited(choice_key: str) -> None:
    """An edited candidate is one the reviewer is keeping: it is accepted, unless rejected."""
    if st.session_state.get(choice_key, "undecided") == "undecided":
        st.session_state[choice_key] = "accept"


def _accept_help() -> str:
    """What the button does, and, when the scorer cannot reach the threshold, that it never will."""
    said = f"Accepts only undecided candidates whose calibrated confidence is above {ACCEPT_ABOVE}; "
    said += "each can still be changed before saving."
    highest = load_scorer().highest
    if highest <= ACCEPT_ABOVE:
        said += (
            f" Today's scorer gives no candidate more than {highest:.2f}: its best candidates were right "
            f"{highest:.0%} of the time in cross-validation, on writers it had not learnt from; "
            "each is decided by hand."
        )
    return said


def accept_confident_button(proposals: list[Proposal], prefix: str) -> None:
    """ "Accept the N candidates above 0.9": the one way to accept many at once, naming how many."""
    chosen = confident(proposals, prefix)
    n = len(chosen)
    st.button(
        f"Accept the {n} candidate{'s' if n != 1 else ''} above {ACCEPT_ABOVE}",
        key=f"{prefix}-accept-confident",
        disabled=not chosen,
        on_click=_accept,
        args=(prefix, chosen),
        help=_accept_help(),
    )
    done = st.session_state.pop(f"{prefix}-accepted", None)
    if done is not None:
        st.info(f"Accepted {done} candidate{'s' if done != 1 else ''} above {ACCEPT_ABOVE}; nothing is saved yet.")


def _claimant(candidate: dict[str, Any], vocab: Vocabulary) -> str:
    """Who makes the claim, in the text's words where it has them ("resistance fighters"), and their side."""
    words = candidate.get("claimant_words") or _SIDE.sub("", candidate["claimant"])
    side = candidate.get("claimant_faction")
    label = str(vocab.factions[side].get("label", side)) if side in vocab.factions else None
    shown = f"<span class='claimant' data-side='{escape_text(side or '')}'>{escape_text(words)}</span>"
    return f"{shown} ({escape_text(label)})" if label else shown


def _before(proposal: Proposal) -> str:
    if proposal.by is None:
        return ""
    said = {"accepted": "on the map: accepted", "edited": "on the map: accepted as edited", "rejected": "rejected"}
    what = said.get(proposal.status, "undecided: ingested")
    when = (proposal.at or "")[:16].replace("T", " ")
    return f" · <b class='before'>{escape_text(what)} by {escape_text(proposal.by)}, {escape_text(when)} UTC</b>"


def cards(
    proposals: list[Proposal],
    text: str,
    prefix: str,
    day: dt.date | None,
    gazetteer: Gazetteer,
    vocab: Vocabulary,
) -> list[Decision]:
    """A card per proposal; returns the reviewer's decisions, in the proposals' order. `day` is the
    publication date, proposed for a candidate that gives no date of its own."""
    st.markdown(REVIEW_CSS, unsafe_allow_html=True)
    places = sorted(gazetteer.places, key=lambda p: place_label(gazetteer, p))
    sides = [*vocab.factions, *vocab.other_subjects]
    side_label = {s: str(vocab.factions[s].get("label", s)) for s in vocab.factions} | {
        s: f"{s} ({what})" for s, what in vocab.other_subjects.items()
    }
    out = []
    for n, p in enumerate(proposals, 1):
        c = p.candidate
        choice_key = _key(prefix, p, "choice")
        st.session_state.setdefault(choice_key, p.choice)
        # What the store held when this reviewer first saw the candidate: a save over a decision
        # someone else made since is refused (`Store.save_review`), not silently made.
        seen = st.session_state.setdefault(_key(prefix, p, SEEN), p.seen)
        proposed = p.value("date") or day
        keys = {f: _key(prefix, p, f) for f in _FIELDS} | {"date": _key(prefix, p, f"date-{proposed}")}
        for field, key in keys.items():
            st.session_state.setdefault(key, proposed if field == "date" else p.value(field))
        with st.container(border=True, key=f"{prefix}-card-{n}"):
            st.markdown(
                f"<div class='candidate'><div class='sentence'>{candidate_html(text, c)}</div>"
                f"<div class='meta'>{n}. <b>{escape_text(c['type'].replace('_', ' '))}</b> at "
                f"<b class='place'>{escape_text(place_label(gazetteer, c['place_id']))}</b> · about "
                f"{escape_text(side_label.get(c['faction'], c['faction']))} · claimed by {_claimant(c, vocab)} · "
                f"confidence <span class='confidence'>{c['confidence']:.2f}</span>{_before(p)}</div></div>",
                unsafe_allow_html=True,
            )
            choice = st.radio(
                f"Decision on candidate {n}", CHOICES, key=choice_key, horizontal=True, label_visibility="collapsed"
            )
            place, kind, side, date = st.columns([3, 2, 2, 2])
            then = (choice_key,)  # an edit accepts the candidate (`_edited`)
            place.selectbox(
                "Place", places, key=keys["place_id"], format_func=lambda i: place_label(gazetteer, i),
                on_change=_edited, args=then,
            )  # fmt: skip
            kind.selectbox(
                "Type", list(vocab.claim_types), key=keys["type"], format_func=lambda t: t.replace("_", " "),
                on_change=_edited, args=then,
            )  # fmt: skip
            side.selectbox(
                "Side", sides, key=keys["faction"], format_func=lambda s: side_label[s], on_change=_edited, args=then
            )
            date.date_input("Date", key=keys["date"], format="YYYY-MM-DD", on_change=_edited, args=then)
        state = st.session_state
        out.append(
            Decision(p.claim_id, choice, state[keys["place_id"]], state[keys["type"]], state[keys["faction"]],
                     state[keys["date"]], seen)
        )  # fmt: skip
    return out
