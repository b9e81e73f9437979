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
import contextlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
from playwright.async_api import Browser, async_playwright

ROOT = Path(__file__).resolve().parent.parent
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


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@contextlib.contextmanager
def server(data: Path) -> Iterator[tuple[str, psutil.Process]]:
    port = free_port()
    env = {**os.environ, "PANJSHIR_DATA": str(data), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port)]
    command += ["--server.headless", "true", "--server.fileWatcherType", "none"]
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the app did not start:\n{(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield url, psutil.Process(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def tree(proc: psutil.Process) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        return [proc, *proc.children(recursive=True)]
    return [proc]


def rss(proc: psutil.Process) -> int:
    total = 0
    for p in tree(proc):
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def cpu(proc: psutil.Process) -> float:
    total = 0.0
    for p in tree(proc):
        with contextlib.suppress(psutil.Error):
            times = p.cpu_times()
            total += times.user + times.system
    return total


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
    with tempfile.TemporaryDirectory(prefix="panjshir-load-") as tmp, server(Path(tmp)) as (url, proc):
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
