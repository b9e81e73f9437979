"""The server's sessions, bounded: at most `limit` open at once, a page that says "busy" beyond
that, sockets that never ask for a page closed, and memory given back once sessions have gone.
Not a page: serve.py puts `SessionCap` in front of Streamlit.

Streamlit accepts every WebSocket and keeps a session for each, with no upper bound: a thousand
idle sockets took 100 MiB, and that memory stayed with the process after they closed (bench/
sessions.py, `--idle`). Here:

- **A cap.** A WebSocket beyond `limit` open ones is refused at the handshake (403), and a page
  asked for meanwhile is answered with `busy.html` (503, `Retry-After`), which says to try
  again in a minute, instead of a page whose connection would fail. `PANJSHIR_MAX_SESSIONS`
  sets the limit (default `MAX_SESSIONS`).
- **No idle sockets.** Streamlit's frontend asks for its first run as soon as it connects; a socket
  that has sent nothing within `FIRST_MESSAGE_SECONDS` is closed (1008).
- **Memory back.** Once sessions have closed, a full collection and glibc's `malloc_trim` return
  the freed memory to the system (at most every `TRIM_SECONDS`): without them CPython keeps the
  arenas, and `runner.postScriptGC = false` (`.streamlit/config.toml`) leaves the cycles a
  session's runs made to the collector's own schedule.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import gc
import logging
import os
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

Message = MutableMapping[str, Any]
MAX_SESSIONS = 200
FIRST_MESSAGE_SECONDS = 10.0
TRIM_SECONDS = 30.0
RETRY_AFTER = 60
#: Paths that are not a page: Streamlit's own routes, its files, the components', the API.
NOT_PAGES = ("/_stcore/", "/static/", "/component/", "/media/", "/app/static/", "/api/", "/favicon")
BUSY = (Path(__file__).with_name("busy.html")).read_bytes()

log = logging.getLogger(__name__)


def limit_from_env() -> int:
    value = os.environ.get("PANJSHIR_MAX_SESSIONS", "")
    if not value:
        return MAX_SESSIONS
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit < 1:
        log.warning("PANJSHIR_MAX_SESSIONS=%r is not a positive whole number: %d sessions at most", value, MAX_SESSIONS)
        return MAX_SESSIONS
    return limit


class SessionCap:
    """ASGI middleware in front of Streamlit: see the module's docstring."""

    def __init__(self, app: ASGIApp, limit: int | None = None, first_message: float = FIRST_MESSAGE_SECONDS) -> None:
        self.app = app
        self.limit = limit or limit_from_env()
        self.first_message = first_message
        self.open = 0
        self.closed = 0  # since the last trim
        self._trimmer: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"].endswith("/_stcore/stream"):
            await self._session(scope, receive, send)
        elif scope["type"] == "http" and self.open >= self.limit and _page(scope):
            await _busy(send)
        else:
            await self.app(scope, receive, send)

    async def _session(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.open >= self.limit:
            await send({"type": "websocket.close", "code": 1013})  # before accept: answered 403
            return
        if self._trimmer is None:
            self._trimmer = asyncio.get_running_loop().create_task(self._trim())
        self.open += 1
        heard = False
        opened = time.monotonic()

        async def first_message_or_close() -> Message:
            nonlocal heard
            if heard:
                return await receive()
            left = self.first_message - (time.monotonic() - opened)
            try:
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.01))
            except TimeoutError:
                # Nothing asked of the session: closed, and Streamlit told the client has gone.
                with contextlib.suppress(Exception):
                    await send({"type": "websocket.close", "code": 1008})
                return {"type": "websocket.disconnect", "code": 1008}
            heard = message["type"] == "websocket.receive"
            return message

        try:
            await self.app(scope, first_message_or_close, send)
        finally:
            self.open -= 1
            self.closed += 1

    async def _trim(self) -> None:
        """Every `TRIM_SECONDS`, if sessions have closed since: collect and give memory back,
        in a worker thread (the collection holds the interpreter for a few tens of ms)."""
        while True:
            await asyncio.sleep(TRIM_SECONDS)
            if self.closed:
                self.closed = 0
                await asyncio.to_thread(release_memory)


def release_memory() -> None:
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None  # glibc only


_LIBC = _libc()


def _page(scope: Scope) -> bool:
    if scope["method"] != "GET" or scope["path"].startswith(NOT_PAGES):
        return False
    accept = dict(scope["headers"]).get(b"accept", b"")
    return b"text/html" in accept


async def _busy(send: Send) -> None:
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"retry-after", str(RETRY_AFTER).encode()),
        (b"cache-control", b"no-store"),
        (b"content-length", str(len(BUSY)).encode()),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": BUSY})
