"""The stream consumer's handling of a rebalance's end (streams/transport.py)."""

from __future__ import annotations

from typing import Any

import pytest
from faust.transport.drivers import aiokafka as driver
from faust.types import TP

from streams.transport import App

ARTICLES, CHANGELOG = TP("articles", 1), TP("dedup-changelog", 1)


@pytest.fixture
def consumer(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app's stream consumer with faust's broker-facing steps replaced by records of their calls."""
    app = App("test-transport-rebalance", broker="kafka://127.0.0.1:9", store="memory://")
    consumer = app.consumer
    calls: list[str] = []

    async def assigned(self: Any, assigned: set[TP], generation_id: int = 0) -> None:
        calls.append("assigned")

    async def revoked(self: Any, revoked: set[TP]) -> None:
        calls.append("revoked")

    async def seek(self: Any) -> None:
        calls.append("seek")

    monkeypatch.setattr(driver.Consumer, "on_partitions_assigned", assigned)
    monkeypatch.setattr(driver.Consumer, "on_partitions_revoked", revoked)
    monkeypatch.setattr(driver.Consumer, "perform_seek", seek)
    monkeypatch.setattr(consumer, "_is_changelog_tp", lambda tp: tp == CHANGELOG)
    consumer.calls = calls
    return consumer


async def test_stream_partitions_wait_for_the_seek_and_the_emptied_queues(consumer: Any) -> None:
    # faust's recovery: the changelog is read first, then the stream partitions are resumed, sought to their
    # committed offsets and the flow resumed (which empties the stream queues)
    await consumer.on_partitions_assigned({ARTICLES, CHANGELOG}, 3)
    consumer.pause_partitions({ARTICLES, CHANGELOG})
    consumer.resume_partitions({CHANGELOG})
    consumer.resume_flow()
    assert consumer._get_active_partitions() == {CHANGELOG}

    consumer.resume_partitions({ARTICLES})
    assert ARTICLES not in consumer._get_active_partitions()  # not before the seek
    await consumer.perform_seek()
    assert ARTICLES not in consumer._get_active_partitions()  # nor before the queues are emptied
    consumer.resume_flow()
    assert consumer._get_active_partitions() == {ARTICLES, CHANGELOG}
    assert consumer.calls == ["assigned", "seek"]


async def test_a_seek_of_an_earlier_assignment_does_not_count(consumer: Any) -> None:
    await consumer.on_partitions_assigned({ARTICLES}, 3)
    consumer.resume_partitions({ARTICLES})
    await consumer.perform_seek()
    await consumer.on_partitions_revoked({ARTICLES})
    await consumer.on_partitions_assigned({ARTICLES}, 4)
    consumer.pause_partitions({ARTICLES})
    consumer.resume_flow()  # the changelog phase of the new assignment
    consumer.resume_partitions({ARTICLES})
    consumer.resume_flow()
    assert ARTICLES not in consumer._get_active_partitions()
    await consumer.perform_seek()
    consumer.resume_flow()
    assert ARTICLES in consumer._get_active_partitions()
    assert consumer.calls == ["assigned", "seek", "revoked", "assigned", "seek"]
