"""Lead and date rules of the extraction core, each on a sentence written for the test (real facts)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from streams.core.extract import extract
from streams.core.models import Article


def test_city_named_only_through_its_mayor_takes_the_headline_country_framing() -> None:
    article = Article(
        id="odesa-mayor",
        title="Russia strikes Ukraine in revenge for the Crimean bridge attack",
        text='"It was a terrible night for our port," the mayor of the southern Ukrainian city of Odesa said.',
        published_at=datetime(2023, 7, 18, 9, tzinfo=UTC),
    )
    reports = extract(article)
    assert reports[0].settlement == "Odesa"
    assert reports[0].country == "UA"
    assert reports[0].attacker == "RU"
    assert str(reports[0].date) == "2023-07-18"
    # no nationwide UA report beside Odesa; the avenged Crimean bridge attack is an earlier event of its own
    assert all(r.settlement is not None or r.admin1 is not None or r.country != "UA" for r in reports)
    assert [(r.admin1, r.attacker) for r in reports[1:]] == [("Crimea", "UA")]


def test_headline_strike_comes_before_the_event_the_headline_names_as_earlier() -> None:
    article = Article(
        id="odesa-order",
        title="Russia strikes Ukraine in revenge for attack on Kerch bridge",
        text="Russian missiles hit grain terminals in Odesa overnight, the governor said.",
        published_at=datetime(2023, 7, 18, 9, tzinfo=UTC),
    )
    reports = extract(article)
    assert reports[0].settlement == "Odesa"


def test_undated_page_year_from_a_weekday_the_page_names() -> None:
    from streams.core.extract import dates as dt

    text = ("Uman has mourned its dead since Friday. On April 28, Russian missiles hit an apartment block there. "
            "Officials said on Saturday that rescuers were still searching, the worst loss since February 2022.")
    # 28 April fell on a Friday only in 2023 (of 2022-2024): the anchor is the Saturday after
    assert str(dt.week_anchor(text)) == "2023-04-29"
    assert dt.week_anchor("On April 28, missiles hit Uman.") is None  # no weekday: no year


def test_undated_page_resolves_weekdays_against_the_anchor() -> None:
    article = Article(
        id="uman-page",
        title=None,
        text="On April 28, Russian missiles hit an apartment block in Uman on Friday, killing 23 people. "
        "The governor said on Saturday that the search was over.",
    )
    reports = extract(article)
    assert reports[0].settlement == "Uman"
    assert str(reports[0].date) == "2023-04-28"


def test_weekday_of_a_statement_gives_way_to_the_strike_own_day() -> None:
    article = Article(
        id="kharkiv-said",
        title="Russia says it struck Kharkiv",
        text="Russia's defence ministry said on Sunday it had struck military targets in Kharkiv. "
        "The governor said rockets had hit a hotel in Kharkiv on Saturday evening, injuring 28 people.",
        published_at=datetime(2023, 12, 31, 12, tzinfo=UTC),
    )
    reports = extract(article)
    assert reports[0].settlement == "Kharkiv"
    assert str(reports[0].date) == "2023-12-30"


def test_the_day_before_in_a_retaliation_clause_counts_from_the_sentence_strike() -> None:
    article = Article(
        id="belgorod-day-before",
        title="Russia strikes Kharkiv",
        text="Shelling killed 24 people in Belgorod on December 30, officials said. "
        "Russia said it struck Kharkiv on December 31 in retaliation for the attack the day before on Belgorod.",
        published_at=datetime(2023, 12, 31, 12, tzinfo=UTC),
    )
    reports = extract(article)
    assert sorted(r.settlement or "" for r in reports) == ["Belgorod", "Kharkiv"]


def test_no_comment_from_the_capital_is_not_a_strike_on_it() -> None:
    article = Article(
        id="no-comment",
        title="Drones hit Odesa port",
        text="Russian drones hit the port of Odesa overnight, the governor said. "
        "There was no immediate comment from Kyiv on the strike.",
        published_at=datetime(2023, 7, 19, 8, tzinfo=UTC),
    )
    assert [r.settlement for r in extract(article)] == ["Odesa"]


def test_damage_to_a_named_place_is_a_strike_and_a_barrage_takes_its_parts_day() -> None:
    article = Article(
        id="barrage-damage",
        title=None,
        text="Russia fired about 110 missiles across Ukraine, killing at least 31 people. "
        "Footage showed heavy damage to a shopping centre in Dnipro after a Russian missile strike early Friday.",
        published_at=datetime(2023, 12, 30, 9, tzinfo=UTC),
    )
    reports = extract(article)
    dnipro = next(r for r in reports if r.settlement == "Dnipro")
    assert "mall" in dnipro.targets
    assert "missile" in dnipro.weapons
    assert str(dnipro.date) == "2023-12-29"
    country = next(r for r in reports if r.settlement is None and r.admin1 is None)
    assert str(country.date) == "2023-12-29"


def test_responded_to_introduces_the_earlier_event_of_another_country() -> None:
    article = Article(
        id="responded-to",
        title=None,
        text="A Ukrainian strike on Belgorod killed 24 people, Russian officials said. "
        "With the attack on Belgorod, Kyiv responded to the massive Russian bombardment of Ukrainian cities "
        "the previous day that killed at least 39 people.",
        published_at=datetime(2023, 12, 30, 18, tzinfo=UTC),
    )
    reports = extract(article)
    belgorod = next(r for r in reports if r.settlement == "Belgorod")
    assert belgorod.killed is not None and belgorod.killed.value == 24
    assert any(r.country == "UA" and r.settlement is None for r in reports)


def test_a_planned_raid_is_not_a_strike() -> None:
    article = Article(
        id="planned",
        title="Russia says it struck Kharkiv hotel",
        text="Russian missiles hit a hotel in Kharkiv, officials said. Moscow claimed mercenaries there had "
        "planned to launch raids on Russian territory.",
        published_at=datetime(2023, 12, 31, 10, tzinfo=UTC),
    )
    assert [r.country for r in extract(article)] == ["UA"]


def test_page_line_wrapping_and_glued_sentences_are_repaired() -> None:
    from streams.core.extract import text as tx

    cleaned = tx.clean(
        "Rockets hit a hotel in the northeastern\ncity of Kharkiv on Saturday.The governor said 28 were hurt."
    )
    assert tx.sentences(cleaned) == [
        "Rockets hit a hotel in the northeastern city of Kharkiv on Saturday.",
        "The governor said 28 were hurt.",
    ]
    assert tx.sentences(tx.clean("Headline without a stop\nBody starts here.")) == [
        "Headline without a stop", "Body starts here.",
    ]


def test_a_placeless_toll_from_one_sides_authorities_goes_to_that_sides_strike() -> None:
    article = Article(
        id="toll-side",
        title="Russia accuses Ukraine of attack on Belgorod",
        text="Shelling hit the centre of Belgorod on Saturday. Fresh strikes on Saturday hit the Ukrainian city "
        "of Kharkiv, officials said. Russian authorities said the toll included at least three children, with "
        "110 wounded.",
        published_at=datetime(2023, 12, 30, 20, tzinfo=UTC),
    )
    reports = extract(article)
    belgorod = next(r for r in reports if r.settlement == "Belgorod")
    kharkiv = next(r for r in reports if r.settlement == "Kharkiv")
    assert belgorod.injured is not None and belgorod.injured.value == 110
    assert kharkiv.injured is None


def test_oxford_comma_region_list_is_one_country_level_strike() -> None:
    article = Article(
        id="oxford-list",
        title=None,
        text="Ukraine's air force said 10 Shahed drones were shot down across the Kherson, Khmelnytskyi, "
        "and Mykolaiv regions on Saturday.",
        published_at=datetime(2023, 12, 30, 12, tzinfo=UTC),
    )
    reports = extract(article)
    assert [(r.country, r.settlement, r.admin1) for r in reports] == [("UA", None, None)]


def test_a_barrage_the_day_before_stays_apart_from_a_dated_country_strike() -> None:
    article = Article(
        id="day-after-country",
        title=None,
        text="Shelling killed 14 people in Belgorod on Saturday, the day after a barrage across Ukraine killed "
        "at least 39 civilians. Russian drone strikes across Ukraine continued on Saturday, with 10 Shahed "
        "drones shot down.",
        published_at=datetime(2023, 12, 30, 15, tzinfo=UTC),
    )
    country = sorted(str(r.date) for r in extract(article) if r.country == "UA" and r.settlement is None)
    assert country == ["2023-12-29", "2023-12-30"]


def test_followed_by_attacks_is_a_second_strike_on_the_same_city() -> None:
    article = Article(
        id="followed-by",
        title=None,
        text="Six missiles hit Kharkiv on Saturday evening, injuring 28 people. The assault was followed by "
        "drone attacks on housing blocks.",
        published_at=datetime(2023, 12, 31, 10, tzinfo=UTC),
    )
    reports = [r for r in extract(article) if r.settlement == "Kharkiv"]
    assert len(reports) == 2
    assert reports[0].weapons == ("missile",)
    assert "drone" in reports[1].weapons and "apartment_building" in reports[1].targets


def test_a_named_holiday_and_the_weekdays_around_it_give_the_year() -> None:
    from streams.core.extract import dates as dt

    # New Year's Eve was a Saturday in 2022 and a Sunday in 2023: both fit, but only in 2022 does the
    # other named weekday (Friday) fall in the two days before
    text = "Since February 2022 ... Russian missiles struck Kyiv on New Year's Eve, a Saturday. On Friday ..."
    assert str(dt.week_anchor(text)) == "2022-12-31"
    tie = "Since February 2022 ... on New Year's Eve. Saturday ... Tuesday ..."
    assert dt.week_anchor(tie) is None  # Saturday in 2022 and Tuesday in 2024 fit equally: no year


def test_overnight_on_an_undated_page_resolves_against_its_week_anchor() -> None:
    article = Article(
        id="kyiv-nye",
        title=None,
        text="Russian drones struck Kyiv overnight, officials said on Saturday, New Year's Eve. "
        "A day earlier, on Friday, missiles hit Kyiv.",
    )
    reports = extract(article)
    assert reports[0].settlement == "Kyiv"
    assert str(reports[0].date) == "2022-12-31"


def test_overnight_counts_from_the_day_of_the_statement() -> None:
    from streams.core.extract import dates as dt

    cue = dt.find("The air force said on Sunday it had shot down 21 of 49 drones launched overnight",
                  date(2024, 1, 1))
    assert cue is not None and str(cue.value) == "2023-12-31" and not cue.statement


def test_damage_needs_a_named_place_and_no_damage_is_no_strike() -> None:
    country = Article(
        id="damage-country",
        title="Ukraine war: trade deal signed",
        text="Officials said damage to Ukrainian infrastructure made digital trade important.",
        published_at=datetime(2023, 3, 20, 8, tzinfo=UTC),
    )
    assert extract(country) == []
    none = Article(
        id="no-damage",
        title="Russia says Ukrainian drones flew towards Kursk",
        text="The incident at the Kursk nuclear plant did not cause any damage, the operator said.",
        published_at=datetime(2023, 10, 27, 8, tzinfo=UTC),
    )
    assert all(r.settlement != "Kursk" or "drone" in r.weapons for r in extract(none))


def test_a_live_blog_headline_does_not_make_a_quoted_city_a_strike() -> None:
    article = Article(
        id="live-blog",
        title="Russia-Ukraine war live: 437 children killed so far, says Kyiv",
        text="The governor said the withdrawal from Kherson was \u201cconducted in good order\u201d.",
        published_at=datetime(2022, 11, 20, 8, tzinfo=UTC),
    )
    assert all(r.settlement != "Kherson" for r in extract(article))


def test_first_line_of_an_untitled_page_is_its_headline() -> None:
    article = Article(
        id="untitled-page",
        title=None,
        text="Russia pounds Odesa after Crimean bridge attack\n"
        "A Ukrainian strike damaged the bridge to Crimea on Monday, Russian officials said. "
        "Russian missiles then hit grain terminals in Odesa overnight, the governor said.",
        published_at=datetime(2023, 7, 18, 9, tzinfo=UTC),
    )
    reports = extract(article)
    assert reports[0].settlement == "Odesa"
    assert reports[0].lead.startswith("Russia pounds Odesa")


def test_the_retaliation_for_names_the_earlier_event() -> None:
    article = Article(
        id="retaliation-noun",
        title="Russia pounds Ukraine: the retaliation for the Belgorod attack",
        text="Russian missiles hit a hotel in Kharkiv on Saturday evening, injuring 28 people.",
        published_at=datetime(2023, 12, 31, 9, tzinfo=UTC),
    )
    assert extract(article)[0].settlement == "Kharkiv"


def test_a_distance_reference_city_is_not_a_strike_place() -> None:
    article = Article(
        id="distance",
        title="Shelling hits central Belgorod",
        text="Shelling hit the centre of Belgorod on Saturday, which lies 670 kilometers south of Moscow, "
        "killing 21 people.",
        published_at=datetime(2023, 12, 30, 18, tzinfo=UTC),
    )
    assert [r.settlement for r in extract(article)] == ["Belgorod"]


def test_the_earlier_event_of_a_day_after_clause_does_not_take_the_focus() -> None:
    article = Article(
        id="day-after-focus",
        title="Shelling hits central Belgorod",
        text="Shelling hit the centre of Belgorod on Saturday, killing 21 people. The attack came the day after "
        "a barrage across Ukraine killed at least 41 civilians. Russia's defence ministry said Vampire rockets "
        "with cluster munitions were used.",
        published_at=datetime(2023, 12, 30, 18, tzinfo=UTC),
    )
    reports = extract(article)
    belgorod = next(r for r in reports if r.settlement == "Belgorod")
    assert "cluster_munition" in belgorod.weapons
    assert all("cluster_munition" not in r.weapons for r in reports if r.settlement is None)


def test_the_launch_site_of_the_missiles_is_not_the_place_hit() -> None:
    article = Article(
        id="launch-site",
        title="Ukrainian strike hits Belgorod centre",
        text="Shelling hit the centre of Belgorod on Saturday, killing 14 people. A Russian newspaper said missiles "
        "fired from a multiple rocket launcher in Ukraine's Kharkiv region had hit an ice rink and a shopping "
        "centre.",
        published_at=datetime(2023, 12, 30, 18, tzinfo=UTC),
    )
    reports = extract(article)
    assert [r.settlement for r in reports] == ["Belgorod"]
    assert {"sports_venue", "mall"} <= set(reports[0].targets)


def test_a_wrapped_line_starting_with_by_is_no_byline() -> None:
    from streams.core.extract import text as tx

    cleaned = tx.clean("Belgorod was hit with weapons supplied\nby Western allies, the envoy said.\nBy John Smith")
    assert cleaned == "Belgorod was hit with weapons supplied by Western allies, the envoy said."


def test_capital_as_the_subject_that_targeted_is_the_actor() -> None:
    article = Article(
        id="kyiv-actor",
        title="Russia accuses Ukraine of attack on Belgorod",
        text="Shelling hit Belgorod on Saturday. Russia's envoy claimed Kyiv targeted a sports centre and an ice rink.",
        published_at=datetime(2023, 12, 30, 18, tzinfo=UTC),
    )
    reports = extract(article)
    assert [r.settlement for r in reports] == ["Belgorod"]
    assert "sports_venue" in reports[0].targets


def test_attacks_on_the_capital_that_targeted_civilians_keep_the_capital() -> None:
    article = Article(
        id="moscow-object",
        title="Moscow drone attack: Putin says Ukraine trying to frighten Russians",
        text="The Russian president says drone attacks on Moscow targeted civilians.",
        published_at=datetime(2023, 5, 30, 18, tzinfo=UTC),
    )
    assert [r.settlement for r in extract(article)] == ["Moscow"]


def test_a_factless_country_mention_beside_a_city_strike_is_no_extra_event() -> None:
    article = Article(
        id="factless-country",
        title="Missile hits pizza restaurant in Kramatorsk",
        text="A Russian missile hit a restaurant in Kramatorsk, killing at least 10 people. The strike, and others "
        "elsewhere across Ukraine, showed the Kremlin is not easing its aerial campaign.",
        published_at=datetime(2023, 6, 28, 8, tzinfo=UTC),
    )
    assert [r.settlement for r in extract(article)] == ["Kramatorsk"]
    dated = Article(
        id="dated-country",
        title="Kyiv toll rises to 30",
        text="The toll of the missile attack on Kyiv rose to 30. On 29 December, Russia attacked cities across "
        "Ukraine.",
        published_at=datetime(2024, 1, 1, 8, tzinfo=UTC),
    )
    assert sorted(r.settlement or "-" for r in extract(dated)) == ["-", "Kyiv"]


def test_the_toll_of_an_earlier_event_is_not_the_sentence_strike_toll() -> None:
    article = Article(
        id="hours-after",
        title="Missile hits block of flats in Kharkiv",
        text="A Russian missile hit a block of flats in Kharkiv, hours after a strike on a village that left 52 dead.",
        published_at=datetime(2023, 10, 6, 8, tzinfo=UTC),
    )
    assert extract(article)[0].killed is None
    cause = Article(
        id="after-cause",
        title="Kherson market shelled",
        text="A market in Kherson was shelled after an attack that killed two people, officials said.",
        published_at=datetime(2023, 7, 17, 8, tzinfo=UTC),
    )
    reports = extract(cause)
    assert reports and reports[0].killed is not None and reports[0].killed.value == 2
