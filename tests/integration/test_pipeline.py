"""The whole pipeline on the embedded broker: articles in, alerts, events and dead letters out."""

from __future__ import annotations

import asyncio
import base64
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams import kafka_io
from streams.app import block_partition
from streams.broker import ensure_topics
from streams.contracts import Origin
from streams.core.dedup import block_key
from streams.core.models import Casualty, StrikeReport
from streams.handlers import SUMMARY_HEADER, handle_report
from streams.offline import dedup_config
from streams.settings import Settings
from tests.integration.conftest import (
    WorkerFactory,
    metric_value,
    produce_raw,
    read_topic,
    worker_env,
)

pytestmark = pytest.mark.integration


def seed_article(shared_data: Path) -> dict[str, str]:
    """The seed article as a producer would send it (its text stays in ../shared)."""
    raw = (shared_data / "seed" / "moscow_times_2023-12-31.txt").read_text()
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    title, body = lines[0], "\n\n".join(lines[1:])
    return {
        "id": "moscow-times-2023-12-31-belgorod",
        "url": "https://www.themoscowtimes.com/2023/12/31/russia-strikes-ukraine-in-retaliation-for-attack-on-belgorod-a83618",
        "title": title,
        "text": body,
        "outlet": "The Moscow Times",
        "published_at": "2023-12-31T10:00:00+00:00",
    }


def new_strikes(alerts: list[dict]) -> list[dict]:
    return [a for a in alerts if a["kind"] == "new_strike"]


# both ways the extract stage can read `articles` (README: STRIKEWATCH_EXTRACT_CONSUMER)
@pytest.mark.parametrize("extract_consumer", ["plain", "faust"])
def test_seed_article_gives_one_kharkiv_alert_and_bad_input_is_dead_lettered(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory, shared_data: Path, extract_consumer: str
) -> None:
    worker = worker_factory(worker_env(broker, tmp_path, STRIKEWATCH_EXTRACT_CONSUMER=extract_consumer))
    settings = worker.settings
    article = orjson.dumps(seed_article(shared_data))

    asyncio.run(produce_raw(settings, [article]))
    alerts = asyncio.run(
        read_topic(settings, "alerts", until=lambda v: any(a.get("settlement") == "Kharkiv" for a in v))
    )
    kharkiv = [a for a in new_strikes(alerts) if a["settlement"] == "Kharkiv"]
    assert len(kharkiv) == 1, alerts
    assert kharkiv[0]["admin1"] == "Kharkiv Oblast" and kharkiv[0]["country"] == "UA"

    # the same article again, then something that is not JSON
    asyncio.run(produce_raw(settings, [article, b"this is not json"]))
    dead = asyncio.run(read_topic(settings, "articles_dlq", until=lambda v: len(v) >= 1))
    assert len(dead) == 1
    assert dead[0]["reason"] == "not_json"
    assert base64.b64decode(dead[0]["payload_b64"]) == b"this is not json"
    assert dead[0]["topic"] == settings.topic("articles") and dead[0]["offset"] >= 0

    # the repeat came before the dead letter on the same partition (same key: none vs id... so wait
    # for the consumed counter instead of assuming order)
    def consumed() -> float:
        text = worker.metrics()
        return sum(metric_value(text, "strikewatch_articles_consumed_total", outcome=o)
                   for o in ("strike", "irrelevant", "dead_lettered"))

    for _ in range(100):
        if consumed() >= 3:
            break
        asyncio.run(asyncio.sleep(0.1))
    assert consumed() == 3
    alerts = asyncio.run(read_topic(settings, "alerts", until=lambda v: False, timeout=2.0))
    # the repeat re-emits the alert under its id (a consumer drops it): still one new strike
    assert len({a["alert_id"] for a in new_strikes(alerts) if a["settlement"] == "Kharkiv"}) == 1
    text = worker.metrics()
    assert metric_value(text, "strikewatch_dead_letters_total", reason="not_json",
                        topic=settings.topic("articles")) == 1
    assert worker.alive()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\xff\xfenot utf-8", "not_utf8"),
        (b'{"id": "no-text"}', "schema_violation"),
        (b'{"id": "big", "text": "' + b"x" * 5000 + b'"}', "too_large"),
    ],
)
def test_each_kind_of_bad_input_lands_in_the_dlq_and_the_worker_keeps_going(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory, payload: bytes, reason: str
) -> None:
    env = worker_env(broker, tmp_path, STRIKEWATCH_MAX_MESSAGE_BYTES="4096")
    worker = worker_factory(env)
    settings = worker.settings
    good = orjson.dumps({"id": "ok-1", "title": "Russian drones hit Odesa port overnight, two killed",
                         "published_at": "2023-07-20T07:00:00+00:00"})
    asyncio.run(produce_raw(settings, [payload, good]))
    dead = asyncio.run(read_topic(settings, "articles_dlq", until=lambda v: len(v) >= 1))
    assert [d["reason"] for d in dead] == [reason]
    assert base64.b64decode(dead[0]["payload_b64"]) == payload[:4096]
    alerts = asyncio.run(read_topic(settings, "alerts", until=lambda v: len(v) >= 1))
    assert any(re.search("Odesa", a.get("settlement") or "") for a in alerts), alerts
    assert worker.alive()


def test_dedup_state_survives_a_restart_without_repeating_new_strike(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory
) -> None:
    env = worker_env(broker, tmp_path)
    first = worker_factory(env)
    settings = first.settings
    reports = [
        {"id": "dnipro-a", "title": "Russian missile hits Dnipro apartment block, at least 12 killed",
         "text": "A Russian missile struck a residential building in Dnipro on Saturday, killing at least "
                 "12 people and injuring 64, officials said.",
         "published_at": "2023-01-14T18:40:00+00:00", "outlet": "A"},
        {"id": "kyiv-b", "title": "Drone attack on Kyiv overnight injures three",
         "text": "Russian drones attacked Kyiv overnight; debris damaged a house and injured three people, "
                 "the city administration said on Sunday.",
         "published_at": "2023-05-28T06:00:00+00:00", "outlet": "B"},
    ]
    asyncio.run(produce_raw(settings, [orjson.dumps(r) for r in reports]))
    alerts = asyncio.run(read_topic(settings, "alerts", until=lambda v: len(new_strikes(v)) >= 2))
    assert len(new_strikes(alerts)) == 2
    dnipro_event = next(a["event_id"] for a in alerts if a["settlement"] == "Dnipro")
    first.stop()

    second = worker_factory(env)  # same app id: same group, same table changelog
    update = {"id": "dnipro-c", "title": "Dnipro death toll rises to 30",
              "text": "The number of people killed when a Russian missile hit an apartment building in Dnipro "
                      "on Saturday rose to 30, with 73 injured, the governor said on Sunday.",
              "published_at": "2023-01-15T09:30:00+00:00", "outlet": "C"}
    asyncio.run(produce_raw(settings, [orjson.dumps(reports[0]), orjson.dumps(update)]))
    alerts = asyncio.run(
        read_topic(settings, "alerts", until=lambda v: any(a["kind"] == "casualties_rose" for a in v))
    )
    rose = [a for a in alerts if a["kind"] == "casualties_rose"]
    assert len(rose) == 1 and rose[0]["event_id"] == dnipro_event
    assert rose[0]["killed"]["value"] == 30
    # the repeated article re-emits its event's alert under the same id, which a consumer drops
    assert len({a["alert_id"] for a in new_strikes(alerts)}) == 2, "a restart must not mint new_strike alerts"
    assert second.alive()


def test_idle_events_close_and_leave_the_state(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory
) -> None:
    # a window of ~1 s and a check every second: the event closes soon after it is created
    env = worker_env(broker, tmp_path, STRIKEWATCH_EVENT_WINDOW_DAYS=str(1.0 / 86400),
                     STRIKEWATCH_EXPIRY_GRACE_DAYS="0", STRIKEWATCH_EXPIRY_INTERVAL="1")
    worker = worker_factory(env)
    settings = worker.settings
    kyiv = orjson.dumps({"id": "kyiv-close", "title": "Russian missile hits Kyiv apartment block, five killed",
                         "published_at": "2024-01-02T07:00:00+00:00"})
    asyncio.run(produce_raw(settings, [kyiv]))
    asyncio.run(read_topic(settings, "alerts", until=lambda v: len(new_strikes(v)) >= 1))

    def gauge(name: str) -> float:
        return metric_value(worker.metrics(), name)

    for _ in range(200):  # the open-events gauge is counted from the table every 5 s
        if gauge("strikewatch_events_closed_total") >= 1 and gauge("strikewatch_open_events") == 0:
            break
        asyncio.run(asyncio.sleep(0.1))
    assert gauge("strikewatch_events_closed_total") == 1
    assert gauge("strikewatch_open_events") == 0
    assert worker.alive()


def test_a_crash_between_the_table_write_and_the_sends_loses_no_alert(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory
) -> None:
    """The state a worker leaves when it dies after writing the table and before sending: the changelog
    holds the merged report, the outputs never left, the report's offset is not committed. A worker that
    starts then restores the table, gets the report again and sends the lost alert under its id."""
    env = worker_env(broker, tmp_path)
    settings = Settings.from_env(env)
    asyncio.run(ensure_topics(settings))
    report = StrikeReport(
        article_id="crash-1", index=0, country="UA", settlement="Dnipro", admin1="Dnipropetrovsk Oblast",
        lat=48.45, lon=34.98, precision="settlement", date=datetime.now(UTC).date(), date_basis="relative",
        attacker="RU", weapons=("missile",), killed=Casualty(4), published_at=datetime.now(UTC),
    )
    payload = orjson.dumps(report.to_dict())
    block = block_key(report).encode()
    origin = Origin(settings.topic("reports"), 0, 0, None, block)
    before_crash = handle_report({}, payload, origin, now=datetime.now(UTC), config=dedup_config(settings),
                                 max_bytes=settings.max_message_bytes)
    lost = [orjson.loads(s.value) for s in before_crash.sends if s.topic == "alerts"]
    assert [a["kind"] for a in lost] == ["new_strike"]

    async def leave_the_crashed_state() -> None:
        partition = block_partition(block, settings.partitions)
        async with kafka_io.producer(settings) as producer:
            for key, value in before_crash.writes.items():  # the table write reached the changelog
                await producer.send_and_wait(f"{settings.app_id}-dedup-state-changelog", value=value, key=key,
                                             partition=partition)
            await producer.send_and_wait(settings.topic("reports"), value=payload, key=block, partition=partition)

    asyncio.run(leave_the_crashed_state())
    worker = worker_factory(env)
    alerts = asyncio.run(read_topic(settings, "alerts", until=lambda v: len(v) >= 1))
    assert [(a["alert_id"], a["kind"]) for a in alerts] == [(lost[0]["alert_id"], "new_strike")]
    alerts = asyncio.run(read_topic(settings, "alerts", until=lambda v: False, timeout=2.0))
    assert len(alerts) == 1, "the restored state was used: no second event was created"
    assert worker.alive()


def test_a_country_account_is_linked_to_its_city_event_across_partitions_and_a_bad_summary_is_dead_lettered(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory
) -> None:
    """The city report and the country-level report live in two dedup blocks (partitions); the city
    block's summary reaches the country block on the reports topic and links the account to the city
    event. A malformed summary on the reports topic is dead-lettered and counted, and the worker goes on."""
    worker = worker_factory(worker_env(broker, tmp_path))
    settings = worker.settings
    city = {"id": "kramatorsk-city", "title": "Russian rocket strike on Kramatorsk kills two residents",
            "text": "Two residents of Kramatorsk were killed when a Russian rocket hit a street in the city on "
                    "Tuesday morning, the regional governor said.",
            "published_at": "2023-03-14T09:00:00+00:00", "outlet": "A"}
    national = {"id": "kramatorsk-national", "title": "Russian rocket attack kills two civilians in eastern Ukraine",
                "text": "A Russian rocket attack killed two civilians in eastern Ukraine on Tuesday, officials said.",
                "published_at": "2023-03-14T12:00:00+00:00", "outlet": "B"}
    asyncio.run(produce_raw(settings, [orjson.dumps(national), orjson.dumps(city)]))
    # (the two blocks' events come from two partitions: read until both the link and the city event are in)
    events = asyncio.run(read_topic(
        settings, "events", timeout=60.0,
        until=lambda v: any(e.get("merged_into") for e in v) and any(e.get("settlement") == "Kramatorsk" for e in v)))
    (linked,) = {e["event_id"]: e for e in events if e.get("merged_into")}.values()
    city_event = next(e for e in events if e["settlement"] == "Kramatorsk")
    assert linked["merged_into"] == city_event["event_id"] and linked["settlement"] is None

    async def bad_summary() -> None:
        async with kafka_io.producer(settings) as producer:
            await producer.send_and_wait(settings.topic("reports"), value=b'{"event_id": "ev_x"}', key=b"UA/*",
                                         headers=[(SUMMARY_HEADER, b"1")])

    asyncio.run(bad_summary())
    dead = asyncio.run(read_topic(settings, "articles_dlq", until=lambda v: len(v) >= 1, timeout=60.0))
    assert [(d["reason"], d["stage"]) for d in dead] == [("schema_violation", "dedup")]
    for _ in range(100):
        if metric_value(worker.metrics(), "strikewatch_dead_letters_total", reason="schema_violation",
                        topic=settings.topic("reports")) == 1:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the dead-lettered summary was not counted")
    assert worker.alive()
