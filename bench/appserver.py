"""The app as the load benchmarks start it: `streamlit run serve.py`, headless, on a free port of
the benchmark's own range, with its own PANJSHIR_DATA folder; and what a process tree spends.

Shared by bench/load.py (browser sessions) and bench/sessions.py (protocol sessions), so the two
measure the same server started the same way.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {ports.start}-{ports.stop - 1}")


@contextlib.contextmanager
def server(
    data: Path, ports: range, *, host: str, options: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> Iterator[tuple[str, psutil.Process]]:
    """The app at `http://{host}:{port}`, up and healthy, and its process; stopped on leaving.
    `options`: further `streamlit run` flags; `env`: further environment."""
    port = free_port(ports)
    environment = {**os.environ, "PANJSHIR_DATA": str(data), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    environment |= env or {}
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port)]
    command += ["--server.headless", "true", *options]
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{host}:{port}"
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
    """The resident memory of `proc` and its children, in bytes."""
    total = 0
    for p in tree(proc):
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def cpu(proc: psutil.Process) -> float:
    """The CPU seconds (user and system) of `proc` and its children so far."""
    total = 0.0
    for p in tree(proc):
        with contextlib.suppress(psutil.Error):
            times = p.cpu_times()
            total += times.user + times.system
    return total
