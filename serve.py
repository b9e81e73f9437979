"""The app served with its frontend compressed: `streamlit run serve.py` (same options as app.py).

Streamlit (1.67, on Starlette) sends its own frontend files, /static/..., uncompressed on purpose:
gzipping at the origin costs CPU on every request, and Streamlit expects a reverse proxy or CDN in
front of it to compress them (`streamlit/web/server/starlette/starlette_gzip_middleware.py`). This
app usually runs on localhost with no proxy, and those files were 5.2 of the 6.1 MB a reader's
browser fetched for the claims map (bench/browser.py). `st.App` takes middleware; this one
compresses each of those files once per server process and keeps the result, so a request costs
no more CPU than Streamlit's own uncompressed answer. It also gives the map component's
content-hashed script a lifetime, which Streamlit does not: the browser fetched it again for
every new map. bench/README.md has the figures. `streamlit run app.py` still works, uncompressed.
"""

from __future__ import annotations

import asyncio
import gzip
import re
from collections.abc import MutableMapping
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

Message = MutableMapping[str, Any]
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


class CompressedFrontend:
    """Answer GET for an `IMMUTABLE` file, for a browser that accepts gzip, gzipped from memory.

    The first request for a file goes to Streamlit, asked for it uncompressed; a 200 answer is
    compressed (level 9, in a worker thread) and kept with Streamlit's headers (its content
    type) and a year's lifetime, or remembered as not worth compressing. Conditional and range
    requests go to Streamlit as they are. The files never change under their names, so a kept
    copy never goes stale within one process; they are a few megabytes at most.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.kept: dict[str, tuple[list[tuple[bytes, bytes]], bytes] | None] = {}
        self.size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path not in self.kept:
            status, headers, body = await self._fetch(scope, receive)
            if status != 200 or _page(headers):
                await _answer(send, status, headers, body)
                return
            packed = await asyncio.to_thread(_compressed, headers, body)
            if self.size + (len(packed[1]) if packed else 0) <= BUDGET:
                self.kept[path] = packed
                self.size += len(packed[1]) if packed else 0
            await _answer(send, 200, *(packed or (headers, body)))
            return
        kept = self.kept[path]
        if kept is None:
            await self.app(scope, receive, send)
        else:
            await _answer(send, 200, *kept)

    @staticmethod
    def _applies(scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or not IMMUTABLE.match(scope["path"]):
            return False
        headers = dict(scope["headers"])
        if any(name in headers for name in (b"range", b"if-none-match", b"if-modified-since")):
            return False
        return b"gzip" in headers.get(b"accept-encoding", b"")

    async def _fetch(self, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
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


def _page(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether an answer is Streamlit's page: it answers any unknown path under /static/ with it,
    so a path that is not a file is never kept, and made-up paths cannot fill the memory."""
    return any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)


def _compressed(headers: list[tuple[bytes, bytes]], body: bytes) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
    """The answer gzipped, or None when that would not save enough or it is encoded already."""
    names = {name.lower() for name, _ in headers}
    if b"content-encoding" in names:
        return None
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    if len(packed) > WORTH * len(body):
        return None
    # The validators describe the uncompressed body; the files are immutable, so none are needed.
    dropped = {b"content-length", b"etag", b"last-modified", b"accept-ranges", b"cache-control", b"vary"}
    kept = [(name, value) for name, value in headers if name.lower() not in dropped]
    extra = [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding"), (b"cache-control", YEAR)]
    extra.append((b"content-length", b"%d" % len(packed)))
    return kept + extra, packed


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


app = st.App("app.py", middleware=[Middleware(CompressedFrontend)])
