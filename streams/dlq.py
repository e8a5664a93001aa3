"""`strikewatch dlq`: list the dead letters of ``articles.dlq`` and re-produce their payloads to ``articles``.

A dead letter (schemas/dead-letter.schema.json) keeps the original key and payload in base64. Replay
sends them back to the articles topic with the same key, for the worker to read again after a fix.
That is safe to repeat: event ids are deterministic and an article already merged changes nothing,
so a replayed article that was processed before raises no second alert.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from streams import kafka_io
from streams.contracts import BadMessage, DeadLetter, decode_dead_letter
from streams.settings import Settings


@dataclass
class DeadLetters:
    """The dead letters of the topic in order of failure, and the messages on it that are not ones."""

    letters: list[DeadLetter] = field(default_factory=list)
    foreign: list[tuple[int, int, str]] = field(default_factory=list)  # (partition, offset, why)


def parse_since(text: str) -> datetime:
    """``--since``: an ISO 8601 time or date; without an offset it is UTC."""
    try:
        when = datetime.fromisoformat(text.strip().upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--since {text!r} is not an ISO time such as 2024-07-08T10:00:00+03:00") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def select(
    letters: Iterable[DeadLetter], *, reason: str | None = None, since: datetime | None = None,
    limit: int | None = None,
) -> list[DeadLetter]:
    """The letters of ``reason`` that failed at or after ``since``; with ``limit``, the latest so many."""
    chosen = [
        letter for letter in letters
        if (reason is None or letter.reason == reason) and (since is None or letter.failed_at >= since)
    ]
    if limit is not None:
        chosen = chosen[-limit:] if limit > 0 else []
    return chosen


def not_replayable(letter: DeadLetter) -> str | None:
    """Why ``letter`` cannot go back to the articles topic (None: it can)."""
    if letter.stage != "extract":
        return "its payload is an internal report, not an article"
    if letter.truncated:
        return f"its payload was cut to {len(letter.payload)} of {letter.payload_size} bytes"
    return None


def preview(payload: bytes, width: int = 80) -> str:
    """The start of a payload as one line: its text with runs of blanks made one space, else its bytes."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        shown = repr(payload[:width])
        return shown if len(payload) <= width else shown + "..."
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 3] + "..."


def format_dead_letter(letter: DeadLetter, width: int = 80) -> str:
    """One line: when, reason, stage, origin topic[partition]@offset, size, detail and payload preview."""
    size = f"{letter.payload_size} B" + (" (cut)" if letter.truncated else "")
    detail = re.sub(r"\s+", " ", letter.detail)
    detail = detail if len(detail) <= 60 else detail[:57] + "..."
    return " | ".join([
        letter.failed_at.astimezone(UTC).isoformat(timespec="seconds"),
        letter.reason,
        letter.stage,
        f"{letter.topic}[{letter.partition}]@{letter.offset}",
        size,
        detail,
        preview(letter.payload, width),
    ])


def summary(letters: Sequence[DeadLetter]) -> str:
    counts = Counter(letter.reason for letter in letters)
    by_reason = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    return f"{len(letters)} dead letter{'s' if len(letters) != 1 else ''}" + (f" ({by_reason})" if by_reason else "")


async def read_dead_letters(settings: Settings) -> DeadLetters:
    """Every dead letter on the dead-letter topic now, oldest failure first."""
    found = DeadLetters()
    for record in await kafka_io.read_to_end(settings, "articles_dlq"):
        try:
            found.letters.append(decode_dead_letter(record.value or b""))
        except BadMessage as bad:
            found.foreign.append((record.partition, record.offset, f"{bad.reason}: {bad.detail[:200]}"))
    found.letters.sort(key=lambda letter: letter.failed_at)
    return found


async def replay(settings: Settings, letters: Sequence[DeadLetter]) -> int:
    """Re-produce the letters' original payloads to the articles topic, each with its original key."""
    return await kafka_io.produce(settings, "articles", [(letter.key, letter.payload) for letter in letters])
