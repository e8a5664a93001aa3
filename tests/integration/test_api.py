"""`strikewatch serve` against the embedded broker and a real SQLite file.

Events and alerts are produced straight to the strike-events and alerts topics in the schemas' shape
(one test runs a worker on articles instead). The service is a real subprocess; a restart on the
same database goes on where it stopped, and one on a fresh database rebuilds the same answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shlex
import shutil
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from streams.broker import ensure_topics
from streams.contracts import SCHEMA_DIR
from streams.settings import Settings
from tests.api.factory import make_alert, make_event
from tests.integration import conftest as harness
from tests.integration.conftest import ServeFactory, WorkerFactory, metric_value, produce_json

pytestmark = pytest.mark.integration


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    async with session.get(url) as response:
        return response.status, await response.json(content_type=None)


@contextlib.asynccontextmanager
async def alert_stream(session: aiohttp.ClientSession, web: str) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
    """The alerts that reach /api/alerts/stream while the block runs."""
    received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    async with session.get(f"{web}/api/alerts/stream", timeout=aiohttp.ClientTimeout(total=None)) as response:
        assert response.status == 200
        await response.content.readuntil(b"\n\n")  # retry: and a comment, sent once subscribed

        async def read() -> None:
            while True:
                frame = (await response.content.readuntil(b"\n\n")).decode("utf-8")
                data = [line[6:] for line in frame.splitlines() if line.startswith("data: ")]
                if data:
                    received.put_nowait(orjson.loads(data[0]))

        reader = asyncio.create_task(read())
        try:
            yield received
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader


async def test_serve_answers_streams_and_rebuilds_from_the_topics(
    broker: str, tmp_path: Path, serve_factory: ServeFactory
) -> None:
    env = harness.worker_env(broker, tmp_path)
    settings = Settings.from_env(env)
    await ensure_topics(settings)
    kharkiv_v1 = make_event("ev_kharkiv", 1, killed=2)
    kharkiv_v2 = make_event("ev_kharkiv", 2, killed=5)
    dnipro = make_event("ev_dnipro", 1, killed=40, settlement="Dnipro", admin1="Dnipropetrovsk Oblast",
                        lat=48.45, lon=35.04, date="2023-01-14", weapons=["missile"])
    await produce_json(settings, "events", [kharkiv_v1, dnipro, kharkiv_v2, b"this is not json"])
    await produce_json(settings, "alerts", [make_alert(kharkiv_v1), make_alert(dnipro),
                                       make_alert(kharkiv_v2, "casualties_rose", ["killed: exact 2 -> exact 5"])])

    first = await asyncio.to_thread(serve_factory.start, env, tmp_path / "one" / "events.sqlite3")
    async with aiohttp.ClientSession() as session:
        # Ready means caught up: everything produced before the start is there.
        status, page = await get(session, f"{first.web}/api/events")
        assert status == 200
        assert [e["event_id"] for e in page["events"]] == ["ev_kharkiv", "ev_dnipro"]
        status, event = await get(session, f"{first.web}/api/events/ev_kharkiv")
        assert status == 200 and event["version"] == 2
        assert [(h["version"], h["killed"]["value"]) for h in event["history"]] == [(1, 2), (2, 5)]
        assert event["sources"][0]["evidence"] and len(event["alerts"]) == 2
        status, page = await get(session, f"{first.web}/api/events?settlement=dnipro&min_killed=10")
        assert [e["event_id"] for e in page["events"]] == ["ev_dnipro"]
        status, body = await get(session, f"{first.web}/api/events?since=2023-02-31")
        assert status == 400 and body["parameter"] == "since"
        status, body = await get(session, f"{first.web}/api/events/ev_nothing")
        assert status == 404
        status, geo = await get(session, f"{first.web}/api/events.geojson?attacker=RU")
        assert status == 200 and len(geo["features"]) == 2
        async with session.get(f"{first.web}/metrics") as response:
            metrics = await response.text()
        assert metric_value(metrics, "strikewatch_api_records_consumed_total", topic="events", outcome="bad") == 1
        assert metric_value(metrics, "strikewatch_api_ready") == 1

        # A new event and its alert: the stream hands the alert on, and the event is there by then, even
        # when the alert is read first (the service holds it until its event version is stored).
        async with alert_stream(session, first.web) as alerts:
            odesa = make_event("ev_odesa", 1, killed=3, settlement="Odesa", admin1="Odesa Oblast",
                               lat=46.48, lon=30.72, date="2023-07-23")
            await produce_json(settings, "alerts", [make_alert(odesa)])
            await asyncio.sleep(0.5)
            await produce_json(settings, "events", [odesa])
            alert = await asyncio.wait_for(alerts.get(), timeout=15)
            assert alert["alert_id"] == "ev_odesa:v1"
            status, event = await get(session, f"{first.web}/api/events/ev_odesa")
            assert status == 200 and event["version"] == 1
    before = await snapshot(first.web)
    assert len(before.page["events"]) == 3
    assert stored(before.metrics) == 4
    first.stop()

    # The same database: it goes on from its offsets, reading nothing again.
    again = await asyncio.to_thread(serve_factory.start, env, tmp_path / "one" / "events.sqlite3")
    after = await snapshot(again.web)
    assert (after.page, after.kharkiv) == (before.page, before.kharkiv)
    assert stored(after.metrics) == 0
    again.stop()

    # A fresh replica rebuilds the same answers from the topics.
    fresh = await asyncio.to_thread(serve_factory.start, env, tmp_path / "two" / "events.sqlite3")
    rebuilt = await snapshot(fresh.web)
    assert (rebuilt.page, rebuilt.kharkiv) == (before.page, before.kharkiv)
    assert stored(rebuilt.metrics) == 4


@dataclass
class Snapshot:
    page: dict[str, Any]
    kharkiv: dict[str, Any]
    metrics: str


async def snapshot(web: str) -> Snapshot:
    """The first page of events, the Kharkiv event in full, and the service's metrics."""
    async with aiohttp.ClientSession() as session:
        _, page = await get(session, f"{web}/api/events")
        _, kharkiv = await get(session, f"{web}/api/events/ev_kharkiv")
        async with session.get(f"{web}/metrics") as response:
            metrics = await response.text()
    return Snapshot(page, kharkiv, metrics)


def stored(metrics: str) -> float:
    return metric_value(metrics, "strikewatch_api_records_consumed_total", topic="events", outcome="stored")


async def test_articles_through_a_worker_reach_the_api(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory, serve_factory: ServeFactory
) -> None:
    env = harness.worker_env(broker, tmp_path)
    await asyncio.to_thread(worker_factory, env)
    served = await asyncio.to_thread(serve_factory.start, env, tmp_path / "events.sqlite3")
    article = (SCHEMA_DIR / "examples" / "article.json").read_bytes()

    async with aiohttp.ClientSession() as session:
        async with alert_stream(session, served.web) as alerts:
            await harness.produce_raw(Settings.from_env(env), [article])
            alert = await asyncio.wait_for(alerts.get(), timeout=30)
        assert alert["kind"] == "new_strike"
        _, page = await get(session, f"{served.web}/api/events")
        assert [e["event_id"] for e in page["events"]] == [alert["event_id"]]
        status, event = await get(session, f"{served.web}/api/events/{alert['event_id']}")
        assert status == 200
        assert event["sources"][0]["article_id"] == orjson.loads(article)["id"]
        assert [a["alert_id"] for a in event["alerts"]] == [alert["alert_id"]]


def readme_curls() -> list[str]:
    """The curl example of every endpoint row of the README's API table."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    return re.findall(r"^\| `GET [^|]+\|[^\n]*\| `(curl [^`]+)` \|$", readme, re.M)


async def test_every_readme_curl_example_answers(broker: str, tmp_path: Path, serve_factory: ServeFactory) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    commands = readme_curls()
    assert len(commands) == 7, commands
    event_id = next(m.group(1) for c in commands if (m := re.search(r"/api/events/(\w+)", c)))
    env = harness.worker_env(broker, tmp_path)
    settings = Settings.from_env(env)
    await ensure_topics(settings)
    await produce_json(settings, "events", [make_event(event_id, 1, killed=3, country="UA", date="2023-01-14")])
    served = await asyncio.to_thread(serve_factory.start, env, tmp_path / "events.sqlite3")
    for command in commands:
        args = shlex.split(command.replace("127.0.0.1:8080", f"127.0.0.1:{served.web_port}"))
        stream = "-N" in args
        args = [curl, *args[1:], "-s", "-o", "/dev/null", "-w", "%{http_code}"]
        if stream:
            args += ["--max-time", "2"]
        done = await asyncio.to_thread(subprocess.run, args, capture_output=True, text=True, timeout=30)
        assert done.returncode == (28 if stream else 0), (command, done.stderr)  # 28: the stream ran until cut
        assert done.stdout == "200", (command, done.stdout)
