"""Extraction time against input size: it must grow linearly, whatever the paragraphs look like.

    python bench/extract_scaling.py                       # 10 kB to 2 MB (about 2 min)
    python bench/extract_scaling.py --sizes 10k,50k       # chosen sizes only
    python bench/extract_scaling.py --naive-max 200k      # how far to run the naive way (slow)

The text repeats the seeds' paragraphs up to each size, either joined by blank lines (many
paragraphs, as articles are) or by spaces (one paragraph, as a file with no line breaks is).
For each it prints the seconds and MB/s of `geo.extract.extract`, and, up to `--naive-max`,
the seconds of the naive way: pysbd given the whole paragraph at once, as extraction did
before, whose time grows with the square of the paragraph's length.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.extract import extract  # noqa: E402
from geo.sentences import _segmenter  # noqa: E402

DAY = dt.date(2021, 9, 4)


def size(value: str) -> int:
    units = {"k": 1_000, "m": 1_000_000}
    value = value.strip().lower()
    return int(float(value[:-1]) * units[value[-1]]) if value[-1] in units else int(value)


def build(n_bytes: int, joiner: str) -> str:
    paragraphs = [
        p.strip() for path in sorted((ROOT / "seeds").glob("*.txt")) for p in path.read_text().split("\n") if p.strip()
    ]
    unit = joiner.join(paragraphs)
    text = joiner.join([unit] * (n_bytes // len(unit.encode()) + 1))
    return text.encode()[:n_bytes].decode("utf-8", "ignore")


def naive(text: str) -> float:
    """The old way: pysbd on each paragraph whole, however long."""
    start = time.perf_counter()
    for paragraph in text.split("\n"):
        if paragraph.strip():
            _segmenter().processor(paragraph).process()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,50k,200k,500k,1m,2m")
    parser.add_argument("--naive-max", type=size, default=size("200k"), help="largest input for the naive way")
    args = parser.parse_args()
    print(f"# {platform.machine()}, Python {platform.python_version()}, {dt.date.today()}")
    extract("The Taliban captured Bazarak.", DAY)  # load the gazetteer and lexicon once, as a server has
    print(f"{'input':>6} {'layout':>15} {'claims':>7} {'seconds':>8} {'MB/s':>6} {'naive pysbd':>12}")
    for n in (size(s) for s in args.sizes.split(",")):
        for layout, joiner in (("many paragraphs", "\n\n"), ("one paragraph", " ")):
            text = build(n, joiner)
            start = time.perf_counter()
            found = extract(text, DAY)
            seconds = time.perf_counter() - start
            mb = len(text.encode()) / 1e6
            old = f"{naive(text):>10.2f} s" if n <= args.naive_max else f"{'-':>12}"
            print(
                f"{n // 1000:>4}kB {layout:>15} {len(found):>7} {seconds:>8.2f} {mb / seconds:>6.2f} {old}",
                flush=True,
            )


if __name__ == "__main__":
    main()
