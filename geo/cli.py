"""Command line: `python -m geo resolve NAME`, `mentions FILE`, `validate`, `claims`, `status`,
`export`, `locate`, `extract FILE`, `ingest PATH...`, `evaluate`, `corpus-check`, `reviewer add NAME`.
Data goes to stdout as JSON; messages and errors to stderr. Exit codes: 0 done; 1 invalid data (the
problems are listed); 2 an error, or a command line argparse refused; 3 `ingest` stored nothing (every
file refused, or none found)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

from geo.claims import DEFAULT_CLAIMS, ClaimSet, load_claims, load_vocabulary, locate
from geo.corpus import load_corpus
from geo.documents import MAX_BYTES, read_file
from geo.errors import ClaimError, GazetteerError, GeoError
from geo.evaluate import corpus_table, evaluate, evaluate_corpus, table
from geo.export import FORMATS, export
from geo.extract import extract
from geo.gazetteer import DEFAULT_ROOT, load_gazetteer
from geo.ingest import DEFAULT_CONNECT_TIMEOUT, ingest_paths
from geo.mentions import MentionFinder
from geo.resolve import Resolver
from geo.reviewers import ReviewerError, add_reviewer, load_reviewers, remove_reviewer, reviewers_path
from geo.status import in_force, status_table
from geo.store import DATA_ENV, Store
from geo.urlstate import By, ViewState
from geo.views import LAYERS, claims_frame, filter_by_faction, filter_claims

NOTHING_INGESTED = 3
# The articles are 2021 news; a date outside these bounds is a typo, and dates near the ends of
# `datetime`'s range overflow when relative dates ("last Friday") are read against them.
EARLIEST_PUBLISHED = dt.date(1900, 1, 1)
LATEST_PUBLISHED_AHEAD = dt.timedelta(days=365)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    parser.add_argument("--gazetteer", type=Path, default=DEFAULT_ROOT, help="gazetteer folder (default: bundled)")
    parser.add_argument("--claims", type=Path, default=DEFAULT_CLAIMS / "seed_claims.yaml", help="claims file")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("resolve", help="resolve a place name; prints one JSON object")
    p.add_argument("name")
    p.add_argument("--context", nargs="*", default=[], metavar="PLACE_ID", help="ids of places named nearby")
    p = sub.add_parser("mentions", help="find place mentions in a UTF-8 text file; prints a JSON list")
    p.add_argument("file", type=Path)
    _max_bytes_option(p)
    sub.add_parser("validate", help="check the gazetteer and the claims; exit 1 on any problem")
    sub.add_parser("claims", help="print the validated claims as JSON lines")
    p = sub.add_parser("export", help="write the claims, or a filtered subset, to a file")
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
    p.add_argument("--since", help="keep claims whose dates reach YYYY-MM-DD or later")
    p.add_argument("--until", help="keep claims whose dates begin by YYYY-MM-DD")
    p = sub.add_parser("status", help="the status of places on a day and the claims behind it, as JSON lines")
    p.add_argument("--date", required=True, type=_date, help="the day, YYYY-MM-DD: claims public and in force then")
    p.add_argument("--place", action="append", help="only this place id (repeatable); shown even with no status")
    p.add_argument("--firm", action="store_true", help="leave out claims the text hedges as unconfirmed or a rumour")
    p = sub.add_parser("extract", help="print candidate claims in a text file as JSON lines")
    p.add_argument("file", type=Path)
    p.add_argument("--published", type=_date, help="publication date YYYY-MM-DD, for relative dates")
    _max_bytes_option(p)
    p = sub.add_parser("evaluate", help="score extraction against the curated claims of the seeds, or a corpus")
    p.add_argument("--corpus", type=Path, help="an annotated corpus folder (corpus/README.md) instead of the seeds")
    p = sub.add_parser("corpus-check", help="check an annotated corpus folder against its texts; exit 1 on any problem")
    p.add_argument("folder", type=Path)
    p = sub.add_parser("ingest", help="add article files or folders to the store, with candidate claims")
    p.add_argument("paths", type=Path, nargs="+")
    p.add_argument("--db", type=Path, default=None, help=f"store file (default: ${DATA_ENV}/claims.sqlite or data/)")
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
    p = sub.add_parser("reviewer", help="who may edit in the app: the reviewers file, with password hashes")
    p.add_argument("--file", type=Path, help="reviewers file (default: $PANJSHIR_DATA/reviewers.toml)")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("add", help="add a reviewer, or set a new password; asks for it twice")
    q.add_argument("name")
    q.add_argument("--password-stdin", action="store_true", help="read the password from standard input, for scripts")
    actions.add_parser("remove", help="remove a reviewer").add_argument("name")
    actions.add_parser("list", help="list the reviewers")
    p = sub.add_parser("locate", help="print the offsets of a quote in a document, for curating claims")
    p.add_argument("file", type=Path)
    p.add_argument("quote")
    _max_bytes_option(p)
    return parser


def _max_bytes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-bytes",
        type=_positive,
        default=MAX_BYTES,
        help=f"refuse files larger than this, as the app does (default: {MAX_BYTES:,})",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "ingest" and args.scheduler and args.engine != "dask":
        parser.error("--scheduler needs --engine dask")
    if args.command == "reviewer":
        return _reviewer(args)
    try:
        gazetteer = load_gazetteer(args.gazetteer)
    except GazetteerError as err:
        problems = err.problems or [err]
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"invalid: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    try:
        if args.command == "validate":
            claims = load_claims(args.claims, gazetteer=gazetteer)
            print(f"ok: {len(gazetteer)} places, {len(gazetteer.layers)} boundary layers, {len(claims)} claims")
        elif args.command == "claims":
            claim_set = load_claims(args.claims, gazetteer=gazetteer)
            for claim in claim_set.claims:
                row = claim.model_dump(mode="json")
                row["supports"] = claim_set.vocabulary.supports(claim)
                row["relation_flag"] = claim_set.flags.get(claim.id)
                print(json.dumps(row, ensure_ascii=False))
        elif args.command == "export":
            frame = filter_claims(
                claims_frame(load_claims(args.claims, gazetteer=gazetteer)),
                places=args.place,
                outlets=args.outlet,
                types=args.type,
                start=args.since,
                end=args.until,
            )
            if args.faction is not None:
                frame = filter_by_faction(frame, args.faction, by=args.faction_by)
            path = export(frame, args.format, args.out)
            print(f"wrote {len(frame)} claims to {path}", file=sys.stderr)
        elif args.command == "status":
            for row in _status_rows(load_claims(args.claims, gazetteer=gazetteer), args.date, args.place, args.firm):
                print(json.dumps(row, ensure_ascii=False))
        elif args.command == "extract":
            for candidate in extract(_read_text(args.file, args.max_bytes), args.published, gazetteer=gazetteer):
                print(json.dumps(candidate.to_dict(), ensure_ascii=False))
        elif args.command == "ingest":
            store = Store(args.db)
            store.load_curated(load_claims(args.claims, gazetteer=gazetteer))
            summary = ingest_paths(
                store,
                args.paths,
                gazetteer,
                published=args.published,
                outlet=args.outlet,
                by=args.by,
                progress=not args.quiet,
                engine=args.engine,
                workers=args.workers,
                scheduler=args.scheduler,
                connect_timeout=args.connect_timeout,
                max_bytes=args.max_bytes,
            )
            print(summary.report())
            if summary.engine:
                print(f"extraction ran on {summary.engine}", file=sys.stderr)
            print(f"store: {store.path} {store.counts()}", file=sys.stderr)
            if summary.stored_nothing:
                why = "every file was refused" if summary.skipped else "no article files (.txt, .md, .html) found"
                print(f"nothing ingested: {why}", file=sys.stderr)
                return NOTHING_INGESTED
        elif args.command == "corpus-check":
            corpus = load_corpus(args.folder, gazetteer, load_vocabulary())
            n_mentions = sum(len(a.mentions) for a in corpus.articles)
            n_claims = sum(len(a.claims) for a in corpus.articles)
            print(f"ok: {len(corpus)} articles, {n_mentions} mentions, {n_claims} claims")
        elif args.command == "evaluate":
            if args.corpus is not None:
                vocabulary = load_vocabulary()
                corpus = load_corpus(args.corpus, gazetteer, vocabulary)
                print(corpus_table(evaluate_corpus(corpus, gazetteer, vocabulary)))
            else:
                print(table(evaluate(load_claims(args.claims, gazetteer=gazetteer))))
        elif args.command == "locate":
            start, end = locate(_read_text(args.file, args.max_bytes), args.quote)
            print(json.dumps({"start": start, "end": end}))
        elif args.command == "resolve":
            print(
                json.dumps(Resolver(gazetteer).resolve(args.name, args.context).to_dict(), ensure_ascii=False, indent=2)
            )
        elif args.command == "mentions":
            text = _read_text(args.file, args.max_bytes)
            found = MentionFinder(Resolver(gazetteer)).find(text)
            print(json.dumps([m.to_dict() for m in found], ensure_ascii=False, indent=2))
    except ClaimError as err:
        for problem in err.problems or [err]:
            print(problem, file=sys.stderr)
        print(f"invalid: {len(err.problems or [err])} problem(s)", file=sys.stderr)
        return 1
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _reviewer(args: argparse.Namespace) -> int:
    """`reviewer add|remove|list`: the reviewers file needs no gazetteer."""
    path = args.file or reviewers_path()
    try:
        if args.action == "list":
            for name in sorted(load_reviewers(path)):
                print(name)
        elif args.action == "remove":
            print(f"removed {args.name} from {remove_reviewer(args.name, path)}", file=sys.stderr)
        else:
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\r\n")
            else:
                password = getpass.getpass(f"password for {args.name}: ")
                if getpass.getpass("again: ") != password:
                    raise ReviewerError("the passwords differ; nothing was written")
            print(
                f"reviewer {args.name} can sign in; hash written to {add_reviewer(args.name, password, path)}",
                file=sys.stderr,
            )
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


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


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date: {value!r}; use YYYY-MM-DD") from err
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
    try:
        return read_file(path, max_bytes).decode("utf-8")
    except UnicodeDecodeError as err:
        raise GeoError(f"not UTF-8 text (byte {err.start}); convert it to UTF-8 first", path=path) from err
