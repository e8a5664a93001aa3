"""An independent cross-check of ``extract()`` against UCDP GED events (headlines only).

The labelled dev set is small and the rules are tuned on it; this module scores the extractor on
data nobody tuned for: the UCDP Georeferenced Event Dataset (GED, CC BY 4.0) rows of the Russia-Ukraine
war in 2022-2023 (``../shared/data/ucdp/ucdp_ged_ukraine_2022_2023.csv``). Every UCDP event lists the
English headlines of its sources in ``source_headline`` (separated by ``;``). Each distinct headline of
an event is run through ``extract()`` as an ``Article`` with ``title`` = the headline, no text, and
``published_at`` = the event's ``date_start`` at noon Europe/Kyiv (headlines appear around the event).

It is a cross-check, not a target: UCDP codes events (often from General Staff summaries, battle
deaths included), a headline states one strike, partial tolls or no strike at all. Rates over the
headlines that yield a report, main report = index 0:

* ``recall``: headlines yielding any report / all headlines (some headlines are not strike news).
* ``admin1``: main report's admin1 equals UCDP ``adm_1`` after ``normalise_admin1`` (Crimea and
  Sevastopol count as one region); over events with a non-empty ``adm_1``. A report without an admin1
  counts as a miss. ``admin1_any_report``: any report of the headline matches (the place was found but
  perhaps not ranked first). ``country``: main report's country equals UCDP's (``Ukraine`` -> ``UA``).
* ``coords_25km``: main report's settlement lies within 25 km of the UCDP point; only when our report
  is settlement-level and UCDP ``where_prec`` is 1 or 2 (an exact place or within 25 km of one) --
  UCDP points of coarser precision are region centroids.
* ``date_pm1``: main report's date within one day of ``date_start``, over reports with a date.
  Publication-basis dates equal the event day by construction, so ``date_pm1_stated`` repeats the
  measure over explicit/relative dates only.
* ``killed_within_range``: main report's killed value within UCDP [low, high] deaths;
  ``killed_not_above_high``: value <= high (a headline may give a partial count). Over main reports
  with a killed figure. A summary headline ("the Russians killed four residents of the Donetsk region")
  is often cited by several UCDP events, one per place; ``killed_within_pooled_range`` compares the
  value with the sums of low and high over all events citing the same headline (events sharing a
  headline are counted in ``shared_headlines``).

``examples`` lists a few disagreements per kind (the UCDP place against ours, facts only) for reading.

UCDP dates in this file come in two spellings, both month first (a spreadsheet export):
``8/31/2022 12:00:00 AM`` (days 13-31) and ``09/01/2022 00:00`` (days 1-12); ``parse_ucdp_date``
also reads ISO dates and, when the first field cannot be a month, day-first dates.

Usage::

    from streams.eval.ucdp import evaluate_ucdp, format_ucdp_table
    result = evaluate_ucdp("../shared/data/ucdp/ucdp_ged_ukraine_2022_2023.csv", limit=None)
    print(format_ucdp_table(result))   # result is a JSON-serialisable dict

``limit`` caps the number of UCDP events read (file order); about 900 events and 1,100 headlines
take seconds.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from streams.core.extract import extract
from streams.core.models import Article, StrikeReport

KYIV = ZoneInfo("Europe/Kyiv")
RADIUS_KM = 25.0
EXAMPLES_PER_KIND = 4

RATE_KEYS = (
    "recall", "admin1", "admin1_any_report", "country", "coords_25km", "date_pm1", "date_pm1_stated",
    "killed_within_range", "killed_not_above_high", "killed_within_pooled_range",
)

# UCDP country names -> ISO 3166-1 alpha-2 as our reports carry them.
_COUNTRIES = {
    "ukraine": "UA", "russia": "RU", "russia (soviet union)": "RU", "russian federation": "RU",
    "belarus": "BY", "moldova": "MD", "poland": "PL", "romania": "RO",
}

# Stems of Ukrainian first-level regions (lower case, after dropping 'oblast', 'region', ...) -> our
# canonical admin1 names. Written out here, not taken from the extractor's gazetteer, so that the
# check does not share the extractor's name table.
_UA_ADMIN1: dict[str, tuple[str, ...]] = {
    "Cherkasy Oblast": ("cherkasy", "cherkassy", "cherkaska"),
    "Chernihiv Oblast": ("chernihiv", "chernigov", "chernihivska"),
    "Chernivtsi Oblast": ("chernivtsi", "chernovtsy", "chernivetska"),
    "Dnipropetrovsk Oblast": ("dnipropetrovsk", "dnepropetrovsk", "dnipropetrovska", "dnipro"),
    "Donetsk Oblast": ("donetsk", "donetska"),
    "Ivano-Frankivsk Oblast": ("ivano frankivsk", "ivano frankovsk", "ivano frankivska"),
    "Kharkiv Oblast": ("kharkiv", "kharkov", "kharkivska"),
    "Kherson Oblast": ("kherson", "khersonska"),
    "Khmelnytskyi Oblast": ("khmelnytskyi", "khmelnytskyy", "khmelnytsky", "khmelnitsky", "khmelnitskiy",
                            "khmelnytska"),
    "Kirovohrad Oblast": ("kirovohrad", "kirovograd", "kirovohradska", "kropyvnytskyi"),
    "Kyiv Oblast": ("kyiv", "kiev", "kyivska"),
    "Luhansk Oblast": ("luhansk", "lugansk", "luhanska"),
    "Lviv Oblast": ("lviv", "lvov", "lvivska"),
    "Mykolaiv Oblast": ("mykolaiv", "mykolayiv", "nikolaev", "nikolayev", "mykolaivska"),
    "Odesa Oblast": ("odesa", "odessa", "odeska"),
    "Poltava Oblast": ("poltava", "poltavska"),
    "Rivne Oblast": ("rivne", "rovno", "rivnenska"),
    "Sumy Oblast": ("sumy", "sumska"),
    "Ternopil Oblast": ("ternopil", "ternopol", "ternopilska"),
    "Vinnytsia Oblast": ("vinnytsia", "vinnytsya", "vinnitsa", "vinnytska"),
    "Volyn Oblast": ("volyn", "volhynia", "volynska"),
    "Zakarpattia Oblast": ("zakarpattia", "zakarpattya", "transcarpathia", "transcarpathian", "zakarpatska"),
    "Zaporizhzhia Oblast": ("zaporizhzhia", "zaporizhzhya", "zaporizhia", "zaporizhzhe", "zaporozhye",
                            "zaporozhe", "zaporizka"),
    "Zhytomyr Oblast": ("zhytomyr", "zhitomir", "zhytomyrska"),
    "Crimea": ("crimea", "krym", "autonomous republic of crimea", "republic of crimea", "crimean"),
    "Sevastopol City": ("sevastopol",),
}
_STEM_TO_ADMIN1 = {stem: name for name, stems in _UA_ADMIN1.items() for stem in stems}
_CITY_ADMIN1 = {"kyiv": "Kyiv City", "kiev": "Kyiv City", "sevastopol": "Sevastopol City"}
# Regions that one source files under the other (the city of Sevastopol lies on the Crimean peninsula).
_EQUIVALENT = ({"Crimea", "Sevastopol City"},)
_SUFFIXES = ("oblast", "oblast'", "region", "province", "obl", "city", "municipality")


def _fold(value: str) -> str:
    """Lower case, accents and apostrophes dropped, hyphens and dots as spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[ʼ’'`]", "", text)
    text = re.sub(r"[-.,_/]+", " ", text)
    return " ".join(text.split())


def normalise_admin1(value: str | None) -> str | None:
    """Our admin1 name for a UCDP ``adm_1`` value ('Donetsk oblast' -> 'Donetsk Oblast',
    'Kyiv city' -> 'Kyiv City', 'Autonomous Republic of Crimea' -> 'Crimea'); None for empty values.

    Unknown oblasts (e.g. Russian ones) become '<Stem> Oblast'; other unknown values are title-cased.
    """
    if value is None or not value.strip():
        return None
    folded = _fold(value)
    words = folded.split()
    is_city = "city" in words or folded.startswith("city of ")
    stem_words = [w for w in words if w not in _SUFFIXES]
    if stem_words[:1] == ["of"]:  # 'city of Kyiv'
        stem_words = stem_words[1:]
    stem = " ".join(stem_words)
    if is_city and stem in _CITY_ADMIN1:
        return _CITY_ADMIN1[stem]
    if stem in _STEM_TO_ADMIN1:
        return _STEM_TO_ADMIN1[stem]
    if not stem:
        return value.strip()
    title = " ".join(w.capitalize() for w in stem.split())
    if "oblast" in words or "obl" in words or "region" in words or "province" in words:
        return f"{title} Oblast"
    return f"{title} City" if is_city else title


def admin1_match(ours: str | None, theirs: str | None) -> bool:
    """Same region after normalising both sides (Crimea and Sevastopol count as one)."""
    if ours is None or theirs is None:
        return False
    a, b = normalise_admin1(ours), normalise_admin1(theirs)
    if a == b:
        return True
    return any(a in group and b in group for group in _EQUIVALENT)


def normalise_country(value: str | None) -> str | None:
    """ISO alpha-2 for a UCDP country name ('Ukraine' -> 'UA'); two-letter codes pass through."""
    if not value or not value.strip():
        return None
    v = value.strip()
    if len(v) == 2 and v.isalpha():
        return v.upper()
    return _COUNTRIES.get(v.lower())


_SLASH_DATE = re.compile(
    r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?\s*$"
)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def parse_ucdp_date(value: str | None) -> date | None:
    """The calendar date of a UCDP date field; None when empty or unreadable.

    Accepts ``M/D/YYYY h:mm:ss AM`` and ``MM/DD/YYYY HH:MM`` (month first, as in the GED export),
    ``YYYY-MM-DD[ time]``, and ``DD/MM/YYYY`` only when the first field exceeds 12.
    """
    if value is None or not value.strip():
        return None
    iso = _ISO_DATE.match(value)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    m = _SLASH_DATE.match(value)
    if not m:
        return None
    first, second, year = int(m[1]), int(m[2]), int(m[3])
    month, day = (first, second) if first <= 12 else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def split_headlines(value: str | None) -> list[str]:
    """The distinct non-empty headlines of a ``source_headline`` field, in order."""
    out: list[str] = []
    for part in (value or "").split(";"):
        headline = " ".join(part.split())
        if headline and headline not in out:
            out.append(headline)
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class UcdpEvent:
    """The fields of one UCDP GED row that the cross-check reads."""

    id: str
    date_start: date
    date_end: date | None
    place: str  # where_coordinates (UCDP's place name)
    where_description: str
    where_prec: int | None
    adm_1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    best: int | None
    low: int | None
    high: int | None
    headlines: tuple[str, ...]


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def event_from_row(row: Mapping[str, str]) -> UcdpEvent | None:
    """A ``UcdpEvent`` from a CSV row; None when the row has no readable ``date_start``."""
    start = parse_ucdp_date(row.get("date_start"))
    if start is None:
        return None
    return UcdpEvent(
        id=str(row.get("id", "")).strip(),
        date_start=start,
        date_end=parse_ucdp_date(row.get("date_end")),
        place=(row.get("where_coordinates") or "").strip(),
        where_description=" ".join((row.get("where_description") or "").split()),
        where_prec=_int(row.get("where_prec")),
        adm_1=(row.get("adm_1") or "").strip() or None,
        country=normalise_country(row.get("country")),
        lat=_float(row.get("latitude")),
        lon=_float(row.get("longitude")),
        best=_int(row.get("best")),
        low=_int(row.get("low")),
        high=_int(row.get("high")),
        headlines=tuple(split_headlines(row.get("source_headline"))),
    )


def load_events(csv_path: str | Path, limit: int | None = None) -> list[UcdpEvent]:
    """The UCDP events of a GED CSV file, in file order (at most ``limit``)."""
    events: list[UcdpEvent] = []
    with Path(csv_path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if limit is not None and len(events) >= limit:
                break
            event = event_from_row(row)
            if event is not None:
                events.append(event)
    return events


def headline_article(event: UcdpEvent, index: int, headline: str) -> Article:
    """The article for one source headline: title only, published at noon Kyiv time on the event day."""
    return Article(
        id=f"ucdp-{event.id}-{index}",
        title=headline,
        published_at=datetime.combine(event.date_start, time(12, 0), tzinfo=KYIV),
        outlet="UCDP source headline",
    )


class _Tally:
    def __init__(self) -> None:
        self.hits: dict[str, int] = dict.fromkeys(RATE_KEYS, 0)
        self.totals: dict[str, int] = dict.fromkeys(RATE_KEYS, 0)

    def add(self, key: str, good: bool) -> None:
        self.totals[key] += 1
        self.hits[key] += int(good)

    def rates(self) -> dict[str, float | None]:
        return {k: (round(self.hits[k] / self.totals[k], 4) if self.totals[k] else None) for k in RATE_KEYS}


def _example(kind: str, event: UcdpEvent, headline: str, rep: StrikeReport, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": kind,
        "ucdp_id": event.id,
        "date_start": event.date_start.isoformat(),
        "headline": headline,
        "ucdp_place": event.place,
        "ucdp_where": event.where_description,
        "ucdp_adm_1": event.adm_1,
        "ucdp_where_prec": event.where_prec,
        "ours_settlement": rep.settlement,
        "ours_admin1": rep.admin1,
        "ours_country": rep.country,
        "ours_precision": rep.precision,
    }
    out.update(extra)
    return out


def score_events(events: Iterable[UcdpEvent]) -> dict[str, Any]:
    """Cross-check rates of ``extract`` over the events' headlines (see the module docstring)."""
    events = list(events)
    pooled: dict[str, list[int]] = {}
    citing: dict[str, int] = {}
    for event in events:
        for headline in event.headlines:
            citing[headline] = citing.get(headline, 0) + 1
            if event.high is not None:
                sums = pooled.setdefault(headline, [0, 0])
                sums[0] += event.low if event.low is not None else 0
                sums[1] += event.high
    tally = _Tally()
    disagreements: dict[str, int] = {
        "no_report": 0, "admin1_missing": 0, "admin1_other": 0, "country_other": 0,
        "coords_far": 0, "date_off": 0, "killed_above_high": 0, "killed_below_low": 0,
    }
    examples: dict[str, list[dict[str, Any]]] = {}
    cache: dict[tuple[str, date], list[StrikeReport]] = {}
    n_events = n_headlines = n_with_report = 0

    def keep(kind: str, item: dict[str, Any]) -> None:
        disagreements[kind] += 1
        bucket = examples.setdefault(kind, [])
        if len(bucket) < EXAMPLES_PER_KIND:
            bucket.append(item)

    for event in events:
        n_events += 1
        theirs_a1 = normalise_admin1(event.adm_1)
        for i, headline in enumerate(event.headlines):
            n_headlines += 1
            key = (headline, event.date_start)
            if key not in cache:
                cache[key] = sorted(extract(headline_article(event, i, headline)), key=lambda r: r.index)
            reports = cache[key]
            tally.add("recall", bool(reports))
            if not reports:
                if len(examples.get("no_report", ())) < EXAMPLES_PER_KIND:
                    examples.setdefault("no_report", []).append(
                        {"kind": "no_report", "ucdp_id": event.id, "date_start": event.date_start.isoformat(),
                         "headline": headline, "ucdp_place": event.place, "ucdp_adm_1": event.adm_1})
                disagreements["no_report"] += 1
                continue
            n_with_report += 1
            main = reports[0]

            if event.country is not None:
                tally.add("country", main.country == event.country)
                if main.country != event.country:
                    keep("country_other", _example("country_other", event, headline, main))
            if theirs_a1 is not None:
                good = admin1_match(main.admin1, theirs_a1)
                tally.add("admin1", good)
                tally.add("admin1_any_report", any(admin1_match(r.admin1, theirs_a1) for r in reports))
                if not good:
                    kind = "admin1_missing" if main.admin1 is None else "admin1_other"
                    keep(kind, _example(kind, event, headline, main))

            if (main.precision == "settlement" and main.lat is not None and main.lon is not None
                    and event.lat is not None and event.lon is not None
                    and event.where_prec is not None and event.where_prec <= 2):
                km = haversine_km(main.lat, main.lon, event.lat, event.lon)
                tally.add("coords_25km", km <= RADIUS_KM)
                if km > RADIUS_KM:
                    keep("coords_far", _example("coords_far", event, headline, main, distance_km=round(km, 1)))

            if main.date is not None:
                off = abs((main.date - event.date_start).days)
                tally.add("date_pm1", off <= 1)
                if main.date_basis in ("explicit", "relative"):
                    tally.add("date_pm1_stated", off <= 1)
                if off > 1:
                    keep("date_off", _example("date_off", event, headline, main, ours_date=main.date.isoformat(),
                                              ours_date_basis=main.date_basis))

            if main.killed is not None and event.high is not None:
                value = main.killed.value
                low = event.low if event.low is not None else 0
                tally.add("killed_within_range", low <= value <= event.high)
                tally.add("killed_not_above_high", value <= event.high)
                p_low, p_high = pooled[headline]
                tally.add("killed_within_pooled_range", p_low <= value <= p_high)
                if value > event.high or value < low:
                    kind = "killed_above_high" if value > event.high else "killed_below_low"
                    keep(kind, _example(kind, event, headline, main, ours_killed=value,
                                        ours_killed_qualifier=main.killed.qualifier,
                                        ucdp_deaths=[event.low, event.best, event.high],
                                        ucdp_deaths_pooled=[p_low, p_high], events_citing=citing[headline]))

    return {
        "events": n_events,
        "headlines": n_headlines,
        "distinct_headlines": len({h for h, _ in cache}),
        "with_report": n_with_report,
        "shared_headlines": sum(1 for n in citing.values() if n > 1),
        "rates": tally.rates(),
        "counts": {k: [tally.hits[k], tally.totals[k]] for k in RATE_KEYS},
        "disagreements": disagreements,
        "examples": [item for kind in disagreements for item in examples.get(kind, ())],
    }


def evaluate_ucdp(csv_path: str | Path, limit: int | None = None) -> dict[str, Any]:
    """Run the cross-check on a UCDP GED CSV file (first ``limit`` events); a JSON-serialisable dict."""
    result = score_events(load_events(csv_path, limit=limit))
    result["csv"] = str(csv_path)
    result["limit"] = limit
    return result


def format_ucdp_table(result: Mapping[str, Any]) -> str:
    """A plain-text table of ``evaluate_ucdp``'s result, with the disagreement counts and examples."""
    lines = [
        f"UCDP GED cross-check on {result.get('csv', 'UCDP')}: {result['events']} events, "
        f"{result['headlines']} headlines ({result['distinct_headlines']} distinct), "
        f"{result['with_report']} with a report; {result['shared_headlines']} headlines cited by several events",
        "",
        f"{'measure':<28}{'rate':>7}{'hits':>7}{'of':>7}",
    ]
    for key in RATE_KEYS:
        rate = result["rates"][key]
        hits, total = result["counts"][key]
        shown = f"{rate:>7.3f}" if rate is not None else f"{'-':>7}"
        lines.append(f"{key:<28}{shown}{hits:>7}{total:>7}")
    lines.append("")
    lines.append("disagreements: " + ", ".join(f"{k} {v}" for k, v in result["disagreements"].items()))
    examples: Sequence[Mapping[str, Any]] = result.get("examples") or ()
    if examples:
        lines.append("")
        lines.append("examples (UCDP vs ours):")
        for ex in examples:
            ours = " / ".join(str(ex.get(k)) for k in ("ours_settlement", "ours_admin1") if ex.get(k)) or "-"
            extra = ""
            if "distance_km" in ex:
                extra = f" {ex['distance_km']} km"
            elif "ours_date" in ex:
                extra = f" ours {ex['ours_date']} ({ex['ours_date_basis']})"
            elif "ours_killed" in ex:
                extra = (f" ours killed {ex['ours_killed']} vs UCDP low/best/high {ex['ucdp_deaths']},"
                         f" pooled low/high {ex['ucdp_deaths_pooled']} over {ex['events_citing']} events")
            lines.append(
                f"  [{ex['kind']}] {ex['date_start']} UCDP {ex.get('ucdp_place')!s} ({ex.get('ucdp_adm_1')}) "
                f"| ours {ours}{extra} | {ex['headline'][:110]}"
            )
    return "\n".join(lines)
