"""Behaviour of extract() on sentences written for these tests (facts of real strikes, our own words)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from streams.core.extract import extract
from streams.core.models import Article, Casualty


def _article(title: str, text: str, published: datetime | None = None) -> Article:
    return Article(id="t1", url="https://example.org/x", title=title, text=text, outlet="Test", published_at=published)


PUB = datetime(2023, 12, 31, 8, 0, tzinfo=UTC)


def test_irrelevant_article_yields_nothing() -> None:
    art = _article("Bake-off final draws record audience", "The judges praised a lemon tart on Sunday.", PUB)
    assert extract(art) == []


def test_city_strike_fields() -> None:
    art = _article(
        "Russian drones hit Kharkiv overnight",
        "Shahed drones struck the centre of Kharkiv overnight, damaging a hotel and apartment buildings. "
        "At least two people were killed and 28 injured, the governor said.",
        PUB,
    )
    reports = extract(art)
    main = reports[0]
    assert main.settlement == "Kharkiv"
    assert main.admin1 == "Kharkiv Oblast"
    assert main.country == "UA"
    assert main.precision == "settlement"
    assert main.date == date(2023, 12, 31)
    assert main.time_of_day == "night"
    assert main.attacker == "RU"
    assert {"shahed", "drone"} <= set(main.weapons)
    assert {"hotel", "apartment_building", "city_centre"} <= set(main.targets)
    assert main.killed == Casualty(2, "at_least")
    assert main.injured == Casualty(28, "at_least")
    assert main.lat is not None and main.lon is not None
    assert "Kharkiv" in main.evidence
    assert main.lead.startswith("Shahed drones")
    assert main.url == art.url and main.published_at == PUB


def test_press_forms_and_claims_on_russian_soil() -> None:
    art = _article(
        "Russia says Ukrainian strike on Belgorod kills 14",
        "Moscow accused Kyiv of shelling the centre of Belgorod on Saturday with cluster munitions.",
        datetime(2023, 12, 30, 15, 0, tzinfo=UTC),
    )
    main = extract(art)[0]
    assert main.settlement == "Belgorod" and main.country == "RU" and main.admin1 == "Belgorod Oblast"
    assert main.attacker == "UA" and main.attribution == "claimed by RU"
    assert main.killed == Casualty(14, "exact")
    assert main.date == date(2023, 12, 30)
    assert "cluster_munition" in main.weapons


def test_old_transliteration_is_normalised() -> None:
    art = _article("", "A Russian missile hit a shopping centre in Kremenchug, killing 18 people.", PUB)
    main = extract(art)[0]
    assert main.settlement == "Kremenchuk" and main.admin1 == "Poltava Oblast"
    assert "mall" in main.targets and "missile" in main.weapons


def test_relative_dates_without_any_clock_are_unknown() -> None:
    art = _article("Missile strike on Lviv", "A Russian missile struck Lviv on Thursday, killing four people.")
    main = extract(art)[0]
    assert main.date is None


def test_reference_time_used_when_no_publication() -> None:
    art = _article("Missile strike on Lviv", "A Russian missile struck Lviv on Thursday, killing four people.")
    main = extract(art, reference_time=datetime(2023, 7, 6, 9, 0, tzinfo=UTC))[0]
    assert main.date == date(2023, 7, 6) and main.date_basis == "relative"


def test_overnight_and_vague_counts() -> None:
    art = _article(
        "Drone attack on Odesa",
        "Russian drones attacked Odesa overnight, injuring dozens of people, officials said.",
        datetime(2023, 7, 20, 6, 0, tzinfo=UTC),
    )
    main = extract(art)[0]
    assert main.settlement == "Odesa"
    assert main.injured == Casualty(24, "vague")
    assert main.killed is None


def test_no_casualties_is_zero() -> None:
    text = "A Russian drone hit a private house in Sumy. There were no casualties."
    art = _article("Drone hits house in Sumy", text, PUB)
    main = extract(art)[0]
    assert main.killed == Casualty(0, "exact") and main.injured == Casualty(0, "exact")
    assert "house" in main.targets


def test_nationwide_barrage_has_no_settlement() -> None:
    art = _article(
        "Russia fires 122 missiles across Ukraine",
        "Russia launched 122 missiles and 36 drones against Ukrainian cities overnight, killing at least 30 people.",
        datetime(2023, 12, 29, 12, 0, tzinfo=UTC),
    )
    main = extract(art)[0]
    assert main.settlement is None and main.country == "UA" and main.precision == "country"
    assert main.killed == Casualty(30, "at_least")
    assert {"missile", "drone"} <= set(main.weapons)


def test_two_strikes_in_one_article() -> None:
    art = _article(
        "Missile strike on Kramatorsk restaurant",
        "A Russian missile hit a pizzeria in Kramatorsk on Tuesday evening, killing 10 people. "
        "A year earlier, on 27 June 2022, a missile strike on a mall in Kremenchuk killed 21 people.",
        datetime(2023, 6, 28, 9, 0, tzinfo=UTC),
    )
    reports = extract(art)
    places = [r.settlement for r in reports]
    assert places[0] == "Kramatorsk"
    assert "Kremenchuk" in places
    krem = reports[places.index("Kremenchuk")]
    assert krem.date == date(2022, 6, 27) and krem.killed == Casualty(21, "exact")
    assert reports[0].killed == Casualty(10, "exact") and reports[0].time_of_day == "evening"


def test_html_is_stripped() -> None:
    art = _article(
        "Shelling of Kherson",
        "<p>Russian <b>shelling</b> killed three civilians in Kherson.</p><a href='x'>Continue reading...</a>",
        PUB,
    )
    main = extract(art)[0]
    assert main.settlement == "Kherson" and main.weapons == ("artillery",)
    assert "<" not in main.lead and main.killed == Casualty(3, "exact")


def test_the_gate_prefilter_words_cover_every_gate_alternative() -> None:
    from streams.core.extract import core

    for alt in core._GATE_WAR.pattern.split("|"):
        alt = alt.replace("[dl]pr", "dpr")  # the one character class: "dpr" and "lpr" are both words
        assert any(w in alt for w in core._GATE_WAR_WORDS), alt
    for alt in core._GATE_STRIKE.pattern.split("|"):
        assert any(w in alt for w in core._GATE_STRIKE_WORDS), alt


def test_the_country_prefilter_words_admit_what_the_country_patterns_match() -> None:
    from streams.core.extract import core

    ua = ["strikes across Ukraine", "across the country", "several cities", "Ukrainian cities",
          "killed in eastern Ukraine", "launched by Russian forces", "regions of Ukraine"]
    ru = ["drones over Russia", "three Russian regions", "32 Ukrainian drones", "strike on Russian airfields",
          "the Russian border town"]
    for phrase in ua:
        assert core._UA_COUNTRY.search(phrase) and any(w in phrase.lower() for w in core._UA_COUNTRY_WORDS), phrase
    for phrase in ru:
        assert core._RU_COUNTRY.search(phrase) and any(w in phrase.lower() for w in core._RU_COUNTRY_WORDS), phrase
