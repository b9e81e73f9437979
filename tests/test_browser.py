"""End to end in a real browser: Debian's Chromium driven by Playwright, against the app on localhost.

These tests fail, never skip, when Chromium is missing: CI installs it (.ci/run), and a run
without it has not tested the app.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Locator, Page, WebSocket, expect, sync_playwright

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "build" / "screenshots"
# Flags for a sandboxed, network-less machine: no first-run, sync or component traffic of its own.
REBOUND = "rebound.example"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A name of another site resolving to this machine, as DNS rebinding makes it (test_local_mode_...).
    f"--host-resolver-rules=MAP {REBOUND} 127.0.0.1",
]
MAP = "iframe[title='streamlit_folium.st_folium']"
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # A store of its own: what these tests ingest must not change the counts other test files see.
    # serve.py's Brotli copies (see test_serve.py): made once per test session, not in ~/.cache.
    with running_app(tmp_path_factory.mktemp("browser-data"), tmp_path_factory.getbasetemp() / "cache") as url:
        yield url


@contextmanager
def running_app(data: Path, cache: Path) -> Iterator[str]:
    """`streamlit run serve.py` on a free port, with `data` as its data folder, until the block ends."""
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "PANJSHIR_DATA": str(data)}
    env["XDG_CACHE_HOME"] = str(cache)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                output = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"the app did not start on {url}:\n{output[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def watched_page(browser: Browser, width: int, height: int) -> Iterator[Page]:
    """A fresh page in a window of that size, noting in `page.outside` every request it makes
    beyond localhost: the tests assert there is none."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.outside = []  # type: ignore[attr-defined]
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else page.outside.append(r.url))  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from watched_page(browser, 1400, 1100)


def open_map(page: Page, url: str) -> Frame:
    """Load the app and return the map's frame once Leaflet has drawn the claim markers."""
    page.goto(url)
    page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=90_000)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    frame.locator(".claim-marker").first.wait_for(timeout=60_000)
    return next(f for f in page.frames if "st_folium" in f.url)


def test_map_renders_offline_with_no_request_outside_localhost(page: Page, server: str) -> None:
    frame = open_map(page, server)
    assert frame.locator(".claim-marker.claim-taliban").count() > 0
    assert frame.locator(".claim-marker.claim-nrf").count() > 0
    frame.wait_for_function("document.querySelectorAll('.leaflet-basemap-pane path').length >= 34 + 39")
    page.wait_for_timeout(1500)
    assert page.outside == [], f"requests left localhost: {page.outside}"  # type: ignore[attr-defined]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "claims-map.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000


# The claim markers a click at their middle would reach (no popup or control over them), by place
# and side, and the open popup's box, in the map's frame.
REACHABLE = """() => [...document.querySelectorAll(".claim-icon")].filter((icon) => {
    const box = icon.getBoundingClientRect(), hit = document.elementFromPoint(
        box.left + box.width / 2, box.top + box.height / 2);
    return hit && icon.contains(hit);
}).map((icon) => icon.querySelector(".claim-marker").className + " " + icon.querySelector(".claim-marker").dataset.place)"""
POPUP_BOX = "(r => [r.width, r.height])(document.querySelector('.leaflet-popup').getBoundingClientRect())"


def test_a_click_opens_a_small_popup_and_the_quotes_beside_the_map(page: Page, server: str) -> None:
    """A marker's popup says the place, its claims by side and its status, nothing more: it is
    small, covers none of the markers in sight (its own and its neighbours'), and the map stays
    still. The quotes, escaped and marked, are in the side panel the click fills, and the panel
    counts as the popup does, word for word."""
    frame = open_map(page, server + "/?center=35.3,69.55&zoom=11")  # a link to the valley, close in
    in_sight = frame.evaluate(REACHABLE)
    centre = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    # The Taliban's "arrival in Bazarak" claims presence, not control: it sits in the neither-side layer.
    frame.locator(".claim-marker.claim-other[data-place='bazarak']").click()
    popup = frame.locator(".leaflet-popup-content")
    place = popup.locator("[data-place='bazarak']")
    expect(place).to_contain_text("Bazarak (town)", timeout=30_000)
    expect(place.locator(".status")).to_have_text(re.compile(r"^Status: "))
    said = place.locator(".counts").inner_text()
    assert re.fullmatch(r"\d+ claims? as of 2021-09-07: .*Neither side \d+.*", said), said
    assert popup.locator("q, blockquote, mark").count() == 0 and "arrival" not in popup.inner_text()
    width, height = frame.evaluate(POPUP_BOX)
    assert width <= 300 and height <= 200, (width, height)  # it was 421 by 588
    assert frame.evaluate(REACHABLE) == in_sight  # no marker hidden, not even its own
    assert frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]") == pytest.approx(centre)
    quote = "They also confirmed the arrival in Bazarak"
    page.locator(".claim-card mark", has_text=quote).wait_for(timeout=60_000)  # the side panel
    assert "place=bazarak" in page.url
    expect(
        page.locator("[data-testid='stMarkdownContainer'] strong", has_text=re.compile("^" + re.escape(said) + "$"))
    ).to_have_count(1)
    assert page.outside == []  # type: ignore[attr-defined]


def test_the_map_opens_on_the_places_with_claims_and_the_panel_says_what_to_do(page: Page, server: str) -> None:
    """A fresh page: every claim marker of the day in the map's view, as close as
    that allows, and the empty panel beside it saying how to fill it."""
    frame = open_map(page, server)
    inside = frame.evaluate(
        """() => { const view = window.map.getBounds(), out = [];
        window.map.eachLayer(l => { if (l.getPopup && l.getPopup() && l.getLatLng) {
            out.push(view.contains(l.getLatLng())); } });
        return out; }"""
    )
    assert len(inside) >= 10 and all(inside), inside
    # One zoom level closer and some would be out: the view is fitted, not just wide.
    closer = frame.evaluate(
        """() => { const m = window.map, size = m.getSize(), z = m.getZoom() + 1, out = [];
        m.eachLayer(l => { if (l.getPopup && l.getPopup() && l.getLatLng) {
            const p = m.project(l.getLatLng(), z).subtract(m.project(m.getCenter(), z));
            out.push(Math.abs(p.x) <= size.x / 2 && Math.abs(p.y) <= size.y / 2); } });
        return out; }"""
    )
    assert not all(closer)
    expect(page.get_by_text("Click a marker or an outline on the map to read its claims here")).to_be_visible()
    assert "center" not in page.url and "zoom" not in page.url
    assert page.outside == []  # type: ignore[attr-defined]


def test_layer_control_hides_a_factions_markers(page: Page, server: str) -> None:
    frame = open_map(page, server)
    assert frame.locator(".claim-marker.claim-taliban").count() > 0
    frame.locator(".leaflet-control-layers").hover()  # folded until the pointer is on it
    frame.get_by_label("Taliban claims").uncheck()
    assert frame.locator(".claim-marker.claim-taliban").count() == 0
    assert frame.locator(".claim-marker.claim-nrf").count() > 0


def test_sidebar_faction_filter_removes_markers(page: Page, server: str) -> None:
    frame = open_map(page, server + "/?factions=nrf,other")
    page.wait_for_timeout(1000)
    assert frame.locator(".claim-marker.claim-taliban").count() == 0
    assert frame.locator(".claim-marker.claim-nrf").count() > 0


HOSTILE = (
    'The Taliban captured Bazarak {{ 7*7 }} <img src=x onerror="window.__xss=1"> on Friday, a Taliban source said. '
    "<script>window.__xss=2</script> Resistance forces repelled an attack on Khawak."
)


def test_article_html_and_script_never_execute(page: Page, server: str) -> None:
    """Ingest an article whose text holds HTML and JavaScript, accept its claims, open them on the
    map and in the side panel: nothing runs, and the markup shows as text."""
    page.goto(server + "/ingest")
    page.locator("textarea").first.wait_for(timeout=90_000)
    page.locator("textarea").first.fill(HOSTILE)
    cards = find_claims(page)
    preview = page.locator(".article-preview")
    assert '<img src=x onerror="window.__xss=1">' in preview.inner_text()
    assert "<script>window.__xss=2</script>" in preview.inner_text()
    assert '<img src=x onerror="window.__xss=1">' in page.locator(".candidate").first.inner_text()
    give_date(page, "20210904")  # the text gives only "on Friday": without a date nothing is saved
    for card in cards.all():
        card.get_by_text("accept", exact=True).click()
    saving(page, f"{cards.count()} accepted").wait_for(timeout=30_000)
    page.get_by_role("button", name="Save to the store").click()
    page.get_by_text("claims on the map").wait_for(timeout=60_000)

    page.goto(server + "/?mode=range&place=bazarak&center=35.3,69.55&zoom=11")
    card = page.locator(".claim-card", has_text="onerror")
    card.wait_for(timeout=90_000)
    assert '<img src=x onerror="window.__xss=1">' in card.inner_text()
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".claim-marker").first.wait_for(timeout=60_000)
    frame.locator(".claim-marker.claim-taliban[data-place='bazarak']").click()  # "The Taliban captured Bazarak"
    frame.locator(".leaflet-popup-content", has_text="Bazarak (town)").wait_for(timeout=30_000)  # no words of it
    shown = page.locator(".claim-card", has_text="onerror").first.inner_text()  # they are beside the map
    assert '<img src=x onerror="window.__xss=1">' in shown and "{{ 7*7 }}" in shown  # text, not markup or a template
    map_frame = next(f for f in page.frames if "st_folium" in f.url)
    assert page.evaluate("window.__xss") is None
    assert map_frame.evaluate("window.__xss") is None
    assert page.outside == []  # type: ignore[attr-defined]


@contextmanager
def relay(port: int) -> Iterator[str]:
    """A plain TCP relay on another loopback port to the app's `port`, as `ssh -L` or socat is: it
    adds no header, so the app sees a connection from 127.0.0.1. Stops when the block ends."""
    ready: list[tuple[asyncio.AbstractEventLoop, asyncio.Event, int]] = []
    up = threading.Event()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        app_reader, app_writer = await asyncio.open_connection("127.0.0.1", port)
        with suppress(asyncio.CancelledError):  # the relay stopping with connections open
            await asyncio.gather(pipe(reader, app_writer), pipe(app_reader, writer))

    async def serve() -> None:
        stop = asyncio.Event()
        async with await asyncio.start_server(handle, "127.0.0.1", 0) as listening:
            ready.append((asyncio.get_running_loop(), stop, listening.sockets[0].getsockname()[1]))
            up.set()
            await stop.wait()

    # Its own thread and loop: Playwright's sync API holds this thread's.
    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    assert up.wait(timeout=10)
    loop, stop, relay_port = ready[0]
    try:
        yield f"http://localhost:{relay_port}"
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)


def test_local_mode_is_for_localhost_on_the_apps_own_port_only(page: Page, server: str) -> None:
    """With no reviewers, a page of another name that resolves to 127.0.0.1 (DNS rebinding) gets no
    session at all (server.allowedHosts), and a browser behind a relay on another port of this
    machine gets the page read-only: its Host and Origin carry the relay's port. Neither can write."""
    port = urllib.parse.urlsplit(server).port
    with relay(port) as relayed:
        page.goto(relayed + "/ingest")
        warning = page.locator("[data-testid=stSidebar] [data-testid=stAlert]", has_text="Editing is off")
        warning.wait_for(state="attached", timeout=90_000)
        assert (
            f"opened as localhost:{urllib.parse.urlsplit(relayed).port}, not as localhost:{port}"
            in warning.inner_text()
        )
        assert page.get_by_text("Read-only: adding articles").is_visible() and page.locator("textarea").count() == 0

    refused: list[str] = []
    frames: list[object] = []

    def watch(ws: WebSocket) -> None:
        ws.on("socketerror", lambda error: refused.append(str(error)))
        ws.on("framereceived", lambda frame: frames.append(frame))

    page.on("websocket", watch)
    page.goto(f"http://{REBOUND}:{port}/ingest")
    deadline = time.monotonic() + 60
    while not refused:
        assert time.monotonic() < deadline, "the rebound page's WebSocket was neither refused nor closed"
        page.wait_for_timeout(100)
    assert "403" in refused[0] and frames == []  # refused at the handshake: no page run, no form
    assert (
        page.locator("textarea").count() == 0
        and page.locator("[data-testid=stSidebar] [data-testid=stAlert]").count() == 0
    )

    page.goto(server + "/ingest")  # the same browser, as http://localhost on the app's port: local mode
    page.get_by_text("Local mode: anyone at this machine can edit").wait_for(state="attached", timeout=90_000)


def test_clicking_a_district_outline_lists_its_claims(page: Page, server: str) -> None:
    """District and province claims are outlines, not pins: a click on one opens its popup and
    lists the district's claims beside the map, as a marker's click does."""
    frame = open_map(page, server)
    # Shutul lies inside Panjshir, whose province outline is drawn too: the district, drawn later,
    # wins. Both sides outline Shutul that day; the one drawn last is on top.
    outline = frame.locator("path.claim-outline.place-shutul-district").last
    outline.click()
    frame.locator(".leaflet-popup-content", has_text="Shutul (district)").wait_for(timeout=30_000)
    page.locator(".claim-card").first.wait_for(timeout=60_000)
    assert "place=shutul-district" in page.url
    assert page.outside == []  # type: ignore[attr-defined]


def watch_runs(page: Page) -> tuple[list[str], list[tuple[int, int]]]:
    """The runs the page asks for, as the frames it sends over the WebSocket (its run requests;
    none are pings, which Streamlit leaves to the server), and each frame it receives as (runs
    asked for by then, bytes)."""
    runs: list[str] = []
    got: list[tuple[int, int]] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framesent", lambda payload: runs.append(str(payload)[:80]))
        ws.on("framereceived", lambda payload: got.append((len(runs), len(payload))))

    page.on("websocket", watch)
    return runs, got


def test_gazetteer_map_shows_places_and_their_sources(page: Page, server: str) -> None:
    runs, _ = watch_runs(page)
    page.goto(server + "/gazetteer")
    page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=90_000)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator("path.place-bazarak").wait_for(timeout=60_000)
    assert frame.locator("path.place").count() > 50
    page.wait_for_timeout(1500)
    assert len(runs) == 1, runs  # this map does not say when it has drawn: no page waits for it
    frame.locator("path.place-bazarak").click(force=True)  # a click at its centre, whatever lies on top
    popup = frame.locator(".leaflet-popup-content", has_text="Bazarak")
    popup.wait_for(timeout=30_000)
    assert "geonames" in popup.inner_text().lower()
    estimate = frame.locator("path.estimate-gulbahar")  # ±5 km: a dashed outline, not a filled disc
    assert estimate.get_attribute("fill") == "none" and estimate.get_attribute("stroke-dasharray") == "4"
    assert page.outside == []  # type: ignore[attr-defined]


def test_a_district_inside_a_claimed_province_takes_the_click(page: Page, server: str) -> None:
    """Dara has no claim of its own but inherits Panjshir's status; the province's claim outline
    covers it. A click inside Dara must open Dara, the most specific place under the pointer."""
    frame = open_map(page, server)
    fill = frame.locator("path.status-shading.place-dara-district")
    fill.click()
    page.wait_for_url("**place=dara-district**", timeout=60_000)
    page.get_by_text("inherited from Panjshir (province)").first.wait_for(timeout=60_000)


@pytest.mark.parametrize("entry", ["app.py", "serve.py"])
def test_the_server_asks_no_outside_service_for_its_address(entry: str) -> None:
    """Streamlit asks an outside service for the machine's external IP at start unless an address
    is configured; offline first means it never does, and it listens on this machine only."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", entry, "--server.port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("URL:" in line for line in lines):
            lines.append(proc.stdout.readline() if proc.stdout else "")
        said = "".join(lines)
        assert f"URL: http://localhost:{port}" in said, said
        assert "External URL" not in said and "Network URL" not in said, said
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_every_click_on_the_map_selects_its_place(page: Page, server: str) -> None:
    """Clicks in a row, on markers and outlines alike: the side panel and the URL follow each
    one. Once, every second click was lost: the map drawn after a selection reported no click.
    The last click goes back to a place after another was chosen in the Place box."""
    map_frame = open_map(page, server)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    # While a rerun replaces the widget, the old and the new box can both be in the page for a moment.
    place_box = page.get_by_role("combobox", name="Place").first
    zoom = (".leaflet-control-zoom-in", None, None)  # twice, until the markers around Bazarak stand apart
    clicks = [
        ("path.status-shading.place-dara-district", "dara-district", "Dara (district)"),
        zoom,
        zoom,
        (".claim-marker.claim-other[data-place='bazarak']", "bazarak", "Bazarak (town)"),
        (".claim-marker.claim-nrf[data-place='darband']", "darband", "Darband (area)"),
        (".claim-marker.claim-nrf[data-place='panjshir-valley']", "panjshir-valley", "Panjshir Valley (valley)"),
        (".claim-marker.claim-other[data-place='bazarak']", "bazarak", "Bazarak (town)"),
        (None, "shutul-district", "Shutul (district)"),  # chosen in the Place box, not on the map
        (".claim-marker.claim-other[data-place='bazarak']", "bazarak", "Bazarak (town)"),
    ]
    for selector, place, label in clicks:
        map_frame.evaluate("window.map.closePopup()")  # an open popup may cover the next marker
        if place is None:
            frame.locator(selector).click()
            page.wait_for_timeout(600)
            continue
        if selector is None:
            place_box.click()
            page.get_by_role("option", name=label, exact=True).click()
        else:
            into_view(map_frame, selector)
            frame.locator(selector).first.click()
        page.wait_for_url(f"**place={place}**", timeout=30_000)
        expect(place_box).to_have_value(label, timeout=30_000)
        expect(page.get_by_text(re.compile(r"claims? as of \S+(: .*)?$"))).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)  # let the run settle, as a reader would before the next click
    assert page.outside == []  # type: ignore[attr-defined]


def into_view(map_frame: Frame, selector: str) -> None:
    """Pan the map, as a reader would drag it, until the first marker or outline `selector` finds
    is inside the map: zoomed in, the places around the valley reach past its edges (Darband's
    marker lies below the bottom one)."""
    map_frame.evaluate(
        """(selector) => {
            const element = document.querySelector(selector), map = window.map;
            const box = map.getContainer().getBoundingClientRect(), at = element.getBoundingClientRect();
            if (at.left >= box.left && at.right <= box.right && at.top >= box.top && at.bottom <= box.bottom) {
                return;
            }
            map.eachLayer((layer) => {
                const drawn = layer.getElement && layer.getElement();
                if (drawn && drawn.contains(element)) {
                    map.panTo(layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter(), {animate: false});
                }
            });
        }""",
        selector,
    )


def map_frame_after_rerun(page: Page) -> Frame:
    """The map's frame once its claims are drawn, and not those marked old (`mark_old`) before a rerun."""
    return drawn_map(page, "true")[0]


def mark_old(frame: Frame) -> None:
    """Marks the claims layers drawn now: a rerun swaps in new ones, in the same mounted map."""
    frame.evaluate("window.claimOverlays.status.__old = true")


def drawn_map(page: Page, expression: str) -> tuple[Frame, object]:
    """A drawn map's frame and `expression` read in it in the same call: while the days play, a
    frame found ready may be replaced before a second call could reach it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "st_folium" not in frame.url or frame.is_detached():
                continue
            try:
                ready, value = frame.evaluate(
                    "[Boolean(window.map && document.querySelector('.claim-marker') && window.claimOverlays)"
                    f" && !window.claimOverlays.status.__old, {expression}]"
                )
            except Exception:  # the frame went away while asked
                continue
            if ready:
                return frame, value
        page.wait_for_timeout(250)
    pytest.fail("no map was drawn after the rerun")


def test_zoom_pan_and_layers_survive_reruns_and_live_in_the_url(page: Page, server: str) -> None:
    """The reader's zoom, pan and layer choices stay when the page reruns (here a new day) and
    the map's claims are redrawn in it, and the URL carries them, so a link opens the same view."""
    map_frame = open_map(page, server)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    for _ in range(2):
        frame.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(600)
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y + 60, steps=8)  # drag the map west and south: its centre moves east, north
    page.mouse.up()
    frame.locator(".leaflet-control-layers").hover()  # folded until the pointer is on it
    frame.get_by_label("Taliban claims").uncheck()
    page.wait_for_url(re.compile(r"zoom=11.*hide=taliban|hide=taliban.*zoom=11"), timeout=30_000)
    centre = map_frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert "center=" in page.url and centre[1] > 69.6

    mark_old(map_frame)
    map_frame.evaluate("window.__mounted = true")
    page.frame_locator(MAP).get_by_role("button", name="◀ Day").click()  # another day: other claims, in the same map
    page.wait_for_url("**date=2021-09-06**", timeout=30_000)
    new = map_frame_after_rerun(page)
    assert new.evaluate("window.__mounted === true"), "the map was mounted anew, not updated"
    # Only this run's layers are held (the claims', and the last one drawing them), not every run's.
    assert new.evaluate("window.feature_group.length === Object.keys(window.claimOverlays).length + 1")
    assert new.evaluate("window.map.getZoom()") == 11
    kept = new.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert kept == pytest.approx(centre, abs=1e-3)
    assert (
        new.locator(".claim-marker.claim-taliban").count() == 0 and new.locator(".claim-marker.claim-nrf").count() > 0
    )
    assert not new.get_by_label("Taliban claims").is_checked()

    page.goto(page.url)  # the link alone gives the same view
    opened = map_frame_after_rerun(page)
    assert opened.evaluate("window.map.getZoom()") == 11
    assert opened.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]") == pytest.approx(
        centre, abs=1e-3
    )
    assert opened.locator(".claim-marker.claim-taliban").count() == 0
    assert page.outside == []  # type: ignore[attr-defined]


TILE_HOSTS = re.compile(r"^https?://([a-z]\.)?tile\.(openstreetmap|opentopomap)\.org/")


def test_only_the_chosen_base_layer_loads_tiles(page: Page, server: str) -> None:
    """With online tiles on, only the base layer chosen in the layer control fetches tiles; "No
    tiles" fetches none. Tile requests are counted, then aborted: the test stays offline."""
    asked: list[str] = []

    def count(route) -> None:
        asked.append(route.request.url)
        route.abort()

    page.route(TILE_HOSTS, count)
    open_map(page, server + "/?tiles=1&base=none")
    page.wait_for_timeout(2000)
    assert asked == [], asked[:3]

    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".leaflet-control-layers").hover()
    frame.get_by_label("OpenStreetMap (online)").check()
    page.wait_for_url(lambda url: "base=none" not in url, timeout=30_000)  # OpenStreetMap, the default
    page.wait_for_timeout(1000)
    assert asked and all("openstreetmap" in url for url in asked), asked[:3]

    asked.clear()
    page.goto(server + "/?tiles=1&base=topo")
    open_map(page, server + "/?tiles=1&base=topo")
    page.wait_for_timeout(2000)
    assert asked and all("opentopomap" in url for url in asked), asked[:3]
    assert [url for url in page.outside if not TILE_HOSTS.match(url)] == []  # type: ignore[attr-defined]


def test_find_a_place_by_any_spelling(page: Page, server: str) -> None:
    """The claims map's search goes through the resolver: a spelling from the reporting finds the
    gazetteer's place, says why it matched, selects it and brings it into view."""
    map_frame = open_map(page, server)
    search = page.get_by_role("textbox", name="Find a place")
    search.fill("Rukha")
    search.press("Enter")
    page.wait_for_url("**place=rokha-district**", timeout=30_000)
    expect(page.get_by_text("Rukha → Rokha (district): listed variant")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("combobox", name="Place")).to_have_value("Rokha (district)")
    map_frame.wait_for_function("window.map.getZoom() >= 11", timeout=30_000)
    lat, lon = map_frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert abs(lat - 35.3) < 0.2 and abs(lon - 69.5) < 0.3  # around Rokha

    search.fill("Pazark")
    search.press("Enter")
    page.wait_for_url("**place=bazarak**", timeout=30_000)
    expect(page.get_by_text("Pazark → Bazarak (town): listed variant")).to_be_visible(timeout=30_000)

    search.fill("Taliban")  # a faction, not a place: said so, and the selection stays
    search.press("Enter")
    expect(page.get_by_text("'Taliban' is not a place")).to_be_visible(timeout=30_000)
    assert "place=bazarak" in page.url
    assert page.outside == []  # type: ignore[attr-defined]


def test_sources_page_reader_and_claim_permalinks(page: Page, server: str) -> None:
    """Every document is listed with its outlet, publication date and the words that date rests
    on; an article reads with each claim marked; a claim's link opens the map at its place and
    day with its card shown."""
    page.goto(server + "/sources")
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=90_000)
    expect(page.get_by_text("5 seed articles", exact=False)).to_be_visible()
    page.get_by_role("combobox", name="Read an article").click()
    page.get_by_role("option", name=re.compile(r"^001_b2ea9295ad45eb18\.txt")).click()
    page.wait_for_url("**doc=001_b2ea9295ad45eb18.txt**", timeout=30_000)
    article = page.locator(".article-reader")
    article.wait_for(timeout=30_000)
    expect(article.locator("mark").first).to_be_visible()
    assert (
        article.locator("a.permalink").count() == 17
    )  # every claim of the article (seed 001 has 17), each with its link
    article.locator("a.permalink", has_text="s001-03").click()
    page.wait_for_url(re.compile(r"/\?.*claim=s001-03"), timeout=60_000)
    card = page.locator(".linked-claim .claim-card")
    card.wait_for(timeout=90_000)
    assert "The last nest of the enemy" in card.inner_text()
    expect(page.get_by_role("combobox", name="Place")).to_have_value("Panjshir (province)")
    assert "date=2021-09-06" in page.url
    assert page.outside == []  # type: ignore[attr-defined]


def test_filter_by_an_article_then_read_a_claim_in_its_article_with_its_quote_marked(page: Page, server: str) -> None:
    """Issue 28, point 1: the sidebar lists each article (its outlet where known, else its first
    line, with its date) and the outlets cited; the map keeps one article's claims, whose cards say
    where they were said; a card's link opens its article with that claim's quote picked out."""
    open_map(page, server + "/?date=2021-09-06&place=panjshir-province")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("checkbox", name="via TOLOnews", exact=True)).to_be_checked()
    tass = sidebar.get_by_role("checkbox", name="TASS, 2021-08-30", exact=True)
    boxes = sidebar.locator("fieldset[data-key=articles]").get_by_role("checkbox")
    labels = sidebar.locator("fieldset[data-key=articles] label")
    # The seeds' four articles of unknown outlet, by their first lines (and any added since).
    assert sum(text.endswith("(outlet unknown)") for text in labels.all_inner_texts()) >= 4
    for box in boxes.all():  # every article but TASS's
        if box.get_attribute("value") != "004_9664b19b629e403e.txt":
            box.click()
    page.wait_for_url("**articles=004_9664b19b629e403e.txt**", timeout=30_000)
    expect(tass).to_be_checked()
    cards = page.locator("[class*='st-key-side-panel'] .claim-card")
    expect(cards).to_have_count(6, timeout=60_000)  # seed 004's six claims about the province
    for text in cards.all_inner_texts():
        assert "TASS, 2021-08-30 · via TASS" in text, text
    card = cards.first
    quote = card.locator("blockquote mark").inner_text()
    card.locator("a.in-article").click()
    page.wait_for_url(re.compile(r"/sources\?doc=004_9664b19b629e403e\.txt&claim=s004-"), timeout=60_000)
    chosen = page.locator(".article-reader mark.chosen")
    expect(chosen).to_have_count(1, timeout=60_000)
    assert quote in chosen.inner_text()  # the claim's words, picked out in the whole article
    expect(page.locator(".chosen-claim mark")).to_have_text(quote)
    assert page.outside == []  # type: ignore[attr-defined]


def test_search_finds_a_place_under_another_spelling_and_links_to_the_map(page: Page, server: str) -> None:
    """Issue 28, point 7: words typed on the Search page list the claims whose quote or place holds
    them (Shutul finds the quotes that say "Shatel") and the articles; a result opens the map at
    its claim, and another its article."""
    page.goto(server + "/search")
    box = page.get_by_role("textbox", name="Words in the quotes and the articles")
    box.fill("Shutul")
    box.press("Enter")
    page.wait_for_url("**q=Shutul**", timeout=30_000)
    found = page.locator("ol.found").first
    found.wait_for(timeout=30_000)
    expect(found.locator("mark", has_text="Shatel").first).to_be_visible()
    found.locator("a", has_text="in its article").first.click()
    page.wait_for_url(re.compile(r"/sources\?doc="), timeout=60_000)
    page.locator(".article-reader").wait_for(timeout=60_000)
    page.go_back()
    page.locator("ol.found").first.locator("a", has_text="on the map").first.click()
    page.wait_for_url(re.compile(r"/\?.*claim=s0"), timeout=60_000)
    page.locator(".linked-claim .claim-card").wait_for(timeout=90_000)
    assert page.outside == []  # type: ignore[attr-defined]


def test_the_view_exports_as_an_offline_map_and_downloads_are_named_for_it(
    page: Page, server: str, browser: Browser, tmp_path: Path
) -> None:
    """ "Download this map" gives one HTML file that draws the same view with no server and no
    network: Leaflet and the boundaries inside it, a caption naming the date, filters and
    sources. Every download is named for the view, not "panjshir-claims.csv"."""
    open_map(page, server + "/?place=bazarak&date=2021-09-06&factions=taliban,nrf&zoom=10")
    # Share (issue 28, point 8): the button copies the view's link, as the address bar holds it.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.get_by_role("button", name="Copy the link to this view").click()
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible(timeout=30_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "place=bazarak" in copied and "date=2021-09-06" in copied
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="Download CSV").click()
    assert got.value.suggested_filename == "panjshir-claims_2021-09-06_taliban-nrf.csv"
    # The status file is made on the click (no page fetches it as it loads): the view's day.
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="Download the status of every place").click()
    assert got.value.suggested_filename == "panjshir-status_2021-09-06_taliban-nrf.csv"
    status = Path(got.value.path()).read_text(encoding="utf-8").splitlines()
    assert status[0] == "place_id,status,inherited,inherited_from,claims,why"
    assert any(line.startswith("bazarak,") for line in status[1:]), status[:5]
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("button", name="Download this map (HTML)").click()
    assert got.value.suggested_filename == "panjshir-map_2021-09-06_taliban-nrf_selected-bazarak.html"
    saved = tmp_path / got.value.suggested_filename
    got.value.save_as(saved)

    offline = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    try:
        reader = offline.new_page()
        asked: list[str] = []
        reader.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else asked.append(r.url))
        reader.goto(saved.as_uri())
        reader.locator(".claim-marker.claim-nrf").first.wait_for(timeout=30_000)
        assert reader.locator(".claim-marker.claim-other").count() == 0  # the view's factions only
        reader.wait_for_function("document.querySelectorAll('.leaflet-basemap-pane path').length >= 34 + 39")
        caption = reader.locator(".map-caption").inner_text()
        assert "as of 2021-09-06" in caption and "Taliban, NRF" in caption and "TASS" in caption
        assert reader.evaluate("Object.values(window).find(v => v instanceof L.Map).getZoom()") == 10
        assert reader.locator(".day-steps").count() == 0  # no server to fetch another day from
        assert asked == [], asked[:3]
    finally:
        offline.close()
    assert page.outside == []  # type: ignore[attr-defined]


def settled(page: Page) -> None:
    """Until the page has had time to ask for any run that follows (the map's report) and none is going."""
    page.wait_for_timeout(2000)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)


def test_the_map_comes_first_and_the_rest_of_the_page_follows_by_itself(page: Page, server: str) -> None:
    """The first run ends after the map; once drawn, the map says so, and that one run (no more)
    brings the chart, the table and the downloads, with the same mounted map and the link as it
    was: the reader does nothing for it."""
    runs, got = watch_runs(page)
    url = server + "/?place=bazarak&date=2021-09-06"
    page.goto(url)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".claim-marker").first.wait_for(timeout=90_000)
    mounted = next(f for f in page.frames if "st_folium" in f.url)
    mounted.evaluate("window.__mounted = true")
    page.get_by_role("heading", name="Claims per day").wait_for(timeout=60_000)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Download CSV").wait_for(timeout=60_000)
    settled(page)
    assert mounted.evaluate("window.__mounted === true") and not mounted.is_detached()
    assert page.get_by_text("follow once the map has drawn").count() == 0
    # The map's report changes no view: nothing is added to the link.
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {
        "place": ["bazarak"],
        "date": ["2021-09-06"],
    }
    assert len(runs) == 2, runs  # the page asked for its first run, then the map for the second
    # That run draws the map as it was, which Streamlit sends as a reference to the first run's
    # (the largest frame, over 50 kB), not again: the table is the largest of the second run.
    biggest = max(size for asked, size in got if asked == 1)
    assert biggest > 50_000 and max(size for asked, size in got if asked == 2) < biggest / 2, sorted(got)[-5:]
    # A day step is one run: the map swaps its claims and has nothing new to say. (Leaflet works
    # out its centre anew once the frame has been resized, a float off the view the app gave; the
    # component took that for a move and asked for a second run.)
    page.frame_locator(MAP).get_by_role("button", name="◀ Day").click()
    page.wait_for_url("**date=2021-09-05**", timeout=30_000)
    settled(page)
    assert len(runs) == 3, runs


# In every frame, the map's among them (it begins as about:blank and keeps its window when its page
# loads, so the script cannot tell it by its address): the report that the map has drawn is
# dropped where the component's library would send it, as if lost on its way.
DROP_DRAWN_REPORT = """
let lib;
Object.defineProperty(window, "Streamlit", {configurable: true, get: () => lib, set: (value) => {
    const send = value.setComponentValue;
    value.setComponentValue = (reported) => {
        if (reported && reported.drawn) { window.__dropped = (window.__dropped || 0) + 1; return; }
        return send(reported);
    };
    lib = value;
}});
"""


def test_the_rest_of_the_page_comes_even_if_the_maps_report_is_lost(page: Page, server: str) -> None:
    """The run after the map is asked for by the map; should that message be lost, the page
    still becomes whole by itself, a few seconds later (`finish_page`)."""
    page.context.add_init_script(DROP_DRAWN_REPORT)
    frame = open_map(page, server + "/?date=2021-09-06")
    start = time.monotonic()
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    waited = time.monotonic() - start
    assert frame.evaluate("window.__dropped") == 1  # the map did report, and nothing reached the page
    assert waited > 1, waited  # the table came by the fallback, not by the map's report
    page.get_by_role("heading", name="Claims per day").wait_for(timeout=10_000)
    assert page.get_by_text("follow once the map has drawn").count() == 0
    assert frame.locator(".claim-marker").count() > 0 and not frame.is_detached()


# In the page: when the link first changes, which the page's run does (Streamlit's history calls).
LINK_CHANGED_AT = """() => {
    window.__linkAt = null;
    for (const name of ["pushState", "replaceState"]) {
        const real = history[name].bind(history);
        history[name] = (...args) => { window.__linkAt = window.__linkAt || Date.now(); return real(...args); };
    }
}"""
# In the map: how many times claims layers are drawn, and when last.
DRAWS = """() => {
    window.__draws = 0;
    let value = window.claimOverlays;
    Object.defineProperty(window, "claimOverlays", {configurable: true, get: () => value, set: (v) => {
        value = v; window.__draws += 1; window.__drawnAt = Date.now();
    }});
}"""


def test_the_maps_own_day_buttons_draw_the_day_at_once_and_the_page_follows(page: Page, server: str) -> None:
    """◀ Day and Day ▶ are the map's: the map draws the day's claims itself (fetched from the
    server, `DaySteps`), before the page's run, which then brings the date, the panel, the table
    and the link up to it and leaves the map's layers as they are: one drawing per step. Steps
    come one after another, by pointer or keyboard; the last day has no Day ▶; a date range has
    no day buttons."""
    runs, _ = watch_runs(page)
    open_map(page, server + "/?date=2021-09-06&place=bazarak")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    settled(page)
    mounted = next(f for f in page.frames if "st_folium" in f.url)
    mounted.evaluate(DRAWS)
    frame = page.frame_locator(MAP)
    label = frame.locator(".day-steps-date")
    expect(label).to_have_text("2021-09-06")
    before = len(runs)
    for day in ("2021-09-05", "2021-09-04", "2021-09-03"):
        page.evaluate(LINK_CHANGED_AT)
        frame.get_by_role("button", name="◀ Day").click()
        page.wait_for_url(f"**date={day}**", timeout=30_000)
        settled(page)
        expect(label).to_have_text(day)
        drawn, linked = mounted.evaluate("window.__drawnAt"), page.evaluate("window.__linkAt")
        assert drawn < linked, (drawn, linked)  # the map had the day before the page's run changed the link
    assert mounted.evaluate("window.__draws") == 3  # one drawing per step: no run drew the map again
    assert len(runs) == before + 3, runs[before:]  # one run per step, the one its report asks for
    assert "place=bazarak" in page.url and not mounted.is_detached()
    expect(page.locator("[data-testid='stSlider']").first).to_contain_text("2021-09-03")
    expect(page.get_by_text(re.compile(r"^\d+ claims? as of 2021-09-03 from"))).to_have_count(1)
    assert mounted.locator(".claim-marker").count() > 0

    frame.get_by_role("button", name="Day ▶").focus()  # by keyboard
    page.keyboard.press("Enter")
    page.wait_for_url("**date=2021-09-04**", timeout=30_000)
    frame.get_by_role("button", name="Day ▶").click()  # and two at once: the map and the page end on the later day
    frame.get_by_role("button", name="Day ▶").click()
    page.wait_for_url("**date=2021-09-06**", timeout=30_000)
    settled(page)
    expect(label).to_have_text("2021-09-06")
    assert mounted.evaluate("window.claimDay.date") == "2021-09-06"
    # Quicker than the page's runs: every step counts, and the map never goes back to a day passed.
    mounted.evaluate(
        """() => { window.__shown = []; const label = document.querySelector(".day-steps-date");
        new MutationObserver(() => window.__shown.push(label.textContent)).observe(label, {childList: true}); }"""
    )
    mounted.evaluate(  # 50 ms apart, as a reader hurrying back; Playwright's own clicks take longer
        """() => { const back = [...document.querySelectorAll(".day-steps-button")][0];
        for (let i = 0; i < 4; i++) { setTimeout(() => back.click(), 50 * i); } }"""
    )
    page.wait_for_url("**date=2021-09-02**", timeout=30_000)
    settled(page)
    shown = mounted.evaluate("window.__shown")
    assert shown == sorted(shown, reverse=True) and shown[-1] == "2021-09-02", shown
    assert mounted.evaluate("window.claimDay.date") == "2021-09-02"

    open_map(page, server + "/?date=2021-09-07")
    expect(page.frame_locator(MAP).get_by_role("button", name="Day ▶")).to_be_disabled()
    open_map(page, server + "/?mode=range")
    expect(page.frame_locator(MAP).locator(".day-steps")).to_be_hidden()
    assert page.outside == []  # type: ignore[attr-defined]


def test_the_sidebar_filters_change_the_map_at_once_and_the_page_follows(page: Page, server: str) -> None:
    """A faction unticked in the sidebar's Factions leaves the map before the page's run: the map
    draws the layers without it (fetched from the server, `views.filters`), then the run brings
    the caption, the table and the link up to it and leaves the map alone (one drawing, one run).
    By keyboard too; two boxes clicked at once both count; an outlet and "match factions by" do
    the same; in a date range, where the map has no day to fetch for, the page's run alone draws
    the change."""
    runs, _ = watch_runs(page)
    open_map(page, server + "/?date=2021-09-06&place=bazarak")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    folded = """() => [...document.querySelectorAll("*")].find((e) => e.shadowRoot
        && e.shadowRoot.querySelector(".filters")).shadowRoot.querySelector(".filters").inert"""
    page.wait_for_function(folded, timeout=30_000)  # folded away, no tab stops to tick unseen
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(f"() => !({folded})()", timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    taliban, nrf = (sidebar.get_by_role("checkbox", name=n, exact=True) for n in ("Taliban", "NRF"))
    expect(taliban).to_be_checked()
    settled(page)
    mounted = next(f for f in page.frames if "st_folium" in f.url)
    assert mounted.locator(".claim-marker.claim-taliban").count() > 0
    caption = page.get_by_text(re.compile(r"^\d+ claims? as of 2021-09-06 from"))
    everything = int(caption.inner_text().split()[0])
    mounted.evaluate(DRAWS)
    page.evaluate(LINK_CHANGED_AT)
    before = len(runs)
    taliban.click()
    page.wait_for_url("**factions=nrf%2Cother**", timeout=30_000)
    settled(page)
    drawn, linked = mounted.evaluate("window.__drawnAt"), page.evaluate("window.__linkAt")
    assert drawn < linked, (drawn, linked)  # the map had the change before the page's run changed the link
    assert mounted.evaluate("window.__draws") == 1 and len(runs) == before + 1, runs[before:]
    assert mounted.locator(".claim-marker.claim-taliban").count() == 0 and not mounted.is_detached()
    assert mounted.locator(".claim-marker.claim-nrf").count() > 0
    assert int(caption.inner_text().split()[0]) < everything and "place=bazarak" in page.url
    expect(taliban).not_to_be_checked()

    nrf.focus()  # by keyboard
    page.keyboard.press("Space")
    page.wait_for_url("**factions=other**", timeout=30_000)
    settled(page)
    assert mounted.locator(".claim-marker.claim-nrf").count() == 0
    taliban.click()  # and two at once: both count, in the map and in the page
    nrf.click()
    page.wait_for_url(lambda url: "factions=" not in url, timeout=30_000)
    settled(page)
    expect(taliban).to_be_checked()
    expect(nrf).to_be_checked()
    assert mounted.locator(".claim-marker.claim-taliban").count() > 0
    assert mounted.locator(".claim-marker.claim-nrf").count() > 0
    assert int(caption.inner_text().split()[0]) == everything

    for box, link in ((sidebar.locator("fieldset[data-key=outlets]").get_by_role("checkbox", name="TASS", exact=True), "outlets=unknown"),
                      (sidebar.get_by_role("radio", name="claimant", exact=True), "by=claimant")):  # fmt: skip
        shown = mounted.locator(".claim-marker").count()
        mounted.evaluate(DRAWS)
        page.evaluate(LINK_CHANGED_AT)
        before = len(runs)
        box.click()
        page.wait_for_url(f"**{link}**", timeout=30_000)
        settled(page)
        drawn, linked = mounted.evaluate("window.__drawnAt"), page.evaluate("window.__linkAt")
        assert drawn < linked and mounted.evaluate("window.__draws") == 1, (link, drawn, linked)
        assert len(runs) == before + 1, (link, runs[before:])
        assert int(caption.inner_text().split()[0]) < everything or link == "by=claimant"
        if link == "outlets=unknown":
            assert mounted.locator(".claim-marker").count() < shown

    open_map(page, server + "/?mode=range")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    if page.get_by_test_id("stExpandSidebarButton").is_visible():  # the page may keep it open
        page.get_by_test_id("stExpandSidebarButton").click()
    taliban.click()
    page.wait_for_url("**factions=nrf%2Cother**", timeout=30_000)
    settled(page)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    assert frame.locator(".claim-marker.claim-taliban").count() == 0
    assert frame.locator(".claim-marker.claim-nrf").count() > 0
    assert page.outside == []  # type: ignore[attr-defined]


# In the page: the filters' inputs (in the widget's shadow root, views/filters.py) clicked `ms` apart.
CLICK_FILTERS = """([values, ms]) => {
    const host = [...document.querySelectorAll("*")].find((e) => e.shadowRoot && e.shadowRoot.querySelector(".filters"));
    const inputs = [...host.shadowRoot.querySelectorAll("input")];
    values.forEach((v, i) => setTimeout(() => inputs.find((input) => input.value === v).click(), ms * i));
}"""
# In the map: each frame's markers of each faction, kept when they change.
COUNT_MARKERS = """() => {
    window.__seen = [];
    const count = () => ["taliban", "nrf", "other"].map((f) => document.querySelectorAll(".claim-marker.claim-" + f).length);
    const look = () => {
        const now = count().join("/");
        if (window.__seen[window.__seen.length - 1] !== now) { window.__seen.push(now); }
        requestAnimationFrame(look);
    };
    look();
}"""


def test_changes_quicker_than_the_page_never_bring_back_what_was_left(page: Page, server: str) -> None:
    """Filters changed, and days stepped, quicker than the page's runs (a fresh-eyes check
    unticked three factions 30-80 ms apart): each run comes late with an earlier choice, and the
    map must not show it; a day stepped and a faction unticked at once both hold."""
    open_map(page, server + "/?date=2021-09-06")
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    page.get_by_test_id("stExpandSidebarButton").click()
    settled(page)
    mounted = next(f for f in page.frames if "st_folium" in f.url)
    mounted.evaluate(COUNT_MARKERS)
    page.evaluate(CLICK_FILTERS, [["taliban", "nrf", "other"], 50])
    # The link keeps the view too (the sidebar's opening resized the map, which reported it).
    page.wait_for_url(
        lambda url: urllib.parse.parse_qs(url.split("?", 1)[-1], keep_blank_values=True).get("factions") == [""],
        timeout=30_000,
    )
    settled(page)
    seen = [tuple(int(n) for n in c.split("/")) for c in mounted.evaluate("window.__seen")]
    assert seen[-1] == (0, 0, 0), seen
    for before, after in itertools.pairwise(seen):  # markers only ever leave
        assert all(b >= a for b, a in zip(before, after, strict=True)), seen

    page.evaluate(CLICK_FILTERS, [["taliban", "nrf", "other"], 50])  # all back
    page.wait_for_url(lambda url: "factions=" not in url, timeout=30_000)
    settled(page)
    mounted.evaluate(COUNT_MARKERS)
    page.frame_locator(MAP).get_by_role("button", name="◀ Day").click()
    page.wait_for_timeout(50)
    page.evaluate(CLICK_FILTERS, [["taliban"], 0])
    page.wait_for_url(lambda url: "date=2021-09-05" in url and "factions=nrf%2Cother" in url, timeout=30_000)
    settled(page)
    seen = [tuple(int(n) for n in c.split("/")) for c in mounted.evaluate("window.__seen")]
    gone = next(i for i, c in enumerate(seen) if c[0] == 0)
    assert all(c[0] == 0 for c in seen[gone:]), seen  # once gone, the Taliban's markers stay gone
    expect(page.frame_locator(MAP).locator(".day-steps-date")).to_have_text("2021-09-05")
    assert mounted.evaluate("window.claimDay.date") == "2021-09-05" and not mounted.is_detached()


def test_the_map_leads_the_page_and_a_busy_place_scrolls_in_its_panel(page: Page, server: str) -> None:
    """At 1400 px the map takes at least 70% of the window's width (the sidebar of filters folded
    at first), its layer control folded away; the side panel of a busy place scrolls within a
    fixed height, so the chart and the table stay just below; quotes wrap within the panel, at
    a readable width."""
    open_map(page, server + "/?mode=range&place=panjshir-province")
    page.locator(".claim-card").first.wait_for(timeout=60_000)
    window = page.viewport_size
    shown = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    assert window and shown and shown["width"] >= 0.7 * window["width"], (shown, window)
    assert page.locator("[data-testid='stSidebar']").get_attribute("data-collapsed") == "true"
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    assert frame.locator(".leaflet-control-layers-expanded").count() == 0
    panel = page.locator(".st-key-side-panel").first
    assert panel.evaluate("e => e.scrollHeight > e.clientHeight + 100")  # the busy place's claims scroll
    chart = page.get_by_role("heading", name="Claims per day").bounding_box()
    assert chart and chart["y"] < shown["y"] + shown["height"] + 400, chart
    for quote in page.locator(".claim-card blockquote").all()[:5]:
        assert quote.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # no line runs out of the card
        width = quote.bounding_box()
        assert width and 200 <= width["width"] <= 700, width  # 35 to 90 characters a line
    assert page.outside == []  # type: ignore[attr-defined]


def test_play_steps_through_the_days_and_keeps_the_zoom(page: Page, server: str) -> None:
    """Play moves the date a day at a time by itself, each day's map at the reader's zoom; Pause
    stops it where it is."""
    map_frame = open_map(page, server + "/?date=2021-09-01&zoom=11")
    assert map_frame.evaluate("window.map.getZoom()") == 11
    page.get_by_text("Play the days").click()
    page.wait_for_url("**date=2021-09-02**", timeout=30_000)
    page.wait_for_url("**date=2021-09-03**", timeout=30_000)
    assert drawn_map(page, "window.map && window.map.getZoom()")[1] == 11
    page.get_by_text("Play the days").click()  # pause
    page.wait_for_timeout(500)
    paused = page.url
    page.wait_for_timeout(4000)
    assert page.url == paused
    assert page.outside == []  # type: ignore[attr-defined]


#: The issue's example: a dateline naming Kabul and Reuters, a claim of each side, and the resistance
#: speaking in the text's own words.
WIRE = (
    "KABUL, Sept 5 (Reuters) - Taliban forces captured the district centre of Rokha on Sunday, a spokesman "
    "said, but resistance fighters said they still held the Dara district and had repelled an attack near Khinj."
)


def candidate_cards(page: Page) -> Locator:
    """The Add-article page's cards of the new article, in order."""
    return page.locator("div[class*='st-key-new-'][class*='-card-']")


def find_claims(page: Page) -> Locator:
    """Click Find and wait for every card: the line under the last one says what saving stores."""
    page.get_by_role("button", name="Find places and claims").click()
    saving(page).wait_for(timeout=60_000)
    return candidate_cards(page)


def saving(page: Page, says: str = "") -> Locator:
    """The line under the new article's cards that says what saving stores (the queue has its own)."""
    return page.get_by_role("tabpanel", name="New article").get_by_text(f"Saving stores {says}".strip())


def give_date(page: Page, digits: str) -> None:
    """Type the publication date, segment by segment as the field takes it, and leave the field."""
    page.get_by_label("Published", exact=True).locator("[role=spinbutton]").first.click()
    page.keyboard.type(digits)
    page.get_by_text("Agency", exact=True).click()  # leave the field, so Streamlit takes its value
    page.get_by_text("Give the publication date").wait_for(state="detached", timeout=30_000)


def decision(card: Locator) -> str:
    return card.locator("label[data-testid=stRadioOption]:has(input:checked)").inner_text().strip()


def press(page: Page, card: Locator, key: str, times: int = 1) -> None:
    """Change a card's decision by keyboard: focus its chosen option, press the arrow keys."""
    card.locator("input[type=radio]:checked").focus()
    for _ in range(times):
        page.keyboard.press(key)


def test_a_reviewer_decides_each_claim_before_anything_is_saved(page: Page, server: str) -> None:
    """The issue's path through Add article: the dateline's place is no claim and its agency is read
    for confirmation; the resistance's words are credited to it; nothing is accepted or saved
    without the reviewer; accepting the confident ones says how many; decisions by keyboard; a
    rejection outlives ingesting the article again; a save can be undone, and only that save."""
    page.goto(server + "/ingest")
    page.locator("textarea").first.wait_for(timeout=90_000)
    page.locator("textarea").first.fill(WIRE)
    cards = find_claims(page)
    assert page.get_by_label("Outlet", exact=True).input_value() == "Reuters"
    assert page.get_by_label("Agency", exact=True).input_value() == "Reuters"
    places = [c.locator(".meta b.place").inner_text() for c in cards.all()]
    assert places and not any(p.startswith("Kabul") for p in places), places
    assert "Rokha, Panjshir (district)" in places  # by name with its parents, not an id
    resistance = [c for c in cards.all() if "about National Resistance Front" in c.locator(".meta").inner_text()]
    assert resistance
    for card in resistance:
        claimant = card.locator(".claimant")
        assert (claimant.get_attribute("data-side"), claimant.inner_text()) == ("nrf", "resistance fighters")
    assert {decision(c) for c in cards.all()} == {"undecided"}
    quote = cards.first.locator(".quote").inner_text()
    assert quote in WIRE and len(quote) < len(WIRE)  # the clause, the sentence around it as context
    for mark in ("place", "cue"):
        assert cards.first.locator(f"mark.{mark}").count() == 1
    # Accepting the confident ones is one button that names how many (tests/test_review_queue.py
    # clicks it on candidates stored above 0.9).
    confident = sum(float(c.locator(".confidence").inner_text()) > 0.9 for c in cards.all())
    accept = page.get_by_role("button", name=re.compile(r"^Accept the \d+ candidates? above 0\.9$"))
    assert accept.inner_text() == f"Accept the {confident} candidate{'s' if confident != 1 else ''} above 0.9"
    assert accept.is_disabled() == (confident == 0)

    # Saved before anyone decides: stored for the record, nothing on the map.
    give_date(page, "20210905")
    n = cards.count()
    page.get_by_role("button", name="Save to the store").click()
    page.get_by_text(f"0 claims on the map, 0 rejected, {n} waiting for review").wait_for(timeout=60_000)

    # Found again: still undecided. Reject the first by keyboard, accept the second, save.
    find_claims(page)
    assert {decision(c) for c in cards.all()} == {"undecided"}
    press(page, cards.nth(0), "ArrowRight", 2)
    saving(page, "0 accepted (on the map) and 1 rejected").wait_for(timeout=30_000)
    press(page, cards.nth(1), "ArrowRight")
    saving(page, "1 accepted (on the map) and 1 rejected").wait_for(timeout=30_000)
    page.get_by_role("button", name="Save to the store").click()
    page.get_by_text(f"1 claims on the map, 1 rejected, {n - 2} waiting for review").wait_for(timeout=60_000)

    # Ingested again, the rejection stands and the accepted claim shows as on the map; accept one more.
    find_claims(page)
    assert [decision(c) for c in cards.all()][:2] == ["reject", "accept"]
    assert "rejected by" in cards.nth(0).inner_text() and "on the map" in cards.nth(1).inner_text()
    cards.nth(2).get_by_text("accept", exact=True).click()
    saving(page, "2 accepted").wait_for(timeout=30_000)
    page.get_by_role("button", name="Save to the store").click()
    page.get_by_text("2 claims on the map, 1 rejected").wait_for(timeout=60_000)
    # Undone, that save's claim leaves the map and waits for review again; the earlier decisions stay.
    page.get_by_role("button", name="Undo this save").click()
    page.get_by_text("Undone: 1 claims taken off the map").wait_for(timeout=60_000)
    find_claims(page)
    assert [decision(c) for c in cards.all()][:3] == ["reject", "accept", "undecided"]

    assert page.outside == []  # type: ignore[attr-defined]
