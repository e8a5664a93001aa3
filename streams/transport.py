"""faust's aiokafka transport: the consumer's fetch wait made a setting, a commit guard, and a lean monitor.

faust hard-codes ``fetch_max_wait_ms=1500`` for its stream consumer. A broker that holds an empty fetch
for the whole wait instead of answering when data arrives (Tansu does) then adds up to 1.5 s per hop,
and the pipeline has two hops (articles -> reports -> alerts).

The commit guard: at the end of a rebalance or a restart faust-streaming 0.15.3 resumes the stream
partitions before it seeks them to their committed offsets and clears its stream queues, so a record
fetched in that window can be dropped (cleared from a queue, or skipped as already read) without being
processed; its commit then moves over it when the acks that follow start one past the committed offset,
or when a jump in the offsets it reads is taken for a gap in the log (faust-streaming issue 606). The
consumer below decides what to commit itself (``streams.core.offsets``): only over offsets acked one
after the other from the committed offset it read from the group after the assignment, nothing before
that is known. A partition whose commit waits for a record that was dropped is sought back to it, so
the record is read again; records already acked are not handed to the streams a second time.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Iterable, Mapping
from time import monotonic
from typing import Any, cast

import faust
from faust import tables
from faust.sensors.monitor import Monitor
from faust.transport.drivers import aiokafka as driver
from faust.types import TP, CollectionT, EventT, Message, PendingMessage, ProducerT, RecordMetadata, StreamT

from streams.core.offsets import committable, first_unacked, reseek_offset

log = logging.getLogger(__name__)

# Seconds the commit of a partition may wait at a record fetched and never handed to a stream, and at one
# whose message is still held somewhere, before the partition is read again from it; a partition sought
# back is not sought again for COOLDOWN seconds.
PATIENCE = 15.0
ALIVE_PATIENCE = 60.0
COOLDOWN = 5.0


class _ConsumerThread(driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        wait_ms = getattr(self.app, "fetch_max_wait_ms", None)
        if wait_ms is not None:
            # read by AIOKafkaConsumer.start() when it builds its fetcher
            consumer._fetch_max_wait_ms = int(wait_ms)
        return consumer


class _ReadOffsets(dict[TP, int | None]):
    """faust's read offsets, which read as None for the stream partitions the guard watches.

    faust's fetch loop drops a fetched record below a partition's read offset as already read, and takes
    a jump above it for a gap in the log; after a seek the read offset can be ahead (records of an
    earlier fetch handed after the seek), and the records read again are dropped. For a watched
    partition nothing is dropped that way: the guard decides what is committed, and what was processed
    already is not fetched again (``_Consumer._getmany``). The stored values stay readable with ``get``.
    """

    def __init__(self, watched: Any) -> None:
        super().__init__()
        self._watched = watched

    def __missing__(self, tp: TP) -> None:
        return None

    def __getitem__(self, tp: TP) -> int | None:
        if self._watched(tp):
            return None
        return super().__getitem__(tp)


class _Consumer(driver.Consumer):
    """faust's aiokafka consumer whose commits go through the commit guard (see the module's doc).

    Per watched partition (stream topics with acks, not changelogs) it keeps the committed offset as it
    knows it (``base``: unknown from an assignment until the committed offsets are read), and since the
    partition's last seek: a weak reference to each message handed to the streams (so a message faust
    drops is seen gone), and the highest offset handed from a fetch that returned after the seek (faust's
    fetch loop iterates one fetch at a time, so a record of such a fetch is one read from the seek on).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guard_base: dict[TP, int] = {}
        self._guard_seek: dict[TP, int] = {}  # fetches returned before the last seek
        self._guard_expect: dict[TP, int] = {}  # offset sought to, until the first fetch after the seek
        self._guard_skip_to: dict[TP, int] = {}  # acked records up to here are not handed again
        self._guard_handed: dict[TP, dict[int, weakref.ref[Any]]] = {}
        self._guard_handed_to: dict[TP, int] = {}
        self._guard_wait: dict[TP, tuple[int, float]] = {}  # offset the commit waits at, since when
        self._guard_sought: dict[TP, float] = {}  # when the guard last sought the partition back
        self._guard_fetches = 0
        self._guard_topics: dict[str, bool] = {}
        self._read_offset = _ReadOffsets(self._guarded)
        deliver = self.callback

        async def on_message(message: Any) -> Any:
            self._guard_note_handed(message)
            return await deliver(message)

        self.callback = on_message
        self._guard_revoked_acks: dict[TP, list[int]] = {}
        self._app_partitions_revoked = self._on_partitions_revoked
        self._on_partitions_revoked = self._keep_revoked_acks

    def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    def _guarded(self, tp: TP) -> bool:
        watched = self._guard_topics.get(tp.topic)
        if watched is None:
            watched = not self._is_changelog_tp(tp) and bool(self.app.topics.acks_enabled_for(tp.topic))
            if getattr(self.app.topics, "_acking_topics", None):  # known once the streams have subscribed
                self._guard_topics[tp.topic] = watched
        return watched

    def _guard_forget(self, tps: Iterable[TP]) -> None:
        states: tuple[dict[TP, Any], ...] = (
            self._guard_base, self._guard_seek, self._guard_expect, self._guard_skip_to, self._guard_handed,
            self._guard_handed_to, self._guard_wait, self._guard_sought,
        )
        for tp in tps:
            for state in states:
                state.pop(tp, None)

    def _guard_sought_to(self, tp: TP, offset: int, base: int) -> None:
        """A new read sequence of ``tp`` starts at ``offset`` (the messages handed so far are kept: what
        became of them decides which records of the new sequence are handed again)."""
        for state in (self._guard_expect, self._guard_skip_to, self._guard_handed_to, self._guard_wait):
            state.pop(tp, None)
        self._guard_base[tp] = base
        self._guard_seek[tp] = self._guard_fetches
        self._guard_expect[tp] = offset

    def _guard_note_handed(self, message: Any) -> None:
        tp = message.tp
        if not self._guarded(tp):
            return
        offset = message.offset
        self._guard_handed.setdefault(tp, {})[offset] = weakref.ref(message)
        seek = self._guard_seek.get(tp)
        if seek is not None and self._guard_fetches > seek and offset > self._guard_handed_to.get(tp, -1):
            self._guard_handed_to[tp] = offset

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        """Keep the revoked partitions' acks and committed offsets until faust's wait for the streams is over.

        faust drops its acks of the revoked partitions before it waits for the messages in progress and
        commits; they are put back for that commit (``_keep_revoked_acks``), so it moves over every
        message finished before and during the wait, and the next owner does not get them again.
        """
        self._guard_revoked_acks = {tp: list(self._acked[tp]) for tp in revoked if self._acked.get(tp)}
        await super().on_partitions_revoked(revoked)
        self._guard_forget(revoked)

    async def _keep_revoked_acks(self, revoked: set[TP]) -> None:
        for tp, offsets in self._guard_revoked_acks.items():
            acked, index = self._acked[tp], self._acked_index[tp]
            for offset in offsets:
                if offset not in index:
                    index.add(offset)
                    acked.append(offset)
        self._guard_revoked_acks = {}
        await self._app_partitions_revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        # nothing of an assigned partition is committed until its committed offset is read again
        self._guard_forget(assigned)
        await super().on_partitions_assigned(assigned, generation_id)

    async def seek_to_committed(self) -> Mapping[TP, int]:
        """faust's seek to the committed offsets (end of a rebalance), which also gives the guard its base.

        A partition without a committed offset is sought to the start of its log (faust leaves it where
        the window left it).
        """
        offsets = await super().seek_to_committed()
        for tp, offset in offsets.items():
            if not self._guarded(tp):
                continue
            if offset is not None and offset > 0:
                base = offset
            else:  # nothing committed: from the start of the log
                try:
                    base = max(0, (await self.earliest_offsets(tp)).get(tp) or 0)
                except Exception as exc:  # the commit waits at 0 until a record there is acked
                    log.warning("commit guard: no start offset for %s:%d (%r)", tp.topic, tp.partition, exc)
                    base = 0
                await self._seek(tp, base)
            self._guard_sought_to(tp, base, base)
        return offsets

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> Any:
        records = cast(dict[TP, Any], await super()._getmany(active_partitions, timeout))
        # counted when it returns: aiokafka returns records from a partition's current position, but its
        # consumer runs in its own thread, so a fetch read just before a seek can still return after it;
        # what relies on this count only decides what is not handed twice and when to read again, never
        # what is committed
        self._guard_fetches += 1
        fetch = self._guard_fetches
        for tp in list(records):
            batch = records[tp]
            base = self._guard_base.get(tp)
            if batch and base is not None and batch[0].offset < base:
                # committed by the guard, so processed: fetched again when a seek went back past them
                # (faust's own read offset check, which the guard turns off, dropped these)
                batch = records[tp] = [record for record in batch if record.offset >= base]
            seek = self._guard_seek.get(tp)
            if not batch or seek is None or seek >= fetch:
                continue
            if self._guard_expect.pop(tp, None) is not None:
                # what was handed before the first fetch after the seek is known now (faust iterates one
                # fetch at a time); records of it acked or still held are not handed again
                handed, acked = self._guard_handed.get(tp, {}), self._acked_index.get(tp, set())
                seen = max(max(handed, default=-1), max(acked, default=-1))
                if seen >= batch[0].offset:
                    self._guard_skip_to[tp] = seen
            skip_to = self._guard_skip_to.get(tp)
            if skip_to is not None:
                # read again after a seek: a record acked, or handed and still held, is not handed again
                again = self._guard_hand_again
                kept = [record for record in batch if record.offset > skip_to or again(tp, record.offset)]
                if len(kept) != len(batch):
                    records[tp] = kept
        return records

    def _guard_hand_again(self, tp: TP, offset: int) -> bool:
        if offset in self._acked_index.get(tp, ()):
            return False
        ref = self._guard_handed.get(tp, {}).get(offset)
        return ref is None or ref() is None

    def _new_offset(self, tp: TP) -> int | None:
        """The offset to commit: replaces faust's, which commits past a gap (see the module's doc)."""
        self._gap.pop(tp, None)  # faust's gaps come from its read offsets, which a rebalance confuses
        base = self._guard_base.get(tp)
        index = self._acked_index[tp]
        end = committable(base, index)
        if base is None or end is None:
            return None
        self._acked[tp] = [offset for offset in self._acked[tp] if offset >= end]
        index.difference_update([offset for offset in index if offset < end])
        handed = self._guard_handed.get(tp)
        if handed:
            for offset in [offset for offset in handed if offset < end]:
                del handed[offset]
        if self._guard_skip_to.get(tp, end) < end:
            del self._guard_skip_to[tp]
        self._guard_base[tp] = end
        return end

    async def commit(self, topics: Any = None, start_new_transaction: bool = True) -> bool:
        did_commit = await super().commit(topics, start_new_transaction=start_new_transaction)
        if not (self.app.rebalancing or self.should_stop or not self.flow_active):
            await self._reseek_stalled()
        return did_commit

    async def _position(self, tp: TP) -> int | None:
        try:
            return await asyncio.wait_for(self.position(tp), timeout=1.0)
        except Exception:  # no valid position yet, or the assignment changed under us
            return None

    async def _reseek_stalled(self) -> None:
        now = monotonic()
        assignment = self.assignment()
        for tp, base in list(self._guard_base.items()):
            if tp not in assignment or tp in self._paused_partitions:
                continue
            acked = self._acked_index.get(tp, set())
            hole = first_unacked(base, acked)
            since = self._guard_wait.get(tp)
            if since is None or since[0] != hole:
                since = (hole, now)
                self._guard_wait[tp] = since
            if now - self._guard_sought.get(tp, -COOLDOWN) < COOLDOWN:
                continue
            ref = self._guard_handed.get(tp, {}).get(hole)
            alive = None if ref is None else ref() is not None
            handed_to = self._guard_handed_to.get(tp)
            position = None
            if ref is None and not (handed_to is not None and handed_to > hole) and now - since[1] >= PATIENCE:
                position = await self._position(tp)
            offset = reseek_offset(
                base, acked, position=position, handed_to=handed_to, hole_alive=alive, waited=now - since[1],
                patience=PATIENCE, alive_patience=ALIVE_PATIENCE,
            )
            if offset is None:
                continue
            what = "not handed to a stream" if ref is None else "held" if alive else "dropped"
            log.warning(
                "commit guard: %s:%d waits for offset %d (%s; handed up to %s, position %s); reading the "
                "partition again from there", tp.topic, tp.partition, offset, what, handed_to, position,
            )
            await self.seek(tp, offset)
            self._guard_sought_to(tp, offset, base)
            self._guard_sought[tp] = now


class _Transport(driver.Transport):
    Consumer = _Consumer


class App(faust.App):
    """faust.App whose stream consumer waits at most ``fetch_max_wait_ms`` for a fetch to fill, and which
    starts the extract stage (streams/stage.py) before its own services, so that the stage joins its group
    while faust's consumer joins the app's (about a second each on the embedded broker), and stops the
    stage first: its last batch is sent and committed while the producer still runs, and no report
    reaches the dedup stream after faust stops it."""

    fetch_max_wait_ms: int | None = None
    extract_stage: Any = None

    async def on_start(self) -> None:
        await super().on_start()
        if self.extract_stage is not None:
            self.extract_stage.start()

    async def on_stop(self) -> None:
        if self.extract_stage is not None:
            await self.extract_stage.stop()
        await super().on_stop()

    def _new_transport(self) -> Any:
        return _Transport(self.conf.broker_consumer, self)


class LeanMonitor(Monitor):
    """faust's monitor without its per-message bookkeeping (counters, timings, per-stream names).

    Our own metrics (streams/metrics.py) count what the agents read and write, and faust's web stats
    pages that would show its counters are off. The stream's inbound time is still kept: faust's consumer
    reads it to log a stream that stopped processing.
    """

    def on_message_in(self, tp: TP, offset: int, message: Message) -> None:
        return None

    def on_stream_event_in(self, tp: TP, offset: int, stream: StreamT, event: EventT) -> dict[str, Any] | None:
        self.stream_inbound_time[tp] = monotonic()
        return None

    def on_stream_event_out(
        self, tp: TP, offset: int, stream: StreamT, event: EventT, state: dict[str, Any] | None = None
    ) -> None:
        return None

    def on_message_out(self, tp: TP, offset: int, message: Message) -> None:
        return None

    def on_send_initiated(
        self, producer: ProducerT, topic: str, message: PendingMessage, keysize: int, valsize: int
    ) -> Any:
        return None

    def on_send_completed(self, producer: ProducerT, state: Any, metadata: RecordMetadata) -> None:
        return None

    def on_table_get(self, table: CollectionT, key: Any) -> None:
        return None

    def on_table_set(self, table: CollectionT, key: Any, value: Any) -> None:
        return None

    def on_table_del(self, table: CollectionT, key: Any) -> None:
        return None


class TableManager(tables.TableManager):
    """faust's table manager without its one-second pause at start.

    faust waits a second for tables declared after the app started; ours are all declared by
    ``create_app`` before it starts, so the pause only delays the first join of the group.
    """

    async def on_start(self) -> None:
        if not self.should_stop:
            await self._update_channels()
            await self.recovery.start()
