"""Reading uploaded files: what is refused, with which message, and what HTML becomes."""

from __future__ import annotations

import codecs
import datetime as dt
import sys
from pathlib import Path
from types import FrameType

import bs4.element
import pytest

from geo.errors import IngestError
from geo.extraction.extract import extract
from geo.store.documents import MAX_BYTES, html_to_text, read_document


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.txt", r"a\.txt is empty"),
        (b"   \n\t ", "a.txt", r"a\.txt is empty"),
        (b"\x1c", "a.txt", r"a\.txt is empty"),  # found by Hypothesis: blank only to str.strip
        ("\u3000\u2003".encode(), "a.txt", r"a\.txt is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt", r"photo\.txt is a binary file"),
        (
            "Bāzārak".encode("latin-1", "replace") + b"\xe9t\xe9",
            "latin.txt",
            r"latin\.txt is not UTF-8 text \(byte \d+\)",
        ),
        (b"a" * (MAX_BYTES + 1), "huge.txt", r"over the 2,000,000-byte limit"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 10, "ctl.txt", r"control characters"),
        (b"<html><body><script>x()</script></body></html>", "empty.html", r"HTML with no text"),
        (codecs.BOM_UTF16_LE + "abc".encode("utf-16-le")[:-1], "odd.txt", r"odd\.txt is not UTF-16 text"),
        (codecs.BOM_UTF16_LE + b"\x00\x00PNG\x00", "utf32.txt", r"utf32\.txt is a binary file"),
        (
            "Taliban took Bāzārak".encode("utf-16-be"),
            "be.txt",
            r"be\.txt looks like UTF-16 \(big-endian\) text without",
        ),
        ("طالبان بازارک".encode("utf-16-le"), "le.txt", r"le\.txt looks like UTF-16 \(little-endian\) text without"),
    ],
)
def test_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        read_document(data, name)


def test_utf8_text_is_kept_as_is() -> None:
    text = "The Taliban captured “Pazark” – Bāzārak – on Friday.\nSecond line."
    assert read_document(text.encode("utf-8"), "a.txt") == text
    assert read_document(("\ufeff" + text).encode("utf-8"), "bom.md") == text  # a BOM is dropped
    assert read_document(text.replace("\n", "\r\n").encode(), "crlf.txt") == text


def test_html_is_stripped_of_scripts_and_tags_and_keeps_its_text() -> None:
    page = (
        "<html><head><title>T</title><style>p{}</style><script>alert('x')</script></head>"
        "<body><h1>Panjshir</h1><p>The Taliban <b>captured</b> Bazarak.</p><iframe src='x'></iframe>"
        "<p>Resistance forces repelled an attack.</p></body></html>"
    )
    text = read_document(page.encode(), "article.html")
    assert "alert" not in text and "<" not in text and "p{}" not in text
    assert "Panjshir" in text and "captured" in text and "Bazarak." in text
    assert "Resistance forces repelled an attack." in text
    assert html_to_text("<p>a</p><p>b</p>") == "a\n\nb"


TEXT = "The Taliban captured “Pazark” – Bāzārak – on Friday.\nدره پنجشیر"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "UTF-16 LE, as Windows saves 'Unicode' text"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16 BE"),
        (TEXT.encode("utf-16"), "UTF-16, this machine's byte order, with its BOM"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 with a BOM"),
    ],
)
def test_unicode_with_a_byte_order_mark_is_read_and_the_mark_dropped(data: bytes, encoding: str) -> None:
    assert read_document(data, "a.txt") == TEXT, encoding


def test_utf16_html_is_read_as_html() -> None:
    page = "<html><body><p>The Taliban captured Bazarak.</p></body></html>"
    assert read_document(codecs.BOM_UTF16_LE + page.encode("utf-16-le"), "a.html") == "The Taliban captured Bazarak."


def test_inline_tags_stay_in_their_sentence_and_blocks_break_paragraphs() -> None:
    sentence = "Taliban fighters seized the Shotul district on Friday, the group's spokesman Zabihullah Mujahid said."
    page = (
        "<html><body><h1>Panjshir</h1>\n<p>Taliban fighters seized the <a href='/shutul'>Shotul\n district</a> on "
        "<b>Friday</b>, the group's <i>spokesman</i> <em>Zabihullah</em> <strong>Mujahid</strong> "
        "<span class='x'>said</span>.</p><div>Line one<br>line two</div><ul><li>first</li><li>second</li></ul>"
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></body></html>"
    )
    text = read_document(page.encode(), "a.html")
    assert text.split("\n\n") == ["Panjshir", sentence, "Line one", "line two", "first", "second", "a b", "c"]
    saturday = dt.date(2021, 9, 4)
    claims = {(c.place_id, c.type, c.faction) for c in extract(text, saturday)}
    assert ("shutul-district", "captured", "taliban") in claims
    assert claims == {(c.place_id, c.type, c.faction) for c in extract(sentence, saturday)}


def test_html_is_read_without_editing_the_parsed_tree() -> None:
    """Each edit of BeautifulSoup's tree looks the element up among its siblings: dropping 20,000
    scripts, or marking 20,000 paragraphs, took quadratic time (minutes for a 2 MB upload)."""
    edits = {"extract", "decompose", "insert", "insert_before", "insert_after", "replace_with", "index"}
    called: list[str] = []

    def watch(frame: FrameType, event: str, arg: object) -> None:
        code = frame.f_code
        if event == "call" and code.co_name in edits and Path(code.co_filename) == Path(bs4.element.__file__):
            called.append(code.co_name)

    page = "<html><body>" + "<p>Taliban <b>fighters</b> advanced.</p><script>x()</script><br>" * 2000 + "</body></html>"
    sys.setprofile(watch)
    try:
        text = html_to_text(page)
    finally:
        sys.setprofile(None)
    assert called == []
    assert text.split("\n\n") == ["Taliban fighters advanced."] * 2000
