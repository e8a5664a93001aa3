"""The fault suite's inputs and hooks, without a broker."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
import pytest

from bench.chaos import malformed, mix, replay, replay_new_strikes, sent_positions, unfinished
from streams.app import block_partition
from streams.contracts import BadMessage, decode_article
from streams.core.dedup import block_key
from streams.core.models import StrikeReport
from streams.settings import Settings

REAL = [(f"a{i}".encode(), orjson.dumps({"id": f"a{i}", "title": f"Russian drones hit Odesa, {i} injured",
                                          "published_at": datetime(2023, 7, 1, tzinfo=UTC).isoformat()}))
        for i in range(60)]


def test_every_malformed_message_is_refused_at_the_edge() -> None:
    bad = malformed(300, REAL, blobs=2)
    reasons = set()
    for _, payload in bad:
        with pytest.raises(BadMessage) as refused:
            decode_article(payload, 1_048_576)
        reasons.add(refused.value.reason)
    assert reasons == {"not_json", "not_utf8", "schema_violation", "too_large"}
    for _, payload in REAL:
        decode_article(payload, 1_048_576)


def test_mixing_keeps_every_message_and_the_order_of_the_real_ones() -> None:
    bad = malformed(100, REAL, blobs=1)
    mixed = mix(REAL, bad)
    assert len(mixed) == len(REAL) + len(bad)
    assert [m for m in mixed if m in REAL] == REAL


@pytest.mark.parametrize(("value", "parsed"), [("", None), ("0:0.2", (0, 0.2)), ("3:2", (3, 2.0))])
def test_the_slow_partition_hook_is_off_by_default_and_reads_partition_and_seconds(
    value: str, parsed: tuple[int, float] | None
) -> None:
    assert Settings.from_env({"STRIKEWATCH_TEST_DEDUP_DELAY": value}).dedup_delay() == parsed


@pytest.mark.parametrize("value", ["0", "x:1", "-1:2", "1:-2"])
def test_a_bad_slow_partition_hook_fails_loudly(value: str) -> None:
    with pytest.raises(ValueError, match="TEST_DEDUP_DELAY"):
        Settings.from_env({"STRIKEWATCH_TEST_DEDUP_DELAY": value})


def _odesa(article: str, hours: int, **kw: Any) -> tuple[int, bytes, bytes, bool]:
    report = StrikeReport(
        article_id=article, index=0, country="UA", settlement="Odesa", admin1="Odesa Oblast",
        date=date(2023, 7, 1), date_basis="explicit", attacker="RU", weapons=("drone",),
        url=f"https://example.org/{article}", outlet="Example",
        published_at=datetime(2023, 7, 1, 9, tzinfo=UTC) + timedelta(hours=hours), evidence="drones hit Odesa", **kw,
    )
    return 0, block_key(report).encode(), orjson.dumps(report.to_dict()), False  # a report, not a summary


def test_the_replay_gives_each_report_its_own_clock_as_the_worker_does() -> None:
    # Two strikes on Odesa one day (afternoon and night: a conflict), then an account without a time of
    # day that fits both equally. The worker gives it to the event active last (the night one); a replay
    # that gave every report the same clock gave it to the lower id (the afternoon one here), and the
    # fault suite then blamed a fault for the ids that followed from it (a graceful stop failed on it).
    records = [_odesa("b", 0, time_of_day="afternoon"), _odesa("a", 1, time_of_day="night"),
               _odesa("c", 2, targets=("port",))]
    settings = Settings()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    events = [orjson.loads(s.value) for s in replay(records, settings, start) if s.topic == "events"]
    created = {e["sources"][0]["article_id"]: e["event_id"] for e in events if e["version"] == 1}
    assert created["b"] < created["a"]  # the tie-break without a clock would pick b's event
    joined = [e["event_id"] for e in events if any(s["article_id"] == "c" for s in e["sources"])]
    assert joined == [created["a"]]
    assert replay_new_strikes(records, settings) == set(created.values())


def test_a_lost_article_is_located_where_the_producer_wrote_it() -> None:
    # the default Kafka partitioner (murmur2 of the key), offsets counted per partition in send order
    where = sent_positions(REAL, 4)
    assert len(where) == len(REAL)
    by_partition: dict[int, list[int]] = {}
    for key, _ in REAL:
        partition, offset = where[key.decode()]
        assert partition == block_partition(key, 4)
        by_partition.setdefault(partition, []).append(offset)
    for offsets in by_partition.values():
        assert offsets == list(range(len(offsets)))
    assert sent_positions([(None, b"{}")], 4) == {}


def test_an_article_no_worker_finished_is_found_in_the_traces() -> None:
    # two workers' logs (STRIKEWATCH_TEST_TRACE_OFFSETS); partition 1 skips 303 on a hand-over
    lines = [
        "[2026-12-02 06:20:54,359] [21300] [INFO] extract done 0:0 1:300 0:1 1:301 1:302",
        "[2026-12-02 06:20:54,400] [21300] [INFO] some other line 1:303",
        "[2026-12-02 06:20:56,313] [21294] [INFO] extract done 1:304 0:2 1:305",
        "[2026-12-02 06:20:56,313] [21294] [INFO] extract done 1:302 0:1",  # done twice: still done
    ]
    assert unfinished(lines) == {1: [*range(300), 303]}
    assert unfinished(lines[:1]) == {1: list(range(300))}
    assert unfinished(["extract done 2:0 2:1 2:2"]) == {}
