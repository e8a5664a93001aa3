"""What each agent does with one message, as plain functions: decode, call the core, say what to send.

The faust agents in streams/app.py only feed messages in and carry the results out (sends, table
writes, metrics), so these functions hold all per-message decisions and are tested without Kafka.
No exception escapes them: every failure becomes a dead-letter send with its reason.

The reports topic carries three kinds of message, told apart by a header: reports (no header), expiry
ticks and re-seed markers (streams/app.py), and located-event summaries (``SUMMARY_HEADER``): a dedup
block that changes or publishes a located event sends its summary, keyed by the country block
(``"UA/*"``), so the country-level accounts there can be linked to it without reading another
partition's table (see ``streams.core.dedup``, "Country-level accounts").
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

import orjson

from streams.contracts import BadMessage, Origin, Reason, dead_letter, decode_article, decode_json, schema_errors
from streams.core import dedup
from streams.core.models import Alert, Article, StrikeEvent, StrikeReport
from streams.core.published import Quality

log = logging.getLogger(__name__)

Destination = Literal["reports", "events", "alerts", "articles_dlq"]
ExtractFn = Callable[[Article, datetime | None], list[StrikeReport]]

#: The header of a located-event summary on the reports topic (its value: schemas/event-summary.schema.json).
SUMMARY_HEADER = "strikewatch-summary"
_SUMMARY_HEADERS: tuple[tuple[str, bytes], ...] = ((SUMMARY_HEADER, b"1"),)


@dataclass(frozen=True)
class Send:
    """One message to produce: the logical topic (a Settings topic name), key, value and headers."""

    topic: Destination
    key: bytes | None
    value: bytes
    reason: Reason | None = None  # dead letters only
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass
class ArticleResult:
    """``published_at_quality``: how the article's published_at was read (None: not decoded)."""

    outcome: Literal["strike", "irrelevant", "dead_lettered"]
    sends: list[Send] = field(default_factory=list)
    reason: Reason | None = None
    seconds: float = 0.0
    published_at_quality: Quality | None = None


@dataclass
class ReportResult:
    """``writes``: table key -> new value (None: delete the key). ``redelivered``: the report was already
    merged, so ``sends`` re-emit its event's current version and alert (same ids) and nothing is counted
    as created, updated or alerted."""

    writes: dict[bytes, bytes | None] = field(default_factory=dict)
    sends: list[Send] = field(default_factory=list)
    events_created: int = 0
    events_updated: int = 0
    events_closed: int = 0
    alert_kinds: list[str] = field(default_factory=list)
    reason: Reason | None = None
    seconds: float = 0.0
    redelivered: bool = False


def _dead(reason: Reason, detail: str, stage: Literal["extract", "dedup"], origin: Origin, payload: bytes,
          max_bytes: int, now: datetime) -> Send:
    log.warning(
        "dead letter %s from %s[%d]@%d: %s", reason, origin.topic, origin.partition, origin.offset, detail[:200]
    )
    record = dead_letter(
        reason=reason, detail=detail, stage=stage, origin=origin, payload=payload, max_bytes=max_bytes, now=now
    )
    return Send("articles_dlq", origin.key, orjson.dumps(record), reason)


def extract_reports(article: Article, kafka_time: datetime | None, extract_fn: ExtractFn) -> list[StrikeReport]:
    """The article's reports, its relative dates resolved against its publication time, the Kyiv noon of
    its publication day when it gives only a day, or else ``kafka_time``; each report says how the
    article's published_at was read."""
    quality = article.published_at_quality
    return [
        replace(r, published_at_quality=quality)
        for r in extract_fn(article, article.reference_time(kafka_time))
    ]


def handle_article(
    payload: bytes, origin: Origin, *, max_bytes: int, now: datetime, extract_fn: ExtractFn
) -> ArticleResult:
    """An articles-topic message to reports keyed by their dedup block, or to a dead letter."""
    try:
        article = decode_article(payload, max_bytes)
        quality = article.published_at_quality
        started = time.perf_counter()
        reports = extract_reports(article, origin.timestamp, extract_fn)
        seconds = time.perf_counter() - started
        sends = [
            Send("reports", dedup.block_key(r).encode("utf-8"), orjson.dumps(r.to_dict())) for r in reports
        ]
    except BadMessage as bad:
        return ArticleResult(
            "dead_lettered", [_dead(bad.reason, bad.detail, "extract", origin, payload, max_bytes, now)], bad.reason
        )
    except Exception as exc:  # the core failed on this input: dead-letter it, keep the worker alive
        log.exception("extraction failed at %s[%d]@%d", origin.topic, origin.partition, origin.offset)
        return ArticleResult(
            "dead_lettered",
            [_dead("extract_error", repr(exc), "extract", origin, payload, max_bytes, now)],
            "extract_error",
        )
    return ArticleResult("strike" if sends else "irrelevant", sends, None, seconds, quality)


def _event_sends(outputs: list[StrikeEvent | Alert], result: ReportResult) -> None:
    for item in outputs:
        if isinstance(item, StrikeEvent):
            if not result.redelivered:
                result.events_created += item.version == 1
                result.events_updated += item.version != 1
            result.sends.append(Send("events", item.event_id.encode(), orjson.dumps(item.to_dict())))
        else:
            if not result.redelivered:
                result.alert_kinds.append(item.kind)
            result.sends.append(Send("alerts", item.event_id.encode(), orjson.dumps(item.to_dict())))


def _summary_sends(before: dedup.BlockState | None, after: dedup.BlockState, outputs: list[StrikeEvent | Alert],
                   config: dedup.DedupConfig, result: ReportResult) -> None:
    """The summaries of the located events a step changed or published, to their country block."""
    for summary in dedup.summaries(before, after, outputs, config):
        result.sends.append(Send("reports", summary.country_block.encode("utf-8"), orjson.dumps(summary.to_dict()),
                                 headers=_SUMMARY_HEADERS))


# ------------------------------------------------------------------ dedup state in the table
#
# A block's open events are stored one table entry per event (``block`` 0x1f ``event id``) plus an
# index entry (``block`` -> the event ids in order). A report changes one event, so it writes one
# small changelog record instead of the whole block, which for a busy oblast holds hundreds of events.
# A country block's summaries are stored the same way under ``block`` 0x1f ``~`` (their index) and
# ``block`` 0x1f ``~`` ``event id``. The block index exists while the block holds anything.

SEP = b"\x1f"
_SUMMARY = b"~"


def event_key(block: bytes, event_id: str) -> bytes:
    return block + SEP + event_id.encode("utf-8")


def summary_key(block: bytes, event_id: str = "") -> bytes:
    """The table key of a summary of ``block``, or with no id the block's summary index."""
    return block + SEP + _SUMMARY + event_id.encode("utf-8")


def is_index_key(key: bytes) -> bool:
    return SEP not in key


def is_event_key(key: bytes) -> bool:
    """An open event's entry (not an index, not a summary)."""
    sep = key.find(SEP)
    return sep >= 0 and not key.startswith(_SUMMARY, sep + 1)


class StateCache:
    """Decoded open events by the exact stored bytes they came from (LRU, ``size`` events).

    A hit needs the very bytes object the table holds, so a value restored from the changelog (or
    written by anyone else) is decoded afresh.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[bytes, tuple[bytes, Any]] = OrderedDict()

    def get(self, key: bytes, stored: bytes) -> Any:
        entry = self._entries.get(key)
        if entry is None or entry[0] is not stored:
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: bytes, stored: bytes | None, event: dedup.OpenEvent | dedup.Summary | None) -> None:
        if stored is None or event is None:
            self._entries.pop(key, None)
            return
        self._entries[key] = (stored, event)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


def load_block(
    table: Mapping[bytes, bytes], block: bytes, cache: StateCache | None = None
) -> dedup.BlockState | None:
    """The open events (and a country block's summaries) of ``block`` from the table (None: it holds none)."""
    index = table.get(block)
    if index is None:
        return None
    name = block.decode("utf-8")
    events = []
    for event_id in orjson.loads(index):
        key = event_key(block, event_id)
        stored = table.get(key)
        if stored is None:  # never written apart from its index; skip rather than fail the block
            continue
        event = cache.get(key, stored) if cache is not None else None
        if event is None:
            event = dedup.OpenEvent.from_dict(orjson.loads(stored), name)
            if cache is not None:
                cache.put(key, stored, event)
        events.append(event)
    held = []
    listed = table.get(summary_key(block))
    for event_id in orjson.loads(listed) if listed is not None else ():
        key = summary_key(block, event_id)
        stored = table.get(key)
        if stored is None:
            continue
        summary = cache.get(key, stored) if cache is not None else None
        if summary is None:
            summary = dedup.Summary.from_dict(orjson.loads(stored))
            if cache is not None:
                cache.put(key, stored, summary)
        held.append(summary)
    return dedup.BlockState(block=name, events=tuple(events), summaries=tuple(held))


def block_writes(
    block: bytes,
    before: dedup.BlockState | None,
    after: dedup.BlockState | None,
    cache: StateCache | None = None,
) -> dict[bytes, bytes | None]:
    """Table writes (key -> value, None = delete) that turn ``before`` into ``after``.

    The core keeps unchanged events as the same objects, so only new or changed events are written.
    """
    old = {e.event.event_id: e for e in before.events} if before else {}
    new = {e.event.event_id: e for e in after.events} if after else {}
    writes = _entry_writes(block, old, new, event_key, cache)
    if list(old) != list(new) or (before is None) != (after is None):
        writes[block] = orjson.dumps(list(new)) if after is not None else None
    old_s = {s.event_id: s for s in before.summaries} if before else {}
    new_s = {s.event_id: s for s in after.summaries} if after else {}
    writes.update(_entry_writes(block, old_s, new_s, summary_key, cache))
    if list(old_s) != list(new_s):
        writes[summary_key(block)] = orjson.dumps(list(new_s)) if new_s else None
    return writes


def _entry_writes(
    block: bytes, old: Mapping[str, Any], new: Mapping[str, Any], key_of: Callable[[bytes, str], bytes],
    cache: StateCache | None,
) -> dict[bytes, bytes | None]:
    """Writes of the entries (events or summaries, by id) new or changed (another object) and deletes of
    those gone."""
    writes: dict[bytes, bytes | None] = {}
    for entry_id, entry in new.items():
        if old.get(entry_id) is not entry:
            key = key_of(block, entry_id)
            stored = orjson.dumps(entry.to_dict())
            writes[key] = stored
            if cache is not None:
                cache.put(key, stored, entry)
    for entry_id in old.keys() - new.keys():
        key = key_of(block, entry_id)
        writes[key] = None
        if cache is not None:
            cache.put(key, None, None)
    return writes


def handle_report(
    table: Mapping[bytes, bytes],
    payload: bytes,
    origin: Origin,
    *,
    now: datetime,
    config: dedup.DedupConfig,
    max_bytes: int,
    cache: StateCache | None = None,
) -> ReportResult:
    """A reports-topic message applied to its block's open events: table writes, events and alerts, and
    the summaries of the located events it changed (to their country block).

    ``table`` is read only; the writes to make come back in ``result.writes``. The agent writes them and
    then sends ``result.sends``; a crash between the two is safe because a redelivered report that is
    already merged re-emits its event's current version and alert (see ``streams.core.dedup``,
    "Redelivery and crashes").
    """

    def work(result: ReportResult) -> None:
        document = orjson.loads(payload)
        problems = schema_errors("strike-report", document)
        if problems:
            raise BadMessage("schema_violation", "; ".join(problems[:5]))
        report = StrikeReport.from_dict(document)

        def step(current: dedup.BlockState | None) -> tuple[dedup.BlockState, list[StrikeEvent | Alert]]:
            result.redelivered = dedup.merged_event(current, report) is not None
            return dedup.step(current, report, now, config)

        block = origin.key or dedup.block_key(report).encode("utf-8")
        current, after, outputs = _transition(table, block, now, config, cache, result, step)
        _summary_sends(current, after, outputs, config, result)

    return _dedup_message(work, origin, payload, max_bytes, now)


def handle_summary(
    table: Mapping[bytes, bytes],
    payload: bytes,
    origin: Origin,
    *,
    now: datetime,
    config: dedup.DedupConfig,
    max_bytes: int,
    cache: StateCache | None = None,
) -> ReportResult:
    """A located-event summary (a reports-topic message with ``SUMMARY_HEADER``) kept in its country
    block: table writes and the new versions of the country-level events whose link it changed (a
    summary already held changes nothing). A malformed one is dead-lettered, as a bad report is."""

    def work(result: ReportResult) -> None:
        if len(payload) > max_bytes:
            raise BadMessage("too_large", f"{len(payload)} bytes > limit {max_bytes}")
        document = decode_json("event-summary", payload)
        try:
            summary = dedup.Summary.from_dict(document)
        except ValueError as exc:  # within the schema but not readable (a bad date, signature bytes)
            raise BadMessage("schema_violation", str(exc)) from None
        _transition(table, summary.country_block.encode("utf-8"), now, config, cache, result,
                    lambda current: dedup.absorb(current, summary, now, config))

    return _dedup_message(work, origin, payload, max_bytes, now)


Transition = Callable[[dedup.BlockState | None], tuple[dedup.BlockState, list[StrikeEvent | Alert]]]


def _transition(
    table: Mapping[bytes, bytes], block: bytes, now: datetime, config: dedup.DedupConfig, cache: StateCache | None,
    result: ReportResult, change: Transition,
) -> tuple[dedup.BlockState | None, dedup.BlockState, list[StrikeEvent | Alert]]:
    """Load ``block``, close its idle events, apply ``change``: the writes and event sends go into
    ``result``; (the block before the change, after it, the outputs)."""
    started = time.perf_counter()
    before = load_block(table, block, cache)
    current = before
    if current is not None:
        current, closed = dedup.expire(current, now, config)
        result.events_closed = len(closed)
    after, outputs = change(current)
    result.writes = block_writes(block, before, after, cache)
    result.seconds = time.perf_counter() - started
    _event_sends(outputs, result)
    return current, after, outputs


def _dedup_message(
    work: Callable[[ReportResult], None], origin: Origin, payload: bytes, max_bytes: int, now: datetime
) -> ReportResult:
    """Run ``work`` on a fresh result; any failure becomes a dead letter of the dedup stage instead."""
    result = ReportResult()
    try:
        work(result)
    except orjson.JSONDecodeError as exc:
        return _failed("not_json", str(exc), origin, payload, max_bytes, now)
    except BadMessage as bad:
        return _failed(bad.reason, bad.detail, origin, payload, max_bytes, now)
    except Exception as exc:
        log.exception("dedup failed at %s[%d]@%d", origin.topic, origin.partition, origin.offset)
        return _failed("dedup_error", repr(exc), origin, payload, max_bytes, now)
    return result


def handle_expiry(
    table: Mapping[bytes, bytes], block: bytes, now: datetime, config: dedup.DedupConfig,
    cache: StateCache | None = None,
) -> ReportResult:
    """Close a block's idle events (a tick): the table writes that remove them."""
    result = ReportResult()
    before = load_block(table, block, cache)
    if before is None:
        return result
    after, closed = dedup.expire(before, now, config)
    result.events_closed = len(closed)
    if after is not before:  # events closed, or summaries of a country block dropped
        result.writes = block_writes(block, before, after, cache)
    return result


def _failed(reason: Reason, detail: str, origin: Origin, payload: bytes, max_bytes: int,
            now: datetime) -> ReportResult:
    return ReportResult(sends=[_dead(reason, detail, "dedup", origin, payload, max_bytes, now)], reason=reason)
