"""The one settings object, read from the environment (prefix ``STRIKEWATCH_``) in one place.

Every field is documented in README.md's settings table; a test checks that table, the deploy files
and this class agree. Secrets are never printed (``repr`` hides them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

PREFIX = "STRIKEWATCH_"

Profile = Literal["embedded", "cluster"]


@dataclass(frozen=True)
class Settings:
    """Worker and CLI settings. The environment name of field ``x`` is ``STRIKEWATCH_X``."""

    # Where Kafka is: comma-separated host:port list.
    bootstrap_servers: str = "127.0.0.1:9092"
    # "embedded" tunes for the Tansu development broker; "cluster" for Apache Kafka.
    profile: Profile = "embedded"
    # faust app id = consumer group id; workers with the same id share partitions.
    app_id: str = "strikewatch"
    # Port of the worker's web server (/metrics, /ready).
    web_port: int = 6066
    web_host: str = "127.0.0.1"
    # Prefix put before every topic name (tests use a unique one per test).
    topic_prefix: str = ""
    topic_articles: str = "articles"
    topic_articles_dlq: str = "articles.dlq"
    topic_reports: str = "strike-reports"
    topic_events: str = "strike-events"
    topic_alerts: str = "alerts"
    # Partitions of the topics the worker creates; reports and the dedup table share theirs.
    partitions: int = 4
    replication_factor: int = 1
    # Messages larger than this many bytes are dead-lettered, unread.
    max_message_bytes: int = 1_048_576
    # Dedup: events close (leave state) this many days after their last update.
    event_window_days: float = 7.0
    # Dedup: an event no report can join any more leaves the state this many days later still, so that
    # a partition lagging behind the others by less than that gives the same events and ids.
    expiry_grace_days: float = 1.0
    # How often, in seconds, each worker asks its dedup partitions to close idle events.
    expiry_interval: float = 60.0
    # How often, in seconds, the worker checks that the broker still has its topics and data.
    broker_check_interval: float = 2.0
    # Publish details_added alerts when a weapon or target becomes known.
    details_alerts: bool = False
    # Directory for faust table state (RocksDB or memory store bookkeeping).
    data_dir: str = ".strikewatch-data"
    # Consumer group session timeout and heartbeat, seconds. Defaults depend on the profile.
    session_timeout: float | None = None
    heartbeat_interval: float | None = None
    # Producer linger in milliseconds and max bytes per batch. Defaults depend on the profile.
    producer_linger_ms: float | None = None
    producer_max_batch_size: int | None = None
    # Send the last record of each partition of an agent batch alone, after the rest is written, so that
    # the partition's last producer batch holds one record (Tansu's end offsets stay exact). Defaults
    # depend on the profile.
    producer_seal_batches: bool | None = None
    # Longest time the stream consumer lets the broker hold an empty fetch, milliseconds.
    # Defaults depend on the profile (Tansu holds a fetch for the whole wait even when data arrives).
    fetch_max_wait_ms: int | None = None
    # The worker's event loop: "uvloop" (libuv; cheaper per callback and socket write) or "asyncio".
    event_loop: str = "uvloop"
    # How the articles are read: "plain" (an aiokafka consumer group of its own on a thread of its own,
    # streams/stage.py: batches sent, then committed; about 2x less CPU per firehose article) or "faust"
    # (a faust agent in the app's group, as the dedup stage is).
    extract_consumer: str = "plain"
    # The extract stage takes up to this many articles at a time (the faust agent waits at most
    # extract_batch_wait s to fill a batch; the plain consumer takes what a fetch holds).
    extract_batch_size: int = 100
    extract_batch_wait: float = 0.005
    # The dedup agent likewise: up to dedup_batch_size reports at a time, waiting at most dedup_batch_wait s.
    dedup_batch_size: int = 100
    dedup_batch_wait: float = 0.005
    # Test hook (the fault suite): "PARTITION:SECONDS" makes the dedup agent wait that long before each
    # report of that partition, a slow or stalled partition. Empty (the default): off.
    test_dedup_delay: str = ""
    # Diagnostic (the fault suite's --trace): the extract stage logs the partition:offset of every article
    # it has finished, so a lost article can be traced to the worker that skipped it. Off by default.
    test_trace_offsets: bool = False
    # Log level of the worker.
    log_level: str = "info"
    # Security for real clusters: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str | None = None
    sasl_password: str | None = field(default=None, repr=False)
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    # The read service (`strikewatch serve`): HTTP bind address and port, and its SQLite database,
    # rebuilt from the strike-events and alerts topics when missing.
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    db_path: str = ".strikewatch-api/events.sqlite3"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from ``environ`` (default ``os.environ``); ``overrides`` win over both."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, str(f.type), raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    @staticmethod
    def env_names() -> list[str]:
        return [PREFIX + f.name.upper() for f in fields(Settings)]

    def validate(self) -> None:
        if self.profile not in ("embedded", "cluster"):
            raise ValueError(f"{PREFIX}PROFILE must be embedded or cluster, not {self.profile!r}")
        if self.partitions < 1:
            raise ValueError(f"{PREFIX}PARTITIONS must be >= 1")
        if self.expiry_grace_days < 0:
            raise ValueError(f"{PREFIX}EXPIRY_GRACE_DAYS must be >= 0")
        if self.expiry_interval <= 0:
            raise ValueError(f"{PREFIX}EXPIRY_INTERVAL must be > 0")
        if self.broker_check_interval <= 0:
            raise ValueError(f"{PREFIX}BROKER_CHECK_INTERVAL must be > 0")
        self.dedup_delay()
        if self.event_loop not in ("uvloop", "asyncio"):
            raise ValueError(f"{PREFIX}EVENT_LOOP must be uvloop or asyncio, not {self.event_loop!r}")
        if self.extract_consumer not in ("plain", "faust"):
            raise ValueError(f"{PREFIX}EXTRACT_CONSUMER must be plain or faust, not {self.extract_consumer!r}")
        if self.extract_batch_size < 1 or self.extract_batch_wait <= 0:
            raise ValueError(f"{PREFIX}EXTRACT_BATCH_SIZE must be >= 1 and {PREFIX}EXTRACT_BATCH_WAIT > 0")
        if self.dedup_batch_size < 1 or self.dedup_batch_wait <= 0:
            raise ValueError(f"{PREFIX}DEDUP_BATCH_SIZE must be >= 1 and {PREFIX}DEDUP_BATCH_WAIT > 0")
        if self.max_message_bytes < 1024:
            raise ValueError(f"{PREFIX}MAX_MESSAGE_BYTES must be >= 1024")
        if not 0 <= self.api_port <= 65535:
            raise ValueError(f"{PREFIX}API_PORT must be a port number (0-65535)")
        if not self.db_path:
            raise ValueError(f"{PREFIX}DB_PATH must not be empty")

    def dedup_delay(self) -> tuple[int, float] | None:
        """(partition, seconds) of the ``test_dedup_delay`` hook, or None when it is off."""
        if not self.test_dedup_delay:
            return None
        partition, _, seconds = self.test_dedup_delay.partition(":")
        try:
            parsed = int(partition), float(seconds)
        except ValueError:
            parsed = (-1, -1.0)
        if parsed[0] < 0 or parsed[1] < 0:
            raise ValueError(f"{PREFIX}TEST_DEDUP_DELAY must be PARTITION:SECONDS, not {self.test_dedup_delay!r}")
        return parsed

    def topic(self, name: str) -> str:
        """Full name of topic ``name`` (one of articles, articles_dlq, reports, events, alerts)."""
        return self.topic_prefix + str(getattr(self, "topic_" + name))

    @property
    def extract_group(self) -> str:
        """The consumer group of the plain extract stage (the app id is the faust app's group)."""
        return f"{self.app_id}-extract"

    @property
    def effective_session_timeout(self) -> float:
        # Tansu holds each JoinGroup for half the session timeout: short sessions make joins fast.
        if self.session_timeout is not None:
            return self.session_timeout
        return 2.0 if self.profile == "embedded" else 30.0

    @property
    def effective_heartbeat_interval(self) -> float:
        if self.heartbeat_interval is not None:
            return self.heartbeat_interval
        return 0.5 if self.profile == "embedded" else 3.0

    @property
    def effective_max_batch_size(self) -> int:
        # Batches of many records: the agents send a batch's outputs together. On Tansu the batches are
        # sealed (producer_seal_batches) so that end offsets stay exact.
        if self.producer_max_batch_size is not None:
            return self.producer_max_batch_size
        return 262144 if self.profile == "embedded" else 16384

    @property
    def effective_producer_seal_batches(self) -> bool:
        # Tansu misreports a partition's end offset when its last batch holds several records, which
        # would make changelog recovery come back short; a sealed batch ends with a one-record batch.
        if self.producer_seal_batches is not None:
            return self.producer_seal_batches
        return self.profile == "embedded"

    @property
    def effective_linger_ms(self) -> float:
        if self.producer_linger_ms is not None:
            return self.producer_linger_ms
        return 0.0 if self.profile == "embedded" else 5.0

    @property
    def effective_fetch_max_wait_ms(self) -> int:
        if self.fetch_max_wait_ms is not None:
            return self.fetch_max_wait_ms
        return 20 if self.profile == "embedded" else 500

    def kafka_client_kwargs(self) -> dict[str, Any]:
        """Security options for plain aiokafka clients (CLI produce/alerts)."""
        kwargs: dict[str, Any] = {"security_protocol": self.security_protocol}
        if self.security_protocol.startswith("SASL"):
            kwargs.update(
                sasl_mechanism=self.sasl_mechanism,
                sasl_plain_username=self.sasl_username,
                sasl_plain_password=self.sasl_password,
            )
        if "SSL" in self.security_protocol:
            import ssl

            from aiokafka.helpers import create_ssl_context

            ctx: ssl.SSLContext = create_ssl_context(
                cafile=self.ssl_cafile, certfile=self.ssl_certfile, keyfile=self.ssl_keyfile
            )
            kwargs["ssl_context"] = ctx
        return kwargs


def _coerce(name: str, type_text: str, raw: str) -> Any:
    try:
        if "bool" in type_text:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if type_text.startswith("int"):
            return int(raw)
        if type_text.startswith("float"):
            return float(raw)
    except ValueError as exc:
        raise ValueError(f"{PREFIX}{name.upper()}={raw!r} is not a valid {type_text}") from exc
    return raw
