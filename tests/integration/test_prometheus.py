"""A real Prometheus scrapes a real worker: every dashboard and rule expression evaluates.

The test starts everything itself (the session's embedded broker, one worker, a Prometheus on a free
port with its own data directory, scrape and rule interval 1 s, deploy/prometheus/rules.yml loaded)
and stops it at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from streams.broker import free_port
from tests.deploy.promql import (
    PROMETHEUS_CONFIG,
    REPO,
    RULES,
    dashboard_exprs,
    load_dashboard,
    load_rules,
    rule_exprs,
    substitute_grafana_variables,
)
from tests.integration import conftest as harness
from tests.integration.conftest import WorkerFactory, WorkerProcess, metric_value, produce_raw

pytestmark = pytest.mark.integration


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing in CI: .ci/install-prometheus.sh must install it")
        pytest.skip(f"{tool} is not installed (bash .ci/install-prometheus.sh installs it)")
    return path


class Prometheus:
    """A Prometheus server in its own directory on 127.0.0.1:``port``."""

    def __init__(self, binary: str, workdir: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = workdir / "prometheus.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [
                binary,
                f"--config.file={workdir / 'prometheus.yml'}",
                f"--storage.tsdb.path={workdir / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def get(self, path: str, **params: str) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        try:
            with urllib.request.urlopen(f"{self.url}{path}{query}", timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:  # 400/422: a bad query; the body says why
            return json.loads(exc.read())

    def query(self, expr: str) -> dict[str, Any]:
        return dict(self.get("/api/v1/query", query=expr))

    def wait_until(self, what: str, check: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"prometheus exited with {self.process.returncode}:\n{self.log()}")
            try:
                if check():
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def prometheus_config(worker_port: int) -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml with fast intervals, this worker as the only target."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    config["global"].update(scrape_interval="1s", scrape_timeout="1s", evaluation_interval="1s")
    config["rule_files"] = [str(RULES)]
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "strikewatch"]
    job.pop("dns_sd_configs")
    job["static_configs"] = [{"targets": [f"127.0.0.1:{worker_port}"]}]
    config["scrape_configs"] = [job]
    return dict(config)


@pytest.fixture
def prometheus_factory(tmp_path: Path) -> Iterator[Callable[[WorkerProcess], Prometheus]]:
    binary = require("prometheus")
    started: list[Prometheus] = []

    def start(worker: WorkerProcess) -> Prometheus:
        workdir = tmp_path / f"prometheus-{len(started)}"
        workdir.mkdir()
        (workdir / "prometheus.yml").write_text(yaml.safe_dump(prometheus_config(worker.web_port)))
        server = Prometheus(binary, workdir, free_port())
        started.append(server)
        server.wait_until("prometheus /-/ready", lambda: _ok(f"{server.url}/-/ready"))
        return server

    yield start
    for server in started:
        server.stop()


def _ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return bool(response.status == 200)


def articles() -> list[bytes]:
    strike = json.loads((REPO / "schemas" / "examples" / "article.json").read_text())
    irrelevant = {
        "id": "prometheus-test-weather",
        "url": "https://news.example.org/weather",
        "title": "Sunny weekend ahead in Lviv",
        "text": "Forecasters expect warm weather and light winds across western Ukraine.",
        "published_at": "2023-12-31T08:00:00+00:00",
    }
    return [orjson.dumps(strike), orjson.dumps(irrelevant), b"this is not json", b'{"id": "no text"}']


def has_data(server: Prometheus, expr: str) -> bool:
    answer = server.query(expr)
    return answer["status"] == "success" and bool(answer["data"]["result"])


def test_every_dashboard_and_rule_expression_evaluates_against_a_live_worker(
    broker: str, tmp_path: Path, worker_factory: WorkerFactory,
    prometheus_factory: Callable[[WorkerProcess], Prometheus],
) -> None:
    worker = worker_factory(harness.worker_env(broker, tmp_path))
    server = prometheus_factory(worker)

    asyncio.run(produce_raw(worker.settings, articles()))

    def processed() -> bool:
        text = worker.metrics()
        consumed = sum(
            metric_value(text, "strikewatch_articles_consumed_total", outcome=o)
            for o in ("strike", "irrelevant", "dead_lettered")
        )
        return consumed >= 4 and metric_value(text, "strikewatch_alerts_total", kind="new_strike") >= 1

    server.wait_until("the worker to process the articles", processed)
    # Scraped after processing, with samples on both sides of the change for rate().
    server.wait_until("scrapes of the new alert", lambda: has_data(server, "strikewatch_alerts_total > 0"))
    server.wait_until("scrapes of the dead letters", lambda: has_data(server, "strikewatch_dead_letters_total"))
    server.wait_until(
        "the consumer lag gauge", lambda: has_data(server, "strikewatch_consumer_lag_messages"), timeout=30
    )
    time.sleep(3)

    targets = server.get("/api/v1/targets")["data"]["activeTargets"]
    assert [t["health"] for t in targets] == ["up"], targets

    dashboard = load_dashboard()
    exprs = dashboard_exprs(dashboard)
    assert exprs
    failures = []
    for where, expr in exprs:
        promql = substitute_grafana_variables(expr, dashboard, rate_interval="1m")
        answer = server.query(promql)
        if answer["status"] != "success":
            failures.append(f"{where}: {promql}\n  -> {answer.get('error')}")
        elif not answer["data"]["result"]:
            failures.append(f"{where}: {promql}\n  -> no data")
    assert not failures, "dashboard queries failed:\n" + "\n".join(failures)

    rules = rule_exprs(load_rules())
    for name, expr in rules:
        answer = server.query(expr)
        assert answer["status"] == "success", f"rule {name}: {answer.get('error')}"

    # The rules file is loaded and every rule evaluates without error.
    def rules_evaluated() -> bool:
        groups = server.get("/api/v1/rules")["data"]["groups"]
        loaded = [r for g in groups for r in g["rules"]]
        return len(loaded) == len(rules) and all(r.get("lastEvaluation", "").startswith("2") for r in loaded)

    server.wait_until("rule evaluation", rules_evaluated, timeout=15)
    loaded = [r for g in server.get("/api/v1/rules")["data"]["groups"] for r in g["rules"]]
    assert {r["name"] for r in loaded} == {name for name, _ in rules}
    assert all(r["health"] == "ok" for r in loaded), [(r["name"], r.get("lastError")) for r in loaded]
    # A healthy worker that just processed articles raises none of the page-worthy alerts.
    firing = {a["labels"]["alertname"] for a in server.get("/api/v1/alerts")["data"]["alerts"]}
    assert not firing & {"StrikeWatchWorkerDown", "StrikeWatchNoWorkers"}, firing


def test_worker_metrics_pass_promtool_check_metrics(broker: str, tmp_path: Path, worker_factory: WorkerFactory) -> None:
    promtool = require("promtool")
    worker = worker_factory(harness.worker_env(broker, tmp_path))
    asyncio.run(produce_raw(worker.settings, articles()))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = worker.metrics()
        if metric_value(text, "strikewatch_articles_consumed_total", outcome="dead_lettered") >= 2:
            break
        time.sleep(0.25)
    text = worker.metrics()
    # faust's Prometheus sensor is not installed (its per-message work is not paid): ours only
    assert "strikewatch_alert_latency_seconds_bucket" in text and "\nfaust_" not in text
    checked = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60
    )
    report = (checked.stdout + checked.stderr).strip()
    assert checked.returncode == 0 and not report, f"promtool check metrics reported:\n{report}"
