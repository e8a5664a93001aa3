"""Date rules of extract() and the dates module, on sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

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


# Monday 28 August 2023, 09:00 in Kyiv
_MONDAY = datetime(2023, 8, 28, 6, 0, tzinfo=UTC)


def _date_of(title: str | None, text: str, published: datetime | None = _MONDAY) -> date | None:
    reports = extract(_article(title, text, published))
    assert reports, "no report"
    return reports[0].date


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Russian drones hit Odesa port", "Russian drones hit the port of Odesa overnight, the governor said.",
         date(2023, 8, 28)),
        ("Dnipro hit on Saturday", "A Russian missile struck an industrial site in Dnipro on Saturday, killing one.",
         date(2023, 8, 26)),
        (None, "On the night of 25 to 26 August, Russian drones attacked Izmail, damaging grain silos.",
         date(2023, 8, 26)),
        (None, "On the night of August 26 into 27, Russian drones attacked Izmail.", date(2023, 8, 27)),
        (None, "Overnight on 26-27 August, Russian drones attacked Kyiv, the air force said.", date(2023, 8, 27)),
        (None, "Russian shelling killed two people in Kherson yesterday, the regional governor said.",
         date(2023, 8, 27)),
        (None, "Russian shelling killed two people in Kherson the day before yesterday, officials said.",
         date(2023, 8, 26)),
        (None, "Russian missiles struck Kharkiv on Saturday night, injuring three.", date(2023, 8, 27)),
        (None, "Russian drones struck Sumy in the early hours of Sunday, the city council said.", date(2023, 8, 27)),
    ],
)
def test_publication_time_resolves_relative_words(title: str | None, text: str, expected: date) -> None:
    assert _date_of(title, text) == expected


def test_an_item_published_after_midnight_kyiv_time_counts_from_the_kyiv_day() -> None:
    late_sunday_utc = datetime(2023, 8, 27, 22, 30, tzinfo=UTC)  # 01:30 on Monday in Kyiv
    assert _date_of(None, "Russian drones attacked Lviv overnight, damaging a warehouse.", late_sunday_utc) == date(
        2023, 8, 28)
    assert _date_of(None, "Russian missiles struck Kharkiv late on Sunday evening.", late_sunday_utc) == date(
        2023, 8, 27)


@pytest.mark.parametrize(
    "text",
    [
        "Russian drones struck Zaporizhzhia over the weekend, wounding four people.",
        "A Russian missile hit the Chernihiv drama theatre in March, killing one.",
        "Back in early March, Russian bombs smashed the library in Chernihiv.",
        "A Russian strike hit a school in Kherson in mid-July, officials said.",
        "The weekend's Russian strikes on Zaporizhzhia killed three people.",
    ],
)
def test_a_weekend_or_a_month_named_without_a_day_dates_no_one_day(text: str) -> None:
    assert _date_of(None, text) is None


def test_a_day_named_later_gives_the_weekend_its_day() -> None:
    text = ("Ukrainian sea drones struck ships in Sevastopol over the weekend. Investigators said two vessels "
            "were hit on Saturday.")
    assert _date_of("Sea drones hit Sevastopol", text) == date(2023, 8, 26)


def test_a_month_later_in_the_year_is_a_time_to_come_not_the_strike() -> None:
    assert dt.find("the air force will receive jets in October", date(2023, 8, 28)) is None
    assert dt.find("the bridge was damaged in October 2022", date(2023, 8, 28)) is not None
    assert _date_of("Drones hit Odesa; pilots to train in October",
                    "Russian drones hit Odesa overnight. Pilots will start training in October.") == date(2023, 8, 28)


def test_an_earlier_attack_on_the_same_place_does_not_take_the_date_away() -> None:
    text = ("A strike damaged the road bridge to Crimea, killing two people. The bridge was last attacked in "
            "October 2022.")
    assert _date_of("Crimea bridge struck", text) == date(2023, 8, 28)


@pytest.mark.parametrize(
    ("clause", "ref", "expected"),
    [
        ("Russia marks Victory Day with missile strikes on Kyiv", date(2023, 5, 9), date(2023, 5, 9)),
        ("shelling on Christmas Eve killed ten people in Kherson", date(2022, 12, 26), date(2022, 12, 24)),
        ("drones attacked the city on Orthodox Christmas", date(2023, 1, 8), date(2023, 1, 7)),
        ("the New Year's Eve strike on Kyiv", date(2024, 1, 2), date(2023, 12, 31)),
        ("drones attacked Kyiv overnight on New Year's Eve", date(2024, 1, 2), date(2024, 1, 1)),
        ("strikes on Ukraine's Independence Day", date(2023, 8, 25), date(2023, 8, 24)),
    ],
)
def test_a_named_day_of_the_year_dates_the_strike(clause: str, ref: date, expected: date) -> None:
    cue = dt.find(clause, ref)
    assert cue is not None and cue.value == expected


@pytest.mark.parametrize(
    "clause",
    ["Kyiv was hit two days before Victory Day", "officials fear strikes ahead of Christmas Eve",
     "the city will cancel its Victory Day parade"],
)
def test_a_named_day_before_or_after_the_strike_or_still_to_come_dates_nothing(clause: str) -> None:
    cue = dt.find(clause, date(2023, 5, 7))
    assert cue is None or cue.value is None


def test_a_strike_hours_before_the_news_is_the_news_days_strike() -> None:
    assert _date_of(None, "The president spoke from a podium just hours after Russian missiles hit Kyiv.") == date(
        2023, 8, 28)
    assert _date_of(None, "The president spoke from a podium days after Russian missiles hit Kyiv.") is None


def test_an_evening_word_in_an_item_of_the_kyiv_small_hours_is_the_day_before() -> None:
    half_past_one_kyiv = datetime(2023, 8, 27, 22, 30, tzinfo=UTC)  # Monday 01:30 in Kyiv, Sunday evening in London
    assert _date_of(None, "Russian missiles struck Kharkiv this evening, killing two, the mayor said.",
                    half_past_one_kyiv) == date(2023, 8, 27)
    assert _date_of(None, "Russian missiles struck Kharkiv earlier today, the mayor said.",
                    half_past_one_kyiv) == date(2023, 8, 27)
    # the night in progress is still the morning after's; an evening item of the day keeps its day
    assert _date_of(None, "Russian drones struck Kharkiv overnight, the mayor said.", half_past_one_kyiv) == date(
        2023, 8, 28)
    assert _date_of(None, "Russian missiles struck Kharkiv this evening, killing two.",
                    datetime(2023, 8, 27, 18, 0, tzinfo=UTC)) == date(2023, 8, 27)
