"""The read service in process: the aiohttp app over a real SQLite file filled directly, no Kafka."""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import CollectorRegistry

from streams.api.ingest import AlertHub, IngestState
from streams.api.metrics import build_api_metrics
from streams.api.store import Record, Store
from streams.api.web import Api, build_web_app
from tests.api.factory import make_alert, make_event


@dataclass
class Served:
    client: TestClient
    store: Store
    state: IngestState
    hub: AlertHub


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    store = Store(tmp_path / "events.sqlite3")
    store.open()
    kharkiv = make_event("ev_kharkiv", 2, killed=2)
    dnipro = make_event(
        "ev_dnipro", 1, killed=40, settlement="Dnipro", admin1="Dnipropetrovsk Oblast", lat=48.45, lon=35.04,
        date="2023-01-14", weapons=["missile"],
    )
    unlocated = make_event("ev_nowhere", 1, killed=None, settlement=None, admin1=None, lat=None, lon=None,
                           precision="country", date=None)
    records = [make_event("ev_kharkiv", 1, killed=1), kharkiv, dnipro, unlocated]
    store.apply([Record("event", "t.strike-events", 0, i, e) for i, e in enumerate(records)])
    store.apply([Record("alert", "t.alerts", 0, 0, make_alert(kharkiv))])
    state, hub = IngestState(ready=False), AlertHub()
    readers = ThreadPoolExecutor(max_workers=2)
    api = Api(store, state, hub, build_api_metrics(CollectorRegistry()), readers)
    async with TestClient(TestServer(build_web_app(api))) as client:
        yield Served(client, store, state, hub)
    readers.shutdown(wait=True)
