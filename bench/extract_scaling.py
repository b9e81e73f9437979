"""Extraction time against input size: it must grow linearly, whatever the paragraphs look like.

    python bench/extract_scaling.py                       # 10 kB to 2 MB (about 2 min)
    python bench/extract_scaling.py --sizes 10k,50k       # chosen sizes only
    python bench/extract_scaling.py --naive-max 200k      # how far to run the naive way (slow)

The text repeats the seeds' paragraphs up to each size, either joined by blank lines (many
paragraphs, as articles are) or by spaces (one paragraph, as a file with no line breaks is).
For each it prints the seconds and MB/s of `geo.extraction.extract.extract`, and, up to `--naive-max`,
the seconds of the naive way: pysbd given the whole paragraph at once, as extraction did
before, whose time grows with the square of the paragraph's length.

Then the same sizes as HTML of many small elements (the text in `<p>`s of 50 characters, each
with a link, then a `<script>`), read by
`geo.store.documents.read_document`, beside the naive way that edits BeautifulSoup's tree
(`decompose` each script, then `get_text`), which is quadratic in the number of elements.
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

from bs4 import BeautifulSoup  # noqa: E402

from geo.extraction.extract import extract  # noqa: E402
from geo.extraction.sentences import _segmenter  # noqa: E402
from geo.store.documents import read_document  # noqa: E402

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


def naive_html(html: str) -> float:
    start = time.perf_counter()
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    soup.get_text("\n")
    return time.perf_counter() - start


def html_page(n_bytes: int) -> str:
    text = build(n_bytes // 2, " ").replace("<", " ")
    pieces = (text[i : i + 50] for i in range(0, len(text), 50))
    body = "".join(f"<p>{p[:20]}<a href='#'>{p[20:35]}</a>{p[35:]}</p><script>x()</script>" for p in pieces)
    return f"<html><body>{body}</body></html>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,50k,200k,500k,1m,2m")
    parser.add_argument("--naive-max", type=size, default=size("200k"), help="largest input for naive pysbd")
    parser.add_argument("--naive-html-max", type=size, default=size("1m"), help="largest input for naive HTML")
    parser.add_argument("--html-only", action="store_true", help="skip extraction, time reading HTML only")
    args = parser.parse_args()
    print(f"# {platform.machine()}, Python {platform.python_version()}, {dt.date.today()}")
    extract("The Taliban captured Bazarak.", DAY)  # load the gazetteer and lexicon once, as a server has
    print(f"{'input':>6} {'layout':>15} {'claims':>7} {'seconds':>8} {'MB/s':>6} {'naive pysbd':>12}")
    for n in (size(s) for s in args.sizes.split(",")) if not args.html_only else ():
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
    print(f"\n{'HTML':>6} {'elements':>9} {'seconds':>8} {'MB/s':>6} {'naive: edit the tree':>21}")
    for n in (size(s) for s in args.sizes.split(",")):
        page = html_page(n)
        start = time.perf_counter()
        read_document(page.encode(), "page.html", max_bytes=len(page.encode()))
        seconds = time.perf_counter() - start
        mb = len(page.encode()) / 1e6
        old = f"{naive_html(page):>19.2f} s" if n <= args.naive_html_max else f"{'-':>21}"
        print(f"{n // 1000:>4}kB {page.count('<'):>9} {seconds:>8.2f} {mb / seconds:>6.2f} {old}", flush=True)


if __name__ == "__main__":
    main()
