"""New sessions at once, at the protocol: what the server spends on each, without a browser.

    python bench/sessions.py                        # 10, 20, 50 and 100 sessions (about 1 min)
    python bench/sessions.py --sessions 100,100     # the same batch twice
    python bench/sessions.py --idle 1000            # 1,000 idle WebSockets: memory held, and given back

Starts `streamlit run serve.py` headless on a free port in 8661-8669 with its own PANJSHIR_DATA
folder (or takes `--url`, which must be a loopback address), opens one warm-up session, then for
each N opens N WebSockets together, each speaking Streamlit's protocol as its frontend does: the
handshake (`streamlit` subprotocol, the page's Origin), then a `rerun_script` for the claims map,
and times it until the server reports the first page run finished (`script_finished`). Prints,
per N: the median and longest time to that, the server's CPU seconds per session and its peak
RSS (sampled every 50 ms). A browser's own work (parsing, drawing, the map's second run) is not
here: bench/load.py and bench/browser.py measure that.

`--idle N` opens N WebSockets that send nothing (as a client that never starts a page would),
holds them for `--hold` seconds, closes them, and prints the server's RSS before, while held and
after the server has let them go.

Bounded: at most 1,000 sessions a batch, each given up after 120 s, loopback addresses only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import platform
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from appserver import cpu, rss, server  # noqa: E402

PORTS = range(8661, 8670)
MAX_SESSIONS = 1000
SESSION_TIMEOUT = 120.0


@dataclass
class Outcome:
    seconds: float | None  # None: refused, closed or timed out
    why: str = ""


def loopback(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"{url}: this load client talks to a loopback address only (localhost, 127.0.0.1, ::1)")
    return url.rstrip("/")


def rerun(query: str = "") -> bytes:
    """The frontend's first message: run the default page (the claims map) for this link."""
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = ""
    msg.rerun_script.context_info.timezone = "UTC"
    msg.rerun_script.context_info.locale = "en-GB"
    return msg.SerializeToString()


async def session(url: str, query: str = "") -> Outcome:
    """One new reader's session: seconds from opening the WebSocket to the first run finished."""
    parts = urllib.parse.urlsplit(url)
    stream = f"ws://{parts.netloc}/_stcore/stream"
    start = time.perf_counter()
    try:
        async with asyncio.timeout(SESSION_TIMEOUT):
            async with websockets.connect(
                stream,
                subprotocols=["streamlit"],
                origin=url,
                max_size=None,
                open_timeout=SESSION_TIMEOUT,
                ping_interval=None,
            ) as ws:
                await ws.send(rerun(query))
                async for data in ws:
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    if msg.WhichOneof("type") == "script_finished":
                        return Outcome(time.perf_counter() - start)
                return Outcome(None, f"closed: {ws.close_code} {ws.close_reason}")
    except TimeoutError:
        return Outcome(None, "timed out")
    except (OSError, websockets.WebSocketException) as err:
        return Outcome(None, f"{type(err).__name__}: {err}")


async def batch(url: str, proc: psutil.Process, n: int) -> str:
    peak = rss(proc)
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss(proc))
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample())
    before, start = cpu(proc), time.perf_counter()
    outcomes = await asyncio.gather(*(session(url) for _ in range(n)))
    wall, spent = time.perf_counter() - start, cpu(proc) - before
    done.set()
    await sampler
    times = [o.seconds for o in outcomes if o.seconds is not None]
    refused = [o.why for o in outcomes if o.seconds is None]
    median = f"{statistics.median(times):.2f} s" if times else "–"
    longest = f"{max(times):.2f} s" if times else "–"
    note = f" ({len(refused)} refused: {refused[0]})" if refused else ""
    return f"| {n} | {median} | {longest} | {wall:.2f} s | {spent / n * 1000:.0f} ms | {peak / 2**20:,.0f} MiB |{note}"


async def idle(url: str, proc: psutil.Process, n: int, hold: float) -> None:
    """N WebSockets that never ask for a run: held, then closed."""
    parts = urllib.parse.urlsplit(url)
    stream = f"ws://{parts.netloc}/_stcore/stream"
    before = rss(proc)
    sockets = []
    refused = 0
    for _ in range(n):
        try:
            sockets.append(await websockets.connect(stream, subprotocols=["streamlit"], origin=url, open_timeout=30))
        except (OSError, websockets.WebSocketException):
            refused += 1
    await asyncio.sleep(hold)
    alive = sum(ws.close_code is None for ws in sockets)
    held = rss(proc)
    for ws in sockets:
        with contextlib.suppress(Exception):
            await ws.close()
    await asyncio.sleep(5)
    print(
        f"idle: {n} opened, {refused} refused, {alive} still open after {hold:.0f} s; server RSS "
        f"{before / 2**20:,.0f} MiB before, {held / 2**20:,.0f} MiB then, {rss(proc) / 2**20:,.0f} MiB 5 s after closing"
    )


async def run(url: str, proc: psutil.Process, sessions: list[int], idle_n: int, hold: float) -> None:
    started = rss(proc)
    warm = await session(url)
    print(f"server {url}, RSS {started / 2**20:,.0f} MiB at start; first session (cold) {warm.seconds or 0:.2f} s")
    print("\n| sessions | median to first run | longest | batch wall | server CPU/session | server peak RSS |")
    print("|---|---|---|---|---|---|")
    for n in sessions:
        await asyncio.sleep(2)
        print(await batch(url, proc, n), flush=True)
    if idle_n:
        await idle(url, proc, idle_n, hold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", default="10,20,50,100", help="comma-separated batch sizes (default: %(default)s)")
    parser.add_argument("--idle", type=int, default=0, help="then open this many idle WebSockets")
    parser.add_argument("--hold", type=float, default=10.0, help="seconds to hold the idle ones open")
    parser.add_argument("--url", help="a running app on a loopback address (default: start one)")
    args = parser.parse_args()
    sessions = [int(n) for n in args.sessions.split(",") if n]
    if any(not 1 <= n <= MAX_SESSIONS for n in [*sessions, args.idle or 1]):
        raise SystemExit(f"batches of 1 to {MAX_SESSIONS} sessions")
    print(f"{platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, ", end="")
    print(f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")
    if args.url:
        url = loopback(args.url)
        pid = next(
            (
                c.pid
                for c in psutil.net_connections("tcp")
                if c.laddr and c.laddr.port == urllib.parse.urlsplit(url).port and c.status == "LISTEN"
            ),
            None,
        )
        if pid is None:
            raise SystemExit(f"nothing of this machine's listens at {url}")
        asyncio.run(run(url, psutil.Process(pid), sessions, args.idle, args.hold))
        return
    with (
        tempfile.TemporaryDirectory(prefix="panjshir-sessions-") as tmp,
        server(Path(tmp), PORTS, host="localhost", env={"XDG_CACHE_HOME": str(Path(tmp) / "cache")}) as (url, proc),
    ):
        asyncio.run(run(url, proc, sessions, args.idle, args.hold))


if __name__ == "__main__":
    main()
