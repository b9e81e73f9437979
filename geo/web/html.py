"""HTML made from article and data text. Every string from outside goes through `escape_text`.

Braces are escaped too. Branca compiles every rendered element's script as a Jinja template
once more (folium's popups included); the maps' own layers skip that (`geo.web.mapelements`), but
wherever such HTML ends up, a "{{ }}" in an article is never evaluated.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from html import escape
from typing import Any, Protocol
from urllib.parse import quote

from geo.claims.sides import SIDE_BY_ID, SIDES


def escape_text(text: str) -> str:
    """HTML-escape `text`, braces included."""
    return escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


#: Every ASCII punctuation character: CommonMark lets a backslash escape any of them.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """`text` for the Markdown of st.markdown, st.warning, st.caption and the like, to be shown as
    written: a file name or a search such as `![x](http://host/a.png)` would otherwise make the
    browser fetch an image, and `**bold**`, `$...$` or `:red[...]` would format.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text))


def document_href(document: str, claim: str | None = None) -> str:
    """The Sources page reading this document; with `claim`, that claim's quote picked out.

    >>> document_href("a b.txt", "s001-03")
    '/sources?doc=a%20b.txt&claim=s001-03'
    """
    about = f"&claim={quote(claim, safe='')}" if claim else ""
    return f"/sources?doc={quote(document, safe='')}{about}"


def cites_text(cites: str) -> str:
    """A claim's `cites` as words: "via TOLOnews, AFP", or "" for none."""
    return f"via {', '.join(cites.split(';'))}" if cites else ""


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (text between blank-line or line breaks) holding text[start:end]."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right < 0 else right


def quote_in_paragraph(text: str, start: int, end: int) -> str:
    """The quote's paragraph as HTML, the quote itself in <mark>: the words in their context."""
    left, right = paragraph_bounds(text, start, end)
    return f"{escape_text(text[left:start])}<mark>{escape_text(text[start:end])}</mark>{escape_text(text[end:right])}"


def summary_popup(places: list[tuple[str, str, str, str]]) -> str:
    """A marker's popup: for each place it stands for, as (id, label, claims line, status line)
    in plain text (`geo.claims.counts.place_lines`), the place, its claims by side and its status.
    Nothing more: the quotes are in the side panel, which the same click fills, and a popup of
    quotes covered the markers around its own."""
    return (
        "<div class='place-summary'>"
        + "".join(
            f"<p data-place='{escape_text(place)}'><b>{escape_text(label)}</b><br>"
            f"<span class='counts'>{escape_text(said)}</span><br><span class='status'>{escape_text(state)}</span></p>"
            for place, label, said, state in places
        )
        + "</div>"
    )


class CardRow(Protocol):
    """A row of the claims table (`itertuples()`), as much of it as a card shows."""

    claim_id: str
    document: str
    article: str
    cites: str
    type: str
    claimant: str
    map_faction: str
    start: int
    end: int
    date_start: str
    date_end: str
    date_basis: str
    date_evidence: str
    made_start: str
    made_end: str
    made_basis: str
    hedge: str
    hedge_words: str | None
    relation_flag: object  # text, or NaN where the claim states no relation
    outside_knowledge: object  # text, or NaN
    competes_with: str
    outlets_reporting: int


def claim_card(row: CardRow, text: str) -> str:
    """One claim for the side panel: its quote marked inside its paragraph, then who, when, where.

    On one line: the cards go through st.markdown, where a blank line (an outlet typed with two
    line breaks) would end the HTML block and let what follows be read as Markdown.
    """
    date = row.date_start if row.date_start == row.date_end else f"{row.date_start} – {row.date_end}"
    flag = f"<div class='flag'>⚠ {escape_text(row.relation_flag)}</div>" if isinstance(row.relation_flag, str) else ""
    made = row.made_start if row.made_start == row.made_end else f"{row.made_start} – {row.made_end}"
    competing = f" · competes with {escape_text(row.competes_with)}" if row.competes_with else ""
    hedge = (
        f"<div class='flag'>hedged ({escape_text(row.hedge)}): “{escape_text(row.hedge_words or '')}”</div>"
        if row.hedge != "none"
        else ""
    )
    outside = (
        f"<br>outside knowledge: {escape_text(row.outside_knowledge)}" if isinstance(row.outside_knowledge, str) else ""
    )
    via = f" · {escape_text(cites_text(row.cites))}" if row.cites else ""
    reported = f" · reported by {row.outlets_reporting} outlet{'s' if row.outlets_reporting != 1 else ''}"
    return (
        f"<div class='claim-card claim-{escape_text(row.map_faction)}'>"
        f"<div class='meta'><b>{escape_text(row.type.replace('_', ' '))}</b> · {escape_text(row.claimant)}</div>"
        f"<blockquote>{quote_in_paragraph(text, row.start, row.end)}</blockquote>{hedge}"
        f"<div class='meta'>event {escape_text(date)} ({escape_text(row.date_basis)}: {escape_text(row.date_evidence)})"
        f"<br>public {escape_text(made)} ({escape_text(row.made_basis)}){outside}"
        f"<br>{escape_text(row.article)}{via} · "
        f"<a class='in-article' href='{escape_text(document_href(row.document, row.claim_id))}' target='_self' "
        f"title='{escape_text(row.document)}, with this quote marked'>in its article</a> · "
        f"<a class='permalink' href='/?claim={escape_text(row.claim_id)}' target='_self' "
        f"title='a link to this claim on the map'>{escape_text(row.claim_id)}</a>"
        f"{reported}{competing}</div>"
        f"{flag}</div>"
    ).translate(_ONE_LINE)


_ONE_LINE = str.maketrans({"\n": "&#10;", "\r": "&#13;"})


CARD_CSS = (
    "<style>.claim-card{border-left:4px solid #999;padding:.3em .6em;margin:.5em 0;background:#fafafa}"
    + "".join(f".claim-card.claim-{side}{{border-color:{SIDE_BY_ID[side].colour}}}" for side in SIDES)
    + ".claim-card blockquote{margin:.3em 0;font-size:.92em;color:#333;max-width:65ch;overflow-wrap:anywhere}"
    ".claim-card mark{background:#fde68a}.claim-card .meta{font-size:.8em;color:#555}"
    ".claim-card .flag{font-size:.8em;color:#8a4b00}"
    ".linked-claim{border:2px solid #fde68a;padding:.3em .5em;margin-bottom:.6em}</style>"
)


def mark_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` escaped, with the given (start, end) spans in <mark>; of two that overlap, the first."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(escape_text(text[last:start]))
        out.append(f"<mark>{escape_text(text[start:end])}</mark>")
        last = end
    out.append(escape_text(text[last:]))
    return "".join(out)


def highlight_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` as escaped HTML paragraphs with the given (start, end) spans in <mark>."""
    return mark_spans(text, spans).replace("\n\n", "</p><p>").join(("<p>", "</p>")).replace("\n", "<br>")


#: What a review card marks in a candidate's sentence, the first winning where two overlap.
CANDIDATE_MARKS = ("place", "cue", "subject")


def candidate_html(text: str, candidate: Mapping[str, Any]) -> str:
    """A candidate's sentence (`context_start`..`context_end`) as HTML, every piece of it escaped:
    the quote, the clause that makes the claim, in <span class='quote'>, and its place, its cue
    (the words the rule read) and its subject's words in <mark class='place'>, 'cue', 'subject'.
    A candidate stored before candidates kept their sentence shows its quote's paragraph."""
    start, end = candidate["start"], candidate["end"]
    lo, hi = candidate.get("context_start") or 0, candidate.get("context_end") or 0
    lo, hi = (min(lo, start), max(hi, end)) if hi > lo else paragraph_bounds(text, start, end)
    spans = {
        name: (a, b)
        for name, a, b in (
            ("place", candidate.get("mention_start"), candidate.get("mention_end")),
            ("cue", candidate.get("cue_start"), candidate.get("cue_end")),
            ("subject", candidate.get("subject_start"), candidate.get("subject_end")),
        )
        if isinstance(a, int) and isinstance(b, int) and lo <= a < b <= hi
    }
    cuts = sorted({lo, hi, start, end, *(x for span in spans.values() for x in span)})
    out = []
    for a, b in itertools.pairwise(cuts):
        out.append("<span class='quote'>" if a == start and b <= end else "")
        piece = escape_text(text[a:b])
        name = next((n for n in CANDIDATE_MARKS if n in spans and spans[n][0] <= a and b <= spans[n][1]), None)
        out.append(f"<mark class='{name}'>{piece}</mark>" if name is not None else piece)
        out.append("</span>" if b == end and a >= start else "")
    return "".join(out).translate(_ONE_LINE)


REVIEW_CSS = (
    "<style>.candidate .sentence{max-width:110ch;line-height:1.6}"
    ".candidate .quote{text-decoration:underline;text-decoration-color:#888;text-underline-offset:3px}"
    ".candidate mark{padding:0 .15em;border-radius:3px}"
    ".candidate mark.place{background:#fde68a}.candidate mark.cue{background:#bbf7d0}"
    ".candidate mark.subject{background:#bfdbfe}.candidate .meta{font-size:.85em;color:#444}</style>"
)
