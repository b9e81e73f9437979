"""New sessions' first runs, a few at a time.

Streamlit runs each session's script in a thread of its own, all at once. The server's Python
runs one thread at a time, so a hundred new sessions arriving together shared it evenly and
all finished together, at the end: each reader waited for the whole batch (bench/sessions.py:
100 sessions, 4.8 s of server time, every first page after about 5 s). Taking first runs in
turns costs no more in all, and the first readers get their page sooner: for 100 sessions the
median reader waited 2.0 to 3.05 s instead of 6.7 (with the other cuts of issue 26; the first
after 1.0 s, while the set-up of the others still shares the interpreter).

Only first runs wait: a reader's later runs (a click, a day step) are never held behind
strangers' new sessions. A run that cannot get its turn within `WAIT_SECONDS` goes ahead
anyway (and says so in the log), so that a stuck run can slow the others but never stop them.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from collections.abc import Iterator

import streamlit as st

#: First runs at once: one runs while another waits on the network or the disk.
AT_ONCE = 1
WAIT_SECONDS = 30.0
_ADMITTED = "_first_run_done"


class Turns:
    """At most `at_once` holders, the others served in the order they came: a semaphore wakes
    whichever waiter the scheduler picks, and a newcomer can take a turn before those waiting.
    In bench/sessions.py the two gave medians in the same range; the order is the one readers
    expect of a queue, and no session can be passed over for the whole batch."""

    def __init__(self, at_once: int) -> None:
        self._lock = threading.Lock()
        self._free = at_once
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        """True once it is this caller's turn; False if `timeout` seconds passed first."""
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return True
            called = threading.Event()
            self._waiting.append(called)
        if called.wait(timeout):
            return True
        with self._lock:
            if called.is_set():  # its turn came as the wait ended
                return True
            self._waiting.remove(called)
            return False

    def release(self) -> None:
        """The turn goes to the longest waiting, straight away; else it is free."""
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1

    def free(self) -> int:
        with self._lock:
            return self._free


_TURNS = Turns(AT_ONCE)

log = logging.getLogger(__name__)


@contextlib.contextmanager
def first_run_turn() -> Iterator[None]:
    """The page's run, in its turn if it is the session's first."""
    if st.session_state.get(_ADMITTED):
        yield
        return
    turn = _TURNS.acquire(timeout=WAIT_SECONDS)
    if not turn:
        log.warning("a first run waited %g s for its turn and goes ahead without one", WAIT_SECONDS)
    try:
        yield
    finally:
        if turn:
            _TURNS.release()
    st.session_state[_ADMITTED] = True
