"""The read model: strike events, their versions and the alerts, in one SQLite file (WAL).

The topics are the system of record. The database keeps, beside the rows, the next offset of every
partition it has read, written in the same transaction as the rows, so a restarted service goes on
where it stopped and a missing (or wiped) database is rebuilt from the beginning of the topics.

Blocking calls: the service runs writes on one thread and reads on others (WAL lets readers go on
while the writer writes). Each thread gets its own connection.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import orjson

from streams.api.query import Cursor, EventQuery, select_events, where_clause

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS offsets (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)
);
-- The latest version of every event; the filter columns are copies of fields of body.
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    sort_date TEXT NOT NULL,          -- the strike date, '' when unknown (sorts last)
    date TEXT, country TEXT, admin1 TEXT, settlement TEXT, attacker TEXT,
    weapons TEXT NOT NULL,            -- JSON array
    lat REAL, lon REAL,
    killed INTEGER, injured INTEGER,
    last_updated TEXT NOT NULL,
    body TEXT NOT NULL                -- the event as published on strike-events
);
CREATE INDEX IF NOT EXISTS events_order ON events (sort_date DESC, event_id DESC);
CREATE INDEX IF NOT EXISTS events_country ON events (country, sort_date DESC);
CREATE INDEX IF NOT EXISTS events_place ON events (lat, lon);
-- Every version seen of every event: the toll history.
CREATE TABLE IF NOT EXISTS event_versions (
    event_id TEXT NOT NULL, version INTEGER NOT NULL,
    last_updated TEXT NOT NULL,
    killed INTEGER, killed_qualifier TEXT, injured INTEGER, injured_qualifier TEXT,
    source_count INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (event_id, version)
);
CREATE TABLE IF NOT EXISTS alerts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL UNIQUE,
    event_id TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL, created_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_event ON alerts (event_id, version);
-- Event ids a later event supersedes (a re-clustering merged or renamed them), with the version of
-- the superseding record: versions continue across a supersession, so a record of the id at a higher
-- version (the id came back) revives it. A superseded id is left out of events; its history stays.
-- A country-level event merged into a located one (its own record names it in merged_into) is kept
-- here the same way, with its own version: a later version without the link revives it.
CREATE TABLE IF NOT EXISTS superseded (
    event_id TEXT PRIMARY KEY, by TEXT NOT NULL, version INTEGER NOT NULL
);
"""

_TABLES = ("events", "event_versions", "alerts", "superseded", "offsets", "meta")

Kind = Literal["event", "alert", "skip"]  # skip: a bad message, only its offset is kept


@dataclass(frozen=True)
class Record:
    """One decoded message of the events or alerts topic, with where it came from."""

    kind: Kind
    topic: str
    partition: int
    offset: int
    value: dict[str, Any]


@dataclass(frozen=True)
class Page:
    events: list[dict[str, Any]]
    next_cursor: str | None


class Store:
    """The SQLite file at ``path``; ``connect()`` gives the calling thread its connection."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    # ------------------------------------------------------------------ connections

    def open(self) -> None:
        """Create the file, its directory and the tables (dropping tables of another schema version)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self.connect()
        conn.execute("PRAGMA journal_mode=WAL")
        found = None
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            found = row[0] if row else None
        except sqlite3.OperationalError:
            pass
        if found is not None and found != SCHEMA_VERSION:
            with self._transaction() as c:
                for table in _TABLES:
                    c.execute(f"DROP TABLE IF EXISTS {table}")
        conn.executescript(_SCHEMA)
        with self._transaction() as c:
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))

    def connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True, timeout=30.0)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close the calling thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # ------------------------------------------------------------------ where the topics were read to

    def offsets(self) -> dict[tuple[str, int], int]:
        rows = self.connect().execute("SELECT topic, partition, next_offset FROM offsets").fetchall()
        return {(t, p): o for t, p, o in rows}

    def source(self) -> str | None:
        row = self.connect().execute("SELECT value FROM meta WHERE key = 'source'").fetchone()
        return str(row[0]) if row else None

    def reset(self, source: str) -> None:
        """Forget everything (the topics will be read again from the beginning) and record ``source``."""
        with self._transaction() as c:
            for table in ("events", "event_versions", "alerts", "superseded", "offsets"):
                c.execute(f"DELETE FROM {table}")
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('source', ?)", (source,))

    # ------------------------------------------------------------------ writes

    def apply(self, records: Iterable[Record]) -> list[Record]:
        """Store a batch of records and their offsets in one transaction; returns the alerts that were new."""
        new_alerts: list[Record] = []
        with self._transaction() as c:
            for record in records:
                if record.kind == "event":
                    _apply_event(c, record.value)
                elif record.kind == "alert" and _apply_alert(c, record.value):
                    new_alerts.append(record)
                c.execute(
                    "INSERT INTO offsets (topic, partition, next_offset) VALUES (?, ?, ?) "
                    "ON CONFLICT (topic, partition) DO UPDATE SET next_offset = "
                    "max(next_offset, excluded.next_offset)",
                    (record.topic, record.partition, record.offset + 1),
                )
        return new_alerts

    # ------------------------------------------------------------------ reads

    def list_events(self, query: EventQuery) -> Page:
        """One page of events (without their sources), newest strike date first."""
        sql, params = select_events(query)
        rows = self.connect().execute(sql, params).fetchall()
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        events = [_summary(orjson.loads(body)) for _, _, body in rows]
        cursor = Cursor(sort_date=rows[-1][1], event_id=rows[-1][0]).encode() if more and rows else None
        return Page(events=events, next_cursor=cursor)

    def count_events(self, query: EventQuery | None = None) -> int:
        where, params = where_clause(query or EventQuery())
        row = self.connect().execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()
        return int(row[0])

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """The latest version of the event with its toll history and alerts; None when unknown."""
        conn = self.connect()
        row = conn.execute("SELECT body FROM events WHERE event_id = ?", (event_id,)).fetchone()
        if row is None:
            return None
        event: dict[str, Any] = orjson.loads(row[0])
        event["history"] = [
            {
                "version": version,
                "last_updated": last_updated,
                "killed": None if killed is None else {"value": killed, "qualifier": kq},
                "injured": None if injured is None else {"value": injured, "qualifier": iq},
                "source_count": source_count,
            }
            for version, last_updated, killed, kq, injured, iq, source_count in conn.execute(
                "SELECT version, last_updated, killed, killed_qualifier, injured, injured_qualifier, source_count "
                "FROM event_versions WHERE event_id = ? ORDER BY version",
                (event_id,),
            )
        ]
        event["alerts"] = [
            {"alert_id": a["alert_id"], "kind": a["kind"], "version": a["version"], "created_at": a["created_at"],
             "changes": a["changes"]}
            for a in (orjson.loads(body) for (body,) in conn.execute(
                "SELECT body FROM alerts WHERE event_id = ? ORDER BY version, seq", (event_id,)
            ))
        ]
        return event

    def event_version(self, event_id: str) -> int | None:
        row = self.connect().execute("SELECT version FROM events WHERE event_id = ?", (event_id,)).fetchone()
        return int(row[0]) if row else None

    def alerts_after(self, alert_id: str, limit: int = 1000) -> list[dict[str, Any]] | None:
        """The alerts stored after ``alert_id``, oldest first; None when that id is unknown."""
        conn = self.connect()
        row = conn.execute("SELECT seq FROM alerts WHERE alert_id = ?", (alert_id,)).fetchone()
        if row is None:
            return None
        rows = conn.execute("SELECT body FROM alerts WHERE seq > ? ORDER BY seq LIMIT ?", (row[0], limit))
        return [orjson.loads(body) for (body,) in rows]


def _figure(event: dict[str, Any], name: str) -> tuple[int | None, str | None]:
    figure = event.get(name)
    if not isinstance(figure, dict):
        return None, None
    return figure.get("value"), figure.get("qualifier")


def _apply_event(c: sqlite3.Connection, event: dict[str, Any]) -> None:
    event_id, version = event["event_id"], int(event["version"])
    body = orjson.dumps(event).decode("utf-8")
    killed, killed_q = _figure(event, "killed")
    injured, injured_q = _figure(event, "injured")
    c.execute(
        "INSERT OR IGNORE INTO event_versions (event_id, version, last_updated, killed, killed_qualifier, "
        "injured, injured_qualifier, source_count, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event_id, version, event["last_updated"], killed, killed_q, injured, injured_q,
         event.get("source_count", len(event.get("sources", []))), body),
    )
    for old in event.get("supersedes") or ():
        if old == event_id:
            continue
        c.execute(
            "INSERT INTO superseded (event_id, by, version) VALUES (?, ?, ?) ON CONFLICT (event_id) DO UPDATE "
            "SET by = excluded.by, version = excluded.version WHERE excluded.version > superseded.version",
            (old, event_id, version),
        )
        c.execute("DELETE FROM events WHERE event_id = ? AND version < ?", (old, version))
    gone = c.execute("SELECT version FROM superseded WHERE event_id = ?", (event_id,)).fetchone()
    if gone is not None:
        if gone[0] > version:
            return  # a later event took its reports (records of two partitions are read in any order)
        c.execute("DELETE FROM superseded WHERE event_id = ?", (event_id,))  # the id came back
    row = c.execute("SELECT version FROM events WHERE event_id = ?", (event_id,)).fetchone()
    if row is not None and row[0] > version:
        return  # an older version redelivered or read late: the history has it, the latest stays
    merged_into = event.get("merged_into")
    if merged_into:  # a country-level account of a located event: left out as a superseded id is
        c.execute("INSERT OR REPLACE INTO superseded (event_id, by, version) VALUES (?, ?, ?)",
                  (event_id, merged_into, version))
        c.execute("DELETE FROM events WHERE event_id = ?", (event_id,))
        return
    c.execute(
        "INSERT OR REPLACE INTO events (event_id, version, sort_date, date, country, admin1, settlement, attacker, "
        "weapons, lat, lon, killed, injured, last_updated, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event_id, version, event.get("date") or "", event.get("date"), event.get("country"),
            event.get("admin1"), event.get("settlement"), event.get("attacker"),
            orjson.dumps(event.get("weapons", [])).decode("utf-8"), event.get("lat"), event.get("lon"),
            killed, injured, event["last_updated"], body,
        ),
    )


def _apply_alert(c: sqlite3.Connection, alert: dict[str, Any]) -> bool:
    cursor = c.execute(
        "INSERT OR IGNORE INTO alerts (alert_id, event_id, version, kind, created_at, body) VALUES (?, ?, ?, ?, ?, ?)",
        (alert["alert_id"], alert["event_id"], int(alert["version"]), alert["kind"], alert["created_at"],
         orjson.dumps(alert).decode("utf-8")),
    )
    return cursor.rowcount == 1


def _summary(event: dict[str, Any]) -> dict[str, Any]:
    """An event as the list shows it: everything but the sources (the event's own URL has them)."""
    return {k: v for k, v in event.items() if k not in ("sources", "block")}
