"""An undated country-level account that only says the country was attacked is the day's attack when it
is news of that day; one that names a weapon, is published the next afternoon, or is a secondary mention
of its article is not guessed into it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from streams.core.dedup import BlockState, step
from streams.core.models import StrikeReport

BARRAGE_DAY = date(2024, 2, 7)
MORNING = datetime(2024, 2, 7, 6, 0, tzinfo=UTC)  # 08:00 in Kyiv


def rep(article: str, published: datetime, index: int = 0, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA",
        "settlement": None,
        "admin1": None,
        "date": BARRAGE_DAY,
        "date_basis": "publication",
        "attacker": "RU",
        "weapons": ("missile",),
        "url": f"https://example.org/{article}",
        "outlet": "Example",
        "published_at": published,
        "evidence": "missiles across Ukraine",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=index, **base)


def undated(article: str, published: datetime, index: int = 0, **kw: Any) -> StrikeReport:
    fields: dict[str, Any] = {"date": None, "date_basis": "unknown", "weapons": (), **kw}
    return rep(article, published, index, **fields)


def events_of(*reports: StrikeReport) -> list[list[str]]:
    state: BlockState | None = None
    for r in reports:
        assert r.published_at is not None
        state, _ = step(state, r, r.published_at)
    assert state is not None
    return sorted(sorted(f"{m.report.article_id}#{m.report.index}" for m in oe.members) for oe in state.events)


def test_an_undated_plain_account_that_evening_is_the_days_attack() -> None:
    late_evening = datetime(2024, 2, 7, 22, 30, tzinfo=UTC)  # 00:30 in Kyiv the next day: still its news
    assert events_of(rep("wave", MORNING), undated("new-strikes", late_evening)) == [["new-strikes#0", "wave#0"]]


def test_the_dated_account_may_come_second() -> None:
    first = undated("new-strikes", MORNING + timedelta(hours=1))
    assert events_of(first, rep("wave", MORNING + timedelta(hours=3))) == [["new-strikes#0", "wave#0"]]


def test_published_the_next_afternoon_it_is_that_days_news_not_the_barrages() -> None:
    next_afternoon = datetime(2024, 2, 8, 13, 0, tzinfo=UTC)  # 15:00 in Kyiv
    assert len(events_of(rep("wave", MORNING), undated("new-strikes", next_afternoon))) == 2


def test_an_undated_account_naming_a_weapon_is_not_guessed_into_the_day() -> None:
    shot_down = undated("interception", MORNING + timedelta(hours=5), weapons=("hypersonic_missile", "missile"))
    assert len(events_of(rep("wave", MORNING), shot_down)) == 2


def test_an_undated_secondary_mention_recalls_an_earlier_strike() -> None:
    recalled = undated("border-city-shelled", MORNING + timedelta(hours=5), index=1)
    assert len(events_of(rep("wave", MORNING), recalled)) == 2


def test_an_undated_account_with_a_figure_or_a_target_still_needs_specific_evidence() -> None:
    with_toll = undated("toll", MORNING + timedelta(hours=5), killed=None, targets=("energy",))
    assert len(events_of(rep("wave", MORNING), with_toll)) == 2
