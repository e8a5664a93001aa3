"""Sending an agent batch's outputs together, acked only once all are written.

An agent takes a batch of messages, works out everything to produce (outputs and dedup table changelog
records) and hands it here: the records are sent back to back, so the producer packs them into a few
batches, and the call returns once the broker has written every one, after which the agent's batch
is acked. That replaces a produce round trip per record with about one per agent batch.

The embedded broker (Tansu) reports a partition's end offset as the base offset of its last producer
batch plus one, so a last batch holding several records makes the end offset short, and faust's
changelog recovery, which reads a table's changelog up to that end offset, would come back short.
``seal`` keeps end offsets exact: the last record for each partition is held back until everything
else is written, then sent alone, so the last producer batch of every partition written holds one
record whenever no agent batch is half sent. A worker that dies half way through sending leaves a
short end offset only behind records of messages that were not acked, which are delivered again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Producer(Protocol):
    """What is used of faust's producer (``app.producer``)."""

    async def send(
        self, topic: str, key: bytes | None, value: bytes | None, partition: int | None,
        timestamp: float | None, headers: Any,
    ) -> Awaitable[Any]: ...

    def key_partition(self, topic: str, key: bytes) -> Any: ...


@dataclass(frozen=True)
class Record:
    """One record to produce. ``partition`` None: the producer's partitioner picks it (not sealed)."""

    topic: str
    key: bytes | None
    value: bytes | None
    partition: int | None = None
    timestamp: float | None = None
    headers: tuple[tuple[str, bytes], ...] = ()


def sealed_order(records: Sequence[Record]) -> tuple[list[Record], list[Record]]:
    """(head, tail): ``tail`` is the last record of each known partition, ``head`` everything else, each
    in the order given (so each partition's records keep their order: its head, then its tail)."""
    last: dict[tuple[str, int], int] = {}
    for i, record in enumerate(records):
        if record.partition is not None:
            last[(record.topic, record.partition)] = i
    tail_at = set(last.values())
    head = [r for i, r in enumerate(records) if i not in tail_at]
    tail = [records[i] for i in sorted(tail_at)]
    return head, tail


@dataclass
class Outbox:
    """The records one agent batch produces, in order; ``flush`` sends them and waits until written."""

    producer: Producer
    seal: bool
    records: list[Record] = field(default_factory=list)

    def partition_of(self, topic: str, key: bytes | None) -> int | None:
        """The partition the producer's partitioner gives ``key`` (None before the producer has the topic's
        metadata, or for no key: then the record is sent unsealed)."""
        if not self.seal or key is None:
            return None
        try:
            return int(self.producer.key_partition(topic, key).partition)
        except Exception:  # no metadata yet for the topic: its first records go unsealed
            return None

    def add(self, topic: str, key: bytes | None, value: bytes | None, *, partition: int | None = None,
            timestamp: float | None = None, headers: tuple[tuple[str, bytes], ...] = ()) -> None:
        if partition is None:
            partition = self.partition_of(topic, key)
        self.records.append(Record(topic, key, value, partition, timestamp, headers))

    async def flush(self) -> None:
        records, self.records = self.records, []
        if not records:
            return
        groups = sealed_order(records) if self.seal else (records, [])
        for group in groups:
            if group:
                pending = [
                    await self.producer.send(r.topic, r.key, r.value, r.partition, r.timestamp, list(r.headers) or None)
                    for r in group
                ]
                await asyncio.gather(*pending)
