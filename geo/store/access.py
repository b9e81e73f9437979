"""Local mode's rule: which connections may write to the store when no reviewer is configured.

With no reviewer, anyone at this machine can edit (views/signin.py). "At this machine" has to be
read from the connection's WebSocket handshake, and the socket alone does not tell it: a page
from any web site can reach 127.0.0.1 once its own name resolves there (DNS rebinding), a page
on another port of this machine can open a WebSocket to the app (browsers let any page do so,
and Streamlit lets any `localhost` origin in), and a relay that adds no header (`ssh -L`, a TCP
forwarder) makes every client's connection come from 127.0.0.1. So a connection gets local mode
only when all of this holds:

- it comes from a loopback address (127.0.0.0/8, ::1);
- its `Host` and `Origin` are each given once, name a loopback host (`localhost`, a 127.x.x.x
  address, `[::1]`) and carry the app's own port: a rebound name is not a loopback name, a page
  on another port sends that port in its `Origin`, and a browser behind a relay on another port
  sends the relay's in both;
- it carries no header that a proxy adds (`X-Forwarded-For`, `Forwarded`, `Via`,
  `CF-Connecting-IP`…).

Anything else is read-only until reviewers are configured. A relay on the app's own port of
another machine's loopback (`ssh -L 8501:localhost:8501`) stays indistinguishable from a browser
here: serve anyone else only with reviewers configured (README, Deploying).
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

#: Headers a forwarding proxy adds, lower-case; any `x-forwarded-*` counts as well.
PROXY_HEADERS = frozenset(
    {
        "forwarded",
        "via",
        "x-real-ip",
        "x-client-ip",
        "x-cluster-client-ip",
        "x-original-forwarded-for",
        "x-originating-ip",
        "x-remote-ip",
        "x-remote-addr",
        "x-proxyuser-ip",
        "client-ip",
        "true-client-ip",
        "cf-connecting-ip",
        "cf-connecting-ipv6",
        "fastly-client-ip",
        "akamai-origin-hop",
        "x-azure-clientip",
        "x-appengine-user-ip",
        "x-envoy-external-address",
    }
)


@dataclass(frozen=True)
class Connection:
    """A session's connection as its WebSocket handshake had it: the peer's address (None if the
    server knew none), every header as sent (names in any case, repeats kept) and the port the
    app listens on."""

    peer: str | None
    headers: tuple[tuple[str, str], ...]
    port: int

    @classmethod
    def of(cls, peer: str | None, headers: Iterable[tuple[str, str]], port: int) -> Connection:
        return cls(peer, tuple((str(k), str(v)) for k, v in headers), port)

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name]


def refusal(conn: Connection) -> str | None:
    """Why `conn` may not have local mode, in a sentence for the page; None when it may.

    >>> here = [("Host", "localhost:8501"), ("Origin", "http://localhost:8501")]
    >>> refusal(Connection.of("127.0.0.1", here, 8501))
    >>> rebound = [("Host", "evil.example:8501"), ("Origin", "http://evil.example:8501")]
    >>> refusal(Connection.of("127.0.0.1", rebound, 8501))
    'the page was opened as evil.example:8501, not as localhost:8501'
    """
    if not _loopback_address(conn.peer):
        return "the connection comes from another machine"
    proxied = sorted({k.lower() for k, _ in conn.headers if _proxy_header(k)})
    if proxied:
        return f"the connection came through a proxy (it carries {', '.join(proxied)})"
    own = f"localhost:{conn.port}"
    hosts, origins = conn.values("host"), conn.values("origin")
    if len(hosts) != 1:
        return f"the request gave {len(hosts)} Host headers, not one"
    if not _ours(hosts[0], conn.port, scheme=None):
        return f"the page was opened as {_shown(hosts[0])}, not as {own}"
    if len(origins) != 1:
        return "the request came from no page (no Origin header)" if not origins else "it gave several Origin headers"
    origin = urllib.parse.urlsplit(origins[0])
    if origin.scheme not in ("http", "https") or not _ours(origin.netloc, conn.port, scheme=origin.scheme):
        return f"the request came from a page at {_shown(origins[0])}, not from {own}"
    return None


def _loopback_address(peer: str | None) -> bool:
    try:
        address = ipaddress.ip_address((peer or "").split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool((mapped or address).is_loopback)


def _proxy_header(name: str) -> bool:
    name = name.lower()
    return name in PROXY_HEADERS or name.startswith("x-forwarded-")


def _ours(netloc: str, port: int, *, scheme: str | None) -> bool:
    """Whether `host[:port]` names this machine's loopback and the app's own port. Without a port,
    the scheme's default is meant (80 or 443; either, for a Host header, which has no scheme)."""
    try:
        parts = urllib.parse.urlsplit(f"//{netloc}")
        given = parts.port
    except ValueError:
        return False
    if parts.username is not None or parts.password is not None or parts.hostname is None:
        return False
    if given is None:
        defaults = {"http": (80,), "https": (443,), None: (80, 443)}[scheme]
        if port not in defaults:
            return False
    elif given != port:
        return False
    name = parts.hostname
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _shown(value: str) -> str:
    """A header's value as the page may quote it: printable and at most 80 characters."""
    text = "".join(c if c.isprintable() else "?" for c in value)
    return text if len(text) <= 80 else text[:79] + "…"
