"""The benchmark harness's pure helpers on small inputs (behaviour only; nothing here is timed)."""

from __future__ import annotations

import math

import orjson
import pytest

from bench.common import (
    README_BEGIN,
    README_END,
    alert_trigger,
    collapsed_summary,
    cpu_seconds,
    cycle_take,
    percentile,
    ratio,
    rss_to_article,
    table,
    vm_rss_bytes,
    with_figures,
)
from streams.contracts import decode_article
from streams.core.models import article_id_from_url
from streams.procs import metric_sum

FIREHOSE_ITEM = {
    "url": "https://www.bbc.co.uk/news/world-europe-1",
    "feed": "http://feeds.bbci.co.uk/news/rss.xml",
    "published": "2022-01-01 00:46:40+00:00",
    "title": "Missile strike on Kharkiv",
    "description": "A Russian missile hit the city centre overnight.",
    "language": "en-US",
}


def test_firehose_item_becomes_a_valid_article() -> None:
    article = rss_to_article(FIREHOSE_ITEM)
    assert article is not None
    assert article["id"] == article_id_from_url(FIREHOSE_ITEM["url"])
    assert article["text"] == FIREHOSE_ITEM["description"]
    assert article["outlet"] == FIREHOSE_ITEM["feed"]
    assert article["published_at"] == "2022-01-01T00:46:40+00:00"
    decoded = decode_article(orjson.dumps(article), 1_048_576)  # the worker's edge accepts it
    assert decoded.published_at is not None and decoded.published_at.utcoffset() is not None


def test_strike_pool_item_takes_its_outlet_field() -> None:
    item = {**FIREHOSE_ITEM, "outlet": "https://www.theguardian.com/world/rss"}
    del item["feed"]
    article = rss_to_article(item, outlet_field="outlet")
    assert article is not None and article["outlet"] == "https://www.theguardian.com/world/rss"


def test_items_that_cannot_be_articles_are_dropped() -> None:
    assert rss_to_article({**FIREHOSE_ITEM, "url": ""}) is None
    assert rss_to_article({**FIREHOSE_ITEM, "title": " ", "description": ""}) is None
    no_time = rss_to_article({**FIREHOSE_ITEM, "published": "n/a"})
    assert no_time is not None and "published_at" not in no_time


def test_percentile_interpolates_like_numpy() -> None:
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 25) == 2.0
    assert percentile([10.0, 20.0], 95) == pytest.approx(19.5)
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_ratio_is_none_without_a_usable_baseline() -> None:
    assert ratio(50.0, 100.0) == 0.5
    assert ratio(1.0, 0.0) is None
    assert ratio(None, 1.0) is None
    assert ratio(1.0, math.nan) is None


def test_metric_sum_adds_every_label_set() -> None:
    text = (
        "# HELP strikewatch_articles_consumed_total Articles.\n"
        "# TYPE strikewatch_articles_consumed_total counter\n"
        'strikewatch_articles_consumed_total{outcome="strike"} 3.0\n'
        'strikewatch_articles_consumed_total{outcome="irrelevant"} 39.0\n'
        'strikewatch_articles_consumed_created{outcome="strike"} 1.7e9\n'
        "strikewatch_reports_extracted_total 4.0\n"
    )
    assert metric_sum(text, "strikewatch_articles_consumed_total") == 42.0
    assert metric_sum(text, "strikewatch_reports_extracted_total") == 4.0
    assert metric_sum(text, "absent_total") == 0.0


def test_vm_rss_from_proc_status() -> None:
    assert vm_rss_bytes("Name:\tpython\nVmRSS:\t   81234 kB\nThreads:\t3\n") == 81234 * 1024
    assert vm_rss_bytes("Name:\tzombie\n") is None


def test_alert_trigger_is_the_new_source_or_the_risen_figure() -> None:
    produced = {"https://a/1": 1000.0, "a1": 1000.0, "https://a/2": 2000.0, "a2": 2000.0}
    new = {"kind": "new_strike", "sources": ["https://a/1"], "killed": None, "injured": None}
    assert alert_trigger(new, produced) == "https://a/1"
    rose = {
        "kind": "casualties_rose",
        "sources": ["https://a/1", "https://a/2"],
        "killed": {"value": 5, "qualifier": "exact", "article_id": "a2"},
        "injured": {"value": 2, "qualifier": "exact", "article_id": "a1"},
    }
    assert alert_trigger(rose, produced) == "a2"
    assert alert_trigger({**new, "sources": ["https://elsewhere"]}, produced) is None
    assert alert_trigger({"kind": "details_added", "sources": ["https://a/1"]}, produced) is None


def test_cycle_take_and_table() -> None:
    assert cycle_take([1, 2], 5) == [1, 2, 1, 2, 1]
    assert cycle_take([], 3) == []
    text = table([("a", "1"), ("bbb", "22")], ("name", "n"))
    assert text.splitlines()[0].startswith("name")
    lines = text.splitlines()
    assert lines[1].startswith("----")
    assert lines[3].split() == ["bbb", "22"]
    assert [line[6:] for line in (lines[0], lines[2], lines[3])] == ["n", "1", "22"]  # column 2 aligned


def test_the_readme_figures_are_replaced_between_the_markers_only() -> None:
    readme = f"# T\n\nbefore\n{README_BEGIN}\nold table\n{README_END}\nafter\n"
    rows = [("1 raw copy, msg/s", "10,000", "-", "-"), ("2 worker, articles/s (vs raw)", "1,000", "10,000", "0.100")]
    out = with_figures(readme, rows, "quick mode.")
    assert out.startswith("# T\n\nbefore\n") and out.endswith(f"{README_END}\nafter\n")
    assert "old table" not in out
    assert "| 2 worker, articles/s (vs raw) | 1,000 | 10,000 | 0.100 |" in out
    assert with_figures(out, rows, "quick mode.") == out  # rewriting is stable
    with pytest.raises(ValueError):
        with_figures("# no markers", rows, "")


def test_the_project_readme_has_the_figures_markers() -> None:
    from bench.common import ROOT

    text = (ROOT / "README.md").read_text()
    assert text.count(README_BEGIN) == 1 and text.index(README_BEGIN) < text.index(README_END)


def test_collapsed_stacks_are_summed_per_thread_own_and_cumulative() -> None:
    text = "t1;main;work;parse 30\nt1;main;work 10\nt2;loop;poll 60\nnot a line\n"
    summary = collapsed_summary(text)
    assert summary["samples"] == 100
    assert summary["threads"][0] == {"function": "t2", "samples": 60, "pct": 60.0}
    own = {r["function"]: r["samples"] for r in summary["by_own_time"]}
    assert own == {"poll": 60, "parse": 30, "work": 10}
    cumulative = {r["function"]: r["samples"] for r in summary["by_cumulative"]}
    assert cumulative["work"] == 40 and cumulative["main"] == 40


def test_cpu_seconds_of_a_proc_stat_line() -> None:
    stat = "123 (strike watch) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 3 0 1000 0 0"
    assert cpu_seconds(stat, 100.0) == 3.0
    assert cpu_seconds("garbage", 100.0) is None
