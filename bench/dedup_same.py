"""Same output, faster? The dedup replay of this tree against a git revision, with CPU time.

    python bench/dedup_same.py [--base REV] [--repeat N] [--keep DIR [--reuse-cache]]

Extraction runs once (in this process) and its reports are cached; then the dedup replay
(``streams.core.replay.replay``, the agents' functions) of the working tree and of ``REV`` (default
HEAD; exported with ``git archive``) runs in two subprocesses over the same cached reports:
dev_reports.jsonl and the day slices (both halves) as ``strikewatch evaluate --what clusters`` orders
them, with gold mentions and with extraction; the whole strike pool alone in publication order (as
``evaluate --pool`` orders pool items); and the pool once more as five partitions lagging 0-48 hours
deliver it (each report keeps its publication time, so late ones re-cluster). Compared per set:
the assignments (report -> event id), every emitted event version and alert, the ids closed by
expiry, the last version of every event, the final block states (``BlockState.to_dict``), and the
dedup agent's table writes of every step (``streams.handlers.block_writes``, as digests). Only counts
and report keys are printed, never texts. The CPU time of the replay (the lowest of ``--repeat``
runs) and of the table writes are printed apart. Exit status 1 when anything differs: speed work on
the dedup must leave the differences at 0.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("STRIKEWATCH_BENCH_DATA", str(ROOT.parent / "shared" / "data")))
GOLD = {"dev": DATA / "eval" / "dev_reports.jsonl", "slices": DATA / "eval" / "dev_day_slices.jsonl"}
POOL = DATA / "news" / "rss_strike_pool_2022_2023.jsonl"
PARTS = ("assignments", "versions", "alerts", "closed", "events", "states", "writes")
#: One replay input: (article, clock) in order, and the reports its extraction gave (one list per item).
Items = list[tuple[Any, datetime, list[Any]]]


def _build_cache() -> dict[str, Items]:
    """Every set's replay items with their reports, recorded from the replay the evaluation runs."""
    import streams.eval.clusters as clusters
    from streams.core.extract import extract  # type: ignore[attr-defined]
    from streams.core.replay import ExtractFn, ReplayResult
    from streams.eval.sources import parse_stamp, reference_time, rss_article

    out: dict[str, Items] = {}
    real_replay = clusters.replay

    def recorder(name: str) -> Callable[..., ReplayResult]:
        def record(items: Any, extract_fn: ExtractFn, config: Any) -> ReplayResult:
            recorded: Items = []
            out[name] = recorded

            def fn(article: Any, clock: datetime) -> list[Any]:
                reports = extract_fn(article, clock)
                recorded.append((article, clock, reports))
                return reports

            return real_replay(items, fn, config)

        return record

    try:
        for label, path in GOLD.items():
            for mode, fn in (("gold", None), ("extract", extract)):
                clusters.replay = recorder(f"{label}_{mode}")  # type: ignore[assignment]
                clusters.evaluate_clusters(path, extract_fn=fn)
    finally:
        clusters.replay = real_replay  # type: ignore[assignment]
    entries, references = [], {}
    for row in clusters.load_gold(POOL):
        article = rss_article(row)
        if article is not None:
            entries.append((article, parse_stamp(row.get("published"))[1]))
            references[article.id] = reference_time(row)
    ordered = clusters._order_items(entries, references, extract)
    out["pool"] = [(a, clock, extract(a, references.get(a.id))) for a, clock in ordered]
    out["pool_lagged"] = sorted(out["pool"], key=lambda item: item[1] + _lag(item[0].id))
    return out


def _lag(article_id: str) -> timedelta:
    """The delay of the partition an article's id hashes to: 0, 12, 24, 36 or 48 hours."""
    return timedelta(hours=12 * (int(hashlib.sha1(article_id.encode()).hexdigest()[:8], 16) % 5))


def _cached(reports: list[list[Any]]) -> Callable[[Any, datetime], list[Any]]:
    """An extract function that gives the recorded reports, item after item."""
    it: Iterator[list[Any]] = iter(reports)
    return lambda _article, _clock: next(it)


def _dump(cache: Path, out_dir: Path, repeat: int) -> None:
    """Child side: replay every cached set with the ``streams`` on PYTHONPATH; one file per set and part."""
    import time

    import orjson

    from streams.core.replay import ReplayResult, replay

    sets: dict[str, Items] = pickle.loads(cache.read_bytes())
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, items in sets.items():
        best, result = float("inf"), None
        for _ in range(repeat):
            start = time.process_time()
            got: ReplayResult = replay(((a, c) for a, c, _ in items), _cached([r for _, _, r in items]))
            best = min(best, time.process_time() - start)
            result = result or got
        assert result is not None
        writes, write_cpu = _table_writes(items)
        parts: Mapping[str, list[bytes]] = {
            "assignments": [f"{r.article_id}\t{r.index}\t{eid}".encode() for r, eid in result.assignments],
            "versions": [orjson.dumps(v.to_dict()) for v in result.versions],
            "alerts": [orjson.dumps(a.to_dict()) for a in result.alerts],
            "closed": [c.encode() for c in result.closed],
            "events": [orjson.dumps([k, e.to_dict()]) for k, e in result.events.items()],
            "states": [orjson.dumps([k, s.to_dict()]) for k, s in result.states.items()]
            + [orjson.dumps([result.articles, result.reports, result.redelivered])],
            "writes": writes,
        }
        for part, lines in parts.items():
            (out_dir / f"{name}.{part}").write_bytes(b"\n".join(lines) + b"\n")
        print(f"{name}: {len(items)} items, {result.reports} reports, dedup {best:.2f} cpu-s, "
              f"table writes {write_cpu:.2f} cpu-s", flush=True)


def _table_writes(items: Items) -> tuple[list[bytes], float]:
    """The dedup agent's table writes (``streams.handlers.block_writes``) of every block change of a replay
    of ``items``, one digest per change, and the CPU time they took."""
    import time

    import streams.core.replay as replay_module
    from streams.handlers import block_writes

    route = replay_module.route
    digests: list[bytes] = []
    cpu = 0.0

    def writing(states: Any, report: Any, now: datetime, config: Any) -> Any:
        nonlocal cpu
        changes = route(states, report, now, config)
        start = time.process_time()
        for key, before, after, _, _ in changes:
            writes = block_writes(key.encode("utf-8"), before, after)
            digests.append(hashlib.sha1(b"\0".join(k + b"=" + (v or b"-") for k, v in sorted(writes.items())))
                           .hexdigest().encode())
        cpu += time.process_time() - start
        return changes

    replay_module.route = writing  # the replay calls route for every report: its writes are recorded
    try:
        replay_module.replay(((a, c) for a, c, _ in items), _cached([r for _, _, r in items]))
    finally:
        replay_module.route = route
    return digests, cpu


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", default="HEAD", help="git revision to compare against (default HEAD)")
    p.add_argument("--repeat", type=int, default=3, help="replays per set, the fastest counts (default 3)")
    p.add_argument("--keep", type=Path, help="keep the cache and the outputs in this directory")
    p.add_argument("--reuse-cache", action="store_true", help="with --keep: reuse the extraction cached there")
    p.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.dump is not None:
        _dump(args.cache, args.dump, args.repeat)
        return 0
    sys.path.insert(0, str(ROOT))  # the parent only: a child imports just the tree it measures
    from bench.revision import export_revision, run_in

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        cache = work / "reports.pickle"
        if not (args.reuse_cache and cache.exists()):
            sys.path.insert(0, str(ROOT))
            cache.write_bytes(pickle.dumps(_build_cache(), protocol=pickle.HIGHEST_PROTOCOL))
        base_tree = export_revision(args.base, Path(tmp))

        def _run_in(tree: Path, out: str) -> str:
            return run_in(tree, Path(__file__), "--dump", str(work / out), "--cache", str(cache),
                          "--repeat", str(args.repeat))

        print(f"base {args.base}:\n" + _run_in(base_tree, "base"), flush=True)
        print(f"this tree {ROOT}:\n" + _run_in(ROOT, "tree"), flush=True)
        total = 0
        for name in pickle.loads(cache.read_bytes()):
            counts = []
            for part in PARTS:
                old = (work / "base" / f"{name}.{part}").read_bytes().split(b"\n")
                new = (work / "tree" / f"{name}.{part}").read_bytes().split(b"\n")
                differ = sum(a != b for a, b in zip(old, new, strict=False)) + abs(len(old) - len(new))
                total += differ
                counts.append(f"{part} {len(new) - 1} ({differ} differ)")
            print(f"{name}: " + ", ".join(counts))
        print(f"differences: {total}")
        return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
