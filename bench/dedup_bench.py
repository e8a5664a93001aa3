"""Dedup micro-benchmark: state bytes per open event and steps per second (no Kafka).

    .venv/bin/python bench/dedup_bench.py [--dev ../shared/data/eval/dev_reports.jsonl]

Synthetic load: reports spread over oblasts and days, a few outlets per strike, realistic URL and
evidence lengths. With --dev, also replays the labelled reports (gold mentions) and reports the state
size of the blocks left open.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from streams.core.dedup import DEFAULT, BlockState, block_key, expire, state_bytes_per_event, step
from streams.core.models import Casualty, StrikeReport

OBLASTS = ["Kharkiv", "Kyiv", "Odesa", "Dnipropetrovsk", "Zaporizhzhia", "Donetsk", "Sumy", "Kherson"]
WEAPONS = [("missile",), ("drone", "shahed"), ("glide_bomb",), ("artillery",), ("ballistic_missile", "missile")]
TARGETS = [("apartment_building",), ("energy",), ("hospital",), ("house",), ("rail",), ()]


def synthetic(n_reports: int, seed: int = 7) -> list[tuple[StrikeReport, datetime]]:
    rnd = random.Random(seed)
    start = datetime(2024, 1, 1, 6, tzinfo=UTC)
    out: list[tuple[StrikeReport, datetime]] = []
    strike = 0
    while len(out) < n_reports:
        strike += 1
        day = date(2024, 1, 1) + timedelta(days=strike // 6)
        oblast = rnd.choice(OBLASTS)
        weapons, targets = rnd.choice(WEAPONS), rnd.choice(TARGETS)
        for k in range(rnd.randint(1, 6)):
            now = start + timedelta(days=strike // 6, hours=k * 2 + rnd.random())
            article = f"a{strike:06d}{k}"
            out.append(
                (
                    StrikeReport(
                        article_id=article,
                        index=0,
                        country="UA",
                        settlement=oblast if oblast != "Dnipropetrovsk" else "Dnipro",
                        admin1=f"{oblast} Oblast",
                        date=day,
                        date_basis="explicit",
                        attacker="RU",
                        weapons=weapons,
                        targets=targets,
                        killed=Casualty(rnd.randint(0, 3) + k, "at_least"),
                        evidence=f"a Russian strike on {oblast} killed people in the city centre, officials said",
                        url=f"https://www.outlet{k}.example.com/news/world-europe/2024/{article}-russian-strike-{oblast.lower()}",
                        outlet=f"Outlet {k}",
                        published_at=now,
                        title=f"Russian strike on {oblast} kills {k + 1}",
                        lead=f"A Russian {weapons[0]} strike hit {oblast} overnight, killing people. {article}",
                    ),
                    now,
                )
            )
    return out[:n_reports]


def run(reports: list[tuple[StrikeReport, datetime]]) -> tuple[float, float, int]:
    states: dict[str, BlockState] = {}
    started = time.perf_counter()
    for report, now in reports:
        key = block_key(report)
        state = states.get(key)
        if state is not None:  # what the worker does on arrival
            state, _ = expire(state, now, DEFAULT)
        states[key], _ = step(state, report, now, DEFAULT)
    elapsed = time.perf_counter() - started
    sizes = [(state_bytes_per_event(s), len(s.events)) for s in states.values() if s.events]
    events = sum(n for _, n in sizes)
    mean = sum(b * n for b, n in sizes) / events if events else 0.0
    return len(reports) / elapsed, mean, events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--dev", type=Path)
    args = parser.parse_args()
    rate, mean, events = run(synthetic(args.reports))
    print(f"synthetic: {args.reports} reports, {rate:,.0f} steps/s, {events} events, {mean:.0f} B/event")
    if args.dev:
        from streams.eval.clusters import evaluate_clusters

        result = evaluate_clusters(args.dev)
        print(f"dev (gold mentions): {result['state_bytes_per_event']:.0f} B per open event")


if __name__ == "__main__":
    main()
