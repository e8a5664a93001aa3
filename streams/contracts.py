"""Message contracts: the JSON Schemas of schemas/, loaded once, and edge decoding of raw messages.

The worker reads every input as raw bytes and turns it into a record here; anything that is not a
valid message raises :class:`BadMessage` with a reason code that the dead-letter topic records.
"""

from __future__ import annotations

import base64
import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import jsonschema_rs
import orjson

from streams.core.models import Article


def _schema_dir() -> Path:
    """schemas/ of the source tree, or the copy a non-editable install puts under share/."""
    in_tree = Path(__file__).resolve().parents[1] / "schemas"
    if in_tree.is_dir():
        return in_tree
    return Path(sys.prefix) / "share" / "strikewatch" / "schemas"


SCHEMA_DIR = _schema_dir()

SCHEMAS = {
    "article": "article.schema.json",
    "strike-report": "strike-report.schema.json",
    "strike-event": "strike-event.schema.json",
    "alert": "alert.schema.json",
    "dead-letter": "dead-letter.schema.json",
    "event-summary": "event-summary.schema.json",
}

Reason = Literal[
    "too_large", "not_utf8", "not_json", "schema_violation", "extract_error", "dedup_error"
]


class BadMessage(ValueError):
    """A message that cannot be processed; ``reason`` is its dead-letter reason code."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason: Reason = reason
        self.detail = detail


@functools.cache
def _registry() -> jsonschema_rs.Registry:
    """Every schema of schemas/ by its $id, so that references between them resolve offline."""
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = orjson.loads(path.read_bytes())
        resources.append((contents["$id"], contents))
    return jsonschema_rs.Registry(resources)


@functools.cache
def validator(name: str) -> jsonschema_rs.Draft202012Validator:
    """The validator of schema ``name`` (a key of ``SCHEMAS``); the schema itself is checked first.

    ``format`` is an annotation here, as the 2020-12 default says: the patterns carry the rules (an
    article's ``published_at`` may use a space for the T, as many feeds do).
    """
    schema = orjson.loads((SCHEMA_DIR / SCHEMAS[name]).read_bytes())
    jsonschema_rs.meta.validate(schema)
    return jsonschema_rs.Draft202012Validator(schema, registry=_registry(), validate_formats=False)


def schema_errors(name: str, document: Any) -> list[str]:
    """Human-readable violations of schema ``name`` by ``document`` (empty when valid)."""
    check = validator(name)
    if check.is_valid(document):
        return []
    errors = sorted(check.iter_errors(document), key=lambda e: [str(p) for p in e.instance_path])
    return [f"{'/'.join(map(str, e.instance_path)) or '<root>'}: {e.message}" for e in errors]


def decode_json(name: str, data: bytes | str) -> Any:
    """A JSON document valid against schema ``name``, or BadMessage (not_json, schema_violation)."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BadMessage("not_json", str(exc)) from None
    problems = schema_errors(name, document)
    if problems:
        raise BadMessage("schema_violation", "; ".join(problems[:5])[:1000])
    return document


def decode_article(payload: bytes, max_bytes: int) -> Article:
    """Raw bytes from the articles topic to an Article, or BadMessage with the reason."""
    if len(payload) > max_bytes:
        raise BadMessage("too_large", f"{len(payload)} bytes > limit {max_bytes}")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadMessage("not_utf8", str(exc)) from None
    document = decode_json("article", text)
    assert isinstance(document, Mapping)
    try:
        return Article.from_dict(document)
    except (ValueError, KeyError, TypeError) as exc:
        raise BadMessage("schema_violation", str(exc)[:1000]) from None


@dataclass(frozen=True)
class Origin:
    """Where a message came from."""

    topic: str
    partition: int
    offset: int
    timestamp: datetime | None
    key: bytes | None


def dead_letter(
    *,
    reason: Reason,
    detail: str,
    stage: Literal["extract", "dedup"],
    origin: Origin,
    payload: bytes,
    max_bytes: int,
    now: datetime,
) -> dict[str, Any]:
    """The dead-letter record (schemas/dead-letter.schema.json) of a message that failed."""
    kept = payload[:max_bytes]
    return {
        "reason": reason,
        "detail": detail[:2000],
        "stage": stage,
        "topic": origin.topic,
        "partition": origin.partition,
        "offset": origin.offset,
        "timestamp": origin.timestamp.isoformat() if origin.timestamp else None,
        "key_b64": base64.b64encode(origin.key).decode("ascii") if origin.key is not None else None,
        "payload_b64": base64.b64encode(kept).decode("ascii"),
        "payload_size": len(payload),
        "truncated": len(kept) < len(payload),
        "failed_at": now.astimezone(UTC).isoformat(),
    }


@dataclass(frozen=True)
class DeadLetter:
    """A dead-letter record read back: why and where a message failed, and its original key and payload."""

    reason: Reason
    detail: str
    stage: Literal["extract", "dedup"]
    topic: str
    partition: int
    offset: int
    timestamp: datetime | None
    key: bytes | None
    payload: bytes
    payload_size: int
    truncated: bool
    failed_at: datetime
    record: Mapping[str, Any]  # the record as stored (schemas/dead-letter.schema.json)


def decode_dead_letter(value: bytes) -> DeadLetter:
    """A dead-letter topic message back to a DeadLetter; BadMessage when it is not one."""
    record = decode_json("dead-letter", value)
    try:
        return DeadLetter(
            reason=record["reason"],
            detail=record["detail"],
            stage=record["stage"],
            topic=record["topic"],
            partition=record["partition"],
            offset=record["offset"],
            timestamp=_timestamp(record["timestamp"]) if record["timestamp"] else None,
            key=base64.b64decode(record["key_b64"], validate=True) if record["key_b64"] is not None else None,
            payload=base64.b64decode(record["payload_b64"], validate=True),
            payload_size=record["payload_size"],
            truncated=record["truncated"],
            failed_at=_timestamp(record["failed_at"]),
            record=record,
        )
    except ValueError as exc:  # base64 that is not, a time that does not exist
        raise BadMessage("schema_violation", str(exc)) from None


def _timestamp(text: str) -> datetime:
    """A schema ``timestamp`` (RFC 3339 with an offset) as an aware datetime."""
    return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
