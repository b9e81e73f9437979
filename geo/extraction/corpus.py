"""Annotated corpora: articles with the place mentions and claims a reader finds in them, for scoring.

A corpus is a folder of UTF-8 articles and one `annotations.yaml` (format: `corpus/README.md`). The
annotations are written by reading, before the extractor is run on the articles; `load_corpus`
checks them against the texts, the gazetteer and the vocabulary, so that a typo fails loudly
instead of scoring as a miss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from geo.claims.model import Vocabulary
from geo.errors import ClaimError
from geo.places.gazetteer import Gazetteer
from geo.yamlrecords import field_errors, read_records


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MentionNote(_Record):
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    text: str = Field(min_length=1)
    place_id: str


class ClaimantNote(_Record):
    kind: str
    faction: str | None = None
    speaker: str | None = None


class ClaimNote(_Record):
    """A claim a reader finds: its sentence (`quote`, verbatim), place, type and subject."""

    quote: str = Field(min_length=1)
    place_id: str
    type: str
    subject: str
    claimant: ClaimantNote
    hedge: str | None = None
    #: What makes its sentence hard to read (claims/vocabulary.yaml, `phenomena`), for scoring by phenomenon.
    tags: tuple[str, ...] = ()
    note: str | None = None


class SentenceNote(_Record):
    """A sentence that reads like a claim but makes none ("after the U.S. military pulled out of
    Kabul airport"): proposals from it are scored under its tags."""

    quote: str = Field(min_length=1)
    tags: tuple[str, ...] = Field(min_length=1)
    note: str | None = None


Register = Literal[
    "wire",
    "tweets",
    "aggregator",
    "mt-german",
    "mt-french",
    "mt-russian",
    "headline",
    "regional",
    "digest",
    "briefing",
    "truncated",
    "liveblog",
]


class Article(_Record):
    document: str
    published: dt.date
    outlet: str = Field(min_length=1)
    #: The agency a dateline or tag credits ("(Wire) -", "/ANA/"), where the text names one.
    agency: str | None = None
    #: Who wrote and annotated it: articles by one writer share habits of phrasing, so a scorer's
    #: out-of-fold figures keep each writer's articles together (new text comes from new writers).
    writer: str | None = None
    # `register` in the file; pydantic's BaseModel has an attribute of that name.
    style: Register = Field(alias="register")
    mentions: tuple[MentionNote, ...] = ()
    claims: tuple[ClaimNote, ...] = ()
    no_claims: tuple[SentenceNote, ...] = ()


@dataclass(frozen=True)
class Corpus:
    root: Path
    articles: tuple[Article, ...]
    texts: dict[str, str]

    def __len__(self) -> int:
        return len(self.articles)


def load_corpus(root: Path, gazetteer: Gazetteer, vocabulary: Vocabulary) -> Corpus:
    """Load `root/annotations.yaml` and its articles; raise `ClaimError` listing every problem."""
    path = root / "annotations.yaml"
    problems: list[ClaimError] = []
    articles: list[Article] = []
    texts: dict[str, str] = {}
    for line, raw in read_records(path, ClaimError, "annotations"):
        name = f"article '{raw.get('document')}'" if isinstance(raw, dict) else "an entry"
        try:
            article = Article.model_validate(raw)
        except ValidationError as err:
            problems += [ClaimError(f"{name}: {m}", path=path, line=line) for m in field_errors(err)]
            continue
        file = root / article.document
        if not file.is_file():
            problems.append(ClaimError(f"{name}: no article file {file.name} in {root}", path=path, line=line))
            continue
        text = file.read_text(encoding="utf-8")
        texts[article.document] = text
        articles.append(article)
        for message in _check(article, text, gazetteer, vocabulary):
            problems.append(ClaimError(f"{name}: {message}", path=path, line=line))
    if problems:
        raise ClaimError.collected("the annotations", problems)
    return Corpus(root, tuple(articles), texts)


def _check(article: Article, text: str, gazetteer: Gazetteer, vocab: Vocabulary) -> list[str]:
    out = []
    for m in article.mentions:
        if text[m.start : m.end] != m.text:
            found = text.find(m.text)
            out.append(
                f"mention '{m.text}' is not at {m.start}-{m.end}" + (f"; first seen at {found}" if found >= 0 else "")
            )
        if m.place_id not in gazetteer.places:
            out.append(f"mention '{m.text}': place_id '{m.place_id}' is not in the gazetteer")
    for c in article.claims:
        where = f"claim at {c.place_id} ({c.type})"
        if text.count(c.quote) != 1:
            out.append(f"{where}: its quote occurs {text.count(c.quote)} times in the article; it must occur once")
        if c.place_id not in gazetteer.places:
            out.append(f"{where}: place_id is not in the gazetteer")
        if c.type not in vocab.claim_types:
            out.append(f"{where}: type is not in the vocabulary ({', '.join(vocab.claim_types)})")
        if c.subject not in vocab.factions and c.subject not in vocab.other_subjects:
            out.append(f"{where}: subject '{c.subject}' is not a faction or one of {', '.join(vocab.other_subjects)}")
        if c.claimant.kind not in vocab.claimant_kinds:
            out.append(f"{where}: claimant kind '{c.claimant.kind}' is not in the vocabulary")
        if c.hedge is not None and c.hedge not in vocab.hedges:
            out.append(f"{where}: hedge '{c.hedge}' is not in the vocabulary ({', '.join(vocab.hedges)})")
        out += _tag_problems(where, c.tags, vocab)
    for n in article.no_claims:
        where = f"no-claim sentence '{n.quote[:40]}'"
        if text.count(n.quote) != 1:
            out.append(f"{where}: occurs {text.count(n.quote)} times in the article; it must occur once")
        out += _tag_problems(where, n.tags, vocab)
    return out


def _tag_problems(where: str, tags: tuple[str, ...], vocab: Vocabulary) -> list[str]:
    unknown = [t for t in tags if t not in vocab.phenomena]
    if not unknown:
        return []
    return [f"{where}: tags {', '.join(unknown)} are not phenomena of the vocabulary ({', '.join(vocab.phenomena)})"]
