"""Articles from the data formats of ../shared/data: labelled reports and RSS items.

One place decides how a raw item becomes an ``Article`` and which reference time it carries, so the
extraction scorer, the dedup scorer, the UCDP cross-check and the benchmarks all read the data alike,
and alike to the stream: an item without a full publication time has no ``published_at`` (the schema
needs an offset) and is read against a reference time, as the worker reads it against the Kafka
timestamp.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from streams.core.models import Article, article_id_from_url

_FULL = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_stamp(value: str | None) -> tuple[datetime | None, datetime | None]:
    """(published_at, reference time) of a publication stamp.

    A full timestamp gives itself twice (UTC when it has no offset); a date or a month gives no
    publication time and the last instant of that period as the reference; anything else (None, None).
    """
    if not value:
        return None, None
    value = value.strip()
    try:
        if _FULL.match(value):
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed, parsed
        if len(value) == 10:
            day = date.fromisoformat(value)
            return None, datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            first_next = date(year + month // 12, month % 12 + 1, 1)
            return None, datetime.combine(first_next - timedelta(days=1), time(23, 59, 59), tzinfo=UTC)
    except ValueError:
        return None, None
    return None, None


def gold_article(row: Mapping[str, Any]) -> Article:
    """The article a labelled report (eval/dev_reports.jsonl) stands for.

    Its id is the rid plus the hash of the URL: two labelled items of one URL (an RSS description and
    a page excerpt) are two articles, each scored on its own.
    """
    url = row.get("url")
    published, _ = parse_stamp(row.get("published"))
    return Article(
        id=f"{row['rid']}-{article_id_from_url(url)}" if url else str(row["rid"]),
        url=url,
        title=row.get("title"),
        text=row.get("text"),
        outlet=row.get("outlet"),
        published_at=published,
        language=row.get("language"),
    )


def rss_article(row: Mapping[str, Any]) -> Article | None:
    """An RSS item (url, outlet or feed, published, title, description) as an Article.

    None when it cannot be one: neither a non-blank title nor a non-blank description.
    """
    title, text = row.get("title"), row.get("description")
    if not ((isinstance(title, str) and title.strip()) or (isinstance(text, str) and text.strip())):
        return None
    url = row.get("url") if isinstance(row.get("url"), str) and row["url"].strip() else None
    key = url or f"{title}\n{text}"
    published, _ = parse_stamp(row.get("published"))
    outlet = row.get("outlet") or row.get("feed")
    return Article(
        id=article_id_from_url(url) if url else "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20],
        url=url,
        title=title if isinstance(title, str) else None,
        text=text if isinstance(text, str) else None,
        outlet=str(outlet) if outlet else None,
        published_at=published,
        language=str(row["language"]) if row.get("language") else None,
    )


def reference_time(row: Mapping[str, Any]) -> datetime | None:
    """The time an item's relative dates resolve against: its publication time, or noon UTC of its
    publication day when only the day is known (the same local day in Europe/Kyiv, where the end of the
    UTC day would already be the next); None when not even the day is known (no guessing)."""
    stamp = row.get("published")
    published, latest = parse_stamp(stamp)
    if published is not None:
        return published
    if latest is not None and isinstance(stamp, str) and len(stamp.strip()) == 10:
        return latest.replace(hour=12, minute=0, second=0)
    return None
