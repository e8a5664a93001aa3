"""Throughput of extract() on the firehose sample, gazetteer load time, and the false-positive rate.

Usage: python bench/extract_bench.py [N] [--show K]
Reads ../shared/data/news/rss_firehose_2022_2023_sample.jsonl.gz (relative to the repo root).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from streams.core.extract import extract, gazetteer  # noqa: E402
from streams.eval.sources import rss_article  # noqa: E402

FIREHOSE = REPO.parent / "shared" / "data" / "news" / "rss_firehose_2022_2023_sample.jsonl.gz"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 20_000
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0

    start = time.perf_counter()
    gazetteer.get()
    load_s = time.perf_counter() - start

    articles = []
    with gzip.open(FIREHOSE, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n:
                break
            article = rss_article(json.loads(line))
            if article is not None:
                articles.append(article)

    start = time.perf_counter()
    hits = []
    for art in articles:
        reports = extract(art)
        if reports:
            hits.append((art, reports))
    elapsed = time.perf_counter() - start
    print(f"gazetteer load: {load_s:.3f} s")
    print(f"articles: {len(articles)}  time: {elapsed:.2f} s  throughput: {len(articles) / elapsed:,.0f} articles/s")
    print(f"articles with >=1 report: {len(hits)} ({100 * len(hits) / max(1, len(articles)):.2f} %)")
    for art, reports in hits[:show]:
        r = reports[0]
        print(f"- {art.title!r} -> {r.settlement or r.admin1 or r.country} {r.date} {r.weapons} k={r.killed}")


if __name__ == "__main__":
    main()
