"""Words found in the store: every claim's quote and place, and every article's text (SQLite FTS5).

Two full-text tables live in the store's own file, kept in step with `claims` and `documents`
by triggers, so that no writer can forget them and a write that fails leaves them as it found
them (one transaction). A claim row is indexed by its quote and its place id's words
("shutul district"): a search for a place finds the claims made at it under any spelling
("Shatel", "Shutal"). Tokens are Unicode words with diacritics folded ("Bāzārak" is "bazarak").

The rows are joined by rowid. SQLite may renumber the rowids of tables without an INTEGER
PRIMARY KEY only in VACUUM, which the store never runs; `SEARCH_VERSION` in `meta` says which
index a store holds, and a store without it (made before, or by a newer index) is indexed anew.

A reader's words are never FTS5 syntax: each word becomes a quoted term, the last one a prefix
("bazar" finds Bazarak), all of them required; a place's name also matches its other spellings.
Quotes of claims the map does not show (candidates, rejected ones) are not results.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

SEARCH_VERSION = "1"
#: Words of a query at most, and its characters: a reader's search, not a document.
MAX_WORDS = 12
MAX_QUERY = 400
#: Marks around each matched word in `Hit.marked` (`geo.web.found.marked_html` turns them into HTML).
OPEN, CLOSE = "\x02", "\x03"

_TOKENS = "tokenize = 'unicode61 remove_diacritics 2'"
#: What a claim row gives the index: its quote, and its place id's words.
_CLAIM_WORDS = "json_extract({row}data, '$.quote'), replace(json_extract({row}data, '$.place_id'), '-', ' ')"
SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS claim_words USING fts5(quote, place, {_TOKENS});
CREATE VIRTUAL TABLE IF NOT EXISTS article_words USING fts5(text, {_TOKENS});
CREATE TRIGGER IF NOT EXISTS claim_words_added AFTER INSERT ON claims BEGIN
    INSERT INTO claim_words (rowid, quote, place) VALUES (new.rowid, {_CLAIM_WORDS.format(row="new.")});
END;
CREATE TRIGGER IF NOT EXISTS claim_words_changed AFTER UPDATE OF data ON claims BEGIN
    DELETE FROM claim_words WHERE rowid = old.rowid;
    INSERT INTO claim_words (rowid, quote, place) VALUES (new.rowid, {_CLAIM_WORDS.format(row="new.")});
END;
CREATE TRIGGER IF NOT EXISTS claim_words_removed AFTER DELETE ON claims BEGIN
    DELETE FROM claim_words WHERE rowid = old.rowid;
END;
CREATE TRIGGER IF NOT EXISTS article_words_added AFTER INSERT ON documents BEGIN
    INSERT INTO article_words (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS article_words_removed AFTER DELETE ON documents BEGIN
    DELETE FROM article_words WHERE rowid = old.rowid;
END;
"""
_INDEX_ALL = (
    "DELETE FROM claim_words",
    "DELETE FROM article_words",
    f"INSERT INTO claim_words (rowid, quote, place) SELECT rowid, {_CLAIM_WORDS.format(row='')} FROM claims",
    "INSERT INTO article_words (rowid, text) SELECT rowid, text FROM documents",
)

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    """A claim whose quote or place matched (`claim` is its id), or an article whose text did.
    `marked` is the quote, or a passage of the article, with `OPEN` and `CLOSE` around each match."""

    kind: Literal["claim", "article"]
    document: str
    marked: str
    claim: str | None = None


def indexed(conn: sqlite3.Connection) -> bool:
    """Whether the store holds this version's index (the tables themselves: `SCHEMA`)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'search'").fetchone()
    return row is not None and row[0] == SEARCH_VERSION


def index_all(conn: sqlite3.Connection) -> None:
    """Index everything the store holds, inside the caller's write transaction; nothing to do
    if another process has indexed it meanwhile."""
    if indexed(conn):
        return
    for statement in _INDEX_ALL:
        conn.execute(statement)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('search', ?)", (SEARCH_VERSION,))


#: A name's place: its id and every spelling of it (see `match_expressions`).
PlaceNames = Callable[[str], "tuple[str, tuple[str, ...]] | None"]


def _phrase(text: str) -> str:
    return '"' + " ".join(_WORD.findall(text)) + '"'


def match_expressions(query: str, place_names: PlaceNames | None = None) -> tuple[str, str] | None:
    """The reader's words as FTS5 queries, for the claims and for the articles, that cannot be
    read as FTS5 syntax; None for no words.

    Every word is required and the last may be the start of one. Where `place_names` knows a run
    of up to three words as a place's name, the run also matches the place's other spellings,
    and for claims the place itself: "Shatel" finds the claims made at Shutul.

    >>> match_expressions('Bazarak "fell" OR -x*')
    ('"Bazarak" "fell" "OR" "x"*', '"Bazarak" "fell" "OR" "x"*')
    >>> shutul = {"Shatel": ("shutul-district", ("Shutul", "Shatel"))}
    >>> match_expressions("Shatel fell", shutul.get)[0]
    '("Shatel" OR place : "shutul district" OR "Shutul") "fell"*'
    >>> match_expressions("  ?! ") is None
    True
    """
    words = _WORD.findall(query[:MAX_QUERY])[:MAX_WORDS]
    if not words:
        return None
    claim_terms, article_terms = [], []
    i = 0
    while i < len(words):
        n, found = 1, None
        for size in (3, 2, 1):
            if place_names is not None and i + size <= len(words):
                found = place_names(" ".join(words[i : i + size]))
                if found is not None:
                    n = size
                    break
        phrase = _phrase(" ".join(words[i : i + n]))
        if found is None:
            last = "*" if i + n == len(words) else ""
            claim_terms.append(phrase + last)
            article_terms.append(phrase + last)
        else:
            place_id, spellings = found
            others = [p for p in dict.fromkeys(_phrase(name) for name in spellings) if p != '""']
            claim_terms.append(f"({' OR '.join(dict.fromkeys([phrase, f'place : {_phrase(place_id)}', *others]))})")
            article_terms.append(f"({' OR '.join(dict.fromkeys([phrase, *others]))})")
        i += n
    return " ".join(claim_terms), " ".join(article_terms)


def search(
    conn: sqlite3.Connection, query: str, on_map: tuple[str, ...], limit: int, place_names: PlaceNames | None = None
) -> list[Hit]:
    """Claims shown on the map (statuses `on_map`) whose quote or place matches, best first, then
    articles whose text does; at most `limit` of each."""
    expressions = match_expressions(query, place_names)
    if expressions is None:
        return []
    for_claims, for_articles = expressions
    statuses = ",".join("?" * len(on_map))
    claims = conn.execute(
        f"SELECT c.id, d.name, highlight(claim_words, 0, ?, ?) FROM claim_words "
        f"JOIN claims c ON c.rowid = claim_words.rowid JOIN documents d ON d.id = c.document_id "
        f"WHERE claim_words MATCH ? AND c.status IN ({statuses}) ORDER BY rank LIMIT ?",
        (OPEN, CLOSE, for_claims, *on_map, limit),
    ).fetchall()
    articles = conn.execute(
        "SELECT d.name, snippet(article_words, 0, ?, ?, '…', 24) FROM article_words "
        "JOIN documents d ON d.rowid = article_words.rowid WHERE article_words MATCH ? ORDER BY rank LIMIT ?",
        (OPEN, CLOSE, for_articles, limit),
    ).fetchall()
    return [Hit("claim", name, marked, claim_id) for claim_id, name, marked in claims] + [
        Hit("article", name, marked) for name, marked in articles
    ]
