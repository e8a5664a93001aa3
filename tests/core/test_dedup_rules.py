"""Unit tests of the dedup rules for imperfect extraction: weak (publication-basis) dates, reports
without any temporal anchor, equal tolls, and the true source count beyond the listed sources."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from streams.core.dedup import DEFAULT, BlockState, DedupConfig, step
from streams.core.models import Alert, Casualty, StrikeEvent, StrikeReport

T0 = datetime(2024, 7, 8, 9, 0, tzinfo=UTC)
D0 = date(2024, 7, 8)


def rep(article: str, index: int = 0, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA",
        "settlement": "Dnipro",
        "admin1": "Dnipropetrovsk Oblast",
        "date": D0,
        "date_basis": "explicit",
        "attacker": "RU",
        "weapons": ("missile",),
        "url": f"https://example.org/{article}",
        "outlet": "Example",
        "published_at": T0,
        "evidence": "strike on Dnipro",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=index, **base)


def later(days: float, **kw: Any) -> dict[str, Any]:
    """A report published ``days`` after T0 whose date is its publication date (basis publication)."""
    when = T0 + timedelta(days=days)
    return {"published_at": when, "date": when.date(), "date_basis": "publication", **kw}


def run(reports: list[StrikeReport], config: DedupConfig = DEFAULT) -> tuple[BlockState, list[Any]]:
    state: BlockState | None = None
    outs: list[Any] = []
    for r in reports:
        now = r.published_at or T0 + timedelta(days=1)
        state, out = step(state, r, max(now, T0), config)
        outs.append(out)
    assert state is not None
    return state, outs


def alerts(out: list[StrikeEvent | Alert]) -> list[Alert]:
    return [o for o in out if isinstance(o, Alert)]


# -- weak (publication-basis) dates ----------------------------------------------------------------------


def test_weak_date_days_later_joins_on_a_shared_specific_target() -> None:
    first = rep("a", targets=("apartment_building", "school_university"), killed=Casualty(12, "exact"))
    follow = rep("b", **later(3, targets=("school_university",), killed=Casualty(30, "exact")))
    state, _ = run([first, follow])
    assert len(state.events) == 1
    assert state.events[0].event.date == D0  # a stated date is not replaced by a publication date


def test_weak_date_days_later_joins_on_an_equal_exact_toll() -> None:
    first = rep("a", killed=Casualty(40, "exact"))
    follow = rep("b", **later(2, killed=Casualty(40, "exact")))
    state, _ = run([first, follow])
    assert len(state.events) == 1


def test_weak_date_days_later_without_specific_evidence_is_a_new_strike() -> None:
    first = rep("a", targets=("apartment_building",))
    follow = rep("b", **later(3))  # same city, missiles again, nothing specific: another strike
    state, _ = run([first, follow])
    assert len(state.events) == 2
    # one shared common target (an apartment block) is not strong enough either
    state, _ = run([first, rep("c", **later(3, targets=("apartment_building",)))])
    assert len(state.events) == 2


def test_stated_date_days_later_never_joins_even_with_strong_evidence() -> None:
    first = rep("a", targets=("cafe_restaurant",), killed=Casualty(10, "exact"))
    other = rep(
        "b",
        date=D0 + timedelta(days=3),
        date_basis="relative",
        published_at=T0 + timedelta(days=3),
        targets=("cafe_restaurant",),
        killed=Casualty(10, "exact"),
    )
    state, _ = run([first, other])
    assert len(state.events) == 2


def test_weak_date_beyond_the_window_is_a_new_strike() -> None:
    first = rep("a", targets=("cafe_restaurant",), killed=Casualty(10, "exact"))
    far = rep("b", **later(DEFAULT.weak_date_days + DEFAULT.date_slack_days + 1, targets=("cafe_restaurant",)))
    state, _ = run([first, far])
    assert len(state.events) == 2


def test_weak_event_date_gives_way_to_a_stated_earlier_date() -> None:
    # the first report only had the publication date (2 days after the strike)
    first = rep("a", **later(2, targets=("mall",)))
    stated = rep("b", date=D0, date_basis="explicit", published_at=T0 + timedelta(days=2, hours=1), targets=("mall",))
    state, outs = run([first, stated])
    (oe,) = state.events
    assert oe.event.date == D0 and not oe.date_weak
    assert [e.date for e in outs[1] if isinstance(e, StrikeEvent)] == [D0]
    again = BlockState.from_dict(orjson.loads(orjson.dumps(state.to_dict())))
    assert again == state


def test_same_city_same_day_weak_dates_still_split_by_time_of_day() -> None:
    morning = rep("a", **later(0, time_of_day="morning", targets=("energy",)))
    evening = rep("b", **later(0.4, time_of_day="evening", targets=("energy",)))
    state, _ = run([morning, evening])
    assert len(state.events) == 2


# -- reports without any temporal anchor ---------------------------------------------------------------------


def undated(article: str, **kw: Any) -> StrikeReport:
    return rep(article, date=None, date_basis="unknown", published_at=None, **kw)


def test_unanchored_report_needs_more_than_one_common_target() -> None:
    # two open events of the city (the lone-candidate rule for undated excerpts does not apply)
    first = rep("a", weapons=("shahed",), targets=("apartment_building", "hotel"))
    other = rep("o", weapons=("missile",), targets=("energy",), **later(0.2))
    state, _ = run([first, other, undated("b", weapons=("shahed",), targets=("apartment_building",))])
    assert len(state.events) == 3
    # a rare target (a hotel) identifies the strike
    state, _ = run([first, other, undated("c", weapons=("shahed",), targets=("hotel",))])
    assert len(state.events) == 2


def test_unanchored_report_with_contrary_weapons_does_not_join_on_targets() -> None:
    first = rep("a", weapons=("missile", "drone"), targets=("hospital", "apartment_building"), time_of_day="night")
    drones = undated("b", weapons=("shahed",), targets=("hospital", "apartment_building", "house"), time_of_day="night")
    state, _ = run([first, drones])
    assert len(state.events) == 2


def test_two_unanchored_reports_need_near_certain_evidence() -> None:
    a = undated("a", weapons=("shahed",), targets=("house",), killed=Casualty(5, "exact"))
    b = undated("b", weapons=("shahed",), targets=("house",), killed=Casualty(3, "exact"))
    state, _ = run([a, b])
    assert len(state.events) == 2
    c = undated("c", weapons=("shahed",), targets=("house",), killed=Casualty(5, "exact"))
    state, _ = run([a, c])
    assert len(state.events) == 1


# -- source count ---------------------------------------------------------------------------------------------


def test_alert_source_count_counts_unlisted_sources() -> None:
    config = DedupConfig(max_sources=2)
    reports = [rep(f"s{i}", published_at=T0 + timedelta(hours=i), killed=Casualty(i + 1, "exact")) for i in range(5)]
    state, outs = run(reports, config)
    (oe,) = state.events
    assert len(oe.event.sources) == 2 and oe.source_count == 5
    counts = [a.source_count for out in outs for a in alerts(out)]
    assert counts == [1, 2, 3, 4, 5]
    again = BlockState.from_dict(orjson.loads(orjson.dumps(state.to_dict())))
    assert again.events[0].source_count == 5


# -- large tolls -----------------------------------------------------------------------------------------------


def test_large_tolls_on_both_sides_outweigh_a_stray_target() -> None:
    """A follow-up with a risen toll of a deadly strike joins it even if it names another target."""
    first = rep("a", targets=("apartment_building",), killed=Casualty(12, "exact"))
    follow = rep("b", **later(0.9, weapons=("unknown",), targets=("church",), killed=Casualty(20, "exact")))
    state, _ = run([first, follow])
    assert len(state.events) == 1
    # small tolls prove nothing: the other target makes it another strike
    first = rep("c", targets=("apartment_building",), killed=Casualty(2, "exact"))
    follow = rep("d", **later(0.9, weapons=("unknown",), targets=("church",), killed=Casualty(3, "exact")))
    state, _ = run([first, follow])
    assert len(state.events) == 2


def test_large_tolls_do_not_join_attacks_told_apart_by_time_of_day() -> None:
    morning = rep("a", time_of_day="morning", killed=Casualty(12, "exact"))
    evening = rep("b", time_of_day="evening", killed=Casualty(15, "exact"), published_at=T0 + timedelta(hours=9))
    state, _ = run([morning, evening])
    assert len(state.events) == 2


def test_no_follow_up_window_for_region_level_reports_or_small_equal_tolls() -> None:
    region: dict[str, Any] = {"settlement": None, "admin1": "Kherson Oblast", "weapons": ("artillery",)}
    first = rep("a", **region, date_basis="publication", killed=Casualty(3, "exact"))
    again = rep("b", **later(3, **region, killed=Casualty(3, "exact")))
    state, _ = run([first, again])
    assert len(state.events) == 2  # a region is shelled daily: "3 killed" twice is two events
    city = rep("c", killed=Casualty(3, "exact"))
    state, _ = run([city, rep("d", **later(3, killed=Casualty(3, "exact")))])
    assert len(state.events) == 2


def test_two_country_level_accounts_of_one_day_need_specific_evidence() -> None:
    """"Missiles on Ukraine" and "a reporter killed by rocket fire in Ukraine" on one date are not one
    strike: a country is hit several times a day; a shared target, an equal figure or copied text is."""
    def country(article: str, **kw: Any) -> StrikeReport:
        base: dict[str, Any] = {"settlement": None, "admin1": None, "date": date(2023, 5, 9), "date_basis": "relative",
                                "attacker": "RU", "weapons": ("missile",), "published_at": T0}
        base.update(kw)
        return StrikeReport(article_id=article, index=0, country="UA", **base)

    barrage = country("barrage")
    reporter = country("reporter", weapons=("rocket",), killed=Casualty(1, "exact"))
    state, _ = step(None, barrage, T0)
    state, _ = step(state, reporter, T0 + timedelta(hours=1))
    assert len(state.events) == 2
    again, _ = step(state, country("again", killed=Casualty(1, "exact"), weapons=("rocket",)), T0 + timedelta(hours=2))
    assert len(again.events) == 2 and again.events[1].source_count == 2  # an equal figure joins the reporter's


def test_plain_country_level_accounts_of_one_day_are_that_days_attack() -> None:
    """"Russia rains missiles on Ukraine" and "new strikes on Ukraine on Victory Day": one date, one
    attacker, nothing that could set a strike apart on either side: the day's attack on the country."""
    def country(article: str, hours: float = 0, **kw: Any) -> StrikeReport:
        base: dict[str, Any] = {"settlement": None, "admin1": None, "date": date(2023, 5, 9),
                                "date_basis": "publication", "attacker": "RU", "weapons": ("missile",),
                                "published_at": T0 + timedelta(hours=hours)}
        base.update(kw)
        return StrikeReport(article_id=article, index=0, country="UA", **base)

    def events(*reports: StrikeReport) -> int:
        state: BlockState | None = None
        for r in reports:
            state, _ = step(state, r, r.published_at or T0)
        assert state is not None
        return len(state.events)

    rains = country("rains")
    assert events(rains, country("victory-day", 15, weapons=("unknown",), date_basis="relative")) == 1
    # a figure or a specific target on either side may be another strike of the day: evidence needed
    assert events(rains, country("toll", 2, killed=Casualty(2, "exact"))) == 2
    assert events(country("grid", targets=("energy",)), country("plain", 2)) == 2
    # another date, another attacker's claim, or drones against missiles: not the same attack
    assert events(rains, country("next", 30, date=date(2023, 5, 10))) == 2
    assert events(rains, country("claim", 2, attacker="UA")) == 2
    assert events(rains, country("drones", 2, weapons=("drone",))) == 2
    assert events(rains, country("unsaid", 2, attacker="unknown")) == 2


def test_large_tolls_with_different_targets_are_no_evidence_of_one_strike() -> None:
    """A country-level "missile attack on a cafe killed 59" and, days later, "at least 20 soldiers
    killed in a missile attack" on a military target: two large tolls, but a cafe and a military
    ceremony are two strikes. Without a target on the later account the tolls still tie them."""
    def country(article: str, **kw: Any) -> StrikeReport:
        base: dict[str, Any] = {"settlement": None, "admin1": None, "date": D0, "date_basis": "publication",
                                "attacker": "RU", "weapons": ("missile",), "published_at": T0}
        base.update(kw)
        return StrikeReport(article_id=article, index=0, country="UA", **base)

    cafe = country("cafe", killed=Casualty(59, "exact"), targets=("cafe_restaurant",))
    later_at = T0 + timedelta(days=5)
    ceremony = country("ceremony", date=None, date_basis="unknown", published_at=later_at,
                       killed=Casualty(20, "at_least"), targets=("military",))
    state, _ = step(None, cafe, T0)
    apart, _ = step(state, ceremony, later_at)
    assert len(apart.events) == 2
    untargeted = replace(ceremony, targets=())
    together, _ = step(state, untargeted, later_at)
    assert len(together.events) == 1
    assert "large_tolls" in (together.events[0].event.sources[1].merge_reason or "")
