"""The fault suite's inputs and hooks, without a broker."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from bench.chaos import malformed, mix
from streams.contracts import BadMessage, decode_article
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
