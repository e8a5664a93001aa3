"""The extract stage on a plain aiokafka consumer group: articles in, reports and dead letters out.

Extraction keeps no state, so it needs none of faust's stream machinery (its fetcher thread, the
conductor, a stream per agent, an event and a ``wait_first`` of four futures per message), which
cost about half of a worker's CPU on the firehose. The stage reads with ``getmany``, hands each
record to ``handle`` (which queues its outputs in an ``Outbox``), sends a batch's outputs and waits
until all are written; only offsets of written batches are committed (at most once a second, and
when idle, stopping or losing partitions): at-least-once, as the faust agent was. It is its own
consumer group (``Settings.extract_group``), so workers share the articles partitions as they share
the dedup partitions.

The consumer runs on a thread of its own with its own event loop (as faust's consumer does), so its
heartbeats, fetches and commits never wait for the worker's event loop, where the batches are handled
and sent (the producer, the dedup agent and the web page live there): a long core step there cannot
expire the group session. The consumer thread hands each batch to the worker's loop and waits for it.

A rebalance waits for the batch in progress (sent and committed) before the partitions go, so the
next owner starts after it. A batch whose sends fail is read again from its first offsets. A commit
that fails (the group moved on, the broker lost the group) leaves the batch to be delivered again;
outputs are idempotent, so that is a repeat, never a loss.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from time import monotonic
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError

from streams.batching import Outbox, Producer
from streams.settings import Settings

log = logging.getLogger(__name__)

Handle = Callable[[ConsumerRecord[bytes, bytes], Outbox], None]
# Seconds before a batch whose sends failed is read again.
RETRY_SECONDS = 1.0
# Written batches are committed at most this often (and when the stage is idle, stops or loses
# partitions): a commit per batch was about 3% of the worker's CPU on the firehose.
COMMIT_SECONDS = 1.0
# The stage lets the rest of the worker (the dedup agent, the web page, sends) run after this much work.
YIELD_SECONDS = 0.002


class ExtractStage:
    """One worker's member of the extract group: ``start`` on the worker's event loop, ``stop`` there."""

    def __init__(
        self, settings: Settings, producer: Callable[[], Producer], handle: Handle, *, seal: bool,
        on_batch: Callable[[list[ConsumerRecord[bytes, bytes]]], None] | None = None,
        on_change: Callable[[], None] | None = None,
        before_first: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """``handle`` queues one record's outputs; ``on_batch`` is told each batch once it is written,
        ``on_change`` each assignment and revocation (all three on the worker's loop); ``before_first`` is
        awaited there before the first batch (the extraction core's preparation on a thread)."""
        self.settings = settings
        self.topic = settings.topic("articles")
        self._producer = producer
        self._handle = handle
        self._seal = seal
        self._on_batch = on_batch
        self._on_change = on_change
        self._before_first = before_first
        self._waiting_first: asyncio.Future[None] | None = None  # the first batch waiting for before_first
        self._worker_loop: asyncio.AbstractEventLoop | None = None  # where batches are handled and sent
        self._loop: asyncio.AbstractEventLoop | None = None  # the consumer thread's
        self._thread: threading.Thread | None = None
        # held (in the consumer thread's loop, which it binds to) while a batch is processed, sent and committed
        self._lock = asyncio.Lock()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self.assigned: frozenset[TopicPartition] | None = None  # None until the group first assigned
        self.rebalancing = False
        self.generation = 0  # counts assignments (and batches read again): a fetch of an older one is dropped
        self.next_offsets: dict[TopicPartition, int] = {}  # next offset to process, per partition
        self._written: dict[TopicPartition, int] = {}  # offsets to commit: their batches' outputs are written
        self._committed_at = float("-inf")

    def changed(self) -> None:
        if self._on_change is None:
            return
        worker = self._worker_loop
        if worker is None or _running_loop() is worker:
            self._on_change()
        else:
            worker.call_soon_threadsafe(self._on_change)

    def ready(self) -> bool:
        """The group has given this member its partitions (possibly none) and is not rebalancing."""
        return self.assigned is not None and not self.rebalancing

    def lag(self) -> dict[TopicPartition, int]:
        """Records between each assigned partition's end and what this member has processed."""
        consumer, assigned, out = self._consumer, self.assigned, {}
        if consumer is None or assigned is None:
            return {}
        for tp in assigned:
            try:
                end = consumer.highwater(tp)
            except Exception:  # the assignment changed under us (in the consumer thread)
                continue
            if end is not None:
                out[tp] = max(0, end - self.next_offsets.get(tp, end))
        return out

    def start(self) -> None:
        """Start the consumer thread; batches are handled in the calling (the worker's) event loop."""
        if self._thread is not None:
            return
        self._worker_loop = asyncio.get_running_loop()
        started = threading.Event()

        def main() -> None:
            loop = self._loop = new_event_loop(self.settings.event_loop)
            asyncio.set_event_loop(loop)
            self._task = loop.create_task(self.run())
            started.set()
            try:
                loop.run_until_complete(self._task)
            except BaseException:  # logged by run
                pass
            finally:
                loop.close()

        self._thread = threading.Thread(target=main, name="extract-consumer", daemon=True)
        self._thread.start()
        started.wait()

    async def stop(self) -> None:
        """Finish the batch in progress (sent and committed), then leave the group (from the worker's loop)."""
        self._stopping = True
        if self._waiting_first is not None:  # a stop before the worker was ready: that batch is not handled
            self._waiting_first.cancel()
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        with contextlib.suppress(RuntimeError, asyncio.CancelledError):  # the thread's loop already closed
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._shut(), loop))
        await asyncio.to_thread(thread.join)

    async def _shut(self) -> None:
        task = self._task
        if task is None or task.done():
            return
        async with self._lock:
            if self._consumer is not None:
                await self.commit(self._consumer)
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    def _new_consumer(self) -> AIOKafkaConsumer:
        s = self.settings
        session_ms = int(s.effective_session_timeout * 1000)
        return AIOKafkaConsumer(
            bootstrap_servers=s.bootstrap_servers,
            group_id=s.extract_group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=session_ms,
            heartbeat_interval_ms=int(s.effective_heartbeat_interval * 1000),
            rebalance_timeout_ms=max(10_000, session_ms * 2),
            fetch_max_wait_ms=s.effective_fetch_max_wait_ms,
            max_partition_fetch_bytes=max(s.max_message_bytes * 2, 1_048_576),
            fetch_max_bytes=max(s.max_message_bytes * 2, 52_428_800),
            **s.kafka_client_kwargs(),
        )

    async def run(self) -> None:
        """The consumer thread's work: fetch, hand each batch to the worker's loop, commit what is written."""
        consumer = self._consumer = self._new_consumer()
        consumer.subscribe([self.topic], listener=_Listener(self))
        size = self.settings.extract_batch_size
        try:
            await consumer.start()
            while not self._stopping:
                fetched = await consumer.getmany(timeout_ms=500)
                if not fetched:
                    if self._written:  # idle: what is written is committed now
                        async with self._lock:
                            await self.commit(consumer)
                    continue
                generation = self.generation
                records = interleaved(fetched)
                for start in range(0, len(records), size):
                    async with self._lock:
                        if self._stopping or self.generation != generation:
                            break  # a rebalance: what is left is read again by whoever owns it now
                        await self._process(consumer, records[start:start + size])
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("extract stage stopped")
            raise
        finally:
            with contextlib.suppress(Exception):
                await consumer.stop()

    async def _process(self, consumer: AIOKafkaConsumer, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        """One batch (in the consumer's loop): handled and written in the worker's loop, then its offsets
        recorded to commit, or on a failed send, its partitions sought back to read it again."""
        firsts: dict[TopicPartition, int] = {}
        offsets: dict[TopicPartition, int] = {}
        for record in records:
            tp = TopicPartition(record.topic, record.partition)
            firsts.setdefault(tp, record.offset)
            offsets[tp] = record.offset + 1
        if not await self._in_worker_loop(self._write(records)):
            self.generation += 1  # the rest of the fetch is read again too, after this batch
            for tp, first in firsts.items():
                if tp in consumer.assignment():
                    consumer.seek(tp, first)
            await asyncio.sleep(RETRY_SECONDS)
            return
        self.next_offsets.update(offsets)
        self._written.update(offsets)
        if monotonic() - self._committed_at >= COMMIT_SECONDS:
            await self.commit(consumer)

    async def _in_worker_loop(self, work: Coroutine[Any, Any, bool]) -> bool:
        worker = self._worker_loop
        if worker is None or _running_loop() is worker:
            return await work
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, worker))

    async def _write(self, records: list[ConsumerRecord[bytes, bytes]]) -> bool:
        """The batch's outputs queued and written (in the worker's loop); False when a send failed."""
        if self._before_first is not None:
            self._waiting_first = asyncio.ensure_future(self._before_first())
            await self._waiting_first  # cancelled by a stop: the batch is neither handled nor committed
            self._before_first = self._waiting_first = None
        out = Outbox(self._producer(), self._seal)
        handle, yielded = self._handle, monotonic()
        for record in records:
            handle(record, out)
            if monotonic() - yielded >= YIELD_SECONDS:  # let the web page, sends and dedup go on
                await asyncio.sleep(0)
                yielded = monotonic()
        try:
            await out.flush()  # the batch is committed once every output is written
        except Exception as exc:
            log.warning("extract stage: sending a batch failed (%r); reading it again in %.0f s", exc, RETRY_SECONDS)
            return False
        if self._on_batch is not None:
            self._on_batch(records)
        return True

    async def commit(self, consumer: AIOKafkaConsumer) -> None:
        """Commit the offsets of the batches written so far (of the partitions this member still owns)."""
        written, self._written = self._written, {}
        self._committed_at = monotonic()
        owned = consumer.assignment()
        mine = {tp: offset for tp, offset in written.items() if tp in owned}
        if not mine:
            return
        try:
            await consumer.commit(mine)
        except KafkaError as exc:  # delivered again to whoever owns the partitions next
            log.warning("extract stage: commit of %s failed: %r", _describe(mine), exc)


def new_event_loop(kind: str) -> asyncio.AbstractEventLoop:
    """A new event loop of ``kind`` (``Settings.event_loop``: "uvloop" or "asyncio")."""
    if kind == "uvloop":
        import uvloop

        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def interleaved(
    fetched: Mapping[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
) -> list[ConsumerRecord[bytes, bytes]]:
    """A fetch's records of every partition merged by Kafka timestamp, each partition's in its order.

    A fetch holds hundreds of records per partition; taken a partition after another, the articles of
    one partition would run far ahead of the others', and their reports reach dedup out of publication
    order, which makes it re-cluster (about twice the dedup CPU on the strike-heavy mix).
    """
    parts = [part for _, part in sorted(fetched.items())]
    if len(parts) == 1:
        return list(parts[0])
    return list(heapq.merge(*parts, key=lambda r: r.timestamp))


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, stage: ExtractStage) -> None:
        self.stage = stage

    async def on_partitions_revoked(self, revoked: Any) -> None:
        stage = self.stage
        stage.rebalancing = True
        stage.changed()
        async with stage._lock:  # the batch in progress is sent and committed before the partitions go
            if stage._consumer is not None:
                await stage.commit(stage._consumer)
            for tp in revoked:
                stage.next_offsets.pop(tp, None)
            stage.generation += 1  # the rest of a fetch of the revoked partitions is not processed

    async def on_partitions_assigned(self, assigned: Any) -> None:
        stage = self.stage
        stage.assigned = frozenset(assigned)
        stage.generation += 1
        stage.rebalancing = False
        stage.changed()
        log.info("extract stage: assigned %s", _describe({tp: None for tp in assigned}) or "no partitions")


def _describe(offsets: dict[TopicPartition, Any]) -> str:
    return " ".join(f"{tp.topic}[{tp.partition}]" + ("" if o is None else f"@{o}") for tp, o in sorted(offsets.items()))
