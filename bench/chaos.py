"""The fault suite (`make chaos`; a short version runs inside `make test`): each case runs the same real
articles as a clean run on the embedded broker, with one kind of fault, and compares the outputs.

Cases: ``sigkill`` (a worker SIGKILLed mid-stream, several times, restarted with the same app id),
``rebalance`` (a second and a third worker join and leave mid-stream), ``sigterm`` (a graceful stop
mid-stream), ``broker`` (the embedded broker killed and restarted empty under a running worker),
``slow`` (one dedup partition made slow by the ``STRIKEWATCH_TEST_DEDUP_DELAY`` hook) and
``malformed`` (malformed messages mixed with the real articles).

A case fails on: a report of the clean run missing (its article neither yielded it nor was
dead-lettered), a real article dead-lettered, a malformed message not dead-lettered, a worker that
exited on its own, or (in the cases that disturb the dedup state) a second ``new_strike`` under another
id for one strike of the clean run that the same report order without a fault does not give (the run's
reports replayed through the same dedup handler). Event ids that differ from the clean run's and alerts
sent again under the same id are figures, not failures (dedup is order-dependent today; consumers drop
repeated alert ids).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import random
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from bench.common import SHARED_DATA, read_jsonl
from bench.harness import Proc, spawn, unique_tag, worker_command, worker_env
from streams import kafka_io
from streams.app import block_partition
from streams.broker import EmbeddedBroker, ensure_topics, free_port, start_broker
from streams.contracts import Origin
from streams.eval.sources import gold_article, rss_article
from streams.handlers import SUMMARY_HEADER, Send, handle_report, handle_summary
from streams.offline import dedup_config
from streams.procs import http_status
from streams.settings import Settings

DEV_REPORTS = SHARED_DATA / "eval" / "dev_reports.jsonl"
STRIKE_POOL = SHARED_DATA / "news" / "rss_strike_pool_2022_2023.jsonl"
Message = tuple[bytes | None, bytes]
# Kafka timestamps are fixed (2024-01-01T00:00:00Z + i ms), so that an undated article resolves its
# relative dates alike in every run.
BASE_TS_MS = 1_704_067_200_000


# ---------------------------------------------------------------- input


def real_articles(pool: int) -> list[Message]:
    """The dev reports and the first ``pool`` usable items of the strike pool, as article JSON keyed by id."""
    out: list[Message] = []
    seen: set[str] = set()
    rows = [gold_article(row) for row in read_jsonl(DEV_REPORTS)]
    for item in read_jsonl(STRIKE_POOL):
        if len(rows) >= 65 + pool:
            break
        article = rss_article(item)
        if article is not None:
            rows.append(article)
    for article in rows:
        if article.id in seen:
            continue
        seen.add(article.id)
        out.append((article.id.encode("utf-8"), orjson.dumps(article.to_dict())))
    return out


def malformed(n: int, real: Sequence[Message], seed: int = 11, blobs: int = 5) -> list[Message]:
    """``n`` messages the worker must dead-letter: random bytes, a BOM, truncated JSON, arrays, empty
    text, wrong types, ``null``, 100 kB of ``[``, and ``blobs`` 1.2 MB blobs."""
    rng = random.Random(seed)
    samples = [value for _, value in real[:50]]

    def one(i: int) -> bytes:
        kind = i % 9
        article = rng.choice(samples)
        if kind == 0:
            return b"\xff" + rng.randbytes(rng.randint(1, 300))
        if kind == 1:
            return b"\xef\xbb\xbf" + article
        if kind == 2:
            return article[: rng.randint(1, len(article) - 2)]
        if kind == 3:
            return b"[" + article + b"]"
        if kind == 4:
            return orjson.dumps({"id": f"empty-{i}", "title": "", "text": ""})
        if kind == 5:
            return orjson.dumps({"id": i, "text": ["Russian missiles hit Kyiv"], "title": 5})
        if kind == 6:
            return b"null"
        if kind == 7:
            return rng.choice([b"42", b'"a string"', b"true", b"{}", b"[]"])
        return b"[" * 100_000 if i % 2 else b"[" * 5_000 + b"]" * 5_000  # too deep for the decoder

    out: list[Message] = [(None, one(i)) for i in range(n - blobs)]
    out += [(None, b'{"id": "blob", "text": "' + b"x" * 1_200_000 + b'"}') for _ in range(blobs)]
    return out


def mix(real: Sequence[Message], bad: Sequence[Message], seed: int = 7) -> list[Message]:
    """Malformed messages spread at random among the real articles, whose order is kept."""
    rng = random.Random(seed)
    slots = sorted(rng.randrange(len(real) + 1) for _ in bad)
    out: list[Message] = []
    j = 0
    for i, message in enumerate(real):
        while j < len(slots) and slots[j] <= i:
            out.append(bad[j])
            j += 1
        out.append(message)
    out.extend(bad[j:])
    return out


# ---------------------------------------------------------------- a run


@dataclass
class Outputs:
    """What one run left on the topics."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    #: (partition, key, value, whether it is a located-event summary) of the reports topic's records
    report_records: list[tuple[int, bytes | None, bytes, bool]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    dead: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: Outputs) -> None:
        self.reports += other.reports
        self.report_records += other.report_records
        self.events += other.events
        self.alerts += other.alerts
        self.dead += other.dead


async def collect(settings: Settings) -> Outputs:
    out = Outputs()
    for name, into in (("reports", out.reports), ("events", out.events), ("alerts", out.alerts),
                       ("articles_dlq", out.dead)):
        for record in await kafka_io.read_to_end(settings, name, timeout=120.0):
            if not record.value:  # ticks and re-seed markers of the dedup stream carry no value
                continue
            summary = any(key == SUMMARY_HEADER for key, _ in record.headers or ())
            if not summary:  # a summary of a located event is no report
                into.append(orjson.loads(record.value))
            if name == "reports":
                out.report_records.append((record.partition, record.key, record.value, summary))
    return out


async def produce_paced(settings: Settings, messages: Sequence[Message], rate: float | None,
                        progress: list[int], first: int = 0) -> None:
    """Send ``messages`` (Kafka timestamp BASE_TS_MS + index) at about ``rate`` a second (None: at once);
    ``progress[0]`` counts what was sent. One record per batch: Tansu misreports a partition's end offset
    when its last batch holds several, and ``drained`` compares end offsets."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, max_batch_size=1, linger_ms=0,
                                max_request_size=max(settings.max_message_bytes * 2, 1_048_576))
    await producer.start()
    try:
        started = time.monotonic()
        futures = []
        for i, (key, value) in enumerate(messages):
            if rate is not None:
                delay = started + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            futures.append(await producer.send(settings.topic("articles"), value=value, key=key,
                                               timestamp_ms=BASE_TS_MS + first + i))
            progress[0] = i + 1
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def _committed_to_end(settings: Settings, group: str, names: list[str]) -> bool:
    """Whether ``group`` has committed the end offset of every partition of topics ``names``."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    # a consumer with the group's id reads its committed offsets without joining the group
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=group, enable_auto_commit=False)
    try:
        await consumer.start()
        tps = [TopicPartition(n, p) for n in names for p in sorted(consumer.partitions_for_topic(n) or ())]
        ends = await consumer.end_offsets(tps)
        done = bool(tps)
        for tp, end in ends.items():
            if end and (await consumer.committed(tp) or 0) < end:
                done = False
                break
    except Exception:
        done = False
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()
    return done


async def drained(settings: Settings, *, timeout: float) -> float:
    """Seconds until the group has committed every articles and reports offset (twice in a row, a commit
    interval apart): every article processed and every report applied."""
    started = time.monotonic()
    # the articles are read by the extract stage's own group unless the faust agent reads them
    articles_group = settings.extract_group if settings.extract_consumer == "plain" else settings.app_id
    groups: dict[str, list[str]] = {articles_group: [settings.topic("articles")]}
    groups.setdefault(settings.app_id, []).append(settings.topic("reports"))  # one group for both by default
    streak = 0
    while time.monotonic() - started < timeout:
        done = True
        for group, names in groups.items():
            done = done and await _committed_to_end(settings, group, names)
        streak = streak + 1 if done else 0
        if streak >= 2:
            return time.monotonic() - started
        await asyncio.sleep(1.0)
    raise TimeoutError(f"group {settings.app_id} did not drain within {timeout:.0f} s")


class Run:
    """One run: a unique prefix and app id on a broker, its worker processes, its fault log."""

    def __init__(self, name: str, bootstrap: str, workdir: Path, **env: str) -> None:
        self.name = name
        self.tag = unique_tag()
        self.workdir = workdir
        self.env = worker_env(bootstrap, workdir, self.tag, **env)
        self.settings = Settings.from_env(self.env)
        self.procs: list[Proc] = []
        self.stopped: set[int] = set()  # pids we killed or stopped on purpose
        self.recover: list[float] = []  # seconds from each fault until a worker was ready again
        self.notes: list[str] = []
        self.failures: list[str] = []
        self.drain_s = 0.0  # seconds from the first article sent until drained

    def set_bootstrap(self, bootstrap: str) -> None:
        self.env["STRIKEWATCH_BOOTSTRAP_SERVERS"] = bootstrap
        self.settings = Settings.from_env(self.env)

    async def start_worker(self, **extra: str) -> Proc:
        env = {**self.env, "STRIKEWATCH_WEB_PORT": str(free_port()), **extra}
        log = self.workdir / f"{self.name}-{self.tag}-w{len(self.procs)}.log"
        proc = spawn(worker_command(), env, log)
        self.procs.append(proc)
        await asyncio.to_thread(proc.wait_ready, 120.0)
        return proc

    def signal(self, proc: Proc, sig: int) -> None:
        self.stopped.add(proc.pid)
        proc.process.send_signal(sig)

    async def stop(self, proc: Proc) -> None:
        self.stopped.add(proc.pid)
        await asyncio.to_thread(proc.stop)

    def live(self) -> list[Proc]:
        return [p for p in self.procs if p.alive()]

    def crashed(self) -> list[Proc]:
        return [p for p in self.procs if not p.alive() and p.pid not in self.stopped]

    async def close(self) -> None:
        for proc in self.procs:
            self.stopped.add(proc.pid)
            await asyncio.to_thread(proc.stop)


async def when_sent(progress: list[int], count: int) -> None:
    while progress[0] < count:
        await asyncio.sleep(0.05)


# ---------------------------------------------------------------- comparison


def _report_key(report: dict[str, Any]) -> tuple[str, int]:
    return str(report["article_id"]), int(report["index"])


def _latest(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["event_id"] not in latest or event["version"] > latest[event["event_id"]]["version"]:
            latest[event["event_id"]] = event
    return latest


def _report_events(events: list[dict[str, Any]]) -> dict[tuple[str, int], str]:
    """Report -> event id, from every version's sources (each version lists up to ten)."""
    owner: dict[tuple[str, int], str] = {}
    for event in events:
        for source in event.get("sources", ()):
            owner.setdefault((str(source["article_id"]), int(source["index"])), event["event_id"])
    return owner


def _creators(events: list[dict[str, Any]]) -> dict[str, tuple[str, int]]:
    """Event id -> the report that created it (the source of its first version)."""
    out: dict[str, tuple[str, int]] = {}
    for event in events:
        if event["version"] == 1 and event.get("sources"):
            source = event["sources"][0]
            out[event["event_id"]] = (str(source["article_id"]), int(source["index"]))
    return out


def replay(records: Sequence[tuple[int, bytes | None, bytes, bool]], settings: Settings,
           start: datetime | None = None) -> list[Send]:
    """What a worker that never failed sends for these reports, in the order the run's dedup stream got
    them (partition by partition, repeats included). Each report comes with its own clock, later than the
    one before, as in the worker: a report that fits two open events equally joins the one active last,
    so a replay that gave every report one clock would decide otherwise and blame the fault for it."""
    table: dict[bytes, bytes] = {}
    config, start = dedup_config(settings), start or datetime.now(UTC)
    sends: list[Send] = []
    for i, (partition, key, value, summary) in enumerate(records):
        origin = Origin(settings.topic("reports"), partition, i, None, key)
        now = start + timedelta(milliseconds=i)
        handle = handle_summary if summary else handle_report
        result = handle(table, value, origin, now=now, config=config, max_bytes=settings.max_message_bytes)
        for k, v in result.writes.items():
            if v is None:
                table.pop(k, None)
            else:
                table[k] = v
        sends += result.sends
    return sends


def replay_new_strikes(records: Sequence[tuple[int, bytes | None, bytes, bool]], settings: Settings) -> set[str]:
    """Event ids of the new_strike alerts of :func:`replay`: what the order alone explains."""
    alerts = [orjson.loads(send.value) for send in replay(records, settings) if send.topic == "alerts"]
    return {alert["event_id"] for alert in alerts if alert["kind"] == "new_strike"}


@dataclass
class Result:
    name: str
    what: str
    figures: dict[str, Any]
    failures: list[str]
    notes: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures


def sent_positions(messages: Sequence[Message], partitions: int) -> dict[str, tuple[int, int]]:
    """Article id -> (articles partition, offset) as ``produce_paced`` writes ``messages`` to a fresh topic (the
    producer's default partitioner, one record per send, in order)."""
    out: dict[str, tuple[int, int]] = {}
    next_offset: Counter[int] = Counter()
    for key, _ in messages:
        if key is None:
            continue
        partition = block_partition(key, partitions)
        out[key.decode("utf-8", "replace")] = (partition, next_offset[partition])
        next_offset[partition] += 1
    return out


def unfinished(log_lines: Sequence[str]) -> dict[int, list[int]]:
    """Articles offsets below the highest one finished in their partition that no worker's ``extract done``
    line (STRIKEWATCH_TEST_TRACE_OFFSETS) names: articles consumed without being processed."""
    done: dict[int, set[int]] = defaultdict(set)
    for line in log_lines:
        _, marker, offsets = line.partition("extract done ")
        if not marker:
            continue
        for item in offsets.split():
            partition, _, offset = item.partition(":")
            if partition.isdigit() and offset.isdigit():
                done[int(partition)].add(int(offset))
    return {p: missing for p, seen in done.items() if (missing := sorted(set(range(max(seen) + 1)) - seen))}


def compare(name: str, what: str, clean: Outputs, run: Outputs, real: Sequence[Message], bad: Sequence[Message],
            settings: Settings, drain_s: float, clean_drain_s: float, recover: list[float],
            judge_splits: bool = True) -> Result:
    failures: list[str] = []
    real_payloads = {value for _, value in real}
    dead_payloads = [base64.b64decode(d.get("payload_b64") or "") for d in run.dead]
    dead_real = sum(1 for p in dead_payloads if p in real_payloads)
    dead_ids: set[str] = set()
    for payload in dead_payloads:
        with contextlib.suppress(Exception):
            document = orjson.loads(payload)
            if isinstance(document, dict) and isinstance(document.get("id"), str):
                dead_ids.add(document["id"])
    clean_reports = {_report_key(r) for r in clean.reports}
    here_counts = Counter(_report_key(r) for r in run.reports)
    lost = sorted(k for k in clean_reports - set(here_counts) if k[0] not in dead_ids)
    extra = len(set(here_counts) - clean_reports)
    redelivered_reports = sum(c - 1 for c in here_counts.values())

    clean_latest, here_latest = _latest(clean.events), _latest(run.events)
    same_ids = len(clean_latest.keys() & here_latest.keys())
    owner = _report_events(clean.events)
    creators = _creators(run.events)
    new_strike_ids = Counter(a["alert_id"] for a in run.alerts if a["kind"] == "new_strike")
    alert_ids = Counter(a["alert_id"] for a in run.alerts)
    per_clean_event: dict[str, set[str]] = defaultdict(set)
    unmapped = 0
    for alert_id in new_strike_ids:
        event_id = alert_id.rsplit(":", 1)[0]
        creator = creators.get(event_id)
        clean_event = owner.get(creator) if creator else None
        if clean_event is None:
            unmapped += 1
            continue
        per_clean_event[clean_event].add(event_id)
    split = {c: sorted(ids) for c, ids in per_clean_event.items() if len(ids) > 1}
    second_new_strikes = sum(len(ids) - 1 for ids in split.values())
    # a split the same order gives without a fault is the order's (dedup is order-dependent today)
    in_order = replay_new_strikes(run.report_records, settings)
    by_fault = {c: ids for c, ids in split.items() if not set(ids) <= in_order}
    second_by_fault = sum(len(ids) - 1 for ids in by_fault.values())
    not_in_order = sorted({a.rsplit(":", 1)[0] for a in new_strike_ids} - in_order)

    bad_dead = len(run.dead) - dead_real
    reasons = Counter(d["reason"] for d in run.dead)
    if lost:
        where = sent_positions(real, settings.partitions) if not bad else {}  # keyless malformed ones spread
        articles = sorted({article for article, _ in lost})
        at = ", ".join(f"{a} at articles[{where[a][0]}]@{where[a][1]}" if a in where else a for a in articles[:5])
        # DEVLOG=1 and --workdir keep faust's own trace (records dropped, offsets committed) in the worker logs
        failures.append(f"{len(lost)} reports of the clean run lost, e.g. {lost[:3]}; their articles "
                        f"(partition@offset as sent): {at}")
    if dead_real:
        failures.append(f"{dead_real} real articles dead-lettered")
    if second_by_fault and judge_splits:
        failures.append(f"{second_by_fault} second new_strike alerts (other ids) for one clean-run strike that "
                        f"the same order without a fault does not give: {list(by_fault.items())[:2]}")
    if bad_dead < len(bad):
        failures.append(f"{len(bad) - bad_dead} of {len(bad)} malformed messages not dead-lettered")
    figures: dict[str, Any] = {
        "articles": f"{len(real)} real + {len(bad)} malformed",
        "reports": f"clean {len(clean_reports)}, here {len(here_counts)}: lost {len(lost)}, not in clean {extra}, "
                   f"sent again {redelivered_reports}",
        "events": f"clean {len(clean_latest)}, here {len(here_latest)}: same ids {same_ids}, "
                  f"ids differ {len(clean_latest) - same_ids} clean / {len(here_latest) - same_ids} here",
        "new_strike": f"{len(new_strike_ids)} ids ({sum(new_strike_ids.values())} sent); not traced to a clean "
                      f"event {unmapped}; ids the same order without a fault does not give {len(not_in_order)}",
        "second new_strike": f"{second_new_strikes} for one clean-run strike, of which the order alone gives "
                             f"{second_new_strikes - second_by_fault}, the fault {second_by_fault}",
        "alerts sent again (same id)": sum(c - 1 for c in alert_ids.values()),
        "dead letters": ", ".join(f"{r} {n}" for r, n in sorted(reasons.items())) or "none",
        "real articles dead-lettered": dead_real,
        "recover": (", ".join(f"{s:.1f}" for s in recover) + " s") if recover else "-",
        "drained": f"{drain_s:.1f} s (clean {clean_drain_s:.1f} s)",
    }
    return Result(name, what, figures, failures, [])


# ---------------------------------------------------------------- the suite


# Cases that disturb the dedup state (a worker dies, stops or hands partitions over, the broker loses the
# changelog): there a second new_strike the same order does not give is a failure. Elsewhere (a slow
# partition, malformed input) each report meets the state once, in topic order, so such an id can only be
# the replay's own inexactness (see README "Faults"), and it stays a figure.
STATE_FAULTS = frozenset({"sigkill", "rebalance", "sigterm", "broker"})


@dataclass
class Config:
    pool: int = 1500  # strike-pool articles besides the 65 dev reports
    rate: float = 150.0  # articles a second while faults happen
    kills: int = 3
    malformed: int = 10_000
    blobs: int = 5
    delay: float = 0.05  # seconds per report of the slow dedup partition
    cases: tuple[str, ...] = ("sigkill", "rebalance", "sigterm", "broker", "slow", "malformed")
    # workers log each article they finish (and faust its dev trace); a case fails on an offset none finished
    trace: bool = False


FULL = Config()
QUICK = Config(pool=135, rate=80.0, kills=1, malformed=1000, blobs=2, delay=0.05,
               cases=("sigkill", "sigterm", "broker", "malformed"))


class Suite:
    """The clean run and the cases, on an embedded broker the suite starts (the broker case starts its own)."""

    def __init__(self, config: Config, workdir: Path, print_fn: Callable[[str], None] = print) -> None:
        self.config = config
        self.workdir = workdir
        self.print = print_fn
        self.real = real_articles(config.pool)
        self.broker: EmbeddedBroker | None = None
        self.clean: Outputs | None = None
        self.clean_drain = 0.0

    def __enter__(self) -> Suite:
        self.broker = start_broker(free_port(), log_path=self.workdir / "tansu.log")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.broker is not None:
            self.broker.stop()

    @property
    def bootstrap(self) -> str:
        assert self.broker is not None
        return self.broker.bootstrap

    async def run_clean(self) -> Outputs:
        run = Run("clean", self.bootstrap, self.workdir)
        try:
            await ensure_topics(run.settings)
            await run.start_worker()
            await produce_paced(run.settings, self.real, None, [0])
            self.clean_drain = await drained(run.settings, timeout=600)
            self.clean = await collect(run.settings)
        finally:
            await run.close()
        self.print(f"clean run: {len(self.real)} articles -> {len(self.clean.reports)} reports, "
                   f"{len(_latest(self.clean.events))} events, {len(self.clean.alerts)} alerts, "
                   f"drained in {self.clean_drain:.1f} s")
        return self.clean

    async def case(self, name: str) -> Result:
        if self.clean is None:
            await self.run_clean()
        assert self.clean is not None
        trace = {"STRIKEWATCH_TEST_TRACE_OFFSETS": "1", "DEVLOG": "1"} if self.config.trace else {}
        run = Run(name, self.bootstrap, self.workdir, **trace)
        bad: list[Message] = []
        messages: Sequence[Message] = self.real
        if name == "malformed":
            bad = malformed(self.config.malformed, self.real, blobs=self.config.blobs)
            messages = mix(self.real, bad)
        driver: dict[str, Callable[[Run, Sequence[Message]], Awaitable[tuple[str, Outputs]]]] = {
            "sigkill": self._sigkill, "rebalance": self._rebalance, "sigterm": self._sigterm,
            "broker": self._broker, "slow": self._slow, "malformed": self._plain,
        }
        try:
            await ensure_topics(run.settings)
            what, outputs = await driver[name](run, messages)
            crashed = run.crashed()
            if crashed:
                run.failures.append(f"{len(crashed)} worker(s) exited on their own: {crashed[0].log_tail(800)}")
        finally:
            await run.close()
        result = compare(name, what, self.clean, outputs, self.real, bad, run.settings, run.drain_s,
                         self.clean_drain, run.recover, judge_splits=name in STATE_FAULTS)
        result.failures = run.failures + result.failures
        if self.config.trace and name != "broker":  # the broker case starts its offsets again
            logs = [p.read_text(errors="replace") for p in sorted(self.workdir.glob(f"{name}-{run.tag}-w*.log"))]
            missing = unfinished("\n".join(logs).splitlines())
            if missing:
                result.failures.append("articles no worker finished (partition: offsets; worker logs in "
                                       f"{self.workdir}): {dict(sorted(missing.items()))}")
        result.notes = run.notes
        self.show(result)
        return result

    async def _finish(self, run: Run, t0: float) -> Outputs:
        await drained(run.settings, timeout=600)
        run.drain_s = time.monotonic() - t0
        return await collect(run.settings)

    async def _plain(self, run: Run, messages: Sequence[Message]) -> tuple[str, Outputs]:
        proc = await run.start_worker()
        t0 = time.monotonic()
        await produce_paced(run.settings, messages, None, [0])
        outputs = await self._finish(run, t0)
        if not proc.alive():
            run.failures.append("the worker did not stay up")
        return f"{self.config.malformed:,} malformed messages mixed with the real articles", outputs

    async def _sigkill(self, run: Run, messages: Sequence[Message]) -> tuple[str, Outputs]:
        kills = self.config.kills
        proc = await run.start_worker()
        progress = [0]
        t0 = time.monotonic()
        producing = asyncio.create_task(produce_paced(run.settings, messages, self.config.rate, progress))
        for k in range(kills):
            await when_sent(progress, len(messages) * (k + 1) // (kills + 1))
            run.signal(proc, signal.SIGKILL)
            await asyncio.to_thread(proc.process.wait)
            fault = time.monotonic()
            proc = await run.start_worker()
            run.recover.append(time.monotonic() - fault)
        await producing
        return f"{kills} x SIGKILL mid-stream, restarted with the same app id", await self._finish(run, t0)

    async def _sigterm(self, run: Run, messages: Sequence[Message]) -> tuple[str, Outputs]:
        proc = await run.start_worker()
        progress = [0]
        t0 = time.monotonic()
        producing = asyncio.create_task(produce_paced(run.settings, messages, self.config.rate, progress))
        await when_sent(progress, len(messages) // 2)
        fault = time.monotonic()
        await run.stop(proc)
        run.notes.append(f"graceful stop took {time.monotonic() - fault:.1f} s, exit code {proc.process.returncode}")
        await run.start_worker()
        run.recover.append(time.monotonic() - fault)
        await producing
        # a graceful stop waits for what the agents took and commits it: nothing should come again (a figure)
        return "SIGTERM mid-stream (graceful), restarted with the same app id", await self._finish(run, t0)

    async def _rebalance(self, run: Run, messages: Sequence[Message]) -> tuple[str, Outputs]:
        await run.start_worker()
        progress = [0]
        t0 = time.monotonic()
        producing = asyncio.create_task(produce_paced(run.settings, messages, self.config.rate, progress))
        n = len(messages)
        await when_sent(progress, n // 5)
        second = await run.start_worker()
        await when_sent(progress, 2 * n // 5)
        third = await run.start_worker()
        await when_sent(progress, 3 * n // 5)
        fault = time.monotonic()
        await run.stop(second)
        run.recover.append(time.monotonic() - fault)
        await when_sent(progress, 4 * n // 5)
        fault = time.monotonic()
        await run.stop(third)
        run.recover.append(time.monotonic() - fault)
        await producing
        return ("a 2nd worker joins at 20%, a 3rd at 40%; the 2nd leaves (SIGTERM) at 60%, the 3rd at 80%",
                await self._finish(run, t0))

    async def _slow(self, run: Run, messages: Sequence[Message]) -> tuple[str, Outputs]:
        await run.start_worker(STRIKEWATCH_TEST_DEDUP_DELAY=f"0:{self.config.delay}")
        t0 = time.monotonic()
        await produce_paced(run.settings, messages, None, [0])
        return (f"dedup partition 0 slowed by {self.config.delay * 1000:.0f} ms a report "
                f"(STRIKEWATCH_TEST_DEDUP_DELAY)", await self._finish(run, t0))

    async def _broker(self, run: Run, messages: Sequence[Message]) -> tuple[str, Outputs]:
        """Half the input, then the broker is killed and restarted empty under the running worker, then the
        other half. The outputs are those read before the restart plus those after it."""
        port = free_port()
        broker = start_broker(port, log_path=self.workdir / "tansu-broker-case.log")
        try:
            run.set_bootstrap(broker.bootstrap)
            await ensure_topics(run.settings)
            proc = await run.start_worker()
            half = len(messages) // 2
            t0 = time.monotonic()
            await produce_paced(run.settings, messages[:half], None, [0])
            await drained(run.settings, timeout=600)
            before = await collect(run.settings)
            broker.process.kill()
            broker.process.wait()
            fault = time.monotonic()
            broker = start_broker(port, log_path=self.workdir / "tansu-broker-case.log")
            statuses: Counter[int | None] = Counter()
            ready_at = None
            while time.monotonic() - fault < 90:
                status = await asyncio.to_thread(http_status, f"http://127.0.0.1:{proc.web_port}/ready")
                statuses[status] += 1
                if status == 503:
                    ready_at = None
                if status == 200 and statuses[503] and ready_at is None:
                    ready_at = time.monotonic()
                if ready_at is not None and time.monotonic() - ready_at > 3:
                    break
                if not proc.alive():
                    break
                await asyncio.sleep(0.1)
            if not statuses[503]:
                run.failures.append("/ready never said 503 after the broker came back empty")
            if ready_at is None:
                run.failures.append(f"/ready not 200 again within 90 s ({dict(statuses)})")
            else:
                run.recover.append(ready_at - fault)
            log = proc.log_tail(1_000_000)
            lost_lines = [line for line in log.splitlines() if "lost its data" in line]
            if not lost_lines:
                run.failures.append("the worker did not log what was lost")
            else:
                run.notes.append("worker log: " + lost_lines[0].split("] ", 3)[-1][:400])
            await produce_paced(run.settings, messages[half:], None, [0], first=half)
            after = await self._finish(run, t0)
            before.extend(after)
            restarts = sum(1 for p in run.procs if p is not proc)
            run.notes.append(f"/ready answers after the restart: {dict(statuses)}; worker restarts: {restarts}")
            return "the embedded broker SIGKILLed and restarted empty at 50% under a running worker", before
        finally:
            broker.stop()

    def show(self, result: Result) -> None:
        self.print(f"\n[{'PASS' if result.passed else 'FAIL'}] {result.name}: {result.what}")
        for key, value in result.figures.items():
            self.print(f"    {key:<28} {value}")
        for note in result.notes:
            self.print(f"    note: {note}")
        for failure in result.failures:
            self.print(f"    FAILED: {failure}")


async def run_suite(config: Config, workdir: Path, print_fn: Callable[[str], None] = print) -> list[Result]:
    with Suite(config, workdir, print_fn) as suite:
        suite.print(f"fault suite: {len(suite.real)} real articles ({DEV_REPORTS.name} + {config.pool} of "
                    f"{STRIKE_POOL.name}), cases {', '.join(config.cases)}")
        await suite.run_clean()
        return [await suite.case(name) for name in config.cases]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the short version (small input, fewer cases)")
    parser.add_argument("--case", action="append", choices=FULL.cases, help="run only this case (repeatable)")
    parser.add_argument("--workdir", type=Path, help="keep logs here (default: a temporary directory)")
    parser.add_argument("--trace", action="store_true",
                        help="workers log every article offset they finish, faust its dev trace (DEVLOG); a case "
                             "fails on an article no worker finished (use with --workdir to keep the logs)")
    args = parser.parse_args(argv)
    if not (DEV_REPORTS.is_file() and STRIKE_POOL.is_file()):
        print(f"fault suite skipped: {SHARED_DATA} is absent (it needs {DEV_REPORTS.name} and {STRIKE_POOL.name})")
        return 0
    config = QUICK if args.quick else FULL
    if args.case:
        config = Config(**{**config.__dict__, "cases": tuple(args.case)})
    if args.trace:
        config = Config(**{**config.__dict__, "trace": True})
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        workdir = args.workdir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="chaos-")))
        workdir.mkdir(parents=True, exist_ok=True)
        results = asyncio.run(run_suite(config, workdir, lambda line: print(line, flush=True)))
    failed = [r.name for r in results if not r.passed]
    print(f"\nfault suite: {len(results) - len(failed)} of {len(results)} cases passed in "
          f"{time.monotonic() - started:.0f} s" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
