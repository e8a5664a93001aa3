"""What each agent does with one message, without Kafka: sends, state writes, dead letters."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta

import orjson
import pytest

from streams.contracts import Origin, schema_errors
from streams.core.dedup import DedupConfig, block_key
from streams.core.models import Article, Casualty, StrikeReport
from streams.handlers import StateCache, handle_article, handle_expiry, handle_report

NOW = datetime(2023, 1, 15, 10, 0, tzinfo=UTC)
ORIGIN = Origin("articles", 1, 42, datetime(2023, 1, 15, 9, 59, tzinfo=UTC), b"key")
CONFIG = DedupConfig()


def fake_extract(article: Article, reference_time: datetime | None) -> list[StrikeReport]:
    """A stand-in extractor: one Dnipro report per article whose title says Dnipro."""
    if "Dnipro" not in (article.title or ""):
        return []
    killed = int((article.text or "0").split()[0]) if article.text else None
    return [
        StrikeReport(
            article_id=article.id, index=0, country="UA", settlement="Dnipro", admin1="Dnipropetrovsk Oblast",
            lat=48.45, lon=34.98, precision="settlement", date=date(2023, 1, 14), date_basis="relative",
            attacker="RU", weapons=("missile",), targets=("apartment_building",),
            killed=Casualty(killed) if killed is not None else None,
            published_at=article.published_at, title=article.title, url=article.url,
        )
    ]


def article(aid: str, title: str, text: str = "") -> bytes:
    return orjson.dumps({"id": aid, "title": title, "text": text, "published_at": "2023-01-14T18:00:00+00:00"})


def test_a_strike_article_becomes_reports_keyed_by_their_dedup_block() -> None:
    result = handle_article(article("a", "Missile hits Dnipro", "12"), ORIGIN, max_bytes=1 << 20, now=NOW,
                            extract_fn=fake_extract)
    assert result.outcome == "strike" and len(result.sends) == 1
    send = result.sends[0]
    report = StrikeReport.from_dict(orjson.loads(send.value))
    assert send.topic == "reports" and send.key == block_key(report).encode()
    assert schema_errors("strike-report", orjson.loads(send.value)) == []


def test_an_irrelevant_article_sends_nothing() -> None:
    result = handle_article(article("b", "Cup final"), ORIGIN, max_bytes=1 << 20, now=NOW, extract_fn=fake_extract)
    assert (result.outcome, result.sends) == ("irrelevant", [])


def test_an_exception_in_the_core_is_dead_lettered_not_raised() -> None:
    def broken(article: Article, reference_time: datetime | None) -> list[StrikeReport]:
        raise RuntimeError("boom")

    payload = article("c", "Missile hits Dnipro")
    result = handle_article(payload, ORIGIN, max_bytes=1 << 20, now=NOW, extract_fn=broken)
    assert result.outcome == "dead_lettered" and result.reason == "extract_error"
    (send,) = result.sends
    record = orjson.loads(send.value)
    assert send.topic == "articles_dlq" and record["stage"] == "extract" and "boom" in record["detail"]
    assert (record["topic"], record["partition"], record["offset"]) == ("articles", 1, 42)
    assert base64.b64decode(record["payload_b64"]) == payload
    assert schema_errors("dead-letter", record) == []


@pytest.mark.parametrize("payload", [b"", b"null", b"\x00\x01", b"{", b'{"id": []}'])
def test_garbage_never_raises(payload: bytes) -> None:
    result = handle_article(payload, ORIGIN, max_bytes=1 << 20, now=NOW, extract_fn=fake_extract)
    assert result.outcome == "dead_lettered" and result.sends[0].topic == "articles_dlq"


def reports_of(payload: bytes) -> list[bytes]:
    result = handle_article(payload, ORIGIN, max_bytes=1 << 20, now=NOW, extract_fn=fake_extract)
    return [s.value for s in result.sends]


def test_dedup_handler_creates_updates_and_ignores_redelivery() -> None:
    (first,) = reports_of(article("a", "Missile hits Dnipro", "12"))
    created = handle_report(None, first, ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert created.changed and created.events_created == 1 and created.open_delta == 1
    assert created.alert_kinds == ["new_strike"]
    assert {s.topic for s in created.sends} == {"events", "alerts"}

    again = handle_report(created.state, first, ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert (again.changed, again.sends, again.alert_kinds) == (False, [], [])

    (later,) = reports_of(article("b", "Dnipro toll rises", "30"))
    rose = handle_report(created.state, later, ORIGIN, now=NOW + timedelta(hours=12), config=CONFIG,
                         max_bytes=1 << 20)
    assert rose.alert_kinds == ["casualties_rose"] and rose.events_updated == 1 and rose.open_delta == 0
    alert = next(orjson.loads(s.value) for s in rose.sends if s.topic == "alerts")
    event_id = next(orjson.loads(s.value)["event_id"] for s in created.sends if s.topic == "alerts")
    assert alert["event_id"] == event_id and alert["killed"]["value"] == 30
    assert schema_errors("alert", alert) == []


def test_a_bad_report_is_dead_lettered_from_the_dedup_stage() -> None:
    result = handle_report(None, b'{"article_id": "x"}', ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert result.reason == "schema_violation" and not result.changed
    assert orjson.loads(result.sends[0].value)["stage"] == "dedup"


def test_expiry_closes_idle_events_and_empties_the_block() -> None:
    (first,) = reports_of(article("a", "Missile hits Dnipro", "12"))
    created = handle_report(None, first, ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert created.state is not None
    kept = handle_expiry(created.state, NOW + timedelta(days=1), CONFIG)
    assert not kept.changed
    closed = handle_expiry(created.state, NOW + timedelta(days=8), CONFIG)
    assert closed.changed and closed.state is None and closed.events_closed == 1 and closed.open_delta == -1


def test_the_decoded_state_cache_changes_no_outcome_and_misses_on_foreign_bytes() -> None:
    cache = StateCache(size=2)
    (first,) = reports_of(article("a", "Missile hits Dnipro", "12"))
    (later,) = reports_of(article("b", "Dnipro toll rises", "30"))
    key_origin = Origin("reports", 0, 1, None, b"UA/dnipropetrovsk-oblast")
    plain = handle_report(None, first, key_origin, now=NOW, config=CONFIG, max_bytes=1 << 20)
    cached = handle_report(None, first, key_origin, now=NOW, config=CONFIG, max_bytes=1 << 20, cache=cache)
    assert cached.state == plain.state and cached.sends == plain.sends
    assert cached.state is not None and cache.get(b"UA/dnipropetrovsk-oblast", cached.state) is not None
    # equal bytes from elsewhere (a changelog restore) are decoded afresh, not trusted by identity
    assert cache.get(b"UA/dnipropetrovsk-oblast", bytes(bytearray(cached.state))) is None
    then = NOW + timedelta(hours=12)
    a = handle_report(plain.state, later, key_origin, now=then, config=CONFIG, max_bytes=1 << 20)
    b = handle_report(cached.state, later, key_origin, now=then, config=CONFIG, max_bytes=1 << 20, cache=cache)
    assert (a.state, a.alert_kinds) == (b.state, b.alert_kinds) == (a.state, ["casualties_rose"])
