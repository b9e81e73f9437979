"""Extraction on text it has never seen, its dates, its output fields, and its scores on the seeds."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from types import FrameType

import pysbd
import pytest
import yaml
from pysbd.processor import Processor

from geo import Gazetteer
from geo.claims.model import ClaimSet
from geo.extraction.evaluate import evaluate
from geo.extraction.extract import extract, sentences
from tests.conftest import ROOT, SEEDS

SATURDAY = dt.date(2021, 9, 4)
# Not a seed: written for this test, in the register of wire copy.
UNSEEN = (
    "KABUL, Sept 4 (Reuters) - Taliban fighters seized the Shotul district on Friday, the group's spokesman "
    "Zabihullah Mujahid said. A spokesman for the National Resistance Front denied that Shotul had fallen.\n\n"
    "Resistance forces repelled an attack near the Khawak pass last night, according to Fahim Dashti.\n\n"
    "The weather in Kabul was mild."
)


def test_unseen_article() -> None:
    found = {(c.place_id, c.type, c.faction) for c in extract(UNSEEN, SATURDAY)}
    assert ("shutul-district", "captured", "taliban") in found
    assert ("shutul-district", "denies", "taliban") in found
    assert ("khawak-pass", "repelled_attack", "nrf") in found
    assert not any(place == "kabul" for place, _, _ in found), "a place without a control cue is no claim"


def test_candidates_keep_their_words_and_say_why() -> None:
    for c in extract(UNSEEN, SATURDAY):
        assert UNSEEN[c.start : c.end] == c.quote
        assert UNSEEN[c.mention_start : c.mention_end] == c.mention
        assert c.start <= c.mention_start < c.mention_end <= c.end
        assert c.rule.startswith(f"{c.type}: '") and 0 < c.confidence < 1
    seized = next(c for c in extract(UNSEEN, SATURDAY) if c.type == "captured")
    assert (seized.speaker, seized.claimant_faction, seized.claimant_kind) == (
        "Zabihullah Mujahid",
        "taliban",
        "spokesperson",
    )
    dashti = next(c for c in extract(UNSEEN, SATURDAY) if c.type == "repelled_attack")
    assert dashti.speaker == "Fahim Dashti"


@pytest.mark.parametrize(
    ("sentence", "date", "basis"),
    [
        ("Today the Taliban captured Bazarak.", "2021-09-04", "inferred"),
        ("Last night the Taliban captured Bazarak.", "2021-09-03", "inferred"),
        ("The Taliban captured Bazarak on Friday.", "2021-09-03", "inferred"),
        ("The Taliban attacked Bazarak on Tuesday evening.", "2021-08-31", "inferred"),
        ("The Taliban captured Bazarak on Saturday.", "2021-09-04", "inferred"),
        ("The Taliban captured Bazarak on August 30.", "2021-08-30", "stated"),
        ("The Taliban captured Bazarak on September 1, 2021.", "2021-09-01", "stated"),
        ("The Taliban captured Bazarak.", "2021-09-04", "inferred"),
    ],
)
def test_dates_from_the_publication_date_and_relative_phrases(sentence: str, date: str, basis: str) -> None:
    (c,) = [c for c in extract(sentence, SATURDAY) if c.place_id == "bazarak"]
    assert (c.date, c.date_basis) == (date, basis)
    assert c.date_evidence


# Each construction the unseen reporting uses, in a sentence written for this test:
# (sentence, claims that must be found as (place, type, subject), claims that must not).
CONSTRUCTIONS = [
    pytest.param(
        "Two districts, Shutul and Paryan, have been occupied by the resistance forces, residents said.",
        {("shutul-district", "captured", "nrf"), ("paryan-district", "captured", "nrf")},
        {("shutul-district", "captured", "taliban")},
        id="passive-agent",
    ),
    pytest.param(
        "The Taliban have lost control of Dara, a local elder said.",
        {("dara-district", "controls", "nrf")},
        {("dara-district", "controls", "taliban")},
        id="lost-control",
    ),
    pytest.param(
        "Kapisa is the only province not under Taliban control, the front said.",
        {("kapisa-province", "holds", "nrf")},
        {("kapisa-province", "controls", "taliban")},
        id="not-under-control",
    ),
    pytest.param(
        "Anaba and Khenj districts had been taken by the Taliban.",
        {("anaba-district", "captured", "taliban"), ("khenj-district", "captured", "taliban")},
        set(),
        id="coordinated-two",
    ),
    pytest.param(
        "Shutul, Paryan and Dara fell to the Taliban on Friday.",
        {(p, "captured", "taliban") for p in ("shutul-district", "paryan-district", "dara-district")},
        {("shutul-district", "captured", "nrf")},
        id="coordinated-three",
    ),
    pytest.param(
        '"Our fighters still hold Khenj," Ahmad Massoud posted on his account.',
        {("khenj-district", "holds", "nrf")},
        set(),
        id="attribution-after-quote",
    ),
    pytest.param(
        '"The enemy has been cleared from Rokha," the spokesman Zabihullah Mujahid tweeted.',
        {("rokha-district", "captured", "taliban")},
        {("rokha-district", "captured", "nrf")},
        id="tweet",
    ),
    pytest.param("Taliban seize Bazarak", {("bazarak", "captured", "taliban")}, set(), id="headline"),
    pytest.param(
        "Resistance fighters withdrew from Anaba and retreated to the mountains.",
        {("anaba-district", "withdrew", "nrf")},
        set(),
        id="withdrew",
    ),
    pytest.param(
        "The Taliban were repelled at Darband, Fahim Dashti wrote on Twitter.",
        {("darband", "repelled_attack", "nrf")},
        {("darband", "repelled_attack", "taliban")},
        id="passive-repelled",
    ),
    pytest.param(
        "A resistance spokesman denied it, saying NRF forces still held Rukha.",
        {("rokha-district", "denies", "taliban"), ("rokha-district", "holds", "nrf")},
        {("rokha-district", "denies", "nrf")},
        id="rukha-denial",
    ),
]


@pytest.mark.parametrize(("sentence", "wanted", "unwanted"), CONSTRUCTIONS)
def test_constructions(sentence: str, wanted: set, unwanted: set) -> None:
    found = {(c.place_id, c.type, c.faction) for c in extract(sentence, SATURDAY)}
    assert wanted <= found, found
    assert not unwanted & found, found


def test_a_denial_is_the_speakers_not_the_outlets() -> None:
    """The bug of issue 11: the denial was the outlet's and about the NRF."""
    sentence = "A resistance spokesman denied it, saying NRF forces still held Rukha."
    denial = next(c for c in extract(sentence, SATURDAY) if c.type == "denies")
    assert (denial.claimant_kind, denial.claimant_faction) == ("spokesperson", "nrf")


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("The Taliban reportedly captured Anaba.", "reportedly"),
        ("Unconfirmed reports said the Taliban had retaken Dara.", "unconfirmed"),
        ("The Taliban captured Anaba, according to media reports.", "media_reports"),
        ("The Taliban captured Anaba.", None),
    ],
)
def test_hedges_are_recorded_on_the_candidate(sentence: str, hedge: str | None) -> None:
    (c,) = [c for c in extract(sentence, SATURDAY) if c.type == "captured"]
    assert c.hedge == hedge
    assert (c.hedge_words is None) == (hedge is None) and (hedge is None or c.hedge_words in sentence)


def test_no_publication_date_means_no_guessed_date() -> None:
    (c,) = extract("The Taliban captured Bazarak on Friday.")
    assert c.date is None and c.date_basis is None
    (c,) = extract("The Taliban captured Bazarak on August 30, 2021.")
    assert c.date == "2021-08-30"


def test_extract_cli_prints_the_documented_fields(tmp_path) -> None:
    (tmp_path / "a.txt").write_text(UNSEEN, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "geo", "extract", str(tmp_path / "a.txt"), "--published", "2021-09-04"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows and all(
        {"quote", "start", "end", "place_id", "name", "lat", "lon", "type", "faction", "claimant", "date", "confidence"}
        <= set(r)
        for r in rows
    )


#: General rules of conflict reporting, each in a sentence written for this test: (text, claims it
#: makes as (place, type, subject), claims it must not make as (place, type, subject or None for any).
RULES: dict[str, tuple[str, list[tuple[str, str, str]], list[tuple[str, str, str | None]]]] = {
    "celebratory fire kills no one in the fighting": (
        "Three people were wounded by gunfire in Charikar celebrating the news from Panjshir.",
        [], [("charikar", "casualties", None), ("charikar", "fighting", None)],
    ),
    "a place located in another is geography": (
        "Anaba is a narrow district located in the Panjshir Valley.", [], [("panjshir-valley", "present", None)],
    ),
    "hard to control is no control": (
        "The Taliban say Paryan is hard to reach or control in winter.", [], [("paryan-district", "controls", None)],
    ),
    "a decision to attack is no attack": (
        "The Taliban have decided to launch a new offensive on Rokha.", [], [("rokha-district", "attack", None)],
    ),
    "talks that may fail are no talks there": (
        "Fighters will move on Charikar if the talks fail, a commander said.", [], [("charikar", "talks", None)],
    ),
    "fleeing the country is not leaving the place": (
        "The resistance leaders in Bazarak have fled the country, the Taliban claimed.",
        [], [("bazarak", "withdrew", None)],
    ),
    "a former stronghold is held no longer": (
        "Rokha, formerly the last stronghold of the resistance, fell to the Taliban on Sunday.",
        [("rokha-district", "captured", "taliban")], [("rokha-district", "holds", None)],
    ),
    "a death toll of both sides": (
        "The fighting around Anaba has caused a heavy death toll, both among Taliban and resistance fighters.",
        [("anaba-district", "casualties", "both")], [],
    ),
    "a patrol is presence": (
        "Resistance fighters patrolled near Rokha on Monday.", [("rokha-district", "present", "nrf")], [],
    ),
    "aid kept from a place is a blockade": (
        "Aid workers said the Taliban had prevented fuel convoys from reaching Bazarak.",
        [("bazarak", "road_closed", "taliban")], [],
    ),
    "managing to control is a capture": (
        "The Taliban say they managed to control Shutul after a night of fighting.",
        [("shutul-district", "captured", "taliban")], [],
    ),
    "the opposing forces are the resistance": (
        "Opposing forces stationed in Dara are waiting for the Taliban.", [("dara-district", "present", "nrf")], [],
    ),
    "an attack is repelled where it went, not where it came from": (
        "Moving from Andarab, Taliban units attacked the Khawak pass, but resistance fighters repelled them.",
        [("khawak-pass", "repelled_attack", "nrf")], [("andarab-district", "repelled_attack", None)],
    ),
    "a place that locates another is not the claim's": (
        "Heavy fighting was reported near Gulbahar in the Panjshir Valley.",
        [("gulbahar", "fighting", "both")], [("panjshir-valley", "fighting", None)],
    ),
    "a place owning the speaker is where the speaker is": (
        "Charikar's main hospital said it had treated fighters wounded in clashes.",
        [], [("charikar", "casualties", None), ("charikar", "fighting", None)],
    ),
    "a fronted subordinate clause ends at its comma": (
        "Since the insurgents reached Kabul, heavy clashes have been reported across Andarab.",
        [("andarab-district", "fighting", "both")], [("kabul", "fighting", None)],
    ),
    "a faction in an aside is not a passive's patient": (
        "Reports say that Anaba, where the Taliban had few men, has been captured.",
        [("anaba-district", "captured", "taliban")], [("anaba-district", "captured", "nrf")],
    ),
    "reports a denial answers are claims of their own": (
        "The resistance denied reports that the Taliban had seized Khenj.",
        [("khenj-district", "captured", "taliban"), ("khenj-district", "denies", "taliban")], [],
    ),
    "presence abroad": (
        "Officials said Ahmad Massoud had taken refuge in Tajikistan.", [("tajikistan", "present", "nrf")], [],
    ),
    "the one stationed is the subject, not a passive's patient": (
        "Taliban units were stationed in Jabal Saraj.",
        [("jabal-saraj", "present", "taliban")], [("jabal-saraj", "present", "nrf")],
    ),
    "each side claiming the other's losses, at the place just named": (
        "Clashes went on all night around Anaba. Both sides said the other side had suffered heavy losses.",
        [("anaba-district", "casualties", "taliban"), ("anaba-district", "casualties", "nrf")], [],
    ),
    "presence denied is no presence": (
        "Taliban fighters are not present in Rokha, a resistance commander said.",
        [], [("rokha-district", "present", None)],
    ),
    "reached by phone is no advance": (
        "A fighter reached by phone in Anaba said the night was quiet.", [], [("anaba-district", "advanced", None)],
    ),
    "a place contrasted is not claimed": (
        "Unlike Rokha, Dara fell to the Taliban without a fight.",
        [("dara-district", "captured", "taliban")], [("rokha-district", "captured", None)],
    ),
    "outside of the control of a side is held by the other": (
        "Khenj remains outside of control of the Taliban.",
        [("khenj-district", "holds", "nrf")], [("khenj-district", "controls", "taliban")],
    ),
    "every place of a coordination after from is an origin": (
        "Taliban units advanced from Rokha and Anaba toward Bazarak.",
        [("bazarak", "advanced", "taliban")], [("anaba-district", "advanced", None)],
    ),
    "joining a side is massing for it": (
        "Hundreds of former soldiers travelled to Panjshir to join the resistance.",
        [("panjshir-province", "massing", "nrf")], [],
    ),
}  # fmt: skip


@pytest.mark.parametrize("rule", RULES)
def test_a_general_rule_of_conflict_reporting(rule: str) -> None:
    text, makes, never = RULES[rule]
    found = {(c.place_id, c.type, c.faction) for c in extract(text, SATURDAY)}
    assert set(makes) <= found, found
    assert not [f for f in found for place, kind, who in never if f[:2] == (place, kind) and who in (None, f[2])]


def test_a_claim_at_the_place_named_before_quotes_from_that_name() -> None:
    text = "Clashes went on all night around Anaba. Both sides said the other side had suffered heavy losses."
    losses = [c for c in extract(text, SATURDAY) if c.type == "casualties"]
    assert losses and all(c.quote.startswith("Anaba. Both sides") and c.confidence < 0.8 for c in losses)
    assert all(text[c.start : c.end] == c.quote and c.start == c.mention_start for c in losses)


def test_scores_on_the_seeds_meet_the_goals(claim_set: ClaimSet) -> None:
    scores = evaluate(claim_set)
    assert scores["mentions"].f1 >= 0.95
    # Floors at the figures of issue 11's extractor (issue 10's were F1 0.672 and 0.731, status
    # precision 0.826; before the general rules of `RULES`, claims F1 0.689): a regression fails
    # here. Extraction is tuned for recall first (a missed claim costs an analyst more than a wrong
    # candidate rejected in one click).
    # Issue 25 lowered them to its figures (claims F1 0.855 -> 0.834, status precision 0.92 ->
    # 0.833): the rules for real reporting's phrasing cost the seeds a few claims. Issue 29's
    # corrections of the seed claims brought them to 0.846 and 0.883, today's floors; the scorer
    # retrained on 63 articles drops a little more (floor 0.14), recall 0.802 and status 0.839.
    assert scores["claims"].f1 >= 0.84 and scores["claims"].recall >= 0.80, scores["claims"]
    assert scores["status"].f1 >= 0.86 and scores["status"].recall >= 0.83, scores["status"]
    # Stop 35: the floor is now the lowest within noise of the best out of fold (0.0), recall first,
    # which keeps two low-confidence seed candidates the floor of 0.14 dropped: status precision 0.869.
    assert scores["status"].precision >= 0.86, scores["status"]


def test_evaluate_cli_prints_a_table() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "geo", "evaluate"], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert out.returncode == 0, out.stderr
    header, mentions, claims, status = out.stdout.splitlines()
    assert header.split() == ["precision", "recall", "F1", "TP", "FP", "FN"]
    assert mentions.startswith("mentions") and claims.startswith("claims") and status.startswith("status")


def test_evaluate_cli_lists_each_missed_and_wrong_claim_with_its_sentence() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "geo", "evaluate", "--show-errors"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    _, fp, fn = (int(n) for n in lines[2].split()[-3:])  # the claims row
    listed = [line.split()[0] for line in lines[6:] if not line.startswith(" ")]
    assert lines[5] == f"{fp + fn} claims scored wrong"
    assert listed.count("missed") == fn and listed.count("wrong") == fp
    # Each is followed by its sentence; a missed one names the curated claim it is.
    first_missed = lines.index(next(line for line in lines if line.startswith("missed")))
    assert "[s0" in lines[first_missed] and lines[first_missed + 1].startswith("    ")


def test_extraction_never_needs_the_curated_claims(gazetteer: Gazetteer) -> None:
    """The extractor's inputs are the text, the date, the gazetteer and the lexicon, nothing else."""
    source = (ROOT / "geo" / "extraction" / "extract.py").read_text()
    assert "seed_claims" not in source and "load_claims" not in source
    assert extract("", SATURDAY, gazetteer=gazetteer) == []


def test_sentence_spans_equal_pysbds_on_news() -> None:
    """On real articles, the spans `sentences` finds are those pysbd computes when asked."""
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        expected, offset = [], 0
        for paragraph in text.split("\n"):
            for piece in segmenter.segment(paragraph) if paragraph.strip() else []:
                body = paragraph[piece.start : piece.end]
                start = offset + piece.start + len(body) - len(body.lstrip())
                expected.append((start, start + len(body.strip())))
            offset += len(paragraph) + 1
        assert sentences(text) == expected, path.name


def test_a_long_paragraph_reaches_pysbd_in_bounded_windows_and_keeps_exact_spans() -> None:
    """A 300 kB file with no line break. pysbd's time grows with the square of what it is given
    (a 2 MB paragraph ran for hours), so it must only ever see pieces of bounded size; and the
    sentences and claims must be those of each copy of the text, at their exact offsets."""
    paragraphs = (SEEDS / "004_9664b19b629e403e.txt").read_text(encoding="utf-8").split("\n")
    unit = " ".join(p.strip() for p in paragraphs if p.strip().endswith((".", '"', "”")))
    copies = 300_000 // len(unit) + 1
    text = " ".join([unit] * copies)
    given: list[int] = []

    def watch(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code is Processor.process.__code__:
            given.append(len(frame.f_locals["self"].text))
            if given[-1] > 10_000:  # raised here, the test fails at once instead of after minutes
                raise AssertionError(f"pysbd was given {given[-1]:,} characters at once")

    sys.setprofile(watch)
    try:
        spans = sentences(text)
    finally:
        sys.setprofile(None)
    assert len(given) >= len(text) // 10_000
    step = len(unit) + 1
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    one = [(s.start, s.start + len(s.sent.rstrip())) for s in segmenter.segment(unit)]
    assert spans == [(i * step + start, i * step + end) for i in range(copies) for start, end in one]

    once = extract(unit, SATURDAY)
    found = extract(text, SATURDAY)
    assert len(once) >= 5
    assert [(c.place_id, c.type, c.faction, c.start) for c in found] == [
        (c.place_id, c.type, c.faction, i * step + c.start) for i in range(copies) for c in once
    ]
    for c in found:
        assert text[c.start : c.end] == c.quote and text[c.mention_start : c.mention_end] == c.mention


def test_a_paragraph_with_no_sentence_end_is_cut_at_spaces_and_loses_nothing() -> None:
    text = "the Taliban captured Bazarak and " * 1000  # 33 kB with no full stop
    spans = sentences(text)
    assert max(end - start for start, end in spans) <= 10_000
    assert " ".join(text[start:end] for start, end in spans) == text.strip()
    found = extract(text, SATURDAY)
    assert found and all(text[c.start : c.end] == c.quote for c in found)


CASES = yaml.safe_load((ROOT / "tests" / "data" / "extraction_cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_construction_of_real_reporting(case: dict) -> None:
    found = extract(case["text"], SATURDAY)
    claims = {(c.place_id, c.type, c.faction) for c in found}
    assert {tuple(m) for m in case.get("makes", [])} <= claims, claims
    never = [
        f
        for f in claims
        for place, kind, who in case.get("never", [])
        if f[:2] == (place, kind) and who in (None, f[2])
    ]
    assert not never, claims
    for place, kind, who, faction in case.get("claimant", []):
        (c,) = [c for c in found if (c.place_id, c.type) == (place, kind)]
        assert (c.claimant_kind, c.claimant_faction) == (who, faction), c
