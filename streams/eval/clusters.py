"""Cluster scoring of the dedup on labelled reports (eval/dev_reports.jsonl format).

Each labelled report counts once, through its main strike (``primary``): the gold cluster is the
primary strike id, the predicted cluster the event id the primary's report ended in. Metrics:

* pairwise precision/recall/F1 over all pairs of labelled reports;
* B3 (B-cubed) precision/recall/F1, averaged over labelled reports;
* over-count: predicted events among the labelled primaries / real strikes (1.0 is perfect, above is
  duplicate events);
* same-city same-day: of the pairs of labelled primaries on one settlement and one gold date but of
  different strikes, the share put into different events.

A labelled report whose primary yields no report (the extractor missed it) is its own singleton event.
An item that states no strike (``primary`` null, as most day-slice items) is replayed, so its false
reports can merge into events, but is not scored: it belongs to no gold cluster.

Replay order: items with a full publication time are ordered by it. A partial stamp ("2023-12-30",
"2023-06") is not a publication time (``published_at`` stays None); it orders the item at the end of
its period. An item with no stamp is placed the day after the latest strike date its own reports state
(the earliest it can have been written), capped at the end of the stream, or at the end of the stream
when it states no date; that estimate is the dedup clock (``now``) of the item. The extractor resolves
relative dates against the publication time, the end of the day of a day-only stamp, or nothing
(None) -- never against an estimate. Nothing here reads the gold labels to place items, except that
with gold-mention reports those reports are the extraction.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from streams.core.dedup import DEFAULT, DedupConfig, state_bytes_per_event
from streams.core.models import Article, Casualty, StrikeReport
from streams.core.replay import ReplayResult, replay
from streams.eval.sources import gold_article, parse_stamp, reference_time, rss_article
from streams.eval.splits import split_rows

__all__ = [
    "cluster_metrics",
    "evaluate_clusters",
    "format_cluster_table",
    "gold_article",
    "gold_reports",
    "load_gold",
    "parse_stamp",
    "score_replay",
]

#: An extractor: (article, reference time or None) -> reports; ``streams.core.extract.extract`` fits.
ScorerExtractFn = Callable[[Article, datetime | None], list[StrikeReport]]

_TAG = re.compile(r"<[^>]+>")


# --------------------------------------------------------------------------------------------------
# loading


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _lead(text: str | None) -> str:
    return re.sub(r"\s+", " ", _TAG.sub(" ", text or "")).strip()[:600]


def _coordinates(settlement: str | None, admin1: str | None, country: str | None) -> tuple[float | None, float | None]:
    """Where the extractor's gazetteer puts a labelled settlement (the most populous place of that name in
    that country and oblast): a gold report carries the coordinates an extracted one would. None, None
    when the name is not in the gazetteer."""
    if not settlement:
        return None, None
    from streams.core.extract import gazetteer  # the extractor's data, loaded on first use

    places = [p for p in gazetteer.get().settlement_candidates(settlement) if p.country == (country or p.country)]
    if admin1:
        places = [p for p in places if p.admin1 is None or _norm(p.admin1) == _norm(admin1)] or places
    if not places:
        return None, None
    best = max(places, key=lambda p: p.population)
    return best.lat, best.lon


def gold_reports(row: Mapping[str, Any]) -> list[StrikeReport]:
    """The gold mentions of a labelled report as StrikeReports (index = position in ``mentions``), with the
    coordinates the gazetteer gives their settlements (:func:`_coordinates`)."""
    article = gold_article(row)
    out: list[StrikeReport] = []
    for index, m in enumerate(row.get("mentions", ())):
        settlement, admin1 = m.get("settlement"), m.get("admin1")
        lat, lon = _coordinates(settlement, admin1, m.get("country"))
        out.append(
            StrikeReport(
                article_id=article.id,
                index=index,
                country=m.get("country"),
                settlement=settlement,
                admin1=admin1,
                lat=lat,
                lon=lon,
                precision="settlement" if settlement else ("admin1" if admin1 else "country"),
                date=date.fromisoformat(m["date"]) if m.get("date") else None,
                date_basis=m.get("date_basis") or "unknown",
                attacker=m.get("attacker") or "unknown",
                attribution=m.get("attribution"),
                weapons=tuple(m.get("weapons") or ()),
                killed=Casualty.from_dict(m.get("killed")),
                injured=Casualty.from_dict(m.get("injured")),
                targets=tuple(m.get("targets") or ()),
                evidence=m.get("evidence") or "",
                url=article.url,
                outlet=article.outlet,
                published_at=article.published_at,
                title=row.get("title"),
                lead=_lead(row.get("text")),
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# metrics


def cluster_metrics(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Pairwise and B3 precision/recall/F1 of ``predicted`` cluster labels against ``gold`` ones."""
    n = len(gold)
    tp = fp = fn = 0
    for i, j in combinations(range(n), 2):
        same_gold, same_pred = gold[i] == gold[j], predicted[i] == predicted[j]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i in range(n):
        by_gold[gold[i]].add(i)
        by_pred[predicted[i]].add(i)
    b3p = sum(len(by_gold[gold[i]] & by_pred[predicted[i]]) / len(by_pred[predicted[i]]) for i in range(n))
    b3r = sum(len(by_gold[gold[i]] & by_pred[predicted[i]]) / len(by_gold[gold[i]]) for i in range(n))
    b3p, b3r = (b3p / n, b3r / n) if n else (1.0, 1.0)
    return {
        "pairwise_precision": p,
        "pairwise_recall": r,
        "pairwise_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "b3_precision": b3p,
        "b3_recall": b3r,
        "b3_f1": 2 * b3p * b3r / (b3p + b3r) if b3p + b3r else 0.0,
        "gold_clusters": float(len(by_gold)),
        "predicted_clusters": float(len(by_pred)),
        "over_count": len(by_pred) / len(by_gold) if by_gold else 1.0,
    }


# --------------------------------------------------------------------------------------------------
# evaluation


def _norm(value: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (value or "").casefold())


def _primary_mention(row: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]]:
    for index, m in enumerate(row["mentions"]):
        if m["strike"] == row["primary"]:
            return index, m
    raise ValueError(f"{row['rid']}: primary {row['primary']!r} is not among its mentions")


def _align(reports: Sequence[StrikeReport], mention: Mapping[str, Any]) -> StrikeReport | None:
    """The extracted report that states the gold primary: same settlement, else same admin1 (lowest index)."""
    if not reports:
        return None
    for test in (
        lambda r: mention.get("settlement") and _norm(r.settlement) == _norm(mention["settlement"]),
        lambda r: (
            not mention.get("settlement")
            and not r.settlement
            and _norm(r.admin1) == _norm(mention.get("admin1"))
            and (r.country or "") == (mention.get("country") or "")
        ),
    ):
        for r in sorted(reports, key=lambda r: r.index):
            if test(r):
                return r
    return None


def _order_items(
    entries: Sequence[tuple[Article, datetime | None]],
    references: Mapping[str, datetime | None],
    extract: ScorerExtractFn,
) -> list[tuple[Article, datetime]]:
    """Replay items (article, clock) from (article, latest instant of its stamp); see the module doc."""
    known = [t for _, t in entries if t is not None]
    end = max(known) if known else datetime(2000, 1, 1, tzinfo=UTC)
    keyed: list[tuple[datetime, int, Article]] = []
    for pos, (article, latest) in enumerate(entries):
        if latest is None:
            dates = [r.date for r in extract(article, references.get(article.id)) if r.date is not None]
            if dates:
                latest = min(end, datetime.combine(max(dates) + timedelta(days=1), time(12), tzinfo=UTC))
            else:
                latest = end
        keyed.append((latest, pos, article))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [(article, clock) for clock, _, article in keyed]


def evaluate_clusters(
    gold_path: str | Path,
    extract_fn: ScorerExtractFn | None = None,
    pool_path: str | Path | None = None,
    pool_limit: int | None = None,
    config: DedupConfig = DEFAULT,
    split: str | None = None,
) -> dict[str, Any]:
    """Replay the labelled reports (and optionally the RSS pool) and score the clusters.

    ``extract_fn`` None: the labelled reports' gold mentions are their reports. With ``pool_path``, the
    pool items (all, or the first ``pool_limit`` lines) are mixed in by publication time; pool items are
    extracted by ``extract_fn`` or, when it is None, by ``streams.core.extract.extract``. Pool items
    whose URL is a labelled report's are skipped. Only labelled reports are scored. ``split`` keeps one
    half of the day windows (``streams.eval.splits``).
    """
    rows: Sequence[Mapping[str, Any]] = load_gold(gold_path)
    if split:
        rows = split_rows(rows, split)
    gold_by_article: dict[str, Mapping[str, Any]] = {}
    entries: list[tuple[Article, datetime | None]] = []
    references: dict[str, datetime | None] = {}
    for row in rows:
        article = gold_article(row)
        gold_by_article[article.id] = row
        entries.append((article, parse_stamp(row.get("published"))[1]))
        references[article.id] = reference_time(row)

    pool_extract: ScorerExtractFn | None = extract_fn
    pool_items = 0
    if pool_path is not None:
        if pool_extract is None:
            from streams.core.extract import extract as default_extract  # type: ignore[attr-defined]

            pool_extract = default_extract
        labelled_urls = {row.get("url") for row in rows if row.get("url")}
        with open(pool_path, encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if pool_limit is not None and n >= pool_limit:
                    break
                prow = json.loads(line)
                if prow.get("url") in labelled_urls:
                    continue
                pool_article = rss_article(prow)
                if pool_article is None:
                    continue
                article = pool_article
                entries.append((article, parse_stamp(prow.get("published"))[1]))
                references[article.id] = reference_time(prow)
                pool_items += 1

    def combined(article: Article, reference_time: datetime | None) -> list[StrikeReport]:
        row = gold_by_article.get(article.id)
        if row is not None and extract_fn is None:
            return gold_reports(row)
        fn = extract_fn if row is not None else pool_extract
        assert fn is not None
        return fn(article, reference_time)

    items = _order_items(entries, references, combined)
    # the replay clock orders and expires; relative dates resolve only against what the stamp says
    result = replay(items, lambda article, _clock: combined(article, references.get(article.id)), config)
    scored = score_replay(rows, result)
    scored["pool_items"] = pool_items
    scored["mode"] = "gold mentions" if extract_fn is None else "extraction"
    return scored


def score_replay(rows: Sequence[Mapping[str, Any]], result: ReplayResult) -> dict[str, Any]:
    """Score a replay's assignments against the labelled ``rows``."""
    by_article: dict[str, list[tuple[StrikeReport, str]]] = defaultdict(list)
    for rep, eid in result.assignments:
        by_article[rep.article_id].append((rep, eid))
    gold: list[str] = []
    predicted: list[str] = []
    missed: list[str] = []
    keyed: list[tuple[str, str | None, str | None]] = []  # (rid, settlement, date) of primaries
    rows = [row for row in rows if row.get("primary")]
    for row in rows:
        article = gold_article(row)
        _, mention = _primary_mention(row)
        assigned = by_article.get(article.id, [])
        aligned = _align([r for r, _ in assigned], mention)
        event_id: str | None = None
        if aligned is not None:
            event_id = next(e for r, e in assigned if r is aligned)
        if event_id is None:
            missed.append(row["rid"])
            event_id = f"missed:{row['rid']}"
        gold.append(row["primary"])
        predicted.append(event_id)
        keyed.append((row["rid"], _norm(mention.get("settlement")) or None, mention.get("date")))

    metrics: dict[str, Any] = dict(cluster_metrics(gold, predicted))
    pairs = kept = 0
    for i, j in combinations(range(len(gold)), 2):
        if gold[i] == gold[j] or keyed[i][1] is None or keyed[i][2] is None:
            continue
        if keyed[i][1] == keyed[j][1] and keyed[i][2] == keyed[j][2]:
            pairs += 1
            kept += predicted[i] != predicted[j]
    metrics["same_city_day_pairs"] = pairs
    metrics["same_city_day_apart"] = kept / pairs if pairs else 1.0
    metrics["labelled_reports"] = len(rows)
    metrics["missed_primaries"] = missed
    metrics["events_total"] = len(result.events)
    metrics["alerts_total"] = len(result.alerts)
    metrics["alerts_by_kind"] = dict(Counter(a.kind for a in result.alerts))
    metrics["articles"] = result.articles
    metrics["reports"] = result.reports
    per_event = [state_bytes_per_event(s) for s in result.states.values() if s.events]
    counts = [len(s.events) for s in result.states.values() if s.events]
    metrics["state_bytes_per_event"] = (
        sum(b * c for b, c in zip(per_event, counts, strict=True)) / sum(counts) if counts else 0.0
    )
    # where the errors are: predicted events holding several gold strikes, gold strikes split
    members: dict[str, list[str]] = defaultdict(list)
    for g, p, k in zip(gold, predicted, keyed, strict=True):
        members[p].append(f"{k[0]}={g}")
    metrics["merged_events"] = {p: m for p, m in members.items() if len({x.split("=", 1)[1] for x in m}) > 1}
    splits: dict[str, set[str]] = defaultdict(set)
    for g, p in zip(gold, predicted, strict=True):
        splits[g].add(p)
    metrics["split_strikes"] = {g: len(ps) for g, ps in splits.items() if len(ps) > 1}
    return metrics


def format_cluster_table(result: Mapping[str, Any]) -> str:
    """A plain-text table of the metrics of :func:`evaluate_clusters`."""
    rows: list[tuple[str, str]] = [
        ("mode", str(result.get("mode", ""))),
        ("labelled reports", str(result.get("labelled_reports", ""))),
        ("pool items mixed in", str(result.get("pool_items", 0))),
        ("real strikes (gold clusters)", f"{result['gold_clusters']:.0f}"),
        ("predicted events (labelled primaries)", f"{result['predicted_clusters']:.0f}"),
        ("pairwise precision", f"{result['pairwise_precision']:.3f}"),
        ("pairwise recall", f"{result['pairwise_recall']:.3f}"),
        ("pairwise F1", f"{result['pairwise_f1']:.3f}"),
        ("B3 precision", f"{result['b3_precision']:.3f}"),
        ("B3 recall", f"{result['b3_recall']:.3f}"),
        ("B3 F1", f"{result['b3_f1']:.3f}"),
        ("over-count ratio", f"{result['over_count']:.3f}"),
        (
            "same-city same-day pairs apart",
            f"{result['same_city_day_apart']:.3f} of {result['same_city_day_pairs']}",
        ),
        ("missed primaries", str(len(result.get("missed_primaries", ())))),
        ("state bytes per open event", f"{result.get('state_bytes_per_event', 0.0):.0f}"),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
    for p, m in sorted(result.get("merged_events", {}).items()):
        lines.append(f"merged {p}: {', '.join(m)}")
    for g, n in sorted(result.get("split_strikes", {}).items()):
        lines.append(f"split {g}: {n} events")
    return "\n".join(lines)


def _main(argv: Iterable[str] | None = None) -> None:  # pragma: no cover - manual use
    import argparse

    parser = argparse.ArgumentParser(description="Score dedup clusters on labelled reports")
    parser.add_argument("gold")
    parser.add_argument("--pool")
    parser.add_argument("--pool-limit", type=int)
    parser.add_argument("--extract", action="store_true", help="use streams.core.extract.extract")
    args = parser.parse_args(list(argv) if argv is not None else None)
    fn: ScorerExtractFn | None = None
    if args.extract:
        from streams.core.extract import extract  # type: ignore[attr-defined]

        fn = extract
    print(format_cluster_table(evaluate_clusters(args.gold, fn, args.pool, args.pool_limit)))


if __name__ == "__main__":  # pragma: no cover
    _main()
