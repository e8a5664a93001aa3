"""The README's commands, run as a user runs them."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer

from streams.broker import free_port
from streams.demo import sample_path

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "streams.cli"]


def test_help_lists_every_command() -> None:
    out = subprocess.run([*CLI, "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("broker", "worker", "serve", "produce", "alerts", "dlq", "replay", "evaluate", "demo"):
        assert command in out


def test_broker_creates_the_topics_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([*CLI, "broker", "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert f"127.0.0.1:{port}" in line and "articles.dlq" in line

        async def partitions() -> dict[str, int]:
            consumer = AIOKafkaConsumer(bootstrap_servers=f"127.0.0.1:{port}")
            await consumer.start()
            await asyncio.sleep(0.1)  # aiokafka 0.14: stop() right after start() raises CancelledError
            try:
                return {t: len(consumer.partitions_for_topic(t) or ()) for t in ("articles", "articles.dlq")}
            finally:
                await consumer.stop()

        assert asyncio.run(partitions()) == {"articles": 4, "articles.dlq": 1}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_broker_says_clearly_when_the_port_is_taken() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        done = subprocess.run([*CLI, "broker", "--port", str(port)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "already in use" in done.stderr


def test_demo_shows_alerts_and_the_map_and_exits_when_done() -> None:
    started = time.monotonic()
    api_port = free_port()
    done = subprocess.run(
        [*CLI, "demo", "--port", str(free_port()), "--web-port", str(free_port()), "--api-port", str(api_port),
         "--exit-when-done"],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "[NEW STRIKE]" in out and "Dnipro" in out
    assert "[TOLL RISE]" in out, out  # the Dnipro toll rose across the sample reports
    assert out.count("Dnipro") >= 2
    assert "1 dead-lettered" in out
    # the read service ran beside the worker: its page URL, and the demo's strikes on its map
    page = f"http://127.0.0.1:{api_port}/"
    assert f"map page and events API at {page}" in out
    shown = re.search(r"-- (\d+) events on the map at " + re.escape(page), out)
    assert shown and int(shown.group(1)) >= 4, out  # Dnipro, Chernihiv, Belgorod, Kharkiv
    assert time.monotonic() - started < 180


def test_replay_writes_reports_with_event_ids_and_final_events(tmp_path: Path) -> None:
    reports, events = tmp_path / "reports.jsonl", tmp_path / "events.jsonl"
    done = subprocess.run(
        [*CLI, "replay", "--input", str(sample_path()), "--reports-out", str(reports), "--events-out", str(events)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "skipped (not_json" in done.stderr
    report_rows = [orjson.loads(line) for line in reports.read_text().splitlines()]
    event_rows = [orjson.loads(line) for line in events.read_text().splitlines()]
    assert report_rows and all(r["event_id"] for r in report_rows)
    assert {r["event_id"] for r in report_rows} == {e["event_id"] for e in event_rows}
    dnipro = [e for e in event_rows if e["settlement"] == "Dnipro"]
    assert len(dnipro) == 1, "three Dnipro reports (one repeated) are one event"
    assert dnipro[0]["killed"]["value"] == 40
    assert len({s["article_id"] for s in dnipro[0]["sources"]}) == 3


def test_evaluate_prints_the_scores_as_json(shared_data: Path) -> None:
    done = subprocess.run(
        [*CLI, "evaluate", "--gold", str(shared_data / "eval" / "dev_reports.jsonl"),
         "--ucdp", str(shared_data / "ucdp" / "ucdp_ged_ukraine_2022_2023.csv"), "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = orjson.loads(done.stdout)
    assert {"extraction", "clusters_gold_reports", "clusters_extracted", "ucdp"} <= set(result)
    assert 0.0 <= result["clusters_extracted"]["pairwise_f1"] <= 1.0


def test_evaluate_needs_a_labelled_file() -> None:
    done = subprocess.run([*CLI, "evaluate"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--gold" in done.stderr
