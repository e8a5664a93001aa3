"""The commit guard: what a partition may commit, and when it is read again (streams.core.offsets and the
consumer of streams/transport.py that uses it). Regression for the article lost at a rebalance (README
Faults): faust committed past an offset that was fetched and dropped when the acks after it started one
past the committed offset."""

from __future__ import annotations

from typing import Any

import pytest
from faust.transport.drivers import aiokafka as driver
from faust.types import TP

from streams.core.offsets import committable, first_unacked, reseek_offset
from streams.transport import App

TOPIC_PARTITION = TP("articles", 1)


def test_commit_moves_over_the_acked_run_from_the_committed_offset() -> None:
    assert committable(10, {10, 11, 12}) == 13
    assert committable(10, {10, 11, 13, 14}) == 12
    assert committable(0, {0}) == 1


def test_a_gap_right_after_the_committed_offset_commits_nothing() -> None:
    # faust lets a run starting one past the committed offset through (10 was dropped, 11.. acked)
    assert committable(10, {11, 12, 13}) is None
    assert committable(10, {12, 13}) is None
    assert committable(10, set()) is None


def test_an_unknown_committed_offset_commits_nothing() -> None:
    # between an assignment and the read of the group's committed offsets
    assert committable(None, {151, 152, 153}) is None


def test_first_unacked() -> None:
    assert first_unacked(5, set()) == 5
    assert first_unacked(5, {5, 6, 8}) == 7


def _reseek(base: int | None, acked: set[int], *, position: int | None = None, handed_to: int | None = None,
            hole_alive: bool | None = None, waited: float = 0.0) -> int | None:
    return reseek_offset(base, acked, position=position, handed_to=handed_to, hole_alive=hole_alive,
                         waited=waited, patience=15.0, alive_patience=60.0)


def test_a_record_dropped_from_a_queue_is_read_again_at_once() -> None:
    # handed to the stream, its message gone, never acked (faust cleared the queue at a rebalance)
    assert _reseek(10, set(), hole_alive=False) == 10
    assert _reseek(10, {10, 11, 13}, hole_alive=False) == 12


def test_a_record_skipped_while_a_later_one_was_handed_is_read_again_at_once() -> None:
    assert _reseek(10, {11, 12}, handed_to=12) == 10


def test_a_record_still_held_is_waited_for() -> None:
    assert _reseek(10, {11}, handed_to=12, hole_alive=True, waited=5.0) is None
    # ... unless it has been held far longer than any batch takes
    assert _reseek(10, {11}, handed_to=12, hole_alive=True, waited=61.0) == 10


def test_a_record_not_fetched_yet_is_not_a_reason_to_seek() -> None:
    assert _reseek(10, set(), position=10, waited=100.0) is None
    assert _reseek(10, set(), position=None, waited=100.0) is None
    assert _reseek(10, {10, 11}, position=12, handed_to=11, waited=100.0) is None


def test_a_fetched_record_never_handed_gets_time_then_is_read_again() -> None:
    # the fetch loop may be waiting for room in another stream's queue; a fetch faust left half
    # iterated (a rebalance) never hands it (the last articles of a run: nothing later comes)
    assert _reseek(10, set(), position=40, waited=3.0) is None
    assert _reseek(10, set(), position=40, waited=15.0) == 10


def test_nothing_is_read_again_before_the_committed_offset_is_known() -> None:
    assert _reseek(None, {11}, handed_to=12, hole_alive=False) is None


@pytest.fixture
def consumer() -> Any:
    app = App("guard-test", broker="kafka://127.0.0.1:1", store="memory://")
    return app.consumer


def _acked(consumer: Any, offsets: list[int]) -> None:
    consumer._acked[TOPIC_PARTITION] = list(offsets)
    consumer._acked_index[TOPIC_PARTITION] = set(offsets)


def test_faust_alone_commits_past_the_dropped_record(consumer: Any) -> None:
    """What the guard is for: faust's own choice for the same state moves over offset 10."""
    consumer._committed_offset[TOPIC_PARTITION] = 10
    _acked(consumer, [11, 12])
    assert driver.Consumer._new_offset(consumer, TOPIC_PARTITION) == 13


def test_the_consumer_does_not_commit_past_the_dropped_record(consumer: Any) -> None:
    consumer._committed_offset[TOPIC_PARTITION] = 10
    consumer._guard_base[TOPIC_PARTITION] = 10
    _acked(consumer, [11, 12])
    assert consumer._new_offset(TOPIC_PARTITION) is None
    _acked(consumer, [10, 11, 12, 14])
    assert consumer._new_offset(TOPIC_PARTITION) == 13
    assert consumer._acked[TOPIC_PARTITION] == [14]
    assert consumer._guard_base[TOPIC_PARTITION] == 13


def test_faust_gaps_do_not_move_the_commit(consumer: Any) -> None:
    """A jump in faust's read offsets after a seek is taken for a gap in the log; the guard ignores it."""
    consumer._guard_base[TOPIC_PARTITION] = 137
    _acked(consumer, [137, 152])
    consumer._gap[TOPIC_PARTITION].addi(138, 152)
    assert consumer._new_offset(TOPIC_PARTITION) == 138


def test_after_an_assignment_nothing_is_committed_until_the_committed_offset_is_read(consumer: Any) -> None:
    consumer._guard_base[TOPIC_PARTITION] = 10
    consumer._guard_forget({TOPIC_PARTITION})  # what an assignment or a revoke does
    _acked(consumer, [152, 153])
    assert consumer._new_offset(TOPIC_PARTITION) is None


async def test_a_revoke_keeps_the_acks_faust_drops_before_its_last_commit(consumer: Any) -> None:
    """faust drops a revoked partition's acks before it waits for the streams and commits; the guard puts
    them back, so that commit moves over them and the next owner does not process them again."""
    seen: list[int | None] = []

    async def app_revoked(revoked: set[TP]) -> None:
        consumer._acked[TOPIC_PARTITION].append(15)  # finished while faust waits for the streams
        consumer._acked_index[TOPIC_PARTITION].add(15)
        seen.append(consumer._new_offset(TOPIC_PARTITION))

    consumer._app_partitions_revoked = app_revoked
    consumer._guard_base[TOPIC_PARTITION] = 10
    _acked(consumer, [10, 11, 12, 13, 14])
    consumer._guard_revoked_acks = {TOPIC_PARTITION: [10, 11, 12, 13, 14]}
    consumer._acked.pop(TOPIC_PARTITION)  # what faust does first
    consumer._acked_index.pop(TOPIC_PARTITION)
    await consumer._keep_revoked_acks({TOPIC_PARTITION})
    assert seen == [16]


def test_faust_does_not_drop_a_watched_record_as_already_read(consumer: Any) -> None:
    """After a seek faust's read offset can be ahead; for a watched partition it reads as None, so the
    fetch loop hands the records read again instead of dropping them."""
    consumer._guard_topics["articles"] = True
    consumer._guard_topics["other"] = False
    consumer._read_offset[TOPIC_PARTITION] = 383
    consumer._read_offset[TP("other", 0)] = 7
    assert consumer._read_offset[TOPIC_PARTITION] is None
    assert consumer._read_offset.get(TOPIC_PARTITION) == 383  # what the lag metric reads
    assert consumer._read_offset[TP("other", 0)] == 7
    assert consumer._read_offset[TP("other", 1)] is None


class _Record:
    def __init__(self, offset: int) -> None:
        self.offset = offset


class _Thread:
    def __init__(self, batches: list[list[int]]) -> None:
        self.batches = batches

    async def getmany(self, active_partitions: Any, timeout: float) -> dict[TP, list[_Record]]:
        return {TOPIC_PARTITION: [_Record(offset) for offset in self.batches.pop(0)]}


async def test_records_read_again_after_a_seek_are_handed_once(consumer: Any) -> None:
    """After faust's seek to the committed offset (end of a rebalance), records it had already handed
    from an earlier fetch are fetched again: what is committed or acked is not handed a second time."""
    consumer._guard_topics["articles"] = True
    consumer._thread = _Thread([[8, 9, 10, 11, 12, 13]])
    consumer._guard_sought_to(TOPIC_PARTITION, 10, 10)
    _acked(consumer, [10, 11])  # handed and finished by the fetch before the seek
    consumer._guard_base[TOPIC_PARTITION] = 10
    records = await consumer._getmany(None, 1.0)
    assert [record.offset for record in records[TOPIC_PARTITION]] == [12, 13]
