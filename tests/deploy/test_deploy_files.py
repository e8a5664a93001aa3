"""The files of deploy/ agree with the code: settings, metric names, images, ports, and promtool."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.settings import Settings
from tests.deploy.promql import (
    DASHBOARD_PROVIDERS,
    DATASOURCES,
    DEPLOY,
    PROMETHEUS_CONFIG,
    REPO,
    RULES,
    dashboard_exprs,
    dashboard_panels,
    known_metric_names,
    load_dashboard,
    load_rules,
    metric_names,
    our_metric_names,
    rule_exprs,
)

COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
K8S = DEPLOY / "k8s"
RULES_TEST = DEPLOY / "prometheus" / "rules.test.yml"
PROJECT_VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
SETTINGS = set(Settings.env_names())

# Variables of third-party images that our files set, per image repository (checked against their docs).
THIRD_PARTY_ENV = {
    "apache/kafka": {
        "CLUSTER_ID", "KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES", "KAFKA_CONTROLLER_QUORUM_VOTERS",
        "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
        "KAFKA_INTER_BROKER_LISTENER_NAME", "KAFKA_CONTROLLER_LISTENER_NAMES",
        "KAFKA_DEFAULT_REPLICATION_FACTOR", "KAFKA_MIN_INSYNC_REPLICAS",
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "KAFKA_AUTO_CREATE_TOPICS_ENABLE",
        "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "KAFKA_LOG_DIRS",
    },
    "grafana/grafana": {
        "GF_SECURITY_ADMIN_USER", "GF_SECURITY_ADMIN_PASSWORD", "GF_USERS_ALLOW_SIGN_UP",
        "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH",
    },
    "prom/prometheus": set(),
    # The interpreter's own variables, in our image (python:*-slim).
    "python": {"PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"},
}
# A pinned image: a version tag (optionally v-prefixed, optionally with a suffix), never latest.
PINNED = re.compile(r"^[a-z0-9./_-]+:v?\d+(\.\d+)+(-[A-Za-z0-9.-]+)?(@sha256:[0-9a-f]{64})?$")


# ------------------------------------------------------------------ loading


def yaml_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.suffix in (".yml", ".yaml"))


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text()))


def k8s_docs() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            docs.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return docs


def k8s(kind: str) -> list[dict[str, Any]]:
    return [d for d in k8s_docs() if d.get("kind") == kind]


def env_of(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def image_repo(image: str) -> str:
    return image.rsplit(":", 1)[0]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines: list[str] = []
    buf = ""
    for raw in DOCKERFILE.read_text().splitlines():
        stripped = raw.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        lines.append(buf + stripped)
        buf = ""
    out = []
    for line in lines:
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in dockerfile_instructions():
        if word == "ENV":
            for item in shlex.split(rest):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def worker_services() -> dict[str, dict[str, Any]]:
    return {
        name: svc for name, svc in compose()["services"].items()
        if "build" in svc or str(svc.get("image", "")).startswith("strikewatch:")
    }


# ------------------------------------------------------------------ YAML, env, images


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_yaml_file_parses(path: Path) -> None:
    docs = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    assert docs, f"{path} is empty"
    assert all(isinstance(d, dict) for d in docs)


def every_strikewatch_variable() -> dict[str, str]:
    """Each STRIKEWATCH_* name set anywhere in deploy/, with where it is set."""
    found: dict[str, str] = {}
    for name, svc in compose()["services"].items():
        for key in env_of(svc):
            found.setdefault(key, f"compose service {name}")
    for doc in k8s_docs():
        where = f"k8s {doc['kind']} {doc['metadata']['name']}"
        for key in list(doc.get("data", {})) + list(doc.get("stringData", {})):
            found.setdefault(key, where)
        for container in doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            for item in container.get("env", []):
                found.setdefault(item["name"], where)
    for key in dockerfile_env():
        found.setdefault(key, "Dockerfile")
    # Any STRIKEWATCH_ name mentioned in text (comments, commands) must be real too.
    for path in [*yaml_files(), DOCKERFILE]:
        for key in re.findall(r"\bSTRIKEWATCH_[A-Z0-9_]+", path.read_text()):
            found.setdefault(key, str(path.relative_to(DEPLOY)))
    return {k: v for k, v in found.items() if k.startswith("STRIKEWATCH_")}


def test_every_strikewatch_variable_is_a_real_setting() -> None:
    found = every_strikewatch_variable()
    assert len(found) > 5
    unknown = {k: v for k, v in found.items() if k not in SETTINGS}
    assert not unknown, f"not settings (see Settings.env_names()): {unknown}"


def test_values_set_in_deploy_files_are_valid_settings() -> None:
    for name, svc in worker_services().items():
        Settings.from_env(env_of(svc))  # raises on a bad value
        assert name
    (configmap,) = k8s("ConfigMap")
    settings = Settings.from_env({**configmap["data"], **dockerfile_env()})
    assert settings.profile == "cluster"
    Settings.from_env(dockerfile_env())


def test_third_party_containers_set_only_known_image_variables() -> None:
    workers = worker_services()
    for name, svc in compose()["services"].items():
        env = env_of(svc)
        if name in workers:
            assert all(k.startswith("STRIKEWATCH_") for k in env), (name, env)
            continue
        repo = image_repo(svc["image"])
        assert repo in THIRD_PARTY_ENV, f"{name}: no list of known variables for image {repo}"
        unknown = set(env) - THIRD_PARTY_ENV[repo]
        assert not unknown, f"{name} ({repo}) sets variables not known for the image: {unknown}"


def test_our_image_and_pods_set_only_settings_and_interpreter_variables() -> None:
    others = {k for k in dockerfile_env() if not k.startswith("STRIKEWATCH_")}
    assert others <= THIRD_PARTY_ENV["python"], others
    for doc in k8s_docs():
        names = list(doc.get("data", {})) + list(doc.get("stringData", {}))
        for container in doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            names += [item["name"] for item in container.get("env", [])]
        assert all(n.startswith("STRIKEWATCH_") for n in names), (doc["kind"], names)


def all_images() -> list[tuple[str, str]]:
    images = [(f"compose {n}", str(s["image"])) for n, s in compose()["services"].items() if "image" in s]
    for doc in k8s("Deployment"):
        for c in doc["spec"]["template"]["spec"]["containers"]:
            images.append((f"k8s {doc['metadata']['name']}/{c['name']}", c["image"]))
    for word, rest in dockerfile_instructions():
        if word == "FROM":
            images.append(("Dockerfile FROM", rest.split()[0]))
    return images


def test_every_image_is_pinned_to_a_version() -> None:
    images = all_images()
    assert len(images) >= 6
    for where, image in images:
        assert not image.endswith(":latest"), where
        assert PINNED.match(image), f"{where}: {image} is not pinned to a version tag"


def test_our_image_is_tagged_with_the_project_version() -> None:
    ours = [image for _, image in all_images() if image_repo(image) == "strikewatch"]
    assert len(ours) >= 2
    assert {image.split(":", 1)[1] for image in ours} == {PROJECT_VERSION}


# ------------------------------------------------------------------ Dockerfile


def test_dockerfile_runs_the_worker_as_a_non_root_user_with_a_ready_healthcheck() -> None:
    instructions = dockerfile_instructions()
    words = [w for w, _ in instructions]
    froms = [rest.split()[0] for w, rest in instructions if w == "FROM"]
    assert all(re.match(r"^python:3\.11\.\d+-slim", f) for f in froms), froms
    final = instructions[len(words) - 1 - words[::-1].index("FROM"):]
    final_words = dict(final)
    user = final_words["USER"].split(":")[0]
    assert user not in ("root", "0"), "the worker must not run as root"
    assert final_words["EXPOSE"].split() == [str(Settings().web_port)]
    assert json.loads(final_words["ENTRYPOINT"]) == ["strikewatch", "worker"]
    assert "/ready" in final_words["HEALTHCHECK"]
    env = dockerfile_env()
    assert env["STRIKEWATCH_WEB_HOST"] == "0.0.0.0"
    assert env["STRIKEWATCH_WEB_PORT"] == str(Settings().web_port)


def dockerfile_copy_sources() -> list[str]:
    sources = []
    for word, rest in dockerfile_instructions():
        if word == "COPY" and "--from=" not in rest:
            parts = rest.split()
            sources.extend(parts[:-1])
    return sources


def test_dockerignore_keeps_what_the_dockerfile_copies() -> None:
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    for source in dockerfile_copy_sources():
        assert (REPO / source).exists(), f"Dockerfile copies {source}, which does not exist"
        assert source.rstrip("/") in kept, f"{source} is excluded from the build context"


def test_dockerfile_context_builds_a_wheel_that_works_when_installed(tmp_path: Path) -> None:
    """What the image's `pip wheel .` and `pip install` do, from exactly the files it copies."""
    context = tmp_path / "context"
    context.mkdir()
    for source in dockerfile_copy_sources():
        src = REPO / source
        if src.is_dir():
            shutil.copytree(src, context / source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, context / source)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--wheel-dir", str(wheels), str(context)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("strikewatch-*.whl")
    # A fresh prefix, as /usr/local is in the image: the wheel's data files land under it.
    prefix = tmp_path / "prefix"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True, timeout=120)
    installed = subprocess.run(
        # --ignore-installed: without it pip uninstalls the project from the running environment
        [*pip, "install", "--no-deps", "--ignore-installed", "--prefix", str(prefix), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (site,) = prefix.glob("lib/python*/site-packages")
    assert "streams.cli:main" in next(site.glob("strikewatch-*.dist-info/entry_points.txt")).read_text()
    probe = (
        "import streams, streams.contracts as c; "
        f"assert streams.__file__.startswith({str(site)!r}), streams.__file__; "
        "assert c.SCHEMA_DIR.is_dir(), c.SCHEMA_DIR; "
        "assert all((c.SCHEMA_DIR / f).is_file() for f in c.SCHEMAS.values()); "
        "from streams.app import create_app; "
        "print('ok')"
    )
    # The dependencies come from this environment (not the project: it is not on that path).
    deps = next(p for p in sys.path if p.endswith("site-packages"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = deps
    ran = subprocess.run(
        [str(prefix / "bin" / "python"), "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert ran.returncode == 0 and "ok" in ran.stdout, ran.stdout + ran.stderr


# ------------------------------------------------------------------ Compose


def test_compose_runs_a_three_broker_kraft_cluster_with_replication_3_and_min_isr_2() -> None:
    services = compose()["services"]
    brokers = {n: env_of(s) for n, s in services.items() if image_repo(str(s.get("image", ""))) == "apache/kafka"}
    assert len(brokers) == 3
    assert len({env["KAFKA_NODE_ID"] for env in brokers.values()}) == 3
    assert len({env["CLUSTER_ID"] for env in brokers.values()}) == 1
    for name, env in brokers.items():
        assert "controller" in env["KAFKA_PROCESS_ROLES"], name
        voters = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")
        assert sorted(v.split("@")[1].split(":")[0] for v in voters) == sorted(brokers), name
        assert env["KAFKA_DEFAULT_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
        assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
        assert f"PLAINTEXT://{name}:19092" in env["KAFKA_ADVERTISED_LISTENERS"]


def test_compose_workers_form_one_consumer_group_on_the_cluster() -> None:
    workers = worker_services()
    replicas = sum(int(svc.get("deploy", {}).get("replicas", 1)) for svc in workers.values())
    assert replicas >= 2
    groups = set()
    for svc in workers.values():
        settings = Settings.from_env(env_of(svc))
        groups.add(settings.app_id)
        assert settings.profile == "cluster"
        assert settings.replication_factor == 3
        assert settings.partitions >= replicas, "workers beyond the partition count sit idle"
        assert sorted(settings.bootstrap_servers.split(",")) == [
            "kafka-1:19092", "kafka-2:19092", "kafka-3:19092"
        ]
        assert settings.web_host == "0.0.0.0"
        assert svc["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (COMPOSE.parent / svc["build"]["context"] / svc["build"]["dockerfile"]).is_file()
    assert len(groups) == 1


def test_compose_mounts_the_monitoring_files_that_exist() -> None:
    services = compose()["services"]
    mounts = {}
    for name in ("prometheus", "grafana"):
        for volume in services[name]["volumes"]:
            source, target = volume.split(":")[:2]
            if source.startswith("."):
                assert (COMPOSE.parent / source).exists(), f"{name} mounts missing {source}"
                mounts[target] = (COMPOSE.parent / source).resolve()
    assert mounts["/etc/prometheus/prometheus.yml"] == PROMETHEUS_CONFIG.resolve()
    assert mounts["/etc/prometheus/rules.yml"] == RULES.resolve()
    assert mounts["/etc/grafana/provisioning"] == DATASOURCES.parent.resolve()
    (provider,) = yaml.safe_load(next(DASHBOARD_PROVIDERS.glob("*.yml")).read_text())["providers"]
    assert mounts[provider["options"]["path"]] == (DEPLOY / "grafana" / "dashboards").resolve()
    # Prometheus scrapes the worker service on the web port; Grafana reaches Prometheus by name.
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "strikewatch"]
    (sd,) = job["dns_sd_configs"]
    assert sd["names"] == list(worker_services())
    assert sd["port"] == Settings().web_port
    (datasource,) = yaml.safe_load(next(DATASOURCES.glob("*.yml")).read_text())["datasources"]
    assert datasource["url"] == "http://prometheus:9090"


# ------------------------------------------------------------------ Kubernetes


def test_k8s_deployment_probes_resources_config_and_scrape_annotations() -> None:
    (deployment,) = k8s("Deployment")
    (configmap,) = k8s("ConfigMap")
    (secret,) = k8s("Secret")
    (service,) = k8s("Service")
    assert deployment["apiVersion"] == "apps/v1"
    assert deployment["spec"]["replicas"] >= 2
    template = deployment["spec"]["template"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= template["metadata"]["labels"].items()
    (container,) = template["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    web_port = int(configmap["data"]["STRIKEWATCH_WEB_PORT"])
    assert ports["http"] == web_port
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] != "/ready", "a rebalance must not kill pods"
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] in (web_port, "http")
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    assert [e["configMapRef"]["name"] for e in container["envFrom"]] == [configmap["metadata"]["name"]]
    (password,) = container["env"]
    ref = password["valueFrom"]["secretKeyRef"]
    assert password["name"] == "STRIKEWATCH_SASL_PASSWORD"
    assert ref["name"] == secret["metadata"]["name"] and ref["key"] in secret["stringData"]
    assert "STRIKEWATCH_SASL_PASSWORD" not in configmap["data"], "the password belongs in the Secret"
    annotations = template["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) == web_port
    assert annotations["prometheus.io/path"] == "/metrics"
    assert int(configmap["data"]["STRIKEWATCH_PARTITIONS"]) >= deployment["spec"]["replicas"]
    assert template["spec"]["securityContext"]["runAsNonRoot"] is True
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert configmap["data"]["STRIKEWATCH_DATA_DIR"] in mounts
    assert service["spec"]["selector"].items() <= template["metadata"]["labels"].items()
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= set(ports) | set(ports.values())


def test_k8s_kustomization_lists_existing_files_but_not_the_example_secret() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (K8S / resource).is_file(), resource
    assert not any("secret" in r for r in kustomization["resources"])


# ------------------------------------------------------------------ promtool


@pytest.fixture
def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("promtool is missing in CI: .ci/install-prometheus.sh must install it")
        pytest.skip("promtool is not installed (bash .ci/install-prometheus.sh installs it)")
    return path


def run_promtool(promtool: str, *args: str) -> str:
    result = subprocess.run([promtool, *args], capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def test_promtool_check_rules(promtool: str) -> None:
    assert "SUCCESS" in run_promtool(promtool, "check", "rules", str(RULES))


def test_promtool_check_config(promtool: str) -> None:
    output = run_promtool(promtool, "check", "config", str(PROMETHEUS_CONFIG))
    assert "1 rule files found" in output


def test_promtool_rule_unit_tests(promtool: str) -> None:
    run_promtool(promtool, "test", "rules", str(RULES_TEST))


# ------------------------------------------------------------------ metric names in rules and dashboard


def test_the_known_metric_names_come_from_the_registries() -> None:
    ours = our_metric_names()
    assert {"strikewatch_articles_consumed_total", "strikewatch_alert_latency_seconds_bucket",
            "strikewatch_worker_ready", "strikewatch_consumer_lag_messages"} <= ours
    assert metric_names(
        'histogram_quantile(0.99, sum by (le) (rate(x_bucket{job="a", i=~"$i"}[$__rate_interval]))) > 1e-3'
    ) == {"x_bucket"}
    assert metric_names("a / on (p) group_left b and absent(c == 1)") == {"a", "b", "c"}


def test_every_rule_expr_uses_only_existing_metrics() -> None:
    known = known_metric_names()
    exprs = rule_exprs(load_rules())
    assert len(exprs) >= 6
    for name, expr in exprs:
        used = metric_names(expr)
        assert used, name
        assert used <= known, f"rule {name} uses unknown metrics {used - known}"


def test_rules_cover_the_failures_we_page_for() -> None:
    exprs = dict(rule_exprs(load_rules()))
    text = "\n".join(exprs.values())
    assert any("up{" in e and "== 0" in e for e in exprs.values())
    assert any(e.startswith("absent(") for e in exprs.values())
    assert "strikewatch_consumer_lag_messages" in text
    assert 'outcome="dead_lettered"' in text
    assert any("increase(strikewatch_articles_consumed_total" in e and "== 0" in e for e in exprs.values())
    assert 'kind="new_strike"' in text
    assert "histogram_quantile(0.99" in text and "strikewatch_alert_latency_seconds_bucket" in text
    for group in load_rules()["groups"]:
        for rule in group["rules"]:
            assert rule["labels"]["severity"] in ("critical", "warning", "info")
            assert rule["annotations"]["summary"]


def test_dashboard_uses_the_provisioned_datasource_uid() -> None:
    dashboard = load_dashboard()
    (datasource,) = yaml.safe_load(next(DATASOURCES.glob("*.yml")).read_text())["datasources"]
    (variable,) = [v for v in dashboard["templating"]["list"] if v["type"] == "datasource"]
    assert variable["query"] == datasource["type"] == "prometheus"
    assert variable["current"]["value"] == datasource["uid"]
    ref = {"type": "prometheus", "uid": "${" + variable["name"] + "}"}
    panels = dashboard_panels(dashboard)
    assert len({p["id"] for p in panels}) == len(panels)
    for panel in panels:
        assert panel["datasource"] == ref, panel["title"]
        for target in panel["targets"]:
            assert target.get("datasource", ref) == ref, panel["title"]
    for v in dashboard["templating"]["list"]:
        if v["type"] == "query":
            assert v["datasource"] == ref


def test_every_dashboard_expr_uses_only_existing_metrics() -> None:
    known = known_metric_names()
    exprs = dashboard_exprs(load_dashboard())
    assert len(exprs) >= 8
    for where, expr in exprs:
        used = metric_names(expr)
        assert used, where
        assert used <= known, f"{where} uses unknown metrics {used - known}"
        assert "rebalance" not in expr, f"{where}: faust's rebalance latencies read ~0; do not chart them"


def test_dashboard_has_the_panels_operators_need() -> None:
    exprs = [e for _, e in dashboard_exprs(load_dashboard())]
    text = "\n".join(exprs)

    def has(*parts: str) -> bool:
        return any(all(p in e for p in parts) for e in exprs)

    assert has("by (outcome)", "rate(strikewatch_articles_consumed_total")
    assert has("histogram_quantile(0.5,", "strikewatch_alert_latency_seconds_bucket")
    assert has("histogram_quantile(0.99,", "strikewatch_alert_latency_seconds_bucket")
    assert has("by (topic, partition)", "strikewatch_consumer_lag_messages")
    assert has("by (reason)", "strikewatch_dead_letters_total")
    assert has("by (kind)", "strikewatch_alerts_total")
    assert "strikewatch_open_events" in text
    assert "strikewatch_worker_ready" in text
