"""The query string of the event endpoints: parsed into a :class:`EventQuery`, turned into SQL.

Pure functions with no I/O. A bad value raises :class:`BadRequest` naming the parameter. Nothing a
client sends reaches SQL text: the WHERE clause is built from fixed fragments and every value goes
in the parameter list, bound by SQLite.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

ATTACKERS = ("RU", "UA", "unknown")
WEAPONS = (
    "drone", "shahed", "missile", "ballistic_missile", "cruise_missile", "hypersonic_missile", "glide_bomb",
    "aerial_bomb", "artillery", "mlrs", "cluster_munition", "rocket", "unknown",
)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_TEXT = 200

# Every parameter the event list and the GeoJSON accept; openapi.json documents exactly these.
PARAMETERS = (
    "since", "until", "country", "admin1", "settlement", "attacker", "weapon", "min_killed", "bbox",
    "limit", "cursor",
)

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadRequest(ValueError):
    """A query the service refuses: ``parameter`` is what was wrong, the message says how."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message

    def as_json(self) -> dict[str, str]:
        return {"error": "bad_request", "parameter": self.parameter, "message": self.message}


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: the sort key of its last event."""

    sort_date: str
    event_id: str

    def encode(self) -> str:
        raw = orjson.dumps([self.sort_date, self.event_id])
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            value = orjson.loads(raw)
        except (binascii.Error, ValueError) as exc:
            raise BadRequest("cursor", "cursor is not one this service gave out") from exc
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            raise BadRequest("cursor", "cursor is not one this service gave out")
        return cls(sort_date=value[0], event_id=value[1])


@dataclass(frozen=True)
class EventQuery:
    since: date | None = None
    until: date | None = None
    country: str | None = None
    admin1: str | None = None
    settlement: str | None = None
    attacker: str | None = None
    weapon: str | None = None
    min_killed: int | None = None
    bbox: BBox | None = None
    limit: int = DEFAULT_LIMIT
    cursor: Cursor | None = None
    located_only: bool = field(default=False)


def parse_query(items: Sequence[tuple[str, str]] | Mapping[str, str], *, located_only: bool = False) -> EventQuery:
    """An :class:`EventQuery` from query-string pairs; :class:`BadRequest` for the first thing wrong.

    Unknown and repeated parameters are refused, so that a typo ('contry=UA') is not silently a
    query for everything. Empty values count as absent (an HTML form sends them).
    """
    pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
    seen: dict[str, str] = {}
    for name, value in pairs:
        if name not in PARAMETERS:
            raise BadRequest(name, f"unknown parameter {name!r}; known: {', '.join(PARAMETERS)}")
        if name in seen:
            raise BadRequest(name, f"parameter {name!r} given more than once")
        seen[name] = value
    values = {k: v.strip() for k, v in seen.items() if v.strip() != ""}
    for name, value in values.items():
        if len(value) > MAX_TEXT:
            raise BadRequest(name, f"{name} is longer than {MAX_TEXT} characters")

    since = _date(values, "since")
    until = _date(values, "until")
    if since and until and since > until:
        raise BadRequest("until", f"until ({until}) is before since ({since})")
    country = values.get("country")
    if country is not None:
        if not _COUNTRY.match(country):
            raise BadRequest("country", f"country must be a two-letter ISO 3166-1 code such as UA, not {country!r}")
        country = country.upper()
    attacker = values.get("attacker")
    if attacker is not None:
        match = {a.lower(): a for a in ATTACKERS}.get(attacker.lower())
        if match is None:
            raise BadRequest("attacker", f"attacker must be one of {', '.join(ATTACKERS)}, not {attacker!r}")
        attacker = match
    weapon = values.get("weapon")
    if weapon is not None:
        weapon = weapon.lower()
        if weapon not in WEAPONS:
            raise BadRequest("weapon", f"weapon must be one of {', '.join(WEAPONS)}, not {values['weapon']!r}")
    min_killed = _int(values, "min_killed", 0, 10_000_000)
    limit = _int(values, "limit", 1, MAX_LIMIT)
    cursor = Cursor.decode(values["cursor"]) if "cursor" in values else None
    return EventQuery(
        since=since,
        until=until,
        country=country,
        admin1=values.get("admin1"),
        settlement=values.get("settlement"),
        attacker=attacker,
        weapon=weapon,
        min_killed=min_killed,
        bbox=_bbox(values.get("bbox")),
        limit=DEFAULT_LIMIT if limit is None else limit,
        cursor=cursor,
        located_only=located_only,
    )


def _date(values: Mapping[str, str], name: str) -> date | None:
    text = values.get(name)
    if text is None:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(name, f"{name} must be a date YYYY-MM-DD, not {text!r}") from None


def _int(values: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    text = values.get(name)
    if text is None:
        return None
    if not re.fullmatch(r"\d{1,9}", text):
        raise BadRequest(name, f"{name} must be a whole number from {low} to {high}, not {text!r}")
    number = int(text)
    if not low <= number <= high:
        raise BadRequest(name, f"{name} must be from {low} to {high}, not {number}")
    return number


def _bbox(text: str | None) -> BBox | None:
    if text is None:
        return None
    parts = text.split(",")
    usage = "bbox must be west,south,east,north in degrees (e.g. 22,44,41,53)"
    if len(parts) != 4:
        raise BadRequest("bbox", f"{usage}, not {text!r}")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise BadRequest("bbox", f"{usage}, not {text!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BadRequest("bbox", f"{usage}, not {text!r}")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise BadRequest("bbox", f"bbox longitudes must be within -180..180 and latitudes within -90..90: {text!r}")
    if south > north:
        raise BadRequest("bbox", f"bbox south ({south}) is north of north ({north})")
    if west > east:
        raise BadRequest(
            "bbox", f"bbox west ({west}) is east of east ({east}); boxes across 180 degrees are not supported"
        )
    return BBox(west, south, east, north)


def where_clause(query: EventQuery) -> tuple[str, list[Any]]:
    """The WHERE clause (``"1"`` when nothing filters) over table ``events`` and its bound parameters."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:  # sql is a fixed fragment; values are bound
        clauses.append(sql)
        params.extend(values)

    q = query
    if q.since is not None:
        add("date >= ?", q.since.isoformat())
    if q.until is not None:
        add("date <= ?", q.until.isoformat())
    if q.country is not None:
        add("country = ?", q.country)
    if q.admin1 is not None:
        add("admin1 = ? COLLATE NOCASE", q.admin1)
    if q.settlement is not None:
        add("settlement = ? COLLATE NOCASE", q.settlement)
    if q.attacker is not None:
        add("attacker = ?", q.attacker)
    if q.weapon is not None:
        add("EXISTS (SELECT 1 FROM json_each(events.weapons) WHERE json_each.value = ?)", q.weapon)
    if q.min_killed is not None:
        add("killed >= ?", q.min_killed)
    if q.bbox is not None:
        add("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?", q.bbox.west, q.bbox.east, q.bbox.south, q.bbox.north)
    if q.located_only:
        add("lat IS NOT NULL AND lon IS NOT NULL")
    if q.cursor is not None:
        c = q.cursor
        add("(sort_date < ? OR (sort_date = ? AND event_id < ?))", c.sort_date, c.sort_date, c.event_id)
    return (" AND ".join(clauses) if clauses else "1"), params


def select_events(query: EventQuery) -> tuple[str, list[Any]]:
    """The SELECT of one page (one row more than the limit, to know whether another page follows)."""
    where, params = where_clause(query)
    sql = (
        "SELECT event_id, sort_date, body FROM events WHERE "
        + where
        + " ORDER BY sort_date DESC, event_id DESC LIMIT ?"
    )
    return sql, [*params, query.limit + 1]
