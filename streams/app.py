"""The imperative shell: the faust app, the extract stage (streams/stage.py, or a faust agent with
``STRIKEWATCH_EXTRACT_CONSUMER=faust``), the dedup agent, the dedup table and the web endpoints.

Stages only decode, call the pure core, and send. Nothing may escape an agent (faust acks and drops
a message whose agent raises), so every per-message failure becomes a dead letter with a reason.

    articles --extract--> strike-reports (keyed by dedup block) --dedup--> strike-events, alerts
        \\--> articles.dlq        ^                                 |   \\--> articles.dlq
                                  \\---- located-event summaries ----/   (keyed by country block "UA/*")
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import faust
from aiokafka import ConsumerRecord
from aiokafka.partitioner import murmur2
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from streams.batching import Outbox
from streams.broker import BrokerWatch, DataLoss, ensure_topics
from streams.contracts import Origin
from streams.core.published import QUALITIES
from streams.handlers import (
    SEP,
    SUMMARY_HEADER,
    ExtractFn,
    ReportResult,
    Send,
    StateCache,
    handle_article,
    handle_expiry,
    handle_report,
    handle_summary,
    is_event_key,
    is_index_key,
)
from streams.metrics import ARTICLE_OUTCOMES, Metrics, build_metrics
from streams.offline import dedup_config
from streams.settings import Settings
from streams.stage import ExtractStage
from streams.transport import App, LeanMonitor, TableManager

log = logging.getLogger(__name__)

TICK_HEADER = "strikewatch-tick"
# Asks a dedup partition to write its table entries to the changelog again (after the broker lost it).
RESEED_HEADER = "strikewatch-reseed"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def faust_settings(settings: Settings) -> dict[str, Any]:
    """faust.App keyword settings for a profile (embedded Tansu or a real cluster)."""
    conf: dict[str, Any] = dict(
        broker=",".join(f"kafka://{s.strip()}" for s in settings.bootstrap_servers.split(",")),
        store="memory://",
        key_serializer="raw",
        value_serializer="raw",
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
        # A graceful stop (SIGTERM) and a revoked partition wait for the messages the agents already took
        # (their outputs sent and acked) and commit them, so the next owner does not get them again.
        stream_wait_empty=True,
        broker_credentials=_credentials(settings),
        TableManager=TableManager,
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


def load_extraction() -> ExtractFn:
    """The extraction core imported, and its data loaded and compiled: about 0.4 and 2-2.5 CPU-s, which the
    worker spends on a thread once it is ready rather than before (importing it at start delayed /ready)."""
    from streams.core.extract import extract, prepare

    prepare()
    return extract


def block_partition(key: bytes, partitions: int) -> int:
    """The partition the default Kafka partitioner gives ``key`` (the dedup table's partition)."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


@dataclass
class Worker:
    """Everything a running worker holds, so tests can reach it."""

    app: App
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
    # faust's monitor keeps per-message counters and timings, and its Prometheus sensor more per message;
    # our metrics (streams/metrics.py) replace both, so the lean monitor skips that work.
    app = App(settings.app_id, monitor=LeanMonitor(), **faust_settings(settings))
    app.fetch_max_wait_ms = settings.effective_fetch_max_wait_ms

    @app.page("/metrics")
    async def metrics_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return web.bytes(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    worker = Worker(app=app, settings=settings, metrics=metrics, clock=clock)
    config = dedup_config(settings)

    raw: dict[str, Any] = dict(key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
    articles_topic = app.topic(settings.topic("articles"), **raw)
    dlq_topic = app.topic(settings.topic("articles_dlq"), **raw)
    reports_topic = app.topic(settings.topic("reports"), partitions=settings.partitions, **raw)
    events_topic = app.topic(settings.topic("events"), **raw)
    alerts_topic = app.topic(settings.topic("alerts"), **raw)
    table = app.Table(
        "dedup-state",
        default=None,
        partitions=settings.partitions,
        key_type=bytes,  # bytes types give the changelog raw serializers (JSON is ours to do)
        value_type=bytes,
        schema=faust.Schema(**raw),
    )
    max_bytes = settings.max_message_bytes
    topics = {
        "reports": reports_topic,
        "events": events_topic,
        "alerts": alerts_topic,
        "articles_dlq": dlq_topic,
    }

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

    names = {logical: topic.get_topic_name() for logical, topic in topics.items()}
    seal = settings.effective_producer_seal_batches

    def queue_sends(out: Outbox, sends: list[Send], origin: Origin, timestamp: float | None = None) -> None:
        for send in sends:
            if send.topic == "articles_dlq":
                metrics.dead_letters.labels(reason=send.reason, topic=origin.topic).inc()
            out.add(names[send.topic], send.key, send.value, timestamp=timestamp, headers=send.headers)

    # faust acks a batch of take_events (and the event of an ``async for``) in a ``finally``, so an agent
    # stopped mid-batch (SIGTERM, a partition revoked) would ack, and the worker commit, messages whose
    # outputs were never sent: lost on the restart. Each event is held (one more reference) until its
    # sends are done, so faust's ack of an unfinished event is not the final one and it is redelivered.
    def hold(event: faust.types.EventT) -> None:
        event.message.incref()

    def release(event: faust.types.EventT) -> None:
        event.message.decref()

    # label children looked up once, not per message
    outcome_counter = {outcome: metrics.articles.labels(outcome=outcome) for outcome in ARTICLE_OUTCOMES}
    quality_counter = {quality: metrics.published_at.labels(quality=quality) for quality in QUALITIES}

    trace_offsets = settings.test_trace_offsets

    def extract_one(payload: bytes, origin: Origin, timestamp: float | None, out: Outbox) -> None:
        """One articles-topic message into ``out`` (its reports, or its dead letter) and the metrics."""
        result = handle_article(payload, origin, max_bytes=max_bytes, now=clock(), extract_fn=prepared().result())
        outcome_counter[result.outcome].inc()
        if result.published_at_quality is not None:
            quality_counter[result.published_at_quality].inc()
        if result.outcome != "dead_lettered":
            metrics.extract_seconds.observe(result.seconds)
            metrics.reports.inc(len(result.sends))
        # reports carry the article's Kafka timestamp, so alert latency is measured from it
        queue_sends(out, result.sends, origin, timestamp=timestamp)

    stage: ExtractStage | None = None
    # the extraction core is imported and loads and compiles its data on a thread, started once the worker is
    # ready; the extract stage awaits it, so the event loop (heartbeats, /metrics, dedup) never waits for it
    core_prepared: list[asyncio.Future[ExtractFn]] = []

    def prepared() -> asyncio.Future[ExtractFn]:
        """The extraction core's ``extract`` once loaded (``result()`` of the awaited future)."""
        if not core_prepared:
            core_prepared.append(asyncio.get_running_loop().run_in_executor(None, load_extraction))
        return core_prepared[0]

    started = asyncio.Event()  # the app's tables are recovered and its tasks run (set by on_started)

    async def before_first_batch() -> None:
        # the plain stage starts with the app (its group join beside faust's) and may fetch before the worker
        # is ready: its first batch waits for that, then for the core (prepared after ready, as the agent's is)
        await started.wait()
        await asyncio.shield(prepared())  # a stop that cancels the wait leaves the preparation alone

    extract_agent: Any = None
    if settings.extract_consumer == "plain":

        def extract_record(record: ConsumerRecord[bytes, bytes], out: Outbox) -> None:
            ts = record.timestamp / 1000.0 if record.timestamp is not None and record.timestamp >= 0 else None
            origin = Origin(
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                timestamp=datetime.fromtimestamp(ts, UTC) if ts else None,
                key=record.key,
            )
            extract_one(record.value if isinstance(record.value, bytes) else b"", origin, ts, out)

        def trace_batch(records: list[ConsumerRecord[bytes, bytes]]) -> None:
            log.info("extract done %s", " ".join(f"{r.partition}:{r.offset}" for r in records))

        stage = ExtractStage(
            settings, lambda: app.producer, extract_record, seal=seal, on_batch=trace_batch if trace_offsets else None,
            on_change=lambda: _mark_ready(worker) if started.is_set() else None, before_first=before_first_batch,
        )
        app.extract_stage = stage
    else:

        @app.agent(articles_topic, concurrency=1, name="extract")
        async def extract_agent(stream: faust.StreamT[bytes]) -> None:
            # Batches cut faust's per-event cost on the firehose; a batch is acked after it is sent,
            # so delivery stays at-least-once. ``within`` bounds the latency a quiet stream adds.
            take_events = stream.take_events  # type: ignore[attr-defined]
            async for events in take_events(settings.extract_batch_size, within=settings.extract_batch_wait):
                await prepared()
                out = Outbox(app.producer, seal)
                for event in events:
                    hold(event)
                for event in events:
                    payload = event.value if isinstance(event.value, bytes) else b""
                    extract_one(payload, origin_of(event), event.message.timestamp, out)
                    await asyncio.sleep(0)
                await out.flush()  # the batch is acked once every report is written
                if trace_offsets:
                    log.info("extract done %s", " ".join(f"{e.message.partition}:{e.message.offset}" for e in events))
                for event in events:
                    release(event)

    def apply(result: ReportResult, partition: int, out: Outbox) -> None:
        # Values are replaced, never mutated in place. The table's store is written directly and each
        # write queued for the changelog partition of the report's partition (co-partitioned), so that a
        # batch's writes go out with its outputs (faust would write each through its per-key path).
        store, changelog = table.data, table.changelog_topic.get_topic_name()
        for key, value in result.writes.items():
            if value is not None:
                store[key] = value
            elif key in store:
                del store[key]
            else:
                continue
            out.add(changelog, key, value, partition=partition)
        metrics.events_created.inc(result.events_created)
        metrics.events_updated.inc(result.events_updated)
        metrics.events_closed.inc(result.events_closed)

    states = StateCache()
    delay = settings.dedup_delay()  # the fault suite's slow-partition hook; None in production

    def reseed(partition: int, out: Outbox) -> int:
        """Write this partition's table entries again, in-stream, so they reach a new changelog."""
        n, store, changelog = settings.partitions, table.data, table.changelog_topic.get_topic_name()
        keys = [k for k in list(store.keys()) if block_partition(k.split(SEP, 1)[0], n) == partition]
        for key in keys:
            out.add(changelog, key, store[key], partition=partition)
        return len(keys)

    @app.agent(reports_topic, concurrency=1, name="dedup")
    async def dedup_agent(stream: faust.StreamT[bytes]) -> None:
        # Batched as the extract agent is: a batch's table writes, events and alerts are sent together
        # and the batch is acked once all are written (at-least-once; outputs are idempotent).
        take_events = stream.take_events  # type: ignore[attr-defined]
        async for events in take_events(settings.dedup_batch_size, within=settings.dedup_batch_wait):
            out = Outbox(app.producer, seal)
            alerted: list[tuple[list[str], float | None]] = []
            reseeded = False
            for event in events:
                hold(event)
            for event in events:
                if delay is not None and event.message.partition == delay[0]:
                    await asyncio.sleep(delay[1])
                kinds, article_ts, was_reseed = dedup_one(event, out)
                alerted.append((kinds, article_ts))
                reseeded = reseeded or was_reseed
                await asyncio.sleep(0)  # a report can take a while: let the web page and sends go on
            await out.flush()
            for event in events:
                release(event)
            if reseeded:
                _mark_ready(worker)
            done = time.time()
            for kinds, article_ts in alerted:
                for kind in kinds:
                    metrics.alerts.labels(kind=kind).inc()
                    if article_ts:
                        metrics.alert_latency.observe(max(0.0, done - article_ts))

    def dedup_one(event: faust.types.EventT, out: Outbox) -> tuple[list[str], float | None, bool]:
        """One reports-topic message (a re-seed marker, an expiry tick, a located-event summary or a
        report) into ``out``; (alert kinds, article time, whether it was a re-seed marker)."""
        origin = origin_of(event)
        payload = event.value if isinstance(event.value, bytes) else b""
        store = table.data
        headers = dict(event.message.headers or ())
        if RESEED_HEADER in headers:
            written = reseed(origin.partition, out)
            pending: set[int] = worker.state.setdefault("reseed_pending", set())
            pending.discard(origin.partition)
            log.warning("dedup partition %d: wrote its %d table entries to the new changelog%s",
                        origin.partition, written, "" if pending else "; the worker is ready again")
            return [], None, True
        if TICK_HEADER in headers:
            now, n = clock(), settings.partitions
            mine = origin.partition
            blocks = [k for k in list(store.keys()) if is_index_key(k) and block_partition(k, n) == mine]
            for block in blocks:
                apply(handle_expiry(store, block, now, config, states), mine, out)
            return [], None, False
        handle = handle_summary if SUMMARY_HEADER in headers else handle_report
        result = handle(store, payload, origin, now=clock(), config=config, max_bytes=max_bytes, cache=states)
        if result.reason is None:
            metrics.dedup_seconds.observe(result.seconds)
        apply(result, origin.partition, out)
        queue_sends(out, result.sends, origin)
        return result.alert_kinds, event.message.timestamp, False

    @app.timer(interval=settings.expiry_interval, on_leader=False)
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

    watch = BrokerWatch(settings)

    @app.timer(interval=settings.broker_check_interval, on_leader=False)
    async def watch_broker() -> None:
        """A broker that comes back empty (Tansu's memory storage after a restart) is not a reason to
        stop: say what was lost, report not ready, recreate the topics and write this worker's dedup
        state to the new changelog (in-stream, per partition, so it stays ordered with new reports)."""
        loss = await watch.check()
        if loss is not None:
            await on_data_loss(loss)

    async def on_data_loss(loss: DataLoss) -> None:
        reports_name, n = settings.topic("reports"), settings.partitions
        mine = sorted(tp.partition for tp in app.assignor.assigned_actives() if tp.topic == reports_name)
        keys = [k for k in list(table.keys()) if block_partition(k.split(SEP, 1)[0], n) in mine]
        events = sum(1 for k in keys if is_event_key(k))
        worker.state["reseed_pending"] = set(mine)
        metrics.ready.set(0)
        log.error(
            "the broker lost its data (%s). Lost with it: every message of the topics (articles not yet "
            "processed, reports, events, alerts, dead letters), the committed offsets of groups %s and the dedup "
            "table's changelog. This worker still holds %d open events (%d table entries) of dedup "
            "partitions %s and writes them to the new changelog; it reports not ready until then.",
            loss.describe(), f"{settings.app_id}, {settings.extract_group}", events, len(keys), mine,
        )
        try:
            created = await ensure_topics(settings)
        except Exception as exc:  # the broker went away again: the next check finds the loss again
            log.error("recreating the topics failed: %r; trying again at the next check", exc)
            return
        log.warning("recreated topics: %s", ", ".join(created) or "none missing (clients auto-created them)")
        for partition in mine:
            await reports_topic.send(key=None, value=b"", partition=partition, headers={RESEED_HEADER: b"1"})

    def count_open_events() -> int:
        """Open events of the dedup partitions this worker owns (standby copies excluded)."""
        reports_name, n = settings.topic("reports"), settings.partitions
        mine = {tp.partition for tp in app.assignor.assigned_actives() if tp.topic == reports_name}
        return sum(
            1 for k in list(table.keys()) if is_event_key(k) and block_partition(k.split(SEP, 1)[0], n) in mine
        )

    @app.timer(interval=5.0, on_leader=False)
    async def measure_state_and_lag() -> None:
        # counted from the table, so restored and revoked partitions are right after a rebalance
        metrics.open_events.set(count_open_events())
        consumer = app.consumer
        for tp in sorted(consumer.assignment()):
            try:
                end = consumer.highwater(tp)
                position = consumer._read_offset.get(tp)  # type: ignore[attr-defined]
            except Exception:  # assignment changed under us; next round measures again
                continue
            if end is None:
                continue
            consumed = (position + 1) if position is not None else 0
            metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
                max(0, end - consumed)
            )
        if stage is not None:
            for stp, lag in stage.lag().items():
                metrics.consumer_lag.labels(topic=stp.topic, partition=str(stp.partition)).set(lag)

    @app.page("/ready")
    async def ready(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        ok = is_ready(worker)
        return web.json({"ready": ok}, status=200 if ok else 503)

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]
    async def on_rebalance_complete(sender: Any, *args: Any, **kwargs: Any) -> None:
        _mark_ready(worker)

    @app.on_partitions_revoked.connect  # type: ignore[arg-type]
    async def on_revoked(sender: Any, *args: Any, **kwargs: Any) -> None:
        metrics.ready.set(0)
        pending = worker.state.get("reseed_pending")
        if pending:  # a moved partition's state is no longer this worker's to write back
            log.warning("dedup partitions %s moved before their state was written back", sorted(pending))
            pending.clear()

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def on_assigned(sender: Any, *args: Any, **kwargs: Any) -> None:
        metrics.consumer_lag.clear()

    worker.state.update(
        articles_topic=articles_topic,
        reports_topic=reports_topic,
        table=table,
        agents=(extract_agent, dedup_agent) if extract_agent is not None else (dedup_agent,),
        stage=stage,
    )

    @app.task
    async def on_started() -> None:
        started.set()
        _mark_ready(worker)
        prepared()

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def close_watch(sender: Any, *args: Any, **kwargs: Any) -> None:
        await watch.close()

    return worker


def is_ready(worker: Worker) -> bool:
    """Started, both stages have their partitions (no rebalance going on), no dedup state to write back."""
    stage = worker.state.get("stage")
    return (
        bool(worker.state.get("ready")) and not worker.app.rebalancing and not worker.state.get("reseed_pending")
        and (stage is None or stage.ready())
    )


def _mark_ready(worker: Worker) -> None:
    app = worker.app
    if app.rebalancing:
        return
    worker.state["ready"] = True
    worker.metrics.ready.set(1 if is_ready(worker) else 0)
