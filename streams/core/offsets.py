"""Which offset of a partition may be committed, and when a partition has to be read again.

The worker's consumer (``streams/transport.py``) asks these functions instead of trusting faust's own
bookkeeping, which at the end of a rebalance or a restart can commit past an article that was fetched
but never processed (README, Faults). Offsets follow Kafka's convention: a committed offset is the next
one to read, so a partition whose committed offset is ``base`` has processed everything below ``base``.

The rule: a commit only ever moves a partition forward over offsets that were processed (acked) one
after the other from ``base``; an offset that was fetched but not acked stops it there, wherever faust
thinks it is.
"""

from __future__ import annotations

from collections.abc import Collection, Container

__all__ = ["committable", "first_unacked", "reseek_offset"]


def first_unacked(base: int, acked: Container[int]) -> int:
    """The first offset at or after ``base`` that is not acked: the run of acks from ``base`` ends there."""
    offset = base
    while offset in acked:
        offset += 1
    return offset


def committable(base: int | None, acked: Container[int]) -> int | None:
    """The offset to commit for a partition committed up to ``base``, or None when it may not move.

    ``base`` is None while the partition's committed offset is not known (after an assignment, until
    the consumer has read it from the group): nothing is committed then, whatever was acked. Otherwise
    the commit moves over the acked run that starts exactly at ``base``; acks after a gap (an offset
    fetched and dropped, or still in progress) wait until the gap is acked.
    """
    if base is None:
        return None
    end = first_unacked(base, acked)
    return end if end > base else None


def reseek_offset(
    base: int | None,
    acked: Collection[int],
    *,
    position: int | None,
    handed_to: int | None,
    hole_alive: bool | None,
    waited: float,
    patience: float,
    alive_patience: float,
) -> int | None:
    """The offset to read a partition again from, when its commit waits for a record that will not come.

    The first unacked offset from ``base`` is the ``hole``. ``hole_alive`` says what became of its record
    since the partition was last sought: None when it was not handed to a stream, True while its message
    is still held (in a stream's queue or being processed), False when it was handed and is gone without
    an ack. ``handed_to`` is the highest offset handed from a fetch made after that seek, ``position``
    the consumer's next offset to fetch (``hole`` was fetched when it is below it), and ``waited`` the
    seconds the commit has waited at ``hole``. A partition is read in order, so ``hole`` is given back:
    - at once when its message is gone without an ack (faust clears its stream queues at a rebalance,
      and a stream skips a message of an earlier generation), or when a later record of a fetch after
      the seek was handed while it was not;
    - when it was fetched and not handed for ``patience`` seconds (a fetch faust left half iterated);
    - when it has been held for ``alive_patience`` seconds (a message dropped from a queue that something
      still references).
    None otherwise: the partition is moving, or the record is not fetched yet.
    """
    if base is None:
        return None
    hole = first_unacked(base, acked)
    if hole_alive is False:
        return hole
    if hole_alive is True:
        return hole if waited >= alive_patience else None
    if handed_to is not None and handed_to > hole:
        return hole
    if position is None or position <= hole:
        return None
    return hole if waited >= patience else None
