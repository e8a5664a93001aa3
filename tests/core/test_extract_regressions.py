"""Regressions found by running the demo, named after what broke."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.core.extract import extract
from streams.core.models import Article


def test_police_at_the_start_of_a_sentence_is_not_the_polish_town() -> None:
    article = Article(
        id="police",
        title="Drones hit central Odesa overnight",
        text="Russian drones struck the centre of Odesa overnight, the governor said. Police said three "
        "people were injured.",
        published_at=datetime(2023, 7, 20, 6, tzinfo=UTC),
    )
    reports = extract(article)
    assert [r.settlement for r in reports] == ["Odesa"]
    assert all(r.country == "UA" for r in reports)
