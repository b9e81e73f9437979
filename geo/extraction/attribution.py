"""Who makes a claim, and how the text hedges it.

The claimant is whoever a sentence attributes its words to: named before the verb ("Mujahid
said"), after it (`"...", tweeted the spokesman Bilal Karimi`, "according to a local source"), or,
for "he added", the previous sentence's speaker. It matters twice: reviewers see who says so, and
"our forces" or "the enemy" in a quote are read against the speaker's side. Without anyone named,
the claim is the outlet's own. A hedge ("reportedly", "unconfirmed reports") is recorded as the
vocabulary's kind with the words that made it, so a reviewer sees why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from geo.extraction.lexicon import Lexicon, normal

_QUOTES = '"”»“'


@dataclass(frozen=True)
class Claimant:
    kind: str
    speaker: str | None
    faction: str | None
    words: str | None = None  # how the text names an unnamed speaker: "rebel fighters", "a source in the movement"

    @property
    def label(self) -> str:
        if self.speaker:
            return f"{self.speaker} ({self.faction})"
        name = self.words or self.kind.replace("_", " ")
        return f"{name} ({self.faction})" if self.faction else name


OUTLET = Claimant("outlet", None, None)
#: The words kept of a speaker's description: "rebel fighters", "a local commander of the movement".
_SPEAKER_WORDS = re.compile(r"[\w'’-]+")
_SPEAKER_LENGTH = 5
#: Words that join the speaker to the clause before ("but rebel fighters said") or start a
#: clause about them ("a commander who asked not to be named"): not the speaker's description.
_JOINING = frozenset(
    ["and", "but", "while", "whereas", "though", "although", "yet", "as", "meanwhile", "however", "also", "so"]
)
_DETERMINERS = frozenset(["the", "a", "an", "these", "those", "this", "that", "also"])
_RELATIVE = frozenset(["who", "which", "that", "whose", "speaking", "citing"])
#: The lexicon's faction for "they", "them": whichever side was named last.
PRONOUN = "pronoun"


def named_factions(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, faction) of each faction word and known person, in order; `self` and
    `enemy` stand for the speaker's side and its opponent until `resolve` reads them."""
    found = [(m.start(), m.end(), lex.faction_of[normal(m.group())]) for m in lex.factions.finditer(text)]
    found += [(m.start(), m.end(), p.faction) for p in lex.persons for m in p.pattern.finditer(text)]
    return sorted(found)


def people(text: str, lex: Lexicon) -> set[int]:
    """Where `text` names a known person: a speaker, never what "they" stands for."""
    return {m.start() for p in lex.persons for m in p.pattern.finditer(text)}


def resolve(
    named: list[tuple[int, int, str]],
    side: str | None,
    lex: Lexicon,
    antecedent: str | None = None,
    said: Sequence[Attribution] = (),
    sentence: str = "",
) -> list[tuple[int, int, str]]:
    """Faction words with "our forces" read as their speaker's side (`said`, else `side`), "the
    enemy" as its opponent, and "they" as the speaker's side right after an attribution ("Masoud's
    forces said that they repelled"), else as the last side named before it, in the sentence or,
    as `antecedent`, the one before."""
    out: list[tuple[int, int, str]] = []
    for start, end, faction in named:
        speaker = lex.side(claimant_at(list(said), start, Claimant("outlet", None, side), sentence).faction)
        if faction == PRONOUN:
            opened = quote_opened(sentence, start)
            named_inside = opened is not None and any(opened <= s < start for s, _, _ in out)
            other = lex.opponent(speaker) if opened is not None and not named_inside else None
            if other is not None:
                # In a side's own words it is "we": "they" there is the other side
                # ('a resistance spokesman said: "Their attack on X was repelled"').
                out.append((start, end, other))
                continue
            just_said = next((a for a in said if 0 <= start - a.end <= 16), None)
            own = lex.side(just_said.who.faction) if just_said else None
            actual = own or next((f for _, _, f in reversed(out)), antecedent)
        else:
            actual = {"self": speaker, "enemy": lex.opponent(speaker)}.get(faction, lex.side(faction))
        if actual is not None:
            out.append((start, end, actual))
    return out


_QUOTE_MARKS = re.compile(r"[\"“”]")


def quote_opened(sentence: str, at: int) -> int | None:
    """Where the quotation holding `at` opens, or None when `at` is outside quotation marks.
    Straight quotes alternate; curly ones say which way they face."""
    opened: int | None = None
    for m in _QUOTE_MARKS.finditer(sentence, 0, at):
        mark = m.group()
        opened = m.end() if mark == "“" or (mark == '"' and opened is None) else None
    return opened


def antecedent(factions: list[tuple[int, int, str]], persons: set[int], previous: str | None) -> str | None:
    """What "they" in the next sentence stands for: the last side this one names, not as a speaker."""
    return next((f for s, _, f in reversed(factions) if s not in persons), previous)


@dataclass(frozen=True)
class Attribution:
    """An attributing verb and its speaker. A leading one ("resistance fighters said they held X")
    speaks for what follows it; a trailing one ("X was taken, a spokesman said") for what precedes."""

    start: int
    end: int
    leading: bool
    who: Claimant


#: What may stand between a trailing verb and the end of its clause: "said on Sunday.", "told the desk by phone,".
_TRAILING = re.compile(r"[^,.;:!?\"”»]{0,60}?(?:[,.;:!?\"”»]|$)")
#: What ends the reach of a trailing attribution back over the words before it.
_CLAUSE_END = re.compile(r"[;:]|\bbut\b")
#: Words that open the reported clause after a leading verb: "said that", "said they held".
_REPORTED = re.compile(r"\b(?:that|they|we|he|she|it|our|their|its)\b", re.I)


def attributions(sentence: str, lex: Lexicon, previous: Claimant | None) -> list[Attribution]:
    """Every attribution in `sentence` whose speaker can be named, in order."""
    out = []
    for verb in lex.attribution.finditer(sentence):
        found = _speaker(sentence, verb, lex, previous)
        if found is not None:
            out.append(Attribution(verb.start(), verb.end(), _leading(sentence, verb), found))
    return out


def claimant(sentence: str, lex: Lexicon, previous: Claimant | None) -> Claimant:
    """Whoever `sentence` attributes its words to first, else the outlet."""
    found = attributions(sentence, lex, previous)
    return found[0].who if found else OUTLET


def claimant_at(found: list[Attribution], position: int, default: Claimant, sentence: str = "") -> Claimant:
    """Who makes the claim whose cue is at `position`: the trailing attribution that closes its
    clause ("Rokha was captured, a spokesman said"), else the leading one before it ("but
    resistance fighters said they still held Dara"), else the sentence's."""
    after = next((a for a in found if a.start >= position), None)
    if after is not None and not after.leading and not _CLAUSE_END.search(sentence, position, after.start):
        return after.who
    before = [a for a in found if a.end <= position and a.leading]
    return before[-1].who if before else default


def _speaker(sentence: str, verb: re.Match[str], lex: Lexicon, previous: Claimant | None) -> Claimant | None:
    said = verb.group().lower()
    after = sentence[verb.end() : verb.end() + 80].split(",")[0]
    if said.startswith(("according to", "speaking to")) and "own" not in said:
        return _named(after, lex, previous, definite=False)
    start = max(verb.start() - 120, max(sentence.rfind(q, 0, verb.start()) for q in _QUOTES) + 1)
    phrase = sentence[start : verb.start()]
    bare = re.sub(r"[^\w\s'’-]", " ", phrase).split()
    if bare and bare[0].lower() in lex.pronouns and len(bare) <= 3:
        return previous
    # `..., residents said`: the words after the last comma name the speaker when they can.
    tail = phrase.rsplit(",", 1)[-1]
    tail_words = tail.split()
    if "," in phrase and tail_words and tail_words[0].lower() in lex.pronouns and len(tail_words) <= 2:
        return previous  # "..., they said": whoever spoke last
    found = _named(tail, lex, previous, definite=tail.strip().lower().startswith("the ")) if "," in phrase else None
    found = found or _named(phrase, lex, previous, definite=bool(bare) and bare[0].lower() == "the")
    if found is None and len(bare) <= 2:  # inverted: `"...", has tweeted the spokesman Bilal Karimi`
        return _named(after, lex, previous, definite=False)
    return found


def speaker_in(phrase: str, lex: Lexicon, previous: Claimant | None) -> Claimant | None:
    """The person or side a phrase names as its speaker, without a verb of saying: "a claim the
    front's spokesman called a fantasy"."""
    return _named(phrase, lex, previous, definite=False)


def _named(phrase: str, lex: Lexicon, previous: Claimant | None, *, definite: bool) -> Claimant | None:
    people = sorted((m.start(), p) for p in lex.persons for m in p.pattern.finditer(phrase))
    if people:
        person = people[0][1] if people[0][0] < 30 else people[-1][1]
        return Claimant(person.kind, person.name, person.faction)
    kind = next((k for pattern, k in lex.claimant_kinds if pattern.search(phrase)), None)
    sides = [f for _, _, f in named_factions(phrase, lex) if f not in ("self", "enemy", PRONOUN)]
    faction = sides[-1] if sides else None
    if kind is None and faction is None:
        return None
    if faction is None and definite and previous is not None and previous.kind == kind:
        return previous  # "the commander added": the commander the last sentence named
    return Claimant(kind or "faction", None, faction, _description(phrase))


def _description(phrase: str) -> str | None:
    words = _SPEAKER_WORDS.findall(phrase)
    cut = next((i for i, w in enumerate(words) if w.lower() in _RELATIVE), len(words))
    words = words[:cut]
    start = max((i + 1 for i, w in enumerate(words) if w.lower() in _JOINING), default=0)
    words = words[start:]
    while words and words[-1].lower() in _DETERMINERS:
        words = words[:-1]
    return " ".join(words[-_SPEAKER_LENGTH:]) or None


def _leading(sentence: str, verb: re.Match[str]) -> bool:
    """Whether the verb opens the words it attributes ("said they held X") rather than closing them."""
    if verb.group().lower().startswith(("according to", "speaking to")):
        return not sentence[: verb.start()].strip(" \"“'")
    tail = _TRAILING.match(sentence, verb.end())
    return tail is None or _REPORTED.search(tail.group()) is not None


def hedge(sentence: str, lex: Lexicon) -> tuple[str, str] | None:
    """(kind, words) of the first hedge the sentence holds, in the lexicon's order."""
    for pattern, kind in lex.hedges:
        found = pattern.search(sentence)
        if found:
            return kind, found.group()
    return None
