"""Command line: `python -m geo resolve NAME`, `mentions FILE`, `validate`. Output is JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.errors import GazetteerError, GeoError
from geo.gazetteer import DEFAULT_ROOT, load_gazetteer
from geo.mentions import MentionFinder
from geo.resolve import Resolver


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    parser.add_argument("--gazetteer", type=Path, default=DEFAULT_ROOT, help="gazetteer folder (default: bundled)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("resolve", help="resolve a place name; prints one JSON object")
    p.add_argument("name")
    p.add_argument("--context", nargs="*", default=[], metavar="PLACE_ID", help="ids of places named nearby")
    p = sub.add_parser("mentions", help="find place mentions in a UTF-8 text file; prints a JSON list")
    p.add_argument("file", type=Path)
    sub.add_parser("validate", help="check the gazetteer files; exit 1 on any problem")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
            print(f"ok: {len(gazetteer)} places, {len(gazetteer.layers)} boundary layers, in {gazetteer.root}")
        elif args.command == "resolve":
            print(
                json.dumps(Resolver(gazetteer).resolve(args.name, args.context).to_dict(), ensure_ascii=False, indent=2)
            )
        elif args.command == "mentions":
            text = _read_text(args.file)
            found = MentionFinder(Resolver(gazetteer)).find(text)
            print(json.dumps([m.to_dict() for m in found], ensure_ascii=False, indent=2))
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise GeoError("no such file; give the path of a UTF-8 text file", path=path) from err
    except UnicodeDecodeError as err:
        raise GeoError(f"not UTF-8 text (byte {err.start}); convert it to UTF-8 first", path=path) from err
    except OSError as err:
        raise GeoError(f"cannot read: {err.strerror}", path=path) from err
