"""`strikewatch`: the command line (broker, worker, serve, produce, alerts, dlq, replay, evaluate, demo)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from streams.settings import Settings

if TYPE_CHECKING:
    from streams.contracts import DeadLetter

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
    from streams.stage import new_event_loop
    settings = _settings(args)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    loop = new_event_loop(settings.event_loop)
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


def cmd_serve(args: argparse.Namespace) -> int:
    from streams.api.service import run_service
    from streams.broker import ensure_topics

    settings = Settings.from_env(
        bootstrap_servers=args.bootstrap, api_host=args.host, api_port=args.port, db_path=args.db
    )
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.WARNING)

    async def main() -> int:
        try:
            created = await ensure_topics(settings)
        except Exception as exc:  # a read-only account on a cluster: the topics exist or we wait for them
            log.warning("could not check the topics at %s: %r", settings.bootstrap_servers, exc)
        else:
            if created:
                log.info("created topics %s", ", ".join(created))
        return await run_service(settings)

    try:
        return asyncio.run(main())
    except OSError as exc:  # the port is taken, or the database's directory cannot be written
        print(f"strikewatch serve: {exc}", file=sys.stderr)
        return 2


# ---------------------------------------------------------------- produce


def cmd_produce(args: argparse.Namespace) -> int:
    from streams.kafka_io import produce, read_articles

    settings = _settings(args)
    messages = list(read_articles(args.file))
    count = asyncio.run(produce(settings, "articles", messages, progress=not args.quiet))
    print(f"produced {count} message(s) to {settings.topic('articles')}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- alerts


def cmd_alerts(args: argparse.Namespace) -> int:
    from streams.views import print_alerts

    settings = _settings(args)
    try:
        asyncio.run(
            print_alerts(
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


# ---------------------------------------------------------------- dead letters


def _load_dead_letters(args: argparse.Namespace, command: str) -> tuple[Settings, list[DeadLetter]] | None:
    """The dead letters that --reason and --since pick, oldest failure first; None (said on stderr) when
    an option is wrong or Kafka cannot be read."""
    from typing import get_args

    from streams.contracts import Reason
    from streams.dlq import parse_since, read_dead_letters, select

    settings = _settings(args)
    reason, since = getattr(args, "reason", None), getattr(args, "since", None)
    try:
        if reason is not None and reason not in get_args(Reason):
            raise ValueError(f"--reason {reason!r} is none of {', '.join(get_args(Reason))}")
        since_time = parse_since(since) if since else None
    except ValueError as exc:
        print(f"strikewatch {command}: {exc}", file=sys.stderr)
        return None
    topic = settings.topic("articles_dlq")
    try:
        found = asyncio.run(read_dead_letters(settings))
    except Exception as exc:
        print(f"strikewatch {command}: cannot read {topic} at {settings.bootstrap_servers}: {exc!r}", file=sys.stderr)
        return None
    for partition, offset, why in found.foreign:
        print(f"strikewatch {command}: not a dead letter at {topic}[{partition}]@{offset}: {why}", file=sys.stderr)
    chosen = select(found.letters, reason=reason, since=since_time)
    print(f"{len(chosen)} of {len(found.letters)} dead letters on {topic} match", file=sys.stderr)
    return settings, chosen


def cmd_dlq(args: argparse.Namespace) -> int:
    from streams.dlq import format_dead_letter, select

    loaded = _load_dead_letters(args, "dlq")
    if loaded is None:
        return 2
    _, letters = loaded
    for letter in select(letters, limit=args.limit):
        if args.json:
            print(orjson.dumps(letter.record).decode("utf-8"), flush=True)
        else:
            print(format_dead_letter(letter), flush=True)
    return 0


def cmd_dlq_replay(args: argparse.Namespace) -> int:
    from streams.dlq import format_dead_letter, not_replayable, replay, summary

    loaded = _load_dead_letters(args, "dlq replay")
    if loaded is None:
        return 2
    settings, letters = loaded
    ready = []
    for letter in letters:
        why = not_replayable(letter)
        if why is not None:
            print(f"skip ({why}): {format_dead_letter(letter)}", flush=True)
            continue
        ready.append(letter)
        if args.dry_run:
            print(f"would replay: {format_dead_letter(letter)}", flush=True)
    target = settings.topic("articles")
    if args.dry_run:
        print(f"dry run: would replay {summary(ready)} to {target}; nothing sent", flush=True)
        return 0
    asyncio.run(replay(settings, ready))
    print(f"replayed {summary(ready)} to {target}", flush=True)
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

    return run_demo(
        port=args.port, web_port=args.web_port, exit_when_done=args.exit_when_done, api_port=args.api_port
    )


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

    p = sub.add_parser(
        "serve", help="read strike-events and alerts into SQLite; serve the API and the map page over HTTP"
    )
    p.add_argument("--host", help="override STRIKEWATCH_API_HOST")
    p.add_argument("--port", type=int, help="override STRIKEWATCH_API_PORT")
    p.add_argument("--db", help="override STRIKEWATCH_DB_PATH")
    p.add_argument("--bootstrap", help="override STRIKEWATCH_BOOTSTRAP_SERVERS")
    p.set_defaults(func=cmd_serve)

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

    p = sub.add_parser("dlq", help="list dead letters (reason, origin, preview); 'dlq replay' re-produces them")
    p.add_argument("--reason", help="only this reason (not_json, schema_violation, ...)")
    p.add_argument("--since", help="only letters that failed at or after this ISO time (no offset: UTC)")
    p.add_argument("--limit", type=int, help="only the latest N that match")
    p.add_argument("--json", action="store_true", help="print each dead-letter record as JSON")
    p.add_argument("--bootstrap", help="override STRIKEWATCH_BOOTSTRAP_SERVERS")
    p.set_defaults(func=cmd_dlq)
    dlq_sub = p.add_subparsers(dest="dlq_command", metavar="[replay]")
    r = dlq_sub.add_parser(
        "replay", help="re-produce the original payloads (and keys) to the articles topic",
        description="Re-produce dead-lettered articles to the articles topic with their original keys. "
        "Idempotent downstream: an article already merged changes nothing and raises no alert.",
    )
    # SUPPRESS: an option given before 'replay' ('dlq --reason R replay') is not reset by the default here
    r.add_argument("--reason", default=argparse.SUPPRESS, help="only this reason")
    r.add_argument("--since", default=argparse.SUPPRESS, help="only letters that failed at or after this ISO time")
    r.add_argument("--dry-run", action="store_true", help="list what would be replayed; send nothing")
    r.add_argument("--bootstrap", default=argparse.SUPPRESS, help="override STRIKEWATCH_BOOTSTRAP_SERVERS")
    r.set_defaults(func=cmd_dlq_replay)

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

    p = sub.add_parser("demo", help="embedded broker + worker + read service + sample articles, printing alerts")
    p.add_argument("--port", type=int, default=9092, help="broker port (default 9092)")
    p.add_argument("--web-port", type=int, default=6066, help="worker web port (default 6066)")
    p.add_argument("--api-port", type=int, default=8080, help="port of the map page and events API (default 8080)")
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
