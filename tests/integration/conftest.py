"""Integration fixtures: a real embedded broker and real worker processes, started by the tests.

Each test gets a unique topic prefix and consumer group (app id), so tests never see each other's
messages even on one broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams import kafka_io, procs
from streams.broker import ensure_topics, free_port, start_broker
from streams.procs import scrape, stop_process
from streams.settings import Settings


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Bootstrap address of an embedded Tansu broker that lives for the test session."""
    log_path = tmp_path_factory.mktemp("broker") / "tansu.log"
    running = start_broker(free_port(), log_path=log_path)
    try:
        yield running.bootstrap
    finally:
        running.stop()


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    web_port: int
    env: dict[str, str]
    log_path: Path
    ready_after: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def web(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def settings(self) -> Settings:
        return Settings.from_env(self.env)

    def metrics(self) -> str:
        text = scrape(f"{self.web}/metrics", timeout=5)
        assert text is not None, f"no /metrics from {self.web}"
        return text

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 20.0) -> None:
        stop_process(self.process, timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def worker_env(bootstrap: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment of one test's workers: a unique prefix and app id on a shared broker."""
    tag = uuid.uuid4().hex[:10]
    env = {
        **os.environ,
        "STRIKEWATCH_BOOTSTRAP_SERVERS": bootstrap,
        "STRIKEWATCH_PROFILE": "embedded",
        "STRIKEWATCH_TOPIC_PREFIX": f"t{tag}.",
        "STRIKEWATCH_APP_ID": f"sw-test-{tag}",
        "STRIKEWATCH_DATA_DIR": str(tmp_path / f"data-{tag}"),
        "STRIKEWATCH_LOG_LEVEL": "info",
    }
    env.update(extra)
    return env


def wait_ready(worker: WorkerProcess, timeout: float = 60.0) -> float:
    try:
        return procs.wait_ready(worker.web, worker.process, timeout, describe=lambda: worker.log()[-4000:])
    except RuntimeError as exc:
        raise AssertionError(str(exc)) from None


WorkerFactory = Callable[..., WorkerProcess]


@pytest.fixture
def worker_factory(tmp_path: Path) -> Iterator[WorkerFactory]:
    """Start `strikewatch worker` subprocesses; each call waits for /ready. All are stopped after."""
    started: list[WorkerProcess] = []

    def start(env: dict[str, str], *, wait: bool = True, ready_timeout: float = 60.0) -> WorkerProcess:
        web_port = free_port()
        env = {**env, "STRIKEWATCH_WEB_PORT": str(web_port)}
        log_path = tmp_path / f"worker-{len(started)}-{web_port}.log"
        t0 = time.monotonic()
        # topics first, as the worker does, so that test clients never auto-create them
        asyncio.run(ensure_topics(Settings.from_env(env)))
        with open(log_path, "wb") as out:  # the child keeps its own descriptor
            process = subprocess.Popen(
                [sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
            )
        worker = WorkerProcess(process=process, web_port=web_port, env=env, log_path=log_path)
        started.append(worker)
        if wait:
            wait_ready(worker, ready_timeout)
            worker.ready_after = time.monotonic() - t0
        return worker

    yield start
    for worker in started:
        worker.stop()


async def produce_raw(settings: Settings, values: list[bytes], key: bytes | None = None) -> None:
    """Send ``values`` to the articles topic one at a time, each written before the next is sent."""
    async with kafka_io.producer(settings) as producer:
        for value in values:
            await producer.send_and_wait(settings.topic("articles"), value=value, key=key)


async def read_topic(
    settings: Settings, name: str, *, until: Callable[[list[dict]], bool], timeout: float = 30.0
) -> list[dict]:
    """Read topic ``name`` (a Settings topic name) from the beginning until ``until(values)``."""
    values: list[dict] = []
    if until(values):
        return values
    records = kafka_io.follow(settings, name, from_beginning=True, timeout=timeout)
    async with contextlib.aclosing(records):
        async for record in records:
            values.append(orjson.loads(record.value))
            if until(values):
                break
    return values


def metric_value(text: str, name: str, **labels: str) -> float:
    """Value of one sample (name + exact labels) in a Prometheus exposition; 0 when absent."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


class ServeFactory:
    """Starts `strikewatch serve` subprocesses (each waits for /ready); all are stopped after the test.

    A read service is a process with a web port and a log, as a worker is, so it is a WorkerProcess.
    """

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.started: list[WorkerProcess] = []

    def start(self, env: dict[str, str], db: Path, *, timeout: float = 30.0) -> WorkerProcess:
        port = free_port()
        env = {**env, "STRIKEWATCH_API_PORT": str(port), "STRIKEWATCH_DB_PATH": str(db)}
        log_path = self.tmp_path / f"serve-{len(self.started)}-{port}.log"
        with open(log_path, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "streams.cli", "serve"], env=env, stdout=out, stderr=subprocess.STDOUT
            )
        served = WorkerProcess(process=process, web_port=port, env=env, log_path=log_path)
        self.started.append(served)
        wait_ready(served, timeout)
        return served


@pytest.fixture
def serve_factory(tmp_path: Path) -> Iterator[ServeFactory]:
    factory = ServeFactory(tmp_path)
    yield factory
    for served in factory.started:
        served.stop()


async def produce_json(settings: Settings, topic: str, values: list[dict[str, Any] | bytes]) -> None:
    """Send each value to topic ``topic`` (a Settings topic name), each written before the next: a dict
    as JSON keyed by its ``event_id`` (as the worker keys events and alerts), bytes as they are."""
    async with kafka_io.producer(settings) as producer:
        for value in values:
            if isinstance(value, bytes):
                await producer.send_and_wait(settings.topic(topic), value=value)
            else:
                key = value["event_id"].encode("utf-8")
                await producer.send_and_wait(settings.topic(topic), value=orjson.dumps(value), key=key)
