"""`strikewatch`: the command line (broker, worker, produce, alerts, replay, evaluate, demo)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from streams.settings import Settings

log = logging.getLogger("strikewatch")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(bootstrap_servers=getattr(args, "bootstrap", None))


# ---------------------------------------------------------------- broker / worker


def cmd_broker(args: argparse.Namespace) -> int:
    from streams.broker import BrokerError, run_broker_forever

    settings = Settings.from_env()
    try:
        return run_broker_forever(args.port, settings)
    except BrokerError as exc:
        print(f"strikewatch broker: {exc}", file=sys.stderr)
        return 2


def cmd_worker(args: argparse.Namespace) -> int:
    import faust

    from streams.app import create_app
    from streams.broker import ensure_topics

    settings = _settings(args)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        created = loop.run_until_complete(ensure_topics(settings))
    except Exception as exc:
        print(f"strikewatch worker: cannot reach Kafka at {settings.bootstrap_servers}: {exc!r}", file=sys.stderr)
        return 2
    if created:
        log.info("created topics %s", ", ".join(created))
    worker = create_app(settings)
    faust_worker = faust.Worker(
        worker.app, loop=loop, loglevel=settings.log_level, quiet=True, redirect_stdouts=False
    )
    faust_worker.execute_from_commandline()
    return 0


# ---------------------------------------------------------------- produce


def read_articles(path: str) -> Iterator[tuple[bytes | None, bytes]]:
    """(key, value) pairs from a JSON array, one JSON object, or JSON lines (``-`` = stdin).

    A JSON-lines line that is not JSON is sent as it is: the worker dead-letters it.
    """
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    stripped = data.strip()
    try:
        document = orjson.loads(stripped) if stripped[:1] in (b"[", b"{") else None
    except orjson.JSONDecodeError:
        document = None
    if isinstance(document, list):
        for item in document:
            yield _key_of(item), orjson.dumps(item)
        return
    if isinstance(document, dict):
        yield _key_of(document), orjson.dumps(document)
        return
    for line in stripped.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError:
            item = None
        yield _key_of(item), line


def _key_of(item: Any) -> bytes | None:
    if isinstance(item, dict):
        key = item.get("id") or item.get("url")
        if isinstance(key, str):
            return key.encode("utf-8")
    return None


async def produce(settings: Settings, messages: Sequence[tuple[bytes | None, bytes]], progress: bool) -> int:
    from aiokafka import AIOKafkaProducer
    from tqdm import tqdm

    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        max_request_size=max(settings.max_message_bytes * 2, 1_048_576),
        linger_ms=5,
        **settings.kafka_client_kwargs(),
    )
    await producer.start()
    topic = settings.topic("articles")
    try:
        futures = []
        with tqdm(total=len(messages), unit="article", disable=not progress, file=sys.stderr) as bar:
            for key, value in messages:
                futures.append(await producer.send(topic, value=value, key=key))
                bar.update(1)
            for future in futures:
                await future
    finally:
        await producer.stop()
    return len(messages)


def cmd_produce(args: argparse.Namespace) -> int:
    settings = _settings(args)
    messages = list(read_articles(args.file))
    count = asyncio.run(produce(settings, messages, progress=not args.quiet))
    print(f"produced {count} message(s) to {settings.topic('articles')}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- alerts


def format_alert(alert: dict[str, Any]) -> str:
    """One line a duty officer can act on."""
    from streams.core.models import Alert

    a = Alert.from_dict(alert)
    place = ", ".join(p for p in (a.settlement, a.admin1, a.country) if p) or "unknown place"
    kind = {"new_strike": "NEW STRIKE", "casualties_rose": "TOLL RISE", "details_added": "DETAILS"}.get(
        a.kind, a.kind
    )

    def fig(f: Any, word: str) -> str:
        if f is None:
            return f"{word} ?"
        prefix = {"at_least": ">=", "more_than": ">", "about": "~", "vague": ">=", "exact": ""}[f.qualifier]
        return f"{word} {prefix}{f.value}"

    weapons = "/".join(w for w in a.weapons if w != "unknown") or "unknown weapon"
    parts = [
        f"[{kind}]",
        place,
        str(a.date or "date ?"),
        weapons,
        fig(a.killed, "killed"),
        fig(a.injured, "injured"),
        f"attacker {a.attacker}" + (f" ({a.attribution})" if a.attribution else ""),
        f"{a.source_count} source{'s' if a.source_count != 1 else ''}",
    ]
    line = " | ".join(parts)
    if a.changes:
        line += " | " + "; ".join(a.changes)
    return line + f" | {a.event_id} v{a.version}"


async def consume_alerts(
    settings: Settings, *, as_json: bool, from_beginning: bool, max_count: int | None, timeout: float | None
) -> int:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        enable_auto_commit=False,
        **settings.kafka_client_kwargs(),
    )
    await consumer.start()
    seen = 0
    try:
        topic = settings.topic("alerts")
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        if from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while max_count is None or seen < max_count:
            wait_ms = 500 if deadline is None else int(max(0.0, min(0.5, deadline - loop.time())) * 1000)
            if deadline is not None and loop.time() >= deadline:
                break
            batches = await consumer.getmany(timeout_ms=wait_ms)
            for messages in batches.values():
                for message in messages:
                    value = message.value or b""
                    if as_json:
                        print(value.decode("utf-8"), flush=True)
                    else:
                        try:
                            print(format_alert(orjson.loads(value)), flush=True)
                        except Exception as exc:  # a foreign message on the topic: show, don't die
                            print(f"[unreadable alert at offset {message.offset}: {exc!r}]", flush=True)
                    seen += 1
    finally:
        await consumer.stop()
    return seen


def cmd_alerts(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        asyncio.run(
            consume_alerts(
                settings,
                as_json=args.json,
                from_beginning=args.from_beginning,
                max_count=args.count,
                timeout=args.timeout,
            )
        )
    except KeyboardInterrupt:
        pass
    return 0


# ---------------------------------------------------------------- replay / evaluate


def cmd_replay(args: argparse.Namespace) -> int:
    from streams.offline import run_replay

    settings = Settings.from_env()
    summary = run_replay(Path(args.input), Path(args.reports_out), Path(args.events_out), settings)
    print(summary)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from streams.offline import run_evaluate

    if not args.gold and not args.ucdp:
        print("strikewatch evaluate: give --gold FILE and/or --ucdp FILE", file=sys.stderr)
        return 2
    outputs = []
    for position, gold in enumerate(args.gold or [None]):
        outputs.append(run_evaluate(
            Path(gold) if gold else None,
            ucdp=Path(args.ucdp) if args.ucdp and position == 0 else None,
            pool=Path(args.pool) if args.pool else None,
            pool_limit=args.pool_limit,
            as_json=args.json,
            what=args.what,
            split=args.split,
        ))
    if args.json and len(outputs) > 1:
        print("[" + ",\n".join(outputs) + "]")
    else:
        print("\n\n".join(outputs))
    return 0


# ---------------------------------------------------------------- demo


def cmd_demo(args: argparse.Namespace) -> int:
    from streams.demo import run_demo

    return run_demo(port=args.port, web_port=args.web_port, exit_when_done=args.exit_when_done)


# ---------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="strikewatch",
        description="News articles on Kafka in, deduplicated strike events and alerts out. "
        "Settings come from STRIKEWATCH_* environment variables (see README).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("broker", help="run the embedded development broker (Tansu, memory only)")
    p.add_argument("--port", type=int, default=9092, help="port on 127.0.0.1 (default 9092)")
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser("worker", help="run a stream worker (extract + dedup agents, /metrics, /ready)")
    p.add_argument("--bootstrap", help="override STRIKEWATCH_BOOTSTRAP_SERVERS")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("produce", help="produce articles from FILE (JSON, JSON array or JSON lines; - = stdin)")
    p.add_argument("file")
    p.add_argument("--bootstrap", help="override STRIKEWATCH_BOOTSTRAP_SERVERS")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_produce)

    p = sub.add_parser("alerts", help="print alerts as they arrive, one readable line each")
    p.add_argument("--json", action="store_true", help="print the alert JSON instead")
    p.add_argument("--from-beginning", action="store_true", help="start at the oldest alert")
    p.add_argument("--count", type=int, help="exit after this many alerts")
    p.add_argument("--timeout", type=float, help="exit after this many seconds")
    p.add_argument("--bootstrap", help="override STRIKEWATCH_BOOTSTRAP_SERVERS")
    p.set_defaults(func=cmd_alerts)

    p = sub.add_parser("replay", help="offline: the same core and dedup over a JSONL file, no Kafka")
    p.add_argument("--input", required=True, help="articles, one JSON object per line (Article schema)")
    p.add_argument("--reports-out", required=True)
    p.add_argument("--events-out", required=True)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("evaluate", help="score extraction and dedup against labelled reports")
    p.add_argument("--gold", action="append", default=[],
                   help="labelled reports (eval/dev_reports.jsonl format); repeat for several files")
    p.add_argument("--split", choices=("tune", "check"),
                   help="score one half of the day windows only (see streams/eval/splits.py)")
    p.add_argument("--ucdp", help="UCDP GED csv: cross-check extraction on its source headlines")
    p.add_argument("--pool", help="unlabelled RSS items to mix in for the dedup score")
    p.add_argument("--pool-limit", type=int, help="use only the first N pool items")
    p.add_argument("--what", choices=("all", "extraction", "clusters"), default="all")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("demo", help="embedded broker + worker + sample articles, printing alerts")
    p.add_argument("--port", type=int, default=9092, help="broker port (default 9092)")
    p.add_argument("--web-port", type=int, default=6066, help="worker web port (default 6066)")
    p.add_argument(
        "--exit-when-done", action="store_true", help="exit once every sample article is processed"
    )
    p.set_defaults(func=cmd_demo)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
