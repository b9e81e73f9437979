"""Search results as HTML: each claim found with its words marked, and each article's passage.

Plain functions over `geo.store.search.Hit`s and the claims table, no Streamlit; the page is
views/search.py. Every piece of text is escaped (`escape_text`) before the marks become `<mark>`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo.claims.sources import DocumentMeta, published_text
from geo.places.resolve import Resolver
from geo.store.search import CLOSE, OPEN, Hit, PlaceNames
from geo.web.html import document_href, escape_text, mark_spans
from geo.web.reader import claim_href


def place_spellings(resolver: Resolver) -> PlaceNames:
    """For a search: the place a name means and all its spellings, if the gazetteer lists the name
    (as written, or folded: case, accents, transliteration); a fuzzy match is no name here, or
    every misspelt word of a query would become a place.

    >>> from geo.places.gazetteer import load_gazetteer
    >>> spellings = place_spellings(Resolver(load_gazetteer()))
    >>> spellings("Shatel")[0], "Shutul" in spellings("Shatel")[1], spellings("fell")
    ('shutul-district', True, None)
    """

    def names(name: str) -> tuple[str, tuple[str, ...]] | None:
        found = resolver.resolve(name)
        if found.place is None or found.method == "fuzzy":
            return None
        return found.place.id, (found.place.name, *(v.name for v in found.place.variants))

    return names


def marked_html(marked: str) -> str:
    """Text with `OPEN`/`CLOSE` around its matches as escaped HTML with `<mark>`s. Marks are read
    as switches (`unmarked`), so stray ones in the text itself cannot leave an element open.

    >>> marked_html("the \x02Taliban\x03 took <b>\x02Bazarak\x03")
    'the <mark>Taliban</mark> took &lt;b&gt;<mark>Bazarak</mark>'
    """
    return mark_spans(*unmarked(marked))


def unmarked(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text with its marks taken out, and the (start, end) offsets in it of what they marked.

    >>> unmarked("the \x02Taliban\x03 took \x02Bazarak\x03")
    ('the Taliban took Bazarak', [(4, 11), (17, 24)])
    """
    text, spans, inside, at = [], [], False, 0
    for piece in marked.replace(CLOSE, OPEN).split(OPEN):
        if inside and piece:
            spans.append((at, at + len(piece)))
        text.append(piece)
        at += len(piece)
        inside = not inside
    return "".join(text), spans


def claim_hits_html(hits: list[Hit], claims: pd.DataFrame) -> str:
    """The claims found, each with what and where, who said it, when, and links to the map (at its
    place and date) and to its article. `claims` is the claims table, by claim id."""
    rows = []
    for hit in hits:
        if hit.claim is None or hit.claim not in claims.index:
            continue  # the store moved on since the table was read: the next run lists it
        row = claims.loc[hit.claim]
        date = row["date_start"] if row["date_start"] == row["date_end"] else f"{row['date_start']} – {row['date_end']}"
        rows.append(
            f"<li class='claim-{escape_text(row['map_faction'])}'><q>{marked_html(hit.marked)}</q>"
            f"<div class='meta'><b>{escape_text(str(row['type']).replace('_', ' '))}</b> at "
            f"{escape_text(row['place_name'])} · {escape_text(row['claimant'])} · event {escape_text(date)} · "
            f"{escape_text(row['outlet'])} · "
            f"<a href='{claim_href(hit.claim)}' target='_self'>on the map</a> · "
            f"<a href='{document_href(hit.document)}' target='_self'>in its article</a></div></li>"
        )
    return f"<ol class='found'>{''.join(rows)}</ol>" if rows else ""


def article_hits_html(hits: list[Hit], sources: Mapping[str, DocumentMeta]) -> str:
    """The articles found, each with its outlet and date and the passage that matched."""
    rows = []
    for hit in hits:
        source = sources.get(hit.document)
        about = f"{source.outlet}, published {published_text(source)}" if source else hit.document
        rows.append(
            f"<li><a href='{document_href(hit.document)}' target='_self'>{escape_text(hit.document)}</a> "
            f"<span class='meta'>({escape_text(about)})</span><div>{marked_html(hit.marked)}</div></li>"
        )
    return f"<ol class='found'>{''.join(rows)}</ol>" if rows else ""
