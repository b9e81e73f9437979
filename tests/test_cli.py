"""`python -m geo`: real subprocesses, JSON on stdout, errors on stderr with exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from geo import cli
from tests.conftest import ARTICLE, BASE_PLACES, ROOT, SEEDS, claims_page, run_geo


def test_resolve_prints_json() -> None:
    out = run_geo("resolve", "Pazark")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["place_id"], data["name"], data["method"]) == ("bazarak", "Bazarak", "variant")
    assert (data["lat"], data["lon"]) == (35.31292, 69.51519)


def test_resolve_with_context() -> None:
    data = json.loads(run_geo("resolve", "Kabul", "--context", "kabul-province").stdout)
    assert data["place_id"] in ("kabul", "kabul-province") and len(data["candidates"]) == 2


def test_mentions_prints_the_documented_fields() -> None:
    out = run_geo("mentions", str(SEEDS / "000_e6d450eeac073c7f.txt"))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows[0] | {"explanation": None} == {
        "mention": "Shatel",
        "start": 44,
        "end": 50,
        "place_id": "shutul-district",
        "name": "Shutul",
        "lat": 35.294,
        "lon": 69.3027,
        "method": "variant",
        "score": 1.0,
        "explanation": None,
    }
    assert {"mention", "start", "end", "place_id", "name", "lat", "lon", "method", "score"} <= set(rows[5])


def test_mentions_of_a_missing_file() -> None:
    out = run_geo("mentions", "no/such/file.txt")
    assert out.returncode == 2 and "no such file" in out.stderr


def test_mentions_of_a_binary_file(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(b"\xff\xfe\x00ba")  # a UTF-16 mark, then an odd byte count
    out = run_geo("mentions", str(tmp_path / "x.txt"))
    assert out.returncode == 2 and "x.txt is not UTF-16 text (byte 4), though it begins as UTF-16 does" in out.stderr
    (tmp_path / "x.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = run_geo("mentions", str(tmp_path / "x.txt"))
    assert out.returncode == 2 and "x.txt is a binary file" in out.stderr


def test_validate_bundled() -> None:
    out = run_geo("validate")
    assert out.returncode == 0 and out.stdout.startswith("ok: 120 places, 2 boundary layers, 92 claims")


def test_validate_fails_on_a_bad_record(make_gazetteer: Callable[..., Path]) -> None:
    bad = [*BASE_PLACES[:3], BASE_PLACES[3] | {"point": {"lat": 69.5, "lon": 35.3}}]
    out = run_geo("--gazetteer", str(make_gazetteer(bad)), "validate")
    assert out.returncode == 1
    assert "test.yaml" in out.stderr and "place 'bazarak'" in out.stderr
    assert "invalid: 2 problem(s)" in out.stderr  # outside the province and the district


def test_claims_prints_json_lines() -> None:
    out = run_geo("claims")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) >= 50
    first = rows[0]
    assert {"id", "document", "quote", "start", "end", "place_id", "claimant", "subject", "type", "date"} <= set(first)
    assert first["supports"] == "taliban"


def test_export_writes_a_filtered_file(tmp_path: Path) -> None:
    out = run_geo("export", "--format", "geojson", str(tmp_path / "tass.geojson"), "--outlet", "TASS")
    assert out.returncode == 0, out.stderr
    assert "wrote 9 claims" in out.stderr
    assert len(json.loads((tmp_path / "tass.geojson").read_text())["features"]) == 9


def test_locate() -> None:
    out = run_geo("locate", str(SEEDS / "004_9664b19b629e403e.txt"), "only pocket of resistance")
    assert json.loads(out.stdout) == {"start": 2502, "end": 2527}


@pytest.mark.parametrize(
    ("factions", "by"),
    [(["nrf"], "layer"), (["taliban", "other"], "layer"), (["nrf"], "claimant"), (["nrf"], "subject")],
)
def test_export_filters_factions_as_the_app_does(tmp_path: Path, factions: list[str], by: str) -> None:
    """The same faction filter gives the same claims from the CLI as from the app's downloads."""
    args = [a for f in factions for a in ("--faction", f)]
    by_args = [] if by == "layer" else ["--faction-by", by]  # the app's default, unsaid
    out = run_geo("export", "--format", "geojson", str(tmp_path / "f.geojson"), *args, *by_args)
    assert out.returncode == 0, out.stderr
    cli = {f["properties"]["claim_id"] for f in json.loads((tmp_path / "f.geojson").read_text())["features"]}
    app = claims_page(factions=",".join(factions), by=by)
    shown = set(app.dataframe[0].value["claim_id"])  # every claim the downloads hold, as of the last day
    curated = {c["id"] for c in (json.loads(line) for line in run_geo("claims").stdout.splitlines())}
    assert cli and cli == shown & curated  # the app's store may also hold articles added by other tests


def file_commands(path: Path, tmp_path: Path) -> dict[str, list[str]]:
    """Each command that reads a named file, as it would be run on `path`."""
    return {
        "extract": ["extract", str(path)],
        "mentions": ["mentions", str(path)],
        "locate": ["locate", str(path), "Bazarak"],
        "ingest": ["ingest", str(path), "--db", str(tmp_path / "claims.sqlite"), "--quiet"],
    }


@pytest.mark.parametrize("command", ["extract", "mentions", "locate", "ingest"])
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)  # nobody ever writes to it: reading it would wait for ever
    out = run_geo(*file_commands(pipe, tmp_path)[command], timeout=60)
    assert out.returncode == (3 if command == "ingest" else 2), out.stderr
    assert "pipe.txt is a named pipe (FIFO), not a file" in out.stdout + out.stderr


@pytest.mark.parametrize("command", ["extract", "mentions", "locate", "ingest"])
def test_a_device_is_refused_not_read_to_the_end(tmp_path: Path, command: str) -> None:
    out = run_geo(*file_commands(Path("/dev/zero"), tmp_path)[command], timeout=60)
    assert out.returncode == (3 if command == "ingest" else 2), out.stderr
    assert "zero is a character device, not a file" in out.stdout + out.stderr


@pytest.mark.parametrize("command", ["extract", "mentions", "locate", "ingest"])
def test_a_file_over_the_apps_limit_is_refused_unless_the_limit_is_raised(tmp_path: Path, command: str) -> None:
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE + " " + "x" * 2_000_000, encoding="utf-8")
    out = run_geo(*file_commands(big, tmp_path)[command])
    assert out.returncode == (3 if command == "ingest" else 2), out.stderr
    assert f"big.txt is {big.stat().st_size:,} bytes, over the 2,000,000-byte limit" in out.stdout + out.stderr
    assert "--max-bytes" in out.stdout + out.stderr
    out = run_geo(*file_commands(big, tmp_path)[command], "--max-bytes", "3000000")
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("command", ["extract", "ingest"])
@pytest.mark.parametrize(
    "day", ["0001-01-01", "1899-12-31", "9999-12-31", str(dt.date.today() + dt.timedelta(days=400))]
)
def test_a_publication_date_far_from_the_news_is_refused(tmp_path: Path, command: str, day: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = run_geo(*file_commands(article, tmp_path)[command], "--published", day)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"--published: {day} is not a plausible publication date" in out.stderr
    assert not (tmp_path / "claims.sqlite").exists()


def test_ingest_exits_3_when_nothing_was_ingested_and_says_why(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    db = str(tmp_path / "claims.sqlite")
    out = run_geo("ingest", str(tmp_path / "empty.txt"), str(tmp_path / "photo.txt"), "--db", db, "--quiet")
    assert out.returncode == 3, out.stderr
    assert "empty.txt is empty" in out.stdout and "photo.txt is a binary file" in out.stdout
    assert "nothing ingested" in out.stderr
    folder = tmp_path / "nothing"
    folder.mkdir()
    out = run_geo("ingest", str(folder), "--db", db, "--quiet")
    assert out.returncode == 3 and "no article files" in out.stderr


def test_ingest_exits_0_when_a_file_was_added_or_already_there(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "claims.sqlite")
    first = run_geo("ingest", str(tmp_path), "--db", db, "--quiet")
    assert first.returncode == 0 and first.stdout.startswith("added 1 documents"), first.stderr
    again = run_geo("ingest", str(tmp_path / "a.txt"), "--db", db, "--quiet")  # idempotent: not a failure
    assert again.returncode == 0 and "already in the store" in again.stdout, again.stderr


def stored(db: Path) -> tuple[list, list]:
    with sqlite3.connect(db) as conn:
        docs = conn.execute("SELECT id, name, text FROM documents ORDER BY id").fetchall()
        claims = conn.execute("SELECT id, status, data FROM claims ORDER BY id").fetchall()
    return docs, claims


def ingest(articles: Path, db: Path, *options: str) -> subprocess.CompletedProcess[str]:
    out = run_geo(
        "ingest", str(articles), "--db", str(db), "--published", "2021-09-04", "--quiet", *options, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return out


def test_ingest_on_a_dask_cluster_it_starts(tmp_path: Path, articles: Path) -> None:
    """The README's command: a local Dask cluster of two workers, started and closed by the CLI."""
    ingest(articles, tmp_path / "one.sqlite")
    out = ingest(articles, tmp_path / "dask.sqlite", "--engine", "dask", "--workers", "2")
    assert "extraction ran on dask: a local cluster of 2 workers at tcp://127.0.0.1:" in out.stderr
    assert stored(tmp_path / "dask.sqlite") == stored(tmp_path / "one.sqlite")


def test_ingest_on_a_running_dask_cluster(tmp_path: Path, articles: Path) -> None:
    from dask.distributed import LocalCluster

    ingest(articles, tmp_path / "one.sqlite")
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None, host="127.0.0.1") as cluster:
        address = cluster.scheduler_address
        out = ingest(articles, tmp_path / "dask.sqlite", "--engine", "dask", "--scheduler", address)
        ran = cluster.scheduler.task_prefixes  # what this cluster ran, by function name
        assert "extract_job" in ran and ran["extract_job"].all_durations["compute"] > 0, list(ran)
    assert f"extraction ran on dask: 2 workers at {address}" in out.stderr
    assert stored(tmp_path / "dask.sqlite") == stored(tmp_path / "one.sqlite")


def test_ingest_fails_when_the_dask_scheduler_cannot_be_reached(tmp_path: Path, articles: Path) -> None:
    address = "tcp://127.0.0.1:1"  # nothing listens on port 1
    out = run_geo(
        "ingest", str(articles), "--db", str(tmp_path / "x.sqlite"), "--quiet",
        "--engine", "dask", "--scheduler", address, "--connect-timeout", "2", timeout=120,
    )  # fmt: skip
    assert out.returncode == 2, out.stderr
    assert f"cannot reach the Dask scheduler at {address}" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask"),
        (["--workers", "0"], "--workers: 0 is not a positive whole number"),
        (["--max-bytes", "-5"], "--max-bytes: -5 is not a positive whole number"),
    ],
)
def test_ingest_options_that_cannot_work_are_refused(
    tmp_path: Path, articles: Path, options: list[str], message: str
) -> None:
    out = run_geo("ingest", str(articles), "--db", str(tmp_path / "x.sqlite"), *options)
    assert out.returncode == 2 and message in out.stderr
    assert not (tmp_path / "x.sqlite").exists()


def commands(
    parser: argparse.ArgumentParser | None = None, path: tuple[str, ...] = (), inherited: frozenset[str] = frozenset()
) -> Iterator[tuple[str, argparse.ArgumentParser, frozenset[str]]]:
    """Every command of the command line ("ingest", "reviewer add"…), its parser, and the dests of
    the options it declares, with those of the groups above it (`reviewer --file`)."""
    parser = parser or cli.parser()
    own = {a.dest for a in parser._actions if a.dest not in ("help", cli.FUNC, *cli.CHOSEN)}
    dests = inherited | own if path else frozenset()  # the top level's options are the global ones
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield " ".join(path), parser, dests
    for group in groups:
        for name, sub in group.choices.items():
            yield from commands(sub, (*path, name), dests)


COMMANDS = {name: (p, dests) for name, p, dests in commands()}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_of_a_command_is_a_parameter_of_its_function(name: str) -> None:
    """`main` passes the options as keyword arguments: one the function does not take is a
    TypeError on every run, and one it takes but no option gives, on every run too."""
    p, dests = COMMANDS[name]
    func = p.get_default(cli.FUNC)
    assert func is not None, f"{name} has no function"
    parameters = set(inspect.signature(func).parameters)
    assert dests == parameters - set(cli.GLOBAL_OPTIONS), (
        f"{name}: options {sorted(dests)}, {func.__name__} takes {sorted(parameters)}"
    )


def test_every_parameter_of_a_command_is_used() -> None:
    """The other half: a function that takes an option and never reads it (ruff's unused-argument rules)."""
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "ARG", "geo/cli.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout


def test_every_global_option_is_read_by_a_command() -> None:
    read = {p for p, _ in COMMANDS.values() for p in inspect.signature(p.get_default(cli.FUNC)).parameters}
    globals_declared = {a.dest for a in cli.parser()._actions if a.dest not in ("help", "command")}
    assert globals_declared == set(cli.GLOBAL_OPTIONS) <= read


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_from_its_docstring(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    p, _ = COMMANDS[name]
    with pytest.raises(SystemExit) as exit_:
        cli.main([*name.split(), "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m geo {name} ")
    assert inspect.getdoc(p.get_default(cli.FUNC)).split("\n")[0] in out


#: A run of each command with (nearly) every option it has, as typed after `python -m geo`
#: ({tmp}: a temporary folder holding a.txt, an ARTICLE), its exit code, and a piece of what it prints.
RUNS: dict[str, tuple[str, int, str]] = {
    "resolve": ("resolve Kabul --context kabul-province", 0, '"place_id": "kabul'),
    "mentions": ("mentions {tmp}/a.txt --max-bytes 1000", 0, '"place_id": "bazarak"'),
    "validate": ("validate", 0, "ok: 120 places"),
    "claims": ("claims", 0, '"supports": "taliban"'),
    "export": ("export --format csv {tmp}/x.csv --faction nrf --faction-by claimant --place bazarak --outlet TASS --type control --since 2021-09-01 --until 2021-09-30", 0, "wrote 0 claims"),
    "status": ("status --date 2021-09-06 --place panjshir-province --firm", 0, '"status": '),
    "extract": ("extract {tmp}/a.txt --published 2021-09-03 --max-bytes 1000", 0, '"place_id": "bazarak"'),
    "evaluate": ("evaluate --corpus corpus/dev --show-errors", 0, "claims scored wrong"),
    "corpus-check": ("corpus-check corpus/dev", 0, "ok: "),
    "ingest": ("ingest {tmp}/a.txt --db {tmp}/c.sqlite --published 2021-09-03 --outlet AFP --by tester --quiet --engine local --workers 1 --connect-timeout 5 --max-bytes 1000", 0, "added 1 documents"),
    "reviewer add": ("reviewer --file {tmp}/r.toml add amina --password-stdin", 0, "amina can sign in"),
    "reviewer list": ("reviewer --file {tmp}/r.toml list", 0, ""),
    "reviewer remove": ("reviewer --file {tmp}/r.toml remove amina", 2, "amina"),
    "locate": ("locate {tmp}/a.txt Bazarak --max-bytes 1000", 0, '"start": 21'),
    "train-scorer": ("train-scorer --corpus {tmp}/dev --out {tmp}/scorer.json", 0, "wrote "),
    "search": ("search Pazark --db {tmp}/c.sqlite --limit 1", 0, '"kind": "claim"'),
}  # fmt: skip


def small_corpus(source: Path, folder: Path, *, articles: int) -> None:
    """The first few articles of a corpus, with their annotations: enough to train on quickly."""
    kept = yaml.safe_load((source / "annotations.yaml").read_text(encoding="utf-8"))[:articles]
    folder.mkdir()
    for entry in kept:
        shutil.copy(source / entry["document"], folder / entry["document"])
    (folder / "annotations.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")


def test_every_command_has_a_run() -> None:
    assert set(RUNS) == set(COMMANDS)


@pytest.mark.parametrize("name", RUNS)
def test_a_run_of_every_command_with_its_options(tmp_path: Path, name: str) -> None:
    """Each command, run with (nearly) every option it has: a parsed option its function does not
    take would fail here, whatever the unit tests above say."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    argv, code, says = RUNS[name]
    if "{tmp}/dev" in argv:
        small_corpus(ROOT / "corpus" / "dev", tmp_path / "dev", articles=4)
    out = run_geo(*shlex.split(argv.replace("{tmp}", str(tmp_path))), input="a long enough password\n")
    assert out.returncode == code, out.stderr
    assert says in out.stdout + out.stderr


@pytest.mark.parametrize(
    "value", ["2021-9-5", "zzz", "2021-13-01", "2021-02-30", "20210906", "2021-W36-1", "٢٠٢١-٠٩-٠٦"]
)
@pytest.mark.parametrize(
    "command",
    [
        "export --format csv {tmp}/x.csv --since {value}",
        "export --format csv {tmp}/x.csv --until {value}",
        "status --date {value}",
        "extract {tmp}/a.txt --published {value}",
    ],
)
def test_a_day_that_is_not_yyyy_mm_dd_is_refused_with_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, value: str
) -> None:
    """Compared as text, `--since 2021-9-5` once wrote 0 claims and exited 0; Python's ISO 8601
    parser takes 20210906 and 2021-W36-1, which the messages never asked for."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        cli.main(command.format(tmp=tmp_path, value=value).split(" "))
    assert exited.value.code == 2
    option = command.split(" ")[-2]
    assert f"{option}: not a date: {value!r}; write YYYY-MM-DD, e.g. 2021-09-06" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
