"""The plain extract stage in its consumer group on a real embedded broker: a member whose worker event loop
is busy (a long core step) for longer than the session when another member joins still takes part in the
rebalance, so the group settles once, with the partitions shared."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from typing import Any

import pytest
from aiokafka import ConsumerRecord, TopicPartition

from streams.batching import Outbox
from streams.broker import ensure_topics
from streams.settings import Settings
from streams.stage import ExtractStage

pytestmark = pytest.mark.integration


def no_producer() -> Any:
    raise AssertionError("nothing is produced: the topic stays empty")


def no_handle(record: ConsumerRecord[bytes, bytes], out: Outbox) -> None:
    raise AssertionError("nothing is handled: the topic stays empty")


class Member:
    """A stage and the assignments it was told of (each a set of partitions)."""

    def __init__(self, settings: Settings) -> None:
        self.assignments: list[frozenset[TopicPartition]] = []
        self.stage = ExtractStage(settings, no_producer, no_handle, seal=False, on_change=self.changed)

    def changed(self) -> None:
        # told in the worker's loop, later than it happened when that loop was busy: what it holds by then
        assigned = self.stage.assigned
        if self.stage.ready() and assigned is not None and assigned != (self.assignments or [None])[-1]:
            self.assignments.append(assigned)

    async def settled(self, partitions: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not (self.stage.ready() and self.stage.assigned is not None and len(self.stage.assigned) == partitions):
            assert time.monotonic() < deadline, f"never settled with {partitions} partitions: {self.assignments}"
            await asyncio.sleep(0.05)


def test_a_member_whose_loop_is_stalled_when_another_joins_keeps_its_session_and_the_group_settles_once(
    broker: str,
) -> None:
    tag = uuid.uuid4().hex[:10]
    settings = Settings(bootstrap_servers=broker, profile="embedded", topic_prefix=f"t{tag}.", app_id=f"sw-test-{tag}")
    asyncio.run(ensure_topics(settings))
    first, second = Member(settings), Member(settings)
    second_up, done = threading.Event(), threading.Event()

    async def run_second() -> None:  # another worker: its own loop, in a thread of this process
        second.stage.start()
        second_up.set()
        await asyncio.to_thread(done.wait)
        await second.stage.stop()

    async def main() -> tuple[list[int], list[int]]:
        first.stage.start()
        try:
            await first.settled(settings.partitions)
            joining = threading.Thread(target=asyncio.run, args=(run_second(),))
            joining.start()
            second_up.wait()
            # the first worker's loop runs nothing for longer than the session and the rebalance timeout
            time.sleep(max(10.0, 2 * settings.effective_session_timeout) + 2.0)
            await first.settled(settings.partitions // 2)
            await asyncio.to_thread(lambda: asyncio.run(second.settled(settings.partitions // 2)))
            # what each was assigned so far (the second's leave gives the first every partition again)
            seen = [len(a) for a in first.assignments], [len(a) for a in second.assignments]
            done.set()
            await asyncio.to_thread(joining.join)
            return seen
        finally:
            done.set()
            await first.stage.stop()

    first_seen, second_seen = asyncio.run(main())
    half = settings.partitions // 2
    assert first_seen == [settings.partitions, half]
    assert second_seen == [half], "the stalled member left the group and came back"
