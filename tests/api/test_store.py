"""The SQLite read model: latest version, toll history, idempotent alerts, offsets, and starting over."""

from __future__ import annotations

from pathlib import Path

from streams.api.query import parse_query
from streams.api.store import Record, Store
from tests.api.factory import make_alert, make_event


def event_record(event: dict, offset: int, partition: int = 0) -> Record:
    return Record(kind="event", topic="t.strike-events", partition=partition, offset=offset, value=event)


def alert_record(alert: dict, offset: int) -> Record:
    return Record(kind="alert", topic="t.alerts", partition=0, offset=offset, value=alert)


def opened(tmp_path: Path) -> Store:
    store = Store(tmp_path / "db" / "events.sqlite3")
    store.open()
    return store


def test_the_latest_version_wins_and_every_version_is_history(tmp_path: Path) -> None:
    store = opened(tmp_path)
    v1, v2, v3 = (make_event("ev_k", v, killed=k) for v, k in ((1, 2), (2, 5), (3, 7)))
    # v3 arrives before v2 (another partition, a redelivery): the event stays at v3
    store.apply([event_record(v1, 0), event_record(v3, 1), event_record(v2, 2)])
    event = store.get_event("ev_k")
    assert event is not None
    assert (event["version"], event["killed"]["value"]) == (3, 7)
    assert [(h["version"], h["killed"]["value"]) for h in event["history"]] == [(1, 2), (2, 5), (3, 7)]
    assert event["sources"] == v3["sources"]  # the full event: sources with their evidence quotes
    # a redelivered version changes nothing
    store.apply([event_record(v2, 3)])
    again = store.get_event("ev_k")
    assert again is not None and len(again["history"]) == 3 and again["version"] == 3


def test_journal_is_wal(tmp_path: Path) -> None:
    store = opened(tmp_path)
    assert store.connect().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_alerts_are_stored_once_and_listed_with_their_event(tmp_path: Path) -> None:
    store = opened(tmp_path)
    v1, v2 = make_event("ev_a", 1), make_event("ev_a", 2, killed=9)
    a1, a2 = make_alert(v1), make_alert(v2, "casualties_rose", ["killed: exact 2 -> exact 9"])
    new = store.apply([event_record(v1, 0), alert_record(a1, 0), event_record(v2, 1), alert_record(a2, 1)])
    assert [r.value["alert_id"] for r in new] == ["ev_a:v1", "ev_a:v2"]
    assert store.apply([alert_record(a2, 2)]) == []  # a redelivered alert is not new
    event = store.get_event("ev_a")
    assert event is not None
    assert [(a["kind"], a["changes"]) for a in event["alerts"]] == [
        ("new_strike", []), ("casualties_rose", ["killed: exact 2 -> exact 9"])
    ]
    after = store.alerts_after("ev_a:v1")
    assert after is not None and [a["alert_id"] for a in after] == ["ev_a:v2"]
    assert store.alerts_after("nope:v1") is None


def test_offsets_are_kept_with_the_rows_and_only_move_forward(tmp_path: Path) -> None:
    store = opened(tmp_path)
    store.apply([event_record(make_event("ev_1"), 4), event_record(make_event("ev_2"), 9, partition=1)])
    store.apply([Record(kind="skip", topic="t.strike-events", partition=0, offset=5, value={})])
    store.apply([event_record(make_event("ev_1"), 2)])  # read again from an older offset
    assert store.offsets() == {("t.strike-events", 0): 6, ("t.strike-events", 1): 10}
    store.close()
    reopened = opened(tmp_path)
    assert reopened.offsets() == {("t.strike-events", 0): 6, ("t.strike-events", 1): 10}
    assert reopened.count_events() == 2


def test_reset_forgets_everything_but_the_source(tmp_path: Path) -> None:
    store = opened(tmp_path)
    store.apply([event_record(make_event("ev_1"), 0)])
    store.reset('["t.strike-events","t.alerts"]')
    assert store.count_events() == 0 and store.offsets() == {}
    assert store.source() == '["t.strike-events","t.alerts"]'


def test_pages_follow_each_other_without_gaps_or_repeats(tmp_path: Path) -> None:
    store = opened(tmp_path)
    events = [make_event(f"ev_{i:02d}", date=f"2023-12-{(i % 5) + 1:02d}") for i in range(23)]
    store.apply([event_record(e, i) for i, e in enumerate(events)])
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "5", **({"cursor": cursor} if cursor else {})}
        page = store.list_events(parse_query(params))
        seen.extend(e["event_id"] for e in page.events)
        assert all("sources" not in e for e in page.events)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(e["event_id"] for e in events) and len(seen) == len(set(seen))
    dates = [store.get_event(i)["date"] for i in seen]  # type: ignore[index]
    assert dates == sorted(dates, reverse=True)


def test_a_superseded_event_leaves_the_list_in_any_reading_order(tmp_path: Path) -> None:
    old = make_event("ev_old", 1)
    new = make_event("ev_new", 2, supersedes=["ev_old"])
    for n, order in enumerate(([old, new], [new, old])):  # the two ids live on different partitions
        store = opened(tmp_path / f"order{n}")
        store.apply([event_record(e, k, partition=k) for k, e in enumerate(order)])
        assert store.get_event("ev_old") is None and store.get_event("ev_new") is not None
        assert store.count_events() == 1
    # an id that comes back at a higher version (a later re-clustering) is listed again
    back = make_event("ev_old", 3, supersedes=["ev_new"])
    store.apply([event_record(back, 5)])
    assert store.get_event("ev_old") is not None and store.get_event("ev_new") is None


def test_a_country_account_merged_into_a_located_event_leaves_the_list_until_a_version_unlinks_it(
    tmp_path: Path,
) -> None:
    account = make_event("ev_country", 1, settlement=None, admin1=None, precision="country")
    linked = make_event("ev_country", 2, settlement=None, admin1=None, precision="country", merged_into="ev_city")
    store = opened(tmp_path / "merged")
    store.apply([event_record(account, 0), event_record(linked, 1)])
    assert store.get_event("ev_country") is None and store.count_events() == 0
    store.apply([event_record(account, 2)])  # the earlier version read again changes nothing
    assert store.get_event("ev_country") is None
    unlinked = make_event("ev_country", 3, settlement=None, admin1=None, precision="country", merged_into=None)
    store.apply([event_record(unlinked, 3)])
    assert store.get_event("ev_country") is not None and store.count_events() == 1
