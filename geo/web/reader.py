"""The sources: every document with its provenance, and an article read with its claims marked.

Plain functions over the claims table and the documents' metadata, no Streamlit; the page is
views/sources.py. Article text is escaped wherever it becomes HTML (`escape_text`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo.claims.citations import article_keys, load_outlets
from geo.claims.sources import DocumentMeta, published_text
from geo.claims.tables import Snapshots
from geo.web.html import escape_text


def stored_sources(store: Snapshots) -> dict[str, DocumentMeta]:
    """Every document's metadata in the store, by name, claims or not."""
    with store.snapshot() as (sources, _texts, _records):
        return sources


def documents_table(
    sources: Mapping[str, DocumentMeta], claims: pd.DataFrame, texts: Mapping[str, str]
) -> pd.DataFrame:
    """One row per document: the article as a reader tells it (`article_key`), outlet, the agency
    whose copy it is where known, the outlets its text cites, publication date with its basis and
    the words it rests on, language, and the number of its claims on the map (a document may have
    none yet): where each claim was said, as an analyst asks it.

    >>> from geo.claims.model import load_claims
    >>> from geo.claims.tables import claims_frame
    >>> claim_set = load_claims()
    >>> table = documents_table(claim_set.sources, claims_frame(claim_set), claim_set.texts)
    >>> table["claims"].sum(), table.set_index("document").at["003_fe92bc33c68e5510.txt", "cites"]
    (np.int64(92), 'TOLOnews')
    """
    keys = article_keys(sources, texts)
    outlets = load_outlets()
    counts = claims.groupby("document", observed=True).size() if len(claims) else pd.Series(dtype=int)
    rows = [
        {
            "document": name,
            "article": keys[name],
            "outlet": source.outlet,
            "agency": source.agency or "",
            "cites": ", ".join(dict.fromkeys(c.outlet for c in outlets.cited(texts.get(name, "")))),
            "published": published_text(source),
            "basis": source.published_basis,
            "evidence": source.published_evidence,
            "language": source.language,
            "claims": int(counts.get(name, 0)),
        }
        for name, source in sorted(sources.items())
    ]
    columns = [
        "document",
        "article",
        "outlet",
        "agency",
        "cites",
        "published",
        "basis",
        "evidence",
        "language",
        "claims",
    ]
    return pd.DataFrame(rows, columns=columns)


def citations_table(
    sources: Mapping[str, DocumentMeta], claims: pd.DataFrame, texts: Mapping[str, str]
) -> pd.DataFrame:
    """One row per outlet cited and article citing it: the claims that rest on it there, and each
    citation's words as the text has them, with their offsets (`geo.claims.citations`).

    >>> from geo.claims.model import load_claims
    >>> from geo.claims.tables import claims_frame
    >>> claim_set = load_claims()
    >>> table = citations_table(claim_set.sources, claims_frame(claim_set), claim_set.texts)
    >>> tolo = table[table["cited"] == "TOLOnews"].iloc[0]
    >>> int(tolo["claims"]), tolo["evidence"]
    (5, '“according to TOLO news” (260–282); “told TOLO news” (432–446)')
    """
    keys = article_keys(sources, texts)
    outlets = load_outlets()
    citing = claims["cites"].astype(str).str.split(";") if len(claims) else pd.Series(dtype=object)
    per_document = (
        pd.DataFrame({"document": claims["document"].astype(str), "cited": citing}).explode("cited")
        if len(claims)
        else pd.DataFrame({"document": [], "cited": []})
    )
    counts = per_document.groupby(["cited", "document"]).size()
    rows = []
    for name in sorted(sources):
        text = texts.get(name, "")
        found: dict[str, list[str]] = {}
        for c in outlets.cited(text):
            found.setdefault(c.outlet, []).append(f"“{c.evidence(text)}” ({c.bounds[0]}–{c.bounds[1]})")
        rows += [
            {
                "cited": outlet,
                "article": keys[name],
                "document": name,
                "claims": int(counts.get((outlet, name), 0)),
                "evidence": "; ".join(words),
            }
            for outlet, words in found.items()
        ]
    table = pd.DataFrame(rows, columns=["cited", "article", "document", "claims", "evidence"])
    return table.sort_values(["cited", "article"], kind="stable", ignore_index=True)


def claim_href(claim_id: str) -> str:
    """The permalink of a claim: the map at its place and public date, its card shown."""
    return f"/?claim={escape_text(claim_id)}"


def article_html(text: str, claims: pd.DataFrame, chosen: str | None = None) -> str:
    """The article as escaped HTML paragraphs, every claim's quote in a <mark>, followed by a
    permalink to each claim it holds; the mark holding claim `chosen` has the class `chosen`
    (the claim a link came from).

    Quotes often overlap (one sentence, two claims): overlapping quotes share one mark, so no
    claim's words are left unmarked and no mark is cut in two.

    >>> claims = pd.DataFrame({"start": [4, 4], "end": [9, 12], "claim_id": ["a-1", "a-2"],
    ...                        "type": ["captured", "denies"], "place_name": ["X", "X"]})
    >>> article_html("The <b>town</b> fell.", claims).count("<mark")
    1
    """
    spans = sorted(
        zip(claims["start"], claims["end"], claims["claim_id"], claims["type"], claims["place_name"], strict=True)
    )
    clusters: list[tuple[int, int, list[tuple[str, str, str]]]] = []
    for start, end, claim_id, kind, place in spans:
        if clusters and start < clusters[-1][1]:
            first, last, held = clusters[-1]
            clusters[-1] = (first, max(last, end), [*held, (claim_id, kind, place)])
        else:
            clusters.append((start, end, [(claim_id, kind, place)]))
    out, done = [], 0
    for start, end, held in clusters:
        ids = " ".join(f"claim-{escape_text(c)}" for c, _, _ in held)
        ids += " chosen" if any(c == chosen for c, _, _ in held) else ""
        title = "; ".join(f"{c}: {k.replace('_', ' ')}, {p}" for c, k, p in held)
        links = "".join(
            f"<sup><a class='permalink' href='{claim_href(c)}' target='_self'>{escape_text(c)}</a></sup>"
            for c, _, _ in held
        )
        out += [
            escape_text(text[done:start]),
            f"<mark class='{ids}' title='{escape_text(title)}'>{escape_text(text[start:end])}</mark>{links}",
        ]
        done = end
    out.append(escape_text(text[done:]))
    body = "".join(out).replace("\r", "").replace("\n\n", "</p><p>").replace("\n", "<br>")
    return f"<div class='article-reader'><p>{body}</p></div>"
