"""New sessions' first runs, a few at a time.

Streamlit runs each session's script in a thread of its own, all at once. The server's Python
runs one thread at a time, so a hundred new sessions arriving together shared it evenly and
all finished together, at the end: each reader waited for the whole batch (bench/sessions.py:
100 sessions, 4.8 s of server time, every first page after about 5 s). Taking first runs in
turns costs no more in all, and the first readers get their page after their own run, the
median reader after half the batch.

Only first runs wait: a reader's later runs (a click, a day step) are never held behind
strangers' new sessions. A run that cannot get its turn within `WAIT_SECONDS` goes ahead
anyway (and says so in the log), so that a stuck run can slow the others but never stop them.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

import streamlit as st

#: First runs at once: one runs while another waits on the network or the disk.
AT_ONCE = 1
WAIT_SECONDS = 30.0
_ADMITTED = "_first_run_done"
_TURNS = threading.BoundedSemaphore(AT_ONCE)

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
