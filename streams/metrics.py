"""Prometheus metrics of a worker, built against a registry passed in (tests use a fresh one)."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

from streams import __version__
from streams.core.published import QUALITIES

# Latency buckets in seconds: the interesting range is a few ms to a few seconds.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_CORE_BUCKETS = (0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5)

ARTICLE_OUTCOMES = ("strike", "irrelevant", "dead_lettered")


@dataclass(frozen=True)
class Metrics:
    articles: Counter
    published_at: Counter
    dead_letters: Counter
    reports: Counter
    events_created: Counter
    events_updated: Counter
    events_closed: Counter
    open_events: Gauge
    alerts: Counter
    alert_latency: Histogram
    extract_seconds: Histogram
    dedup_seconds: Histogram
    ready: Gauge
    consumer_lag: Gauge
    build: Info
    registry: CollectorRegistry


def build_metrics(registry: CollectorRegistry) -> Metrics:
    """Create every StrikeWatch metric in ``registry``."""
    m = Metrics(
        articles=Counter(
            "strikewatch_articles_consumed_total",
            "Articles consumed from the input topic, by outcome.",
            ["outcome"],
            registry=registry,
        ),
        published_at=Counter(
            "strikewatch_articles_published_at_total",
            "Decoded articles by how their published_at was read: exact, naive_utc (no offset, taken as "
            "UTC), date_only, unreadable or missing (both resolved against the Kafka timestamp).",
            ["quality"],
            registry=registry,
        ),
        dead_letters=Counter(
            "strikewatch_dead_letters_total",
            "Messages sent to a dead-letter topic, by reason and source topic.",
            ["reason", "topic"],
            registry=registry,
        ),
        reports=Counter(
            "strikewatch_reports_extracted_total",
            "Strike reports extracted from articles.",
            registry=registry,
        ),
        events_created=Counter(
            "strikewatch_events_created_total", "Strike events first seen.", registry=registry
        ),
        events_updated=Counter(
            "strikewatch_events_updated_total",
            "Existing strike events changed by a later report.",
            registry=registry,
        ),
        events_closed=Counter(
            "strikewatch_events_closed_total",
            "Strike events closed after their window and removed from state.",
            registry=registry,
        ),
        open_events=Gauge(
            "strikewatch_open_events",
            "Strike events currently open in this worker's dedup state.",
            registry=registry,
        ),
        alerts=Counter(
            "strikewatch_alerts_total", "Alerts published, by kind.", ["kind"], registry=registry
        ),
        alert_latency=Histogram(
            "strikewatch_alert_latency_seconds",
            "Time from the article's Kafka timestamp to the alert being sent.",
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        ),
        extract_seconds=Histogram(
            "strikewatch_extract_duration_seconds",
            "Time spent extracting reports from one article.",
            buckets=_CORE_BUCKETS,
            registry=registry,
        ),
        dedup_seconds=Histogram(
            "strikewatch_dedup_duration_seconds",
            "Time spent in the dedup state transition for one report.",
            buckets=_CORE_BUCKETS,
            registry=registry,
        ),
        ready=Gauge(
            "strikewatch_worker_ready",
            "1 once the worker has its partitions assigned and is processing, else 0.",
            registry=registry,
        ),
        consumer_lag=Gauge(
            "strikewatch_consumer_lag_messages",
            "Messages between the partition's end offset and this worker's position.",
            ["topic", "partition"],
            registry=registry,
        ),
        build=Info("strikewatch_build", "Version of the running StrikeWatch worker.", registry=registry),
        registry=registry,
    )
    m.build.info({"version": __version__})
    for outcome in ARTICLE_OUTCOMES:
        m.articles.labels(outcome=outcome)
    for quality in QUALITIES:
        m.published_at.labels(quality=quality)
    for kind in ("new_strike", "casualties_rose"):
        m.alerts.labels(kind=kind)
    return m
