"""Benchmark driver: one embedded broker for the run, the suites in order, a summary, results JSON.

    python -m bench                 # --quick (default): small sizes, a few minutes on 2 shared cores
    python -m bench --full          # larger sizes (20k articles end to end, 30 s latency phases)
    python -m bench --only core,memory
    python -m bench --profile       # also profile the end-to-end worker (py-spy, else cProfile)
    python -m bench --readme        # and write the summary into README.md's figures table

Suites: passthrough (raw aiokafka copy = ceiling, minimal faust agent = floor), end_to_end (the real
worker on the firehose sample and on the strike pool, each against a raw copy of the same items),
latency (produce -> alert at steady rates), core (extraction + dedup without Kafka), memory (worker
RSS, dedup bytes per open event), start (worker start to /ready), scale (two workers of one group
against one, strike-heavy).
What needs ../shared/data is skipped with a message when it is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import orjson

from bench import suites
from bench.common import ROOT, SHARED_DATA, table, with_figures
from streams.broker import free_port, start_broker

SUITES = ("passthrough", "end_to_end", "latency", "core", "memory", "start", "scale")
RESULTS = ROOT / "bench" / "results"


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes (default)")
    size.add_argument("--full", action="store_true", help="larger sizes; takes longer")
    p.add_argument("--only", help=f"comma-separated suites of: {', '.join(SUITES)}")
    p.add_argument("--e2e-n", type=int, help="articles for the end-to-end run (overrides the mode)")
    p.add_argument("--profile", action="store_true",
                   help="sample the end-to-end worker with py-spy (every thread, while it works; "
                        "bench/results/worker-MIX.txt), or without py-spy run it under cProfile (worker-MIX.prof)")
    p.add_argument("--env", action="append", default=[], metavar="STRIKEWATCH_X=VALUE",
                   help="extra environment for the worker and the faust floor (experiments), repeatable")
    p.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="results JSON")
    p.add_argument("--readme", action="store_true",
                   help="write the summary table into README.md's figures section (between its markers)")
    p.add_argument("--readme-from", type=Path, metavar="RESULTS_JSON",
                   help="only write README.md's figures table from a results JSON of an earlier run")
    return p.parse_args(argv)


def write_readme(document: dict[str, Any], readme: Path = ROOT / "README.md") -> None:
    rows = [(r["figure"], r["value"], r["baseline"], r["ratio"]) for r in document["summary"]]
    machine = document["machine"]
    note = (f"`make bench` ({document['mode']} mode), {document['finished_at'][:10]}, {machine['cpus']} CPUs, "
            f"load {machine['loadavg_1m']:.1f} at the end, Python {machine['python']}"
            + (f", extra env {document['extra_env']}" if document.get("extra_env") else "") + ".")
    readme.write_text(with_figures(readme.read_text(), rows, note))
    print(f"figures written to {readme}")


async def run_suite(ctx: suites.Context, name: str) -> None:
    print(f"== {name}", flush=True)
    started = time.monotonic()
    try:
        if name == "passthrough":
            result: dict[str, Any] = await suites.passthrough(ctx)
        elif name == "end_to_end":
            result = await suites.end_to_end(ctx)
        elif name == "latency":
            result = await suites.latency(ctx)
        elif name == "core":
            result = await asyncio.to_thread(suites.core, ctx)
        elif name == "memory":
            result = await asyncio.to_thread(suites.memory, ctx)
        elif name == "scale":
            result = await suites.scale(ctx)
        else:
            result = await suites.start(ctx)
    except Exception as exc:  # one failed suite must not lose the others' figures
        traceback.print_exc()
        ctx.results[name] = {"error": repr(exc)}
        return
    if name in ctx.skipped:
        print(f"  skipped: {ctx.skipped[name]} (../shared/data is absent)", flush=True)
    ctx.results[name] = {**result, "suite_seconds": time.monotonic() - started}


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.readme_from:
        write_readme(orjson.loads(args.readme_from.read_bytes()))
        return 0
    mode = "full" if args.full else "quick"
    sizes = suites.FULL if args.full else suites.QUICK
    if args.e2e_n:
        sizes = suites.Sizes(**{**sizes.__dict__, "e2e_n": args.e2e_n})
    extra_env = dict(item.split("=", 1) for item in args.env)
    chosen = [s.strip() for s in args.only.split(",")] if args.only else list(SUITES)
    unknown = set(chosen) - set(SUITES)
    if unknown:
        print(f"unknown suite(s): {', '.join(sorted(unknown))}; choose from {', '.join(SUITES)}", file=sys.stderr)
        return 2
    has_data = SHARED_DATA.is_dir()
    if not has_data:
        print(f"note: {SHARED_DATA} is absent: end_to_end, latency, core and the dedup bytes per event are "
              "skipped; passthrough and start use synthetic articles", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    profile_out = (args.out.parent / "worker.prof").resolve() if args.profile else None
    with tempfile.TemporaryDirectory(prefix="swbench-") as tmp:
        workdir = Path(tmp)
        broker = start_broker(free_port(), log_path=workdir / "tansu.log")
        print(f"mode {mode}; embedded broker on {broker.bootstrap}; logs in {workdir}", flush=True)
        ctx = suites.Context(mode=mode, sizes=sizes, bootstrap=broker.bootstrap, workdir=workdir,
                             has_data=has_data, profile_out=profile_out, extra_env=extra_env)
        try:
            for name in SUITES:
                if name in chosen:
                    asyncio.run(run_suite(ctx, name))
        finally:
            broker.stop()
    document = {
        "mode": mode,
        "finished_at": suites.now_iso(),
        "sizes": sizes.__dict__,
        "machine": {"cpus": os.cpu_count(), "loadavg_1m": os.getloadavg()[0], "python": platform.python_version()},
        "extra_env": extra_env,
        "skipped": ctx.skipped,
        "results": ctx.results,
        "summary": [dict(zip(("figure", "value", "baseline", "ratio"), r, strict=True)) for r in ctx.rows],
    }
    args.out.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY))
    print()
    print(table(ctx.rows, ("figure", "value", "baseline", "ratio")))
    for name, why in ctx.skipped.items():
        print(f"skipped {name}: {why}")
    failed = [n for n, r in ctx.results.items() if isinstance(r, dict) and "error" in r]
    if failed:
        print(f"failed: {', '.join(failed)}")
    print(f"results: {args.out}")
    if args.readme and not failed:
        write_readme(document)
    return 1 if failed else 0
