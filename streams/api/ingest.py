"""Reads the strike-events and alerts topics into the store, and hands new alerts to the alert stream.

Error policy: a record that is not JSON or breaks its schema is skipped and counted
(``strikewatch_api_records_consumed_total{outcome="bad"}``) and logged with its topic, partition and
offset; the service goes on. Anything else (Kafka or the database failing) stops the service.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import orjson
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from streams import kafka_io
from streams.api.metrics import ApiMetrics
from streams.api.store import Kind, Record, Store
from streams.contracts import schema_errors
from streams.settings import Settings

log = logging.getLogger("strikewatch.api")

T = TypeVar("T")

TopicName = Literal["events", "alerts"]
_KIND: dict[TopicName, Kind] = {"events": "event", "alerts": "alert"}
_SCHEMA = {"events": "strike-event", "alerts": "alert"}


@dataclass(eq=False)  # hashed by identity: one per client
class Subscription:
    """One alert-stream client: its queue, and whether it fell too far behind (then it is closed)."""

    queue: asyncio.Queue[dict[str, Any] | None]
    overflowed: bool = False


class AlertHub:
    """Hands every new alert to every connected client. A client whose queue is full is dropped (its
    browser reconnects with Last-Event-ID and gets what it missed from the database)."""

    def __init__(self, queue_size: int = 1000) -> None:
        self._queue_size = queue_size
        self._subscribers: set[Subscription] = set()

    def subscribe(self) -> Subscription:
        sub = Subscription(queue=asyncio.Queue(self._queue_size))
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self._subscribers.discard(sub)

    @property
    def clients(self) -> int:
        return len(self._subscribers)

    def publish(self, alert: dict[str, Any]) -> None:
        for sub in list(self._subscribers):
            try:
                sub.queue.put_nowait(alert)
            except asyncio.QueueFull:
                sub.overflowed = True
                self._subscribers.discard(sub)

    def close(self) -> None:
        """End every client's stream (the service is stopping)."""
        for sub in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                sub.queue.put_nowait(None)
        self._subscribers.clear()


@dataclass
class IngestState:
    """How far the service has read: ready once every partition reached its end offset at start."""

    ready: bool = False
    caught_up: dict[str, bool] = field(default_factory=dict)
    lag: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def decode(kind: Kind, name: TopicName, message: ConsumerRecord[Any, Any]) -> tuple[Record, str | None]:
    """The stored record of ``message``, or a skip record and why it is skipped."""
    skip = Record(kind="skip", topic=message.topic, partition=message.partition, offset=message.offset, value={})
    if message.value is None:
        return skip, "empty value (tombstone)"
    try:
        value = orjson.loads(message.value)
    except orjson.JSONDecodeError as exc:
        return skip, f"not JSON: {exc}"
    errors = schema_errors(_SCHEMA[name], value)
    if errors:
        return skip, "schema violation: " + "; ".join(errors[:3])
    return Record(kind=kind, topic=message.topic, partition=message.partition, offset=message.offset, value=value), None


class Ingest:
    """The consuming half of the service: one consumer per topic, no consumer group (every replica
    reads everything), one writer thread for the database."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        hub: AlertHub,
        metrics: ApiMetrics,
        writer: ThreadPoolExecutor,
        *,
        alert_hold: float = 2.0,
    ) -> None:
        self.settings = settings
        self.store = store
        self.hub = hub
        self.metrics = metrics
        self.writer = writer
        self.state = IngestState()
        # Alerts whose event version is not stored yet: held (at most alert_hold s) so that a page that
        # reacts to an alert by asking for the event gets the version the alert speaks of.
        self.alert_hold = alert_hold
        self._pending: list[tuple[float, dict[str, Any]]] = []

    async def _write(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.writer, fn, *args)

    @property
    def source(self) -> str:
        return orjson.dumps([self.settings.topic("events"), self.settings.topic("alerts")]).decode("utf-8")

    async def run(self) -> None:
        """Consume until cancelled; waits (logging) while a topic does not exist yet."""
        options = {"fetch_max_wait_ms": self.settings.effective_fetch_max_wait_ms}
        while True:
            async with (
                kafka_io.assigned(self.settings, "events", **options) as (events, event_tps),
                kafka_io.assigned(self.settings, "alerts", **options) as (alerts, alert_tps),
            ):
                if event_tps and alert_tps:
                    await self._consume({"events": (events, event_tps), "alerts": (alerts, alert_tps)})
                    return
                log.warning(
                    "waiting for topics %s and %s to exist",
                    self.settings.topic("events"),
                    self.settings.topic("alerts"),
                )
            await asyncio.sleep(1.0)

    async def _consume(self, assigned: dict[TopicName, tuple[AIOKafkaConsumer, list[TopicPartition]]]) -> None:
        ends: dict[TopicName, dict[TopicPartition, int]] = {}
        for name, (consumer, tps) in assigned.items():
            ends[name] = await consumer.end_offsets(tps)
        stored = await self._write(self.store.offsets)
        if await self._write(self.store.source) != self.source:
            log.info("database %s holds no state of these topics: reading them from the beginning", self.store.path)
            await self._write(self.store.reset, self.source)
            stored = {}
        beyond = [
            f"{tp.topic}[{tp.partition}] stored {stored[(tp.topic, tp.partition)]} > end {end}"
            for name in ends
            for tp, end in ends[name].items()
            if stored.get((tp.topic, tp.partition), 0) > end
        ]
        if beyond:
            # The topics were recreated (the embedded broker forgets everything on restart): start over.
            log.warning("stored offsets past the topics' ends (%s): rebuilding from the beginning", "; ".join(beyond))
            await self._write(self.store.reset, self.source)
            stored = {}
        for _name, (consumer, tps) in assigned.items():
            for tp in tps:
                next_offset = stored.get((tp.topic, tp.partition))
                if next_offset is None:
                    await consumer.seek_to_beginning(tp)
                else:
                    consumer.seek(tp, next_offset)
        started = time.monotonic()
        log.info(
            "reading %s from offsets %s",
            ", ".join(self.settings.topic(n) for n in assigned),
            {f"{tp.topic}[{tp.partition}]": stored.get((tp.topic, tp.partition), 0) for n in ends for tp in ends[n]},
        )
        tasks = [
            asyncio.create_task(self._follow(name, consumer, tps, ends[name], started), name=f"ingest-{name}")
            for name, (consumer, tps) in assigned.items()
        ]
        tasks.append(asyncio.create_task(self._release_loop(), name="ingest-release"))
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _follow(
        self,
        name: TopicName,
        consumer: AIOKafkaConsumer,
        tps: list[TopicPartition],
        ends: dict[TopicPartition, int],
        started: float,
    ) -> None:
        kind = _KIND[name]
        topic = self.settings.topic(name)
        self.state.caught_up[name] = await _reached(consumer, ends)
        self._check_ready(started)
        while True:
            batches = await consumer.getmany(timeout_ms=500, max_records=500)
            records: list[Record] = []
            bad = 0
            for messages in batches.values():
                for message in messages:
                    record, why = decode(kind, name, message)
                    if why is not None:
                        bad += 1
                        log.warning("skipping %s[%d]@%d: %s", message.topic, message.partition, message.offset, why)
                    records.append(record)
            if records:
                new_alerts = await self._write(self.store.apply, records)
                self.metrics.records.labels(topic=name, outcome="stored").inc(len(records) - bad)
                if bad:
                    self.metrics.records.labels(topic=name, outcome="bad").inc(bad)
                for alert in new_alerts:
                    self._pending.append((time.monotonic() + self.alert_hold, alert.value))
                if self._pending:
                    await self._release()
            lag = 0
            for tp in tps:
                high = consumer.highwater(tp)
                if high is not None:
                    lag += max(0, high - await consumer.position(tp))
            self.state.lag[name] = lag
            self.metrics.consumer_lag.labels(topic=topic).set(lag)
            if not self.state.caught_up.get(name):
                self.state.caught_up[name] = await _reached(consumer, ends)
                self._check_ready(started)

    def _check_ready(self, started: float) -> None:
        if not self.state.ready and len(self.state.caught_up) == 2 and all(self.state.caught_up.values()):
            self.state.ready = True
            self.metrics.ready.set(1)
            log.info("caught up with the topics' end offsets in %.1f s: ready", time.monotonic() - started)

    async def _release_loop(self) -> None:
        while True:
            await asyncio.sleep(0.2)
            if self._pending:
                await self._release()

    async def _release(self) -> None:
        """Hand the held alerts whose event version is stored (or that waited long enough) to the hub."""
        pending, self._pending = self._pending, []
        ids = sorted({alert["event_id"] for _, alert in pending})
        versions = await self._write(lambda: {i: self.store.event_version(i) for i in ids})
        now = time.monotonic()
        for deadline, alert in pending:
            stored = versions.get(alert["event_id"])
            if (stored is not None and stored >= alert["version"]) or now >= deadline:
                self.hub.publish(alert)
                self.metrics.alerts_streamed.inc()
            else:
                self._pending.append((deadline, alert))


async def _reached(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return False
    return True
