"""Same output, faster? ``extract()`` of this tree against a git revision, item by item, with CPU time.

    python bench/extract_same.py [--base REV] [--firehose N] [--keep DIR [--reuse-base]]

Runs the extractor of the working tree and of ``REV`` (default HEAD; exported with ``git archive``)
in two subprocesses over every labelled item (eval/dev_reports.jsonl, eval/dev_day_slices.jsonl), the
whole strike pool (with its publication times, and once more without any time, which exercises the
dateline and weekday fallbacks) and the first N firehose items. Each item's reports are serialised
with ``StrikeReport.to_dict``; the script prints the number of items that differ per file (only ids,
never texts) and the extraction throughput of each tree in articles per CPU-second. Exit status 1 when
any item differs. Speed work on the extractor must leave the differences at 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("STRIKEWATCH_BENCH_DATA", str(ROOT.parent / "shared" / "data")))
SETS = ("dev_reports", "dev_day_slices", "strike_pool", "strike_pool_untimed", "firehose")


def _dump(out_dir: Path, firehose_n: int) -> None:
    """Child side: extract every item with the ``streams`` on PYTHONPATH; one JSON line per item."""
    import dataclasses
    import gzip
    import json
    import time

    import orjson

    from streams.core.extract import extract
    from streams.eval.sources import gold_article, reference_time, rss_article

    def rows(path: Path, limit: int | None = None) -> list[dict[str, object]]:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            out = []
            for line in fh:
                if limit is not None and len(out) >= limit:
                    break
                out.append(json.loads(line))
        return out

    gold = [(gold_article(r), reference_time(r)) for r in rows(DATA / "eval" / "dev_reports.jsonl")]
    slices = [(gold_article(r), reference_time(r)) for r in rows(DATA / "eval" / "dev_day_slices.jsonl")]
    pool_arts = [a for a in map(rss_article, rows(DATA / "news" / "rss_strike_pool_2022_2023.jsonl")) if a]
    pool = [(a, a.published_at) for a in pool_arts]
    untimed = [(dataclasses.replace(a, published_at=None, published_at_quality="missing"), None) for a in pool_arts]
    firehose = rows(DATA / "news" / "rss_firehose_2022_2023_sample.jsonl.gz", firehose_n)
    fire = [(a, a.published_at) for a in map(rss_article, firehose) if a]
    extract(pool[0][0], pool[0][1])  # data files load outside the timing
    for name, items in zip(SETS, (gold, slices, pool, untimed, fire), strict=True):
        lines = []
        start = time.process_time()
        for art, ref in items:
            lines.append(orjson.dumps([r.to_dict() for r in extract(art, ref)]))
        cpu = time.process_time() - start
        (out_dir / f"{name}.jsonl").write_bytes(b"\n".join(lines) + b"\n")
        (out_dir / f"{name}.ids").write_text("\n".join(a.id for a, _ in items) + "\n", encoding="utf-8")
        print(f"{name}: {len(items)} items, {len(items) / cpu:,.0f} articles/cpu-s", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", default="HEAD", help="git revision to compare against (default HEAD)")
    p.add_argument("--firehose", type=int, default=20_000, help="firehose items (default 20,000)")
    p.add_argument("--keep", type=Path, help="keep the outputs in this directory")
    p.add_argument("--reuse-base", action="store_true",
                   help="with --keep: reuse the base outputs already there (the base revision is unchanged)")
    p.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.dump is not None:
        _dump(args.dump, args.firehose)
        return 0
    sys.path.insert(0, str(ROOT))  # the parent only: a child imports just the tree it measures
    from bench.revision import export_revision, run_in

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        base_tree = export_revision(args.base, Path(tmp))

        def _run_in(tree: Path, out: str) -> str:
            (work / out).mkdir(parents=True, exist_ok=True)
            return run_in(tree, Path(__file__), "--dump", str(work / out), "--firehose", str(args.firehose))

        if args.reuse_base and args.keep and (work / "base" / f"{SETS[-1]}.jsonl").exists():
            print(f"base {args.base}: outputs reused from {work / 'base'}")
        else:
            print(f"base {args.base}:\n" + _run_in(base_tree, "base"), flush=True)
        print(f"this tree {ROOT}:\n" + _run_in(ROOT, "tree"), flush=True)
        total = 0
        for name in SETS:
            old = (work / "base" / f"{name}.jsonl").read_bytes().split(b"\n")
            new = (work / "tree" / f"{name}.jsonl").read_bytes().split(b"\n")
            ids = (work / "tree" / f"{name}.ids").read_text(encoding="utf-8").split("\n")
            differ = [ids[i] for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
            total += len(differ)
            print(f"{name}: {len(old) - 1} items, {len(differ)} differ" + (f" (first: {differ[:5]})" if differ else ""))
        print(f"differences: {total}")
        return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
