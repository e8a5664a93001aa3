"""An article's ``published_at`` as producers send it, read into a time, a day, or nothing, and how well.

Feeds send RFC 3339 times, dates alone, RSS (RFC 822/1123) dates, ISO times with a space for the T and
times without an offset. :func:`read_published_at` reads those and says how it read them
(:data:`Quality`); anything else is ``unreadable``, never an error: the article is still processed,
against the Kafka timestamp. The patterns below are the contract: schemas/article.schema.json carries
the same strings under ``$defs`` (a test checks that they are equal and that the reading agrees).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from typing import Literal
from zoneinfo import ZoneInfo

Quality = Literal["exact", "naive_utc", "date_only", "unreadable", "missing"]
QUALITIES: tuple[Quality, ...] = ("exact", "naive_utc", "date_only", "unreadable", "missing")

KYIV = ZoneInfo("Europe/Kyiv")

# Building blocks. Years 1900-2099 only: a CMS placeholder such as Go's zero time "0001-01-01T00:00:00Z"
# is not a publication time. [0-9] rather than \d: the schema validator's \d also matches other scripts.
_WS = "[ \\t\\r\\n]*"
_YEAR = "(?:19|20)[0-9]{2}"
_DATE = _YEAR + "-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_CLOCK = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]+)?)?"
_ISO = _DATE + "[Tt ]" + _CLOCK
_ISO_OFFSET = "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])"
_RFC822_HEAD = (
    "(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(?:0?[1-9]|[12][0-9]|3[01]) "
    "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) " + _YEAR + " (?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
)
_RFC822_ZONE = "(?:[+-](?:[01][0-9]|2[0-3])[0-5][0-9]|UT|UTC|GMT|Z|AST|ADT|EST|EDT|CST|CDT|MST|MDT|PST|PDT)"

#: Quality -> the patterns of the strings read with that quality (surrounding blanks allowed).
PATTERNS: dict[Quality, tuple[str, ...]] = {
    "exact": (f"^{_WS}{_ISO}{_ISO_OFFSET}{_WS}$", f"^{_WS}{_RFC822_HEAD} {_RFC822_ZONE}{_WS}$"),
    "naive_utc": (f"^{_WS}{_ISO}{_WS}$", f"^{_WS}{_RFC822_HEAD}{_WS}$"),
    "date_only": (f"^{_WS}{_DATE}{_WS}$",),
}
_ISO_EXACT, _RFC822_EXACT = (re.compile(p) for p in PATTERNS["exact"])
_ISO_NAIVE, _RFC822_NAIVE = (re.compile(p) for p in PATTERNS["naive_utc"])
_DATE_ONLY = re.compile(PATTERNS["date_only"][0])


@dataclass(frozen=True, slots=True)
class PublishedAt:
    """What a ``published_at`` value says: an aware time (exact or naive_utc), a day (date_only), or
    neither (unreadable, missing)."""

    at: datetime | None
    day: date | None
    quality: Quality


def read_published_at(value: object) -> PublishedAt:
    """Read a ``published_at`` JSON value; never raises.

    * RFC 3339 date-time with an offset (``T``, ``t`` or a space between date and time, ``Z`` or
      ``+03:00``/``+0300``) and RFC 822/1123 dates with a zone: ``exact``. RFC 822's ``-0000`` ("UTC,
      local zone unknown") is exact UTC.
    * The same without an offset or zone: taken as UTC, ``naive_utc``.
    * An RFC 3339 full-date (``2023-12-30``): the day and no time, ``date_only``.
    * None (JSON null, or the key absent): ``missing``.
    * Anything else, a string of another form, a day that does not exist (``2023-02-30``), a year
      outside 1900-2099, or another JSON type (a number, a list): ``unreadable``.
    """
    if value is None:
        return PublishedAt(None, None, "missing")
    if not isinstance(value, str):
        return _UNREADABLE
    try:
        if _DATE_ONLY.fullmatch(value):
            return PublishedAt(None, date.fromisoformat(value.strip()), "date_only")
        if _ISO_EXACT.fullmatch(value) or _ISO_NAIVE.fullmatch(value):
            text = value.strip()
            text = text[:10] + "T" + text[11:]
            if text[-1] in "Zz":
                text = text[:-1] + "+00:00"
            parsed = datetime.fromisoformat(text)
            if parsed.tzinfo is None:
                return PublishedAt(parsed.replace(tzinfo=UTC), None, "naive_utc")
            return PublishedAt(parsed, None, "exact")
        if _RFC822_EXACT.fullmatch(value) or _RFC822_NAIVE.fullmatch(value):
            parsed = parsedate_to_datetime(value.strip())
            if parsed.tzinfo is not None:
                return PublishedAt(parsed, None, "exact")
            # parsedate_to_datetime gives "-0000" (UTC, local zone unknown) as naive, like no zone
            quality: Quality = "exact" if _RFC822_EXACT.fullmatch(value) else "naive_utc"
            return PublishedAt(parsed.replace(tzinfo=UTC), None, quality)
    except ValueError:  # the form is right but the day does not exist (2023-02-30)
        return _UNREADABLE
    return _UNREADABLE


_UNREADABLE = PublishedAt(None, None, "unreadable")


def reference_time(published_at: datetime | None, published_day: date | None,
                   fallback: datetime | None) -> datetime | None:
    """The time an article's relative dates ("overnight", "on Saturday") resolve against.

    Its publication time; for a day without a time, noon in Kyiv of that day (extraction reads the
    reference as a Kyiv date, and noon keeps that date without claiming a time); otherwise
    ``fallback`` (the Kafka timestamp, or None offline).
    """
    if published_at is not None:
        return published_at
    if published_day is not None:
        return datetime.combine(published_day, time(12), tzinfo=KYIV)
    return fallback
