"""Resolver and mention-finder throughput. Prints its figures; run `python bench/resolve.py`.

Figures:
- exact/variant look-ups per second (every listed spelling, as written);
- fuzzy resolutions per second for misspellings no index level catches, measured cold (every
  query distinct, caches cleared) and on a news-like stream where misspellings recur, against a
  naive rapidfuzz scan (`process.extractOne` with the default WRatio over every name) in the
  same run;
- mention finding in MB of text per second, over the five seeds repeated to 4 MB.
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from pathlib import Path

from rapidfuzz import process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import MentionFinder, Resolver, load_gazetteer
from geo.places.namekeys import norm_key, translit_key

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


ROUNDS = 3  # each figure is the best of this many rounds: this VM's speed varies from run to run


def rate(fn, items: list, repeat: int = 1, before=lambda: None) -> float:
    """Calls per second, best of ROUNDS; `before` runs ahead of each round, untimed."""
    best = 0.0
    for _ in range(ROUNDS):
        before()
        start = time.perf_counter()
        for _ in range(repeat):
            for item in items:
                fn(item)
        best = max(best, len(items) * repeat / (time.perf_counter() - start))
    return best


def misspell(name: str, rng: random.Random) -> str:
    chars = list(name)
    i = rng.randrange(1, len(chars))
    edit = rng.choice(["drop", "swap", "double", "replace"])
    if edit == "drop":
        del chars[i]
    elif edit == "swap" and i < len(chars) - 1:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif edit == "double":
        chars.insert(i, "a" if chars[i] in "aeiou" else chars[i - 1])
    else:
        chars[i] = rng.choice("aeioukrstnl")
    return "".join(chars)


def clear_caches(resolver: Resolver) -> None:
    resolver._cache.clear()
    norm_key.cache_clear()
    translit_key.cache_clear()


def main() -> None:
    gazetteer = load_gazetteer()
    resolver = Resolver(gazetteer)
    names = [n for place in gazetteer for n in place.names]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"gazetteer: {len(gazetteer)} places, {len(names)} names")

    exact = names * (200_000 // len(names))
    for n in exact:
        resolver.resolve(n)
    print(f"exact/variant: {rate(resolver.resolve, exact, repeat=5):>12,.0f} resolutions/s  (goal >= 1,000,000)")

    rng = random.Random(2021)
    pool = [n for n in names if n.isascii() and len(n) >= 6]
    fuzzy: list[str] = []
    seen: set[str] = set()
    while len(fuzzy) < 3000:
        q = misspell(rng.choice(pool), rng)
        if q in seen:
            continue
        seen.add(q)
        clear_caches(resolver)
        if resolver.resolve(q).method == "fuzzy":
            fuzzy.append(q)
    cold = rate(resolver.resolve, fuzzy, before=lambda: clear_caches(resolver))
    hits = sum(resolver.resolve(q).place is not None for q in fuzzy)
    stream = [rng.choice(fuzzy[:300]) for _ in range(300_000)]
    warm = rate(resolver.resolve, stream, before=lambda: clear_caches(resolver))
    naive = rate(lambda q: process.extractOne(q, names), fuzzy[:1000])
    print(f"fuzzy, cold:   {cold:>12,.0f} resolutions/s  ({len(fuzzy)} distinct misspellings, {hits} resolved)")
    print(f"fuzzy, stream: {warm:>12,.0f} resolutions/s  (300 misspellings recurring, as names recur in news)")
    print(f"naive scan:    {naive:>12,.0f} resolutions/s  (rapidfuzz extractOne, WRatio, all {len(names)} names)")
    print(f"ratio: cold {cold / naive:.1f}x, stream {warm / naive:.0f}x the naive scan  (goal >= 100,000/s and >= 20x)")

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    corpus = text * (4_000_000 // len(text.encode()))
    finder = MentionFinder(resolver)
    megabytes = len(corpus.encode()) / 1e6
    per_second = rate(finder.find, [corpus])
    count = len(finder.find(corpus))
    print(f"mentions:      {megabytes * per_second:>12.1f} MB/s  ({megabytes:.1f} MB, {count:,} mentions)  (goal >= 5)")


if __name__ == "__main__":
    main()
