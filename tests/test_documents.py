"""Reading uploaded files: what is refused, with which message, and what HTML becomes."""

from __future__ import annotations

import pytest

from geo.documents import MAX_BYTES, html_to_text, read_document
from geo.errors import IngestError


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
