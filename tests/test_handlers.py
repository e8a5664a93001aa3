"""What each agent does with one message, without Kafka: sends, state writes, dead letters."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta

import orjson
import pytest

from streams.contracts import Origin, schema_errors
from streams.core.dedup import DedupConfig, Summary, block_key
from streams.core.models import Article, Casualty, StrikeReport
from streams.handlers import (
    SUMMARY_HEADER,
    ReportResult,
    StateCache,
    event_key,
    handle_article,
    handle_expiry,
    handle_report,
    handle_summary,
    is_event_key,
    is_index_key,
    load_block,
    summary_key,
)

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


@pytest.mark.parametrize(
    ("published_at", "reference", "quality"),
    [
        ("2023-01-14T18:00:00+02:00", datetime(2023, 1, 14, 16, 0, tzinfo=UTC), "exact"),
        ("Sat, 14 Jan 2023 16:00:00 GMT", datetime(2023, 1, 14, 16, 0, tzinfo=UTC), "exact"),
        ("2023-01-14 16:00:00", datetime(2023, 1, 14, 16, 0, tzinfo=UTC), "naive_utc"),
        # a day alone: Kyiv noon of that day, not the Kafka time of the next day
        ("2023-01-14", datetime(2023, 1, 14, 10, 0, tzinfo=UTC), "date_only"),
        ("yesterday", ORIGIN.timestamp, "unreadable"),
        ("2023-01", ORIGIN.timestamp, "unreadable"),
        (None, ORIGIN.timestamp, "missing"),
    ],
)
def test_an_article_is_read_against_its_publication_time_day_or_kafka_time(
    published_at: str | None, reference: datetime, quality: str
) -> None:
    seen: list[datetime | None] = []

    def recording(article: Article, reference_time: datetime | None) -> list[StrikeReport]:
        seen.append(reference_time)
        return fake_extract(article, reference_time)

    payload = orjson.dumps({"id": "q", "title": "Missile hits Dnipro", "text": "3", "published_at": published_at})
    result = handle_article(payload, ORIGIN, max_bytes=1 << 20, now=NOW, extract_fn=recording)
    assert result.outcome == "strike" and result.published_at_quality == quality
    assert seen == [reference]
    (send,) = result.sends
    document = orjson.loads(send.value)
    assert document["published_at_quality"] == quality and schema_errors("strike-report", document) == []
    assert (document["published_at"] is None) == (quality in ("date_only", "unreadable", "missing"))


def test_a_date_only_article_resolves_overnight_to_its_day_not_to_the_kafka_day() -> None:
    from streams.core.extract import extract

    late = Origin("articles", 0, 1, datetime(2024, 1, 3, 6, 0, tzinfo=UTC), None)  # produced days later

    def date_of(published_at: str | None) -> str:
        payload = orjson.dumps({
            "id": "k", "title": "Russian drones hit Kharkiv overnight, killing two",
            "text": "Russian Shahed drones struck Kharkiv overnight, killing two people.",
            "published_at": published_at,
        })
        (send,) = handle_article(payload, late, max_bytes=1 << 20, now=NOW, extract_fn=extract).sends
        return str(orjson.loads(send.value)["date"])

    assert date_of("2023-12-30") == date_of("2023-12-30T09:00:00+02:00") == "2023-12-30"
    assert date_of(None) == "2024-01-03"


def test_a_dead_lettered_article_has_no_quality() -> None:
    result = handle_article(b"not json", ORIGIN, max_bytes=1 << 20, now=NOW, extract_fn=fake_extract)
    assert result.published_at_quality is None


@pytest.mark.parametrize("payload", [b"", b"null", b"\x00\x01", b"{", b'{"id": []}'])
def test_garbage_never_raises(payload: bytes) -> None:
    result = handle_article(payload, ORIGIN, max_bytes=1 << 20, now=NOW, extract_fn=fake_extract)
    assert result.outcome == "dead_lettered" and result.sends[0].topic == "articles_dlq"


def reports_of(payload: bytes) -> list[bytes]:
    result = handle_article(payload, ORIGIN, max_bytes=1 << 20, now=NOW, extract_fn=fake_extract)
    return [s.value for s in result.sends]


def applied(table: dict[bytes, bytes], result: ReportResult) -> dict[bytes, bytes]:
    """The table after the result's writes (what the agent does with them)."""
    out = dict(table)
    for key, value in result.writes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


BLOCK_ORIGIN = Origin("reports", 0, 1, None, None)  # no key: the handler derives the block


def test_dedup_handler_creates_updates_and_re_emits_on_redelivery() -> None:
    (first,) = reports_of(article("a", "Missile hits Dnipro", "12"))
    created = handle_report({}, first, BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert created.writes and created.events_created == 1
    assert created.alert_kinds == ["new_strike"]
    assert {s.topic for s in created.sends} == {"events", "alerts", "reports"}
    (summary,) = [s for s in created.sends if s.topic == "reports"]  # the located event, to its country block
    assert summary.key == b"UA/*" and summary.headers == ((SUMMARY_HEADER, b"1"),)
    assert schema_errors("event-summary", orjson.loads(summary.value)) == []
    table = applied({}, created)
    index_keys = [k for k in table if is_index_key(k)]
    assert len(table) - len(index_keys) == 1  # one open event
    assert index_keys == [block_key(StrikeReport.from_dict(orjson.loads(first))).encode()]

    again = handle_report(table, first, BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert (again.writes, again.alert_kinds, again.events_created) == ({}, [], 0) and again.redelivered
    assert again.sends == created.sends  # the same version and alert again: consumers drop them by id

    (later,) = reports_of(article("b", "Dnipro toll rises", "30"))
    rose = handle_report(table, later, BLOCK_ORIGIN, now=NOW + timedelta(hours=12), config=CONFIG,
                         max_bytes=1 << 20)
    assert rose.alert_kinds == ["casualties_rose"] and rose.events_updated == 1
    alert = next(orjson.loads(s.value) for s in rose.sends if s.topic == "alerts")
    event_id = next(orjson.loads(s.value)["event_id"] for s in created.sends if s.topic == "alerts")
    assert alert["event_id"] == event_id and alert["killed"]["value"] == 30
    assert schema_errors("alert", alert) == []
    # one event changed: one event entry written, the block index untouched
    assert list(rose.writes) == [event_key(index_keys[0], event_id)]


def test_a_report_writes_only_its_own_event_not_the_whole_block() -> None:
    table: dict[bytes, bytes] = {}
    for n, place in enumerate(("Dnipro", "Dnipro toll", "Dnipro again")):
        (report,) = reports_of(article(f"x{n}", f"Missile hits {place}", str(10 + n)))
        table = applied(table, handle_report(table, report, BLOCK_ORIGIN, now=NOW, config=CONFIG,
                                             max_bytes=1 << 20))
    other = dict(orjson.loads(reports_of(article("y", "Missile hits Dnipro", "5"))[0]))
    other.update(article_id="y", date="2023-03-02", published_at="2023-03-02T10:00:00+00:00")
    result = handle_report(table, orjson.dumps(other), BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert result.alert_kinds == ["new_strike"]
    block = next(k for k in table if is_index_key(k))
    written = set(result.writes)
    assert block in written and len(written) == 2  # the index and the new event, nothing else


def test_a_bad_report_is_dead_lettered_from_the_dedup_stage() -> None:
    result = handle_report({}, b'{"article_id": "x"}', ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert result.reason == "schema_violation" and not result.writes
    assert orjson.loads(result.sends[0].value)["stage"] == "dedup"


def test_expiry_closes_idle_events_and_empties_the_block() -> None:
    (first,) = reports_of(article("a", "Missile hits Dnipro", "12"))
    table = applied({}, handle_report({}, first, BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20))
    block = next(k for k in table if is_index_key(k))
    kept = handle_expiry(table, block, NOW + timedelta(days=1), CONFIG)
    assert not kept.writes
    closed = handle_expiry(table, block, NOW + CONFIG.close_after + CONFIG.expiry_grace + timedelta(hours=1), CONFIG)
    assert closed.events_closed == 1
    assert applied(table, closed) == {}


def test_the_decoded_event_cache_changes_no_outcome_and_misses_on_foreign_bytes() -> None:
    cache = StateCache(size=2)
    (first,) = reports_of(article("a", "Missile hits Dnipro", "12"))
    (later,) = reports_of(article("b", "Dnipro toll rises", "30"))
    plain = handle_report({}, first, BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    cached = handle_report({}, first, BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20, cache=cache)
    assert cached.writes == plain.writes and cached.sends == plain.sends
    table_plain, table_cached = applied({}, plain), applied({}, cached)
    key, stored = next((k, v) for k, v in table_cached.items() if not is_index_key(k))
    assert cache.get(key, stored) is not None
    # equal bytes from elsewhere (a changelog restore) are decoded afresh, not trusted by identity
    assert cache.get(key, bytes(bytearray(stored))) is None
    then = NOW + timedelta(hours=12)
    a = handle_report(table_plain, later, BLOCK_ORIGIN, now=then, config=CONFIG, max_bytes=1 << 20)
    b = handle_report(table_cached, later, BLOCK_ORIGIN, now=then, config=CONFIG, max_bytes=1 << 20, cache=cache)
    assert (a.writes, a.alert_kinds) == (b.writes, b.alert_kinds)
    assert a.alert_kinds == ["casualties_rose"]


def test_a_crash_between_the_table_write_and_the_sends_loses_no_alert() -> None:
    """The agent wrote the table, then the worker died before its sends; the offset was not committed,
    so the report comes again: its alert comes out then, with the id it would have had."""
    (first,) = reports_of(article("a", "Missile hits Dnipro", "12"))
    created = handle_report({}, first, BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    table = applied({}, created)  # written; created.sends dropped by the crash
    restarted = handle_report(table, first, BLOCK_ORIGIN, now=NOW + timedelta(minutes=3), config=CONFIG,
                              max_bytes=1 << 20, cache=StateCache())
    assert restarted.writes == {} and restarted.redelivered
    lost = [orjson.loads(s.value) for s in created.sends if s.topic == "alerts"]
    sent = [orjson.loads(s.value) for s in restarted.sends if s.topic == "alerts"]
    assert [a["alert_id"] for a in sent] == [a["alert_id"] for a in lost] and sent == lost
    assert sent[0]["kind"] == "new_strike" and schema_errors("alert", sent[0]) == []

    # the same after a toll rise: the casualties_rose alert of v2 comes out on redelivery
    (later,) = reports_of(article("b", "Dnipro toll rises", "30"))
    rose = handle_report(table, later, BLOCK_ORIGIN, now=NOW + timedelta(hours=1), config=CONFIG,
                         max_bytes=1 << 20)
    table = applied(table, rose)
    again = handle_report(table, later, BLOCK_ORIGIN, now=NOW + timedelta(hours=2), config=CONFIG,
                          max_bytes=1 << 20)
    assert [s.value for s in again.sends] == [s.value for s in rose.sends]


# ------------------------------------------------------------------ located-event summaries


def kramatorsk(aid: str, *, settlement: str | None = "Kramatorsk") -> bytes:
    """A report of two people killed by a rocket; without a settlement a country-level account of it."""
    report = StrikeReport(
        article_id=aid, index=0, country="UA", settlement=settlement,
        admin1="Donetsk Oblast" if settlement else None, lat=48.72 if settlement else None,
        lon=37.56 if settlement else None, precision="settlement" if settlement else "country",
        date=date(2023, 1, 14), date_basis="relative", attacker="RU", weapons=("rocket",), killed=Casualty(2),
        published_at=datetime(2023, 1, 14, 12, tzinfo=UTC), url=f"https://news.example.org/{aid}",
    )
    return orjson.dumps(report.to_dict())


def test_a_located_event_summary_reaches_its_country_block_and_links_the_account_there() -> None:
    city = handle_report({}, kramatorsk("city"), BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    (sent,) = [s for s in city.sends if s.topic == "reports"]
    city_id = orjson.loads(next(s.value for s in city.sends if s.topic == "events"))["event_id"]
    table = applied({}, city)
    national = handle_report(table, kramatorsk("national", settlement=None), BLOCK_ORIGIN, now=NOW, config=CONFIG,
                             max_bytes=1 << 20)
    assert national.alert_kinds == ["new_strike"]  # the summary has not reached its block yet
    table = applied(table, national)

    origin = Origin("reports", 3, 7, None, sent.key)
    linked = handle_summary(table, sent.value, origin, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert linked.reason is None and linked.alert_kinds == [] and linked.events_updated == 1
    (event,) = [orjson.loads(s.value) for s in linked.sends if s.topic == "events"]
    assert event["merged_into"] == city_id and event["version"] == 2
    assert schema_errors("strike-event", event) == []
    table = applied(table, linked)
    assert summary_key(b"UA/*", city_id) in table and orjson.loads(table[summary_key(b"UA/*")]) == [city_id]
    state = load_block(table, b"UA/*")
    assert state is not None and [s.event_id for s in state.summaries] == [city_id]
    assert sum(1 for k in table if is_event_key(k)) == 2  # the summary is no open event

    again = handle_summary(table, sent.value, origin, now=NOW, config=CONFIG, max_bytes=1 << 20)
    assert (again.writes, again.sends, again.reason) == ({}, [], None)  # redelivered: nothing changes
    # the account redelivered re-emits its current (linked) version, without an alert
    repeat = handle_report(table, kramatorsk("national", settlement=None), BLOCK_ORIGIN, now=NOW, config=CONFIG,
                           max_bytes=1 << 20)
    assert [orjson.loads(s.value)["merged_into"] for s in repeat.sends] == [city_id] and repeat.redelivered


def test_a_country_block_holding_only_summaries_is_indexed_and_expires() -> None:
    city = handle_report({}, kramatorsk("city"), BLOCK_ORIGIN, now=NOW, config=CONFIG, max_bytes=1 << 20)
    (sent,) = [s for s in city.sends if s.topic == "reports"]
    table = applied({}, handle_summary({}, sent.value, Origin("reports", 0, 1, None, sent.key), now=NOW,
                                       config=CONFIG, max_bytes=1 << 20))
    assert b"UA/*" in table and is_index_key(b"UA/*")  # the expiry tick finds the block by its index
    later = NOW + CONFIG.close_after + CONFIG.expiry_grace + timedelta(days=1)
    assert applied(table, handle_expiry(table, b"UA/*", later, CONFIG)) == {}


def _summary_payload(**changes: object) -> bytes:
    document = orjson.loads(open("schemas/examples/event-summary.json", "rb").read())
    document.update(changes)
    return orjson.dumps(document)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\x00not json", "not_json"),
        (b'{"event_id": "ev_1"}', "schema_violation"),
        (_summary_payload(block="UA/*"), "schema_violation"),
        (_summary_payload(dates=["2023-10-07", "2023-10-06"]), "schema_violation"),
        (_summary_payload(dates=["2023-02-30", "2023-03-01"]), "schema_violation"),
        (_summary_payload(signatures="abc"), "schema_violation"),
        (b'{"pad": "' + b"x" * 3000 + b'"}', "too_large"),
    ],
    ids=["not_json", "missing_fields", "country_block", "backwards", "no_such_day", "signature_bytes", "too_large"],
)
def test_a_malformed_summary_is_dead_lettered_from_the_dedup_stage(payload: bytes, reason: str) -> None:
    """The agent counts each dead letter in strikewatch_dead_letters_total by reason and goes on."""
    origin = Origin("reports", 2, 9, None, b"UA/*")
    result = handle_summary({}, payload, origin, now=NOW, config=CONFIG, max_bytes=2048)
    assert result.reason == reason and not result.writes
    (dead,) = result.sends
    assert dead.topic == "articles_dlq" and dead.reason == reason
    record = orjson.loads(dead.value)
    assert record["stage"] == "dedup" and schema_errors("dead-letter", record) == []


def test_a_well_formed_summary_round_trips_through_its_schema() -> None:
    summary = Summary.from_dict(orjson.loads(_summary_payload()))
    assert orjson.loads(orjson.dumps(summary.to_dict())) == orjson.loads(_summary_payload())
