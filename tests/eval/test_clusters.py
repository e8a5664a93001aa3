"""The cluster scorer: metrics on hand-made labels, gold conversion, and the dev-set targets."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from streams.eval.clusters import (
    cluster_metrics,
    evaluate_clusters,
    format_cluster_table,
    gold_reports,
    parse_stamp,
)


def test_perfect_clustering() -> None:
    m = cluster_metrics(["a", "a", "b"], ["x", "x", "y"])
    assert m["pairwise_f1"] == m["b3_f1"] == m["over_count"] == 1.0


def test_split_and_merge() -> None:
    split = cluster_metrics(["a", "a", "a", "b"], ["x", "x", "z", "y"])
    assert split["pairwise_precision"] == 1.0
    assert split["pairwise_recall"] == pytest.approx(1 / 3)
    assert split["over_count"] == 1.5
    assert split["b3_precision"] == 1.0
    assert split["b3_recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    merged = cluster_metrics(["a", "a", "b"], ["x", "x", "x"])
    assert merged["pairwise_precision"] == pytest.approx(1 / 3)
    assert merged["pairwise_recall"] == 1.0
    assert merged["b3_precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)


def test_parse_stamp() -> None:
    full = datetime(2023, 6, 27, 18, 58, 17, tzinfo=UTC)
    assert parse_stamp("2023-06-27 18:58:17+00:00") == (full, full)
    assert parse_stamp("2023-06-27T18:58:17Z") == (full, full)
    assert parse_stamp("2023-12-30") == (None, datetime(2023, 12, 30, 23, 59, 59, tzinfo=UTC))
    assert parse_stamp("2023-06") == (None, datetime(2023, 6, 30, 23, 59, 59, tzinfo=UTC))
    assert parse_stamp("2023-12") == (None, datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC))
    assert parse_stamp(None) == (None, None)
    assert parse_stamp("soon") == (None, None)


ROW = {
    "rid": "x1",
    "url": "https://example.org/x1",
    "outlet": "Example",
    "published": "2023-12-30T14:15:31+00:00",
    "title": "Russia says 10 people killed in attack on Belgorod",
    "text": "<p>Ten people were killed.</p>",
    "primary": "s1",
    "mentions": [
        {
            "strike": "s1",
            "date": "2023-12-30",
            "date_basis": "publication",
            "settlement": "Belgorod",
            "admin1": "Belgorod Oblast",
            "country": "RU",
            "attacker": "UA",
            "attribution": "claimed by RU",
            "weapons": ["unknown"],
            "killed": {"value": 10, "qualifier": "exact"},
            "injured": None,
            "targets": [],
            "evidence": "attack on Belgorod",
        },
        {
            "strike": "s2",
            "date": None,
            "date_basis": "unknown",
            "settlement": None,
            "admin1": None,
            "country": "UA",
            "attacker": "RU",
            "attribution": None,
            "weapons": ["missile"],
            "killed": None,
            "injured": None,
            "targets": [],
            "evidence": "strikes on Ukraine",
        },
    ],
}


def test_gold_reports_carry_the_mentions() -> None:
    first, second = gold_reports(ROW)
    assert (first.index, second.index) == (0, 1)
    assert first.article_id == second.article_id
    assert first.settlement == "Belgorod" and first.precision == "settlement"
    assert first.date == date(2023, 12, 30) and first.killed is not None and first.killed.value == 10
    assert first.lead == "Ten people were killed." and first.published_at is not None
    assert second.precision == "country" and second.date is None and second.weapons == ("missile",)


def test_gold_settlements_carry_the_gazetteer_coordinates() -> None:
    # a labelled mention has no coordinates; the extractor's report of that city would have them
    first, second = gold_reports(ROW)
    assert first.lat is not None and first.lon is not None
    assert abs(first.lat - 50.6) < 0.2 and abs(first.lon - 36.6) < 0.2  # Belgorod
    assert second.lat is None and second.lon is None  # a country-level mention has no point


def test_evaluate_small_file(tmp_path: Path) -> None:
    rows = [ROW, {**ROW, "rid": "x2", "url": "https://example.org/x2", "published": "2023-12-30"}]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = evaluate_clusters(path)
    assert result["pairwise_f1"] == 1.0 and result["over_count"] == 1.0
    assert result["missed_primaries"] == []
    table = format_cluster_table(result)
    assert "pairwise F1" in table and "B3 precision" in table


def test_missed_primary_counts_as_its_own_event(tmp_path: Path) -> None:
    rows = [ROW, {**ROW, "rid": "x2", "url": "https://example.org/x2"}]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = evaluate_clusters(path, extract_fn=lambda article, ref: [])
    assert len(result["missed_primaries"]) == 2
    assert result["pairwise_recall"] == 0.0 and result["over_count"] == 2.0


@pytest.mark.shared
def test_dev_set_targets_with_gold_mention_reports(shared_data: Path) -> None:
    result = evaluate_clusters(shared_data / "eval" / "dev_reports.jsonl")
    assert result["labelled_reports"] == 65
    assert result["pairwise_f1"] >= 0.93
    assert result["b3_precision"] >= 0.97
    assert result["over_count"] <= 1.05
    assert result["same_city_day_pairs"] > 0 and result["same_city_day_apart"] == 1.0
    assert result["state_bytes_per_event"] < 2048


def test_an_item_stating_no_strike_is_replayed_but_not_scored(tmp_path: Path) -> None:
    quiet = {**ROW, "rid": "x3", "url": "https://example.org/x3", "primary": None, "mentions": []}
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (ROW, quiet)), encoding="utf-8")
    result = evaluate_clusters(path)
    assert result["labelled_reports"] == 1 and result["articles"] == 2
    assert result["pairwise_f1"] == 1.0 and result["missed_primaries"] == []
