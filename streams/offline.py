"""Offline commands: `replay` (the agents' core and dedup over a file) and `evaluate` (the scorers)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from streams.contracts import BadMessage, decode_article
from streams.core.dedup import DedupConfig
from streams.core.models import Article, StrikeReport
from streams.handlers import extract_reports
from streams.settings import Settings

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def dedup_config(settings: Settings) -> DedupConfig:
    """The dedup tuning the worker and replay share, from the settings."""
    return DedupConfig(
        close_after=timedelta(days=settings.event_window_days),
        expiry_grace=timedelta(days=settings.expiry_grace_days),
        details_alerts=settings.details_alerts,
    )


def read_article_file(path: Path, max_bytes: int) -> tuple[list[Article], list[tuple[int, str]]]:
    """Articles of a JSON-lines file, validated as at the Kafka edge; bad lines are listed, not fatal."""
    articles: list[Article] = []
    rejected: list[tuple[int, str]] = []
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                articles.append(decode_article(line.rstrip(b"\r\n"), max_bytes))
            except BadMessage as bad:
                rejected.append((number, f"{bad.reason}: {bad.detail[:200]}"))
    return articles, rejected


def publication_order(articles: list[Article]) -> list[tuple[Article, datetime]]:
    """(article, clock) in publication order; an article without a time or day keeps its place in the file
    and takes the clock of the article before it (replay has no Kafka timestamp)."""
    keyed: list[tuple[datetime, int, Article]] = []
    clock = _EPOCH
    for position, article in enumerate(articles):
        clock = article.reference_time(None) or clock  # a day alone orders the article at its Kyiv noon
        keyed.append((clock, position, article))
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [(article, when) for when, _, article in keyed]


def _extract_without_kafka_time(article: Article, reference_time: datetime | None) -> list[StrikeReport]:
    from streams.core.extract import extract

    # Offline there is no Kafka timestamp: relative dates resolve only against the publication time or day.
    return extract_reports(article, None, extract)


def run_replay(input_path: Path, reports_out: Path, events_out: Path, settings: Settings) -> str:
    from streams.core.replay import replay

    articles, rejected = read_article_file(input_path, settings.max_message_bytes)
    for number, reason in rejected:
        print(f"{input_path}:{number}: skipped ({reason})", file=sys.stderr)
    result = replay(publication_order(articles), _extract_without_kafka_time, dedup_config(settings))
    with reports_out.open("wb") as fh:
        for report, event_id in result.assignments:
            fh.write(orjson.dumps({**report.to_dict(), "event_id": event_id}) + b"\n")
    with events_out.open("wb") as fh:
        for event in sorted(result.events.values(), key=lambda e: (e.first_seen, e.event_id)):
            fh.write(orjson.dumps(event.to_dict()) + b"\n")
    kinds: dict[str, int] = {}
    for alert in result.alerts:
        kinds[alert.kind] = kinds.get(alert.kind, 0) + 1
    alerts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    return (
        f"{len(articles)} articles ({len(rejected)} skipped), {len(result.assignments)} reports, "
        f"{len(result.events)} events; alerts: {alerts}; wrote {reports_out} and {events_out}"
    )


def run_evaluate(
    gold: Path | None, *, ucdp: Path | None = None, pool: Path | None, pool_limit: int | None, as_json: bool,
    what: str, split: str | None = None,
) -> str:
    from streams.core.extract import extract
    from streams.eval.clusters import evaluate_clusters, format_cluster_table

    results: dict[str, Any] = {}
    if ucdp is not None:
        from streams.eval.ucdp import evaluate_ucdp

        results["ucdp"] = evaluate_ucdp(ucdp)
    if gold is not None and what in ("all", "extraction"):
        from streams.eval.extraction import evaluate_extraction

        results["extraction"] = evaluate_extraction(gold, split=split)
    if gold is not None and what in ("all", "clusters"):
        results["clusters_gold_reports"] = evaluate_clusters(gold, pool_path=pool, pool_limit=pool_limit, split=split)
        results["clusters_extracted"] = evaluate_clusters(
            gold, extract_fn=extract, pool_path=pool, pool_limit=pool_limit, split=split
        )
    if as_json:
        return orjson.dumps(results, option=orjson.OPT_INDENT_2, default=str).decode()
    parts = []
    if "ucdp" in results:
        from streams.eval.ucdp import format_ucdp_table

        parts.append("Cross-check on UCDP GED source headlines\n" + format_ucdp_table(results["ucdp"]))
    if "extraction" in results:
        from streams.eval.extraction import format_extraction_table

        parts.append("Extraction (main strike of each labelled report)\n" + format_extraction_table(
            results["extraction"]))
    if "clusters_gold_reports" in results:
        parts.append("Dedup on gold reports (dedup alone)\n"
                     + format_cluster_table(results["clusters_gold_reports"]))
        parts.append("Dedup on extracted reports (the whole system)\n"
                     + format_cluster_table(results["clusters_extracted"]))
    return "\n\n".join(parts)
