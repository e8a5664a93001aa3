"""Prometheus metrics of the read service, built against a registry passed in (tests use a fresh one)."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass(frozen=True)
class ApiMetrics:
    requests: Counter
    request_seconds: Histogram
    records: Counter
    events_stored: Gauge
    sse_clients: Gauge
    alerts_streamed: Counter
    ready: Gauge
    consumer_lag: Gauge
    registry: CollectorRegistry


def build_api_metrics(registry: CollectorRegistry) -> ApiMetrics:
    """Create every metric of `strikewatch serve` in ``registry``."""
    return ApiMetrics(
        requests=Counter(
            "strikewatch_api_requests_total",
            "HTTP requests answered, by route template, method and status code.",
            ["route", "method", "status"],
            registry=registry,
        ),
        request_seconds=Histogram(
            "strikewatch_api_request_duration_seconds",
            "Time to answer an HTTP request (to the start of the body for the alert stream), by route.",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        ),
        records=Counter(
            "strikewatch_api_records_consumed_total",
            "Records read from the events and alerts topics, by topic and outcome (stored, or bad: "
            "not JSON or against the schema, logged with topic, partition and offset, and skipped).",
            ["topic", "outcome"],
            registry=registry,
        ),
        events_stored=Gauge(
            "strikewatch_api_events_stored",
            "Strike events in the service's database.",
            registry=registry,
        ),
        sse_clients=Gauge(
            "strikewatch_api_alert_stream_clients",
            "Clients connected to /api/alerts/stream.",
            registry=registry,
        ),
        alerts_streamed=Counter(
            "strikewatch_api_alerts_streamed_total",
            "Alerts handed to the alert stream (once each, whatever the number of clients).",
            registry=registry,
        ),
        ready=Gauge(
            "strikewatch_api_ready",
            "1 once the service has read the events and alerts topics up to their end offsets at start.",
            registry=registry,
        ),
        consumer_lag=Gauge(
            "strikewatch_api_consumer_lag_messages",
            "Records of a topic not yet read by the service (high watermark minus position), by topic.",
            ["topic"],
            registry=registry,
        ),
        registry=registry,
    )
