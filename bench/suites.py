"""The six benchmarks. Each returns a dict of figures and adds rows (figure, value, baseline, ratio) to ctx."""

from __future__ import annotations

import asyncio
import os
import pstats
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench.common import (
    FIREHOSE,
    STRIKE_POOL,
    alert_trigger,
    articles_from,
    by_publication,
    collapsed_summary,
    cycle_take,
    fmt,
    median,
    mib,
    percentile,
    ratio,
    synthetic_articles,
)
from bench.harness import (
    Message,
    Proc,
    Reader,
    create_topics,
    produce_all,
    produce_steady,
    py_spy,
    spawn,
    start_sampler,
    stop_sampler,
    unique_tag,
    wait_until,
    worker_command,
    worker_env,
)
from streams.broker import ensure_topics, free_port
from streams.settings import Settings

CONSUMED = "strikewatch_articles_consumed_total"


@dataclass(frozen=True)
class Sizes:
    passthrough_n: int
    e2e_n: int
    latency_seconds: float
    latency_rates: tuple[int, ...]
    core_n: int
    pool_n: int | None
    start_runs: int
    strike_n: int


QUICK = Sizes(2000, 10_000, 5.0, (100, 1000), 10_000, 3000, 3, 3000)
FULL = Sizes(20_000, 20_000, 30.0, (100, 1000), 100_000, None, 5, 10_000)


@dataclass
class Context:
    mode: str
    sizes: Sizes
    bootstrap: str
    workdir: Path
    has_data: bool
    profile_out: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def row(self, figure: str, value: Any, baseline: Any, r: float | None, unit: str = "") -> None:
        self.rows.append((figure, fmt(value, unit), fmt(baseline, unit), "-" if r is None else f"{r:.3f}"))
        print(f"  {figure}: {fmt(value, unit)}  baseline {fmt(baseline, unit)}  ratio {fmt(r)}", flush=True)


def _messages(articles: list[dict[str, Any]]) -> list[Message]:
    return [(str(a["id"]).encode(), orjson.dumps(a)) for a in articles]


def firehose_messages(ctx: Context, n: int) -> list[Message]:
    if ctx.has_data:
        return _messages(cycle_take(articles_from(FIREHOSE, n), n))
    return _messages(synthetic_articles(n))


# ---------------------------------------------------------------- 1. raw passthrough and faust floor


def start_copier(ctx: Context, kind: str, tag: str, src: str, dst: str) -> Proc:
    log = ctx.workdir / f"{kind}-{tag}.log"
    if kind == "raw":
        cmd = [
            *_python(), "-m", "bench.raw_copy", "--bootstrap", ctx.bootstrap, "--src", src, "--dst", dst,
        ]
        proc = spawn(cmd, worker_env(ctx.bootstrap, ctx.workdir, tag, **ctx.extra_env), log, pipe_stdout=True)
        proc.extra["ready_s"] = proc.wait_line("READY")
    else:
        cmd = [*_python(), "-m", "bench.faust_floor", "--src", src, "--dst", dst]
        proc = spawn(cmd, worker_env(ctx.bootstrap, ctx.workdir, tag, **ctx.extra_env), log)
        proc.extra["ready_s"] = proc.wait_ready()
    return proc


def _python() -> list[str]:
    import sys

    return [sys.executable]


async def _through(ctx: Context, kind: str, messages: list[Message]) -> dict[str, Any]:
    tag = unique_tag()
    src, dst = f"b{tag}.in", f"b{tag}.out"
    await create_topics(ctx.bootstrap, {src: 4, dst: 4})
    proc = await asyncio.to_thread(start_copier, ctx, kind, tag, src, dst)
    try:
        rss_idle = proc.rss()
        reader = Reader(ctx.bootstrap, dst)
        task = asyncio.create_task(reader.run(target=len(messages), timeout=max(120.0, len(messages) / 20)))
        await reader.assigned.wait()
        first, acked = await produce_all(ctx.bootstrap, src, messages)
        await task
        if reader.reached_at is None:
            raise RuntimeError(f"{kind}: read {len(reader.records)} of {len(messages)}:\n{proc.log_tail()}")
        elapsed = reader.reached_at - first
        return {
            "messages": len(messages),
            "seconds": elapsed,
            "per_s": len(messages) / elapsed,
            "produce_s": acked - first,
            "ready_s": proc.extra["ready_s"],
            "rss_idle_bytes": rss_idle,
            "rss_after_bytes": proc.rss(),
        }
    finally:
        await asyncio.to_thread(proc.stop)


async def passthrough(ctx: Context) -> dict[str, Any]:
    n = ctx.sizes.passthrough_n
    messages = firehose_messages(ctx, n)
    raw = await _through(ctx, "raw", messages)
    floor = await _through(ctx, "faust", messages)
    ctx.row("1 raw aiokafka copy, msg/s", raw["per_s"], None, None)
    ctx.row("1 faust floor agent, msg/s (vs raw)", floor["per_s"], raw["per_s"], ratio(floor["per_s"], raw["per_s"]))
    return {"raw": raw, "faust_floor": floor, "source": "firehose" if ctx.has_data else "synthetic"}


# ---------------------------------------------------------------- 2. end to end (+ 5. worker memory)


async def _start_worker(ctx: Context, env: dict[str, str], name: str, profile: Path | None = None) -> Proc:
    await ensure_topics(Settings.from_env(env))
    proc = spawn(worker_command(profile), env, ctx.workdir / f"{name}.log")
    proc.extra["ready_s"] = await asyncio.to_thread(proc.wait_ready)
    return proc


DEDUPED = "strikewatch_dedup_duration_seconds_count"
EXTRACTED = "strikewatch_reports_extracted_total"


WARMUP = 20


def strike_messages(n: int) -> list[Message]:
    """The strike-heavy mix: the strike pool in publication order (what a news desk following the war sends).
    ``n`` < 0: the pool's last -n articles (the warm-up; they merge with nothing measured)."""
    pool = by_publication(articles_from(STRIKE_POOL, None, "outlet"))
    return _messages([dict(a) for a in (pool[n:] if n < 0 else cycle_take(pool[:-WARMUP], n))])


async def _run_workers(
    ctx: Context, messages: list[Message], *, workers: int = 1, name: str = "e2e", profile: Path | None = None
) -> dict[str, Any]:
    """``workers`` workers of one group, all /ready, then every message produced as fast as acked; the
    time until every article is extracted and every report deduplicated. ``profile``: sample the first
    worker with py-spy while it works (every thread), else run it under cProfile (its main thread)."""
    sampled = profile.with_suffix(".txt") if profile is not None and py_spy() else None
    cprofiled = profile if profile is not None and sampled is None else None
    tag = unique_tag()
    env = worker_env(ctx.bootstrap, ctx.workdir, tag, **ctx.extra_env)
    settings = Settings.from_env(env)
    procs: list[Proc] = []
    n = len(messages)

    def total(metric: str) -> float:
        return sum(proc.metric(metric) for proc in procs)

    try:
        for i in range(workers):
            own = {**env, "STRIKEWATCH_WEB_PORT": str(free_port())}
            procs.append(await _start_worker(ctx, own, f"worker-{name}-{tag}-{i}", cprofiled if i == 0 else None))
        await asyncio.sleep(2.0)
        for proc in procs:  # a later worker's join rebalanced the earlier ones: all ready again
            await asyncio.to_thread(proc.wait_ready)
        # warm-up (not measured): the core loads its data files, the producer fetches topic metadata
        warm = strike_messages(-WARMUP)
        await produce_all(ctx.bootstrap, settings.topic("articles"), warm)
        if not await wait_until(lambda: total(CONSUMED) >= len(warm), timeout=120.0):
            raise RuntimeError(f"warm-up not consumed:\n{procs[0].log_tail()}")
        n += len(warm)
        rss_idle = procs[0].rss()
        cpu_before = [proc.cpu() for proc in procs]

        def finished() -> bool:
            return total(CONSUMED) >= n and total(DEDUPED) >= total(EXTRACTED)

        sampler = start_sampler(procs[0].pid, sampled) if sampled is not None else None
        producing = asyncio.create_task(produce_all(ctx.bootstrap, settings.topic("articles"), messages))
        timeout = max(300.0, n / 10)
        done = await wait_until(finished, timeout=timeout, interval=0.25)
        end = time.monotonic()
        await asyncio.to_thread(stop_sampler, sampler)
        first, acked = await producing
        if not done:
            raise RuntimeError(f"workers consumed {total(CONSUMED)} of {n} in {timeout} s:\n{procs[0].log_tail()}")
        elapsed = end - first
        n -= len(warm)
        cpu = sum(proc.cpu() - before for proc, before in zip(procs, cpu_before, strict=True))
        from streams.procs import metric_sum

        texts = [proc.metrics_text() for proc in procs]
        out = {
            "articles": n,
            "workers": workers,
            "order": "workers started and /ready first, then all articles produced (as fast as acked); "
                     "done when every article is extracted and every report deduplicated",
            "seconds": elapsed,
            "per_s": n / elapsed,
            "produce_s": acked - first,
            "worker_cpu_s": cpu,
            "per_worker_cpu_s": n / cpu if cpu else None,
            "ready_s": [proc.extra["ready_s"] for proc in procs],
            "reports": sum(metric_sum(t, EXTRACTED) for t in texts),
            "alerts": sum(metric_sum(t, "strikewatch_alerts_total") for t in texts),
            "dead_letters": sum(metric_sum(t, "strikewatch_dead_letters_total") for t in texts),
            "rss_idle_bytes": rss_idle,
            "rss_after_bytes": procs[0].rss(),
        }
    finally:
        for proc in procs:
            await asyncio.to_thread(proc.stop, 60.0)
    if sampled is not None and sampled.exists():
        out["profile"] = {"file": str(sampled), **collapsed_summary(sampled.read_text())}
    elif cprofiled is not None:
        out["profile"] = profile_summary(cprofiled)
    return out


async def end_to_end(ctx: Context) -> dict[str, Any]:
    if not ctx.has_data:
        ctx.skipped["end_to_end"] = f"needs {FIREHOSE} and {STRIKE_POOL}"
        return {}
    out: dict[str, Any] = {}
    mixes = {"firehose": firehose_messages(ctx, ctx.sizes.e2e_n), "strike": strike_messages(ctx.sizes.strike_n)}
    for mix, messages in mixes.items():
        raw = await _through(ctx, "raw", messages)
        profile = None
        if ctx.profile_out is not None:
            profile = ctx.profile_out.with_name(f"{ctx.profile_out.stem}-{mix}{ctx.profile_out.suffix}")
        worker = await _run_workers(ctx, messages, name=f"e2e-{mix}", profile=profile)
        worker["raw_copy_per_s"] = raw["per_s"]
        worker["vs_raw"] = ratio(worker["per_s"], raw["per_s"])
        out[mix] = worker
        label = "firehose" if mix == "firehose" else "strike-heavy"
        ctx.row(f"2 worker end to end, {label} ({len(messages)}), articles/s (vs raw copy of the same items)",
                worker["per_s"], raw["per_s"], worker["vs_raw"])
    floor = ctx.results.get("passthrough", {}).get("faust_floor", {}).get("per_s")
    fire = out["firehose"]["per_s"]
    ctx.row("2 worker end to end, firehose, articles/s (vs faust floor)", fire, floor, ratio(fire, floor))
    # the firehose run is the memory suite's worker
    out.update({k: out["firehose"][k] for k in ("articles", "rss_idle_bytes", "rss_after_bytes")})
    return out


async def scale(ctx: Context) -> dict[str, Any]:
    """Two workers of one group against one worker, on the strike-heavy mix, on this machine."""
    if not ctx.has_data:
        ctx.skipped["scale"] = f"needs {STRIKE_POOL}"
        return {}
    messages = strike_messages(ctx.sizes.strike_n)
    one = await _run_workers(ctx, messages, workers=1, name="scale1")
    two = await _run_workers(ctx, messages, workers=2, name="scale2")
    ctx.row(f"7 two workers of one group, strike-heavy ({len(messages)}), articles/s (vs one worker)",
            two["per_s"], one["per_s"], ratio(two["per_s"], one["per_s"]))
    return {"one": one, "two": two, "cpus": os.cpu_count()}


def profile_summary(path: Path, top: int = 25) -> dict[str, Any]:
    """Top functions by own time and by cumulative time, as % of the profiled wall time."""
    stats = pstats.Stats(str(path))
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{Path(file).name}:{line}({func})", "calls": nc, "tottime": tt, "cumtime": ct})
    by_own = sorted(rows, key=lambda r: r["tottime"], reverse=True)[:top]
    by_cum = sorted(rows, key=lambda r: r["cumtime"], reverse=True)[: top * 2]
    for r in (*by_own, *by_cum):
        r["own_pct"] = 100 * r["tottime"] / total if total else None
        r["cum_pct"] = 100 * r["cumtime"] / total if total else None
    return {"file": str(path), "total_s": total, "by_own_time": by_own, "by_cumulative": by_cum}


# ---------------------------------------------------------------- 3. latency


def _lat_stats(values: list[float]) -> dict[str, Any]:
    return {
        "count": len(values),
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "p99_ms": percentile(values, 99),
        "max_ms": max(values) if values else None,
    }


async def _raw_latency(ctx: Context, rate: int, messages: list[Message]) -> dict[str, Any]:
    tag = unique_tag()
    src, dst = f"b{tag}.in", f"b{tag}.out"
    await create_topics(ctx.bootstrap, {src: 4, dst: 4})
    proc = await asyncio.to_thread(start_copier, ctx, "raw", tag, src, dst)
    try:
        keyed = [(str(i).encode(), value) for i, (_, value) in enumerate(messages)]
        reader = Reader(ctx.bootstrap, dst)
        task = asyncio.create_task(reader.run(target=len(keyed), timeout=120.0 + len(keyed) / rate))
        await reader.assigned.wait()
        stamps, achieved = await produce_steady(ctx.bootstrap, src, keyed, rate)
        await task
        lat = [float(ts - stamps[int(k or b"0")]) for k, _, ts in reader.records]
        return {**_lat_stats(lat), "achieved_per_s": achieved}
    finally:
        await asyncio.to_thread(proc.stop)


async def _worker_latency(
    ctx: Context, rate: int, articles: list[dict[str, Any]], warmup: list[dict[str, Any]]
) -> dict[str, Any]:
    tag = unique_tag()
    env = worker_env(ctx.bootstrap, ctx.workdir, tag, **ctx.extra_env)
    settings = Settings.from_env(env)
    proc = await _start_worker(ctx, env, f"worker-lat{rate}-{tag}")
    try:
        # warm-up (not measured): first sends fetch topic metadata, the core loads its data files
        warm = _messages(warmup)
        await produce_all(ctx.bootstrap, settings.topic("articles"), warm)
        await wait_until(lambda: proc.metric(CONSUMED) >= len(warm), timeout=120.0)
        reader = Reader(ctx.bootstrap, settings.topic("alerts"))
        task = asyncio.create_task(reader.run(timeout=600.0))
        await reader.assigned.wait()
        messages = _messages(articles)
        stamps, achieved = await produce_steady(ctx.bootstrap, settings.topic("articles"), messages, rate)
        produced_at: dict[str, float] = {}
        for article, ts in zip(articles, stamps, strict=True):
            produced_at[str(article["id"])] = ts
            produced_at[str(article["url"])] = ts
        produced_end = time.monotonic()
        n = len(messages)
        await wait_until(lambda: proc.metric(CONSUMED) >= n, timeout=300.0)
        drained_s = time.monotonic() - produced_end
        await wait_until(
            lambda: proc.metric("strikewatch_dedup_duration_seconds_count")
            >= proc.metric("strikewatch_reports_extracted_total"),
            timeout=120.0,
        )
        expected = proc.metric("strikewatch_alerts_total")
        await wait_until(lambda: len(reader.records) >= expected, timeout=60.0)
        reader.stop.set()
        await task
        series: list[tuple[float, float]] = []  # (article produce ts, latency ms)
        kinds: dict[str, int] = {}
        for _, value, ts in reader.records:
            alert = orjson.loads(value)
            trigger = alert_trigger(alert, produced_at)
            if trigger is None:
                continue
            kinds[alert["kind"]] = kinds.get(alert["kind"], 0) + 1
            series.append((produced_at[trigger], float(ts - produced_at[trigger])))
        series.sort()
        lat = [v for _, v in series]
        third = max(1, len(lat) // 3)
        return {
            **_lat_stats(lat),
            "p50_first_third_ms": percentile(lat[:third], 50),
            "p50_last_third_ms": percentile(lat[-third:], 50),
            "articles": n,
            "alerts": len(reader.records),
            "alerts_by_kind": kinds,
            "achieved_per_s": achieved,
            "drain_after_last_produce_s": drained_s,
            "worker_histogram_alerts": expected,
        }
    finally:
        await asyncio.to_thread(proc.stop)


async def latency(ctx: Context) -> dict[str, Any]:
    if not ctx.has_data:
        ctx.skipped["latency"] = f"needs {STRIKE_POOL}"
        return {}
    pool = by_publication(articles_from(STRIKE_POOL, None, outlet_field="outlet"))
    warmup = [dict(a) for a in pool[-20:]]  # the pool's last days: they merge with nothing measured
    pool = pool[:-20]
    out: dict[str, Any] = {}
    offset = 0
    for rate in ctx.sizes.latency_rates:
        n = int(rate * ctx.sizes.latency_seconds)
        chunk = [dict(a) for a in cycle_take(pool[offset:] + pool[:offset], n)]
        offset = (offset + n) % max(1, len(pool))
        raw = await _raw_latency(ctx, rate, _messages(chunk))
        worker = await _worker_latency(ctx, rate, chunk, warmup)
        out[str(rate)] = {"raw": raw, "worker": worker}
        for q in ("p50_ms", "p95_ms", "p99_ms"):
            label = f"3 produce->alert {q[:3]} @{rate}/s, ms (vs raw copy)"
            ctx.row(label, worker[q], raw[q], ratio(worker[q], raw[q]))
        if worker["drain_after_last_produce_s"] > 2.0:
            print(
                f"  note: at {rate}/s the worker finished {worker['drain_after_last_produce_s']:.1f} s after the last "
                "produce: it did not keep up, latency grows with the run length",
                flush=True,
            )
    return out


# ---------------------------------------------------------------- 4. core alone (+ 5. bytes per event)


def _timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def core(ctx: Context) -> dict[str, Any]:
    if not ctx.has_data:
        ctx.skipped["core"] = f"needs {FIREHOSE}"
        return {}
    from streams.core.extract import extract
    from streams.core.models import Article
    from streams.core.replay import replay
    from streams.offline import publication_order

    n = ctx.sizes.core_n
    blobs = [orjson.dumps(a) for a in articles_from(FIREHOSE, n)]
    docs, dec_wall, dec_cpu = _timed(lambda: [orjson.loads(b) for b in blobs])
    articles = [Article.from_dict(d) for d in docs]
    items = publication_order(articles)
    extract(items[0][0], items[0][1])  # load the gazetteer and vocabularies outside the timing
    _, ext_wall, ext_cpu = _timed(lambda: [extract(a, t) for a, t in items])
    result, rep_wall, rep_cpu = _timed(lambda: replay(items, extract))
    k = len(blobs)
    out = {
        "articles": k,
        "decode_per_cpu_s": k / dec_cpu if dec_cpu else None,
        "extract_per_cpu_s": k / ext_cpu if ext_cpu else None,
        "replay_per_cpu_s": k / rep_cpu if rep_cpu else None,
        "decode_per_s": k / dec_wall,
        "extract_per_s": k / ext_wall,
        "replay_per_s": k / rep_wall,
        "reports": result.reports,
        "alerts": len(result.alerts),
    }
    ctx.row("4 core replay (extract+dedup), articles/cpu-s (vs orjson decode)",
            out["replay_per_cpu_s"], out["decode_per_cpu_s"], ratio(out["replay_per_cpu_s"], out["decode_per_cpu_s"]))
    ctx.row("4 core replay, articles/cpu-s (vs extraction alone)",
            out["replay_per_cpu_s"], out["extract_per_cpu_s"], ratio(out["replay_per_cpu_s"], out["extract_per_cpu_s"]))
    # extraction on the strike pool (nearly every item passes the relevance gate) against the firehose
    pool = [Article.from_dict(d) for d in articles_from(STRIKE_POOL, min(n, 2000), outlet_field="outlet")]
    _, _, pool_cpu = _timed(lambda: [extract(a, a.published_at) for a in pool])
    out["extract_pool_per_cpu_s"] = len(pool) / pool_cpu if pool_cpu else None
    ctx.row("4 extraction, strike pool, articles/cpu-s (vs firehose; targets 2,000 and 20,000)",
            out["extract_pool_per_cpu_s"], out["extract_per_cpu_s"],
            ratio(out["extract_pool_per_cpu_s"], out["extract_per_cpu_s"]))
    strike = (ctx.results.get("end_to_end") or {}).get("strike") or {}
    if strike.get("per_worker_cpu_s"):
        ctx.row("4 worker end to end strike-heavy, articles/worker cpu-s (vs extraction alone, strike pool)",
                strike["per_worker_cpu_s"], out["extract_pool_per_cpu_s"],
                ratio(strike["per_worker_cpu_s"], out["extract_pool_per_cpu_s"]))
    from streams.core.extract import gazetteer

    gazetteer.get.cache_clear()
    _, load_wall, _ = _timed(gazetteer.get)
    out["gazetteer_load_s"] = load_wall
    ctx.row("4 gazetteer load, s (vs decoding the firehose sample; target <= 0.5 s)", load_wall, dec_wall,
            ratio(load_wall, dec_wall))
    return out


def memory(ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    e2e = ctx.results.get("end_to_end") or {}
    floor = (ctx.results.get("passthrough") or {}).get("faust_floor") or {}
    if e2e:
        out["worker_rss_idle_bytes"] = e2e.get("rss_idle_bytes")
        out["worker_rss_after_bytes"] = e2e.get("rss_after_bytes")
        out["after_articles"] = e2e.get("articles")
        ctx.row("5 worker RSS idle, MiB (vs faust floor idle)", mib(e2e.get("rss_idle_bytes")),
                mib(floor.get("rss_idle_bytes")), ratio(e2e.get("rss_idle_bytes"), floor.get("rss_idle_bytes")))
        ctx.row(f"5 worker RSS after {e2e.get('articles')} articles, MiB (vs floor after)",
                mib(e2e.get("rss_after_bytes")), mib(floor.get("rss_after_bytes")),
                ratio(e2e.get("rss_after_bytes"), floor.get("rss_after_bytes")))
    if not ctx.has_data:
        ctx.skipped["memory_bytes_per_event"] = f"needs {STRIKE_POOL}"
        return out
    from streams.core.dedup import state_bytes_per_event
    from streams.core.extract import extract
    from streams.core.models import Article
    from streams.core.replay import replay
    from streams.offline import publication_order

    pool = articles_from(STRIKE_POOL, ctx.sizes.pool_n, outlet_field="outlet")
    articles = [Article.from_dict(a) for a in pool]
    result = replay(publication_order(articles), extract)
    states = [s for s in result.states.values() if s.events]
    events = sum(len(s.events) for s in states)
    per_event = sum(state_bytes_per_event(s) * len(s.events) for s in states) / events if events else None
    article_bytes = statistics.fmean(len(orjson.dumps(a)) for a in pool) if pool else None
    out.update(
        pool_articles=len(pool),
        open_events=events,
        blocks=len(states),
        state_bytes_per_event=per_event,
        article_json_bytes_mean=article_bytes,
    )
    ctx.row(f"5 dedup state bytes/open event ({events} open; vs mean article JSON)", per_event, article_bytes,
            ratio(per_event, article_bytes), "B")
    return out


# ---------------------------------------------------------------- 6. start


async def start(ctx: Context) -> dict[str, Any]:
    worker_s: list[float] = []
    floor_s: list[float] = []
    for _ in range(ctx.sizes.start_runs):
        tag = unique_tag()
        env = worker_env(ctx.bootstrap, ctx.workdir, tag, **ctx.extra_env)
        await ensure_topics(Settings.from_env(env))  # as the test fixture does; not timed
        proc = spawn(worker_command(), env, ctx.workdir / f"worker-start-{tag}.log")
        try:
            worker_s.append(await asyncio.to_thread(proc.wait_ready))
        finally:
            await asyncio.to_thread(proc.stop)
        tag = unique_tag()
        src, dst = f"b{tag}.in", f"b{tag}.out"
        await create_topics(ctx.bootstrap, {src: 4, dst: 4})
        floor = await asyncio.to_thread(start_copier, ctx, "faust", tag, src, dst)
        floor_s.append(float(floor.extra["ready_s"]))  # type: ignore[arg-type]
        await asyncio.to_thread(floor.stop)
    out = {
        "runs": ctx.sizes.start_runs,
        "worker_ready_s": worker_s,
        "floor_ready_s": floor_s,
        "worker_median_s": median(worker_s),
        "floor_median_s": median(floor_s),
    }
    ctx.row("6 worker start -> /ready 200, median s (vs faust floor)", out["worker_median_s"],
            out["floor_median_s"], ratio(out["worker_median_s"], out["floor_median_s"]), "s")
    return out


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
