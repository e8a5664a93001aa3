"""Counts: events and alerts count every merged report, also past the listed-source cap, and every
``new_strike`` alert is a distinct event (an id is never minted twice)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from streams.contracts import schema_errors
from streams.core.dedup import DEFAULT, BlockState, expire, step
from streams.core.models import Alert, Casualty, StrikeEvent, StrikeReport
from streams.core.replay import replay

START = datetime(2023, 8, 19, 12, tzinfo=UTC)


def chernihiv(n: int, killed: int | None = None, day: date = date(2023, 8, 19)) -> StrikeReport:
    return StrikeReport(
        article_id=f"a{n}", index=0, country="UA", settlement="Chernihiv", admin1="Chernihiv Oblast",
        lat=51.5, lon=31.3, precision="settlement", date=day, date_basis="explicit",
        attacker="RU", weapons=("missile",), targets=("city_centre",),
        killed=Casualty(killed if killed is not None else 5 + n), published_at=START + timedelta(minutes=10 * n),
        title="Missile strike on central Chernihiv",
    )


def test_an_event_with_more_reports_than_it_lists_says_how_many() -> None:
    state = None
    last_event: StrikeEvent | None = None
    for n in range(12):
        state, outputs = step(state, chernihiv(n), START + timedelta(minutes=10 * n))
        events = [o for o in outputs if isinstance(o, StrikeEvent)]
        if events:
            last_event = events[-1]
    assert state is not None and len(state.events) == 1
    assert last_event is not None
    assert last_event.total_sources == 12 and len(last_event.sources) <= 10
    document = last_event.to_dict()
    assert document["source_count"] == 12
    assert schema_errors("strike-event", document) == []


def test_the_event_in_the_state_counts_reports_that_changed_nothing() -> None:
    """Restated tolls emit no version, but the event held (and replayed, and restored) counts them."""
    state = None
    for n in range(13):
        state, _ = step(state, chernihiv(n, killed=7), START + timedelta(minutes=10 * n))
    assert state is not None
    (oe,) = state.events
    assert oe.event.source_count == oe.event.total_sources == oe.source_count == 13
    assert len(oe.event.sources) == 10 and oe.event.version == 1
    restored = BlockState.from_dict(orjson.loads(orjson.dumps(state.to_dict())))
    assert restored.events[0].event.total_sources == 13 and restored == state


def test_a_report_dated_after_the_clock_mints_no_id_that_an_open_event_may_reuse() -> None:
    """An event created with a clock well before its strike date closes before that date; an event of
    the same place and date opened later must not take its id (two new_strike alerts, one id)."""
    early = START - timedelta(days=60)  # e.g. an undated page placed early in a replay
    state, first = step(None, chernihiv(0), early)
    state2, closed = expire(state, START, DEFAULT)
    assert state2 is None and len(closed) == 1
    _, second = step(state2, chernihiv(1), START)
    ids = [o.event_id for o in (*first, *second) if isinstance(o, Alert) and o.kind == "new_strike"]
    assert len(ids) == 2 and len(set(ids)) == 2


@pytest.mark.shared
def test_replay_of_dev_reports_and_pool_counts_every_report_and_each_event_once(shared_data: Path) -> None:
    """The measurement of issue 10: dev reports plus pool items through extraction and dedup."""
    from streams.core.extract import extract
    from streams.eval.sources import gold_article, rss_article
    from streams.offline import publication_order

    articles = [gold_article(json.loads(line)) for line in open(shared_data / "eval" / "dev_reports.jsonl")]
    with open(shared_data / "news" / "rss_strike_pool_2022_2023.jsonl") as fh:
        for n, line in enumerate(fh):
            if n >= 400:
                break
            item = rss_article(json.loads(line))
            if item is not None:
                articles.append(item)
    result = replay(publication_order(articles), lambda a, _t: extract(a, a.reference_time(None)))
    latest = {v.event_id: v for v in result.versions}
    latest.update({oe.event.event_id: oe.event for state in result.states.values() for oe in state.events})
    new_strikes = [a.event_id for a in result.alerts if a.kind == "new_strike"]
    assert len(new_strikes) == len(set(new_strikes))
    # one new_strike per event first seen: each listed event, and a country-level account alerted before
    # it was linked to the located event it tells of (listed no more)
    accounts = {eid for eid, v in latest.items() if v.merged_into}
    assert set(result.events) <= set(new_strikes) <= set(result.events) | accounts
    merged = Counter(event_id for _, event_id in result.assignments)
    # a country-level event linked to a located one counts its own reports (the located event lives on
    # another partition and is not written to): the located event's reports are its own plus theirs
    linked = Counter({v.merged_into: 0 for v in latest.values() if v.merged_into})
    for v in latest.values():
        if v.merged_into:
            linked[v.merged_into] += v.total_sources
    assert {eid: ev.total_sources + linked[eid] for eid, ev in result.events.items()} == dict(merged)
