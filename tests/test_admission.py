"""New sessions' first runs take turns (views/admission.py): a turn is always given back, later
runs never wait, and a run that cannot get a turn goes ahead after the wait instead of hanging."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from views import admission


def _page() -> None:
    import streamlit as st

    from views.admission import first_run_turn

    with first_run_turn():
        st.write("the page")
        if st.session_state.get("fail"):
            raise RuntimeError("the page failed")


def mine(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "views.admission"]


def test_a_first_run_waits_for_its_turn_and_later_runs_do_not(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(admission, "WAIT_SECONDS", 0.2)
    held = [admission._TURNS.acquire(timeout=1) for _ in range(admission.AT_ONCE)]  # every turn taken
    try:
        with caplog.at_level(logging.WARNING, logger="views.admission"):
            at = AppTest.from_function(_page).run()
            assert at.markdown[0].value == "the page"  # it went ahead after the wait
            assert mine(caplog) == ["a first run waited 0.2 s for its turn and goes ahead without one"]
            caplog.clear()
            at.run()  # the session's second run: no wait, whatever the others do
            assert at.markdown[0].value == "the page" and mine(caplog) == []
    finally:
        for turn in held:
            if turn:
                admission._TURNS.release()


def test_a_failing_first_run_gives_its_turn_back() -> None:
    at = AppTest.from_function(_page)
    at.session_state["fail"] = True
    at.run()
    assert len(at.exception) == 1  # the page's error, shown
    assert admission._TURNS.free() == admission.AT_ONCE  # a leaked turn would make every later new session wait


def test_turns_go_in_the_order_asked_and_a_wait_given_up_takes_none() -> None:
    import threading

    turns = admission.Turns(1)
    assert turns.acquire(timeout=1)
    served: list[int] = []
    lock = threading.Lock()

    def wait_then_serve(n: int) -> None:
        assert turns.acquire(timeout=10)
        with lock:
            served.append(n)
        turns.release()

    threads = []
    for n in range(8):
        threads.append(threading.Thread(target=wait_then_serve, args=(n,)))
        threads[-1].start()
        while len(turns._waiting) < n + 1:  # each asks after the one before
            threading.Event().wait(0.001)
    assert not turns.acquire(timeout=0.05)  # it gave up: in no one's way
    turns.release()
    for thread in threads:
        thread.join(10)
    assert served == list(range(8)) and turns.free() == 1
