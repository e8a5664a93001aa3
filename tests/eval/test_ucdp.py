"""The UCDP GED cross-check: date parsing, oblast-name normalising, and a sanity run on the real file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from streams.eval.ucdp import (
    RATE_KEYS,
    UcdpEvent,
    admin1_match,
    evaluate_ucdp,
    format_ucdp_table,
    haversine_km,
    headline_article,
    normalise_admin1,
    normalise_country,
    parse_ucdp_date,
    score_events,
    split_headlines,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
UCDP_CSV = SHARED / "ucdp" / "ucdp_ged_ukraine_2022_2023.csv"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8/31/2022 12:00:00 AM", date(2022, 8, 31)),
        ("12/25/2023 11:59:59 PM", date(2023, 12, 25)),
        ("09/01/2022 00:00", date(2022, 9, 1)),  # month first, as the GED export writes days 1-12
        ("02/12/2023 00:00", date(2023, 2, 12)),
        ("2/3/2023", date(2023, 2, 3)),
        ("2023-07-06", date(2023, 7, 6)),
        ("2023-07-06 00:00:00.000", date(2023, 7, 6)),
        ("25/07/2023", date(2023, 7, 25)),  # the first field cannot be a month: day first
        ("", None),
        (None, None),
        ("13/13/2023 00:00", None),
        ("yesterday", None),
    ],
)
def test_parse_ucdp_date(value: str | None, expected: date | None) -> None:
    assert parse_ucdp_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Donetsk oblast", "Donetsk Oblast"),
        ("Kharkiv Oblast", "Kharkiv Oblast"),
        ("Zaporizhzhya oblast", "Zaporizhzhia Oblast"),
        ("Mykolayiv oblast", "Mykolaiv Oblast"),
        ("Odessa oblast", "Odesa Oblast"),
        ("Khmelnytskyi oblast", "Khmelnytskyi Oblast"),
        ("Ivano-Frankivsk oblast", "Ivano-Frankivsk Oblast"),
        ("Kyiv city", "Kyiv City"),
        ("city of Kiev", "Kyiv City"),
        ("Kyiv oblast", "Kyiv Oblast"),
        ("Kiev Region", "Kyiv Oblast"),
        ("Autonomous Republic of Crimea", "Crimea"),
        ("Crimea", "Crimea"),
        ("Sevastopol city", "Sevastopol City"),
        ("Zaporizhzhia Oblast", "Zaporizhzhia Oblast"),  # our own names are fixed points
        ("Belgorod oblast", "Belgorod Oblast"),  # outside Ukraine: the stem, title-cased
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_normalise_admin1(value: str | None, expected: str | None) -> None:
    assert normalise_admin1(value) == expected


def test_admin1_match_and_country() -> None:
    assert admin1_match("Donetsk Oblast", "Donetsk oblast")
    assert admin1_match("Sevastopol City", "Autonomous Republic of Crimea")  # one region for the check
    assert not admin1_match("Kyiv City", "Kyiv oblast")
    assert not admin1_match(None, "Donetsk oblast") and not admin1_match("Donetsk Oblast", None)
    assert normalise_country("Ukraine") == "UA" and normalise_country("Russia (Soviet Union)") == "RU"
    assert normalise_country("") is None


def test_helpers() -> None:
    assert split_headlines("A strike; B strike;A strike; ;") == ["A strike", "B strike"]
    assert haversine_km(50.45, 30.52, 50.45, 30.52) == 0.0
    assert 460 < haversine_km(50.45, 30.52, 49.84, 24.03) < 475  # Kyiv - Lviv


def _event(headline: str, **kw: object) -> UcdpEvent:
    base: dict[str, object] = dict(
        id="1", date_start=date(2023, 7, 6), date_end=date(2023, 7, 6), place="Lviv city",
        where_description="Lviv", where_prec=1, adm_1="Lviv oblast", country="UA", lat=49.84, lon=24.03,
        best=4, low=4, high=5, headlines=(headline,),
    )
    base.update(kw)
    return UcdpEvent(**base)  # type: ignore[arg-type]


def test_headline_article_is_noon_kyiv() -> None:
    art = headline_article(_event("x"), 0, "x")
    assert art.title == "x" and art.text is None
    assert art.published_at is not None and art.published_at.utcoffset() is not None
    assert art.published_at.hour == 12 and art.published_at.date() == date(2023, 7, 6)


def test_score_events_shape() -> None:
    events = [_event("Russian missile strike kills 4 in Lviv"), _event("Parliament passes budget", id="2")]
    result = score_events(events)
    assert result["headlines"] == 2 and result["events"] == 2
    assert set(result["rates"]) == set(RATE_KEYS)
    assert all(r is None or 0.0 <= r <= 1.0 for r in result["rates"].values())
    assert result["counts"]["recall"][1] == 2
    table = format_ucdp_table(result)
    assert "recall" in table and "admin1" in table
    json.dumps(result)


@pytest.mark.shared
def test_real_file_sanity() -> None:
    if not UCDP_CSV.exists():
        pytest.skip("shared data absent")
    result = evaluate_ucdp(UCDP_CSV)
    for key in ("events", "headlines", "with_report", "rates", "counts", "disagreements", "examples"):
        assert key in result
    assert result["events"] >= 800 and result["headlines"] >= 900
    assert result["with_report"] >= 100
    assert set(result["rates"]) == set(RATE_KEYS)
    for key, rate in result["rates"].items():
        assert rate is not None, key
        assert 0.0 <= rate <= 1.0, key
    assert result["counts"]["admin1"][1] >= 100
    assert result["examples"] and all("headline" in ex and "kind" in ex for ex in result["examples"])
    json.dumps(result)
    assert "coords_25km" in format_ucdp_table(result)
    assert evaluate_ucdp(UCDP_CSV, limit=20)["events"] == 20
