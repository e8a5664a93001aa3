"""The imperative shell: the faust app, its two agents, the dedup table and the web endpoints.

Agents only decode, call the pure core, and send. Nothing may escape an agent (faust acks and drops
a message whose agent raises), so every per-message failure becomes a dead letter with a reason.

    articles --extract--> strike-reports (keyed by dedup block) --dedup--> strike-events, alerts
        \\--> articles.dlq                                           \\--> articles.dlq
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
from aiokafka.partitioner import murmur2
from faust.sensors.prometheus import setup_prometheus_sensors
from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.contracts import BadMessage, Origin, Reason, dead_letter, decode_article, schema_errors
from streams.core import dedup
from streams.core.extract import extract
from streams.core.models import Alert, StrikeEvent, StrikeReport
from streams.metrics import Metrics, build_metrics
from streams.offline import dedup_config
from streams.settings import Settings

log = logging.getLogger(__name__)

TICK_HEADER = "strikewatch-tick"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def faust_settings(settings: Settings) -> dict[str, Any]:
    """faust.App keyword settings for a profile (embedded Tansu or a real cluster)."""
    conf: dict[str, Any] = dict(
        broker=",".join(f"kafka://{s.strip()}" for s in settings.bootstrap_servers.split(",")),
        store="memory://",
        processing_guarantee="at_least_once",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.effective_session_timeout,
        broker_heartbeat_interval=settings.effective_heartbeat_interval,
        broker_rebalance_timeout=max(10.0, settings.effective_session_timeout * 2),
        broker_commit_interval=1.0,
        producer_max_batch_size=settings.effective_max_batch_size,
        producer_linger=settings.effective_linger_ms / 1000.0,
        producer_max_request_size=max(settings.max_message_bytes * 2, 1_048_576),
        consumer_max_fetch_size=max(settings.max_message_bytes * 2, 1_048_576),
        web_enabled=True,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_bind=settings.web_host,
        web_tables_enabled=False,
        web_router_enabled=False,
        web_graph_enabled=False,
        web_stats_enabled=False,
        web_metrics_enabled=False,
        datadir=settings.data_dir,
        table_cleanup_interval=3600.0,
        stream_wait_empty=False,
        broker_credentials=_credentials(settings),
    )
    return conf


def _credentials(settings: Settings) -> Any:
    protocol = settings.security_protocol.upper()
    if protocol == "PLAINTEXT":
        return None
    ssl_context = settings.kafka_client_kwargs().get("ssl_context")
    if protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password,
            mechanism=settings.sasl_mechanism,
            ssl_context=ssl_context,
        )
    return faust.SSLCredentials(ssl_context)


def block_partition(key: bytes, partitions: int) -> int:
    """The partition the default Kafka partitioner gives ``key`` (the dedup table's partition)."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


@dataclass
class Worker:
    """Everything a running worker holds, so tests can reach it."""

    app: faust.App
    settings: Settings
    metrics: Metrics
    clock: Clock
    state: dict[str, Any] = field(default_factory=dict)


def create_app(
    settings: Settings,
    *,
    registry: CollectorRegistry | None = None,
    clock: Clock = utc_now,
) -> Worker:
    """Build the faust app with its topics, table, agents, timers and pages (no I/O here)."""
    registry = registry or CollectorRegistry()
    metrics = build_metrics(registry)
    app = faust.App(settings.app_id, **faust_settings(settings))
    setup_prometheus_sensors(app, pattern="/metrics", registry=registry, name_prefix="faust")
    worker = Worker(app=app, settings=settings, metrics=metrics, clock=clock)
    config = dedup_config(settings)

    raw = dict(key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
    articles_topic = app.topic(settings.topic("articles"), **raw)
    dlq_topic = app.topic(settings.topic("articles_dlq"), **raw)
    reports_topic = app.topic(settings.topic("reports"), partitions=settings.partitions, **raw)
    events_topic = app.topic(settings.topic("events"), **raw)
    alerts_topic = app.topic(settings.topic("alerts"), **raw)
    table = app.Table(
        "dedup-state",
        default=None,
        partitions=settings.partitions,
        schema=faust.Schema(**raw),
    )
    max_bytes = settings.max_message_bytes

    async def send_dead_letter(
        reason: Reason, detail: str, stage: str, origin: Origin, payload: bytes
    ) -> None:
        metrics.dead_letters.labels(reason=reason, topic=origin.topic).inc()
        log.warning(
            "dead letter %s from %s[%d]@%d: %s",
            reason, origin.topic, origin.partition, origin.offset, detail[:200],
        )
        record = dead_letter(
            reason=reason,
            detail=detail,
            stage=stage,  # type: ignore[arg-type]
            origin=origin,
            payload=payload,
            max_bytes=max_bytes,
            now=clock(),
        )
        await dlq_topic.send(key=origin.key, value=orjson.dumps(record))

    def origin_of(event: faust.types.EventT) -> Origin:
        message = event.message
        ts = message.timestamp
        return Origin(
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            timestamp=datetime.fromtimestamp(ts, UTC) if ts else None,
            key=message.key if isinstance(message.key, bytes | None) else None,
        )

    @app.agent(articles_topic, concurrency=1, name="extract")
    async def extract_agent(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            origin = origin_of(event)
            payload = event.value if isinstance(event.value, bytes) else b""
            try:
                article = decode_article(payload, max_bytes)
                started = time.perf_counter()
                reports = extract(article, origin.timestamp)
                metrics.extract_seconds.observe(time.perf_counter() - started)
            except BadMessage as bad:
                metrics.articles.labels(outcome="dead_lettered").inc()
                await send_dead_letter(bad.reason, bad.detail, "extract", origin, payload)
                continue
            except Exception as exc:  # the core failed on this input: keep the worker alive
                log.exception("extraction failed at %s[%d]@%d", origin.topic, origin.partition, origin.offset)
                metrics.articles.labels(outcome="dead_lettered").inc()
                await send_dead_letter("extract_error", repr(exc), "extract", origin, payload)
                continue
            metrics.articles.labels(outcome="strike" if reports else "irrelevant").inc()
            for report in reports:
                metrics.reports.inc()
                await reports_topic.send(
                    key=dedup.block_key(report).encode("utf-8"),
                    value=orjson.dumps(report.to_dict()),
                    timestamp=event.message.timestamp,
                )

    async def publish(outputs: list[StrikeEvent | Alert], article_ts: float | None) -> None:
        for item in outputs:
            if isinstance(item, StrikeEvent):
                if item.version == 1:
                    metrics.events_created.inc()
                else:
                    metrics.events_updated.inc()
                await events_topic.send(key=item.event_id.encode(), value=orjson.dumps(item.to_dict()))
            else:
                await alerts_topic.send(key=item.event_id.encode(), value=orjson.dumps(item.to_dict()))
                metrics.alerts.labels(kind=item.kind).inc()
                if article_ts:
                    metrics.alert_latency.observe(max(0.0, time.time() - article_ts))

    def load(key: bytes) -> dedup.BlockState | None:
        stored = table.get(key)
        return None if stored is None else dedup.BlockState.from_dict(orjson.loads(stored))

    def store(key: bytes, state: dedup.BlockState | None, before: dedup.BlockState | None) -> None:
        # Values are reassigned, never mutated in place: only assignment reaches the changelog.
        if state is None:
            if key in table:
                del table[key]
        else:
            table[key] = orjson.dumps(state.to_dict())
        delta = (len(state.events) if state else 0) - (len(before.events) if before else 0)
        if delta:
            metrics.open_events.inc(delta)

    async def expire_partition(partition: int, now: datetime) -> None:
        n = settings.partitions
        for key in [k for k in list(table.keys()) if block_partition(k, n) == partition]:
            before = load(key)
            if before is None:
                continue
            after, closed = dedup.expire(before, now, config)
            if closed:
                metrics.events_closed.inc(len(closed))
                store(key, after, before)

    @app.agent(reports_topic, concurrency=1, name="dedup")
    async def dedup_agent(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            origin = origin_of(event)
            payload = event.value if isinstance(event.value, bytes) else b""
            headers = dict(event.message.headers or ())
            try:
                if TICK_HEADER in headers:
                    await expire_partition(origin.partition, clock())
                    continue
                document = orjson.loads(payload)
                problems = schema_errors("strike-report", document)
                if problems:
                    raise BadMessage("schema_violation", "; ".join(problems[:5]))
                report = StrikeReport.from_dict(document)
                key = origin.key or dedup.block_key(report).encode()
                started = time.perf_counter()
                now = clock()
                before = load(key)
                current = before
                if current is not None:
                    current, closed = dedup.expire(current, now, config)
                    metrics.events_closed.inc(len(closed))
                after, outputs = dedup.step(current, report, now, config)
                metrics.dedup_seconds.observe(time.perf_counter() - started)
                if outputs or after != before:
                    store(key, after, before)
                await publish(outputs, event.message.timestamp)
            except BadMessage as bad:
                await send_dead_letter(bad.reason, bad.detail, "dedup", origin, payload)
            except Exception as exc:
                log.exception("dedup failed at %s[%d]@%d", origin.topic, origin.partition, origin.offset)
                await send_dead_letter("dedup_error", repr(exc), "dedup", origin, payload)

    @app.timer(interval=60.0, on_leader=False)
    async def send_ticks() -> None:
        """Ask each partition's dedup stream to close idle events (in-stream, so it is ordered)."""
        if not worker.state.get("ready"):
            return
        reports_name = settings.topic("reports")
        for tp in sorted(app.assignor.assigned_actives()):
            if tp.topic == reports_name:
                await reports_topic.send(
                    key=None, value=b"", partition=tp.partition, headers={TICK_HEADER: b"1"}
                )

    @app.timer(interval=5.0, on_leader=False)
    async def measure_lag() -> None:
        consumer = app.consumer
        for tp in sorted(consumer.assignment()):
            try:
                end = consumer.highwater(tp)
                position = consumer._read_offset.get(tp)
            except Exception:  # assignment changed under us; next round measures again
                continue
            if end is None:
                continue
            consumed = (position + 1) if position is not None else 0
            metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
                max(0, end - consumed)
            )

    @app.page("/ready")
    async def ready(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        ok = bool(worker.state.get("ready")) and not app.rebalancing
        return web.json({"ready": ok}, status=200 if ok else 503)

    @app.on_rebalance_complete.connect
    async def on_rebalance_complete(sender: Any, **kwargs: Any) -> None:
        _mark_ready(worker)

    @app.on_partitions_revoked.connect
    async def on_revoked(app_: Any, revoked: set[TP], **kwargs: Any) -> None:
        metrics.ready.set(0)

    @app.on_partitions_assigned.connect
    async def on_assigned(app_: Any, assigned: set[TP], **kwargs: Any) -> None:
        metrics.consumer_lag.clear()

    worker.state.update(
        articles_topic=articles_topic,
        reports_topic=reports_topic,
        table=table,
        agents=(extract_agent, dedup_agent),
    )

    @app.task
    async def on_started() -> None:
        _mark_ready(worker)

    return worker


def _mark_ready(worker: Worker) -> None:
    app = worker.app
    if app.rebalancing:
        return
    worker.state["ready"] = True
    worker.metrics.ready.set(1)
