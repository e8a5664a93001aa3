"""Reading the monitoring files: PromQL expressions of the dashboard and the rules, and metric names.

Shared by tests/deploy (static checks) and tests/integration/test_prometheus.py (a real Prometheus).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
RULES = DEPLOY / "prometheus" / "rules.yml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "strikewatch.json"
DATASOURCES = DEPLOY / "grafana" / "provisioning" / "datasources"
DASHBOARD_PROVIDERS = DEPLOY / "grafana" / "provisioning" / "dashboards"

# Series Prometheus itself writes for every scrape target.
SCRAPE_SERIES = frozenset(
    {"up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
     "scrape_series_added"}
)

_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "gauge": ("",),
    "info": ("_info",),
    "stateset": ("",),
    "unknown": ("",),
}


def registry_series_names(registry: Any) -> set[str]:
    """Every series name a registry can expose (family name + the suffixes of its type)."""
    names: set[str] = set()
    for family in registry.collect():
        for suffix in _SUFFIXES[family.type]:
            names.add(family.name + suffix)
        names.update(sample.name for sample in family.samples)
    return names


def our_metric_names() -> set[str]:
    from prometheus_client import CollectorRegistry

    from streams.metrics import build_metrics

    registry = CollectorRegistry()
    build_metrics(registry)
    return registry_series_names(registry)


def known_metric_names() -> set[str]:
    return our_metric_names() | SCRAPE_SERIES


# ------------------------------------------------------------------ PromQL

_KEYWORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or",
     "unless", "inf", "nan"}
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_NUMBER = re.compile(r"(?<![\w:])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def metric_names(expr: str) -> set[str]:
    """Metric names a PromQL expression selects (a small lexer, enough for our files)."""
    text = _STRING.sub('""', expr)
    text = _MATCHERS.sub("", text)
    text = _RANGE.sub("", text)
    text = _GROUPING.sub(" ", text)
    text = _NUMBER.sub(" ", text)
    names = set()
    for match in _IDENT.finditer(text):
        word = match.group(0)
        rest = text[match.end():].lstrip()
        if rest.startswith("("):  # a function call
            continue
        if word.lower() in _KEYWORDS:
            continue
        names.add(word)
    return names


# ------------------------------------------------------------------ Grafana

_LABEL_VALUES = re.compile(r"^\s*label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$")


def load_dashboard() -> dict[str, Any]:
    return dict(json.loads(DASHBOARD.read_text()))


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def dashboard_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return list(_panels(dashboard.get("panels", [])))


def dashboard_exprs(dashboard: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, PromQL) of every panel target and every query variable (label_values -> its selector)."""
    out = []
    for panel in dashboard_panels(dashboard):
        for target in panel.get("targets", []):
            out.append((f"panel {panel['title']!r} {target['refId']}", target["expr"]))
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") != "query":
            continue
        query = variable["query"]
        query = query["query"] if isinstance(query, dict) else query
        m = _LABEL_VALUES.match(query)
        out.append((f"variable {variable['name']!r}", m.group(1) if m else query))
    return out


def substitute_grafana_variables(expr: str, dashboard: dict[str, Any], rate_interval: str = "1m") -> str:
    """The PromQL Grafana would send: built-in intervals and each variable's "All" value filled in."""
    text = expr.replace("$__rate_interval", rate_interval).replace("$__interval", rate_interval)
    text = text.replace("${__rate_interval}", rate_interval).replace("${__interval}", rate_interval)
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") != "query":
            continue
        value = variable.get("allValue") or ".*"
        name = variable["name"]
        text = text.replace("${" + name + "}", value).replace("$" + name, value)
    return text


# ------------------------------------------------------------------ rules


def load_rules() -> dict[str, Any]:
    return dict(yaml.safe_load(RULES.read_text()))


def rule_exprs(rules: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (rule.get("alert") or rule.get("record"), rule["expr"])
        for group in rules["groups"]
        for rule in group["rules"]
    ]
