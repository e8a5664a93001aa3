"""An agent batch's outputs: sent together, written before the call returns, sealed for the embedded broker."""

from __future__ import annotations

import asyncio
from typing import Any

from streams.batching import Outbox, Record, sealed_order


class FakeProducer:
    """Records what is sent; a send is written only when the test says so (``deliver``)."""

    def __init__(self, partitions: int = 4) -> None:
        self.partitions = partitions
        self.sent: list[tuple[str, bytes | None, int | None]] = []
        self.pending: list[asyncio.Future[None]] = []

    async def send(self, topic: str, key: bytes | None, value: bytes | None, partition: int | None,
                   timestamp: float | None, headers: Any) -> asyncio.Future[None]:
        self.sent.append((topic, key, partition))
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append(future)
        return future

    def deliver(self) -> None:
        for future in self.pending:
            future.set_result(None)
        self.pending.clear()

    def key_partition(self, topic: str, key: bytes) -> Any:
        if topic == "unknown":
            raise TypeError("no metadata for the topic yet")
        return type("TP", (), {"topic": topic, "partition": key[0] % self.partitions})()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_the_last_record_of_each_partition_comes_last_and_the_order_in_a_partition_is_kept() -> None:
    records = [Record("t", b"a", b"1", 0), Record("t", b"b", b"2", 1), Record("t", b"c", b"3", 0),
               Record("u", b"d", b"4", 0), Record("t", b"e", b"5", None), Record("t", b"f", b"6", 0)]
    head, tail = sealed_order(records)
    assert [r.value for r in head] == [b"1", b"3", b"5"]
    assert [r.value for r in tail] == [b"2", b"4", b"6"]  # t/1, u/0 and t/0's last, in the order given
    assert sealed_order([]) == ([], [])


async def test_a_sealed_flush_sends_the_tails_only_once_the_rest_is_written() -> None:
    producer = FakeProducer()
    out = Outbox(producer, seal=True)
    for key in (b"\x00x", b"\x00y", b"\x01z"):
        out.add("events", key, b"v")
    out.add("changelog", b"k", b"v", partition=2)
    flushing = asyncio.create_task(out.flush())
    await settle()
    assert producer.sent == [("events", b"\x00x", 0)]  # partition 0's head; tails wait for it
    producer.deliver()
    await settle()
    assert producer.sent[1:] == [("events", b"\x00y", 0), ("events", b"\x01z", 1), ("changelog", b"k", 2)]
    assert not flushing.done(), "flush returns only once every record is written"
    producer.deliver()
    await flushing
    assert out.records == []


async def test_unsealed_flush_sends_everything_at_once_and_unknown_partitions_go_unsealed() -> None:
    producer = FakeProducer()
    out = Outbox(producer, seal=False)
    out.add("events", b"\x00x", b"v")
    out.add("events", b"\x00y", b"v")
    flushing = asyncio.create_task(out.flush())
    await asyncio.sleep(0)
    assert [partition for _, _, partition in producer.sent] == [None, None]
    producer.deliver()
    await flushing
    sealed = Outbox(producer, seal=True)
    sealed.add("unknown", b"k", b"v")
    sealed.add("events", None, b"v")
    assert [r.partition for r in sealed.records] == [None, None]
