"""Many readers at once: the app under N browser sessions that arrive together.

    python bench/load.py                   # 1, 5 and 20 sessions (about 2 min)
    python bench/load.py --sessions 1,5,20,50

Starts `streamlit run serve.py` headless on a free port in 8641-8649, with its own PANJSHIR_DATA
folder, and opens one warm-up session (the server's first run reads the data files). Then, for
each N, opens N sessions together in one headless Chromium (/usr/bin/chromium; one context per
session, as N separate readers) and times each from navigation to the claim markers drawn in the
map's iframe. Prints, per N: the median and longest time to the first map, sessions per second
(N over the time until the last map), the server's and the browser's CPU seconds per session (this
script's child processes: Playwright's driver and Chromium), the server's peak RSS
(sampled every 50 ms, the server's process and any children), and how busy the machine's CPUs
were (all processes, the browser's included).

The browser runs on the same machine and takes CPU from the server, as does anything else running:
the server's CPU seconds per session is the figure that depends on neither.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from playwright.async_api import Browser, async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from appserver import cpu, rss, server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PORTS = range(8641, 8650)
MAP = "iframe[title='streamlit_folium.st_folium']"
TIMEOUT_MS = 600_000
COLUMNS = ["sessions", "median to first map", "longest", "sessions/s", "server CPU/session", "browser CPU/session"]
COLUMNS += ["machine busy", "server peak RSS"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class Batch:
    sessions: int
    times: list[float]
    wall: float
    server_cpu: float
    browser_cpu: float
    busy: float
    peak_rss: int

    def row(self) -> str:
        return (
            f"| {self.sessions} | {statistics.median(self.times):.2f} s | {max(self.times):.2f} s "
            f"| {self.sessions / self.wall:.2f} | {self.server_cpu / self.sessions:.2f} s "
            f"| {self.browser_cpu / self.sessions:.2f} s "
            f"| {self.busy:.0%} | {self.peak_rss / 2**20:,.0f} MiB |"
        )


async def first_map(browser: Browser, url: str) -> float:
    """Seconds from navigation to the first claim marker drawn, for one new reader."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1100})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.wait_for_selector(MAP, timeout=TIMEOUT_MS)
        await page.frame_locator(MAP).locator(".claim-marker").first.wait_for(timeout=TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        await context.close()


async def batch(browser: Browser, url: str, proc: psutil.Process, n: int) -> Batch:
    peak = rss(proc)
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss(proc))
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample())
    cpu_before, machine_before, start = cpu(proc), psutil.cpu_times(), time.perf_counter()
    client_before = cpu(psutil.Process()) - cpu_before
    times = await asyncio.gather(*(first_map(browser, url) for _ in range(n)))
    wall, server_cpu = time.perf_counter() - start, cpu(proc) - cpu_before
    browser_cpu = cpu(psutil.Process()) - cpu(proc) - client_before
    machine = psutil.cpu_times()
    idle = (machine.idle + machine.iowait) - (machine_before.idle + machine_before.iowait)
    busy = 1 - idle / (sum(machine) - sum(machine_before))
    done.set()
    await sampler
    return Batch(n, list(times), wall, server_cpu, browser_cpu, busy, peak)


async def run(sessions: list[int]) -> None:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium")
    with (
        tempfile.TemporaryDirectory(prefix="panjshir-load-") as tmp,
        server(Path(tmp), PORTS, host="127.0.0.1", options=("--server.fileWatcherType", "none")) as (url, proc),
    ):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            started = rss(proc)
            warm = await batch(browser, url, proc, 1)
            print(f"server {url}, RSS {started / 2**20:,.0f} MiB at start; first session (cold) {warm.times[0]:.2f} s")
            print(f"\n| {' | '.join(COLUMNS)} |\n|{'---|' * len(COLUMNS)}")
            for n in sessions:
                await asyncio.sleep(2)  # let the last batch's sessions close on the server
                print((await batch(browser, url, proc, n)).row(), flush=True)
            await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", default="1,5,20", help="comma-separated session counts (default: %(default)s)")
    args = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, ", end="")
    print(f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    asyncio.run(run([int(n) for n in args.sessions.split(",")]))


if __name__ == "__main__":
    main()
