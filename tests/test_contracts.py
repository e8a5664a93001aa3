"""schemas/ is the contract: examples validate, the code's records validate, bad input is refused."""

from __future__ import annotations

import base64
import functools
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from streams.contracts import (
    SCHEMA_DIR,
    SCHEMAS,
    BadMessage,
    Origin,
    dead_letter,
    decode_article,
    schema_errors,
    validator,
)
from streams.core.models import Alert, Article, Casualty, Figure, Source, StrikeEvent, StrikeReport
from streams.core.published import PATTERNS, read_published_at

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


@pytest.mark.parametrize(
    ("published_at", "quality"),
    [(datetime(2023, 1, 14, 18, 40, tzinfo=UTC), "naive_utc"), (None, "date_only"), (None, "unreadable")],
)
def test_reports_carry_the_published_at_quality_through_their_schema(
    published_at: datetime | None, quality: str
) -> None:
    report = _report(published_at=published_at, published_at_quality=quality)
    document = orjson.loads(orjson.dumps(report.to_dict()))
    assert schema_errors("strike-report", document) == []
    assert document["published_at_quality"] == quality
    assert StrikeReport.from_dict(document) == report
    assert schema_errors("strike-report", {**document, "published_at_quality": "roughly"})


def test_the_report_schema_lists_every_field_and_requires_all_but_the_quality() -> None:
    schema = orjson.loads((SCHEMA_DIR / SCHEMAS["strike-report"]).read_bytes())
    assert set(schema["properties"]) == set(_report().to_dict())
    # reports written by a worker older than published_at_quality lack it and must still be merged
    assert set(schema["required"]) == set(schema["properties"]) - {"published_at_quality"}
    old = {k: v for k, v in _report().to_dict().items() if k != "published_at_quality"}
    assert schema_errors("strike-report", old) == []
    assert StrikeReport.from_dict(old).published_at_quality == "exact"


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
    assert article.published_at_quality == "exact"
    assert decode_article(b'{"id": "1", "text": "x"}', 1 << 20).published_at_quality == "missing"


# ------------------------------------------------------------------ published_at: tolerant, and said exactly

ARTICLE_EXAMPLES = {  # one example of each accepted form of published_at, and how it is read
    "article.json": "exact",
    "article.iso-space.json": "exact",
    "article.rfc822.json": "exact",
    "article.naive.json": "naive_utc",
    "article.date-only.json": "date_only",
    "article.unreadable.json": "unreadable",
    "article.missing.json": "missing",
}


def test_every_article_example_is_listed_with_its_quality() -> None:
    assert {p.name for p in EXAMPLES.glob("article*.json")} == set(ARTICLE_EXAMPLES)


@pytest.mark.parametrize(("name", "quality"), sorted(ARTICLE_EXAMPLES.items()))
def test_each_published_at_form_is_accepted_and_read_as_documented(name: str, quality: str) -> None:
    payload = (EXAMPLES / name).read_bytes()
    assert schema_errors("article", orjson.loads(payload)) == []
    article = decode_article(payload, 1 << 20)
    assert article.published_at_quality == quality
    if quality in ("exact", "naive_utc"):  # every timed example is the same instant
        assert article.published_at == datetime(2023, 12, 31, 9, 15, tzinfo=UTC)
    assert (article.published_day is not None) == (quality == "date_only")


def _article_schema() -> dict[str, Any]:
    return orjson.loads((SCHEMA_DIR / SCHEMAS["article"]).read_bytes())  # type: ignore[no-any-return]


def test_the_schema_states_the_patterns_the_reader_uses() -> None:
    defs = _article_schema()["$defs"]
    for quality, patterns in PATTERNS.items():
        assert [branch["pattern"] for branch in defs[f"published_at_{quality}"]["anyOf"]] == list(patterns)


@functools.cache
def _form_validators() -> dict[str, jsonschema_rs.Draft202012Validator]:
    defs = _article_schema()["$defs"]
    return {
        name.removeprefix("published_at_"): jsonschema_rs.Draft202012Validator(
            {"$defs": defs, "$ref": f"#/$defs/{name}"}, validate_formats=False
        )
        for name in defs
    }


def _schema_reading(value: Any) -> str:
    """How the schema classifies a published_at value: the one form whose definition it matches."""
    matched = [form for form, check in _form_validators().items() if check.is_valid(value)]
    if value is None:
        assert matched == [], matched
        return "missing"
    assert len(matched) == 1, (value, matched)  # the forms do not overlap and cover everything
    return matched[0]


def _names_a_day_that_does_not_exist(value: str) -> bool:
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    iso = re.search(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)
    rfc = re.search(r"([0-9]{1,2}) (" + "|".join(months) + r") ([0-9]{4})", value)
    parts = (iso[1], iso[2], iso[3]) if iso else (rfc[3], str(months.index(rfc[2]) + 1), rfc[1]) if rfc else None
    if parts is None:
        return False
    try:
        date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return True
    return False


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)  # what JSON (orjson) carries
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=5,
)
_PUBLISHED_AT = st.one_of(
    *(st.from_regex(pattern, fullmatch=True) for patterns in PATTERNS.values() for pattern in patterns),
    st.sampled_from(["2023-12-30", "Sat, 30 Dec 2023 14:05:00 +0000", "2023-12-30 14:05:00+03:00"]).flatmap(
        lambda v: st.tuples(st.integers(0, len(v)), st.integers(0, 3), st.text(max_size=2)).map(
            lambda cut: v[: cut[0]] + cut[2] + v[cut[0] + cut[1]:]  # the accepted forms, slightly broken
        )
    ),
    _JSON,
)


@hyp_settings(max_examples=400, deadline=None)
@given(value=_PUBLISHED_AT)
def test_the_reader_reads_exactly_what_the_schema_says(value: Any) -> None:
    said = _schema_reading(value)
    read = read_published_at(value)
    if read.quality == "unreadable" and said != "unreadable":
        # the one thing a pattern cannot say: the form is right but the day does not exist
        assert isinstance(value, str) and _names_a_day_that_does_not_exist(value), (value, said)
    else:
        assert read.quality == said, value
    # and at the edge: the article is never refused for its published_at, and reads the same
    article = decode_article(orjson.dumps({"id": "x", "text": "t", "published_at": value}), 1 << 20)
    assert article.published_at_quality == read.quality
    assert (article.published_at, article.published_day) == (read.at, read.day)


@pytest.mark.parametrize(
    "value", ["2023-12-30T09:15:00+02:00", "2023-12-30 09:15:00", "Sat, 30 Dec 2023 09:15:00", "2023-12-30", None]
)
def test_articles_round_trip_their_published_at_and_its_quality(value: str | None) -> None:
    first = decode_article(orjson.dumps({"id": "x", "text": "t", "published_at": value}), 1 << 20)
    assert schema_errors("article", first.to_dict()) == []
    assert Article.from_dict(first.to_dict()) == first


def test_an_unreadable_value_is_not_kept_and_the_article_reads_as_undated() -> None:
    article = decode_article(b'{"id": "x", "text": "t", "published_at": "yesterday"}', 1 << 20)
    assert article.published_at_quality == "unreadable"
    assert "published_at" not in article.to_dict()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"published_at": datetime(2024, 1, 1, tzinfo=UTC), "published_at_quality": "date_only"}, "does not fit"),
        ({"published_at_quality": "exact"}, "does not fit"),
        ({"published_at_quality": "date_only"}, "without published_day"),
        ({"published_at": datetime(2024, 1, 1, tzinfo=UTC), "published_day": date(2024, 1, 1)}, "not both"),
    ],
)
def test_an_article_refuses_a_quality_that_contradicts_its_fields(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Article(id="x", **fields)


def test_records_built_without_a_quality_get_the_one_their_fields_imply() -> None:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    assert Article(id="x", published_at=at).published_at_quality == "exact"
    assert Article(id="x", published_day=date(2024, 1, 1)).published_at_quality == "date_only"
    assert Article(id="x").published_at_quality == "missing"
    assert _report(published_at=at).published_at_quality == "exact"
    assert _report(published_at=None).published_at_quality == "missing"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"this is not json", "not_json"),
        (b"\xff\xfe\x00garbage", "not_utf8"),
        (b"[1, 2, 3]", "schema_violation"),
        (b'{"id": "x"}', "schema_violation"),  # neither title nor text
        (b'{"id": "x", "title": "  ", "text": ""}', "schema_violation"),  # both blank
        (b'{"title": "no id and no url"}', "schema_violation"),
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

