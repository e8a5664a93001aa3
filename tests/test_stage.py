"""The plain extract stage: a fetch's partitions interleaved, a batch committed only once its outputs are
written, a batch whose sends fail read again and not committed, a rebalance waits for the batch."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from aiokafka import ConsumerRecord, TopicPartition

from streams.batching import Outbox
from streams.settings import Settings
from streams.stage import ExtractStage, _Listener, interleaved

TOPIC = "articles"


def record(partition: int, offset: int, timestamp: int) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(TOPIC, partition, offset, timestamp, 0, b"k", f"{partition}:{offset}".encode(),
                          None, 1, 3, ())


class Producer:
    """Writes every send at once, or fails them all (``fail``)."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.sent: list[bytes | None] = []

    async def send(self, topic: str, key: bytes | None, value: bytes | None, partition: int | None,
                   timestamp: float | None, headers: Any) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.fail:
            future.set_exception(ConnectionError("broker went away"))
        else:
            self.sent.append(value)
            future.set_result(None)
        return future

    def key_partition(self, topic: str, key: bytes) -> Any:
        return type("TP", (), {"topic": topic, "partition": 0})()


class Consumer:
    """What the stage uses of an aiokafka consumer: its assignment, commits and seeks, recorded."""

    def __init__(self, *partitions: int) -> None:
        self.owned = {TopicPartition(TOPIC, p) for p in partitions}
        self.commits: list[dict[TopicPartition, int]] = []
        self.seeks: list[tuple[TopicPartition, int]] = []

    def assignment(self) -> set[TopicPartition]:
        return set(self.owned)

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(dict(offsets))

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.seeks.append((tp, offset))


def stage_with(producer: Producer, handled: list[bytes]) -> ExtractStage:
    def handle(message: ConsumerRecord[bytes, bytes], out: Outbox) -> None:
        handled.append(message.value)
        out.add("strike-reports", message.key, b"report of " + message.value)

    return ExtractStage(Settings(), lambda: producer, handle, seal=False)


def test_a_fetch_is_taken_in_timestamp_order_across_partitions_and_in_offset_order_within_each() -> None:
    fetched = {
        TopicPartition(TOPIC, 1): [record(1, 0, 10), record(1, 1, 30), record(1, 2, 31)],
        TopicPartition(TOPIC, 0): [record(0, 5, 20), record(0, 6, 5), record(0, 7, 40)],
    }
    order = [(r.partition, r.offset) for r in interleaved(fetched)]
    assert order == [(1, 0), (0, 5), (0, 6), (1, 1), (1, 2), (0, 7)]  # 0:6 (time 5) stays after 0:5
    assert interleaved({}) == []


async def test_a_batch_is_committed_one_past_its_last_record_per_partition_once_its_outputs_are_written() -> None:
    producer, handled = Producer(), []
    stage, consumer = stage_with(producer, handled), Consumer(0, 1)
    batch = [record(0, 3, 1), record(1, 7, 2), record(0, 4, 3)]
    await stage._process(consumer, batch)  # type: ignore[arg-type]
    assert handled == [b"0:3", b"1:7", b"0:4"]
    assert producer.sent == [b"report of 0:3", b"report of 1:7", b"report of 0:4"]
    assert consumer.commits == [{TopicPartition(TOPIC, 0): 5, TopicPartition(TOPIC, 1): 8}]
    assert consumer.seeks == []


async def test_a_batch_whose_sends_fail_is_not_committed_and_its_partitions_are_read_again_from_its_start(
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr("streams.stage.RETRY_SECONDS", 0.0)
    stage, consumer = stage_with(Producer(fail=True), []), Consumer(0, 1)
    before = stage.generation
    await stage._process(consumer, [record(0, 3, 1), record(1, 7, 2), record(0, 4, 3)])  # type: ignore[arg-type]
    assert consumer.commits == []
    assert sorted(consumer.seeks) == [(TopicPartition(TOPIC, 0), 3), (TopicPartition(TOPIC, 1), 7)]
    assert stage.generation != before  # the rest of that fetch is dropped, it is read again after the seek


async def test_a_partition_revoked_during_a_batch_is_not_committed_by_this_member() -> None:
    stage, consumer = stage_with(Producer(), []), Consumer(0)
    await stage._process(consumer, [record(0, 1, 1), record(1, 2, 2)])  # type: ignore[arg-type]
    assert consumer.commits == [{TopicPartition(TOPIC, 0): 2}]


async def test_a_rebalance_waits_for_the_batch_in_progress_and_the_stage_is_ready_once_assigned() -> None:
    stage = stage_with(Producer(), [])
    listener = _Listener(stage)
    assert not stage.ready()
    await listener.on_partitions_assigned({TopicPartition(TOPIC, 0)})
    assert stage.ready()
    async with stage._lock:  # a batch in progress
        revoking = asyncio.create_task(listener.on_partitions_revoked({TopicPartition(TOPIC, 0)}))
        for _ in range(5):
            await asyncio.sleep(0)
        assert not revoking.done() and not stage.ready()
    await revoking
    await listener.on_partitions_assigned(set())
    assert stage.ready() and stage.assigned == frozenset()


async def test_batches_written_within_the_commit_interval_are_committed_together_later() -> None:
    stage, consumer = stage_with(Producer(), []), Consumer(0, 1)
    await stage._process(consumer, [record(0, 1, 1)])  # type: ignore[arg-type]
    await stage._process(consumer, [record(0, 2, 2), record(1, 9, 3)])  # type: ignore[arg-type]
    assert consumer.commits == [{TopicPartition(TOPIC, 0): 2}]  # the first at once, the second waits
    await stage.commit(consumer)  # idle, stopping, or partitions revoked
    assert consumer.commits[-1] == {TopicPartition(TOPIC, 0): 3, TopicPartition(TOPIC, 1): 10}
    await stage.commit(consumer)
    assert len(consumer.commits) == 2  # nothing new written: nothing committed


async def test_a_batch_is_handled_and_sent_in_the_workers_loop_while_the_consumer_thread_waits_and_commits() -> None:
    """The consumer runs in a thread of its own (its heartbeats never wait for the worker's loop): it hands
    each batch to the worker's loop, and commits from its own once the batch's outputs are written."""
    worker_thread = threading.get_ident()
    producer, threads = Producer(), {}

    def handle(message: ConsumerRecord[bytes, bytes], out: Outbox) -> None:
        threads["handled"] = threading.get_ident()
        out.add("strike-reports", message.key, b"report of " + message.value)

    class ThreadConsumer(Consumer):
        async def commit(self, offsets: dict[TopicPartition, int]) -> None:
            threads["committed"] = threading.get_ident()
            await super().commit(offsets)

    stage, consumer = ExtractStage(Settings(), lambda: producer, handle, seal=False), ThreadConsumer(0)
    stage._worker_loop = asyncio.get_running_loop()

    def consumer_thread() -> None:
        asyncio.run(stage._process(consumer, [record(0, 3, 1), record(0, 4, 2)]))  # type: ignore[arg-type]

    await asyncio.to_thread(consumer_thread)
    assert threads["handled"] == worker_thread != threads["committed"]
    assert producer.sent == [b"report of 0:3", b"report of 0:4"]
    assert consumer.commits == [{TopicPartition(TOPIC, 0): 5}]


async def test_a_revocation_drops_what_is_left_of_the_fetch_of_the_partitions_that_went() -> None:
    stage = stage_with(Producer(), [])
    listener = _Listener(stage)
    await listener.on_partitions_assigned({TopicPartition(TOPIC, 0)})
    generation = stage.generation
    await listener.on_partitions_revoked({TopicPartition(TOPIC, 0)})
    assert stage.generation != generation  # the fetch loop stops taking batches of that fetch


async def test_a_stop_before_the_worker_is_ready_leaves_the_waiting_batch_unhandled_and_uncommitted() -> None:
    never = asyncio.Event()  # the worker never gets ready (stopped during its start)

    async def until_ready() -> None:
        await never.wait()

    producer, handled = Producer(), []
    stage = ExtractStage(Settings(), lambda: producer, lambda r, out: handled.append(r.value), seal=False,
                         before_first=until_ready)
    consumer = Consumer(0)
    processing = asyncio.create_task(stage._process(consumer, [record(0, 1, 1)]))  # type: ignore[arg-type]
    for _ in range(5):
        await asyncio.sleep(0)
    await stage.stop()
    with pytest.raises(asyncio.CancelledError):
        await processing
    assert handled == [] and producer.sent == [] and consumer.commits == []
