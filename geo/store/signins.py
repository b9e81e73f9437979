"""Sign-in attempts, bounded: a back-off per client and per name, and few password checks at once.

Each check costs what scrypt is set to cost (`geo.store.reviewers`: about 0.5 s of a core and
128 MiB), on purpose, so that a stolen reviewers file is slow to crack; unbounded, that cost is
the server's. So:

- **Back-off.** After `FREE` failures in a row for a client (its address) or a name, the next
  attempt from that client or for that name waits `BASE * 2**(failures - FREE)` seconds, at most
  `CAP`: 1, 2, 4 … 15 minutes. A success clears the name's and the client's count. A name or
  client that has a check running gets no second one until it ends, so a burst of one name is one
  check.
- **Few at once.** At most `AT_ONCE` checks run together (2: the machine's cores, 256 MiB); an
  attempt that finds them all taken for `QUEUE_SECONDS` is refused as busy, not queued without
  end.

The counts are per server process and kept for at most `KEPT` keys, the oldest forgotten first.
Behind a proxy every client has the proxy's address: the per-name back-off still holds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from geo.store.reviewers import check

FREE = 3
BASE = 1.0
CAP = 900.0
AT_ONCE = 2
QUEUE_SECONDS = 3.0
KEPT = 10_000


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0
    running: bool = False


class Throttle:
    """Failures in a row per key, and the wait they impose. `clock` is in seconds (monotonic)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, kept: int = KEPT) -> None:
        self.clock = clock
        self.kept = kept
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, keys: tuple[str, ...]) -> float:
        """Seconds until an attempt for `keys` may go ahead: 0 now, 1 while one is being checked."""
        with self._lock:
            now = self.clock()
            return max(self._wait(self._records.get(k), now) for k in keys)

    def start(self, keys: tuple[str, ...]) -> float:
        """0 and the keys marked as checking if an attempt may go ahead now, else `wait`."""
        with self._lock:
            now = self.clock()
            wait = max(self._wait(self._records.get(k), now) for k in keys)
            if wait > 0:
                return wait
            for key in keys:
                record = self._records.pop(key, None) or _Record()
                record.running = True
                self._records[key] = record
            while len(self._records) > self.kept:
                self._records.popitem(last=False)
            return 0.0

    def end(self, keys: tuple[str, ...], ok: bool | None) -> None:
        """The attempt `start` let go ahead is over: right, wrong, or not checked at all (None)."""
        with self._lock:
            now = self.clock()
            for key in keys:
                record = self._records.get(key) or _Record()
                record.running = False
                if ok:
                    self._records.pop(key, None)
                    continue
                if ok is False:
                    record.failures += 1
                    record.last = now
                self._records[key] = record

    @staticmethod
    def _wait(record: _Record | None, now: float) -> float:
        if record is None:
            return 0.0
        if record.running:
            return 1.0
        if record.failures < FREE:
            return 0.0
        backoff: float = min(CAP, BASE * 2.0 ** (record.failures - FREE))
        return max(0.0, record.last + backoff - now)


class Gate:
    """At most `limit` password checks at once; `peak` is the most there have been."""

    def __init__(self, limit: int = AT_ONCE) -> None:
        self._slots = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self.running = 0
        self.peak = 0

    @contextmanager
    def slot(self, wait: float) -> Iterator[bool]:
        """True inside the block if a slot was had within `wait` seconds, False if not."""
        if not self._slots.acquire(timeout=wait):
            yield False
            return
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            yield True
        finally:
            with self._lock:
                self.running -= 1
            self._slots.release()


@dataclass(frozen=True)
class Attempt:
    """A sign-in's outcome: the reviewer's name, or None and, when no check was made, why."""

    name: str | None
    refused: str | None = None


THROTTLE = Throttle()
GATE = Gate()


def sign_in(
    reviewers: dict[str, str],
    name: str,
    password: str,
    client: str,
    *,
    throttle: Throttle = THROTTLE,
    gate: Gate = GATE,
) -> Attempt:
    """Check a sign-in from `client` (its address) within the back-off and the gate."""
    keys = (f"client:{client}", f"name:{name.strip().lower()}")
    wait = throttle.start(keys)
    if wait > 0:
        return Attempt(None, f"Too many sign-in attempts: try again in {_seconds(wait)}.")
    ok: bool | None = None
    try:
        with gate.slot(QUEUE_SECONDS) as had:
            if not had:
                return Attempt(None, "The server is busy checking other sign-ins: try again in a few seconds.")
            found = check(reviewers, name, password)
            ok = found is not None
            return Attempt(found)
    finally:
        throttle.end(keys, ok)


def _seconds(wait: float) -> str:
    whole = max(1, round(wait))
    return f"{whole} s" if whole < 120 else f"{round(whole / 60)} min"
