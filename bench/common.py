"""Pure helpers of the benchmark harness: data conversion, statistics, metrics parsing, the table.

Nothing here touches Kafka or starts a process, so tests/test_bench_smoke.py runs it on small inputs.
"""

from __future__ import annotations

import gzip
import itertools
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from streams.eval.sources import rss_article

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("STRIKEWATCH_BENCH_DATA", str(ROOT.parent / "shared" / "data")))
FIREHOSE = SHARED_DATA / "news" / "rss_firehose_2022_2023_sample.jsonl.gz"
STRIKE_POOL = SHARED_DATA / "news" / "rss_strike_pool_2022_2023.jsonl"


# ---------------------------------------------------------------- data


def rss_to_article(item: Mapping[str, Any], outlet_field: str = "feed") -> dict[str, Any] | None:
    """One RSS item as our Article JSON (streams.eval.sources.rss_article), keyed by its URL.

    None when the item cannot be an article or has no URL (the benchmarks key messages by it).
    """
    url = item.get("url")
    if not isinstance(url, str) or not url.strip():
        return None
    article = rss_article({**item, "outlet": item.get(outlet_field) or item.get("outlet") or item.get("feed")})
    return None if article is None else article.to_dict()


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Objects of a JSON-lines file (``.gz`` is decompressed); bad lines are skipped."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        count = 0
        for line in fh:
            if limit is not None and count >= limit:
                return
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(item, dict):
                count += 1
                yield item


def articles_from(path: Path, limit: int | None, outlet_field: str = "feed") -> list[dict[str, Any]]:
    """Article JSON objects converted from an RSS JSON-lines file, in file order."""
    out = []
    for item in read_jsonl(path):
        article = rss_to_article(item, outlet_field)
        if article is not None:
            out.append(article)
            if limit is not None and len(out) >= limit:
                break
    return out


def by_publication(articles: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Articles sorted by published_at (stable; articles without it keep their file position last)."""
    return sorted(articles, key=lambda a: (a.get("published_at") is None, a.get("published_at") or ""))


def cycle_take(items: Sequence[Any], n: int) -> list[Any]:
    """The first ``n`` items, cycling when there are fewer."""
    if not items:
        return []
    return list(itertools.islice(itertools.cycle(items), n))


def synthetic_articles(n: int) -> list[dict[str, Any]]:
    """Plain articles for the Kafka-only figures when ../shared is absent."""
    return [
        {
            "id": f"syn-{i}",
            "url": f"https://example.com/news/{i}",
            "title": f"Council approves budget number {i}",
            "text": "The city council approved the annual budget after a long debate. " * 3,
            "outlet": "https://example.com/rss",
            "published_at": "2023-01-01T00:00:00+00:00",
        }
        for i in range(n)
    ]


# ---------------------------------------------------------------- statistics


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation between closest ranks (numpy's default).

    NaN for no values.
    """
    data = sorted(values)
    if not data:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0..100")
    pos = (len(data) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = math.ceil(pos)
    if lo == hi:
        return float(data[lo])
    return float(data[lo] + (data[hi] - data[lo]) * (pos - lo))


def median(values: Iterable[float]) -> float:
    return percentile(values, 50)


def ratio(value: float | None, baseline: float | None) -> float | None:
    """value / baseline, None when either is missing or the baseline is 0 or NaN."""
    if value is None or baseline is None or baseline == 0 or math.isnan(baseline) or math.isnan(value):
        return None
    return value / baseline


# ---------------------------------------------------------------- process and metrics


def vm_rss_bytes(status_text: str) -> int | None:
    """VmRSS of a /proc/<pid>/status text, in bytes (None when absent, e.g. a zombie)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            parts = line.split()
            unit = parts[2].lower() if len(parts) > 2 else "kb"
            scale = {"kb": 1024, "mb": 1024**2, "b": 1}.get(unit, 1024)
            return int(parts[1]) * scale
    return None


def cpu_seconds(stat_text: str, ticks_per_s: float) -> float | None:
    """User + system CPU seconds of every thread of a process, from a /proc/<pid>/stat text."""
    try:
        fields = stat_text.rsplit(")", 1)[1].split()  # the command name may hold spaces and parentheses
        return (int(fields[11]) + int(fields[12])) / ticks_per_s
    except (IndexError, ValueError):
        return None


def cpu_of(pid: int) -> float | None:
    try:
        return cpu_seconds(Path(f"/proc/{pid}/stat").read_text(), os.sysconf("SC_CLK_TCK"))
    except OSError:
        return None


def rss_of(pid: int) -> int | None:
    try:
        return vm_rss_bytes(Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None


# ---------------------------------------------------------------- alerts -> triggering article


def alert_trigger(alert: Mapping[str, Any], produced_at: Mapping[str, float]) -> str | None:
    """The article (an id in ``produced_at``) whose arrival raised ``alert``; None when not known.

    new_strike: the event's only source. casualties_rose: the article id of the figure that rose (the
    latest produced of killed/injured). Sources are URLs or ids; ``produced_at`` may key either.
    """
    kind = alert.get("kind")
    candidates: list[str] = []
    if kind == "new_strike":
        candidates = [str(s) for s in alert.get("sources") or ()][:1]
    elif kind == "casualties_rose":
        for name in ("killed", "injured"):
            figure = alert.get(name)
            if isinstance(figure, Mapping) and figure.get("article_id"):
                candidates.append(str(figure["article_id"]))
    known = [c for c in candidates if c in produced_at]
    if not known:
        return None
    return max(known, key=lambda c: produced_at[c])


# ---------------------------------------------------------------- presentation


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A plain text table, columns padded to their widest cell."""
    cells = [list(header), *[list(r) for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def mib(n: float | None) -> float | None:
    return None if n is None else n / (1024 * 1024)


def collapsed_summary(text: str, top: int = 25) -> dict[str, Any]:
    """py-spy's collapsed stacks (``thread;frame;...;frame count`` per line) summed: samples per thread,
    the functions with the most samples on top of the stack (own) and in the stack (cumulative), as %
    of all samples."""
    threads: dict[str, int] = {}
    own: dict[str, int] = {}
    cumulative: dict[str, int] = {}
    total = 0
    for line in text.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        threads[frames[0]] = threads.get(frames[0], 0) + count
        if len(frames) > 1:
            own[frames[-1]] = own.get(frames[-1], 0) + count
        for frame in set(frames[1:]):
            cumulative[frame] = cumulative.get(frame, 0) + count

    def ranked(counts: dict[str, int], n: int) -> list[dict[str, Any]]:
        best = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:n]
        return [{"function": f, "samples": c, "pct": 100.0 * c / total if total else None} for f, c in best]

    return {"samples": total, "threads": ranked(threads, 10), "by_own_time": ranked(own, top),
            "by_cumulative": ranked(cumulative, top * 2)}


README_BEGIN = "<!-- bench figures: written by `python -m bench --readme`; do not edit by hand -->"
README_END = "<!-- end of bench figures -->"


def markdown_table(rows: Sequence[Sequence[str]], note: str) -> str:
    """The bench summary as the README's figures table, with ``note`` (mode, machine, date) under it."""
    lines = ["| figure | value | baseline in the same run | ratio |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(cell.replace('|', '/') for cell in row)} |" for row in rows]
    return "\n".join([*lines, "", note])


def with_figures(readme: str, rows: Sequence[Sequence[str]], note: str) -> str:
    """``readme`` with the text between the figures markers replaced by the table of ``rows``."""
    start, end = readme.find(README_BEGIN), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {README_BEGIN!r} ... {README_END!r} markers")
    return readme[: start + len(README_BEGIN)] + "\n" + markdown_table(rows, note) + "\n" + readme[end:]
