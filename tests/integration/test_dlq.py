"""`strikewatch dlq` and `dlq replay` against a real worker: list, dry run, replay, and replay is idempotent."""

from __future__ import annotations

import asyncio
import base64
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams import kafka_io
from streams.contracts import Origin, dead_letter
from tests.integration.conftest import WorkerFactory, WorkerProcess, metric_value, read_topic, worker_env

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "streams.cli"]

NOT_JSON = b"this is not json"
NO_TEXT = b'{"id": "no-text", "url": "https://news.example.org/empty"}'  # neither title nor text


def good_article() -> bytes:
    """The schema example, dated by day only: before published_at was read tolerantly, a dead letter."""
    article = orjson.loads((REPO / "schemas" / "examples" / "article.date-only.json").read_bytes())
    return orjson.dumps(article)


def cli(worker: WorkerProcess, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*CLI, *args], env=worker.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def articles_on_topic(worker: WorkerProcess) -> Counter[tuple[bytes | None, bytes]]:
    records = asyncio.run(kafka_io.read_to_end(worker.settings, "articles"))
    return Counter((r.key, r.value) for r in records)


def wait_for_metric(worker: WorkerProcess, name: str, at_least: float, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if metric_value(worker.metrics(), name) >= at_least:
            return
        time.sleep(0.2)
    raise AssertionError(f"{name} < {at_least} after {timeout} s")


def test_dead_letters_are_listed_replayed_exactly_and_a_replayed_article_alerts_once(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory
) -> None:
    worker = worker_factory(worker_env(broker, tmp_path))
    settings = worker.settings
    good = good_article()
    sent = [(b"bad-1", NOT_JSON), (b"good-1", good), (None, NO_TEXT)]
    asyncio.run(kafka_io.produce(settings, "articles", sent))
    asyncio.run(read_topic(settings, "articles_dlq", until=lambda v: len(v) >= 2))
    alerts = asyncio.run(read_topic(settings, "alerts", until=lambda v: len(v) >= 1))
    assert [a["kind"] for a in alerts] == ["new_strike"] and alerts[0]["settlement"] == "Kharkiv"
    assert metric_value(worker.metrics(), "strikewatch_articles_published_at_total", quality="date_only") == 1

    # list: each dead letter with its reason, origin and original payload
    listed = [orjson.loads(line) for line in cli(worker, "dlq", "--json").stdout.splitlines()]
    by_reason = {d["reason"]: d for d in listed}
    assert set(by_reason) == {"not_json", "schema_violation"}, listed
    assert base64.b64decode(by_reason["not_json"]["payload_b64"]) == NOT_JSON
    assert base64.b64decode(by_reason["not_json"]["key_b64"]) == b"bad-1"
    assert base64.b64decode(by_reason["schema_violation"]["payload_b64"]) == NO_TEXT
    assert by_reason["schema_violation"]["topic"] == settings.topic("articles")
    lines = cli(worker, "dlq", "--reason", "not_json").stdout.splitlines()
    assert len(lines) == 1 and "| not_json | extract |" in lines[0] and lines[0].endswith(NOT_JSON.decode())

    # a dry run sends nothing
    before = articles_on_topic(worker)
    assert sum(before.values()) == 3
    dry = cli(worker, "dlq", "replay", "--reason", "not_json", "--dry-run").stdout
    assert "would replay: " in dry and "dry run: would replay 1 dead letter (1 not_json)" in dry, dry
    assert articles_on_topic(worker) == before

    # a replay re-produces exactly the dead-lettered payloads, with their keys
    out = cli(worker, "dlq", "replay").stdout
    assert "replayed 2 dead letters (1 not_json, 1 schema_violation)" in out, out
    after = articles_on_topic(worker)
    assert after - before == Counter({(b"bad-1", NOT_JSON): 1, (None, NO_TEXT): 1})
    assert sum(after.values()) == 5

    # an article processed once and dead-lettered on a later delivery (an extraction failure that
    # went away): replaying it finds it merged into its event and re-emits that version's alert under
    # the same id (a consumer drops it), so no second alert id is raised
    record = dead_letter(
        reason="extract_error", detail="RuntimeError('transient')", stage="extract",
        origin=Origin(settings.topic("articles"), 0, 0, datetime.now(UTC), b"good-1"), payload=good,
        max_bytes=settings.max_message_bytes, now=datetime.now(UTC),
    )
    asyncio.run(kafka_io.produce(settings, "articles_dlq", [(b"good-1", orjson.dumps(record))]))
    out = cli(worker, "dlq", "replay", "--reason", "extract_error").stdout
    assert "replayed 1 dead letter (1 extract_error)" in out, out
    wait_for_metric(worker, "strikewatch_dedup_duration_seconds_count", 2)  # its report reached dedup
    alerts = asyncio.run(read_topic(settings, "alerts", until=lambda v: False, timeout=2.0))
    assert {(a["alert_id"], a["kind"]) for a in alerts} == {(alerts[0]["alert_id"], "new_strike")}, alerts
    assert metric_value(worker.metrics(), "strikewatch_events_updated_total") == 0
    # the replayed bad messages failed again, as they must: two more dead letters, nothing lost
    assert metric_value(worker.metrics(), "strikewatch_articles_consumed_total", outcome="dead_lettered") == 4
