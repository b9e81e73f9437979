"""Publication dates from an article's own words: datelines and full dates, never a guessed year."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.extraction.dating import infer_published
from tests.conftest import SEEDS


@pytest.mark.parametrize(
    ("text", "day", "evidence"),
    [
        (
            "KABUL, 6 September 2021 - The Taliban claim Panjshir.",
            dt.date(2021, 9, 6),
            "dateline 'KABUL, 6 September 2021'",
        ),
        (
            "Kabul, Sept. 4 (Wire) - Fighting since August 30, 2021.",
            dt.date(2021, 9, 4),
            "the year, 2021, from the latest full date",
        ),
        ("Photo taken on September 1, 2021. Fighting goes on.", dt.date(2021, 9, 1), "published on or after it"),
    ],
)
def test_what_the_text_states(text: str, day: dt.date, evidence: str) -> None:
    found = infer_published(text)
    assert found is not None and found.day == day and evidence in found.evidence


@pytest.mark.parametrize(
    "text",
    [
        "The Taliban said they captured it on Friday.",  # a weekday is no date
        "Moscow, August 31. Militants of the Taliban movement attacked.",  # no year anywhere
        "CAIRO, August 30. /TASS/. A son of Ahmad Shah Massoud (1953-2001).",  # a bare year may be history
        "Kabul, 31 February 2021 - nothing.",  # no such day
    ],
)
def test_no_date_rather_than_a_guess(text: str) -> None:
    assert infer_published(text) is None


def test_the_seeds() -> None:
    """Seed 004's dateline has no year, and its only years are history: no date. Seed 002's caption dates it."""
    assert infer_published((SEEDS / "004_9664b19b629e403e.txt").read_text(encoding="utf-8")) is None
    found = infer_published((SEEDS / "002_95005812d8e8fffd.txt").read_text(encoding="utf-8"))
    assert found is not None and found.day == dt.date(2021, 9, 1)
