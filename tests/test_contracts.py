"""schemas/ is the contract: examples validate, the code's records validate, bad input is refused."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest

from streams.contracts import (
    SCHEMAS,
    BadMessage,
    Origin,
    dead_letter,
    decode_article,
    schema_errors,
    validator,
)
from streams.core.models import Alert, Article, Casualty, Figure, Source, StrikeEvent, StrikeReport

EXAMPLES = Path(__file__).resolve().parents[1] / "schemas" / "examples"
KYIV = timezone(timedelta(hours=2))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_is_valid_2020_12_and_its_example_validates(name: str) -> None:
    validator(name)  # check_schema raises on an invalid schema
    example = orjson.loads((EXAMPLES / f"{name}.json").read_bytes())
    assert schema_errors(name, example) == []


def _report(**overrides: object) -> StrikeReport:
    fields: dict[str, object] = dict(
        article_id="a1",
        index=0,
        country="UA",
        settlement="Dnipro",
        admin1="Dnipropetrovsk Oblast",
        lat=48.45,
        lon=34.98,
        precision="settlement",
        date=date(2023, 1, 14),
        date_basis="relative",
        time_of_day="afternoon",
        attacker="RU",
        weapons=("missile",),
        killed=Casualty(12, "at_least"),
        injured=Casualty(64),
        targets=("apartment_building",),
        evidence="A missile struck an apartment building in Dnipro",
        field_evidence={"killed": "killing at least 12"},
        url="https://example.org/a1",
        outlet="Example",
        published_at=datetime(2023, 1, 14, 18, 40, tzinfo=UTC),
        title="Missile hits Dnipro",
        lead="A missile struck an apartment building in Dnipro.",
    )
    fields.update(overrides)
    return StrikeReport(**fields)  # type: ignore[arg-type]


def _event(report: StrikeReport) -> StrikeEvent:
    seen = datetime(2023, 1, 14, 18, 41, tzinfo=KYIV)
    return StrikeEvent(
        event_id="ev-1",
        version=1,
        block="UA|Dnipropetrovsk Oblast",
        country=report.country,
        settlement=report.settlement,
        admin1=report.admin1,
        lat=report.lat,
        lon=report.lon,
        precision=report.precision,
        date=report.date,
        time_of_day=report.time_of_day,
        attacker=report.attacker,
        attribution=None,
        weapons=report.weapons,
        targets=report.targets,
        killed=Figure(12, "at_least", "a1"),
        injured=None,
        sources=(Source("a1", 0, report.url, report.outlet, report.published_at, report.evidence),),
        first_seen=seen,
        last_updated=seen,
        source_count=1,
    )


def test_records_serialise_to_their_schemas_and_back() -> None:
    report = _report()
    assert schema_errors("strike-report", report.to_dict()) == []
    assert StrikeReport.from_dict(orjson.loads(orjson.dumps(report.to_dict()))) == report
    event = _event(report)
    assert schema_errors("strike-event", event.to_dict()) == []
    assert StrikeEvent.from_dict(orjson.loads(orjson.dumps(event.to_dict()))) == event
    alert = Alert.for_event("new_strike", event)
    assert alert.alert_id == "ev-1:v1" and alert.source_count == 1
    assert Alert.for_event("new_strike", replace(event, source_count=14)).source_count == 14
    assert schema_errors("alert", alert.to_dict()) == []
    assert Alert.from_dict(orjson.loads(orjson.dumps(alert.to_dict()))) == alert


def test_a_report_with_a_vocabulary_word_outside_the_contract_is_refused() -> None:
    bad = _report(weapons=("laser",)).to_dict()
    assert any("weapons" in e for e in schema_errors("strike-report", bad))
    bad = _report(killed=Casualty(3, "roughly")).to_dict()  # type: ignore[arg-type]
    assert schema_errors("strike-report", bad)


def test_models_refuse_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        _report(published_at=datetime(2023, 1, 14, 18, 40)).to_dict()  # noqa: DTZ001


def test_article_without_id_gets_a_stable_id_from_its_url() -> None:
    payload = orjson.dumps({"url": "https://example.org/x", "title": "Drone strike on Odesa"})
    first = decode_article(payload, 1 << 20)
    assert first.id == decode_article(payload, 1 << 20).id
    other = decode_article(orjson.dumps({"url": "https://example.org/y", "title": "t"}), 1 << 20)
    assert first.id != other.id


def test_published_at_is_optional_and_parsed_aware_when_present() -> None:
    article = decode_article(b'{"id": "1", "text": "x", "published_at": "2024-07-08T10:00:00+03:00"}', 1 << 20)
    assert article.published_at is not None and article.published_at.utcoffset() == timedelta(hours=3)
    assert decode_article(b'{"id": "1", "text": "x"}', 1 << 20).published_at is None


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"this is not json", "not_json"),
        (b"\xff\xfe\x00garbage", "not_utf8"),
        (b"[1, 2, 3]", "schema_violation"),
        (b'{"id": "x"}', "schema_violation"),  # neither title nor text
        (b'{"id": "x", "title": "  ", "text": ""}', "schema_violation"),  # both blank
        (b'{"title": "no id and no url"}', "schema_violation"),
        (b'{"id": "x", "text": "t", "published_at": "yesterday"}', "schema_violation"),
        (b'{"id": "x", "text": "t", "published_at": "2024-07-08T10:00:00"}', "schema_violation"),  # no offset
        (b'{"id": 5, "text": "t"}', "schema_violation"),
        (b'{"id": "x", "text": "' + b"a" * 2000 + b'"}', "too_large"),
    ],
)
def test_bad_articles_are_refused_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(BadMessage) as caught:
        decode_article(payload, max_bytes=1024)
    assert caught.value.reason == reason


def test_dead_letter_keeps_the_payload_and_where_it_came_from() -> None:
    payload = b"\xff" * 3000
    origin = Origin("articles", 3, 17, datetime(2024, 1, 1, tzinfo=UTC), b"k")
    record = dead_letter(
        reason="not_utf8", detail="bad byte", stage="extract", origin=origin, payload=payload,
        max_bytes=1024, now=datetime(2024, 1, 1, 0, 0, 1, tzinfo=UTC),
    )
    assert schema_errors("dead-letter", record) == []
    assert (record["topic"], record["partition"], record["offset"]) == ("articles", 3, 17)
    assert base64.b64decode(record["payload_b64"]) == payload[:1024]
    assert record["truncated"] is True and record["payload_size"] == 3000
    assert base64.b64decode(record["key_b64"]) == b"k"


def test_article_round_trip_matches_schema() -> None:
    article = Article(id="a", url="https://e.org", title="t", text="x",
                      published_at=datetime(2024, 1, 1, tzinfo=UTC))
    assert schema_errors("article", article.to_dict()) == []
    assert Article.from_dict(article.to_dict()) == article

