"""What each agent does with one message, as plain functions: decode, call the core, say what to send.

The faust agents in streams/app.py only feed messages in and carry the results out (sends, table
writes, metrics), so these functions hold all per-message decisions and are tested without Kafka.
No exception escapes them: every failure becomes a dead-letter send with its reason.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import orjson

from streams.contracts import BadMessage, Origin, Reason, dead_letter, decode_article, schema_errors
from streams.core import dedup
from streams.core.models import Alert, Article, StrikeEvent, StrikeReport

log = logging.getLogger(__name__)

Destination = Literal["reports", "events", "alerts", "articles_dlq"]
ExtractFn = Callable[[Article, datetime | None], list[StrikeReport]]


@dataclass(frozen=True)
class Send:
    """One message to produce: the logical topic (a Settings topic name), key and value."""

    topic: Destination
    key: bytes | None
    value: bytes
    reason: Reason | None = None  # dead letters only


@dataclass
class ArticleResult:
    outcome: Literal["strike", "irrelevant", "dead_lettered"]
    sends: list[Send] = field(default_factory=list)
    reason: Reason | None = None
    seconds: float = 0.0


@dataclass
class ReportResult:
    """``state`` is the block's new stored value (None: delete the key) when ``changed``."""

    changed: bool = False
    state: bytes | None = None
    sends: list[Send] = field(default_factory=list)
    events_created: int = 0
    events_updated: int = 0
    events_closed: int = 0
    open_delta: int = 0
    alert_kinds: list[str] = field(default_factory=list)
    reason: Reason | None = None
    seconds: float = 0.0


def _dead(reason: Reason, detail: str, stage: Literal["extract", "dedup"], origin: Origin, payload: bytes,
          max_bytes: int, now: datetime) -> Send:
    log.warning(
        "dead letter %s from %s[%d]@%d: %s", reason, origin.topic, origin.partition, origin.offset, detail[:200]
    )
    record = dead_letter(
        reason=reason, detail=detail, stage=stage, origin=origin, payload=payload, max_bytes=max_bytes, now=now
    )
    return Send("articles_dlq", origin.key, orjson.dumps(record), reason)


def handle_article(
    payload: bytes, origin: Origin, *, max_bytes: int, now: datetime, extract_fn: ExtractFn
) -> ArticleResult:
    """An articles-topic message to reports keyed by their dedup block, or to a dead letter."""
    try:
        article = decode_article(payload, max_bytes)
        started = time.perf_counter()
        reports = extract_fn(article, origin.timestamp)
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
    return ArticleResult("strike" if sends else "irrelevant", sends, None, seconds)


def _event_sends(outputs: list[StrikeEvent | Alert], result: ReportResult) -> None:
    for item in outputs:
        if isinstance(item, StrikeEvent):
            if item.version == 1:
                result.events_created += 1
            else:
                result.events_updated += 1
            result.sends.append(Send("events", item.event_id.encode(), orjson.dumps(item.to_dict())))
        else:
            result.alert_kinds.append(item.kind)
            result.sends.append(Send("alerts", item.event_id.encode(), orjson.dumps(item.to_dict())))


class StateCache:
    """Decoded block states by the exact stored bytes they came from (LRU, ``size`` blocks).

    Decoding a busy block's JSON on every report costs more than the dedup step itself. A hit needs
    the very bytes object the table holds, so a value restored from the changelog is decoded afresh.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[bytes, tuple[bytes, dedup.BlockState]] = OrderedDict()

    def get(self, key: bytes, stored: bytes) -> dedup.BlockState | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] is not stored:
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: bytes, stored: bytes | None, state: dedup.BlockState | None) -> None:
        if stored is None or state is None:
            self._entries.pop(key, None)
            return
        self._entries[key] = (stored, state)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


def _load(stored: bytes | None, key: bytes = b"", cache: StateCache | None = None) -> dedup.BlockState | None:
    if stored is None:
        return None
    cached = cache.get(key, stored) if cache is not None else None
    if cached is not None:
        return cached
    state = dedup.BlockState.from_dict(orjson.loads(stored))
    if cache is not None:
        cache.put(key, stored, state)
    return state


def handle_report(
    stored: bytes | None,
    payload: bytes,
    origin: Origin,
    *,
    now: datetime,
    config: dedup.DedupConfig,
    max_bytes: int,
    cache: StateCache | None = None,
) -> ReportResult:
    """A reports-topic message applied to its block's stored state: new state, events and alerts.

    With ``cache``, the decoded state of the result is kept under ``origin.key`` for the next report.
    """
    result = ReportResult()
    try:
        document = orjson.loads(payload)
        problems = schema_errors("strike-report", document)
        if problems:
            raise BadMessage("schema_violation", "; ".join(problems[:5]))
        report = StrikeReport.from_dict(document)
        started = time.perf_counter()
        key = origin.key or b""
        before = _load(stored, key, cache)
        current = before
        if current is not None:
            current, closed = dedup.expire(current, now, config)
            result.events_closed = len(closed)
        after, outputs = dedup.step(current, report, now, config)
        result.seconds = time.perf_counter() - started
        if outputs or after is not before:
            result.changed = True
            result.state = orjson.dumps(after.to_dict())
            result.open_delta = len(after.events) - (len(before.events) if before else 0)
            if cache is not None:
                cache.put(key, result.state, after)
        _event_sends(outputs, result)
    except orjson.JSONDecodeError as exc:
        return _failed("not_json", str(exc), origin, payload, max_bytes, now)
    except BadMessage as bad:
        return _failed(bad.reason, bad.detail, origin, payload, max_bytes, now)
    except Exception as exc:
        log.exception("dedup failed at %s[%d]@%d", origin.topic, origin.partition, origin.offset)
        return _failed("dedup_error", repr(exc), origin, payload, max_bytes, now)
    return result


def handle_expiry(stored: bytes, now: datetime, config: dedup.DedupConfig) -> ReportResult:
    """Close a block's idle events (a tick): new state, or None when the block is empty."""
    result = ReportResult()
    before = _load(stored)
    assert before is not None
    after, closed = dedup.expire(before, now, config)
    if closed:
        result.changed = True
        result.events_closed = len(closed)
        result.state = None if after is None else orjson.dumps(after.to_dict())
        result.open_delta = (len(after.events) if after else 0) - len(before.events)
    return result


def _failed(reason: Reason, detail: str, origin: Origin, payload: bytes, max_bytes: int,
            now: datetime) -> ReportResult:
    return ReportResult(sends=[_dead(reason, detail, "dedup", origin, payload, max_bytes, now)], reason=reason)
