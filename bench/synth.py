"""Synthetic corpora from the seeds and the gazetteer, so that benchmarks run anywhere.

Articles are built from the curated claims' sentences with their place swapped for another
in-area place, written in one of its listed spellings (so resolution sees realistic variants),
claims follow each sentence with exact offsets, and dates are spread over the conflict. Every
generated claim passes the same validation as the curated ones.

    python bench/synth.py --claims 10000 --articles 1000 --out /tmp/synth   # writes articles/*.txt
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.claims.model import Claim, ClaimSet, load_claims
from geo.claims.sources import DateRange, DocumentMeta

START = dt.date(2021, 8, 15)


@dataclass(frozen=True)
class Corpus:
    texts: dict[str, str]
    sources: dict[str, DocumentMeta]
    claims: list[Claim]


def generate(n_claims: int, n_articles: int, seed: int = 2021, base: ClaimSet | None = None) -> Corpus:
    rng = random.Random(seed)
    base = base or load_claims()
    gaz = base.gazetteer
    templates = [c for c in base.claims if c.place_text in c.quote and c.geo_precision != "country"]
    places = [p for p in gaz if not p.out_of_area and p.point is not None and p.type not in ("country", "building")]
    per_article = max(1, n_claims // n_articles)
    texts, sources, claims = {}, {}, []
    for a in range(n_articles):
        name = f"synth-{a:06d}.txt"
        day = START + dt.timedelta(days=rng.randrange(45))
        parts, offset = [], 0
        count = per_article if a < n_articles - 1 else n_claims - len(claims)
        for _ in range(count):
            t = rng.choice(templates)
            place = rng.choice([p for p in places if p.type in _TYPES[t.geo_precision]])
            spelling = rng.choice(place.names)
            quote = t.quote.replace(t.place_text, spelling, 1)
            start = offset
            parts.append(quote)
            offset += len(quote) + 2
            claims.append(
                t.model_copy(
                    update={
                        "id": f"y-{a:06d}-{len(claims):07d}",
                        "document": name,
                        "quote": quote,
                        "start": start,
                        "end": start + len(quote),
                        "place_text": spelling,
                        "place_id": place.id,
                        "place_note": None,
                        "date": t.date.model_copy(update={"start": day, "end": day}),
                        "made": None,
                        "hedge": None,
                        "competes_with": (),
                        "relation": None,
                    }
                )
            )
        texts[name] = "\n\n".join(parts)
        sources[name] = base.sources[t.document].model_copy(
            update={"document": name, "published": DateRange(start=day, end=day)}
        )
    return Corpus(texts, sources, claims)


_TYPES = {
    "point": ("town", "city", "pass", "area", "village"),
    "district": ("district",),
    "province": ("province",),
    "region": ("valley",),
    "country": ("country",),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    corpus = generate(args.claims, args.articles)
    (args.out / "articles").mkdir(parents=True, exist_ok=True)
    for name, text in corpus.texts.items():
        (args.out / "articles" / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(corpus.texts)} articles, {len(corpus.claims)} claims' worth of text to {args.out / 'articles'}")


if __name__ == "__main__":
    main()
