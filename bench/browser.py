"""The claims map in a real browser: page load to the first map, reruns, and page weight.

Prints its figures; run `python bench/browser.py` (about a minute). It starts the app with
`streamlit run` on a port from 8631-8639 with a data folder of its own, and drives Debian's
Chromium (/usr/bin/chromium) through Playwright, as tests/test_browser.py does. Figures, each
the median of `--rounds` fresh pages:

- load: navigation start to the first claim marker drawn in the map;
- ◀ Day: click to the new day's map drawn (a new map: a rerun and a remount);
- faction: removing Taliban in the sidebar to a map without its markers (likewise);
- pan: the reader drags the map; the map reports its view and the page reruns, without a new map;
- page weight: bytes and requests the browser fetched for the page, HTTP only (the WebSocket
  carries the runs' deltas; the map's script, about 0.6 MB, goes that way).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Frame, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
MAP = "iframe[title='streamlit_folium.st_folium']"


def free_port() -> int:
    for port in range(8631, 8640):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    sys.exit("no free port in 8631-8639")


def map_frame(page: Page, *, not_marked: bool = False) -> Frame:
    """The map's frame once it has drawn its markers (a new frame, with `not_marked`)."""
    while True:
        for frame in page.frames:
            if "st_folium" in frame.url and not frame.is_detached():
                try:
                    if frame.evaluate(
                        "Boolean(window.map && document.querySelector('.claim-marker')) && !window.__old"
                    ):
                        return frame
                except Exception:  # replaced while asked
                    pass
        page.wait_for_timeout(20)


def settle(page: Page) -> None:
    """Until the page has no run going."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)


def one_round(page: Page, url: str) -> dict[str, float]:
    out: dict[str, float] = {}
    fetched: list[int] = []
    page.on("requestfinished", lambda r: fetched.append(r.sizes()["responseBodySize"]))
    start = time.perf_counter()
    page.goto(url)
    frame = map_frame(page)
    out["load_s"] = time.perf_counter() - start
    settle(page)
    out["bytes"], out["requests"] = sum(fetched), len(fetched)

    frame.evaluate("window.__old = true")
    start = time.perf_counter()
    page.get_by_role("button", name="◀ Day").click()
    frame = map_frame(page)
    out["day_s"] = time.perf_counter() - start
    settle(page)

    frame.evaluate("window.__old = true")
    start = time.perf_counter()
    page.locator("[data-testid='stMultiSelect']", has_text="Factions").get_by_role(
        "button", name="Remove"
    ).first.click()
    frame = map_frame(page)
    out["faction_s"] = time.perf_counter() - start
    settle(page)

    page.locator(MAP).scroll_into_view_if_needed()
    box = page.locator(MAP).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    start = time.perf_counter()
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 100, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**center=**", timeout=60_000)
    out["pan_s"] = time.perf_counter() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PANJSHIR_DATA": data, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://localhost:{port}"
        try:
            for _ in range(180):
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
                warm = browser.new_page(viewport={"width": 1400, "height": 1100})
                one_round(warm, url)  # the server's caches filled once, as for every reader after the first
                warm.close()
                rounds = []
                for _ in range(args.rounds):
                    page = browser.new_page(viewport={"width": 1400, "height": 1100})
                    rounds.append(one_round(page, url))
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    med = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(f"claims map, {args.rounds} rounds, median (min-max)")
    for key, label in (("load_s", "page load to first map"), ("day_s", "◀ Day to the new map"),
                       ("faction_s", "faction removed to the new map"), ("pan_s", "pan to the URL updated")):  # fmt: skip
        values = [r[key] for r in rounds]
        print(f"  {label:32s} {med[key]:.2f} s ({min(values):.2f}-{max(values):.2f})")
    print(f"  page weight (HTTP)              {med['bytes'] / 1e6:.2f} MB in {med['requests']:.0f} requests")


if __name__ == "__main__":
    main()
