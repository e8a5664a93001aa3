"""Typed, immutable records of the core and their JSON forms.

The JSON forms (``to_dict``/``from_dict``) are the message contracts of schemas/; a test checks that
every record produced here validates against its schema. Datetimes are always timezone-aware.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, Literal

from streams.core.published import Quality, read_published_at, reference_time

Qualifier = Literal["exact", "at_least", "more_than", "about", "vague"]
DateBasis = Literal["explicit", "relative", "publication", "unknown"]
Attacker = Literal["RU", "UA", "unknown"]
Precision = Literal["settlement", "admin1", "country"]
TimeOfDay = Literal["night", "morning", "afternoon", "evening"]
AlertKind = Literal["new_strike", "casualties_rose", "details_added"]

QUALIFIERS: tuple[str, ...] = ("exact", "at_least", "more_than", "about", "vague")
DATE_BASES: tuple[str, ...] = ("explicit", "relative", "publication", "unknown")
ATTACKERS: tuple[str, ...] = ("RU", "UA", "unknown")
PRECISIONS: tuple[str, ...] = ("settlement", "admin1", "country")
TIMES_OF_DAY: tuple[str, ...] = ("night", "morning", "afternoon", "evening")
ALERT_KINDS: tuple[str, ...] = ("new_strike", "casualties_rose", "details_added")


def _dt_to_str(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime in a record")
    return value.isoformat()


def _dt_from_str(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"datetime without offset: {value!r}")
    return parsed


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _dt_to_str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, Mapping):
        return dict(value)
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if to_dict is not None else value


def _record_dict(record: Any) -> dict[str, Any]:
    """The JSON form of a record: every field, dates as ISO 8601, tuples as lists, records nested."""
    return {f.name: _json_value(getattr(record, f.name)) for f in fields(record)}


def _date_from_str(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _consistent_quality(record: Any, day: date | None = None) -> None:
    """Check ``published_at_quality`` against the fields it describes; the default ``missing`` becomes
    ``exact`` beside a time and ``date_only`` beside a day, so records built without it stay right."""
    quality = record.published_at_quality
    if record.published_at is not None:
        allowed: tuple[str, ...] = ("exact", "naive_utc")
        filled = "exact"
    elif day is not None:
        allowed, filled = ("date_only",), "date_only"
    else:
        allowed, filled = ("missing", "unreadable", "date_only"), "missing"
    if quality == "missing" and filled != "missing":
        object.__setattr__(record, "published_at_quality", filled)
    elif quality not in allowed:
        raise ValueError(f"published_at_quality {quality!r} does not fit published_at={record.published_at!r}")


def article_id_from_url(url: str) -> str:
    """A stable article id for producers that send none: a hash of the URL."""
    return "u" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Article:
    """One news item as produced into the ``articles`` topic.

    ``published_at`` is an aware time (read exactly, or a time without offset taken as UTC);
    ``published_day`` the day of an article dated without a time; ``published_at_quality`` says which
    (see :mod:`streams.core.published`). An unreadable value is not kept: the article reads as undated.
    """

    id: str
    url: str | None = None
    title: str | None = None
    text: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    published_day: date | None = None
    published_at_quality: Quality = "missing"

    def __post_init__(self) -> None:
        if self.published_at is not None and self.published_day is not None:
            raise ValueError("an article has a publication time or a publication day, not both")
        _consistent_quality(self, self.published_day)
        if self.published_at_quality == "date_only" and self.published_day is None:
            raise ValueError("published_at_quality 'date_only' without published_day")

    def reference_time(self, fallback: datetime | None) -> datetime | None:
        """The time relative dates resolve against: publication time, Kyiv noon of the publication
        day, or ``fallback`` (the Kafka timestamp)."""
        return reference_time(self.published_at, self.published_day, fallback)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        for key in ("url", "title", "text", "outlet", "language"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.published_at is not None:
            if self.published_at_quality == "naive_utc":  # say no more than the producer did
                out["published_at"] = self.published_at.astimezone(UTC).replace(tzinfo=None).isoformat()
            else:
                out["published_at"] = _dt_to_str(self.published_at)
        elif self.published_day is not None:
            out["published_at"] = self.published_day.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        url = data.get("url")
        article_id = data.get("id") or (article_id_from_url(url) if url else None)
        if not article_id:
            raise ValueError("article has neither id nor url")
        published = read_published_at(data.get("published_at"))
        return cls(
            id=str(article_id),
            url=url,
            title=data.get("title"),
            text=data.get("text"),
            outlet=data.get("outlet"),
            published_at=published.at,
            language=data.get("language"),
            published_day=published.day,
            published_at_quality=published.quality,
        )


@dataclass(frozen=True, slots=True)
class Casualty:
    """A casualty figure as the text gives it: a value and how exact it is.

    ``vague`` values are lower bounds derived from words ("dozens" -> 24), never invented exact counts.
    """

    value: int
    qualifier: Qualifier = "exact"

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "qualifier": self.qualifier}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Casualty | None:
        if data is None:
            return None
        return cls(value=int(data["value"]), qualifier=data.get("qualifier", "exact"))


@dataclass(frozen=True, slots=True)
class StrikeReport:
    """One strike as one article states it (``index`` 0 is the article's main strike)."""

    article_id: str
    index: int
    country: str | None
    settlement: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: Precision | None = None
    date: date | None = None
    date_basis: DateBasis = "unknown"
    time_of_day: TimeOfDay | None = None
    attacker: Attacker = "unknown"
    attribution: str | None = None
    weapons: tuple[str, ...] = ()
    killed: Casualty | None = None
    injured: Casualty | None = None
    targets: tuple[str, ...] = ()
    evidence: str = ""
    field_evidence: Mapping[str, str] = field(default_factory=dict)
    url: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    title: str | None = None
    lead: str = ""
    #: How the article's published_at was read (streams.core.published.Quality).
    published_at_quality: Quality = "missing"

    def __post_init__(self) -> None:
        _consistent_quality(self)

    def to_dict(self) -> dict[str, Any]:
        return _record_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StrikeReport:
        return cls(
            article_id=data["article_id"],
            index=int(data["index"]),
            country=data.get("country"),
            settlement=data.get("settlement"),
            admin1=data.get("admin1"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            precision=data.get("precision"),
            date=_date_from_str(data.get("date")),
            date_basis=data.get("date_basis", "unknown"),
            time_of_day=data.get("time_of_day"),
            attacker=data.get("attacker", "unknown"),
            attribution=data.get("attribution"),
            weapons=tuple(data.get("weapons", ())),
            killed=Casualty.from_dict(data.get("killed")),
            injured=Casualty.from_dict(data.get("injured")),
            targets=tuple(data.get("targets", ())),
            evidence=data.get("evidence", ""),
            field_evidence=dict(data.get("field_evidence") or {}),
            url=data.get("url"),
            outlet=data.get("outlet"),
            published_at=_dt_from_str(data.get("published_at")),
            title=data.get("title"),
            lead=data.get("lead", ""),
            # absent in reports of workers older than the field: derived from published_at
            published_at_quality=data.get("published_at_quality", "missing"),
        )


@dataclass(frozen=True, slots=True)
class Source:
    """One report merged into an event: where it came from, what it said, and why it was merged.

    ``merge_reason`` names the evidence features the report joined the event on (see
    ``streams.core.dedup.FEATURES``), e.g. "same_date, rare_target, weapons_agree"; None for the report
    that created the event.
    """

    article_id: str
    index: int
    url: str | None
    outlet: str | None
    published_at: datetime | None
    evidence: str = ""
    merge_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _record_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        return cls(
            article_id=data["article_id"],
            index=int(data.get("index", 0)),
            url=data.get("url"),
            outlet=data.get("outlet"),
            published_at=_dt_from_str(data.get("published_at")),
            evidence=data.get("evidence", ""),
            merge_reason=data.get("merge_reason"),
        )


@dataclass(frozen=True, slots=True)
class Figure:
    """A merged casualty figure with its provenance (the article that said it)."""

    value: int
    qualifier: Qualifier
    article_id: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "qualifier": self.qualifier, "article_id": self.article_id}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Figure | None:
        if data is None:
            return None
        return cls(value=int(data["value"]), qualifier=data["qualifier"], article_id=data["article_id"])


@dataclass(frozen=True, slots=True)
class StrikeEvent:
    """The deduplicated state of one real strike, as published on ``strike-events``."""

    event_id: str
    version: int
    block: str
    country: str | None
    settlement: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: Precision | None
    date: date | None
    time_of_day: TimeOfDay | None
    attacker: Attacker
    attribution: str | None
    weapons: tuple[str, ...]
    targets: tuple[str, ...]
    killed: Figure | None
    injured: Figure | None
    sources: tuple[Source, ...]
    first_seen: datetime
    last_updated: datetime
    wave_id: str | None = None
    #: Every merged report, also those beyond the sources the event lists (0: as many as listed).
    source_count: int = 0
    #: Ids of events this one replaces: a re-clustering merged them into it or changed the report its
    #: id derives from (see ``streams.core.dedup``, "Order-independent identity"). Consumers drop them.
    supersedes: tuple[str, ...] = ()
    #: The located event (city or oblast level) this country-level event is an account of: the dedup
    #: linked it on strong evidence (see ``streams.core.dedup``, "Country-level accounts"). Consumers
    #: drop an event that names one, as they drop a superseded id; None again brings it back.
    merged_into: str | None = None

    @property
    def total_sources(self) -> int:
        return max(self.source_count, len(self.sources))

    def to_dict(self) -> dict[str, Any]:
        return {**_record_dict(self), "source_count": self.total_sources}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StrikeEvent:
        first_seen = _dt_from_str(data["first_seen"])
        last_updated = _dt_from_str(data["last_updated"])
        assert first_seen is not None and last_updated is not None
        return cls(
            event_id=data["event_id"],
            version=int(data["version"]),
            block=data["block"],
            country=data.get("country"),
            settlement=data.get("settlement"),
            admin1=data.get("admin1"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            precision=data.get("precision"),
            date=_date_from_str(data.get("date")),
            time_of_day=data.get("time_of_day"),
            attacker=data.get("attacker", "unknown"),
            attribution=data.get("attribution"),
            weapons=tuple(data.get("weapons", ())),
            targets=tuple(data.get("targets", ())),
            killed=Figure.from_dict(data.get("killed")),
            injured=Figure.from_dict(data.get("injured")),
            sources=tuple(Source.from_dict(s) for s in data.get("sources", ())),
            first_seen=first_seen,
            last_updated=last_updated,
            wave_id=data.get("wave_id"),
            source_count=int(data.get("source_count", 0)),
            supersedes=tuple(data.get("supersedes", ())),
            merged_into=data.get("merged_into"),
        )


@dataclass(frozen=True, slots=True)
class Alert:
    """What a subscriber acts on: a new strike, or a change to a known one."""

    alert_id: str
    kind: AlertKind
    event_id: str
    version: int
    created_at: datetime
    country: str | None
    settlement: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    date: date | None
    attacker: Attacker
    attribution: str | None
    weapons: tuple[str, ...]
    targets: tuple[str, ...]
    killed: Figure | None
    injured: Figure | None
    source_count: int
    sources: tuple[str, ...]
    changes: tuple[str, ...] = ()
    #: ids of events this alert's event replaces (a re-clustering renamed or merged them): a subscriber that keyed
    #: an earlier alert on one of them now follows this event id
    supersedes: tuple[str, ...] = ()

    @classmethod
    def for_event(
        cls, kind: AlertKind, event: StrikeEvent, changes: tuple[str, ...] = ()
    ) -> Alert:
        """The alert of ``kind`` for this version of ``event``; its id is the event id and version."""
        return cls(
            alert_id=f"{event.event_id}:v{event.version}",
            kind=kind,
            event_id=event.event_id,
            version=event.version,
            created_at=event.last_updated,
            country=event.country,
            settlement=event.settlement,
            admin1=event.admin1,
            lat=event.lat,
            lon=event.lon,
            date=event.date,
            attacker=event.attacker,
            attribution=event.attribution,
            weapons=event.weapons,
            targets=event.targets,
            killed=event.killed,
            injured=event.injured,
            source_count=event.total_sources,
            sources=tuple(s.url or s.article_id for s in event.sources),
            changes=changes,
            supersedes=event.supersedes,
        )

    def to_dict(self) -> dict[str, Any]:
        return _record_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Alert:
        created_at = _dt_from_str(data["created_at"])
        assert created_at is not None
        return cls(
            alert_id=data["alert_id"],
            kind=data["kind"],
            event_id=data["event_id"],
            version=int(data["version"]),
            created_at=created_at,
            country=data.get("country"),
            settlement=data.get("settlement"),
            admin1=data.get("admin1"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            date=_date_from_str(data.get("date")),
            attacker=data.get("attacker", "unknown"),
            attribution=data.get("attribution"),
            weapons=tuple(data.get("weapons", ())),
            targets=tuple(data.get("targets", ())),
            killed=Figure.from_dict(data.get("killed")),
            injured=Figure.from_dict(data.get("injured")),
            source_count=int(data["source_count"]),
            sources=tuple(data.get("sources", ())),
            changes=tuple(data.get("changes", ())),
            supersedes=tuple(data.get("supersedes", ())),
        )
