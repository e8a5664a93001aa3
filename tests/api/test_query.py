"""The query string of the event endpoints: parsing, refusals that name the parameter, and the SQL."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from streams.api.query import (
    MAX_LIMIT,
    BadRequest,
    BBox,
    Cursor,
    EventQuery,
    parse_query,
    select_events,
    where_clause,
)


def test_nothing_given_is_every_event_a_page_at_a_time() -> None:
    q = parse_query([])
    assert q == EventQuery()
    assert where_clause(q) == ("1", [])


def test_every_filter_is_parsed_and_normalised() -> None:
    q = parse_query({
        "since": "2023-01-01", "until": "2023-12-31", "country": "ua", "admin1": "Kharkiv Oblast",
        "settlement": " Kharkiv ", "attacker": "ru", "weapon": "Shahed", "min_killed": "3",
        "bbox": "22,44.5,41,53", "limit": "10",
    })
    assert q.since == date(2023, 1, 1) and q.until == date(2023, 12, 31)
    assert (q.country, q.attacker, q.weapon, q.settlement) == ("UA", "RU", "shahed", "Kharkiv")
    assert q.min_killed == 3 and q.limit == 10
    assert q.bbox == BBox(22.0, 44.5, 41.0, 53.0)


def test_empty_values_count_as_absent_as_a_form_sends_them() -> None:
    assert parse_query({"country": "", "since": "  ", "attacker": ""}) == EventQuery()


@pytest.mark.parametrize(
    ("params", "parameter", "says"),
    [
        ({"since": "2023-13-01"}, "since", "YYYY-MM-DD"),
        ({"since": "yesterday"}, "since", "YYYY-MM-DD"),
        ({"until": "2023-02-30"}, "until", "YYYY-MM-DD"),
        ({"since": "2023-05-02", "until": "2023-05-01"}, "until", "before since"),
        ({"country": "Ukraine"}, "country", "two-letter"),
        ({"attacker": "NATO"}, "attacker", "RU, UA, unknown"),
        ({"weapon": "laser"}, "weapon", "drone"),
        ({"min_killed": "-1"}, "min_killed", "whole number"),
        ({"min_killed": "1.5"}, "min_killed", "whole number"),
        ({"limit": "0"}, "limit", "from 1"),
        ({"limit": str(MAX_LIMIT + 1)}, "limit", f"to {MAX_LIMIT}"),
        ({"bbox": "1,2,3"}, "bbox", "west,south,east,north"),
        ({"bbox": "a,b,c,d"}, "bbox", "west,south,east,north"),
        ({"bbox": "nan,1,2,3"}, "bbox", "west,south,east,north"),
        ({"bbox": "0,95,10,96"}, "bbox", "within"),
        ({"bbox": "40,50,30,55"}, "bbox", "across 180"),
        ({"bbox": "30,55,40,50"}, "bbox", "north of north"),
        ({"cursor": "not a cursor"}, "cursor", "not one this service gave out"),
        ({"cursor": "WzFd"}, "cursor", "not one this service gave out"),  # base64 of [1]
        ({"contry": "UA"}, "contry", "unknown parameter"),
        ({"settlement": "x" * 201}, "settlement", "longer than"),
    ],
)
def test_a_bad_value_is_refused_naming_the_parameter(params: dict[str, str], parameter: str, says: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_query(params)
    assert caught.value.parameter == parameter
    assert says in caught.value.message
    assert caught.value.as_json() == {"error": "bad_request", "parameter": parameter, "message": caught.value.message}


def test_a_repeated_parameter_is_refused() -> None:
    with pytest.raises(BadRequest, match="more than once") as caught:
        parse_query([("country", "UA"), ("country", "RU")])
    assert caught.value.parameter == "country"


def test_a_cursor_survives_its_round_trip() -> None:
    cursor = Cursor(sort_date="2023-12-31", event_id="ev_1")
    assert Cursor.decode(cursor.encode()) == cursor
    assert parse_query({"cursor": cursor.encode()}).cursor == cursor


def test_values_reach_sql_only_as_bound_parameters() -> None:
    hostile = "Kharkiv'; DROP TABLE events; --"
    q = parse_query({"settlement": hostile, "admin1": hostile, "since": "2023-01-01", "bbox": "22,44,41,53",
                     "weapon": "drone", "min_killed": "1", "cursor": Cursor("2023-12-31", hostile).encode()})
    sql, params = select_events(q)
    assert hostile not in sql and "DROP" not in sql and "'" not in sql
    assert sql.count("?") == len(params)
    assert params.count(hostile) == 3  # settlement, admin1 and the cursor's event id


def test_the_sql_selects_what_each_filter_says() -> None:
    """Each filter against a small table: the clause is valid SQLite and keeps exactly the right rows."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE events (event_id TEXT, sort_date TEXT, date TEXT, country TEXT, admin1 TEXT, settlement TEXT, "
        "attacker TEXT, weapons TEXT, lat REAL, lon REAL, killed INTEGER, body TEXT)"
    )
    rows = [
        ("a", "2023-01-14", "2023-01-14", "UA", "Dnipropetrovsk Oblast", "Dnipro", "RU", '["missile"]', 48.4, 35.0, 40),
        ("b", "2023-12-31", "2023-12-31", "UA", "Kharkiv Oblast", "Kharkiv", "RU", '["drone","shahed"]', 49.9, 36.2, 2),
        ("c", "2023-12-30", "2023-12-30", "RU", "Belgorod Oblast", "Belgorod", "UA", '["mlrs"]', 50.6, 36.6, 22),
        ("d", "", None, "UA", None, None, "unknown", "[]", None, None, None),
    ]
    conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')", rows)

    def ids(**params: str) -> list[str]:
        sql, args = select_events(parse_query(params))
        return [r[0] for r in conn.execute(sql, args)]

    assert ids() == ["b", "c", "a", "d"]  # newest strike date first, undated last
    assert ids(since="2023-06-01") == ["b", "c"]
    assert ids(until="2023-06-01") == ["a"]
    assert ids(country="ru") == ["c"]
    assert ids(admin1="kharkiv oblast") == ["b"]
    assert ids(settlement="DNIPRO") == ["a"]
    assert ids(attacker="UA") == ["c"]
    assert ids(weapon="shahed") == ["b"]
    assert ids(min_killed="22") == ["c", "a"]
    assert ids(bbox="35,48,36,49") == ["a"]
    assert ids(limit="2") == ["b", "c", "a"]  # one more than the limit: another page follows
    after = Cursor(sort_date="2023-12-30", event_id="c").encode()
    assert ids(cursor=after) == ["a", "d"]
    sql, args = select_events(parse_query([], located_only=True))
    assert [r[0] for r in conn.execute(sql, args)] == ["b", "c", "a"]
