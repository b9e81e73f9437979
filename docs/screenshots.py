"""Remake the README's screenshots from the app in Chromium: `python docs/screenshots.py`.

Starts the app with `streamlit run` on a free port with a data folder of its own (the bundled
claims only) and drives Debian's Chromium (/usr/bin/chromium) through Playwright, as the browser
tests do. Writes, in docs/:

- claims-map.png: the claims map with its legend, a place selected and its claims beside it;
- timeline.png: the map played day by day ("Play the days"), one frame per day side by side;
- sources.png: the Sources page, an article read with its claims marked.

Pillow (a dependency of Streamlit) joins the frames and writes each day under its frame.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MAP = "iframe[title='streamlit_folium.st_folium']"
PLAYED = ("2021-09-02", "2021-09-03", "2021-09-04", "2021-09-05", "2021-09-06")
# Zoomed onto the valley, where the days differ.
PLAY_FROM = f"/?date={PLAYED[0]}&zoom=10&center=35.35,69.62"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app() -> Iterator[str]:
    """The app on localhost, on a data folder of its own, until the block ends."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "PANJSHIR_DATA": data}
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://localhost:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        sys.exit(f"the app did not start on {url}")
                    time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def open_map(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(MAP, timeout=90_000)
    frame = page.frame_locator(MAP)
    frame.locator(".claim-marker").first.wait_for(timeout=60_000)
    frame.locator(".leaflet-basemap-pane path").first.wait_for(state="attached", timeout=60_000)
    # The chart and the table come in the run after the map's (views/claims.py, "The map first").
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # the boundaries and the side panel settle


def claims_map(page: Page, url: str) -> None:
    open_map(page, url + "/?date=2021-09-06&place=panjshir-province")
    page.locator(".claim-card").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=DOCS / "claims-map.png")


def timeline(page: Page, url: str) -> None:
    """Press Play and take the map of each day as it comes, then pause."""
    open_map(page, url + PLAY_FROM)
    # The map's place on the page, shot by position: each day's map is a new element.
    box = page.locator(MAP).bounding_box()
    assert box is not None
    frames = [(PLAYED[0], page.screenshot(clip=box))]
    page.get_by_text("Play the days").click()
    for day in PLAYED[1:]:
        page.wait_for_url(f"**date={day}**", timeout=30_000)
        # One map on the page: each new day's claims are swapped into it.
        page.wait_for_function(f"document.querySelectorAll({MAP!r}).length == 1", timeout=30_000)
        page.frame_locator(MAP).locator(".claim-marker").first.wait_for(timeout=30_000)
        page.wait_for_timeout(700)  # the new day's map is drawn
        frames.append((day, page.screenshot(clip=box)))
    page.get_by_text("Play the days").click()
    strip(frames).save(DOCS / "timeline.png", optimize=True)


def strip(frames: list[tuple[str, bytes]], width: int = 480) -> Image.Image:
    """The frames side by side, each cut to the valley's middle and captioned with its day."""
    images = [Image.open(io.BytesIO(png)).convert("RGB") for _, png in frames]
    crops = []
    for image in images:
        left = max((image.width - width) // 2, 0)
        crops.append(image.crop((left, 40, left + width, image.height - 40)))
    caption = 34
    font = ImageFont.load_default(size=22)
    sheet = Image.new("RGB", (sum(c.width for c in crops) + 8 * (len(crops) - 1), crops[0].height + caption), "white")
    x = 0
    for (day, _), crop in zip(frames, crops, strict=True):
        sheet.paste(crop, (x, caption))
        ImageDraw.Draw(sheet).text((x + 8, 5), f"as of {day}", fill="black", font=font)
        x += crop.width + 8
    return sheet


def sources(page: Page, url: str) -> None:
    page.goto(url + "/sources?doc=001_b2ea9295ad45eb18.txt")
    page.locator(".article-reader mark").first.wait_for(timeout=90_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=DOCS / "sources.png")


def main() -> None:
    with app() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        for shot in (claims_map, timeline, sources):
            shot(page, url)
            print(f"{shot.__name__}: done")
        browser.close()


if __name__ == "__main__":
    main()
