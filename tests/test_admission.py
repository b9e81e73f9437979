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
    # every turn is free again: a leaked one would make every later new session wait
    taken = [admission._TURNS.acquire(blocking=False) for _ in range(admission.AT_ONCE)]
    for turn in taken:
        if turn:
            admission._TURNS.release()
    assert all(taken)
