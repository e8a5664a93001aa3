"""Date and time-of-day cues in a clause, resolved against the publication time (Europe/Kyiv).

A rule layer handles the frequent forms ("on Saturday", "early Sunday", "overnight", "yesterday",
"the night of July 7-8", "December 29, 2023", "29 December") with plain regexes; dateparser is not
on the hot path. An overnight attack takes the date of the morning after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from streams.core.extract import lang, prefilter
from streams.core.models import DateBasis, TimeOfDay

KYIV = ZoneInfo("Europe/Kyiv")

_WORDS = lang.load("en").words  # month, weekday and relative-day words live in streams/data/lang/en.json
_MONTHS = _WORDS.months
_WEEKDAYS = _WORDS.weekdays
_MON = r"(?P<mon>" + _WORDS.alternation(_MONTHS) + r")\.?"
_WD = r"(?P<wd>" + _WORDS.alternation(_WEEKDAYS) + r")"

_TO = r"\s*(?:[-–/]|to|into|and)\s*"  # "the night of August 25-26 / 25 to 26 / 25 into 26", "overnight on 25-26 August"
_NIGHT_OF = re.compile(
    r"(?:night of|night from|overnight(?: on| into| of)?) "
    r"(?:(?P<d1>\d{1,2})(?:" + _TO + r"(?P<d2>\d{1,2}))?\s+" + _MON + r"|" + _MON.replace("mon", "mon2")
    + r"\s+(?P<d3>\d{1,2})(?:" + _TO + r"(?P<d4>\d{1,2}))?)(?:,?\s+(?P<y>\d{4}))?", re.I,
)
_MDY = re.compile(r"(?<![\w-])" + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d:])(?:,?\s*(?P<y>20\d\d))?", re.I)
_DMY = re.compile(
    r"(?<![\w-])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"(?:,?\s*(?P<y>20\d\d))?(?![\w])", re.I
)
_ISO = re.compile(r"(?<!\d)(?P<y>20\d\d)-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
_WEEKDAY = re.compile(
    r"(?<![\w-])(?:(?P<pre>early|late|on|this|last|since)\s+)?" + _WD
    + r"(?:['’]s)?(?:\s+(?P<post>night|evening|morning|afternoon|overnight))?(?![\w-])", re.I,
)
_RELATIVE = re.compile(r"(?<![\w-])(?P<w>" + _WORDS.alternation(_WORDS.relative_days) + r")(?![\w-])", re.I)
_STRIKE_NOUN_BEFORE = re.compile(
    r"(?:attack|strike|shelling|bombing|bombardment|raid|barrage)s?\b[^.;,]{0,35}?\b(?:on|of)\s+"
    r"(?:the\s+(?:night|morning|evening|afternoon)\s+of\s+)?$", re.I,
)
_DAY_GONE = frozenset(w.lower() for w in _WORDS.day_gone_by_small_hours)
_PREV_DAY = re.compile(r"(?<![\w-])(?:" + _WORDS.alternation(_WORDS.previous_day) + r")(?![\w-])", re.I)
# "last week", "in recent days": a past time of no one day (the strike gets no date, not the publication day)
_VAGUE_PAST = re.compile(r"(?<![\w-])(?:" + _WORDS.alternation(_WORDS.vague_past) + r")(?![\w-])", re.I)
# "in March", "back in early March", "mid-March": a month named without a day is a past time of no one day (a
# capitalised full month name, so that the modal "may" is none)
_FULL_MONTHS = [max((k for k, v in _MONTHS.items() if v == n), key=len) for n in range(1, 13)]
_MONTH_ONLY = re.compile(
    r"(?<![\w-])(?:" + _WORDS.alternation(_WORDS.month_only_before) + r")[\s-]+(?:(?:early|late|mid)[\s-]+)?"
    r"(?-i:" + "|".join(m.capitalize() for m in _FULL_MONTHS) + r")(?![\w-])(?!\s+\d{1,2}(?!\d))", re.I)
# "on Victory Day", "New Year's Eve strikes": a named day of the year dates like a written date ...
_NAMED_DAYS = tuple((re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.I), month, day)
                    for pattern, month, day in _WORDS.named_days)
_NAMED_DAY = re.compile(r"(?<![\w-])(?:" + "|".join(p for p, _m, _d in _WORDS.named_days) + r")(?![\w-])", re.I)
# ... but not as the time something came before or after ("two days before Victory Day", "ahead of Christmas")
_NAMED_DAY_GUARD = re.compile(
    r"\b(?:ahead of|before|since|after|until|till|for|towards?|eve of|run-up to|lead-up to|approach of)\s+"
    r"(?:the\s+)?(?:[\w'’-]+\s+)?$", re.I)
_NIGHT_BEFORE = re.compile(r"\b(?:overnight|night)\s+(?:on\s+|of\s+)?(?:the\s+)?$", re.I)
_NIGHT_AFTER = re.compile(r"(?:['’]s)?\s+(?:night|overnight)\b", re.I)
# every cue find() tries
_CUES = prefilter.Family(_NIGHT_OF, _MDY, _DMY, _ISO, _WEEKDAY, _RELATIVE, _PREV_DAY, _VAGUE_PAST, _MONTH_ONLY,
                         _NAMED_DAY)
_TIME_OF_DAY = tuple(
    (name, re.compile(r"(?<![\w-])(?:" + _WORDS.alternation(words) + r")(?![\w-])", re.I))
    for name, words in _WORDS.time_of_day
)


@dataclass(frozen=True, slots=True)
class DateCue:
    value: date | None
    basis: DateBasis
    start: int
    text: str
    offset_days: int = 0  # "the previous day": relative to the article's main strike date
    statement: bool = False  # "the ministry said on Sunday": the weekday dates a statement, a weak strike cue
    # "this evening", "earlier today": counted from the day before when the item is published in the Kyiv small
    # hours (by a writer whose evening it still is); see small_hours_day
    day_gone_by_small_hours: bool = False


def local_date(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(KYIV).date()


def _year_for(month: int, day: int, ref: date | None) -> int | None:
    if ref is None:
        return None
    year = ref.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return None
    if candidate > ref + timedelta(days=2):
        year -= 1  # "December 31" in a January article
    return year


def _mk(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=2048)
def find(clause: str, ref: date | None, hint: date | None = None, week_ref: date | None = None) -> DateCue | None:
    """The first date cue of the clause (explicit forms before relative ones), or None.

    ``hint`` (an approximate date from the URL) dates year-less explicit dates when ``ref`` is None;
    ``week_ref`` (a date the page's own weekdays and dates agree on) resolves weekdays and relative words
    ("overnight", "yesterday") when ``ref`` is None.
    """
    if not _CUES.may(clause):
        return None  # (no word that any cue needs)
    year_ref = ref or hint or week_ref
    m = _NIGHT_OF.search(clause)
    if m:
        mon = _MONTHS[(m.group("mon") or m.group("mon2")).lower().rstrip(".")]
        second = m.group("d2") or m.group("d4")
        day = int(second or m.group("d1") or m.group("d3"))
        y = int(m.group("y")) if m.group("y") else _year_for(mon, day, year_ref)
        # "the night of July 7-8" -> 8 July; "the night of April 4" -> 4 April (the morning after is named)
        return DateCue(_mk(y, mon, day), "explicit", m.start(), m.group(0))
    explicit: list[DateCue] = []
    for rx in (_MDY, _DMY):
        for m in rx.finditer(clause):
            mon = _MONTHS[m.group("mon").lower().rstrip(".")]
            day = int(m.group("d"))
            if not 1 <= day <= 31:
                continue
            if m.group("mon").lower() == "may" and not m.group("y") and rx is _DMY and day > 31:
                continue
            y = int(m.group("y")) if m.group("y") else _year_for(mon, day, year_ref)
            if not m.group("y") and year_ref is not None and y is not None and abs(y - year_ref.year) > 1:
                continue
            explicit.append(DateCue(_mk(y, mon, day), "explicit", m.start(), m.group(0)))
    for m in _ISO.finditer(clause):
        value = _mk(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        explicit.append(DateCue(value, "explicit", m.start(), m.group(0)))
    for rx, mon, day in _NAMED_DAYS:
        for m in rx.finditer(clause):
            if _NAMED_DAY_GUARD.search(clause[max(0, m.start() - 40):m.start()]):
                continue
            value = _mk(_year_for(mon, day, year_ref), mon, day)
            if value is not None and (_NIGHT_BEFORE.search(clause[max(0, m.start() - 25):m.start()])
                                      or _NIGHT_AFTER.match(clause, m.end())):
                value += timedelta(days=1)  # "overnight on New Year's Eve": the morning after, like "Saturday night"
            if value is not None and year_ref is not None and value > year_ref:
                continue  # "Victory Day parades were cancelled" in a 7 May item: a day to come dates no strike
            explicit.append(DateCue(value, "explicit", m.start(), m.group(0)))
    wd = _WEEKDAY.search(clause)
    if wd:
        # "started on Thursday and carried into Friday": the later day is the strike's date
        for later in _WEEKDAY.finditer(clause, wd.end()):
            if re.search(r"(?:into|until|till|through|to)\s+$", clause[max(0, later.start() - 8):later.start()], re.I):
                wd = later
                break
    if explicit:
        explicit.sort(key=lambda c: c.start)
        first = explicit[0]
        if len(explicit) > 1:
            # "On 3 May rescuers found two more bodies after the attack on Uman on 28 April": the date tied
            # to the strike noun dates the strike; the other one dates the report or the recovery
            tied = [c for c in explicit if _STRIKE_NOUN_BEFORE.search(clause[max(0, c.start - 60):c.start])]
            if tied and tied[0] is not first:
                return tied[0]
        # "on Tuesday, June 25" when 25 June was no Tuesday: the weekday (with the publication) wins
        if wd and ref and first.value and abs(wd.start() - first.start) < 25:
            if first.value.weekday() != _WEEKDAYS[wd.group("wd").lower()]:
                return _weekday_cue(wd, ref, clause)
        return first
    if wd and (ref or week_ref) is not None:
        cue = _weekday_cue(wd, ref or week_ref, clause)  # type: ignore[arg-type]
        if not cue.statement:
            return cue
        for later in _WEEKDAY.finditer(clause, wd.end()):  # "said on Sunday ... hit Kharkiv on Saturday night"
            other = _weekday_cue(later, ref or week_ref, clause)  # type: ignore[arg-type]
            if not other.statement:
                return other
        # "struck overnight, officials said on Saturday": the relative word, counted from the statement's
        # day, dates the strike
        return _relative(clause, cue.value, None) or _vague(clause, ref or week_ref) or cue
    if wd:
        return DateCue(None, "relative", wd.start(), wd.group(0))
    rel = _relative(clause, ref, week_ref)
    if rel is not None:
        return rel
    m = _PREV_DAY.search(clause)
    if m:
        return DateCue(None, "relative", m.start(), m.group(0), offset_days=-1)
    return _vague(clause, ref or week_ref)


# "the deadliest attack since Moscow left Kherson last week": the vague time belongs to a comparison or to
# another event, not to this strike
_COMPARED_BEFORE = re.compile(
    r"\b(?:since|than|most|largest|biggest|deadliest|heaviest|worst|first|latest|previously|"
    r"last (?:attacked|hit|struck|targeted|shelled|bombed|damaged))\b[^.;]{0,60}$", re.I)


def _vague(clause: str, ref: date | None = None) -> DateCue | None:
    found = [m for m in (_VAGUE_PAST.search(clause), _month_only(clause, ref)) if m is not None]
    if not found:
        return None
    m = min(found, key=lambda x: x.start())
    if _COMPARED_BEFORE.search(clause[:m.start()]):
        return None
    return DateCue(None, "unknown", m.start(), m.group(0))


def _month_only(clause: str, ref: date | None) -> re.Match[str] | None:
    """A month named without a day ("in March"), unless it is later in the year than the reference day and has no
    year ("US to train pilots in October" in an August item tells a time to come)."""
    for m in _MONTH_ONLY.finditer(clause):
        name = m.group(0).split()[-1].split("-")[-1].lower()
        year_given = re.match(r"\s*,?\s*20\d\d", clause[m.end():]) is not None
        if ref is None or year_given or _MONTHS[name] <= ref.month:
            return m
    return None


def _relative(clause: str, ref: date | None, week_ref: date | None) -> DateCue | None:
    m = _RELATIVE.search(clause)
    if not m:
        return None
    word = m.group("w").lower()
    day_ref = ref or week_ref
    if day_ref is None:
        return DateCue(None, "relative", m.start(), m.group(0))
    delta = _WORDS.relative_days.get(word, 0)
    return DateCue(day_ref - timedelta(days=delta), "relative", m.start(), m.group(0),
                   day_gone_by_small_hours=word in _DAY_GONE)


_SAID_BEFORE = re.compile(
    r"\b(?:said|says|announced|reported|claimed|stated|confirmed|added|wrote|told (?:\w+ ){0,2}?\w+)\s+(?:on\s+)?$",
    re.I,
)


def _weekday_cue(m: re.Match[str], ref: date, clause: str = "") -> DateCue:
    target = _WEEKDAYS[m.group("wd").lower()]
    back = (ref.weekday() - target) % 7
    value = ref - timedelta(days=back)
    if (m.group("post") or "").lower() in ("night", "overnight") and (m.group("pre") or "").lower() != "late":
        value = value + timedelta(days=1)  # "on Saturday night" -> the Sunday morning after
        if value > ref:
            value = ref
    statement = m.group("post") is None and _SAID_BEFORE.search(clause[max(0, m.start() - 40):m.start()]) is not None
    return DateCue(value, "relative", m.start(), m.group(0), statement=statement)


_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")


def week_anchor(text: str) -> date | None:
    """For a page with no publication time, URL date or full date: the date its weekdays imply.

    A year-less date ("On December 30", "New Year's Eve") falls on a weekday the page names in one year
    from the latest year the page mentions (or 2022, the start of the full-scale war) to two years later;
    when several years fit, the one where more of the other named weekdays fall in the two days before wins
    (news looks back). The anchor is that date, moved on by a named weekday one or two days after it.
    """
    low = text[:5000].lower()
    names = {_WEEKDAYS[w.group("wd").lower()] for w in _WEEKDAY.finditer(low)}
    if not names:
        return None
    years = [int(y) for y in _YEAR.findall(low)]
    first = max(years) if years else 2022
    yearless = [(_MONTHS[m.group("mon").lower().rstrip(".")], int(m.group("d")))
                for rx in (_MDY, _DMY) for m in rx.finditer(low) if not m.group("y")]
    yearless += [(mon, day) for rx, mon, day in _NAMED_DAYS if rx.search(low)]
    scored: list[tuple[int, int, date]] = []
    for year in range(first, first + 3):
        fits = [v for mon, day in yearless if (v := _mk(year, mon, day)) is not None and v.weekday() in names]
        if fits:
            anchor = max(fits)
            before = sum(1 for w in names if 1 <= (anchor.weekday() - w) % 7 <= 2)
            scored.append((before, year, anchor))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # two years fit equally well: no year
    anchor = scored[0][2]
    ahead = max(((w - anchor.weekday()) % 7 for w in names if (w - anchor.weekday()) % 7 <= 2), default=0)
    return anchor + timedelta(days=ahead)


def time_of_day(clause: str) -> TimeOfDay | None:
    """The time of day a clause states (night/morning/afternoon/evening), first cue by position."""
    best: tuple[int, TimeOfDay] | None = None
    for label, rx in _TIME_OF_DAY:
        m = rx.search(clause)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), label)  # type: ignore[assignment]
    return best[1] if best else None


_URL_DATE = re.compile(r"/(20\d\d)/(\d{1,2})/(\d{1,2})/|/(20\d\d)/(\d{1,2})/|[/-](20\d\d)(\d\d)(\d\d)[-/]")
_URL_EPOCH = re.compile(r"[-_/](1[3-8]\d{8})(?:\.html?|/|$)")  # a Unix timestamp slug (2011-2027)


def year_hint(url: str | None, text: str = "") -> date | None:
    """An approximate publication date from the URL (for year-less explicit dates) when the article has none."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        e = _URL_EPOCH.search(url)
        return local_date(datetime.fromtimestamp(int(e.group(1)), KYIV)) if e else None
    try:
        if m.group(1):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m.group(4):
            return date(int(m.group(4)), int(m.group(5)), 28)
        return date(int(m.group(6)), int(m.group(7)), int(m.group(8)))
    except ValueError:
        return None


# A page's own dateline: a short line near the top that is only a full date (with year), maybe with a
# weekday, an "Updated on:" label, a time or a page counter: "Sun Dec 31 2023", "June 28,2023 859",
# "28 June 2023", "Updated on: 01 January,2024 04:27 AM IST", "27-06-23, 22:15".
_DL_LABEL = r"(?:(?:last\s+)?(?:updated|published|posted)(?:\s+on)?:?\s*)?(?:[a-z]{3,9}\.?,?\s+)?"
_DL_TAIL = r"(?:[\s,|]+[\w:.|+ ]{0,30})?$"
_DATELINE = (
    re.compile(r"^" + _DL_LABEL + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<y>20\d\d)" + _DL_TAIL, re.I),
    re.compile(r"^" + _DL_LABEL + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s*(?P<y>20\d\d)" + _DL_TAIL, re.I),
    re.compile(r"^" + _DL_LABEL + r"(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>(?:20)?\d\d)" + _DL_TAIL, re.I),
    re.compile(r"^" + _DL_LABEL + r"(?P<y>20\d\d)-(?P<m>\d{2})-(?P<d>\d{2})" + _DL_TAIL, re.I),
)


def dateline(raw: str | None, max_lines: int = 12) -> date | None:
    """The date of a page's dateline line among its first lines (for items without a publication time)."""
    if not raw:
        return None
    for line in raw[:3000].split("\n")[:max_lines * 3]:
        line = line.strip()
        if not line or len(line) > 60:
            continue
        for rx in _DATELINE:
            m = rx.match(line)
            if not m:
                continue
            year = int(m.group("y"))
            year = year + 2000 if year < 100 else year
            month = _MONTHS[m.group("mon").lower().rstrip(".")] if "mon" in m.groupdict() else int(m.group("m"))
            value = _mk(year, month, int(m.group("d")))
            if value is not None:
                return value
    return None


def latest_full_date(text: str | None) -> date | None:
    """The latest complete date (day, month and year) a text states: a lower bound of its publication date."""
    if not text:
        return None
    best: date | None = None
    for rx in (_MDY, _DMY):
        for m in rx.finditer(text[:5000]):
            if not m.group("y"):
                continue
            value = _mk(int(m.group("y")), _MONTHS[m.group("mon").lower().rstrip(".")], int(m.group("d")))
            if value is not None and (best is None or value > best):
                best = value
    return best


# every pattern above behind its literal prefilter (same answers; skipped when a text lacks the words it needs)
prefilter.gate_all(globals())
