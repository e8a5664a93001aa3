"""Re-clustering when a report arrives out of the canonical order: what is published (``supersedes``,
versions, alerts), the table form of the members, and state written before members were kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from streams.contracts import schema_errors
from streams.core.dedup import BlockState, OpenEvent, expire, step
from streams.core.models import Alert, Casualty, StrikeEvent, StrikeReport

T0 = datetime(2024, 7, 8, 9, 0, tzinfo=UTC)


def rep(article: str, published: datetime, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA",
        "settlement": "Odesa",
        "admin1": "Odesa Oblast",
        "date": date(2024, 7, 8),
        "date_basis": "explicit",
        "attacker": "RU",
        "weapons": ("shahed",),
        "targets": ("port",),
        "url": f"https://example.org/{article}",
        "outlet": "Example",
        "published_at": published,
        "evidence": "drones hit the port of Odesa",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=0, **base)


def apply(reports: list[StrikeReport]) -> tuple[BlockState, list[list[StrikeEvent | Alert]]]:
    state: BlockState | None = None
    outs = []
    for n, r in enumerate(reports):
        state, out = step(state, r, T0 + timedelta(hours=3, minutes=n))
        outs.append(out)
    assert state is not None
    return state, outs


def members(state: BlockState) -> dict[str, set[str]]:
    return {oe.event.event_id: {m.report.article_id for m in oe.members} for oe in state.events}


# an overnight attack: the late-arriving earliest report dates it by the evening before
EVENING = rep("early", T0 - timedelta(hours=2), date=date(2024, 7, 7), killed=Casualty(1, "exact"))
MORNING = rep("later", T0, killed=Casualty(2, "exact"))


def test_an_earlier_report_arriving_late_gives_the_in_order_result_and_supersedes_the_old_id() -> None:
    in_order, _ = apply([EVENING, MORNING])
    late, outs = apply([MORNING, EVENING])
    assert members(late) == members(in_order)
    ((old_id, _),) = members(apply([MORNING])[0]).items()
    ((new_id, _),) = members(late).items()
    assert new_id != old_id  # the id follows the canonical first report's date
    (event,) = [o for o in outs[1] if isinstance(o, StrikeEvent)]
    assert event.event_id == new_id and event.supersedes == (old_id,)
    assert event.version == 2  # it continues the superseded event: no second new_strike
    assert [a.kind for a in outs[1] if isinstance(a, Alert)] == []
    assert not schema_errors("strike-event", event.to_dict())


def test_a_late_report_that_adds_a_rise_raises_casualties_rose_on_the_continuing_event() -> None:
    higher = rep("early", T0 - timedelta(hours=2), killed=Casualty(5, "exact"))
    _, outs = apply([MORNING, higher])
    kinds = [(o.kind, o.version) for o in outs[1] if isinstance(o, Alert)]
    assert kinds == [("casualties_rose", 2)]
    # a late report that renames the event (its date moves the id) and raises the toll: the alert says which id
    # it replaces, so a subscriber keyed on the first alert's id follows the rename
    dated = rep("early", T0 - timedelta(hours=2), date=date(2024, 7, 7), killed=Casualty(5, "exact"))
    _, outs = apply([MORNING, dated])
    ((old_id, _),) = members(apply([MORNING])[0]).items()
    (alert,) = [o for o in outs[1] if isinstance(o, Alert)]
    assert alert.kind == "casualties_rose" and alert.event_id != old_id and alert.supersedes == (old_id,)
    assert not schema_errors("alert", alert.to_dict())
    assert Alert.from_dict(alert.to_dict()) == alert


def test_a_late_report_of_another_strike_leaves_the_published_events_alone() -> None:
    state, _ = apply([MORNING])
    (before,) = state.events
    other = rep("x", T0 - timedelta(hours=5), settlement="Izmail", weapons=("missile",), targets=("energy",))
    after, out = step(state, other, T0 + timedelta(hours=4))
    assert after.events[0] is before  # untouched, so nothing is written for it
    assert [type(o).__name__ for o in out] == ["StrikeEvent", "Alert"]


def test_a_late_report_that_bridges_two_events_merges_them_and_names_both_gone_ids() -> None:
    # dated the evening before and the evening after, two accounts are a day from the strike's date but
    # two days from each other: only the strike's own first report, arriving last, joins them
    first = rep("a", T0 - timedelta(hours=6))
    before = rep("b", T0, date=date(2024, 7, 7))
    after = rep("c", T0 + timedelta(hours=1), date=date(2024, 7, 9))
    in_order, _ = apply([first, before, after])
    assert len(in_order.events) == 1
    apart, _ = apply([before, after])
    assert len(apart.events) == 2
    late, outs = apply([before, after, first])
    assert members(late) == members(in_order)
    (event,) = [o for o in outs[2] if isinstance(o, StrikeEvent)]
    assert set(event.supersedes) == set(members(apart))
    assert event.version == 2 and not [o for o in outs[2] if isinstance(o, Alert)]


def test_members_round_trip_through_the_table_form_also_beyond_the_listed_sources() -> None:
    from streams.core.dedup import DedupConfig

    config = DedupConfig(max_sources=2)
    state: BlockState | None = None
    reports = [
        rep(f"r{i}", T0 + timedelta(minutes=i), killed=Casualty(2 + i, "exact"), lat=46.48, lon=30.72,
            title="Drones hit Odesa port", lead=f"Russian drones hit the port of Odesa overnight, report {i}")
        for i in range(4)
    ]
    for n, r in enumerate(reports):
        state, _ = step(state, r, T0 + timedelta(hours=1, minutes=n), config)
    assert state is not None
    data = orjson.loads(orjson.dumps(state.to_dict()))
    assert BlockState.from_dict(data) == state
    (oe,) = state.events
    assert len(oe.event.sources) == 2 and oe.source_count == 4
    assert "u" in data["e"][0]["m"][3] and "u" not in data["e"][0]["m"][0]  # listed ones lean on their source


def test_state_written_before_members_were_kept_still_loads_and_continues() -> None:
    state, _ = apply([MORNING])
    data = orjson.loads(orjson.dumps(state.to_dict()))
    legacy = dict(data["e"][0])
    legacy.pop("m")
    restored = OpenEvent.from_dict(legacy, state.block)
    assert restored.has_source("later", 0) and restored.source_count == 1
    again, out = step(BlockState(block=state.block, events=(restored,)), MORNING, T0 + timedelta(hours=5))
    assert again.events == (restored,) and out[0].event_id == state.events[0].event.event_id
    grown, _ = step(BlockState(block=state.block, events=(restored,)), rep("z", T0 + timedelta(hours=1)),
                    T0 + timedelta(hours=6))
    assert [oe.source_count for oe in grown.events] == [2]


def _stepped(state: BlockState | None, report: StrikeReport, now: datetime) -> BlockState:
    after, _ = step(state, report, now)
    return after


def test_a_late_report_after_a_sibling_closed_keeps_the_ids_and_never_reuses_the_closed_one() -> None:
    night = rep("night", T0, time_of_day="night", targets=())
    # the same city and date, told apart by the time of day: the second strike takes the longer id
    mall = rep("mall", T0 + timedelta(hours=3), time_of_day="afternoon", targets=("mall",), weapons=("missile",),
               killed=Casualty(5, "exact"))
    follow = rep("follow", T0 + timedelta(days=6), date=None, date_basis="unknown", targets=("mall",),
                 weapons=("missile",), killed=Casualty(5, "exact"))
    state = _stepped(None, night, T0)
    state = _stepped(state, mall, mall.published_at or T0)
    state = _stepped(state, follow, follow.published_at or T0)
    ids = {oe.event.sources[0].article_id: oe.event.event_id for oe in state.events}
    assert len(ids) == 2 and ids["night"] != ids["mall"]
    # the night strike closes; the mall strike stays open (its follow-up came on day 6)
    state2, closed = expire(state, T0 + timedelta(days=8, hours=2))
    assert state2 is not None and [e.event_id for e in closed] == [ids["night"]]
    # a replay's lagging partition brings a report of the afternoon published on day 2 (its clock): it
    # re-clusters the mall strike, whose first report would take the plain id of the place and date
    late = rep("late", T0 + timedelta(days=2), date=None, date_basis="unknown", targets=("mall",),
               weapons=("missile",), killed=Casualty(5, "exact"))
    state3, out = step(state2, late, T0 + timedelta(days=2))
    assert members(state3) == {ids["mall"]: {"mall", "late", "follow"}}
    assert all(o.event_id != ids["night"] for o in out)


def test_an_event_past_close_after_waits_expiry_grace_for_a_lagging_partition() -> None:
    first = rep("first", T0)
    # another town of the block, from the partition ahead: its clock would close the Odesa strike
    ahead = rep("ahead", T0 + timedelta(days=7, hours=2), settlement="Izmail", date=date(2024, 7, 15))
    # from a partition behind: published on day 6, a follow-up of the Odesa strike
    behind = rep("behind", T0 + timedelta(days=6), date=None, date_basis="unknown")
    in_order = _stepped(_stepped(_stepped(None, first, T0), behind, T0 + timedelta(days=6)), ahead,
                        T0 + timedelta(days=7, hours=2))
    state = _stepped(_stepped(None, first, T0), ahead, T0 + timedelta(days=7, hours=2))
    kept, closed = expire(state, T0 + timedelta(days=7, hours=2))
    assert closed == [] and kept is state  # idle 7 days 2 hours: past close_after, within the grace
    lagging = _stepped(kept, behind, T0 + timedelta(days=6))
    assert members(lagging) == members(in_order)
    assert {"first", "behind"} in members(lagging).values()
