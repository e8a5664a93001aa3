"""Undated accounts, region-level days and precision levels: fresh news without a date, later follow-ups,
an oblast's shelling told day by day, and a region-level account of a city's strike (reports written for
these tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from streams.core.dedup import FEATURES, BlockState, decide, step
from streams.core.models import Casualty, StrikeReport

T0 = datetime(2024, 3, 12, 8, 0, tzinfo=UTC)
D0 = date(2024, 3, 12)
# two towns of one oblast 12 km apart
TOWN_A = {"settlement": "Avdiivka", "lat": 48.139, "lon": 37.743}
TOWN_B = {"settlement": "Ocheretyne", "lat": 48.245, "lon": 37.705}
TOWN_FAR = {"settlement": "Kramatorsk", "lat": 48.723, "lon": 37.556}  # 66 km from the first


def rep(article: str, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA",
        "admin1": "Donetsk Oblast",
        **TOWN_A,
        "date": D0,
        "date_basis": "explicit",
        "attacker": "RU",
        "weapons": ("artillery",),
        "url": f"https://example.org/{article}",
        "published_at": T0,
        "evidence": "shelling",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=0, **base)


def undated(article: str, days: float, **kw: Any) -> StrikeReport:
    """A report with no stated date published ``days`` after T0."""
    return rep(article, date=None, date_basis="unknown", published_at=T0 + timedelta(days=days), **kw)


def run(*reports: StrikeReport) -> BlockState:
    state: BlockState | None = None
    for r in reports:
        assert r.published_at is not None
        state, _ = step(state, r, r.published_at)
    assert state is not None
    return state


def test_fresh_undated_news_joins_on_the_same_known_attacker() -> None:
    # published the same day, no weapon named: the same attacker is the one agreeing fact
    state = run(rep("a"), undated("b", 0.3, weapons=("unknown",)))
    assert len(state.events) == 1
    reason = state.events[0].event.sources[1].merge_reason or ""
    assert "same_attacker" in reason and "overlapping_windows" in reason


def test_fresh_undated_news_agreeing_on_nothing_is_another_strike() -> None:
    # no attacker, no weapon, a target and a toll the event does not have: an older strike recalled
    old = undated("b", 0.3, attacker="unknown", weapons=("unknown",), targets=("mall",), killed=Casualty(2, "at_least"))
    state = run(rep("a"), old)
    assert len(state.events) == 2


def test_later_undated_follow_up_needs_more_than_the_attacker() -> None:
    # three days later: the same attacker and the place say only "a recent strike there"
    state = run(rep("a"), undated("b", 3, weapons=("unknown",)))
    assert len(state.events) == 2
    # weapons that agree and an equal toll are enough
    state = run(rep("a", killed=Casualty(4, "exact")), undated("b", 3, killed=Casualty(4, "exact")))
    assert len(state.events) == 1


def test_later_undated_follow_up_must_name_the_place_not_a_town_nearby() -> None:
    first = rep("a", killed=Casualty(1, "at_least"), targets=("other_civilian",))
    nearby = undated("b", 2.3, **TOWN_B, killed=Casualty(2, "exact"), targets=("other_civilian",))
    assert len(run(first, nearby).events) == 2
    # the same news on the day it happened: a town nearby is the same strike (a frontline "near X")
    fresh = undated("c", 0.3, **TOWN_B, killed=Casualty(1, "exact"))
    assert len(run(first, fresh).events) == 1


def test_region_level_shelling_on_two_days_is_two_events() -> None:
    region = {"settlement": None, "lat": None, "lon": None, "precision": "admin1"}
    saturday = rep("a", **region)
    sunday = rep("b", **region, date=D0 + timedelta(days=1), date_basis="publication",
                 published_at=T0 + timedelta(days=1))
    assert len(run(saturday, sunday).events) == 2
    # a figure both give ties them (an overnight attack told under two dates)
    with_toll = rep("a", **region, killed=Casualty(3, "exact"))
    same_toll = rep("b", **region, date=D0 + timedelta(days=1), published_at=T0 + timedelta(days=1),
                    killed=Casualty(3, "exact"))
    assert len(run(with_toll, same_toll).events) == 1


def test_an_undated_region_level_account_of_the_next_afternoon_is_that_days_shelling() -> None:
    # "shelling returned in the Kherson region", no date, published the afternoon after a dated
    # account of Saturday's shelling of the oblast: Sunday's shelling, unless a specific fact ties them
    region = {"settlement": None, "lat": None, "lon": None, "precision": "admin1"}
    saturday = rep("a", **region, published_at=T0 + timedelta(days=1, hours=1))  # told on Sunday morning
    sunday_news = undated("b", 1 + 7 / 24, **region)  # 15:00 UTC, 17:00 in Kyiv, the day after D0
    assert len(run(saturday, sunday_news).events) == 2
    tied = undated("b", 1 + 7 / 24, **region, targets=("hospital",))
    assert len(run(rep("a", **region, targets=("hospital",)), tied).events) == 1
    # the other way round: the undated account first, the dated one of the day before it later
    first = undated("b", 1 + 7 / 24, **region)
    later = rep("a", **region, published_at=T0 + timedelta(days=1, hours=8))
    assert len(run(first, later).events) == 2


def test_an_undated_region_level_recap_on_the_morning_after_joins_the_day_before() -> None:
    # a round-up published at 03:00 in Kyiv the day after recaps that day's news
    region = {"settlement": None, "lat": None, "lon": None, "precision": "admin1"}
    recap = undated("b", 1 - 7 / 24, **region)  # 01:00 UTC the day after D0, 03:00 in Kyiv
    state = run(rep("a", **region), recap)
    assert len(state.events) == 1
    # two undated region-level accounts: the morning after still recaps, the afternoon is new news
    assert len(run(undated("a", 0.2, **region), undated("b", 1 - 7 / 24, **region)).events) == 1
    assert len(run(undated("a", 0.2, **region), undated("b", 1 + 7 / 24, **region)).events) == 2


def test_an_undated_city_account_of_the_next_afternoon_still_joins_its_city_event() -> None:
    # a city is not shelled the way an oblast is: the news-day rule is only for region-level accounts
    assert len(run(rep("a"), undated("b", 1 + 7 / 24)).events) == 1


def test_a_settlement_overnight_attack_under_two_dates_still_joins() -> None:
    evening = rep("a", time_of_day="night")
    morning = rep("b", date=D0 + timedelta(days=1), time_of_day="night", published_at=T0 + timedelta(hours=10))
    state = run(evening, morning)
    assert len(state.events) == 1
    match = decide(BlockState(block=state.block, events=state.events[:1]), morning, morning.published_at or T0)
    assert match is not None and "adjacent_date" in dict(match.evidence.fired)


def test_every_feature_has_a_distinct_code_and_a_reason() -> None:
    assert len({f.code for f in FEATURES}) == len(FEATURES)
    assert all(f.why for f in FEATURES)


REGION: dict[str, Any] = {"settlement": None, "lat": None, "lon": None, "precision": "admin1"}


def test_a_region_level_report_joins_the_one_city_event_it_can_be_on_specific_evidence() -> None:
    city = rep("city", targets=("school_university",), killed=Casualty(2, "exact"))
    region = rep("region", **REGION, killed=Casualty(2, "exact"), published_at=T0 + timedelta(hours=2))
    state = run(city, region)
    assert len(state.events) == 1
    event = state.events[0].event
    assert event.settlement == "Avdiivka" and event.source_count == 2
    assert "other_precision" in (event.sources[1].merge_reason or "")
    # without a figure, target or copied text: an oblast's shelling that day is not the city's strike
    assert len(run(city, rep("region", **REGION, published_at=T0 + timedelta(hours=2))).events) == 2


def test_a_region_level_event_learns_its_city_from_a_later_city_report() -> None:
    region = rep("region", **REGION, killed=Casualty(3, "exact"))
    city = rep("city", precision="settlement", killed=Casualty(3, "exact"), published_at=T0 + timedelta(hours=2))
    state = run(region, city)
    assert len(state.events) == 1
    event = state.events[0].event
    assert (event.settlement, event.precision, event.version) == ("Avdiivka", "settlement", 2)


def test_with_two_city_events_of_the_day_a_region_level_report_is_not_guessed() -> None:
    avdiivka = rep("a", killed=Casualty(2, "exact"))
    other = rep("b", **TOWN_FAR, killed=Casualty(2, "exact"))
    region = rep("region", **REGION, killed=Casualty(2, "exact"), published_at=T0 + timedelta(hours=2))
    state = run(avdiivka, other, region)
    assert len(state.events) == 3


def test_country_level_reports_never_join_a_city_event() -> None:
    city = rep("city", admin1=None, killed=Casualty(2, "exact"))
    country = rep("country", **{**REGION, "admin1": None, "precision": "country"}, killed=Casualty(2, "exact"),
                  published_at=T0 + timedelta(hours=2))
    state: BlockState | None = None
    for r in (city, country):
        state, _ = step(state, r, r.published_at or T0)
    assert state is not None and len(state.events) == 2


def test_freshness_counts_days_in_kyiv_time() -> None:
    # T0 is 08:00 UTC on the strike day; 20:00 UTC the next day is 22:00 in Kyiv (still the next day),
    # 22:30 UTC is 00:30 in Kyiv two days after the strike: a later follow-up
    evening = undated("b", 1.5, weapons=("unknown",))
    after_midnight = undated("c", 1 + 14.5 / 24, weapons=("unknown",))
    assert len(run(rep("a"), evening).events) == 1
    assert len(run(rep("a"), after_midnight).events) == 2
