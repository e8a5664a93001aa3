"""Batched sends on the embedded broker: the dedup changelog's end offsets stay exact, so a restarted
worker recovers every open event (Tansu reports a short end offset when a partition's last producer
batch holds several records)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from streams import kafka_io
from streams.core.dedup import block_key
from streams.core.models import Casualty, StrikeReport
from streams.settings import Settings
from tests.integration.conftest import WorkerFactory, metric_value, read_topic, worker_env

pytestmark = pytest.mark.integration

OBLASTS = [("Kharkiv", "Kharkiv Oblast", 49.99, 36.23), ("Odesa", "Odesa Oblast", 46.48, 30.72),
           ("Dnipro", "Dnipropetrovsk Oblast", 48.45, 34.98), ("Sumy", "Sumy Oblast", 50.91, 34.80),
           ("Kherson", "Kherson Oblast", 46.64, 32.61), ("Mykolaiv", "Mykolaiv Oblast", 46.97, 32.00)]
DAYS = 8  # strikes per city, three days apart: each its own event


def reports(killed: int) -> list[StrikeReport]:
    now = datetime.now(UTC)
    return [
        StrikeReport(
            article_id=f"{city.lower()}-{day}-{killed}", index=0, country="UA", settlement=city, admin1=oblast,
            lat=lat, lon=lon, precision="settlement", date=(now - timedelta(days=3 * day)).date(),
            date_basis="relative", attacker="RU", weapons=("missile",), killed=Casualty(killed),
            published_at=now - timedelta(days=3 * day) + timedelta(hours=killed),
        )
        for day in range(DAYS)
        for city, oblast, lat, lon in OBLASTS
    ]


async def send_reports(settings: Settings, items: list[StrikeReport]) -> None:
    """All at once (one producer batch per partition), keyed by block as the extract agent keys them."""
    async with kafka_io.producer(settings) as producer:
        sent = [await producer.send(settings.topic("reports"), value=orjson.dumps(r.to_dict()),
                                    key=block_key(r).encode()) for r in items]
        await asyncio.gather(*sent)


async def changelog_counts(settings: Settings) -> tuple[dict[int, int], dict[int, int]]:
    """(records read from each changelog partition, the end offset the broker reports for it)."""
    topic = f"{settings.app_id}-dedup-state-changelog"
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        counts = dict.fromkeys(range(len(tps)), 0)
        quiet = 0
        while quiet < 3:  # read until three fetches in a row come back empty
            batches = await consumer.getmany(timeout_ms=300)
            quiet = 0 if batches else quiet + 1
            for tp, messages in batches.items():
                counts[tp.partition] += len(messages)
        ends = await consumer.end_offsets(tps)
        return counts, {tp.partition: end for tp, end in ends.items()}
    finally:
        await consumer.stop()


def test_batched_changelog_end_offsets_are_exact_and_a_restart_recovers_every_open_event(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory
) -> None:
    env = worker_env(broker, tmp_path, STRIKEWATCH_DEDUP_BATCH_SIZE="50", STRIKEWATCH_DEDUP_BATCH_WAIT="0.05")
    first = worker_factory(env)
    settings = first.settings
    n = DAYS * len(OBLASTS)
    asyncio.run(send_reports(settings, reports(killed=1)))
    alerts = asyncio.run(read_topic(settings, "alerts", until=lambda v: len(v) >= n, timeout=60.0))
    new = {a["event_id"] for a in alerts if a["kind"] == "new_strike"}
    assert len(new) == n

    counts, ends = asyncio.run(changelog_counts(settings))
    assert sum(counts.values()) >= n  # one event entry each, plus the index entries of the blocks
    assert ends == counts, "the broker's end offsets match the records in each changelog partition"
    first.stop()

    second = worker_factory(env)  # same group and changelog: recovers the table, then goes on
    for _ in range(150):  # the open-events gauge is counted from the table every 5 s
        if metric_value(second.metrics(), "strikewatch_open_events") >= n:
            break
        asyncio.run(asyncio.sleep(0.1))
    assert metric_value(second.metrics(), "strikewatch_open_events") == n

    asyncio.run(send_reports(settings, reports(killed=5)))  # every toll rises
    alerts = asyncio.run(
        read_topic(settings, "alerts", until=lambda v: sum(a["kind"] == "casualties_rose" for a in v) >= n,
                   timeout=60.0)
    )
    rose = {a["event_id"] for a in alerts if a["kind"] == "casualties_rose"}
    assert rose == new, "every update joined its recovered event"
    assert {a["event_id"] for a in alerts if a["kind"] == "new_strike"} == new, "no event was created again"
    assert second.alive()
