"""Where a claim was said: its article, and the outlets and agencies the article cites for it.

76 of the bundled claims came from articles whose own outlet nobody knows, so "in which outlet?"
had no answer; yet the texts say on whose word they report ("according to TOLO news", "told TASS",
"/ AFP)"). Those citations are read here from the text, with the words and offsets they rest on,
never typed per claim: a name counts only beside a cue word, and the names and the cues are
data (`claims/outlets.yaml`). An article is keyed by its outlet where known, else by its title
(its first line), always with its date, so that an unknown outlet says so instead of "unknown".

A claim cites what its paragraph cites, and the agency of the article's dateline ("/TASS/."),
whose copy the whole article is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from geo.bundled import bundled
from geo.claims.sources import DocumentMeta, published_text
from geo.datelines import head_dateline
from geo.errors import ClaimError
from geo.yamlrecords import field_errors, read_yaml

DEFAULT_OUTLETS = bundled("claims") / "outlets.yaml"
#: How far before a name a cue may end, and after it begin (characters): a few words.
_REACH = 60
#: How many characters of an article's first line its title keeps.
TITLE_LENGTH = 56


class _Outlet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=1)
    names: list[str] = Field(default_factory=list)


class _Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    outlets: list[_Outlet] = Field(min_length=1)
    before: list[str] = Field(min_length=1)
    after: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class Citation:
    """One outlet cited in a text: its name as the outlet list gives it, and the spans of the name
    as written and of the cue beside it. `dateline`: the article's own dateline tag, so every
    claim of the article is that agency's copy."""

    outlet: str
    start: int
    end: int
    cue_start: int
    cue_end: int
    dateline: bool = False

    @property
    def bounds(self) -> tuple[int, int]:
        """The span of the cue and the name together."""
        return min(self.start, self.cue_start), max(self.end, self.cue_end)

    def evidence(self, text: str) -> str:
        """The words the citation was read from, verbatim: "according to TOLO news"."""
        start, end = self.bounds
        return text[start:end]


@dataclass(frozen=True)
class Outlets:
    """The outlet names a cue may match, and the cues (`load_outlets`)."""

    canonical: Mapping[str, str]  # each spelling → the outlet's name
    names: re.Pattern[str]
    before: re.Pattern[str]
    after: re.Pattern[str]

    def cited(self, text: str) -> list[Citation]:
        """Every outlet `text` cites, in text order: a listed name with a cue word before it (a
        few words between at most, in the same sentence) or after it, and the dateline's agency
        (listed or not: the tag's place says it is one).

        >>> outlets = load_outlets()
        >>> [(c.outlet, c.evidence(t)) for t in ["Fighting goes on, according to TOLO news."]
        ...  for c in outlets.cited(t)]
        [('TOLOnews', 'according to TOLO news')]
        >>> outlets.cited("TASS is a word here, not a citation.")
        []
        """
        found: dict[tuple[int, int], Citation] = {}
        tag = head_dateline(text)
        if tag is not None and tag.agency:
            at = text.find(tag.agency, tag.place_end, tag.end)
            if at >= 0:
                name = self.canonical.get(tag.agency, tag.agency)
                found[at, at + len(tag.agency)] = Citation(name, at, at + len(tag.agency), tag.start, tag.end, True)
        for m in self.names.finditer(text):
            if (m.start(), m.end()) in found or (
                m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_-")
            ):
                continue  # the dateline's, or inside a word
            window = text[max(0, m.start() - _REACH) : m.start()]
            window = re.split(r"[\n]|[.!?]\s", window)[-1]  # the cue must be in the name's sentence
            before = self.before.search(window)
            after = self.after.match(text, m.end(), min(len(text), m.end() + _REACH))
            if before is not None:
                lead, group = m.start() - len(window), "cue" if before.group("cue") is not None else "mark"
                cue = (lead + before.start(group), lead + before.end(group))
            elif after is not None:
                cue = (after.start("cue"), after.end("cue"))
            else:
                continue
            found[m.start(), m.end()] = Citation(self.canonical[m.group()], m.start(), m.end(), *cue)
        return sorted(found.values(), key=lambda c: c.start)


def _cue_pattern(cues: list[str]) -> str:
    """Cues as one alternation, longest first; a cue that starts or ends with a letter must be a
    whole word."""
    parts = []
    for cue in sorted(cues, key=len, reverse=True):
        left = r"(?<!\w)" if cue[:1].isalnum() else ""
        right = r"(?!\w)" if cue[-1:].isalnum() else ""
        parts.append(left + re.escape(cue) + right)
    return "|".join(parts)


def load_outlets(path: Path = DEFAULT_OUTLETS) -> Outlets:
    """The outlet list and cue words, from `claims/outlets.yaml`; a bad file raises ClaimError."""
    return _load_outlets(path)


@lru_cache(maxsize=4)
def _load_outlets(path: Path) -> Outlets:
    data, _ = read_yaml(path, ClaimError)
    try:
        catalogue = _Catalogue.model_validate(data)
    except ValidationError as err:
        raise ClaimError(f"bad outlet list: {'; '.join(field_errors(err))}", path=path) from err
    canonical: dict[str, str] = {}
    for outlet in catalogue.outlets:
        for name in {outlet.name, *outlet.names}:
            if canonical.setdefault(name, outlet.name) != outlet.name:
                raise ClaimError(
                    f"the name '{name}' is listed for both '{canonical[name]}' and '{outlet.name}'; keep one",
                    path=path,
                )
    names = "|".join(re.escape(n) for n in sorted(canonical, key=len, reverse=True))
    word_cues = [c for c in catalogue.before if c[-1:].isalnum()]
    marks = [c for c in catalogue.before if not c[-1:].isalnum()]
    # A word cue may have up to three words between it and the name ("according to some sources
    # of"); a mark ("/", "(", "-") must stand right before it. Quotation marks may open the name.
    before = (
        rf"(?:(?P<cue>{_cue_pattern(word_cues)})(?:\s+[^\s.!?]+){{0,3}}?"
        rf"|(?P<mark>{_cue_pattern(marks)}))\s*[\"“'‘]?$"
    )
    return Outlets(
        canonical=canonical,
        # No lookbehind before the names (`cited` checks the character before): with one, the
        # regex engine could not skip to a name's first letters, and 15 MB took 6.7 s, not 1.0 s.
        names=re.compile(rf"(?:{names})(?![\w-])"),
        before=re.compile(before),
        after=re.compile(rf"\s*[\"”'’]?\s*(?P<cue>{_cue_pattern(catalogue.after)})"),
    )


def claim_cites(text: str, citations: list[Citation], start: int, end: int) -> list[Citation]:
    """The citations a claim quoting text[start:end] rests on: those of its paragraph (the text
    between line breaks) and the dateline's, whose copy the whole article is."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return [c for c in citations if c.dateline or left <= c.start < right]


def title_line(text: str, limit: int = TITLE_LENGTH) -> str:
    """The article's first line that has words, its spaces run together, cut at a word to
    `limit` characters with "…"; "" for a text with none. Only the text's start is read.

    >>> title_line("\\n  Taliban   take control of the valley\\nThe province...")
    'Taliban take control of the valley'
    """
    head = text[: limit * 20].lstrip()
    line = " ".join(head.split("\n", 1)[0].split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,;:") + "…"


def article_key(source: DocumentMeta, text: str) -> str:
    """An article as a reader tells it from others: its outlet where known, else its title in
    quotation marks and "outlet unknown", with its publication date.

    >>> from geo.claims.sources import load_sources
    >>> sources = load_sources()
    >>> article_key(sources["004_9664b19b629e403e.txt"], "")
    'TASS, 2021-08-30'
    >>> article_key(sources["001_b2ea9295ad45eb18.txt"], "Taliban take control of Panjshir\\nPanjshir province...")
    '“Taliban take control of Panjshir”, 2021-09-06 – 2021-09-07 (outlet unknown)'
    """
    date = published_text(source)
    date = "date unknown" if date == "unknown" else date
    if source.outlet_known:
        return f"{source.outlet}, {date}"
    title = title_line(text)
    return f"“{title}”, {date} (outlet unknown)" if title else f"{source.document}, {date} (outlet unknown)"


def article_keys(sources: Mapping[str, DocumentMeta], texts: Mapping[str, str]) -> dict[str, str]:
    """Every document's `article_key`, made unique: a key two articles share (two copies of one
    agency on one day) is followed by the document's name in brackets."""
    keys = {name: article_key(source, texts.get(name, "")) for name, source in sources.items()}
    seen: dict[str, int] = {}
    for key in keys.values():
        seen[key] = seen.get(key, 0) + 1
    return {name: key if seen[key] == 1 else f"{key} [{name}]" for name, key in keys.items()}
