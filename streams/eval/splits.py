"""The tune/check split of the labelled day slices.

The day slices hold every item of a few two-day windows. Errors are studied on one half of the windows
(tune) and changes are judged on the other (check), so that a rule written for a text is not also
scored on it. A window is a run of publication days (Kyiv time not needed: windows are weeks apart)
with no gap of more than one day; windows in date order alternate tune, check, tune, ... Rows without
a publication day (not in the day slices) belong to no window and are kept by neither half.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

HALVES = ("tune", "check")


def _day(row: Mapping[str, Any]) -> date | None:
    stamp = row.get("published")
    if not isinstance(stamp, str) or len(stamp) < 10:
        return None
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def windows(rows: Sequence[Mapping[str, Any]]) -> dict[date, int]:
    """Publication day -> window number (0, 1, ... in date order)."""
    days = sorted({d for d in (_day(r) for r in rows) if d is not None})
    out: dict[date, int] = {}
    number = -1
    previous: date | None = None
    for day in days:
        if previous is None or (day - previous).days > 1:
            number += 1
        out[day] = number
        previous = day
    return out


def half_of(window: int) -> str:
    return HALVES[window % 2]


def split_rows(rows: Sequence[Mapping[str, Any]], half: str) -> list[Mapping[str, Any]]:
    """The rows of the tune or the check half."""
    if half not in HALVES:
        raise ValueError(f"split must be one of {HALVES}, not {half!r}")
    numbers = windows(rows)
    kept = []
    for row in rows:
        day = _day(row)
        if day is not None and half_of(numbers[day]) == half:
            kept.append(row)
    return kept
