"""Turning an uploaded or ingested file into article text, or refusing it with a clear reason.

Accepted: UTF-8 text (.txt, .md), UTF-16 text with its byte order mark (what Windows saves as
"Unicode"), and HTML (.html, .htm; scripts, styles and tags are stripped, the text is kept).
Refused: empty files, binary files, text in other encodings, and files over `MAX_BYTES`: a news
article is a few kilobytes, so 2 MB leaves room and stops accidents. Files named on the command
line must be regular files, so that a pipe cannot hang a reader and a device cannot fill memory.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import CData, NavigableString

from geo.errors import IngestError

MAX_BYTES = 2_000_000
SUFFIXES = (".txt", ".md", ".html", ".htm")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HTML = re.compile(r"<\s*(?:html|body|p|div|article|head)\b", re.I)
_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the file at `path`, if it is a regular file of at most `max_bytes`; else
    `IngestError` saying why. Opening never waits: a FIFO would block until another process wrote
    to it. Reading stops past the limit: /dev/zero and /proc files say nothing true of their size."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as err:
        raise IngestError(f"{path.name}: no such file; give the path of an article file") from err
    except OSError as err:
        raise IngestError(f"{path.name}: cannot read: {err.strerror}") from err
    with open(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((what for test, what in _NOT_FILES if test(info.st_mode)), "not a regular file")
            raise IngestError(f"{path.name} is {kind}, not a file; give the path of an article file")
        try:
            data = file.read(max_bytes + 1)
        except OSError as err:
            raise IngestError(f"{path.name}: cannot read: {err.strerror}") from err
    if len(data) > max_bytes:
        raise _too_large(path.name, info.st_size, max_bytes)
    return data


def _too_large(name: str, size: int, max_bytes: int) -> IngestError:
    said = f"{size:,} bytes, " if size > max_bytes else ""
    return IngestError(
        f"{name} is {said}over the {max_bytes:,}-byte limit for one article; "
        "split it, or raise the limit (--max-bytes on the command line)"
    )


def read_document(data: bytes, name: str = "document", max_bytes: int = MAX_BYTES) -> str:
    """The article text in `data`; raises `IngestError` saying why a file cannot be used."""
    if not data.strip():
        raise IngestError(f"{name} is empty; nothing to read")
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    text = decode_text(data, name)
    if not text.strip():  # blank by Unicode's rules too (U+001C, U+3000...), not only ASCII's
        raise IngestError(f"{name} is empty; nothing to read")
    if len(_CONTROL.findall(text)) > max(5, len(text) // 100):
        raise IngestError(f"{name} holds control characters, not article text; is it a binary file?")
    if name.lower().endswith((".html", ".htm")) or _HTML.search(text[:2000]):
        text = html_to_text(text)
        if not text.strip():
            raise IngestError(f"{name} is HTML with no text in it")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes, name: str) -> str:
    """The text of `data`: UTF-8, or UTF-16 with its mark; `IngestError` naming what it is otherwise."""
    binary = f"{name} is a binary file, not text; save the article as .txt, .md or .html"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")  # reads the byte order from the mark and drops it
        except UnicodeDecodeError as err:
            raise IngestError(f"{name} is not UTF-16 text (byte {err.start}), though it begins as UTF-16 does") from err
        if "\x00" in text:  # UTF-32 begins as UTF-16 LE does; binary files may too
            raise IngestError(binary)
        return text
    if b"\x00" in data:
        order = _utf16_order(data)
        if order is not None:
            raise IngestError(
                f"{name} looks like UTF-16 ({order}) text without a byte order mark; re-save it as UTF-8, "
                'or as UTF-16 with its mark (Windows\' "Unicode"), or paste the text instead'
            )
        raise IngestError(binary)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(
            f"{name} is not UTF-8 text (byte {err.start}); re-save it as UTF-8, or paste the text instead"
        ) from err


def _utf16_order(data: bytes) -> str | None:
    """ "big-endian" or "little-endian" if `data` reads as UTF-16 text in that byte order, marked or
    not: text mostly in one script has one byte of each pair the same (0 for Latin letters), and
    decoded it holds no NUL or control characters."""
    if len(data) % 2:
        return None
    for order, codec, high in (("big-endian", "utf-16-be", data[0::2]), ("little-endian", "utf-16-le", data[1::2])):
        if not high or max(high.count(value) for value in set(high)) < len(high) // 2:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and len(_CONTROL.findall(text)) <= max(5, len(text) // 100):
            return order
    return None


# Elements that begin a new line in a browser: they end a paragraph. Any other element (a, b, i,
# em, strong, span...) is inline: its text belongs to the sentence around it.
_BLOCKS = frozenset(
    "address article aside blockquote br caption dd details dialog div dl dt fieldset figcaption figure footer "  # noqa: SIM905 (one name a line would fill 38 lines)
    "form h1 h2 h3 h4 h5 h6 header hr legend li main nav ol p pre section summary table title tr ul".split()
)
_CELLS = frozenset(("td", "th"))
_HIDDEN = frozenset(("script", "style", "noscript", "iframe", "object", "embed", "svg", "template", "head"))
_SPACE = re.compile(r"\s+")


def html_to_text(html: str) -> str:
    """The readable text of an HTML page, a paragraph per block element, with script, style and
    other non-text elements dropped. Whitespace is HTML's: runs of it, line breaks in the source
    included, are one space, as a browser shows them.

    The tree is walked, not edited: each edit of BeautifulSoup's tree (`decompose`, `insert_before`)
    looks the element up among its siblings, so editing a page of many short paragraphs took
    quadratic time (24 s for 80 kB of `<br>`)."""
    pieces: list[str] = []
    stack = [iter(BeautifulSoup(html, "html.parser").contents)]
    after = [""]  # what each open element adds when it ends: a line break, a space or nothing
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            pieces.append(after.pop())
        elif isinstance(node, Tag):
            if node.name not in _HIDDEN:
                mark = "\n" if node.name in _BLOCKS else " " if node.name in _CELLS else ""
                pieces.append(mark)
                stack.append(iter(node.contents))
                after.append(mark)
        elif type(node) in (NavigableString, CData):  # not comments, doctypes or declarations
            pieces.append(_SPACE.sub(" ", str(node)))
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n\n".join(line for line in lines if line)
