"""Sign-in attempts are bounded (geo.store.signins): each wrong one from a client or for a name
makes the next wait longer, and a burst of them runs few password checks at once, each of which
costs scrypt's 128 MiB and about half a second of a core."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from geo.store import signins
from geo.store.reviewers import hash_password
from geo.store.signins import CAP, FREE, Attempt, Gate, Throttle, sign_in

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def reviewers() -> dict[str, str]:
    return {"amina": hash_password(PASSWORD)}


class Clock:
    """Time that passes only when the test says: the back-off's waits, without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_failure_past_the_first_few_doubles_the_wait_up_to_a_cap() -> None:
    clock = Clock()
    throttle = Throttle(clock)
    keys = ("client:127.0.0.1", "name:amina")
    waits = []
    for _ in range(FREE + 12):
        assert throttle.start(keys) == 0  # the wait has passed: it may go ahead
        throttle.end(keys, ok=False)
        waits.append(throttle.wait(keys))
        clock.now += waits[-1]
    assert waits[: FREE - 1] == [0] * (FREE - 1)
    assert waits[FREE - 1 : FREE + 4] == [1, 2, 4, 8, 16] and waits[-1] == CAP
    clock.now -= waits[-1]
    assert throttle.wait(("client:192.0.2.7", "name:amina")) == CAP  # the name is held, whoever asks
    assert throttle.wait(("client:127.0.0.1", "name:other")) == CAP  # and so is the client, whatever name
    clock.now += CAP
    assert throttle.start(keys) == 0
    throttle.end(keys, ok=True)  # a success clears both
    assert throttle.start(keys) == 0


def test_a_throttle_keeps_a_bounded_number_of_keys() -> None:
    throttle = Throttle(Clock(), kept=100)
    for i in range(1000):
        keys = (f"client:10.0.{i // 256}.{i % 256}", f"name:n{i}")
        throttle.start(keys)
        throttle.end(keys, ok=False)
    assert len(throttle._records) <= 100


def test_a_burst_of_sign_ins_runs_few_checks_at_once_and_refuses_the_rest(
    reviewers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forty wrong sign-ins at once: twenty for one name from one client, and twenty for as many
    names from as many clients. The first twenty make one check; the others never run more than
    two checks together, and those that cannot start within the queue's few seconds are told the
    server is busy; nobody is signed in."""
    monkeypatch.setattr(signins, "QUEUE_SECONDS", 1.0)
    throttle, gate = Throttle(), Gate()

    def attempt(i: int) -> Attempt:
        one = i < 20
        client, name = ("192.0.2.1", "amina") if one else (f"192.0.2.{i}", f"user{i}")
        return sign_in(reviewers, name, "wrong " * 3, client, throttle=throttle, gate=gate)

    with ThreadPoolExecutor(40) as pool:
        outcomes = list(pool.map(attempt, range(40)))
    assert all(o.name is None for o in outcomes)
    same, many = outcomes[:20], outcomes[20:]
    assert sum(o.refused is None for o in same) == 1  # one check; the others waited for it, refused
    assert all(o.refused.startswith("Too many sign-in attempts") for o in same if o.refused)
    assert gate.peak == 2
    busy = [o for o in many if o.refused]
    assert busy and all(
        o.refused == "The server is busy checking other sign-ins: try again in a few seconds." for o in busy
    )
    assert sign_in(reviewers, "amina", PASSWORD, "192.0.2.99", throttle=throttle, gate=gate).name == "amina"
