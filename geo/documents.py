"""Turning an uploaded or ingested file into article text, or refusing it with a clear reason.

Accepted: UTF-8 text (.txt, .md) and HTML (.html, .htm; scripts, styles and tags are stripped,
the text is kept). Refused: empty files, binary files, text that is not UTF-8, and files over
`MAX_BYTES`: a news article is a few kilobytes, so 2 MB leaves room and stops accidents.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from geo.errors import IngestError

MAX_BYTES = 2_000_000
SUFFIXES = (".txt", ".md", ".html", ".htm")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HTML = re.compile(r"<\s*(?:html|body|p|div|article|head)\b", re.I)


def read_document(data: bytes, name: str = "document") -> str:
    """The article text in `data`; raises `IngestError` saying why a file cannot be used."""
    if not data.strip():
        raise IngestError(f"{name} is empty; nothing to read")
    if len(data) > MAX_BYTES:
        raise IngestError(f"{name} is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit for one article")
    if b"\x00" in data:
        raise IngestError(f"{name} is a binary file, not text; save the article as .txt, .md or .html")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(
            f"{name} is not UTF-8 text (byte {err.start}); re-save it as UTF-8, or paste the text instead"
        ) from err
    if not text.strip():  # blank by Unicode's rules too (U+001C, U+3000...), not only ASCII's
        raise IngestError(f"{name} is empty; nothing to read")
    if len(_CONTROL.findall(text)) > max(5, len(text) // 100):
        raise IngestError(f"{name} holds control characters, not article text; is it a binary file?")
    if name.lower().endswith((".html", ".htm")) or _HTML.search(text[:2000]):
        text = html_to_text(text)
        if not text.strip():
            raise IngestError(f"{name} is HTML with no text in it")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: script, style and other non-text elements dropped."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "iframe", "object", "embed", "svg", "template", "head"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n\n".join(line for line in lines if line)
