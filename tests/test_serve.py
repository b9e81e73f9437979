"""serve.py, in a real browser and alone: Streamlit's frontend arrives compressed (gzip, then
Brotli once made), and a new map reuses the component's script. Chromium (Playwright) against
`streamlit run serve.py`, as test_browser.py; the figures these changes buy are
bench/browser.py's, not asserted here."""

from __future__ import annotations

import asyncio
import gzip
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import brotli
import pytest
from playwright.sync_api import Page

from serve import BrotliShelf, CompressedFrontend, accepted
from tests import test_browser
from tests.test_browser import open_map

# The browser tests' fixtures: the app started with serve.py, Chromium, a fresh context per test.
server, browser, page = test_browser.server, test_browser.browser, test_browser.page


def fetch(url: str, **headers: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def responses(tab: Page) -> list[dict[str, Any]]:
    """Every response the page and its frames get, as Chromium's network events report them."""
    seen: list[dict[str, Any]] = []
    cached: set[str] = set()
    cdp = tab.context.new_cdp_session(tab)
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    cdp.on(
        "Network.responseReceived",
        lambda e: seen.append(
            {
                "url": e["response"]["url"],
                "headers": {k.lower(): v for k, v in e["response"]["headers"].items()},
                "cached": e["response"].get("fromDiskCache") or e["requestId"] in cached,
            }
        ),
    )
    cdp.send("Network.enable")
    return seen


def test_streamlits_frontend_arrives_compressed_and_decodes_to_the_same_files(page: Page, server: str) -> None:
    seen = responses(page)
    open_map(page, server)
    scripts = [r for r in seen if "/static/js/" in r["url"]]
    assert len(scripts) > 20
    plain = [r["url"] for r in scripts if r["headers"].get("content-encoding") not in ("gzip", "br")]
    tiny = [r["url"] for r in scripts if int(r["headers"]["content-length"]) < 500]
    assert set(plain) <= set(tiny), set(plain) - set(tiny)  # gzip adds to a file of a few bytes
    biggest = max(scripts, key=lambda r: int(r["headers"]["content-length"]))["url"]
    headers, packed = fetch(biggest, **{"Accept-Encoding": "gzip"})
    as_is_headers, as_is = fetch(biggest)
    assert headers["content-encoding"] == "gzip" and "content-encoding" not in as_is_headers
    assert gzip.decompress(packed) == as_is and len(packed) < len(as_is) / 2
    assert "immutable" in headers["cache-control"]
    # Brotli for a browser that accepts it, once the server has made it (a second or two a file).
    deadline = time.monotonic() + 120
    while (br := fetch(biggest, **{"Accept-Encoding": "gzip, deflate, br, zstd"}))[0]["content-encoding"] != "br":
        assert time.monotonic() < deadline, "no Brotli copy made within two minutes"
        time.sleep(0.5)
    assert brotli.decompress(br[1]) == as_is and len(br[1]) < 0.95 * len(packed)
    # A range asks for bytes of the file as it is: never answered from a compressed copy.
    ranged, part = fetch(biggest, **{"Accept-Encoding": "gzip, br", "Range": "bytes=0-99"})
    assert "content-encoding" not in ranged and part == as_is[:100]
    fonts = [r for r in seen if r["url"].endswith(".woff2")]  # compressed already: sent as they are
    # The downloads are made when clicked: a page load fetches none of their files.
    assert not [r["url"] for r in seen if urllib.parse.urlsplit(r["url"]).path.startswith("/media/")]
    assert fonts and all("content-encoding" not in r["headers"] for r in fonts)


def test_the_websocket_is_deflated_with_the_whole_window(page: Page, server: str) -> None:
    """The runs' deltas go out deflated, the server's window not held to 4 kB (serve.py's
    `widen_deflate_window`): the handshake as Chromium got it."""
    cdp = page.context.new_cdp_session(page)
    handshakes: list[dict[str, str]] = []
    cdp.on(
        "Network.webSocketHandshakeResponseReceived",
        lambda e: handshakes.append({k.lower(): v for k, v in e["response"]["headers"].items()}),
    )
    cdp.send("Network.enable")
    open_map(page, server)
    (extensions,) = [h.get("sec-websocket-extensions", "") for h in handshakes]
    assert extensions.startswith("permessage-deflate"), handshakes
    assert "server_max_window_bits" not in extensions, extensions  # 15 bits, zlib's largest
    assert "client_max_window_bits=12" in extensions, extensions


def test_a_new_day_updates_the_mounted_map_and_a_new_map_takes_its_script_from_the_cache(
    page: Page, server: str
) -> None:
    """The map's ◀ Day swaps the claims in the map already mounted: it fetches the day's layers
    and no frame, page or script. A map that is mounted anew (the page opened again) takes the
    component's script from the browser's cache."""
    seen = responses(page)
    frame = open_map(page, server)
    frame.evaluate("window.claimOverlays.status.__old = true; window.__mounted = true")
    del seen[:]
    page.frame_locator("iframe[title='streamlit_folium.st_folium']").get_by_role("button", name="◀ Day").click()
    frame.wait_for_function(
        "window.claimOverlays && !window.claimOverlays.status.__old && document.querySelector('.claim-marker')",
        timeout=60_000,
    )
    assert frame.evaluate("window.__mounted === true") and not frame.is_detached()
    assert not [r["url"] for r in seen if "/component/" in r["url"]]
    layers = [r["headers"] for r in seen if "/api/map-layers?" in r["url"]]  # the day, and the one after ahead
    assert layers and all(h["content-encoding"] == "gzip" and h["cache-control"] == "no-store" for h in layers)
    open_map(page, page.url)
    script = [r for r in seen if "/component/" in r["url"] and r["url"].endswith(".js")]
    assert script, "the new map loaded no component script"
    assert all(r["cached"] for r in script), [r["url"] for r in script if not r["cached"]]


def test_the_day_layers_route_answers_the_maps_question_and_refuses_a_made_up_one(page: Page, server: str) -> None:
    """/api/map-layers gives a day's layers for the map's day buttons, labelled with that day;
    a parameter the page would ignore is refused with a 400 that says which and why."""
    open_map(page, server)  # as the buttons ask: from a page that has run
    _, body = fetch(f"{server}/api/map-layers?date=2021-09-05&place=bazarak&hide=status")
    answer = json.loads(body)
    assert answer["date"] == "2021-09-05" and answer["query"] == "place=bazarak&hide=status"  # as the link writes it
    _, body = fetch(f"{server}/api/map-layers?factions=taliban,nrf,other&by=layer&date=2021-09-05")
    assert json.loads(body)["query"] == ""  # the defaults, written as no parameters at all
    assert '"date": "2021-09-05"' in answer["feature_group"] and "place-bazarak" in answer["feature_group"]
    assert "window.layer_control" in answer["layer_control"]
    for query, says in (
        ("date=2031-01-01&factions=foo", ["outside the claims' dates", "unknown 'foo'"]),
        ("date=2021-09-05&mode=range", ["mode must be as_of"]),
        ("place=bazarak", ["Give the day as date=YYYY-MM-DD"]),
        ("date=20210905", ["not a date: '20210905'; write YYYY-MM-DD"]),  # ISO 8601's other forms: refused
        ("date=2021-W36-1", ["not a date: '2021-W36-1'; write YYYY-MM-DD"]),
    ):
        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(f"{server}/api/map-layers?{query}")
        assert refused.value.code == 400
        error = json.loads(refused.value.read())["error"]
        assert all(words in error for words in says), error
    url = f"{server}/api/map-layers?date=2021-09-05"
    head = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(head, timeout=30) as response:
        assert response.status == 200 and response.read() == b""
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):  # it only reads
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(
                urllib.request.Request(url, method=method, data=b"" if method != "OPTIONS" else None)
            )
        assert refused.value.code == 405 and refused.value.headers["Allow"] == "GET, HEAD", method


def test_the_day_layers_route_asked_first_leaves_the_map_working(tmp_path: Path, page: Page) -> None:
    """Asked before any page has run (a tab left open across a restart), the route answers 503:
    answering would import the map component outside a page's run, and Streamlit would then
    never serve its files, leaving every map blank until a restart."""
    with test_browser.running_app(tmp_path / "data", tmp_path / "cache") as url:
        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(f"{url}/api/map-layers?date=2021-09-05")
        assert refused.value.code == 503 and "open the page first" in json.loads(refused.value.read())["error"]
        frame = open_map(page, url)
        assert frame.locator(".claim-marker").count() > 0
        _, body = fetch(f"{url}/api/map-layers?date=2021-09-05")
        assert json.loads(body)["date"] == "2021-09-05"


def test_sessions_are_capped_with_a_busy_page_and_idle_sockets_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sessions at most (PANJSHIR_MAX_SESSIONS): one that asks for its page and one that never
    asks for anything. A third WebSocket is refused and a page asked for meanwhile says the server
    is busy; the idle socket is closed within FIRST_MESSAGE_SECONDS, the working one is not, and a
    page can be had again."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.exceptions import ConnectionClosed, InvalidStatus
    from websockets.sync.client import connect

    from bench.sessions import rerun

    def finished(data: bytes | str) -> bool:
        msg = ForwardMsg()
        msg.ParseFromString(data if isinstance(data, bytes) else data.encode())
        return msg.WhichOneof("type") == "script_finished"

    from views.sessions import FIRST_MESSAGE_SECONDS

    monkeypatch.setenv("PANJSHIR_MAX_SESSIONS", "2")
    with test_browser.running_app(tmp_path / "data", tmp_path / "cache") as url:
        stream = url.replace("http://", "ws://") + "/_stcore/stream"
        opened = time.monotonic()
        with (
            connect(stream, subprotocols=["streamlit"], origin=url, max_size=None, close_timeout=2) as working,
            connect(stream, subprotocols=["streamlit"], origin=url, close_timeout=2) as idle,
        ):
            working.send(rerun())
            while not finished(working.recv(timeout=120)):  # its page's first run, whole
                pass
            with pytest.raises(InvalidStatus) as refused:
                connect(stream, subprotocols=["streamlit"], origin=url, open_timeout=30)
            assert refused.value.response.status_code == 403
            with pytest.raises(urllib.error.HTTPError) as busy:
                fetch(url + "/", Accept="text/html")
            assert busy.value.code == 503 and busy.value.headers["Retry-After"] == "60"
            assert "The claims map is busy" in busy.value.read().decode()
            with pytest.raises(ConnectionClosed):
                while True:
                    idle.recv(timeout=FIRST_MESSAGE_SECONDS + 30)
            assert idle.close_code == 1008 and time.monotonic() - opened >= FIRST_MESSAGE_SECONDS
            working.ping().wait(timeout=30)  # the session that asked for its page stays open
            headers, page = fetch(url + "/", Accept="text/html")
            assert b"<html" in page and "content-type" in headers


SCRIPT = b"var answer = 42;\n" * 500


async def streamlit_like(scope: Any, receive: Any, send: Any) -> None:
    """Answers as Streamlit does: with the file at its one path, and with its page for any other."""
    found = scope["path"] == "/static/js/index.js"
    kind = b"application/javascript" if found else b"text/html"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", kind)]})
    await send({"type": "http.response.body", "body": SCRIPT if found else b"<html>the page</html>"})


def get(app: CompressedFrontend, path: str, accept: bytes) -> tuple[dict[bytes, bytes], bytes]:
    """One GET through the middleware, in a thread of its own: Playwright's loop runs in this one."""
    sent: list[dict[str, Any]] = []
    scope = {"type": "http", "method": "GET", "path": path, "headers": [(b"accept-encoding", accept)]}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_paths_that_are_not_files_are_never_kept(tmp_path: Path) -> None:
    """Streamlit answers any path under /static/ with its page; kept, made-up paths would fill
    the server's memory."""
    app = CompressedFrontend(streamlit_like, BrotliShelf(tmp_path))
    for n in range(50):
        headers, body = get(app, f"/static/js/made-up-{n}.js", b"gzip, br")
        assert body == b"<html>the page</html>" and b"content-encoding" not in headers
    assert app.kept == {} and app.size == 0
    for _ in range(2):  # compressed once, then answered from memory
        headers, body = get(app, "/static/js/index.js", b"gzip")
        assert headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == SCRIPT
    assert app.wait_for_brotli(timeout=60)
    kept = app.kept["/static/js/index.js"]
    assert list(app.kept) == ["/static/js/index.js"] and kept is not None and kept.brotli is not None
    assert app.size == len(body) + len(kept.brotli)


def test_brotli_is_sent_once_made_and_is_made_once_per_machine(tmp_path: Path) -> None:
    """The first answer is gzip (Brotli at its best setting takes a second or two a file); once the
    background thread has made the Brotli copy, browsers that accept it get it, and the next
    server takes it from the shelf at once. A damaged copy on the shelf is never sent."""
    app = CompressedFrontend(streamlit_like, BrotliShelf(tmp_path))
    headers, body = get(app, "/static/js/index.js", b"gzip, deflate, br, zstd")
    assert headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == SCRIPT
    assert app.wait_for_brotli(timeout=60)
    headers, body = get(app, "/static/js/index.js", b"gzip, deflate, br, zstd")
    assert headers[b"content-encoding"] == b"br" and brotli.decompress(body) == SCRIPT
    assert headers[b"vary"] == b"Accept-Encoding" and int(headers[b"content-length"]) == len(body)
    headers, _ = get(app, "/static/js/index.js", b"gzip, br;q=0")  # refused: gzip it is
    assert headers[b"content-encoding"] == b"gzip"
    (copy,) = tmp_path.glob("*.br")
    assert brotli.decompress(copy.read_bytes()) == SCRIPT and not list(tmp_path.glob(".part-*"))

    headers, body = get(CompressedFrontend(streamlit_like, BrotliShelf(tmp_path)), "/static/js/index.js", b"br")
    assert headers[b"content-encoding"] == b"br" and brotli.decompress(body) == SCRIPT

    copy.write_bytes(copy.read_bytes()[:-20])  # cut short, as by a full disk
    again = CompressedFrontend(streamlit_like, BrotliShelf(tmp_path))
    headers, body = get(again, "/static/js/index.js", b"gzip, br")
    assert headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == SCRIPT
    assert again.wait_for_brotli(timeout=60)
    assert brotli.decompress(copy.read_bytes()) == SCRIPT  # made again


def test_an_unwritable_shelf_keeps_brotli_in_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the shelf's folder would be")
    app = CompressedFrontend(streamlit_like, BrotliShelf(blocked / "frontend"))
    get(app, "/static/js/index.js", b"br, gzip")
    assert app.wait_for_brotli(timeout=60)
    headers, body = get(app, "/static/js/index.js", b"br, gzip")
    assert headers[b"content-encoding"] == b"br" and brotli.decompress(body) == SCRIPT
    assert app.shelf.folder is None


def test_accept_encoding_is_read_as_http_says() -> None:
    assert accepted("gzip, deflate, br, zstd") == {"gzip", "deflate", "br", "zstd"}
    assert accepted("br;q=0, GZIP;q=0.5") == {"gzip"}
    assert accepted("gzip; q=0.000") == set() and accepted("") == set()
