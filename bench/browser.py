"""The claims map in a real browser: page load to the first map, reruns, and page weight.

Prints its figures; run `python bench/browser.py` (about a minute), or with `--claims 100000`
for a store of synthetic claims (`bench/synth.py`, filled as `bench/scale.py` does; a few
minutes more). It starts the app with `streamlit run` on a port from 8651-8659 with a data
folder of its own, and drives Debian's Chromium (/usr/bin/chromium) through Playwright, as
tests/test_browser.py does. Figures, each the median of `--rounds` fresh pages (a browser
context each, so nothing is cached in the browser):

- load: navigation start to the first claim marker drawn in the map, and to the chart and the
  table drawn (they come in the run after the map's, see views/claims.py);
- ◀ Day (the map's own button): click to the new day's claims drawn in the map (fetched from
  the server, before the page's run), to a day no earlier round has shown (round n first steps
  back n days, untimed), and to the page's run catching up (the link changed);
- faction: unticking Taliban in the sidebar's Factions to a map without its markers (drawn from
  the server's answer before the page's run, as for a day; views/filters.py), and to the
  page's run (the link); unticking the claim type "captured" likewise (every sidebar filter but
  the tiles goes that way); and unticking NRF in the map's layer control to a map without its
  markers (in the browser);
- pan: the reader drags the map; the map reports its view and the page reruns, without a new map;
- the rounds start once the server is idle after a first page (its caches filled, serve.py's
  Brotli copies made);
- page weight, from Chromium's network events (CDP): per kind of file, the bytes on the wire
  (`encodedDataLength`: compressed bodies and headers) and the bodies decoded; the WebSocket's
  frames as Chromium hands them to the page (decoded). One more fresh page goes through a
  byte-counting proxy, which gives the WebSocket's bytes on the wire (frames as sent, compressed
  when `server.enableWebsocketCompression` is on) and cross-checks the HTTP total.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
MAP = "iframe[title='streamlit_folium.st_folium']"
PORTS = range(8651, 8660)
KINDS = ("Streamlit JS/CSS", "fonts", "map component", "Leaflet", "boundaries", "page, API", "WebSocket")


def free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                found.append(port)
        if len(found) == count:
            return found
    sys.exit(f"fewer than {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


def kind(url: str) -> str:
    path = url.split("://", 1)[-1].split("/", 1)[-1].split("?")[0]
    if path.startswith("static/"):
        return "fonts" if path.endswith((".woff", ".woff2", ".ttf")) else "Streamlit JS/CSS"
    if path.startswith("component/"):
        return "map component"
    if path.startswith("app/static/basemap/"):
        return "boundaries"
    if path.startswith("app/static/"):
        return "Leaflet"
    return "page, API"


class Weight:
    """Bytes per kind from Chromium's network events: on the wire, and decoded."""

    def __init__(self, page: Page) -> None:
        self.urls: dict[str, str] = {}
        self.wire: dict[str, float] = defaultdict(float)
        self.decoded: dict[str, float] = defaultdict(float)
        self.requests = 0
        self.files: dict[str, float] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.send("Network.enable")

    def _data(self, event: dict[str, Any]) -> None:
        self.decoded[kind(self.urls.get(event["requestId"], ""))] += event["dataLength"]

    def _finished(self, event: dict[str, Any]) -> None:
        self.requests += 1
        url = self.urls.get(event["requestId"], "")
        self.wire[kind(url)] += event["encodedDataLength"]
        self.files[url] = self.files.get(url, 0.0) + event["encodedDataLength"]

    def _frame(self, event: dict[str, Any]) -> None:
        frame = event["response"]
        data = frame["payloadData"]
        self.decoded["WebSocket"] += len(base64.b64decode(data)) if frame["opcode"] == 2 else len(data.encode())

    def snapshot(self) -> dict[str, Any]:
        return {
            "wire": dict(self.wire),
            "decoded": dict(self.decoded),
            "requests": self.requests,
            "files": dict(self.files),
        }


class CountingProxy:
    """A TCP proxy on localhost counting the bytes the server sends, per connection kind: the
    WebSocket's bytes on the wire, which Chromium's events give decoded only."""

    def __init__(self, listen: int, target: int) -> None:
        self.listen, self.target = listen, target
        self.sent: dict[str, int] = defaultdict(int)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result()

    async def _start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.listen)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        first = await reader.read(65536)
        label = "WebSocket" if b"Upgrade: websocket" in first or b"upgrade: websocket" in first else "HTTP"
        up_writer.write(first)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, count: bool) -> None:
            try:
                while data := await src.read(65536):
                    if count:
                        self.sent[label] += len(data)
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer, False), pipe(up_reader, writer, True))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)


def map_frame(page: Page) -> Frame:
    """The map's frame once it has drawn its markers, not the one marked old before a rerun."""
    while True:
        for frame in page.frames:
            if "st_folium" in frame.url and not frame.is_detached():
                try:
                    if frame.evaluate(
                        "Boolean(window.map && document.querySelector('.claim-marker') && window.claimOverlays)"
                        " && !window.claimOverlays.status.__old"
                    ):
                        return frame
                except Exception:  # replaced while asked
                    pass
        page.wait_for_timeout(20)


def timed_rerun(
    page: Page, frame: Frame, act: Callable[[], None], clicked_in: Page | Frame | None = None
) -> tuple[float, float, Frame]:
    """The new claims `act` brings, timed in the browser and around it: from the click event in
    the page (or in `clicked_in`, the map's frame for its own buttons) to the first frame painted
    after the map's new claims are in (both clocks are the machine's `Date.now()`), and from
    Playwright's call to the same map seen drawn. The second adds Playwright's own waits before a
    click (the element scrolled to and still) and its polling. The page's link is watched too
    (`window.__links`, for `link_followed`)."""
    frame.evaluate(
        """() => {
            window.claimOverlays.status.__old = true;
            window.__clickAt = null;
            window.__drawnAt = null;
            window.__drawnSeen = false;
            let value = window.claimOverlays;
            Object.defineProperty(window, "claimOverlays", {configurable: true, get: () => value, set: (v) => {
                value = v;
                if (!(window.parent.__clickAt || window.__clickAt) || window.__drawnSeen) { return; }  // before, or after
                window.__drawnSeen = true;
                requestAnimationFrame(() => setTimeout(() => { window.__drawnAt = Date.now(); }));
            }});
        }"""
    )
    where = clicked_in or page
    page.evaluate(
        """() => {
            window.__links = [];
            for (const name of ["pushState", "replaceState"]) {
                const real = history[name].bind(history);
                history[name] = (...args) => { window.__links.push([Date.now(), String(args[2])]); return real(...args); };
            }
        }"""
    )
    where.evaluate(
        "window.__clickAt = null;"
        " document.addEventListener('click', () => { window.__clickAt = Date.now(); }, {capture: true, once: true})"
    )
    start = time.perf_counter()
    act()
    frame = map_frame(page)
    wall = time.perf_counter() - start
    drawn = frame.evaluate(
        "new Promise((done) => { const t = () => window.__drawnAt ? done(window.__drawnAt) : setTimeout(t, 5); t(); })"
    )
    clicked = where.evaluate("window.__clickAt")
    return (drawn - clicked) / 1000, wall, frame


def layer_toggled(page: Page, frame: Frame) -> float:
    """A faction's layer unticked in the map's layer control: from the click to the first frame
    painted without its markers (Leaflet's own work; the run its report causes changes no claims)."""
    page.frame_locator(MAP).locator(".leaflet-control-layers").hover()  # folded until the pointer is on it
    frame.evaluate(
        """() => {
            window.__clickAt = null; window.__toggledAt = null;
            document.addEventListener("click", () => { window.__clickAt = Date.now(); }, {capture: true, once: true});
            window.map.once("overlayremove", () => requestAnimationFrame(() => setTimeout(() => {
                window.__toggledAt = Date.now();
            })));
        }"""
    )
    page.frame_locator(MAP).get_by_label("NRF claims").uncheck()
    frame.wait_for_function("window.__toggledAt !== null", timeout=60_000)
    return (frame.evaluate("window.__toggledAt") - frame.evaluate("window.__clickAt")) / 1000


def link_followed(page: Page, clicked_in: Page | Frame, needle: str) -> float:
    """From the last timed click (in the page, or in the map's frame for its own buttons) to the
    page's run putting `needle` in the link: the page caught up. (A run still finishing from
    before the click may change the link too, without it.)"""
    clicked = clicked_in.evaluate("window.__clickAt")
    found = page.wait_for_function(
        "([after, needle]) => (window.__links.find(([at, url]) => at >= after && url.includes(needle)) || [0])[0]",
        arg=[clicked, needle],
        timeout=60_000,
    )
    return (found.json_value() - clicked) / 1000


def settle(page: Page) -> None:
    """Until the page has no run going."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)


def one_round(page: Page, url: str, before: int, proxy: CountingProxy | None = None) -> dict[str, Any]:
    """One fresh page: its load, then `before` days back untimed and the timed ◀ Day after them,
    to a day no earlier round has shown, whose status the server has not made yet: as for a
    reader who is the first to reach that day since the server started."""
    out: dict[str, Any] = {}
    weight = Weight(page)
    start = time.perf_counter()
    page.goto(url)
    frame = map_frame(page)
    out["load_s"] = time.perf_counter() - start
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=120_000)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=120_000)
    out["whole_s"] = time.perf_counter() - start
    settle(page)
    out["weight"] = weight.snapshot()
    out["sent"] = dict(proxy.sent) if proxy else {}
    back = page.frame_locator(MAP).get_by_role("button", name="◀ Day")  # the map's own (DaySteps)
    for _ in range(before):
        back.click()
        settle(page)
        frame = map_frame(page)
    sent_before = weight.decoded["WebSocket"]

    out["day_s"], out["day_wall_s"], frame = timed_rerun(page, frame, back.click, clicked_in=frame)
    out["day_page_s"] = link_followed(page, frame, "date=" + frame.evaluate("window.claimDay.date"))
    settle(page)
    out["day_ws"] = weight.decoded["WebSocket"] - sent_before

    expand = page.get_by_test_id("stExpandSidebarButton")  # the sidebar starts folded, as the map leads
    if expand.is_visible():
        expand.click()
    taliban = page.get_by_test_id("stSidebar").get_by_role("checkbox", name="Taliban", exact=True)
    taliban.wait_for()
    out["faction_s"], out["faction_wall_s"], frame = timed_rerun(page, frame, taliban.click)
    out["faction_page_s"] = link_followed(page, page, "factions=nrf%2Cother")
    settle(page)
    captured = page.get_by_test_id("stSidebar").get_by_role("checkbox", name="captured", exact=True)
    out["type_s"], _, frame = timed_rerun(page, frame, captured.click)
    settle(page)
    out["toggle_s"] = layer_toggled(page, frame)
    settle(page)

    page.locator(MAP).scroll_into_view_if_needed()
    box = page.locator(MAP).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    start = time.perf_counter()
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 100, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**center=**", timeout=60_000)
    out["pan_s"] = time.perf_counter() - start
    return out


def wait_idle(pid: int, span: float = 2.0, quiet: float = 0.05, limit: float = 600) -> float:
    """Until the server has used under `quiet` of a core for `span` seconds, and how long that
    took: serve.py makes its Brotli copies in the background after the first page (once per
    machine: they are kept in ~/.cache), and a reader who comes later gets them."""
    tick = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    start = time.monotonic()
    while time.monotonic() - start < limit:
        before = cpu()
        time.sleep(span)
        if cpu() - before < quiet * span:
            break
    return time.monotonic() - start


def fill(data: Path, claims: int) -> None:
    """A store of `claims` synthetic claims besides the curated ones, as bench/scale.py builds it."""
    from scale import fill_store

    start = time.perf_counter()
    fill_store(data / "claims.sqlite", claims, max(1, claims // 100))
    print(f"store of {claims:,} synthetic claims filled in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def report(rounds: list[dict[str, Any]], proxied: dict[str, Any], sent: dict[str, int], claims: int) -> None:
    print(f"claims map, {'bundled claims' if not claims else f'{claims:,} synthetic claims'}, "
          f"{len(rounds)} rounds, median (min-max)")  # fmt: skip
    for key, label in (("load_s", "page load to first map"), ("whole_s", "  to the chart and table drawn"),
                       ("day_s", "◀ Day: click to the map redrawn"), ("day_wall_s", "  the same, Playwright's call"),
                       ("day_page_s", "  to the page's run (the link)"),
                       ("faction_s", "faction: click to the map redrawn"),
                       ("faction_wall_s", "  the same, Playwright's call"),
                       ("faction_page_s", "  to the page's run (the link)"),
                       ("type_s", "claim type: click to the map redrawn"),
                       ("toggle_s", "a faction's layer unticked: drawn"), ("pan_s", "pan to the URL updated")):  # fmt: skip
        values = [r[key] for r in rounds]
        print(f"  {label:32s} {statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})")
    print("page weight of the first load (kB), median over the rounds: on the wire (encoded) / decoded")
    totals = {"wire": 0.0, "decoded": 0.0}
    ws_wire = float(sent.get("WebSocket", 0))  # Chromium gives the frames decoded only
    for name in KINDS:
        cells = []
        for side in ("wire", "decoded"):
            value = statistics.median(r["weight"][side].get(name, 0.0) for r in rounds)
            value = ws_wire if (name, side) == ("WebSocket", "wire") else value
            totals[side] += value
            cells.append(value)
        print(f"  {name:18s} {cells[0] / 1e3:8.0f} / {cells[1] / 1e3:8.0f}")
    requests = statistics.median(r["weight"]["requests"] for r in rounds)
    print(
        f"  {'total':18s} {totals['wire'] / 1e3:8.0f} / {totals['decoded'] / 1e3:8.0f}  ({requests:.0f} HTTP requests)"
    )
    http = sum(proxied["wire"].values())
    print(f"  proxy check: server sent {sent.get('HTTP', 0) / 1e3:.0f} kB over HTTP (Chromium: {http / 1e3:.0f} kB), "
          f"{ws_wire / 1e3:.0f} kB over the WebSocket (decoded {proxied['decoded'].get('WebSocket', 0) / 1e3:.0f} kB)")  # fmt: skip
    day = [r["day_ws"] for r in rounds]
    print(f"  ◀ Day's run over the WebSocket, decoded: {statistics.median(day) / 1e3:.0f} kB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--claims", type=int, default=0, help="synthetic claims in the store (0: the bundled ones only)"
    )
    parser.add_argument("--entry", default="serve.py", help="the script to run: serve.py (compressed) or app.py")
    parser.add_argument("--files", type=int, default=0, help="list this many of the largest files fetched")
    args = parser.parse_args()
    port, proxy_port = free_ports(2)
    with tempfile.TemporaryDirectory() as data:
        if args.claims:
            fill(Path(data), args.claims)
        print(f"streamlit run {args.entry}", file=sys.stderr)
        env = {**os.environ, "PANJSHIR_DATA": data, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", args.entry, "--server.port", str(port), "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://localhost:{port}"
        try:
            for _ in range(360):
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])

                def fresh(address: str, before: int, proxy: CountingProxy | None = None) -> dict[str, Any]:
                    page = browser.new_page(viewport={"width": 1400, "height": 1100})
                    try:
                        return one_round(page, address, before, proxy)
                    finally:
                        page.context.close()

                first = browser.new_page(viewport={"width": 1400, "height": 1100})
                # The server's caches filled once, as for every reader after the first, and every
                # file of the whole page fetched once, so that serve.py makes all their Brotli copies
                # before the rounds (on a machine without them, the chart's and the table's scripts
                # went out gzipped in the first rounds: 2.01 MB where the page is 1.84 MB).
                first.goto(url)
                map_frame(first)
                first.locator("[data-testid='stDataFrame']").first.wait_for(timeout=120_000)
                first.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=120_000)
                settle(first)
                first.context.close()
                print(f"server idle {wait_idle(server.pid):.0f} s after the first page", file=sys.stderr)
                rounds = [fresh(url, before) for before in range(args.rounds)]
                proxy = CountingProxy(proxy_port, port)
                proxied = fresh(f"http://localhost:{proxy_port}", args.rounds, proxy)
                proxy.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(rounds, proxied["weight"], proxied["sent"], args.claims)
    if args.files:
        print(f"the {args.files} largest files of the first load, on the wire (kB):")
        files = sorted(proxied["weight"]["files"].items(), key=lambda f: -f[1])
        for url, size in files[: args.files]:
            print(f"  {size / 1e3:7.0f}  {url.split('/', 3)[-1][:100]}")


if __name__ == "__main__":
    main()
