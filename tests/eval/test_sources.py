"""How raw items of the shared data formats become articles and reference times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.eval.sources import parse_stamp, reference_time, rss_article


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-03-15 10:16:59+00:00", "2023-03-15T10:16:59+00:00"),
        ("2023-03-15T10:16:59Z", "2023-03-15T10:16:59+00:00"),
        ("2023-03-15 12:16:59+02:00", "2023-03-15T12:16:59+02:00"),
        ("2023-03-15 10:16:59", "2023-03-15T10:16:59+00:00"),  # naive feed times are UTC
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_full_stamps_give_an_aware_publication_time(raw: str | None, expected: str | None) -> None:
    published, _ = parse_stamp(raw)
    assert (published.isoformat() if published else None) == expected


def test_a_bare_day_gives_no_publication_time_but_midday_of_that_day_as_reference() -> None:
    assert parse_stamp("2023-12-30") == (None, datetime(2023, 12, 30, 23, 59, 59, tzinfo=UTC))
    # noon UTC is still 30 December in Kyiv; the end of the UTC day would be the 31st there
    assert reference_time({"published": "2023-12-30"}) == datetime(2023, 12, 30, 12, tzinfo=UTC)
    assert reference_time({"published": "2023-06"}) is None  # a month is too vague to resolve "on Saturday"


def test_rss_items_without_url_get_a_stable_id_and_blank_items_none() -> None:
    item = {"title": "Drones hit Odesa", "description": "x", "published": "2023-07-20 06:00:00+00:00"}
    first, again = rss_article(item), rss_article(dict(item))
    assert first is not None and again is not None and first.id == again.id
    assert rss_article({"title": " ", "description": ""}) is None
