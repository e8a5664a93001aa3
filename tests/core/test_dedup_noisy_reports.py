"""Unit tests of the dedup rules for noisy extraction: a weapon borrowed from a neighbouring strike, a
partial account of a combined attack, and page excerpts without any temporal anchor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from streams.core.dedup import BlockState, step
from streams.core.models import Casualty, StrikeReport

T0 = datetime(2024, 7, 8, 9, 0, tzinfo=UTC)
D0 = date(2024, 7, 8)


def rep(article: str, index: int = 0, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA",
        "settlement": "Sumy",
        "admin1": "Sumy Oblast",
        "date": D0,
        "date_basis": "explicit",
        "attacker": "RU",
        "weapons": ("missile",),
        "url": f"https://example.org/{article}",
        "outlet": "Example",
        "published_at": T0,
        "evidence": "strike on Sumy",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=index, **base)


def undated(article: str, index: int = 0, **kw: Any) -> StrikeReport:
    """A page excerpt: no strike date and no publication time."""
    return rep(article, index, date=None, date_basis="unknown", published_at=None, **kw)


def run(reports: list[StrikeReport], state: BlockState | None = None) -> BlockState:
    for n, r in enumerate(reports):
        state, _ = step(state, r, r.published_at or T0 + timedelta(hours=6 + n))
    assert state is not None
    return state


def members(state: BlockState) -> list[set[str]]:
    return sorted(({s.article_id for s in oe.event.sources} for oe in state.events), key=sorted)


# -- weapons ---------------------------------------------------------------------------------------------


def test_a_secondary_mentions_drones_join_a_drone_and_missile_attack_on_a_rare_target() -> None:
    combined = rep("a", weapons=("drone", "missile"), targets=("hotel", "military"))
    partial = undated("b", 2, weapons=("drone",), targets=("hotel", "school_university"))
    # a second open event of the city keeps the lone-candidate rule out of it
    second = rep("y", weapons=("artillery",), targets=("energy",), time_of_day="morning")
    state = run([combined, second, partial])
    assert {"a", "b"} in members(state)


def test_drones_only_without_specific_evidence_stay_another_attack() -> None:
    combined = rep("a", weapons=("drone", "missile"), targets=("hotel",), time_of_day="night")
    drones = rep("b", weapons=("drone", "shahed"), time_of_day="night", published_at=T0 + timedelta(hours=1))
    state = run([combined, drones])
    assert len(state.events) == 2


def test_a_secondary_mention_with_another_attacks_target_stays_apart_despite_its_weapon() -> None:
    # the drones-only report names a cafe, the combined event a hotel: the conflict still counts
    combined = rep("a", weapons=("drone", "missile"), targets=("hotel",), time_of_day="night")
    drones = rep("b", 2, weapons=("shahed",), targets=("cafe_restaurant",), time_of_day="night")
    state = run([combined, drones])
    assert len(state.events) == 2


def test_a_secondary_mentions_agreeing_weapon_is_no_evidence() -> None:
    # one city, one date: a morning drone attack on a hotel and an evening drone-and-missile attack on
    # a hotel and a government building; a secondary mention about the hotel and the government
    # building carries a drone (borrowed from its neighbour): it goes by its targets
    drones = rep("a", weapons=("drone", "shahed"), time_of_day="morning", targets=("hotel",))
    missiles = rep(
        "b",
        weapons=("drone", "missile"),
        targets=("hotel", "government"),
        time_of_day="evening",
        published_at=T0 + timedelta(hours=1),
    )
    follow = undated("c", 1, weapons=("drone",), targets=("hotel", "government"))
    state = run([drones, missiles, follow])
    assert members(state) == [{"a"}, {"b", "c"}]
    # the same account as the article's main strike: its drones are its own and find the drone attack
    main = undated("d", 0, weapons=("drone",), targets=("hotel", "government"))
    state = run([drones, missiles, main])
    assert members(state) == [{"a", "d"}, {"b"}]


# -- reports without any temporal anchor -----------------------------------------------------------------


def test_an_undated_excerpt_joins_the_only_open_event_of_its_city() -> None:
    first = rep("a", killed=Casualty(24, "exact"), injured=Casualty(108, "exact"), weapons=("missile", "mlrs"))
    excerpt = undated("b", weapons=("cluster_munition",), killed=Casualty(3, "at_least"))
    state = run([first, excerpt])
    assert members(state) == [{"a", "b"}]


def test_an_undated_excerpt_is_not_guessed_between_two_events_of_its_city() -> None:
    first = rep("a", killed=Casualty(5, "exact"), time_of_day="morning")
    second = rep("b", killed=Casualty(2, "exact"), time_of_day="evening", published_at=T0 + timedelta(hours=9))
    excerpt = undated("c")
    state = run([first, second, excerpt])
    assert len(state.events) == 3


def test_an_undated_excerpt_with_a_far_toll_or_another_attacker_opens_an_event() -> None:
    first = rep("a", killed=Casualty(3, "exact"))
    assert len(run([first, undated("b", killed=Casualty(40, "exact"))]).events) == 2
    assert len(run([first, undated("c", attacker="unknown")]).events) == 2
    # a conflicting weapon (drones only against a missile strike) is contrary evidence
    assert len(run([first, undated("d", weapons=("shahed",))]).events) == 2


def test_an_undated_excerpt_does_not_join_an_undated_event() -> None:
    state = run([undated("a", killed=Casualty(2, "exact")), undated("b")])
    assert len(state.events) == 2


# -- attackers -------------------------------------------------------------------------------------------


def test_a_misread_attacker_joins_on_a_rare_target_or_a_large_equal_toll() -> None:
    # "Kherson maternity hospital hit as Russia continues bombardment" read with Ukraine as the attacker
    hospital = rep("a", weapons=("artillery",), targets=("hospital",))
    misread = rep("b", attacker="UA", weapons=("artillery",), targets=("hospital",),
                  published_at=T0 + timedelta(hours=3))
    state = run([hospital, misread])
    assert members(state) == [{"a", "b"}]
    assert state.events[0].event.attacker == "RU"
    assert "attacker_conflict" in (state.events[0].event.sources[1].merge_reason or "")
    toll = rep("c", killed=Casualty(12, "exact"))
    assert len(run([toll, rep("d", attacker="UA", killed=Casualty(12, "exact"),
                              published_at=T0 + timedelta(hours=3))]).events) == 1


def test_another_attacker_without_specific_evidence_is_another_strike() -> None:
    # a date, a weapon and a small equal toll do not say the attacker was misread: both sides shell a town
    first = rep("a", weapons=("artillery",), killed=Casualty(1, "exact"))
    other = rep("b", attacker="UA", weapons=("artillery",), killed=Casualty(1, "exact"),
                published_at=T0 + timedelta(hours=3))
    assert len(run([first, other]).events) == 2
    # nor does a rare target when one side states no date (a follow-up of another strike there)
    hospital = rep("c", targets=("hospital",))
    later = rep("d", attacker="UA", targets=("hospital",), date=None, date_basis="unknown",
                published_at=T0 + timedelta(hours=5))
    assert len(run([hospital, later]).events) == 2
