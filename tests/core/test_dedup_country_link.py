"""Country-level accounts linked to the located event they tell of (issue 10, precision levels).

A report with no oblast and no settlement ("a rocket killed two people in eastern Ukraine") lives in
the block "UA/*"; the city event of the same strike lives in its oblast's block. The located blocks send
summaries of their events to the country block (here through :func:`streams.core.replay.route`, as the
agents do through the reports topic), which links a country-level event to the one located event it
matches on strong evidence.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import orjson
import pytest

from streams.core.dedup import (
    DEFAULT,
    FEATURE,
    LINK_RULES,
    LINK_VETOES,
    BlockState,
    absorb,
    expire,
    step,
    summaries,
    validate_dedup_data,
)
from streams.core.models import Alert, Casualty, StrikeEvent, StrikeReport
from streams.core.replay import route

DAY = date(2023, 3, 14)
T0 = datetime(2023, 3, 14, 9, 0, tzinfo=UTC)
DONETSK = "Donetsk Oblast"
PLACES = {
    "Kramatorsk": (DONETSK, 48.72, 37.56),
    "Kherson": ("Kherson Oblast", 46.64, 32.61),
    "Kyiv": ("Kyiv City", 50.45, 30.52),
    "Lviv": ("Lviv Oblast", 49.84, 24.03),
}


def report(
    aid: str, hours: float, place: str | None = None, *, killed: int | None = 2, weapons: tuple[str, ...] = ("rocket",),
    day: date | None = DAY, tod: str | None = None, title: str | None = None, lead: str = "",
    injured: int | None = None, said: str = "exact", targets: tuple[str, ...] = (), region: str | None = None,
) -> StrikeReport:
    admin1, lat, lon = PLACES[place] if place else (region, None, None)
    return StrikeReport(
        article_id=aid, index=0, country="UA", settlement=place, admin1=admin1, lat=lat, lon=lon,
        precision="settlement" if place else ("admin1" if region else "country"), date=day,
        date_basis="relative" if day else "unknown", time_of_day=tod, attacker="RU",
        weapons=weapons, targets=targets,  # type: ignore[arg-type]
        killed=Casualty(killed, said) if killed is not None else None,  # type: ignore[arg-type]
        injured=Casualty(injured) if injured is not None else None,
        published_at=T0 + timedelta(hours=hours), url=f"https://news.example.org/{aid}",
        title=title or f"Strike report {aid}", lead=lead,
    )


def run(reports: list[StrikeReport]) -> tuple[dict[str, BlockState], list[StrikeEvent | Alert]]:
    """Every report routed with its publication time as the clock; the states and every output."""
    states: dict[str, BlockState] = {}
    outputs: list[StrikeEvent | Alert] = []
    for r in reports:
        assert r.published_at is not None
        for _, _, _, out, _ in route(states, r, r.published_at):
            outputs.extend(out)
    return states, outputs


def where(states: dict[str, BlockState]) -> dict[str, str]:
    """The event each report is an account of: a linked country-level event's reports are the located
    event's."""
    return {m.report.article_id: oe.event.merged_into or oe.event.event_id
            for state in states.values() for oe in state.events for m in oe.members}


def country_event(states: dict[str, BlockState]) -> StrikeEvent:
    (oe,) = states["UA/*"].events
    return oe.event


CITY_A = report("city-a", 1, "Kramatorsk", title="Rocket strike on Kramatorsk kills two residents",
                lead="Two residents of Kramatorsk were killed when a rocket hit a street on Tuesday morning.")
CITY_B = report("city-b", 3, "Kramatorsk", killed=2)
NATIONAL = report("national", 2, title="Two killed in Russian rocket attack in eastern Ukraine",
                  lead="A Russian rocket attack killed two civilians in the east of the country, officials said.")


def test_the_rules_and_vetoes_are_named_features_with_a_why() -> None:
    names = {name for rule in LINK_RULES for group in rule.needs for name in group} | LINK_VETOES
    assert names <= set(FEATURE) and all(rule.why for rule in LINK_RULES)
    assert validate_dedup_data(orjson.loads(open("streams/core/dedup_data.json", "rb").read())) == []


@pytest.mark.parametrize("order", list(itertools.permutations([CITY_A, NATIONAL, CITY_B])))
def test_a_country_account_with_the_same_toll_and_weapon_joins_the_one_city_event_in_any_order(
    order: tuple[StrikeReport, ...],
) -> None:
    states, outputs = run(list(order))
    expected, _ = run([CITY_A, NATIONAL, CITY_B])
    city = next(oe.event.event_id for oe in states[f"UA/{'donetsk-oblast'}"].events)
    assert where(states) == where(expected) == {"city-a": city, "city-b": city, "national": city}
    national = country_event(states)
    assert national.merged_into == city and national.event_id == country_event(expected).event_id
    # one strike, one new_strike: the located event's (the country account raised none, or one before the
    # city was known, never a second one after)
    firsts = [a.event_id for a in outputs if isinstance(a, Alert) and a.kind == "new_strike"]
    assert city in firsts and firsts.count(city) == 1
    if order.index(NATIONAL) > min(order.index(CITY_A), order.index(CITY_B)):
        assert national.event_id not in firsts  # linked on arrival: no alert


def test_a_country_account_arriving_first_is_published_then_linked_by_a_new_version() -> None:
    states, outputs = run([NATIONAL, CITY_A])
    versions = [o for o in outputs if isinstance(o, StrikeEvent) and o.event_id == country_event(states).event_id]
    assert [(v.version, v.merged_into) for v in versions] == [(1, None), (2, where(states)["city-a"])]
    # the later version raises no alert: the city event raised the strike's
    assert [a.kind for a in outputs if isinstance(a, Alert) and a.event_id == versions[0].event_id] == ["new_strike"]


def test_with_two_candidate_city_events_nothing_is_guessed_in_either_order() -> None:
    other = report("other-city", 1.5, "Kherson", killed=2)
    for order in ([CITY_A, other, NATIONAL], [NATIONAL, CITY_A, other], [CITY_A, NATIONAL, other]):
        states, _ = run(order)
        assert country_event(states).merged_into is None
        assert where(states)["national"] == country_event(states).event_id


def test_a_country_total_of_a_barrage_never_joins_a_city() -> None:
    kyiv = report("kyiv", 1, "Kyiv", killed=3, weapons=("cruise_missile",), tod="night")
    lviv = report("lviv", 1.5, "Lviv", killed=None, injured=4, weapons=("cruise_missile",), tod="night")
    total = report("total", 2, killed=None, weapons=("cruise_missile", "shahed"), tod="night",
                   title="Russia fires 40 missiles and 30 drones at Ukraine overnight")
    states, _ = run([kyiv, lviv, total])
    assert country_event(states).merged_into is None
    # even when the country total's death toll is the only city's one: the drones tell a wider attack
    toll = report("toll", 3, killed=3, weapons=("cruise_missile", "shahed"), tod="night")
    states, _ = run([kyiv, lviv, toll])
    assert country_event(states).merged_into is None


@pytest.mark.parametrize(
    ("city", "national"),
    [
        (report("c", 1, "Kramatorsk", weapons=("missile",)), report("n", 2, weapons=("drone",))),
        (report("c", 1, "Kramatorsk", tod="afternoon"), report("n", 2, tod="night")),
        (report("c", 1, "Kramatorsk", weapons=("glide_bomb",)), report("n", 2, weapons=("artillery",))),
        (report("c", 1, "Kramatorsk", day=DAY), report("n", 2, day=DAY + timedelta(days=3))),
    ],
    ids=["drones_vs_missiles", "time_of_day", "weapons_disjoint", "dates"],
)
def test_a_conflict_vetoes_the_link(city: StrikeReport, national: StrikeReport) -> None:
    states, _ = run([city, national])
    assert country_event(states).merged_into is None


def test_an_equal_toll_without_a_weapon_does_not_link_but_copied_text_does() -> None:
    bare = report("bare", 2, weapons=())
    states, _ = run([CITY_A, bare])
    assert country_event(states).merged_into is None
    copied = report("copied", 2, killed=None, weapons=(), title=CITY_A.title, lead=CITY_A.lead)
    states, _ = run([CITY_A, copied])
    assert country_event(states).merged_into == where(states)["city-a"]


def test_a_second_candidate_arriving_later_unlinks_and_the_result_matches_any_order() -> None:
    other = report("other-city", 4, "Kherson", killed=2)
    states, outputs = run([CITY_A, NATIONAL, other])
    national = country_event(states)
    assert national.merged_into is None
    assert [v.merged_into is None for v in outputs if isinstance(v, StrikeEvent)
            and v.event_id == national.event_id] == [False, True]
    assert where(states) == where(run([other, NATIONAL, CITY_A])[0])


def test_summaries_expire_with_their_event_and_an_expired_one_links_nothing() -> None:
    states, _ = run([CITY_A])
    (summary,) = states["UA/*"].summaries
    stale = T0 + DEFAULT.close_after + timedelta(hours=2)
    kept, _ = expire(states["UA/*"], stale)
    assert kept is not None and kept.summaries == (summary,)  # within the expiry grace, as its event
    closed = summary.last_seen + DEFAULT.close_after + DEFAULT.expiry_grace + timedelta(seconds=1)
    gone, _ = expire(states["UA/*"], closed)
    assert gone is None  # nothing left in the block
    city, _ = expire(states["UA/donetsk-oblast"], closed)
    assert city is None  # the located event closed at the same time
    # an account of the strike arriving after that stays apart (as a late city report would)
    after, _ = step(gone, report("late", 0, killed=2), closed)
    assert after.events[0].event.merged_into is None


def test_redelivered_summaries_and_reports_change_nothing() -> None:
    states, _ = run([CITY_A, NATIONAL])
    country = states["UA/*"]
    city_state = states["UA/donetsk-oblast"]
    again, outputs = step(city_state, CITY_A, T0 + timedelta(hours=5))
    assert again is city_state
    (summary,) = summaries(city_state, again, outputs)  # the current version's summary is sent again
    held, out = absorb(country, summary, T0 + timedelta(hours=5))
    assert held is country and out == []
    repeated, out = step(country, NATIONAL, T0 + timedelta(hours=6))
    assert repeated is country
    assert [type(o) for o in out] == [StrikeEvent] and out[0] == country.events[0].event  # no alert


def test_a_superseded_located_event_passes_its_links_to_the_event_that_took_it() -> None:
    states, _ = run([CITY_A, NATIONAL])
    old = states["UA/*"].summaries[0]
    renamed = replace(old, event_id="ev_renamed", version=old.version + 1, supersedes=(old.event_id,))
    held, out = absorb(states["UA/*"], renamed, T0 + timedelta(hours=4))
    assert [s.event_id for s in held.summaries] == ["ev_renamed"]
    assert [(o.event_id, o.merged_into) for o in out if isinstance(o, StrikeEvent)] == [
        (country_event(states).event_id, "ev_renamed")]
    # the old summary read late is not taken back
    assert absorb(held, old, T0 + timedelta(hours=5))[0] is held



def test_the_links_and_summaries_survive_the_table_form() -> None:
    states, _ = run([CITY_A, NATIONAL])
    country = states["UA/*"]
    back = BlockState.from_dict(orjson.loads(orjson.dumps(country.to_dict())))
    assert back.summaries == country.summaries
    assert back.events[0].event.merged_into == country.events[0].event.merged_into is not None


def test_a_national_lower_bound_is_no_city_toll() -> None:
    """'At least 30 killed across Ukraine' is a total's lower bound; Kyiv's '30 killed' is its own."""
    kyiv = report("kyiv", 1, "Kyiv", killed=30, weapons=("missile",))
    total = report("total", 2, killed=30, said="at_least", weapons=("missile",),
                   title="Russian strikes kill at least 30 across Ukraine")
    states, _ = run([kyiv, total])
    assert country_event(states).merged_into is None


def test_an_exact_toll_links_only_when_no_other_strike_it_can_be_has_a_toll() -> None:
    """On a day when two cities were hit by rockets with deaths, 'two killed' in a national account may
    be a sum or either city: not guessed, although only one city has exactly two dead."""
    other = report("other-city", 1.5, "Kherson", killed=5)
    for order in ([CITY_A, other, NATIONAL], [NATIONAL, other, CITY_A]):
        states, _ = run(order)
        assert country_event(states).merged_into is None
    # a strike without a toll, or with other weapons, is no rival
    quiet = report("quiet-city", 1.5, "Kherson", killed=None)
    shells = report("shelled-city", 1.5, "Lviv", killed=5, weapons=("artillery",))
    states, _ = run([CITY_A, quiet, shells, NATIONAL])
    assert country_event(states).merged_into == where(states)["city-a"]


def test_a_lower_bound_with_a_shared_target_links_an_oblast_event() -> None:
    """A region-level event is located too: an undated national account of 'at least 20 soldiers killed
    by a missile at a ceremony' joins the oblast's event with that toll and target."""
    region = report("region", 1, killed=20, said="at_least", weapons=("missile",), targets=("military",),
                    region="Zaporizhzhia Oblast", day=None)
    national = report("national-ceremony", 5, killed=20, said="at_least", weapons=("missile",),
                      targets=("military",), day=None)
    states, _ = run([national, region])
    assert country_event(states).merged_into == states["UA/zaporizhzhia-oblast"].events[0].event.event_id
    # without the shared target the lower bound alone links nothing
    bare = report("national-bare", 5, killed=20, said="at_least", weapons=("missile",), day=None)
    states, _ = run([bare, region])
    assert country_event(states).merged_into is None


def test_large_tolls_told_differently_link_an_oblast_event_on_a_shared_target() -> None:
    """Outlets give a deadly strike's toll differently: the oblast's event says 22 soldiers killed by a
    missile at a ceremony, the undated national account 'at least 20'. Both large, one strike's, with
    the target and weapon shared: linked, in either order."""
    region = report("region", 1, killed=22, weapons=("missile",), targets=("military",),
                    region="Zaporizhzhia Oblast", day=None)
    national = report("national-ceremony", 3, killed=20, said="at_least", weapons=("missile",),
                      targets=("military",), day=None)
    for order in ([region, national], [national, region]):
        states, _ = run(order)
        assert country_event(states).merged_into == states["UA/zaporizhzhia-oblast"].events[0].event.event_id
    # tolls that cannot be one strike's (12 and 40 exact), or too small to be rare (3+ and 5): no link
    for mine, theirs, said in ((12, 40, "exact"), (3, 5, "at_least")):
        small = replace(region, killed=Casualty(theirs, "exact"))
        told = replace(national, killed=Casualty(mine, said))  # type: ignore[arg-type]
        states, _ = run([small, told])
        assert country_event(states).merged_into is None
    # another located event with a large toll at a military target, hit by missiles: not guessed
    rival = report("rival", 2, "Kramatorsk", killed=15, weapons=("missile",), targets=("military",), day=None)
    states, _ = run([region, rival, national])
    assert country_event(states).merged_into is None
