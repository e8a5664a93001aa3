"""Published events and alerts count every merged report, also past the listed-source cap."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from streams.contracts import schema_errors
from streams.core.dedup import step
from streams.core.models import Casualty, StrikeEvent, StrikeReport


def test_an_event_with_more_reports_than_it_lists_says_how_many() -> None:
    start = datetime(2023, 8, 19, 12, tzinfo=UTC)
    state = None
    last_event: StrikeEvent | None = None
    for n in range(12):
        report = StrikeReport(
            article_id=f"a{n}", index=0, country="UA", settlement="Chernihiv", admin1="Chernihiv Oblast",
            lat=51.5, lon=31.3, precision="settlement", date=date(2023, 8, 19), date_basis="explicit",
            attacker="RU", weapons=("missile",), targets=("city_centre",),
            killed=Casualty(5 + n), published_at=start + timedelta(minutes=10 * n),
            title="Missile strike on central Chernihiv",
        )
        state, outputs = step(state, report, start + timedelta(minutes=10 * n))
        events = [o for o in outputs if isinstance(o, StrikeEvent)]
        if events:
            last_event = events[-1]
    assert state is not None and len(state.events) == 1
    assert last_event is not None
    assert last_event.total_sources == 12 and len(last_event.sources) <= 10
    document = last_event.to_dict()
    assert document["source_count"] == 12
    assert schema_errors("strike-event", document) == []
