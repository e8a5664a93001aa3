"""The stream consumer's fix for a partition handed back after a rebalance (streams/transport.py)."""

from __future__ import annotations

from typing import Any

import pytest
from faust.transport.drivers import aiokafka as driver
from faust.types import TP

from streams.transport import App


async def test_reassigned_partition_starts_without_a_stale_read_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fetch loop drops a record below a partition's read offset. During a revoke it can still record
    # the offset of a record it did not deliver (304 here, while 303 was never processed); faust's
    # assignment handling must then meet no read offset for the partition, so that 303, fetched again from
    # the committed offset, is delivered rather than dropped.
    app = App("test-transport-reassign", broker="kafka://127.0.0.1:9", store="memory://")
    consumer = app.consumer
    articles, kept = TP("articles", 1), TP("articles", 2)
    consumer._read_offset[articles] = 304
    consumer._read_offset[kept] = 57
    seen: dict[TP, Any] = {}

    async def faust_assignment(self: Any, assigned: set[TP], generation_id: int = 0) -> None:
        seen.update({tp: self._read_offset.get(tp) for tp in assigned})
        seen["generation"] = generation_id

    monkeypatch.setattr(driver.Consumer, "on_partitions_assigned", faust_assignment)
    await consumer.on_partitions_assigned({articles}, 3)

    assert seen == {articles: None, "generation": 3}
    assert consumer._read_offset.get(kept) == 57  # a partition not in the assignment is not touched
