"""Reading published_at: every accepted form, how well it was read, and what is never an error."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from streams.core.published import KYIV, read_published_at, reference_time

PLUS3 = timezone(timedelta(hours=3))
MINUS5 = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("value", "at"),
    [
        ("2024-07-08T10:05:00+03:00", datetime(2024, 7, 8, 10, 5, tzinfo=PLUS3)),
        ("2024-07-08T07:05:00Z", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),
        ("2024-07-08t07:05:00z", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),
        ("2024-07-08 10:05:00+03:00", datetime(2024, 7, 8, 10, 5, tzinfo=PLUS3)),  # a space for the T
        ("2024-07-08 10:05+0300", datetime(2024, 7, 8, 10, 5, tzinfo=PLUS3)),  # no seconds, no colon
        ("2024-07-08T10:05:00.123456789+03:00", datetime(2024, 7, 8, 10, 5, 0, 123456, tzinfo=PLUS3)),
        ("Mon, 08 Jul 2024 07:05:00 +0000", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),  # RSS
        ("8 Jul 2024 10:05 +0300", datetime(2024, 7, 8, 10, 5, tzinfo=PLUS3)),  # no weekday, no seconds
        ("Mon, 08 Jul 2024 07:05:00 GMT", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),
        ("Mon, 08 Jul 2024 02:05:00 EST", datetime(2024, 7, 8, 2, 5, tzinfo=MINUS5)),
        ("Mon, 08 Jul 2024 07:05:00 -0000", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),  # UTC, zone unknown
        ("  Mon, 08 Jul 2024 07:05:00 +0000\n", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),  # feed whitespace
    ],
)
def test_a_time_with_an_offset_or_zone_is_exact(value: str, at: datetime) -> None:
    read = read_published_at(value)
    assert (read.quality, read.at, read.day) == ("exact", at, None)
    assert read.at is not None and read.at.utcoffset() == at.utcoffset()


@pytest.mark.parametrize(
    ("value", "at"),
    [
        ("2024-07-08T07:05:00", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),
        ("2024-07-08 07:05", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),
        ("Mon, 08 Jul 2024 07:05:00", datetime(2024, 7, 8, 7, 5, tzinfo=UTC)),
    ],
)
def test_a_time_without_an_offset_is_taken_as_utc_and_says_so(value: str, at: datetime) -> None:
    read = read_published_at(value)
    assert (read.quality, read.at, read.day) == ("naive_utc", at, None)
    assert read.at is not None and read.at.tzinfo is UTC


@pytest.mark.parametrize("value", ["2023-12-30", "2023-12-30\n", " 2000-02-29 "])
def test_a_date_alone_keeps_the_day_and_invents_no_time(value: str) -> None:
    read = read_published_at(value)
    assert read.quality == "date_only" and read.at is None
    assert read.day == date.fromisoformat(value.strip())


@pytest.mark.parametrize(
    "value",
    [
        "yesterday", "", "   ", "2023-12", "2023", "30.12.2023", "12/30/2023", "1703945100",
        "2023-02-30", "2023-02-29T10:00:00Z",  # days that do not exist
        "0001-01-01T00:00:00Z", "2150-01-01",  # placeholders and years outside 1900-2099
        "2023-12-30T24:00:00Z", "2023-12-31T23:59:60Z", "2023-12-30T10:00:00+24:00",
        "Sat, 30 Dec 2023", "Sat, 30 Dec 23 14:05:00 +0000", "sat, 30 dec 2023 14:05:00 +0000",
        "Sat, 30 Dec 2023 14:05:00 +0000 (UTC)", "2023-12-30T10:00:00 +03:00",
        "٢٠٢٣-١٢-٣٠",  # other digits
        "2023-12-30\u00a0",  # a no-break space is not a blank we strip
    ],
)
def test_any_other_string_is_unreadable_not_an_error(value: str) -> None:
    read = read_published_at(value)
    assert (read.quality, read.at, read.day) == ("unreadable", None, None)


@pytest.mark.parametrize("value", [5, 1703945100.5, True, [2023, 12, 30], {"date": "2023-12-30"}])
def test_other_json_types_are_unreadable(value: object) -> None:
    assert read_published_at(value).quality == "unreadable"


def test_none_is_missing() -> None:
    read = read_published_at(None)
    assert (read.quality, read.at, read.day) == ("missing", None, None)


def test_the_reference_of_a_day_is_kyiv_noon_of_that_day() -> None:
    kafka = datetime(2024, 1, 3, 4, 0, tzinfo=UTC)
    noon = reference_time(None, date(2023, 12, 30), kafka)
    assert noon == datetime(2023, 12, 30, 12, tzinfo=KYIV)
    assert noon is not None and noon.astimezone(KYIV).date() == date(2023, 12, 30)


def test_the_reference_is_the_time_then_the_day_then_the_fallback() -> None:
    at = datetime(2023, 12, 30, 23, 30, tzinfo=UTC)  # already the 31st in Kyiv: the time wins, as given
    kafka = datetime(2024, 1, 3, 4, 0, tzinfo=UTC)
    assert reference_time(at, None, kafka) is at
    assert reference_time(None, None, kafka) is kafka
    assert reference_time(None, None, None) is None
