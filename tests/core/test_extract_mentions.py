"""Mention rules of extract(): several strikes in one text, on sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from streams.core.extract import extract
from streams.core.models import Article

PUB = datetime(2023, 3, 10, 9, 0, tzinfo=UTC)


def _article(title: str, text: str) -> Article:
    return Article(id="m1", url="https://example.org/m", title=title, text=text, outlet="Test", published_at=PUB)


def test_second_strike_verb_with_its_own_place_is_a_second_mention() -> None:
    art = _article(
        "Russian missiles hit Odesa",
        "A Russian missile struck a port in Odesa on Thursday, injuring 3 people. "
        "A week after the blackout, Russian forces shelled Kherson and hit a farm near Kremenchuk.",
    )
    places = {(r.settlement, r.admin1) for r in extract(art)}
    assert ("Odesa", "Odesa Oblast") in places
    assert ("Kherson", "Kherson Oblast") in places
    assert ("Kremenchuk", "Poltava Oblast") in places  # "near X" is placed at X, as the labels do


def test_day_after_clause_names_an_earlier_country_barrage() -> None:
    art = _article(
        "Drones over Ukraine",
        "Russia launched a massive drone attack across Ukraine overnight into Friday. "
        "A missile strike hit Zaporizhzhia on Thursday, killing 2 people, the day after a huge barrage across "
        "Ukraine killed at least 11 people.",
    )
    country = [r for r in extract(art) if r.settlement is None and r.admin1 is None]
    assert len(country) == 2
    dates = sorted(str(r.date) for r in country)
    assert dates == [str(date(2023, 3, 8)), str(date(2023, 3, 10))]
