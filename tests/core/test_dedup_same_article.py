"""Two mentions of one article that name the same town are two strikes: the article told them apart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from streams.core.dedup import BlockState, step
from streams.core.models import StrikeReport

NOON = datetime(2024, 1, 2, 10, 0, tzinfo=UTC)


def mention(article: str, index: int, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA",
        "settlement": "Kharkiv",
        "admin1": "Kharkiv Oblast",
        "date": date(2024, 1, 2),
        "date_basis": "relative",
        "attacker": "RU",
        "weapons": ("missile",),
        "url": f"https://example.org/{article}",
        "outlet": "Example",
        "published_at": NOON,
        "evidence": "Kharkiv",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=index, **base)


def grouping(reports: list[StrikeReport]) -> list[list[str]]:
    state: BlockState | None = None
    for n, r in enumerate(reports):
        state, _ = step(state, r, NOON + timedelta(minutes=n))
    assert state is not None
    return sorted(sorted(f"{m.report.article_id}#{m.report.index}" for m in oe.members) for oe in state.events)


def test_an_article_naming_a_town_twice_tells_two_strikes() -> None:
    # "missiles hit Kharkiv in the evening; overnight, drones hit it again": no time of day was read
    evening, night = mention("roundup", 0), mention("roundup", 1, weapons=())
    assert grouping([evening, night]) == [["roundup#0"], ["roundup#1"]]


def test_other_articles_still_join_either_strike() -> None:
    reports = [mention("roundup", 0), mention("roundup", 1, weapons=()), mention("wire", 0)]
    groups = grouping(reports)
    assert len(groups) == 2
    assert ["roundup#0", "wire#0"] in groups or ["roundup#1", "wire#0"] in groups


def test_a_village_named_beside_the_city_is_left_to_the_evidence() -> None:
    # "a strike on a postal depot in Kharkiv ... the depot in the village of Korotych": one strike
    city = mention("depot", 0, targets=("other_civilian",), lat=49.99, lon=36.23)
    village = mention("depot", 1, settlement="Korotych", targets=("other_civilian",), lat=49.95, lon=36.07)
    assert grouping([city, village]) == [["depot#0", "depot#1"]]
