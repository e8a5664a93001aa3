"""Short headline-only items (the shape of wire and monitoring headlines): gate, places, tolls."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.core.extract import extract
from streams.core.models import Article, StrikeReport


def _reports(headline: str) -> list[StrikeReport]:
    return extract(Article(id="h", title=headline, published_at=datetime(2022, 10, 3, 9, tzinfo=UTC)))


def test_russian_spellings_pass_the_gate_without_the_word_ukraine() -> None:
    reports = _reports("Overnight shelling of Nikolaev leaves four wounded")
    assert reports and reports[0].settlement == "Mykolaiv" and reports[0].injured is not None
    assert reports[0].injured.value == 4
    reports = _reports("A rocket strike on Zaporozhye killed one man")
    assert reports and (reports[0].settlement, reports[0].admin1) == ("Zaporizhzhia", "Zaporizhzhia Oblast")


def test_fired_at_is_a_strike_verb() -> None:
    reports = _reports("Occupiers fired at a kindergarten in Gorlovka with artillery")
    assert reports and reports[0].settlement == "Horlivka"


def test_gdpr_is_not_the_dpr() -> None:
    assert _reports("New GDPR fines hit tech firms after data attack") == []


def test_a_city_district_named_after_a_region_is_the_city() -> None:
    reports = _reports("Two people hurt as shells hit the Kiev region of Donetsk")
    assert [(r.settlement, r.admin1) for r in reports] == [("Donetsk", "Donetsk Oblast")]
    reports = _reports("Drones hit the Kharkiv region of Ukraine, one person killed")
    assert reports and (reports[0].settlement, reports[0].admin1) == (None, "Kharkiv Oblast")
