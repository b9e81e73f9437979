"""How the tool scales: figures at growing sizes, each beside the obvious naive way, same run.

    python bench/scale.py            # 1k, 10k and 100k claims (several minutes)
    python bench/scale.py --quick    # 1k and 10k only

Prints: extraction throughput (one process, N processes, and re-loading the gazetteer per
document); store ingest (a transaction per document vs per claim); the app's rerun time after a
filter change and a date change, with AppTest (vs re-reading the store per rerun); the map's
size (one marker per place and faction vs one per claim); the app's peak memory. The resolver's
figures are bench/resolve.py's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import folium  # noqa: E402
from synth import generate  # noqa: E402

from geo.claims.model import ClaimSet, load_claims  # noqa: E402
from geo.claims.status import in_force, status_table  # noqa: E402
from geo.claims.tables import claims_frame, index_frame, latest_as_of  # noqa: E402
from geo.extraction.extract import extract  # noqa: E402
from geo.places.gazetteer import load_gazetteer  # noqa: E402
from geo.store.database import Store  # noqa: E402
from geo.web.html import summary_popup  # noqa: E402
from geo.web.mapview import build_claims_map  # noqa: E402

DAY = dt.date(2021, 9, 4)


def _extract_one(text: str) -> int:
    return len(extract(text, DAY))


def bench_extraction(sizes: list[int]) -> None:
    print("\n## Extraction (synthetic articles)")
    print(f"{'articles':>9} {'MB':>6} {'1 process':>18} {'2 processes':>18} {'naive: reload gazetteer':>26}")
    for n in sizes:
        texts = list(generate(n * 8, n).texts.values())
        mb = sum(len(t.encode()) for t in texts) / 1e6
        extract(texts[0], DAY)  # warm the caches, as a running server has
        t = time.perf_counter()
        for text in texts:
            extract(text, DAY)
        one = time.perf_counter() - t
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_extract_one, texts[:4]))
            t = time.perf_counter()
            list(pool.map(_extract_one, texts, chunksize=8))
            two = time.perf_counter() - t
        sample = texts[: max(3, n // 20)]
        t = time.perf_counter()
        for text in sample:
            extract(text, DAY, gazetteer=load_gazetteer())
        naive = (time.perf_counter() - t) / len(sample) * n
        print(
            f"{n:>9} {mb:>6.2f} {n / one:>8.0f} doc/s {mb / one:>4.2f} MB/s {n / two:>8.0f} doc/s {mb / two:>4.2f} MB/s"
            f" {n / naive:>10.1f} doc/s ({naive / one:.0f}x slower)"
        )


def fill_store(path: Path, n_claims: int, n_articles: int) -> Store:
    corpus = generate(n_claims, n_articles)
    store = Store(path)
    store.load_curated(load_claims())
    by_doc: dict[str, list] = {}
    for c in corpus.claims:
        by_doc.setdefault(c.document, []).append((c.id, "accepted", c.model_dump(mode="json")))
    for name, text in corpus.texts.items():
        store.add_document(text, corpus.sources[name], by_doc.get(name, []), by="bench")
    return store


def bench_store(sizes: list[int]) -> None:
    print("\n## Store ingest (accepted claims, 10 per document)")
    print(f"{'claims':>9} {'per document':>22} {'naive: per claim':>24}")
    for n in sizes:
        corpus = generate(n, max(1, n // 10))
        rows = {name: [] for name in corpus.texts}
        for c in corpus.claims:
            rows[c.document].append((c.id, "accepted", c.model_dump(mode="json")))
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "a.sqlite")
            t = time.perf_counter()
            for name, text in corpus.texts.items():
                store.add_document(text, corpus.sources[name], rows[name], by="bench")
            grouped = time.perf_counter() - t
            naive_store = Store(Path(tmp) / "b.sqlite")
            sample = list(corpus.texts)[: max(5, len(corpus.texts) // 50)]
            t = time.perf_counter()
            for name in sample:
                naive_store.add_document(corpus.texts[name], corpus.sources[name], [], by="bench")
                for row in rows[name]:
                    with naive_store.transaction() as conn:
                        conn.execute(
                            "INSERT INTO claims VALUES (?, (SELECT id FROM documents WHERE name = ?), ?, ?, NULL, '', 'b')",
                            (row[0], name, row[1], json.dumps(row[2])),
                        )
            naive = (time.perf_counter() - t) / max(1, sum(len(rows[s]) for s in sample)) * n
        print(f"{n:>9} {n / grouped:>12,.0f} claims/s {n / naive:>14,.0f} claims/s ({naive / grouped:.1f}x slower)")


APP_PROBE = r"""
import json, os, sys, time, datetime as dt
sys.path.insert(0, {root!r})
from streamlit.testing.v1 import AppTest
t = time.perf_counter()
at = AppTest.from_file({app!r}, default_timeout=900).run()
first = time.perf_counter() - t
assert not at.exception, at.exception
def timed(actions):
    # Every action shows a view not shown before: nothing is cached per view, and none of
    # these figures may come from a view the app has drawn already.
    times = []
    for action in actions:
        t = time.perf_counter(); action(); times.append(time.perf_counter() - t)
        assert not at.exception, at.exception
    return min(times), sorted(times)[len(times) // 2]
types = list(at.session_state["types"])  # the sidebar's filters set the session's values (views/filters.py)
def choose_types(k):
    at.session_state["types"] = types[: len(types) - k]
    at.run()
filters = [lambda k=k: choose_types(k) for k in range(1, 6)]
def as_of():  # the slider's key changes whenever the page moves the date itself (views/claims.py)
    return next(s for s in at.slider if s.label == "As of")
days = [lambda d=d: as_of().set_value(dt.date(2021, 9, 1) + dt.timedelta(days=d)).run() for d in range(5)]
filt, date = timed(filters), timed(days)
at.radio(key="mode").set_value("range").run()
spans = [lambda d=d: at.slider(key="span").set_value((dt.date(2021, 8, 20), dt.date(2021, 9, 10 + d))).run() for d in range(5)]
span = timed(spans)
# The app's peak, before the naive re-read below adds a second table. VmHWM, not getrusage:
# Linux carries ru_maxrss across exec, so a probe would report the bench's own peak.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
from geo.store.database import Store
from geo.claims.model import load_claims
from geo.claims.tables import index_frame, stored_frame
bundled = load_claims()
t = time.perf_counter(); index_frame(stored_frame(Store(), bundled.gazetteer, bundled.vocabulary)[0]); reread = time.perf_counter() - t
print(json.dumps({{"first": first, "filter": filt, "date": date, "range": span, "reread": reread, "rss_mb": hwm / 1024}}))
"""


def bench_app(sizes: list[int]) -> None:
    print("\n## App rerun with AppTest (best and median of 5 views never shown before)")
    print(
        f"{'claims':>9} {'first run':>10} {'filter change':>16} {'as-of date':>16} {'range dates':>16}"
        f" {'naive: re-read store':>21} {'peak RSS':>9}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            fill_store(Path(tmp) / "claims.sqlite", n, max(1, n // 100))
            probe = APP_PROBE.format(root=str(ROOT), app=str(ROOT / "app.py"))
            out = subprocess.run(
                [sys.executable, "-c", probe],
                capture_output=True,
                text=True,
                cwd=ROOT,  # AppTest reads .streamlit/config.toml from here, as `streamlit run` does
                env={**os.environ, "PANJSHIR_DATA": tmp},
            )
            if out.returncode != 0:
                print(f"{n:>9} failed: {out.stderr[-400:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            cells = " ".join(f"{r[k][0] * 1000:>6.0f} / {r[k][1] * 1000:>4.0f} ms" for k in ("filter", "date", "range"))
            print(f"{n:>9} {r['first']:>9.2f}s {cells} {r['reread'] * 1000:>14.0f} ms more {r['rss_mb']:>6.0f} MB")


def bench_map(sizes: list[int]) -> None:
    print("\n## Map sent to the browser (range view, all claims): size, and time to build and render")
    print(f"{'claims':>9} {'places':>7} {'grouped':>20} {'naive: a marker per claim':>32}")
    base = load_claims()
    seeds = claims_frame(base)
    build_claims_map(
        seeds, status_table(in_force(seeds, DAY), base.gazetteer), base.gazetteer
    ).get_root().render()  # warm the basemap cache
    for n in sizes:
        corpus = generate(n, max(1, n // 10), base=base)
        claim_set = ClaimSet(tuple(corpus.claims), corpus.sources, base.vocabulary, base.gazetteer, corpus.texts)
        frame = claims_frame(claim_set)
        index = index_frame(frame)  # as the app does: a narrow table, whole rows only for popups
        grouped_s = float("inf")
        for _ in range(3):  # best of three, as everywhere here: this VM's speed varies
            t = time.perf_counter()
            status = status_table(in_force(index, DAY), base.gazetteer, details=frame)
            fmap = build_claims_map(index, status, base.gazetteer)
            grouped = len(fmap.get_root().render())
            grouped_s = min(grouped_s, time.perf_counter() - t)
        t = time.perf_counter()
        naive_map = folium.Map(tiles=None)
        sample = frame.head(min(n, 2000))
        for row in sample.itertuples():
            if row.lat == row.lat:
                popup = summary_popup([(row.place_id, row.place_name, row.quote, row.type)])
                folium.Marker((row.lat, row.lon), popup=popup).add_to(naive_map)
        naive = len(naive_map.get_root().render()) / len(sample) * n
        naive_s = (time.perf_counter() - t) / len(sample) * n
        print(
            f"{n:>9} {frame['place_id'].nunique():>7} {grouped / 1e3:>7.0f} kB {grouped_s * 1000:>6.0f} ms"
            f" {naive / 1e6:>9.1f} MB ({naive / grouped:.0f}x) {naive_s:>7.1f} s ({naive_s / grouped_s:.0f}x)"
        )
        assert len(latest_as_of(frame, DAY)) <= 3 * frame["place_id"].nunique()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k and 10k claims only")
    args = parser.parse_args()
    claims = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    print(f"# bench/scale.py on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    bench_extraction([100, 1000] if not args.quick else [100])
    bench_store(claims)
    bench_map(claims)
    bench_app(claims)
    print(f"\nthis process's peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
