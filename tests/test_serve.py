"""serve.py in a real browser: Streamlit's frontend arrives gzipped, and a new map reuses the
component's script. Chromium (Playwright) against `streamlit run serve.py`, as test_browser.py;
the figures these changes buy are bench/browser.py's, not asserted here."""

from __future__ import annotations

import gzip
import urllib.request
from typing import Any

from playwright.sync_api import Page

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


def test_streamlits_frontend_arrives_gzipped_and_decodes_to_the_same_files(page: Page, server: str) -> None:
    seen = responses(page)
    open_map(page, server)
    scripts = [r for r in seen if "/static/js/" in r["url"]]
    assert len(scripts) > 20
    plain = [r["url"] for r in scripts if r["headers"].get("content-encoding") != "gzip"]
    tiny = [r["url"] for r in scripts if int(r["headers"]["content-length"]) < 500]
    assert set(plain) <= set(tiny), set(plain) - set(tiny)  # gzip adds to a file of a few bytes
    biggest = max(scripts, key=lambda r: int(r["headers"]["content-length"]))["url"]
    headers, packed = fetch(biggest, **{"Accept-Encoding": "gzip"})
    as_is_headers, as_is = fetch(biggest)
    assert headers["content-encoding"] == "gzip" and "content-encoding" not in as_is_headers
    assert gzip.decompress(packed) == as_is and len(packed) < len(as_is) / 2
    assert "immutable" in headers["cache-control"]
    # A range asks for bytes of the file as it is: never answered from the gzipped copy.
    ranged, part = fetch(biggest, **{"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert "content-encoding" not in ranged and part == as_is[:100]
    fonts = [r for r in seen if r["url"].endswith(".woff2")]  # compressed already: sent as they are
    assert fonts and all("content-encoding" not in r["headers"] for r in fonts)


def test_a_new_day_updates_the_mounted_map_and_a_new_map_takes_its_script_from_the_cache(
    page: Page, server: str
) -> None:
    """◀ Day swaps the claims in the map already mounted: no frame, page or script is fetched for
    it. A map that is mounted anew (the page opened again) takes the component's script from the
    browser's cache."""
    seen = responses(page)
    frame = open_map(page, server)
    frame.evaluate("window.claimOverlays.status.__old = true; window.__mounted = true")
    del seen[:]
    page.get_by_role("button", name="◀ Day").click()
    frame.wait_for_function(
        "window.claimOverlays && !window.claimOverlays.status.__old && document.querySelector('.claim-marker')",
        timeout=60_000,
    )
    assert frame.evaluate("window.__mounted === true") and not frame.is_detached()
    assert not [r["url"] for r in seen if "/component/" in r["url"]]
    open_map(page, page.url)
    script = [r for r in seen if "/component/" in r["url"] and r["url"].endswith(".js")]
    assert script, "the new map loaded no component script"
    assert all(r["cached"] for r in script), [r["url"] for r in script if not r["cached"]]


def test_paths_that_are_not_files_are_never_kept() -> None:
    """Streamlit answers any path under /static/ with its page; kept, made-up paths would fill
    the server's memory. The app below answers as Streamlit does, with a file or the page."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from serve import CompressedFrontend

    script = b"var answer = 42;\n" * 500

    async def streamlit_like(scope: Any, receive: Any, send: Any) -> None:
        found = scope["path"] == "/static/js/index.js"
        kind = b"application/javascript" if found else b"text/html"
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", kind)]})
        await send({"type": "http.response.body", "body": script if found else b"<html>the page</html>"})

    async def get(app: CompressedFrontend, path: str) -> tuple[dict[bytes, bytes], bytes]:
        sent: list[dict[str, Any]] = []
        scope = {"type": "http", "method": "GET", "path": path, "headers": [(b"accept-encoding", b"gzip")]}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b""}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])

    def run(coroutine: Any) -> Any:  # in a thread of its own: Playwright's loop runs in this one
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coroutine).result()

    app = CompressedFrontend(streamlit_like)
    for n in range(50):
        headers, body = run(get(app, f"/static/js/made-up-{n}.js"))
        assert body == b"<html>the page</html>" and b"content-encoding" not in headers
    assert app.kept == {} and app.size == 0
    for _ in range(2):  # compressed once, then answered from memory
        headers, body = run(get(app, "/static/js/index.js"))
        assert headers[b"content-encoding"] == b"gzip" and gzip.decompress(body) == script
    assert list(app.kept) == ["/static/js/index.js"] and app.size == len(body)
