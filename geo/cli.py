"""Command line: `python -m geo resolve NAME`, `mentions FILE`, `validate`, `claims`, `status`,
`export`, `locate`, `extract FILE`, `ingest PATH...`, `evaluate`, `corpus-check`, `reviewer add NAME`.
Data goes to stdout as JSON; messages and errors to stderr. Exit codes: 0 done; 1 invalid data (the
problems are listed); 2 an error, or a command line argparse refused; 3 `ingest` stored nothing (every
file refused, or none found)."""

# One function per command, as datasette's cli.py has: its docstring is the command's help, and
# `main` calls it with the parsed options as keyword arguments. An option that a function does not
# take is then a TypeError on every run, not an option parsed and dropped (`ingest --engine` once
# was); tests/test_cli.py checks each command's options against its function's parameters.

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import inspect
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import get_args

from geo.claims.export import FORMATS, export, write_atomically
from geo.claims.model import DEFAULT_CLAIMS, ClaimSet, load_claims, load_vocabulary, locate
from geo.claims.sides import LAYERS
from geo.claims.status import in_force, status_table
from geo.claims.tables import claims_frame, filter_by_faction, filter_claims
from geo.days import DayError, parse_day
from geo.errors import ClaimError, GazetteerError, GeoError
from geo.extraction.corpus import load_corpus
from geo.extraction.evaluate import corpus_table, evaluate, evaluate_corpus, seed_mismatches, table
from geo.extraction.extract import extract
from geo.extraction.scoring import DEFAULT_SCORER, load_scorer
from geo.extraction.training import train
from geo.places.gazetteer import DEFAULT_ROOT, Gazetteer, load_gazetteer
from geo.places.mentions import MentionFinder
from geo.places.resolve import Resolver
from geo.store.database import DATA_ENV, Store
from geo.store.documents import MAX_BYTES, decode_text, read_file
from geo.store.ingest import DEFAULT_CONNECT_TIMEOUT, ingest_paths
from geo.store.reviewers import ReviewerError, add_reviewer, load_reviewers, remove_reviewer, reviewers_path
from geo.web.found import place_spellings, unmarked
from geo.web.urlstate import By, ViewState

NOTHING_INGESTED = 3
# The articles are 2021 news; a date outside these bounds is a typo, and dates near the ends of
# `datetime`'s range overflow when relative dates ("last Friday") are read against them.
EARLIEST_PUBLISHED = dt.date(1900, 1, 1)
LATEST_PUBLISHED_AHEAD = dt.timedelta(days=365)
#: The options given before the command. A command reads them by naming them as parameters:
#: `gazetteer` is then the loaded gazetteer, `claims` the claims file's path.
GLOBAL_OPTIONS = ("gazetteer", "claims")
#: Where the chosen command's function goes in the parsed namespace, and the subparsers' own dests.
FUNC = "func"
CHOSEN = ("command", "action")

#: A command: called with its options as keyword arguments; returns its exit code, None for 0.
Command = Callable[..., int | None]


def run_resolve(gazetteer: Gazetteer, name: str, context: list[str]) -> None:
    """Resolve a place name; prints one JSON object."""
    print(json.dumps(Resolver(gazetteer).resolve(name, context).to_dict(), ensure_ascii=False, indent=2))


def run_mentions(gazetteer: Gazetteer, file: Path, max_bytes: int) -> None:
    """Find place mentions in a UTF-8 text file; prints a JSON list."""
    found = MentionFinder(Resolver(gazetteer)).find(_read_text(file, max_bytes))
    print(json.dumps([m.to_dict() for m in found], ensure_ascii=False, indent=2))


def run_validate(gazetteer: Gazetteer, claims: Path) -> None:
    """Check the gazetteer and the claims; exit 1 on any problem."""
    claim_set = load_claims(claims, gazetteer=gazetteer)
    print(f"ok: {len(gazetteer)} places, {len(gazetteer.layers)} boundary layers, {len(claim_set)} claims")


def run_claims(gazetteer: Gazetteer, claims: Path) -> None:
    """Print the validated claims as JSON lines."""
    claim_set = load_claims(claims, gazetteer=gazetteer)
    for claim in claim_set.claims:
        row = claim.model_dump(mode="json")
        row["supports"] = claim_set.vocabulary.supports(claim)
        row["relation_flag"] = claim_set.flags.get(claim.id)
        print(json.dumps(row, ensure_ascii=False))


def run_export(
    gazetteer: Gazetteer,
    claims: Path,
    format: str,  # the option is --format
    out: Path,
    faction: list[str] | None,
    faction_by: By,
    place: list[str] | None,
    outlet: list[str] | None,
    type: list[str] | None,  # the option is --type
    since: dt.date | None,
    until: dt.date | None,
) -> None:
    """Write the claims, or a filtered subset, to a file.

    The filters are the app's, so a file exported here holds the claims the app's downloads hold
    for the same choices.
    """
    frame = filter_claims(
        claims_frame(load_claims(claims, gazetteer=gazetteer)),
        places=place,
        outlets=outlet,
        types=type,
        start=since,
        end=until,
    )
    if faction is not None:
        frame = filter_by_faction(frame, faction, by=faction_by)
    path = export(frame, format, out)
    print(f"wrote {len(frame)} claims to {path}", file=sys.stderr)


def run_status(gazetteer: Gazetteer, claims: Path, date: dt.date, place: list[str] | None, firm: bool) -> None:
    """The status of places on a day and the claims behind it, as JSON lines."""
    for row in _status_rows(load_claims(claims, gazetteer=gazetteer), date, place, firm):
        print(json.dumps(row, ensure_ascii=False))


def run_extract(gazetteer: Gazetteer, file: Path, published: dt.date | None, max_bytes: int) -> None:
    """Print candidate claims in a text file as JSON lines."""
    for candidate in extract(_read_text(file, max_bytes), published, gazetteer=gazetteer):
        print(json.dumps(candidate.to_dict(), ensure_ascii=False))


def run_evaluate(gazetteer: Gazetteer, claims: Path, corpus: Path | None, show_errors: bool) -> None:
    """Score extraction against the curated claims of the seeds, or a corpus.

    With --show-errors, every claim scored wrong follows the table: `missed` (annotated, not
    found) or `wrong` (found, not annotated), with its sentence. Never on a held-out set: its
    errors are not to be read, or it is held out no longer."""
    if corpus is not None:
        vocabulary = load_vocabulary()
        scores = evaluate_corpus(load_corpus(corpus, gazetteer, vocabulary), gazetteer, vocabulary)
        print(corpus_table(scores))
        mismatches = scores.mismatches
    else:
        claim_set = load_claims(claims, gazetteer=gazetteer)
        print(table(evaluate(claim_set)))
        mismatches = seed_mismatches(claim_set) if show_errors else []
    if show_errors:
        print(f"\n{len(mismatches)} claims scored wrong")
        for mismatch in mismatches:
            print(mismatch.line())


def run_train_scorer(gazetteer: Gazetteer, corpus: list[Path], out: Path) -> None:
    """Train the scorer on development corpora and write it (claims/scorer.json is the shipped one).

    Needs scikit-learn (pip install -e '.[train]'). Prints the out-of-fold figures the floor was
    chosen on; never train on a held-out set."""
    vocabulary = load_vocabulary()
    corpora = [load_corpus(folder, gazetteer, vocabulary) for folder in corpus]
    trained = train(corpora, gazetteer, vocabulary)
    data = trained.scorer.to_json().encode("utf-8")

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    def check(tmp: Path) -> str | None:
        try:
            load_scorer(tmp)
        except ClaimError as err:
            return str(err)
        return None

    write_atomically(out, write, check, what="scorer")
    print(f"trained on {trained.articles} articles, {trained.examples} candidates (C={trained.strength})")
    print(f"floor {trained.scorer.floor}: out-of-fold claim F1 {trained.oof_f1[trained.scorer.floor]:.3f}")
    print("out-of-fold reliability:")
    for lo, hi, n, share in trained.oof_reliability:
        print(f"  {lo:.1f}-{hi:.1f} {n:5d} candidates  {share:6.3f} right")
    print(f"wrote {out}")


def run_corpus_check(gazetteer: Gazetteer, folder: Path) -> None:
    """Check an annotated corpus folder against its texts; exit 1 on any problem."""
    corpus = load_corpus(folder, gazetteer, load_vocabulary())
    n_mentions = sum(len(a.mentions) for a in corpus.articles)
    n_claims = sum(len(a.claims) for a in corpus.articles)
    print(f"ok: {len(corpus)} articles, {n_mentions} mentions, {n_claims} claims")


def run_ingest(
    gazetteer: Gazetteer,
    claims: Path,
    paths: list[Path],
    db: Path | None,
    published: dt.date | None,
    outlet: str | None,
    by: str,
    quiet: bool,
    engine: str,
    workers: int,
    scheduler: str | None,
    connect_timeout: float,
    max_bytes: int,
) -> int | None:
    """Add article files or folders to the store, with candidate claims.

    Exits 3 when nothing was stored (every file refused, or none found), so that a script notices.
    """
    if scheduler and engine != "dask":
        raise argparse.ArgumentError(None, "--scheduler needs --engine dask")
    store = Store(db)
    store.load_curated(load_claims(claims, gazetteer=gazetteer))
    summary = ingest_paths(
        store,
        paths,
        gazetteer,
        published=published,
        outlet=outlet,
        by=by,
        progress=not quiet,
        engine=engine,
        workers=workers,
        scheduler=scheduler,
        connect_timeout=connect_timeout,
        max_bytes=max_bytes,
    )
    print(summary.report())
    if summary.engine:
        print(f"extraction ran on {summary.engine}", file=sys.stderr)
    print(f"store: {store.path} {store.counts()}", file=sys.stderr)
    if summary.stored_nothing:
        why = "every file was refused" if summary.skipped else "no article files (.txt, .md, .html) found"
        print(f"nothing ingested: {why}", file=sys.stderr)
        return NOTHING_INGESTED
    return None


def run_locate(file: Path, quote: str, max_bytes: int) -> None:
    """Print the offsets of a quote in a document, for curating claims."""
    start, end = locate(_read_text(file, max_bytes), quote)
    print(json.dumps({"start": start, "end": end}))


def run_reviewer_add(file: Path | None, name: str, password_stdin: bool) -> None:
    """Add a reviewer, or set a new password; asks for it twice."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {name}: ")
        if getpass.getpass("again: ") != password:
            raise ReviewerError("the passwords differ; nothing was written")
    path = add_reviewer(name, password, file or reviewers_path())
    print(f"reviewer {name} can sign in; hash written to {path}", file=sys.stderr)


def run_search(gazetteer: Gazetteer, claims: Path, words: list[str], db: Path | None, limit: int) -> None:
    """Claims on the map whose quote or place holds the words, then articles whose text does; prints
    JSON lines, each match of `text` between the offsets in `matched`. The store is brought in line
    with the curated claims first, as the app does when it starts."""
    store = Store(db)
    store.load_curated(load_claims(claims, gazetteer=gazetteer))
    for hit in store.search(" ".join(words), limit=limit, place_names=place_spellings(Resolver(gazetteer))):
        text, matched = unmarked(hit.marked)
        row = {"kind": hit.kind, "claim": hit.claim, "document": hit.document, "text": text, "matched": matched}
        print(json.dumps(row, ensure_ascii=False))


def run_reviewer_remove(file: Path | None, name: str) -> None:
    """Remove a reviewer."""
    print(f"removed {name} from {remove_reviewer(name, file or reviewers_path())}", file=sys.stderr)


def run_reviewer_list(file: Path | None) -> None:
    """List the reviewers."""
    for name in sorted(load_reviewers(file or reviewers_path())):
        print(name)


def parser() -> argparse.ArgumentParser:
    """The whole command line; each command's parser carries its function as `func`."""
    main_parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    main_parser.add_argument("--gazetteer", type=Path, default=DEFAULT_ROOT, help="gazetteer folder (default: bundled)")
    main_parser.add_argument("--claims", type=Path, default=DEFAULT_CLAIMS / "seed_claims.yaml", help="claims file")
    sub = main_parser.add_subparsers(dest="command", required=True)
    p = _command(sub, "resolve", run_resolve)
    p.add_argument("name")
    p.add_argument("--context", nargs="*", default=[], metavar="PLACE_ID", help="ids of places named nearby")
    p = _command(sub, "mentions", run_mentions)
    p.add_argument("file", type=Path)
    _max_bytes_option(p)
    _command(sub, "validate", run_validate)
    _command(sub, "claims", run_claims)
    p = _command(sub, "export", run_export)
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("out", type=Path)
    p.add_argument(
        "--faction", action="append", choices=LAYERS, help="keep this faction's claims, as the app does (repeatable)"
    )
    p.add_argument(
        "--faction-by",
        choices=get_args(By),
        default=ViewState.by,
        help="match --faction by the side a claim favours (layer), its claimant or its subject; default: %(default)s",
    )
    p.add_argument("--place", action="append", help="keep claims at this place id (repeatable)")
    p.add_argument("--outlet", action="append", help="keep claims from this outlet (repeatable)")
    p.add_argument("--type", action="append", help="keep claims of this type (repeatable)")
    p.add_argument("--since", type=_day, help="keep claims whose dates reach YYYY-MM-DD or later")
    p.add_argument("--until", type=_day, help="keep claims whose dates begin by YYYY-MM-DD")
    p = _command(sub, "status", run_status)
    p.add_argument("--date", required=True, type=_date, help="the day, YYYY-MM-DD: claims public and in force then")
    p.add_argument("--place", action="append", help="only this place id (repeatable); shown even with no status")
    p.add_argument("--firm", action="store_true", help="leave out claims the text hedges as unconfirmed or a rumour")
    p = _command(sub, "extract", run_extract)
    p.add_argument("file", type=Path)
    p.add_argument("--published", type=_date, help="publication date YYYY-MM-DD, for relative dates")
    _max_bytes_option(p)
    p = _command(sub, "evaluate", run_evaluate)
    p.add_argument("--corpus", type=Path, help="an annotated corpus folder (corpus/README.md) instead of the seeds")
    p.add_argument("--show-errors", action="store_true", help="list each missed and each wrong claim with its sentence")
    p = _command(sub, "train-scorer", run_train_scorer)
    p.add_argument(
        "--corpus", type=Path, action="append", required=True, help="a development corpus folder (repeatable)"
    )
    p.add_argument("--out", type=Path, default=DEFAULT_SCORER, help="where to write it (default: %(default)s)")
    p = _command(sub, "corpus-check", run_corpus_check)
    p.add_argument("folder", type=Path)
    p = _command(sub, "ingest", run_ingest)
    p.add_argument("paths", type=Path, nargs="+")
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"store file (default: claims.sqlite in ${DATA_ENV}; see README, The store)",
    )
    p.add_argument("--published", type=_date, help="publication date YYYY-MM-DD of the articles")
    p.add_argument("--outlet", help="outlet of the articles")
    p.add_argument("--by", default=getpass.getuser(), help="who ingests (recorded with each claim)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--engine", choices=["local", "dask"], default="local", help="where extraction runs")
    p.add_argument("--workers", type=_positive, default=1, help="local processes, or workers of a local Dask cluster")
    p.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (--engine dask)")
    p.add_argument(
        "--connect-timeout",
        type=float,
        default=DEFAULT_CONNECT_TIMEOUT,
        metavar="SECONDS",
        help=f"how long to try to reach the Dask scheduler (default: {DEFAULT_CONNECT_TIMEOUT:g})",
    )
    _max_bytes_option(p)
    p = _command(sub, "search", run_search)
    p.add_argument("words", nargs="+", help="every word must be found; the last may be the start of one")
    p.add_argument("--db", type=Path, default=None, help=f"store file (default: claims.sqlite in ${DATA_ENV})")
    p.add_argument(
        "--limit", type=_positive, default=50, help="claims and articles at most, each (default: %(default)s)"
    )
    p = sub.add_parser("reviewer", help="who may edit in the app: the reviewers file, with password hashes")
    p.add_argument("--file", type=Path, help="reviewers file (default: $PANJSHIR_DATA/reviewers.toml)")
    actions = p.add_subparsers(dest="action", required=True)
    q = _command(actions, "add", run_reviewer_add)
    q.add_argument("name")
    q.add_argument("--password-stdin", action="store_true", help="read the password from standard input, for scripts")
    _command(actions, "remove", run_reviewer_remove).add_argument("name")
    _command(actions, "list", run_reviewer_list)
    p = _command(sub, "locate", run_locate)
    p.add_argument("file", type=Path)
    p.add_argument("quote")
    _max_bytes_option(p)
    return main_parser


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, func: Command
) -> argparse.ArgumentParser:
    """A command's parser, its help taken from `func`'s docstring: the first paragraph in the list
    of commands, the whole of it in the command's own --help."""
    doc = inspect.getdoc(func) or ""
    summary = doc.split("\n\n", 1)[0].replace("\n", " ")
    p = sub.add_parser(
        name,
        help=summary[:1].lower() + summary[1:].rstrip("."),
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the docstring's paragraphs, as written
    )
    p.set_defaults(**{FUNC: func})
    return p


def _max_bytes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-bytes",
        type=_positive,
        default=MAX_BYTES,
        help=f"refuse files larger than this, as the app does (default: {MAX_BYTES:,})",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, run the command's function, and turn a `GeoError` into its message and exit code."""
    cli = parser()
    options = vars(cli.parse_args(argv))
    func: Command = options.pop(FUNC)
    for dest in CHOSEN:
        options.pop(dest, None)
    wanted = inspect.signature(func).parameters
    given = {name: options.pop(name) for name in GLOBAL_OPTIONS}
    try:
        if "gazetteer" in wanted:
            options["gazetteer"] = load_gazetteer(given["gazetteer"])
        if "claims" in wanted:
            options["claims"] = given["claims"]
        return func(**options) or 0
    except argparse.ArgumentError as err:  # options that parse one by one but not together
        cli.error(err.message)
    except GeoError as err:
        return report(err)


def report(err: GeoError) -> int:
    """Print `err` to stderr, as every command does, and return its exit code: 1 for invalid data
    (a gazetteer or claims file), each problem on a line, so a reviewer fixes them in one pass;
    2 for any other error."""
    if isinstance(err, GazetteerError | ClaimError):
        problems = err.problems or [err]
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"invalid: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"error: {err}", file=sys.stderr)
    return 2


def _status_rows(claim_set: ClaimSet, day: dt.date, places: list[str] | None, firm: bool) -> list[dict[str, object]]:
    """The rows `status` prints: every place with a status that day, or the places asked for."""
    unknown = [p for p in places or () if p not in claim_set.gazetteer.places]
    if unknown:
        raise GeoError(f"unknown place id(s): {', '.join(unknown)}; `python -m geo resolve NAME` finds ids")
    table = status_table(in_force(claims_frame(claim_set), day, firm=firm), claim_set.gazetteer)
    rows = []
    for place_id in places or list(table.index):
        found = place_id in table.index
        rows.append(
            {
                "place_id": place_id,
                "name": claim_set.gazetteer[place_id].name,
                "date": day.isoformat(),
                "status": table.at[place_id, "status"] if found else "none",
                "inherited_from": table.at[place_id, "inherited_from"].split(";")
                if found and table.at[place_id, "inherited"]
                else [],
                "claims": table.at[place_id, "claims"].split(";") if found and table.at[place_id, "claims"] else [],
                "why": table.at[place_id, "why"] if found else "no status: no claims in force here",
            }
        )
    return rows


def _day(value: str) -> dt.date:
    try:
        return parse_day(value)
    except DayError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _date(value: str) -> dt.date:
    """A publication date, or the day of `status`: a day, and a plausible one."""
    day = _day(value)
    latest = dt.date.today() + LATEST_PUBLISHED_AHEAD
    if not EARLIEST_PUBLISHED <= day <= latest:
        raise argparse.ArgumentTypeError(
            f"{value} is not a plausible publication date; give one from {EARLIEST_PUBLISHED} to {latest}"
        )
    return day


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive whole number")
    return number


def _read_text(path: Path, max_bytes: int) -> str:
    """A named file's text, under the app's limits: a regular file, `max_bytes` at most, UTF-8."""
    data = read_file(path, max_bytes)
    if b"\x00" in data:  # valid UTF-8 but no text: UTF-16, or binary, which decode_text tells apart
        return decode_text(data, path.name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise GeoError(f"not UTF-8 text (byte {err.start}); convert it to UTF-8 first", path=path) from err
