"""Local mode's rule (geo.store.access): which WebSocket handshakes may write with no reviewer
configured. Each row is one connection and what the rule says of it; the browser's side of it
(a rebound name, a relay on another port) is in test_browser.py."""

from __future__ import annotations

import pytest

from geo.store.access import Connection, refusal

PORT = 8501
HERE = [("Host", "localhost:8501"), ("Origin", "http://localhost:8501")]


def conn(headers: list[tuple[str, str]], peer: str | None = "127.0.0.1", port: int = PORT) -> Connection:
    return Connection.of(peer, headers, port)


@pytest.mark.parametrize(
    ("peer", "headers"),
    [
        ("127.0.0.1", HERE),
        ("::1", [("host", "[::1]:8501"), ("origin", "http://[::1]:8501")]),
        ("127.0.0.2", [("Host", "127.0.0.1:8501"), ("Origin", "http://127.0.0.1:8501")]),
        ("::ffff:127.0.0.1", [("Host", "LOCALHOST:8501"), ("Origin", "https://localhost:8501")]),
        ("127.0.0.1", [("Host", "localhost:8501"), ("Origin", "http://127.0.0.1:8501")]),
    ],
)
def test_a_page_on_this_machine_at_the_apps_own_port_gets_local_mode(peer: str, headers) -> None:
    assert refusal(conn(headers, peer)) is None


@pytest.mark.parametrize(
    ("peer", "headers", "why"),
    [
        # DNS rebinding: a page of another site whose name now resolves to 127.0.0.1.
        (
            "127.0.0.1",
            [("Host", "evil.example:8501"), ("Origin", "http://evil.example:8501")],
            "opened as evil.example",
        ),
        ("127.0.0.1", [("Host", "localhost.:8501"), ("Origin", "http://localhost.:8501")], "opened as localhost."),
        ("127.0.0.1", [("Host", "0.0.0.0:8501"), ("Origin", "http://0.0.0.0:8501")], "opened as 0.0.0.0"),
        ("127.0.0.1", [("Host", "127.1:8501"), ("Origin", "http://127.1:8501")], "opened as 127.1"),
        ("127.0.0.1", [("Host", "user@localhost:8501"), ("Origin", "http://localhost:8501")], "opened as user@"),
        # A page on another port of this machine, or a browser behind a relay on another port.
        (
            "127.0.0.1",
            [("Host", "localhost:8501"), ("Origin", "http://localhost:9999")],
            "a page at http://localhost:9999",
        ),
        ("127.0.0.1", [("Host", "localhost:9999"), ("Origin", "http://localhost:9999")], "opened as localhost:9999"),
        ("127.0.0.1", [("Host", "localhost"), ("Origin", "http://localhost")], "opened as localhost, not"),
        ("127.0.0.1", [("Host", "localhost:8501"), ("Origin", "http://evil.example:8501")], "a page at http://evil"),
        ("127.0.0.1", [("Host", "localhost:8501"), ("Origin", "null")], "a page at null"),
        ("127.0.0.1", [("Host", "localhost:8501"), ("Origin", "file://localhost:8501")], "a page at file://"),
        # Not from a page, or from several at once.
        ("127.0.0.1", [("Host", "localhost:8501")], "no Origin header"),
        ("127.0.0.1", [("Origin", "http://localhost:8501")], "0 Host headers"),
        ("127.0.0.1", [*HERE, ("Host", "evil.example:8501")], "2 Host headers"),
        ("127.0.0.1", [*HERE, ("Origin", "http://evil.example")], "several Origin headers"),
        # Another machine, or none known.
        ("192.0.2.7", HERE, "from another machine"),
        ("::ffff:192.0.2.7", HERE, "from another machine"),
        (None, HERE, "from another machine"),
        ("not an address", HERE, "from another machine"),
        # A proxy, whichever header it adds.
        ("127.0.0.1", [*HERE, ("X-Forwarded-For", "192.0.2.7")], "through a proxy (it carries x-forwarded-for)"),
        ("127.0.0.1", [*HERE, ("X-Forwarded-Proto", "https")], "x-forwarded-proto"),
        ("127.0.0.1", [*HERE, ("Via", "1.1 relay")], "carries via"),
        ("127.0.0.1", [*HERE, ("Forwarded", "for=192.0.2.7")], "carries forwarded"),
        ("127.0.0.1", [*HERE, ("True-Client-IP", "192.0.2.7")], "true-client-ip"),
        ("127.0.0.1", [*HERE, ("CF-Connecting-IP", "192.0.2.7")], "cf-connecting-ip"),
        ("127.0.0.1", [*HERE, ("X-Real-IP", "192.0.2.7")], "x-real-ip"),
    ],
)
def test_anything_else_is_read_only_and_told_why(peer: str | None, headers, why: str) -> None:
    said = refusal(conn(headers, peer))
    assert said is not None and why in said


def test_a_hostile_header_is_quoted_printable_and_short() -> None:
    said = refusal(conn([("Host", "evil\x1b[31m.example:8501" + "x" * 200), ("Origin", "http://localhost:8501")]))
    assert said is not None and "\x1b" not in said and len(said) < 140
