"""`strikewatch demo`: embedded broker + one worker + the bundled sample articles, printing alerts."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from importlib import resources
from pathlib import Path

from streams.broker import ensure_topics, start_broker
from streams.settings import Settings


def sample_path() -> Path:
    return Path(str(resources.files("streams.samples") / "demo_articles.jsonl"))


def scrape(url: str, timeout: float = 1.0) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def metric_sum(text: str, name: str) -> float:
    """Sum of every sample of metric ``name`` in a Prometheus text exposition."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and (line[len(name)] in " {"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def wait_ready(web: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{web}/ready", timeout=1.0) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"worker not ready within {timeout:.0f} s")


def run_demo(port: int, web_port: int, exit_when_done: bool) -> int:
    from streams.cli import produce, read_articles

    workdir = Path(".demo")
    workdir.mkdir(exist_ok=True)
    broker = start_broker(port, log_path=workdir / "broker.log")
    bootstrap = broker.bootstrap
    print(f"embedded broker (Tansu, memory storage) on {bootstrap}", flush=True)
    env = {
        **os.environ,
        "STRIKEWATCH_BOOTSTRAP_SERVERS": bootstrap,
        "STRIKEWATCH_WEB_PORT": str(web_port),
        "STRIKEWATCH_PROFILE": "embedded",
        "STRIKEWATCH_DATA_DIR": str(workdir / "data"),
    }
    settings = Settings.from_env(env)
    asyncio.run(ensure_topics(settings))
    log = open(workdir / "worker.log", "wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    web = f"http://127.0.0.1:{web_port}"
    try:
        took = wait_ready(web, worker, timeout=30.0)
        print(f"worker ready in {took:.1f} s; metrics at {web}/metrics (logs in {workdir}/)", flush=True)
        messages = list(read_articles(str(sample_path())))
        asyncio.run(produce(settings, messages, progress=False))
        print(f"produced {len(messages)} sample messages (one is not JSON, one is a repeat); alerts:", flush=True)
        return asyncio.run(_follow(settings, web, len(messages), exit_when_done))
    except KeyboardInterrupt:
        return 0
    finally:
        worker.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=15)
        if worker.poll() is None:
            worker.kill()
        broker.stop()
        log.close()
        print("demo stopped", flush=True)


async def _follow(settings: Settings, web: str, expected: int, exit_when_done: bool) -> int:
    from streams.cli import consume_alerts

    alerts = asyncio.create_task(
        consume_alerts(settings, as_json=False, from_beginning=True, max_count=None, timeout=None)
    )
    try:
        done_since: float | None = None
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
            if exit_when_done and done_since is not None and time.monotonic() - done_since > 3.0:
                return 0
    finally:
        alerts.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await alerts
