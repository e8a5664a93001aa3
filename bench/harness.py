"""The harness side of the benchmarks: subprocesses (worker, faust floor, raw copier) and Kafka I/O.

The harness produces and reads in its own process; the system under test always runs in a subprocess,
so the ceiling, the floor and the worker are measured the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench.common import ROOT, cpu_of, rss_of
from streams.broker import free_port
from streams.procs import metric_sum, stop_process
from streams.settings import Settings

Message = tuple[bytes | None, bytes]


def unique_tag() -> str:
    return uuid.uuid4().hex[:10]


def worker_env(bootstrap: str, workdir: Path, tag: str, **extra: str) -> dict[str, str]:
    """Environment of one worker or floor process, as tests/integration/conftest.py builds it."""
    env = {
        **os.environ,
        "STRIKEWATCH_BOOTSTRAP_SERVERS": bootstrap,
        "STRIKEWATCH_PROFILE": "embedded",
        "STRIKEWATCH_TOPIC_PREFIX": f"b{tag}.",
        "STRIKEWATCH_APP_ID": f"sw-bench-{tag}",
        "STRIKEWATCH_DATA_DIR": str(workdir / f"data-{tag}"),
        "STRIKEWATCH_LOG_LEVEL": "info",
        "STRIKEWATCH_WEB_PORT": str(free_port()),
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    }
    env.update(extra)
    return env


def worker_command(profile_out: Path | None = None) -> list[str]:
    """`strikewatch worker` (the console script when installed, else ``python -m streams.cli``)."""
    if profile_out is not None:
        return [sys.executable, "-m", "cProfile", "-o", str(profile_out), "-m", "streams.cli", "worker"]
    script = Path(sys.executable).with_name("strikewatch")
    if script.exists():
        return [str(script), "worker"]
    return [sys.executable, "-m", "streams.cli", "worker"]


@dataclass
class Proc:
    """A process under test; ``started`` is time.monotonic() just before it was spawned."""

    process: subprocess.Popen[bytes]
    log_path: Path
    started: float
    web_port: int | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, n: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-n:]
        return ""

    def get(self, path: str, timeout: float = 2.0) -> tuple[int, str]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=timeout) as response:
            return int(response.status), response.read().decode("utf-8")

    def wait_ready(self, timeout: float = 90.0) -> float:
        """Seconds from spawn until GET /ready answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"process exited early:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                status, _ = self.get("/ready", timeout=1.0)
                if status == 200:
                    return time.monotonic() - self.started
            time.sleep(0.02)
        raise RuntimeError(f"not ready within {timeout} s:\n{self.log_tail()}")

    def wait_line(self, word: str, timeout: float = 30.0) -> float:
        """Seconds from spawn until ``word`` is printed on stdout (processes started with stdout=PIPE)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.1)
            if ready:
                line = self.process.stdout.readline()
                if word.encode() in line:
                    return time.monotonic() - self.started
                if not line and not self.alive():
                    break
        raise RuntimeError(f"no {word!r} within {timeout} s:\n{self.log_tail()}")

    def metric(self, name: str) -> float:
        _, text = self.get("/metrics", timeout=5.0)
        return metric_sum(text, name)

    def metrics_text(self) -> str:
        return self.get("/metrics", timeout=5.0)[1]

    def rss(self) -> int | None:
        return rss_of(self.pid)

    def cpu(self) -> float:
        """CPU seconds the process has used so far (all its threads)."""
        return cpu_of(self.pid) or 0.0

    def stop(self, timeout: float = 20.0) -> None:
        stop_process(self.process, timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()


def spawn(command: Sequence[str], env: dict[str, str], log_path: Path, *, pipe_stdout: bool = False) -> Proc:
    out = open(log_path, "wb")  # the child keeps its own copy of the descriptor
    started = time.monotonic()
    process = subprocess.Popen(
        list(command),
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE if pipe_stdout else out,
        stderr=out,
    )
    out.close()
    port = env.get("STRIKEWATCH_WEB_PORT")
    return Proc(process=process, log_path=log_path, started=started, web_port=int(port) if port else None)


def py_spy() -> str | None:
    """The py-spy sampler (a dev dependency) when installed."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def start_sampler(pid: int, out: Path) -> subprocess.Popen[bytes] | None:
    """Sample every thread of ``pid`` (CPU only, idle stacks left out) into ``out`` as collapsed stacks."""
    exe = py_spy()
    if exe is None:
        return None
    command = [exe, "record", "--pid", str(pid), "--format", "raw", "--threads", "--function", "--nonblocking",
               "--rate", "200", "-o", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_sampler(sampler: subprocess.Popen[bytes] | None) -> None:
    if sampler is None or sampler.poll() is not None:
        return
    sampler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
    try:
        sampler.wait(timeout=30)
    except subprocess.TimeoutExpired:
        sampler.kill()
        sampler.wait()


# ---------------------------------------------------------------- Kafka I/O


async def create_topics(bootstrap: str, topics: dict[str, int]) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [NewTopic(n, p, 1) for n, p in topics.items() if n not in existing]
        if wanted:
            await admin.create_topics(wanted)
    finally:
        await admin.close()


async def produce_all(bootstrap: str, topic: str, messages: Sequence[Message]) -> tuple[float, float]:
    """Send every message as fast as the producer takes them; (monotonic first send, all acked)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=256 * 1024)
    await producer.start()
    try:
        first = time.monotonic()
        futures = [await producer.send(topic, value=value, key=key) for key, value in messages]
        await asyncio.gather(*futures)
        return first, time.monotonic()
    finally:
        await producer.stop()


async def produce_steady(
    bootstrap: str, topic: str, messages: Sequence[Message], rate: float
) -> tuple[list[int], float]:
    """Send message i at start + i/rate, each with an explicit timestamp (ms); (timestamps, achieved rate)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await producer.start()
    stamps: list[int] = []
    try:
        futures = []
        start = time.monotonic()
        for i, (key, value) in enumerate(messages):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            ts = int(time.time() * 1000)
            stamps.append(ts)
            futures.append(await producer.send(topic, value=value, key=key, timestamp_ms=ts))
        await asyncio.gather(*futures)
        elapsed = time.monotonic() - start
    finally:
        await producer.stop()
    return stamps, len(messages) / elapsed if elapsed > 0 else float("nan")


@dataclass
class Reader:
    """Reads a topic from the beginning in the background; ``records`` are (key, value, timestamp ms)."""

    bootstrap: str
    topic: str
    records: list[tuple[bytes | None, bytes, int]] = field(default_factory=list)
    assigned: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    reached_at: float | None = None  # monotonic time the target count was reached

    async def run(self, target: int | None = None, timeout: float = 600.0) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100
        )
        await consumer.start()
        try:
            tps = [TopicPartition(self.topic, p) for p in sorted(consumer.partitions_for_topic(self.topic) or ())]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            self.assigned.set()
            deadline = time.monotonic() + timeout
            while not self.stop.is_set() and time.monotonic() < deadline:
                batches = await consumer.getmany(timeout_ms=100)
                for messages in batches.values():
                    self.records.extend((m.key, m.value or b"", m.timestamp) for m in messages)
                if target is not None and len(self.records) >= target:
                    self.reached_at = time.monotonic()
                    return
        finally:
            await consumer.stop()


async def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    """Whether ``predicate`` held within ``timeout`` s. A scrape that times out or fails counts as not yet:
    a worker busy loading the core's data on its first articles answers late on a loaded machine."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if await asyncio.to_thread(predicate):
                return True
        except OSError:  # urllib's timeouts and refused connections
            pass
        await asyncio.sleep(interval)
    return False


def settings_of(env: dict[str, str]) -> Settings:
    return Settings.from_env(env)
