"""Date rules of extract() and the dates module, on sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from streams.core.extract import dates as dt
from streams.core.extract import extract
from streams.core.models import Article


def _article(title: str | None, text: str, published: datetime | None = None, url: str = "https://example.org/x"
             ) -> Article:
    return Article(id="d1", url=url, title=title, text=text, outlet="Test", published_at=published)


def test_dateline_forms() -> None:
    assert dt.dateline("Headline\nMon Mar 6 2023\nbody") == date(2023, 3, 6)
    assert dt.dateline("Headline\nMarch 9,2023 412\nbody") == date(2023, 3, 9)
    assert dt.dateline("Headline\n9 March 2023\nbody") == date(2023, 3, 9)
    assert dt.dateline("Updated on: 10 March,2023 09:12 AM IST | Delhi") == date(2023, 3, 10)
    assert dt.dateline("Last updated:\n09-03-23, 18:40") == date(2023, 3, 9)
    assert dt.dateline("Odesa, Ukraine\nThe city was hit in 2023 by drones.") is None


def test_url_unix_timestamp_hint() -> None:
    assert dt.year_hint("https://example.org/news/drone-attack-on-odesa-1678000000.html") == date(2023, 3, 5)


def test_page_without_publication_time_uses_its_dateline() -> None:
    text = ("Drones hit Odesa\n\nThu Mar 9 2023\n\n"
            "Russian drones struck an apartment block in Odesa overnight, injuring four people.")
    main = extract(_article(None, text))[0]
    assert main.settlement == "Odesa"
    assert main.date == date(2023, 3, 9)
    text2 = ("Missile strike on Lviv\n\n9 March 2023\n\n"
             "A Russian missile hit a house in Lviv on Wednesday evening, killing two residents.")
    assert extract(_article(None, text2))[0].date == date(2023, 3, 8)


def test_country_headline_and_country_lead_are_one_strike() -> None:
    art = _article(
        "At least 9 killed in strikes on Ukraine as Russia fires dozens of missiles",
        "Russia has launched one of its largest aerial barrages on Ukraine in months, killing at least 9 people "
        "and wounding 40 others.",
        datetime(2023, 3, 9, 8, tzinfo=UTC),
    )
    reports = extract(art)
    assert len(reports) == 1
    main = reports[0]
    assert main.settlement is None and main.country == "UA"
    assert main.date == date(2023, 3, 9)
    assert main.killed is not None and main.killed.value == 9
    assert main.injured is not None and main.injured.value == 40


def test_later_follow_up_has_no_publication_date() -> None:
    art = _article(
        "Uman toll climbs",
        "The death toll from last week's Russian missile strike on an apartment block in the city of Uman "
        "has risen to 23 on Sunday, the governor said.",
        datetime(2023, 4, 30, 18, tzinfo=UTC),
    )
    main = extract(art)[0]
    assert main.settlement == "Uman"
    assert main.date is None
    art2 = _article(
        None,
        "Funerals were held in Uman for the residents killed when a Russian missile hit their building.",
        datetime(2023, 5, 2, 12, tzinfo=UTC),
    )
    assert extract(art2)[0].date is None


def test_page_without_dateline_uses_latest_full_date_it_states() -> None:
    text = ("A rescuer at a house hit by a Russian drone in Odesa, Ukraine March 9, 2023.\n\n"
            "Russia launched drones at Odesa overnight, injuring three people, officials said.")
    main = extract(_article(None, text))[0]
    assert main.settlement == "Odesa" and main.date == date(2023, 3, 9)


def test_date_tied_to_the_strike_noun_wins() -> None:
    clause = "On 3 May rescuers found two more bodies, so the toll of the attack on Uman on 28 April rose to 23."
    cue = dt.find(clause, date(2023, 5, 3))
    assert cue is not None and cue.value == date(2023, 4, 28)
    art = _article(
        "Missile strike on Uman",
        "A Russian missile hit an apartment block in Uman on 28 April, killing 20 people. "
        "On 3 May rescuers found two more bodies, so the toll of the attack on Uman on 28 April rose to 23.",
        datetime(2023, 5, 3, 12, tzinfo=UTC),
    )
    reports = extract(art)
    assert [(r.settlement, r.date) for r in reports] == [("Uman", date(2023, 4, 28))]
