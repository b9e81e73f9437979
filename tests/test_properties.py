"""Property-based tests (Hypothesis): arbitrary input never raises an unhandled exception, every
span lies inside its text, and every quote equals its span."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import pysbd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import Gazetteer, Resolver
from geo.claims.model import DEFAULT_CLAIMS, load_claims
from geo.errors import ClaimError, GazetteerError, IngestError
from geo.extraction.extract import extract, sentences
from geo.places.gazetteer import DEFAULT_ROOT, load_gazetteer
from geo.places.mentions import MentionFinder
from geo.store.documents import read_document

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PLACE_WORDS = [
    "Panjshir",
    "Bazarak",
    "Pazark",
    "Shattal",
    "Bryan",
    "Gul Bahar",
    "Kabul",
    "İstanbul",
    "بازارک",
    "US",
    "us",
]
CUE_WORDS = [
    "captured",
    "took control of",
    "repelled",
    "denied",
    "the Taliban",
    "NRF",
    "on Friday",
    "last night",
    "\n\n",
    ". ",
]
# Text that looks like news: place names and cues mixed with arbitrary Unicode, control characters included.
newsy = st.lists(st.one_of(st.sampled_from(PLACE_WORDS + CUE_WORDS), st.text(max_size=12)), max_size=40).map(" ".join)
any_text = st.one_of(st.text(max_size=300), newsy)


@pytest.fixture(scope="module")
def finder(resolver: Resolver) -> MentionFinder:
    return MentionFinder(resolver)


@SETTINGS
@given(name=any_text)
def test_resolve_never_fails(resolver: Resolver, name: str) -> None:
    result = resolver.resolve(name)
    assert (result.place is None) == (result.method is None)
    assert 0.0 <= result.score <= 1.0 and isinstance(result.explanation, str)
    if result.place is not None:
        assert result.candidates[0].place == result.place


@SETTINGS
@given(text=any_text)
def test_mention_spans_are_inside_and_equal_their_text(finder: MentionFinder, text: str) -> None:
    for m in finder.find(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.resolution.place is not None


@SETTINGS
@given(text=any_text, day=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))))
def test_extract_quotes_equal_their_spans(gazetteer: Gazetteer, text: str, day: dt.date | None) -> None:
    for c in extract(text, day, gazetteer=gazetteer):
        assert 0 <= c.start <= c.mention_start < c.mention_end <= c.end <= len(text)
        assert text[c.start : c.end] == c.quote and text[c.mention_start : c.mention_end] == c.mention
        assert 0 < c.confidence <= 1


def test_huge_and_empty_inputs(gazetteer: Gazetteer, finder: MentionFinder) -> None:
    assert finder.find("") == [] and extract("", dt.date(2021, 9, 4), gazetteer=gazetteer) == []
    huge = ("The Taliban captured Bazarak on Friday. " * 25_000) + "x" * 100_000  # about 1 MB
    found = finder.find(huge)
    assert len(found) == 25_000 and all(huge[m.start : m.end] == m.text for m in found[:100])
    assert Resolver(gazetteer).resolve("a" * 1_000_000).place is None


@SETTINGS
@given(data=st.binary(max_size=400))
def test_read_document_accepts_or_refuses_cleanly(data: bytes) -> None:
    try:
        text = read_document(data, "upload.txt")
    except IngestError as err:
        assert "upload.txt" in str(err)
    else:
        assert isinstance(text, str) and text.strip()


yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
place_like = st.fixed_dictionaries(
    {"id": st.text(max_size=10), "name": st.text(max_size=10), "type": st.sampled_from(["town", "pass", "x"])},
    optional={"point": yaml_values, "source": yaml_values, "parents": yaml_values, "variants": yaml_values},
)


@pytest.fixture(scope="module")
def gazetteer_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gaz")
    shutil.copytree(DEFAULT_ROOT, root, dirs_exist_ok=True)
    return root


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.text(max_size=200), st.lists(st.one_of(place_like, yaml_values), max_size=3).map(yaml.safe_dump)
    )
)
def test_gazetteer_loader_raises_only_its_own_error(gazetteer_copy: Path, content: str) -> None:
    (gazetteer_copy / "places" / "zz_fuzz.yaml").write_text(content, encoding="utf-8")
    try:
        load_gazetteer(gazetteer_copy)
    except GazetteerError as err:
        assert str(err)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.text(max_size=200), st.lists(yaml_values, max_size=3).map(yaml.safe_dump)))
def test_claims_loader_raises_only_its_own_error(tmp_path: Path, gazetteer: Gazetteer, content: str) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(content, encoding="utf-8")
    try:
        load_claims(path, vocabulary=DEFAULT_CLAIMS / "vocabulary.yaml", gazetteer=gazetteer)
    except ClaimError as err:
        assert str(err)


SENTENCE_PARTS = [
    "He said.",
    "U.S. forces",
    '"We won," he said.',
    "(in Baghlan)",
    "Yes!",
    "Really?",
    "Dr. Ahmad",
    "...",
]
prose = st.lists(st.one_of(st.sampled_from(SENTENCE_PARTS + PLACE_WORDS + CUE_WORDS), st.text(max_size=8)), max_size=30)


@SETTINGS
@given(text=st.one_of(any_text, prose.map(" ".join)))
def test_sentences_are_pysbds_in_order(text: str) -> None:
    """`sentences` locates pysbd's sentences itself (see `_paragraph_sentences`): each span holds
    pysbd's sentence, in order, with no overlap. (pysbd's own spans can overlap: for "0.  .  ."
    it places its second sentence at 1, inside the first.)"""
    segmenter = pysbd.Segmenter(language="en", clean=False)
    expected = [
        piece.strip()
        for paragraph in text.split("\n")
        if paragraph.strip()
        for piece in segmenter.processor(paragraph).process()
        if piece.strip()
    ]
    spans = sentences(text)
    assert [text[start:end] for start, end in spans] == expected
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
