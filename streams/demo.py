"""`strikewatch demo`: embedded broker + one worker + the read service + the bundled sample articles,
printing alerts and the URL of the map page."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import orjson

from streams.broker import ensure_topics, start_broker
from streams.kafka_io import produce, read_articles
from streams.procs import metric_sum, scrape, stop_process, wait_ready
from streams.settings import Settings
from streams.views import print_alerts


def sample_path() -> Path:
    return Path(str(resources.files("streams.samples") / "demo_articles.jsonl"))


def run_demo(port: int, web_port: int, exit_when_done: bool, api_port: int = 8080) -> int:
    workdir = Path(".demo")
    workdir.mkdir(exist_ok=True)
    # The broker keeps nothing across restarts, so neither does the read service's database nor the
    # worker's data directory (faust's local state): every demo run starts from nothing.
    db_path = workdir / "api.sqlite3"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(workdir / "data", ignore_errors=True)
    broker = start_broker(port, log_path=workdir / "broker.log")
    bootstrap = broker.bootstrap
    print(f"embedded broker (Tansu, memory storage) on {bootstrap}", flush=True)
    env = {
        **os.environ,
        "STRIKEWATCH_BOOTSTRAP_SERVERS": bootstrap,
        "STRIKEWATCH_WEB_PORT": str(web_port),
        "STRIKEWATCH_PROFILE": "embedded",
        "STRIKEWATCH_DATA_DIR": str(workdir / "data"),
        "STRIKEWATCH_API_PORT": str(api_port),
        "STRIKEWATCH_DB_PATH": str(db_path),
    }
    settings = Settings.from_env(env)
    asyncio.run(ensure_topics(settings))
    log = open(workdir / "worker.log", "wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    web = f"http://127.0.0.1:{web_port}"
    serve_log = open(workdir / "serve.log", "wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "serve"], env=env, stdout=serve_log, stderr=subprocess.STDOUT
    )
    page = f"http://{settings.api_host}:{settings.api_port}/"
    try:
        took = wait_ready(web, worker, timeout=30.0)
        print(f"worker ready in {took:.1f} s; metrics at {web}/metrics (logs in {workdir}/)", flush=True)
        try:
            wait_ready(page.rstrip("/"), serve, timeout=30.0)
            print(f"map page and events API at {page} (open it in a browser; API description at {page}openapi.json)",
                  flush=True)
        except RuntimeError:
            print(f"the map page did not start (port {api_port} taken? try --api-port); see {workdir}/serve.log",
                  flush=True)
        messages = list(read_articles(str(sample_path())))
        asyncio.run(produce(settings, "articles", messages))
        print(f"produced {len(messages)} sample messages (one is not JSON, one is a repeat); alerts:", flush=True)
        return asyncio.run(_follow(settings, web, page, len(messages), exit_when_done))
    except KeyboardInterrupt:
        return 0
    finally:
        stop_process(serve, timeout=15)
        stop_process(worker, timeout=15)
        broker.stop()
        log.close()
        serve_log.close()
        print("demo stopped", flush=True)


async def _follow(settings: Settings, web: str, page: str, expected: int, exit_when_done: bool) -> int:
    alerts = asyncio.create_task(
        print_alerts(settings, as_json=False, from_beginning=True, max_count=None, timeout=None)
    )
    try:
        done_since: float | None = None
        map_shown = False
        while True:
            await asyncio.sleep(0.5)
            text = await asyncio.to_thread(scrape, f"{web}/metrics")
            consumed = metric_sum(text or "", "strikewatch_articles_consumed_total")
            if consumed >= expected and done_since is None:
                done_since = time.monotonic()
                dead = metric_sum(text or "", "strikewatch_dead_letters_total")
                print(
                    f"-- all {expected} messages processed ({int(dead)} dead-lettered to "
                    f"{settings.topic('articles_dlq')}); "
                    + ("exiting" if exit_when_done else "Ctrl-C stops the demo"),
                    flush=True,
                )
            if done_since is not None and not map_shown and time.monotonic() - done_since > 1.5:
                map_shown = True
                listed = await asyncio.to_thread(scrape, f"{page}api/events")
                count = len(orjson.loads(listed)["events"]) if listed else 0
                print(f"-- {count} events on the map at {page}", flush=True)
            if exit_when_done and done_since is not None and time.monotonic() - done_since > 3.0:
                return 0
    finally:
        alerts.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await alerts
