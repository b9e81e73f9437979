"""The app served with its frontend compressed: `streamlit run serve.py` (same options as app.py).

Streamlit (1.67, on Starlette) sends its own frontend files, /static/..., uncompressed on purpose:
gzipping at the origin costs CPU on every request, and Streamlit expects a reverse proxy or CDN in
front of it to compress them (`streamlit/web/server/starlette/starlette_gzip_middleware.py`). This
app usually runs on localhost with no proxy, and those files were 5.2 of the 6.1 MB a reader's
browser fetched for the claims map (bench/browser.py). `st.App` takes middleware; this one
compresses each of those files once per server process and keeps the result, so a request costs
no more CPU than Streamlit's own uncompressed answer: gzip at once, and Brotli at its best
setting (about a sixth smaller again) made in the background and kept on disk, as it takes a
second or two a file. It also gives the map component's content-hashed script a lifetime, which
Streamlit does not: the browser fetched it again for every new map. bench/README.md has the
figures. And it adds the route the map's own day buttons fetch a day's layers from
(views/layers.py). `streamlit run app.py` still works, uncompressed, its day steps a page run each.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import os
import queue
import re
import tempfile
import threading
from collections.abc import MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import brotli
import streamlit as st
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route, request_response
from starlette.types import ASGIApp, Receive, Scope, Send
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

from geo.web.viewlayers import ROUTE
from views.layers import map_layers
from views.sessions import SessionCap

Message = MutableMapping[str, Any]
Headers = list[tuple[bytes, bytes]]
#: Streamlit's frontend files, and a component's build files named by their content's hash
#: (streamlit-folium's main.521860b0.js): both never change under their name. Streamlit sends
#: the component's with no lifetime, so a browser fetched its 225 kB again for every new map.
IMMUTABLE = re.compile(r"/static/|/component/[^/]+/static/.+\.[0-9a-f]{8,}\.(js|css)$")
YEAR = b"public, immutable, max-age=31536000"
#: Bytes of compressed files kept at most. The files a page uses are about 1.5 MB gzipped; the
#: bound is for paths a client makes up, which Streamlit answers with its page (see `_page`).
BUDGET = 32_000_000
#: Kept compressed only if this much smaller: fonts and images are compressed already.
WORTH = 0.9
#: Brotli's best setting: 15-20% smaller than gzip's on Streamlit's scripts, 1-2 s for each large one.
BROTLI_QUALITY = 11

log = logging.getLogger(__name__)


@dataclass
class Kept:
    """A file's answer without its encoding: Streamlit's headers less the validators, gzipped
    body, and the Brotli body once made (None until then, or if it would not be smaller)."""

    headers: Headers
    gzipped: bytes
    brotli: bytes | None = None


class BrotliShelf:
    """Brotli copies on disk, one folder per Streamlit version, so that they are made once per
    machine and not per server start. Files are named by a hash of their path (a client's path
    never becomes a file name), written whole or not at all, and read back only if they decode to
    the very bytes Streamlit serves now: a stale or damaged copy is made again, never sent."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _file(self, path: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{hashlib.sha256(path.encode()).hexdigest()}.br"

    def load(self, path: str, body: bytes) -> bytes | None:
        file = self._file(path)
        try:
            packed = file.read_bytes() if file is not None else None
            return packed if packed is not None and brotli.decompress(packed) == body else None
        except (OSError, brotli.error):
            return None

    def save(self, path: str, packed: bytes) -> None:
        file = self._file(path)
        if file is None:
            return
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            handle, part = tempfile.mkstemp(dir=file.parent, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(packed)
                os.replace(part, file)
            except OSError:
                Path(part).unlink(missing_ok=True)
                raise
        except OSError as err:
            log.warning("Brotli copies kept in memory only: cannot write to %s (%s)", self.folder, err)
            self.folder = None


def shelf_folder() -> Path:
    """`$XDG_CACHE_HOME/panjshir-claims/frontend/streamlit-<version>`, by default under ~/.cache."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "panjshir-claims" / "frontend" / f"streamlit-{st.__version__}"


class CompressedFrontend:
    """Answer GET for an `IMMUTABLE` file, for a browser that accepts Brotli or gzip, from memory.

    The first request for a file goes to Streamlit, asked for it uncompressed; a 200 answer is
    gzipped (level 9, in a worker thread) and kept with Streamlit's headers (its content type)
    and a year's lifetime, or remembered as not worth compressing. Its Brotli copy comes from the
    shelf or is made by one background thread, a file at a time, and is sent from then on to
    browsers that accept it. Conditional and range requests go to Streamlit as they are. The
    files never change under their names, so a kept copy never goes stale within one process;
    they are a few megabytes at most.
    """

    def __init__(self, app: ASGIApp, shelf: BrotliShelf | None = None) -> None:
        self.app = app
        self.kept: dict[str, Kept | None] = {}
        self.size = 0
        self.shelf = shelf if shelf is not None else BrotliShelf(shelf_folder())
        self._lock = threading.Condition()
        self._todo: queue.SimpleQueue[tuple[str, bytes]] = queue.SimpleQueue()
        self._pending = 0
        self._worker: threading.Thread | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        codings = self._codings(scope)
        if not codings:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path not in self.kept:
            status, headers, body = await self._fetch(scope, receive)
            if status != 200 or _page(headers):
                await _answer(send, status, headers, body)
                return
            kept = await asyncio.to_thread(self._keep, path, headers, body)
            if kept is None:
                await _answer(send, 200, headers, body)
                return
        else:
            kept = self.kept[path]
        if kept is None:
            await self.app(scope, receive, send)
        elif "br" in codings and kept.brotli is not None:
            await _answer(send, 200, _encoded(kept.headers, b"br", kept.brotli), kept.brotli)
        elif "gzip" in codings:
            await _answer(send, 200, _encoded(kept.headers, b"gzip", kept.gzipped), kept.gzipped)
        else:
            await self.app(scope, receive, send)

    @staticmethod
    def _codings(scope: Scope) -> set[str]:
        """The encodings of ours the request accepts; none if it is not a plain GET of a file."""
        if scope["type"] != "http" or scope["method"] != "GET" or not IMMUTABLE.match(scope["path"]):
            return set()
        headers = dict(scope["headers"])
        if any(name in headers for name in (b"range", b"if-none-match", b"if-modified-since")):
            return set()
        return accepted(headers.get(b"accept-encoding", b"").decode("latin-1")) & {"br", "gzip"}

    def _keep(self, path: str, headers: Headers, body: bytes) -> Kept | None:
        """Gzip the file, find its Brotli copy on the shelf or queue it to be made, and keep both
        if the budget allows; None if it is not worth compressing (remembered if kept).

        The request that found the file is answered from a snapshot: the background thread may
        give the kept copy its Brotli body before that answer goes out, which is gzip all the
        same, as documented (`wait_for_brotli` tells when Brotli is ready)."""
        gzipped = _gzipped(headers, body)
        kept = Kept(_plain(headers), gzipped) if gzipped is not None else None
        if kept is not None:
            kept.brotli = self.shelf.load(path, body)
        with self._lock:
            if path in self.kept:
                return self.kept[path]
            size = len(kept.gzipped) + len(kept.brotli or b"") if kept else 0
            if self.size + size > BUDGET:
                return kept
            self.kept[path] = kept
            self.size += size
            if kept is not None and kept.brotli is None:
                self._pending += 1
                self._todo.put((path, body))
                self._start_worker()
                return replace(kept)
        return kept

    def _start_worker(self) -> None:
        if self._worker is None:
            # A daemon: a server stopping does not wait for the queue; the shelf's files are
            # written whole or not at all, so one cut short is made again next time.
            self._worker = threading.Thread(target=self._make_brotli, name="brotli", daemon=True)
            self._worker.start()

    def _make_brotli(self) -> None:
        while True:
            path, body = self._todo.get()
            try:
                packed = brotli.compress(body, quality=BROTLI_QUALITY)  # releases the GIL
                kept = self.kept.get(path)
                if kept is not None and len(packed) < len(kept.gzipped):
                    self.shelf.save(path, packed)
                    with self._lock:
                        if self.size + len(packed) <= BUDGET:
                            kept.brotli = packed
                            self.size += len(packed)
            finally:
                with self._lock:
                    self._pending -= 1
                    self._lock.notify_all()

    def wait_for_brotli(self, timeout: float) -> bool:
        """Whether every file queued has been given its Brotli copy (or found not worth one)
        within `timeout` seconds: for the tests (the benchmark, in another process, waits for
        the server to go idle instead)."""
        with self._lock:
            return self._lock.wait_for(lambda: self._pending == 0, timeout)

    async def _fetch(self, scope: Scope, receive: Receive) -> tuple[int, Headers, bytes]:
        start: Message = {}
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        plain = [(name, value) for name, value in scope["headers"] if name != b"accept-encoding"]
        await self.app({**scope, "headers": plain}, receive, collect)
        return start["status"], list(start.get("headers", [])), b"".join(chunks)


def accepted(header: str) -> set[str]:
    """The content codings an Accept-Encoding header accepts (RFC 9110 12.5.3): `q=0` refuses."""
    codings = set()
    for part in header.split(","):
        name, *params = (p.strip() for p in part.split(";"))
        refused = any(p.replace(" ", "").lower() in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params)
        if name and not refused:
            codings.add(name.lower())
    return codings


def _page(headers: Headers) -> bool:
    """Whether an answer is Streamlit's page: it answers any unknown path under /static/ with it,
    so a path that is not a file is never kept, and made-up paths cannot fill the memory."""
    return any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)


def _gzipped(headers: Headers, body: bytes) -> bytes | None:
    """The body gzipped, or None when that would not save enough or it is encoded already."""
    if any(name.lower() == b"content-encoding" for name, _ in headers):
        return None
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return packed if len(packed) <= WORTH * len(body) else None


def _plain(headers: Headers) -> Headers:
    # The validators describe the uncompressed body; the files are immutable, so none are needed.
    dropped = {b"content-length", b"etag", b"last-modified", b"accept-ranges", b"cache-control", b"vary"}
    return [(name, value) for name, value in headers if name.lower() not in dropped]


def _encoded(headers: Headers, coding: bytes, body: bytes) -> Headers:
    extra = [(b"content-encoding", coding), (b"vary", b"Accept-Encoding"), (b"cache-control", YEAR)]
    return [*headers, *extra, (b"content-length", b"%d" % len(body))]


async def _answer(send: Send, status: int, headers: Headers, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def widen_deflate_window() -> None:
    """Deflate the WebSocket's frames with zlib's whole 32 kB window instead of 4 kB.

    Streamlit runs uvicorn's websockets-sansio protocol, which fixes the server's window at 12
    bits and zlib's memLevel at 5 (websockets' advice for servers holding many connections). A
    run's deltas are the map's layers and the table's rows, whose popups and records repeat
    further apart than 4 kB: at 100,000 claims the first page's frames took 233 kB on the wire
    with it, 159 kB with this (bench/README.md). The cost is memory, zlib's compressor needing
    4 << windowBits plus 512 << memLevel bytes: 256 kB per open page, against 32 kB; a hundred
    readers at once, 25 MB. The client's window stays at 12 bits: it sends little.

    There is no setting for this, so this replaces the factory where uvicorn's module looks it
    up. If uvicorn moves it, the frames are compressed as Streamlit has them and a warning says
    so (and tests/test_serve.py fails)."""
    try:
        from uvicorn.protocols.websockets import websockets_sansio_impl as sansio
    except ImportError:
        sansio = None
    if not hasattr(sansio, "ServerPerMessageDeflateFactory"):
        log.warning("uvicorn's websockets-sansio deflate factory not found: WebSocket frames keep a 4 kB window")
        return

    def wide(**uvicorns: object) -> ServerPerMessageDeflateFactory:
        # No server_max_window_bits: the server asks for no smaller window, so zlib uses 15 bits.
        return ServerPerMessageDeflateFactory(client_max_window_bits=12, compress_settings={"memLevel": 8})

    sansio.ServerPerMessageDeflateFactory = wide


widen_deflate_window()
# A day's map layers for the map's own day buttons (views/layers.py), gzipped: up to a megabyte of
# popups at 100,000 claims.
layers = Route(ROUTE, GZipMiddleware(request_response(map_layers), compresslevel=5))
# Sessions bounded (views/sessions.py): a cap with a "busy" page, idle sockets closed, memory given back.
app = st.App("app.py", routes=[layers], middleware=[Middleware(SessionCap), Middleware(CompressedFrontend)])
