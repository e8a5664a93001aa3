"""Tolls as evidence. An early "no casualties" is a first count: a toll published later for the same strike
date joins it. And a large toll in one town outweighs a target the extractor read from a building nearby.

News of a large strike often opens with "no immediate reports of casualties" and brings the dead an hour
later. A "no one was hurt" published after a toll (or with it), or of another date, still tells another
strike.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from streams.core.dedup import BlockState, decide, step
from streams.core.models import Alert, Casualty, StrikeReport

MORNING = datetime(2024, 3, 21, 4, 30, tzinfo=UTC)  # 07:30 in Kyiv
DAY = date(2024, 3, 21)


def rep(article: str, minutes: int, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA",
        "settlement": "Kyiv",
        "admin1": "Kyiv City",
        "date": DAY,
        "date_basis": "relative",
        "attacker": "RU",
        "weapons": ("missile",),
        "url": f"https://example.org/{article}",
        "outlet": "Example",
        "published_at": MORNING + timedelta(minutes=minutes),
        "evidence": "missiles over Kyiv",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=0, **base)


def run(reports: list[StrikeReport]) -> tuple[BlockState, list[Any]]:
    state: BlockState | None = None
    outs: list[Any] = []
    for r in reports:
        assert r.published_at is not None
        state, out = step(state, r, r.published_at)
        outs.append(out)
    assert state is not None
    return state, outs


NONE_YET = {"killed": Casualty(0, "exact"), "injured": Casualty(0, "exact")}
TOLL = {"killed": Casualty(4, "at_least"), "injured": Casualty(11, "at_least")}


def test_a_toll_after_an_early_no_casualties_joins_the_strike_and_raises_the_toll_alert() -> None:
    state, outs = run([rep("first-flash", 0, **NONE_YET), rep("toll-update", 95, weapons=(), **TOLL)])
    assert len(state.events) == 1
    event = state.events[0].event
    assert event.killed is not None and event.killed.value == 4
    assert [a.kind for a in outs[1] if isinstance(a, Alert)] == ["casualties_rose"]
    assert "toll_after_none" in (event.sources[1].merge_reason or "")


def test_the_decision_names_the_rule() -> None:
    state, _ = run([rep("first-flash", 0, **NONE_YET)])
    match = decide(state, rep("toll-update", 95, **TOLL), MORNING + timedelta(minutes=95))
    assert match is not None
    assert "toll_after_none" in [name for name, _ in match.evidence.fired]


def test_no_casualties_published_after_a_toll_is_another_strike() -> None:
    state, _ = run([rep("toll-first", 0, **TOLL), rep("quiet-later", 95, **NONE_YET)])
    assert len(state.events) == 2


def test_no_casualties_and_a_toll_published_together_stay_two_strikes() -> None:
    state, _ = run([rep("a", 30, **NONE_YET), rep("b", 30, **TOLL)])
    assert len(state.events) == 2


def test_the_early_count_only_speaks_for_its_own_strike_date() -> None:
    # yesterday's quiet night and today's deadly strike on the same city
    yesterday = rep("quiet-night", -600, date=DAY - timedelta(days=1), **NONE_YET)
    state, _ = run([yesterday, rep("deadly-today", 95, **TOLL)])
    assert len(state.events) == 2
    # an undated toll has no date to share with the early count
    state, _ = run([rep("flash", 0, **NONE_YET), rep("undated-toll", 95, date=None, date_basis="unknown", **TOLL)])
    assert len(state.events) == 2


def test_another_time_of_day_still_parts_them() -> None:
    night = rep("night-quiet", 0, time_of_day="night", **NONE_YET)
    afternoon = rep("afternoon-deadly", 600, time_of_day="afternoon", **TOLL)
    state, _ = run([night, afternoon])
    assert len(state.events) == 2


def test_every_no_casualties_report_must_precede_the_toll() -> None:
    # two "no one hurt" accounts, the second one after the toll: the toll cannot be the same strike's
    # count for both, so it does not join
    reports = [rep("flash", 0, **NONE_YET), rep("quiet-again", 200, **NONE_YET)]
    state, _ = run(reports)
    assert len(state.events) == 1
    match = decide(state, rep("toll", 95, **TOLL), MORNING + timedelta(minutes=210))
    assert match is None


def test_the_grouping_does_not_depend_on_arrival_order() -> None:
    reports = [rep("flash", 0, **NONE_YET), rep("toll", 95, **TOLL), rep("more", 180, killed=Casualty(6, "exact"))]
    expected = None
    rng = random.Random(7)
    for _ in range(6):
        order = reports[:]
        rng.shuffle(order)
        state: BlockState | None = None
        for r in order:
            state, _ = step(state, r, MORNING + timedelta(hours=4))
        assert state is not None
        got = sorted(sorted(m.report.article_id for m in oe.members) for oe in state.events)
        expected = expected or got
        assert got == expected == [["flash", "more", "toll"]]


# -- a large toll in one town outweighs a target read from a building nearby ---------------------------------


def block_then(article: str, target: str, killed: int) -> BlockState:
    """An apartment block hit with 12 dead, then an undated same-day account of the town with another target."""
    block = rep("block-hit", 0, targets=("apartment_building",), killed=Casualty(12, "exact"))
    other = rep(article, 600, date=None, date_basis="unknown", weapons=(), attacker="unknown", targets=(target,),
                killed=Casualty(killed, "exact"))
    return run([block, other])[0]


def test_a_large_toll_in_the_same_town_joins_despite_a_stray_target() -> None:
    state = block_then("toll-20", "church", 20)
    assert len(state.events) == 1
    reason = state.events[0].event.sources[1].merge_reason or ""
    assert "large_tolls" in reason and "target_conflict" not in reason


def test_a_small_toll_with_another_target_is_still_another_strike() -> None:
    assert len(block_then("market-hit", "shop_market", 2).events) == 2
