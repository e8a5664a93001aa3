"""Lead and date rules of the extraction core, each on a sentence written for the test (real facts)."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.core.extract import extract
from streams.core.models import Article


def test_city_named_only_through_its_mayor_takes_the_headline_country_framing() -> None:
    article = Article(
        id="odesa-mayor",
        title="Russia strikes Ukraine in revenge for the Crimean bridge attack",
        text='"It was a terrible night for our port," the mayor of the southern Ukrainian city of Odesa said.',
        published_at=datetime(2023, 7, 18, 9, tzinfo=UTC),
    )
    reports = extract(article)
    assert reports[0].settlement == "Odesa"
    assert reports[0].country == "UA"
    assert reports[0].attacker == "RU"
    assert str(reports[0].date) == "2023-07-18"
    assert all(r.settlement is not None or r.country != "UA" for r in reports)


def test_headline_strike_comes_before_the_event_the_headline_names_as_earlier() -> None:
    article = Article(
        id="odesa-order",
        title="Russia strikes Ukraine in revenge for attack on Kerch bridge",
        text="Russian missiles hit grain terminals in Odesa overnight, the governor said.",
        published_at=datetime(2023, 7, 18, 9, tzinfo=UTC),
    )
    reports = extract(article)
    assert reports[0].settlement == "Odesa"
