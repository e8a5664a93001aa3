"""Plain aiokafka clients of the commands, the demo and the tests: produce, read a topic to its end, follow.

The worker's own clients are faust's (streams/app.py). These take topic names as Settings names
(``articles``, ``articles_dlq``, ``alerts``, ...), so the topic prefix and the security options of
the settings apply; none joins a consumer group or commits offsets. The topic creation the worker and
the broker share is ``streams.broker.ensure_topics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from streams.settings import Settings

Message = tuple[bytes | None, bytes]  # (key, value)


def read_articles(path: str) -> Iterator[Message]:
    """(key, value) pairs from a JSON array, one JSON object, or JSON lines (``-`` = stdin).

    A JSON-lines line that is not JSON is sent as it is: the worker dead-letters it. The key is the
    article's id, else its url.
    """
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    stripped = data.strip()
    try:
        document = orjson.loads(stripped) if stripped[:1] in (b"[", b"{") else None
    except orjson.JSONDecodeError:
        document = None
    if isinstance(document, list):
        for item in document:
            yield _key_of(item), orjson.dumps(item)
        return
    if isinstance(document, dict):
        yield _key_of(document), orjson.dumps(document)
        return
    for line in stripped.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError:
            item = None
        yield _key_of(item), line


def _key_of(item: Any) -> bytes | None:
    if isinstance(item, dict):
        key = item.get("id") or item.get("url")
        if isinstance(key, str):
            return key.encode("utf-8")
    return None


@contextlib.asynccontextmanager
async def producer(settings: Settings) -> AsyncIterator[AIOKafkaProducer]:
    """A started producer for the settings' cluster; stopped (after flushing) on exit."""
    client = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        max_request_size=max(settings.max_message_bytes * 2, 1_048_576),
        linger_ms=5,
        **settings.kafka_client_kwargs(),
    )
    await client.start()
    try:
        yield client
    finally:
        await client.stop()


async def produce(settings: Settings, topic: str, messages: Sequence[Message], *, progress: bool = False) -> int:
    """Send ``messages`` to topic ``topic`` (a Settings topic name) and wait until all are written."""
    from tqdm import tqdm

    name = settings.topic(topic)
    async with producer(settings) as client:
        futures = []
        with tqdm(total=len(messages), unit="message", disable=not progress, file=sys.stderr) as bar:
            for key, value in messages:
                futures.append(await client.send(name, value=value, key=key))
                bar.update(1)
            for future in futures:
                await future
    return len(messages)


@contextlib.asynccontextmanager
async def assigned(
    settings: Settings, topic: str, **options: Any
) -> AsyncIterator[tuple[AIOKafkaConsumer, list[TopicPartition]]]:
    """A started consumer with every partition of ``topic`` (a Settings topic name) assigned, no group.
    ``options`` go to the consumer (``fetch_max_wait_ms`` for a follower that must be quick)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        enable_auto_commit=False,
        max_partition_fetch_bytes=max(settings.max_message_bytes * 2, 1_048_576),
        **options,
        **settings.kafka_client_kwargs(),
    )
    await consumer.start()
    try:
        name = settings.topic(topic)
        partitions = consumer.partitions_for_topic(name) or set()
        tps = [TopicPartition(name, p) for p in sorted(partitions)]
        consumer.assign(tps)
        yield consumer, tps
    finally:
        await consumer.stop()


async def read_to_end(settings: Settings, topic: str, *, timeout: float = 30.0) -> list[ConsumerRecord[Any, Any]]:
    """Every record of ``topic`` from the beginning to its end as of the call, in partition order.

    After the end offsets are reached it polls once more until a fetch comes back empty: Tansu can
    report an end offset short of the last record when the last batch holds several.
    """
    async with assigned(settings, topic) as (consumer, tps):
        if not tps:
            return []
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        records: list[ConsumerRecord[Any, Any]] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            for messages in batches.values():
                records.extend(messages)
            if not batches and await _reached(consumer, ends):
                break
        else:
            raise TimeoutError(f"{settings.topic(topic)} not read to its end within {timeout:.0f} s")
    records.sort(key=lambda r: (r.partition, r.offset))
    return records


async def _reached(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return False
    return True


async def follow(
    settings: Settings, topic: str, *, from_beginning: bool, timeout: float | None = None
) -> AsyncGenerator[ConsumerRecord[Any, Any], None]:
    """Records of ``topic`` as they arrive (from the oldest with ``from_beginning``, else new ones only),
    until ``timeout`` seconds have passed (None: forever). Close it (``contextlib.aclosing``) when
    leaving early, so the consumer stops."""
    async with assigned(settings, topic) as (consumer, tps):
        if from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while deadline is None or loop.time() < deadline:
            wait = 0.5 if deadline is None else max(0.0, min(0.5, deadline - loop.time()))
            batches = await consumer.getmany(timeout_ms=int(wait * 1000))
            for messages in batches.values():
                for message in messages:
                    yield message
