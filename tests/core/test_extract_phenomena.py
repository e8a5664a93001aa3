"""One test per linguistic phenomenon the extractor generalises over (issue 9), with sentences written for
these tests: facts may echo real strikes, the words are ours. Each names the phenomenon it guards."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from streams.core.extract import casualties as cas
from streams.core.extract import extract
from streams.core.models import Article, Casualty, StrikeReport

PUB = datetime(2023, 5, 9, 9, 0, tzinfo=UTC)


def _extract(title: str, text: str = "") -> list[StrikeReport]:
    return extract(Article(id="p1", url="https://example.org/p", title=title, text=text, outlet="Test",
                           published_at=PUB))


def _main(title: str, text: str = "") -> StrikeReport:
    reports = _extract(title, text)
    assert reports, "expected a strike report"
    return reports[0]


# --- places ---------------------------------------------------------------------------------------------

def test_a_strike_near_a_named_town_is_placed_at_that_town() -> None:
    main = _main("Medic killed by artillery fire near Vuhledar", "The medic died on Tuesday, Ukrainian officials said.")
    assert (main.settlement, main.admin1) == ("Vuhledar", "Donetsk Oblast")


def test_the_region_of_x_is_the_oblast_not_the_city() -> None:
    main = _main("Shelling resumes in the south",
                 "Russian artillery shelled villages in the southern region of Mykolaiv on Tuesday.")
    assert main.settlement is None and main.admin1 == "Mykolaiv Oblast"


@pytest.mark.parametrize("title", ["Russia pounds Kyiv with missiles before dawn", "Russia targets Kyiv with missiles",
                                   "Russia hammers Kyiv with missiles", "Russia bombards Kyiv before dawn",
                                   "Blasts rock Kyiv before dawn", "More Russian drones target Kyiv overnight"])
def test_the_struck_capital_as_object_of_a_present_tense_verb(title: str) -> None:
    assert _main(title).settlement == "Kyiv"


def test_an_english_word_that_is_an_old_name_of_a_town_is_not_that_town() -> None:
    # GeoNames keeps "Human'" as a historical name of Uman; an organisation's name is no place
    main = _main("Human Rights Watch: Russian strike on Kherson market killed 4")
    assert main.settlement == "Kherson"
    assert all(r.settlement != "Uman" for r in _extract("Human Rights Watch says a strike on a school killed 4"))


@pytest.mark.parametrize("title", ["Blast in Kyiv kills 2", "Huge blast hits Kyiv apartment block, 2 dead"])
def test_a_strike_word_is_no_place_even_where_a_town_bears_it_as_an_old_name(title: str) -> None:
    assert _main(title).settlement == "Kyiv"


@pytest.mark.parametrize(("text", "place"), [
    ("Governor Roman Petrenko said a drone hit a substation in Kursk.", "Kursk"),  # Roman is a Romanian town
    ("Photographer Stanislav Melnyk saw the strike on Chernihiv.", "Chernihiv"),  # an old name of Ivano-Frankivsk
    ("Anna, 41, was wounded when a missile hit a clinic in Dnipro.", "Dnipro"),  # Anna is a Russian town
])
def test_a_first_name_is_no_place(text: str, place: str) -> None:
    reports = _extract("Strike report", text)
    assert [r.settlement for r in reports if r.settlement] == [place]


# --- casualty words outside the usual short lists -------------------------------------------------------

@pytest.mark.parametrize(
    ("clause", "kind", "value"),
    [
        ("the blast claimed the lives of 7 people", "killed", 7),
        ("officials counted 11 fatalities", "killed", 11),
        ("three residents sustained injuries", "injured", 3),
        ("bringing the death toll to 19", "killed", 19),
        ("raising the number of injured to 40", "injured", 40),
        ("an elderly man dies in hospital", "killed", 1),
    ],
)
def test_casualty_phrasings(clause: str, kind: str, value: int) -> None:
    figures = cas.figures(clause)
    assert [(f.kind, f.casualty) for f in figures] == [(kind, Casualty(value, "exact"))]


# --- no settlement named ----------------------------------------------------------------------------------

def test_a_placeless_toll_is_a_report_of_the_country_hit() -> None:
    main = _main("Army opens inquiry", "At least 14 soldiers were killed in a Russian missile attack on a parade.")
    assert (main.country, main.settlement, main.admin1) == ("UA", None, None)
    assert main.killed == Casualty(14, "at_least") and main.attacker == "RU"


def test_a_placeless_toll_of_a_ukrainian_strike_is_on_russia() -> None:
    main = _main("Drone debris falls on a farm", "Two people were killed in a Ukrainian drone attack, officials said.")
    assert main.country == "RU" and main.attacker == "UA"


def test_a_placeless_ukrainian_strike_located_in_occupied_ukraine_is_in_ukraine() -> None:
    main = _main("Ukrainian shelling kills three in a Russian-held part of eastern Ukraine, officials installed "
                 "by Moscow say")
    assert (main.country, main.attacker) == ("UA", "UA") and main.killed == Casualty(3, "exact")
    occupied = _main("Moscow blames Kyiv for a strike that killed two people deep in occupied territory")
    assert (occupied.country, occupied.attacker) == ("UA", "UA")


def test_a_placeless_headline_toll_in_a_participle_clause_joins_its_strike() -> None:
    main = _main("Russian rocket hits a school gym, killing four and wounding 9")
    assert (main.country, main.attacker) == ("UA", "RU")
    assert (main.killed, main.injured) == (Casualty(4, "exact"), Casualty(9, "exact"))


@pytest.mark.parametrize(("clause", "expected"), [
    ("drone strike kills actor", [("killed", 1)]),
    ("Artillery Fire Wounds Farmer, Killing Newborn", [("injured", 1), ("killed", 1)]),
    ("shell injures elderly pensioner", [("injured", 1)]),
    ("the strike killed soldiers and civilians", []),  # a plural noun has no number: nothing invented
])
def test_an_active_verb_with_one_person_as_object_counts_one(clause: str, expected: list[tuple[str, int]]) -> None:
    assert sorted((f.kind, f.casualty.value) for f in cas.figures(clause)) == sorted(expected)


@pytest.mark.parametrize("title", ["Ukraine downs 25 Russian drones before dawn",
                                   "Russia pummels Ukraine with 90 missiles",
                                   "Russian missile barrage targets Ukraine's power grid"])
def test_a_placeless_barrage_on_the_country_is_a_country_report(title: str) -> None:
    main = _main(title)
    assert (main.country, main.settlement, main.admin1, main.attacker) == ("UA", None, None, "RU")


def test_a_headline_may_open_with_its_place_as_a_label_but_a_dateline_is_no_place() -> None:
    assert _main("Kyiv: Russia launches dozens of drones overnight").settlement == "Kyiv"
    reports = _extract("Drone barrage", "Kyiv: Russia sent dozens of drones at Odesa overnight, officials said.")
    assert [r.settlement for r in reports] == ["Odesa"]


def test_weapon_talk_without_a_toll_is_not_a_country_report() -> None:
    assert _extract("Allies pledge more missiles", "New rockets and drones will reach Kyiv's forces in spring.") == []


# --- attacker -------------------------------------------------------------------------------------------

def test_a_ukrainian_strike_on_an_occupied_city_has_attacker_ua() -> None:
    main = _main("Shelling kills four in Horlivka",
                 "Ukrainian shelling killed four people in Horlivka, the Russia-installed mayor said.")
    assert main.settlement == "Horlivka" and main.attacker == "UA"


def test_a_claim_keeps_its_attribution() -> None:
    main = _main("Moscow says Ukrainian drones hit a depot in Bryansk")
    assert main.attacker == "UA" and main.attribution == "claimed by RU"


@pytest.mark.parametrize(("weapon", "side"), [("Iskander", "RU"), ("Kalibr", "RU"), ("ATACMS", "UA"),
                                               ("Storm Shadow", "UA")])
def test_the_weapon_system_names_the_side(weapon: str, side: str) -> None:
    place = "Sevastopol" if side == "UA" else "Chernihiv"
    main = _main(f"{weapon} missile strike hits {place}", f"A {weapon} missile hit an office building in {place}.")
    assert main.settlement == place and main.attacker == side


@pytest.mark.parametrize("title", ["Kharkiv attacked", "Kharkiv struck overnight", "Kharkiv shelled again"])
def test_a_headline_place_with_a_bare_participle_is_the_target_not_the_attacker(title: str) -> None:
    main = _main(title, "The city came under a drone attack before dawn, the mayor said.")
    assert main.settlement == "Kharkiv" and main.attacker != "UA"
    moscow = _main("Moscow attacked by drones", "Several drones were shot down on the approach, the mayor said.")
    assert moscow.settlement == "Moscow" and moscow.attacker != "RU"


def test_the_enemy_as_subject_of_an_attack_verb_is_the_other_side() -> None:
    main = _main("Shelling in Kupiansk", "The enemy shelled Kupiansk twice overnight, the regional governor said.")
    assert main.attacker == "RU"


def test_blaming_a_side_names_it_as_attacker_by_the_blamer() -> None:
    main = _main("Market shelled in Horlivka", "Shelling hit a market in Horlivka on Monday, killing two, the "
                 "city's mayor said, blaming Ukrainian forces.")
    assert (main.attacker, main.attribution) == ("UA", "claimed by RU")
    other = _main("Bus station hit in Kherson", "Officials blamed Russia for the strike on a bus station in Kherson.")
    assert other.attacker == "RU"


def test_the_main_strikes_missiles_are_the_one_kind_of_missile_the_lead_names() -> None:
    main = _main("Russian missiles hit Kyiv before dawn", "Ukraine's air defences intercepted 20 cruise missiles "
                 "across the country, the air force said.")
    assert {"cruise_missile", "missile"} <= set(main.weapons)


def test_fire_from_a_sides_forces_names_that_side() -> None:
    main = _main("A rescue crew came under fire from the Armed Forces of Ukraine in Horlivka, an employee died")
    assert (main.settlement, main.attacker) == ("Horlivka", "UA") and main.killed == Casualty(1, "exact")
    gunners = _main("Russian gunners destroyed a fuel depot in the Kherson region")
    assert (gunners.admin1, gunners.attacker) == ("Kherson Oblast", "RU")


def test_a_source_in_ukraines_services_is_ukraines_own_claim() -> None:
    main = _main("Drones hit a refinery in Russia's Rostov region", "Ukrainian drones struck the refinery overnight, a "
                 "source in Ukraine's security service told reporters.")
    assert (main.attacker, main.attribution) == ("UA", "claimed by UA")


# --- items that talk about strikes without reporting one (non-strike frames of streams/data/lang/en.json) --

@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Zelensky warns of fresh missile attacks on Ukraine's power grid", "Officials urged people to save power."),
        ("Ukrainian commander threatens drone attacks on Russian air bases", "He gave no date."),
        ("Allies to send more air-defence missiles to Ukraine", "The package was agreed in Brussels."),
        ("New aid package for Ukraine includes rockets capable of striking occupied Crimea", ""),
        ("Kherson residents live with shelling that has been hitting the city for months",
         "Russian artillery continues to shell Kherson, volunteers say."),
        ("Heavy fighting around Bakhmut as both sides dig in", "Troops fight for every street of the town."),
        ("Grenade blast kills officer at a party near Kyiv", "An explosive device went off, Ukrainian police said."),
        ("Letter bomb hurts guard at an embassy in Lisbon", "A package exploded in the mail room of the Ukrainian "
         "embassy, wounding one employee."),
    ],
)
def test_threats_deliveries_habits_battles_and_planted_bombs_are_not_strikes(title: str, text: str) -> None:
    assert _extract(title, text) == []


@pytest.mark.parametrize(("title", "text"), [
    ("Life with drones overhead in Bakhmut", "Ukrainian drones watch the Russian lines around Bakhmut day and night."),
    ("Growing up among the missiles", "A family in Kharkiv tells of two years of war."),
    ("Raising twins among the bombs", "A mother in Kherson tells of life in the war."),
    ("Bloggers cheer the attack on Ukraine", "A study of posts about Russia's assault on Ukraine, researchers say."),
])
def test_a_weapon_named_beside_a_place_with_nothing_happening_is_no_strike(title: str, text: str) -> None:
    assert _extract(title, text) == []


@pytest.mark.parametrize("title", ["Russian drones target Odesa port", "Missile debris falls on Kyiv",
                                   "Moscow bombs Odesa after losing a warship"])
def test_something_happening_to_the_place_keeps_the_strike(title: str) -> None:
    assert _main(title).settlement in {"Odesa", "Kyiv"}


def test_a_frame_after_the_strike_does_not_cancel_it() -> None:
    main = _main("Missile hits hotel in Kharkiv", "A Russian missile hit a hotel in Kharkiv where, Moscow claimed, "
                 "foreign officers were planning a raid.")
    assert main.settlement == "Kharkiv" and "hotel" in main.targets


# --- strikes on Russia and on occupied Ukraine ------------------------------------------------------------

@pytest.mark.parametrize("title", ["Drones explode over the Kremlin before dawn",
                                   "Moscow blames Kyiv for Kremlin drone attack",
                                   "Air defences destroy drones targeting Moscow"])
def test_the_kremlin_and_moscow_as_the_place_hit(title: str) -> None:
    main = _main(title)
    assert (main.settlement, main.country) == ("Moscow", "RU")


def test_the_kremlin_as_a_speaker_is_no_place() -> None:
    reports = _extract("Kremlin says Ukrainian drones were shot down over Crimea")
    assert reports and all(r.settlement != "Moscow" for r in reports)
    assert reports[0].admin1 == "Crimea" and reports[0].attacker == "UA"
    assert reports[0].attribution == "claimed by RU"


def test_an_occupied_city_told_by_an_installed_official_is_ukraines_strike_as_a_claim() -> None:
    main = _main("Shelling kills three in Melitopol, Moscow-installed official says")
    assert main.settlement == "Melitopol" and (main.attacker, main.attribution) == ("UA", "claimed by RU")


def test_an_occupied_city_with_no_side_named_has_no_attacker() -> None:
    assert _main("Explosions kill two in Horlivka market").attacker == "unknown"


def test_a_hyphenated_russian_city_name() -> None:
    main = _main("Rostov-on-Don rocked by Ukrainian drone strikes overnight")
    assert (main.settlement, main.admin1) == ("Rostov-on-Don", "Rostov Oblast")


# --- the struck place as a subject; headlines in title case ----------------------------------------------

@pytest.mark.parametrize(("title", "place"), [
    ("Kyiv was hit by a wave of drones before dawn", "Kyiv"),
    ("Vovchansk Shelled Again As Russian Forces Press On", "Vovchansk"),
    ("Moscow came under drone attack overnight, the mayor said", "Moscow"),
])
def test_the_struck_place_as_the_subject_of_a_passive(title: str, place: str) -> None:
    assert _main(title).settlement == place


def test_a_capital_as_the_subject_of_an_active_attack_verb_is_the_attacker() -> None:
    reports = _extract("Kyiv attacked a Russian border city, Moscow says")
    assert all(r.settlement != "Kyiv" for r in reports)


def test_a_small_namesake_of_a_headline_word_is_no_place() -> None:
    # "Marks" and "Plast" are small Russian towns; in a title-case headline they are verbs and nouns
    reports = _extract("Russia Marks Victory Day With New Strikes On Ukraine")
    assert all(r.settlement not in ("Marks",) for r in reports)
    reports = _extract("Grenade Blast Kills Aide To Army Chief", "The aide died at a party, Ukrainian police said.")
    assert all(r.settlement != "Plast" for r in reports)


def test_a_small_town_after_a_preposition_in_a_title_case_headline_stays() -> None:
    assert _main("Russian Shelling Kills Three In Vovchansk").settlement == "Vovchansk"


def test_a_street_or_park_named_after_a_person_is_no_settlement() -> None:
    main = _main("Missile hits park in Kharkiv", "A Russian missile hit Shevchenko City Garden in Kharkiv.")
    assert main.settlement == "Kharkiv"


@pytest.mark.parametrize(("title", "country"), [
    ("Journalist killed by rocket fire in eastern Ukraine", "UA"),
    ("Three killed as drones hit southern Russia", "RU"),
])
def test_a_part_of_the_country_named_by_direction_is_a_country_report(title: str, country: str) -> None:
    main = _main(title)
    assert (main.country, main.settlement, main.admin1) == (country, None, None)


def test_a_city_in_eastern_ukraine_is_the_storys_city_not_the_country() -> None:
    main = _main("Missile hits restaurant in Kramatorsk",
                 "A Russian missile that hit a restaurant in a city in eastern Ukraine killed at least 10 people.")
    assert main.settlement == "Kramatorsk" and main.killed == Casualty(10, "at_least")


def test_a_capital_naming_what_was_hit_is_the_place() -> None:
    main = _main("Moscow business centre hit in overnight drone attack")
    assert main.settlement == "Moscow" and "office" in main.targets


def test_a_speaking_capital_before_a_hit_is_no_place() -> None:
    reports = _extract("Moscow says drones hit Crimea overnight")
    assert reports and all(r.settlement != "Moscow" for r in reports)


@pytest.mark.parametrize("title", ["Drones strike Russian airfields deep behind the border",
                                   "Russian oil depot ablaze after Ukrainian drone attack"])
def test_a_facility_named_by_its_country_is_a_country_report(title: str) -> None:
    main = _main(title)
    assert (main.country, main.settlement) == ("RU", None)


def test_deadliest_attack_on_russian_soil_is_a_comparison_not_a_strike() -> None:
    reports = _extract("Shelling kills nine in Belgorod",
                       "It was one of the deadliest attacks on Russian soil since the war began, officials said.")
    assert [r.settlement for r in reports] == ["Belgorod"]


def test_ukraines_own_claim_is_attributed_to_ukraine() -> None:
    main = _main("Kyiv claims strike on Russian ammunition depot in occupied Melitopol")
    assert main.settlement == "Melitopol" and (main.attacker, main.attribution) == ("UA", "claimed by UA")


# --- headline and lead as one story ----------------------------------------------------------------------

def test_a_placeless_strike_headline_takes_the_one_city_of_the_lead() -> None:
    main = _main("Film crew caught in the open as Russian missiles rain down",
                 "The crew was driving on Thursday to the eastern city of Kramatorsk to film rescue work.")
    assert main.settlement == "Kramatorsk" and "missile" in main.weapons


def test_a_headline_without_a_weapon_or_strike_word_does_not_take_the_lead_city() -> None:
    assert _extract("Families return to homes destroyed by Russians",
                    "Residents of Mariupol describe what they found, Ukrainian officials said.") == []


@pytest.mark.parametrize("clause", ["Reuters photographer killed by shelling", "Anna Kovalenko, 41, was killed",
                                    "a volunteer medic died in the strike"])
def test_one_person_named_by_role_or_name_is_one_death(clause: str) -> None:
    assert [(f.kind, f.casualty) for f in cas.figures(clause)] == [("killed", Casualty(1, "exact"))]


def test_a_plural_role_or_an_active_verb_is_not_one_death() -> None:
    assert cas.figures("the journalists killed in the attack") == ()
    assert cas.figures("Moscow Has Killed Hope Of Talks") == ()


@pytest.mark.parametrize(("title", "text", "city"), [
    ("Ukraine strikes Crimea", "Blasts shook Sevastopol on Thursday as missiles hit a naval repair yard.",
     "Sevastopol"),
    ("Missiles hit Sumy region", "Russian missiles struck the town of Shostka in the Sumy region, wounding three.",
     "Shostka"),
])
def test_a_headline_region_with_one_struck_town_in_the_lead_is_that_town(title: str, text: str, city: str) -> None:
    reports = _extract(title, text)
    assert [r.settlement for r in reports] == [city]


def test_a_headline_region_with_several_struck_towns_stays_a_region_report() -> None:
    reports = _extract("Shelling across Kherson region", "Russian shelling hit Beryslav on Tuesday, officials "
                       "said. Shells also hit the port of Kherson, wounding one.")
    assert reports[0].settlement is None and reports[0].admin1 == "Kherson Oblast"


# --- spill-over into a neighbour --------------------------------------------------------------------------

def test_a_missile_that_came_down_in_a_neighbour_is_a_report_of_that_country() -> None:
    main = _main("Stray missile kills two farm workers in a Polish village near the Ukrainian border")
    assert (main.country, main.settlement) == ("PL", None) and main.killed == Casualty(2, "exact")


def test_a_missile_passing_through_a_neighbours_airspace_is_not_a_strike_there() -> None:
    reports = _extract("Russian missiles pound Lviv", "One missile passed through Polish airspace, Warsaw said.")
    assert all(r.country != "PL" for r in reports)


def test_a_shooting_is_not_a_strike_but_shooting_down_drones_is_air_defence() -> None:
    assert _extract("Teenager kills two in school shooting in Bryansk, Russian police say") == []
    main = _main("Russia says it is shooting down Ukrainian drones over Kursk region")
    assert main.admin1 == "Kursk Oblast"


# --- a death told with no attack is no strike report ------------------------------------------------------

@pytest.mark.parametrize(("title", "text"), [
    ("Bodies of dead soldiers found in a forest near Kyiv", "Investigators said the men died weeks ago."),
    ("Aid worker killed in Bakhmut while helping civilians", "His charity confirmed the death on Friday."),
])
def test_a_death_with_no_word_of_an_attack_is_no_strike(title: str, text: str) -> None:
    assert _extract(title, text) == []


def test_an_italian_strike_report_keeps_its_attack_words() -> None:
    main = _main("", "I missili russi hanno colpito un ristorante a Kramatorsk, nell'Ucraina orientale.")
    assert main.settlement == "Kramatorsk"


@pytest.mark.parametrize(("title", "text"), [
    ("Kharkiv unveils a memorial to the children killed in Russian strikes", ""),
    ("Partisans in occupied Melitopol are carrying out attacks on Russian troops", "Ukrainian officials said."),
    ("New missiles could enable strikes deep into Crimea", "Allies discussed the plan."),
])
def test_remembrance_habits_and_capabilities_are_not_strikes(title: str, text: str) -> None:
    assert _extract(title, text) == []


# --- consequence and cause: "X after Y" ---------------------------------------------------------------------

def test_a_fire_at_a_place_after_a_placeless_attack_is_that_places_strike() -> None:
    main = _main("Huge blaze engulfs Sevastopol fuel depot after drone attack")
    assert main.settlement == "Sevastopol" and "drone" in main.weapons


def test_a_placeless_consequence_before_after_makes_the_after_clause_the_event() -> None:
    main = _main("Power cut after missile hit on Crimean substation")
    assert main.admin1 == "Crimea" and main.date is not None


@pytest.mark.parametrize(("title", "place"), [
    ("Kharkiv without power after Russian missile strikes", "Kharkiv"),
    ("Streets of Odesa after overnight drone strikes", "Odesa"),
    ("Residents of Zaporizhzhia clean up after Russian missile strike", "Zaporizhzhia"),
])
def test_what_a_strike_left_at_a_place_places_the_strike_that_follows(title: str, place: str) -> None:
    # blackouts, streets, clean-up: the consequence words of lang/en.json name where the placeless strike hit
    assert _main(title).settlement == place


def test_a_threat_still_cancels_the_strike_words_it_governs() -> None:
    assert _extract("Russia warns of new missile attacks on Kyiv") == []


def test_retaliation_for_a_placed_attack_tells_that_attack() -> None:
    # "vows to retaliate for" presupposes the attack it names: a past-event connector ends the threat's reach
    main = _main("Kremlin vows to retaliate for drone attack on Moscow")
    assert main.settlement == "Moscow" and "drone" in main.weapons


def test_retaliation_for_an_unplaced_attack_stays_a_threat() -> None:
    assert _extract("Putin vows revenge", "The Kremlin vowed to retaliate for a Ukrainian attack on a tanker.") == []


@pytest.mark.parametrize("title", ["Vuhledar Shelled 40 Times Overnight, Ukraine Says",
                                   "Kupiansk hit dozens of times by Russian artillery, Ukraine says"])
def test_a_frequency_adverbial_after_a_bare_participle_keeps_the_place_struck(title: str) -> None:
    assert _main(title).settlement in ("Vuhledar", "Kupiansk")


def test_two_regions_sharing_a_plural_are_a_list_not_their_capitals() -> None:
    # "the Kharkiv and Sumy regions" is a list of two regions (reported for their country), not Kharkiv city
    main = _main("Kharkiv and Sumy regions without power after Russian strikes, two injured")
    assert (main.country, main.settlement, main.admin1) == ("UA", None, None)
    assert main.injured == Casualty(2, "exact")


def test_a_visit_after_an_attack_does_not_make_the_visited_city_struck() -> None:
    assert _extract("Zelensky visits Kharkiv after the attack", "He met officials, Ukrainian media said.") == []


@pytest.mark.parametrize("title", ["Naval drones attack Russian Black Sea port", "Drones strike three Russian cities"])
def test_russian_ports_and_cities_unnamed_are_a_russia_report(title: str) -> None:
    assert _main(title).country == "RU"


@pytest.mark.parametrize("title", ["Tributes pour in for reporter killed by rocket fire near Bakhmut",
                                   "Aftermath of the missile strike on Kramatorsk"])
def test_a_reaction_or_aftermath_story_gives_no_publication_date(title: str) -> None:
    main = _main(title, "Ukrainian officials said.")
    assert main.date is None and main.date_basis == "unknown"


@pytest.mark.parametrize("title", [
    "Ukrainian forces claim strike on Russian ammunition dump",
    "Ukraine attacked a Russian village with cluster munitions, governor says",
    "Ukrainian missile downed over Russian border region",
    "Ukrainian drone wreckage kills three Russians at an air base",
])
def test_strikes_on_russia_without_a_named_place(title: str) -> None:
    assert _main(title).country == "RU"


def test_a_city_under_attack() -> None:
    assert _main("Kyiv under new massive Russian drone attack, mayor says").settlement == "Kyiv"


@pytest.mark.parametrize("title", ["Russians fired on Enerhodar from helicopters, there are dead",
                                   "A driver died and an official was injured as a result of a blow to Kherson",
                                   "During the day the invaders killed three civilians in the Donetsk region"])
def test_fire_and_killings_by_an_armed_side_are_attack_words(title: str) -> None:
    assert _extract(title)


@pytest.mark.parametrize("title", ["Russian strikes hit southern Ukraine as repairs go on",
                                   "Russia marks the holiday with new strikes on Ukraine"])
def test_a_headline_telling_plural_strikes_as_the_days_event_is_a_country_report(title: str) -> None:
    main = _main(title)
    assert (main.country, main.settlement, main.admin1) == ("UA", None, None)


def test_the_war_itself_is_no_country_report() -> None:
    assert _extract("Putin's attack on Ukraine enters its second year", "Leaders met in Brussels.") == []


def test_heard_explosions_with_an_attack_word_of_its_own_are_a_strike() -> None:
    assert _main("Explosions were heard in Kyiv early on Tuesday, marking another aerial attack on the capital"
                 ).settlement == "Kyiv"
    assert _extract("Explosions were heard in Kyiv, residents said", "No damage was reported.") == []


def test_an_after_clause_with_a_toll_is_the_story_when_nothing_else_is() -> None:
    main = _main("Army opens inquiry", "The president promised the truth after 20 soldiers were killed in a Russian "
                 "missile attack on a ceremony.")
    assert main.country == "UA" and main.killed == Casualty(20, "exact")


@pytest.mark.parametrize(("title", "attacker"), [
    ("Moscow says a Ukrainian strike damaged a Russian ship moored in occupied Crimea", "UA"),
    ("Ukrainian shelling kills six in Donetsk, a city held by Russian forces", "UA"),
    ("Drones hit the Engels air base where Russian bombers are parked, governor says", "unknown"),
])
def test_a_sides_forces_named_beside_the_strike_are_not_the_attacker(title: str, attacker: str) -> None:
    assert _main(title).attacker == attacker


def test_an_after_clause_headline_is_todays_strike() -> None:
    main = _main("Russia vows punishment after strike on Belgorod kills 14")
    assert main.settlement == "Belgorod" and main.date is not None and main.date_basis == "publication"


@pytest.mark.parametrize(("title", "place"), [
    ("Fireball in Crimea as a Ukraine drone strike hits a fuel depot in Sevastopol", "Sevastopol"),
    ("Russian shelling kills two in the Kharkiv region's Kupiansk", "Kupiansk"),
    # a place that repels an air attack, a place hit past an apposition
    ("Kyiv fends off latest Russian air attack, president lauds defence", "Kyiv"),
    ("The Kremlin, the heart of Russian power, targeted by drones", "Moscow"),
])
def test_the_place_hit_inside_its_region_repelling_or_past_an_apposition(title: str, place: str) -> None:
    assert _main(title).settlement == place


def test_ukraine_as_the_modifier_of_a_strike_is_the_attacker() -> None:
    assert _main("Ukraine drone strike sets fire to a depot in Sevastopol").attacker == "UA"


# --- several places in one sentence -----------------------------------------------------------------------

def test_figures_dealt_out_respectively_go_to_each_place() -> None:
    reports = _extract("Russian strikes on Kherson, Nikopol and Beryslav killed three, two and one people",
                       "Ukrainian officials said.")
    got = {(r.settlement, r.killed.value if r.killed else None) for r in reports}
    assert {("Kherson", 3), ("Nikopol", 2), ("Beryslav", 1)} <= got


def test_paired_figures_and_places_go_together() -> None:
    reports = _extract("Russian shelling killed two people in Kherson and one in Nikopol", "Officials said.")
    got = {(r.settlement, r.killed.value if r.killed else None) for r in reports}
    assert {("Kherson", 2), ("Nikopol", 1)} <= got


def test_figures_dealt_out_to_three_places_one_by_one() -> None:
    reports = _extract("Shelling in the south", "Russian shelling killed four people in Kherson, two in Nikopol and "
                       "one in Beryslav on Sunday.")
    assert {(r.settlement, r.killed.value if r.killed else None) for r in reports} == {
        ("Kherson", 4), ("Nikopol", 2), ("Beryslav", 1)}


def test_a_place_named_in_a_dated_strike_sentence_keeps_that_day_when_told_later() -> None:
    reports = _extract("Missiles hit two cities", "Russian missiles hit Kharkiv and Zaporizhzhia on Sunday. In "
                       "Kharkiv, two people were killed. In Zaporizhzhia, a hospital was damaged.")
    assert {(r.settlement, str(r.date)) for r in reports} == {("Kharkiv", "2023-05-07"), ("Zaporizhzhia", "2023-05-07")}


def test_a_list_of_cities_without_their_own_facts_is_one_country_event() -> None:
    reports = _extract("Russian missiles hit Lviv, Odesa and Dnipro overnight", "Ukrainian officials said.")
    assert [(r.country, r.settlement) for r in reports] == [("UA", None)]


def test_a_village_too_small_for_the_gazetteer_keeps_its_name_and_region() -> None:
    main = _main("Russian missile kills 51 in the village of Hroza in the Kharkiv region")
    assert (main.settlement, main.admin1, main.country) == ("Hroza", "Kharkiv Oblast", "UA")
    assert main.lat is None and main.lon is None  # no invented coordinates


@pytest.mark.parametrize(("title", "text"), [
    ("Bodies of three volunteers killed in Ukraine are repatriated", "Their van was hit by a Russian shell near "
     "Bakhmut."),
    ("Moscow demands an emergency Security Council meeting over Ukrainian strikes on Donetsk", ""),
    ("The week in pictures", "A Russian missile strike on a Kharkiv apartment block, storms in Chile and more."),
    ("Inquiry opens", "A Russian missile hit a school in Kharkiv last week, killing three."),
    ("Inquiry opens", "The strike on the Kharkiv school earlier this month killed three."),
])
def test_an_item_told_after_the_day_of_its_strike_gives_no_date_without_a_time_word(title: str, text: str) -> None:
    main = _main(title, text)
    assert main.date is None and main.date_basis == "unknown"


@pytest.mark.parametrize(("text", "day"), [
    ("Two days after Russian missiles hit Kyiv, residents cleared the rubble.", "2023-05-07"),
    ("A day after the strike on Kharkiv, officials counted the damage.", "2023-05-08"),
    ("Russian shelling killed two people in Kherson two days ago, officials said.", "2023-05-07"),
])
def test_n_days_after_an_attack_dates_it_that_many_days_back(text: str, day: str) -> None:
    main = _main("Aftermath", text)
    assert str(main.date) == day and main.date_basis == "relative"


def test_tributes_as_ceremonies_do_not_make_a_follow_up() -> None:
    main = _main("Russia, set for war tributes, rains missiles on Ukraine")
    assert main.date is not None and main.date_basis == "publication"


@pytest.mark.parametrize("title", ["Families shelter in Kyiv bomb shelters as winter comes",
                                   "Experts defuse unexploded bomb found in Chernihiv"])
def test_bomb_shelters_and_defused_bombs_are_not_strikes(title: str) -> None:
    assert _extract(title, "Ukrainian officials said.") == []


@pytest.mark.parametrize(("title", "text"), [
    ("Rail workers in Kyiv go on strike over pay", "Ukrainian unions said."),
    ("Ukraine and Russia strike a deal on grain exports", "Officials met in Istanbul."),
    ("Toll in Kherson", "Thirty civilians have been killed in Kherson since 9 November, Ukrainian officials said."),
])
def test_other_senses_of_strike_and_period_totals_are_not_strikes(title: str, text: str) -> None:
    assert _extract(title, text) == []


def test_a_named_pipeline_is_no_place() -> None:
    reports = _extract("Drone hits Druzhba pipeline pumping station in Bryansk region, Russian officials say")
    assert reports and all(r.settlement != "Druzhba" for r in reports)


def test_the_agent_of_a_passive_is_the_attacker() -> None:
    assert _main("Kerch bridge in Crimea attacked by Ukraine, Russian bloggers say").attacker == "UA"


def test_forces_of_the_holder_of_an_occupied_place_are_not_its_attacker() -> None:
    main = _main("Explosions on the Crimean bridge", "It was the latest blow to a Russian military in trouble.")
    assert main.admin1 == "Crimea" and main.attacker == "unknown"


@pytest.mark.parametrize(("title", "place"), [
    ("Shelling near the Zaporizhzhia nuclear plant damages a power line", "Enerhodar"),
    ("Explosions on the Crimean bridge kill two", "Kerch"),
    ("Blasts hit the Saky air base in Crimea", "Saky"),
])
def test_a_named_installation_is_placed_where_it_stands(title: str, place: str) -> None:
    assert _main(title, "Ukrainian officials said.").settlement == place


def test_battle_losses_are_no_strike_toll() -> None:
    assert _extract("Fighting around Bakhmut descends into a morass", "Fighting around the town has left hundreds "
                    "of soldiers dead, Ukrainian officials said.") == []


def test_supplying_hyphenated_weapons_is_no_strike() -> None:
    assert _extract("Allies hope to supply longer-range missiles that could reach Crimea") == []


def test_the_self_proclaimed_republics_stand_for_their_oblasts() -> None:
    main = _main("In the DPR, one person was killed due to shelling by the Armed Forces of Ukraine")
    assert (main.admin1, main.attacker) == ("Donetsk Oblast", "UA")


def test_an_item_from_the_small_hours_without_a_time_word_gives_no_publication_date() -> None:
    late = extract(Article(id="s1", url=None, title="Reporter killed by rocket fire near Bakhmut", text="",
                           outlet="Test", published_at=datetime(2023, 5, 9, 23, 10, tzinfo=UTC)))  # 02:10 Kyiv
    assert late and late[0].date is None
    dawn = extract(Article(id="s2", url=None, title="Injuries reported in Russian rocket strike on Lviv", text="",
                           outlet="Test", published_at=datetime(2023, 7, 6, 2, 45, tzinfo=UTC)))  # 05:45 Kyiv
    assert dawn and str(dawn[0].date) == "2023-07-06"


@pytest.mark.parametrize(("title", "attacker", "attribution"), [
    ("'Enemy' drone shot down over Kursk region, says Russia", "UA", "claimed by RU"),
    ("Enemy drones attacked Kharkiv overnight, the regional governor said", "RU", None),
])
def test_the_enemy_is_the_other_side(title: str, attacker: str, attribution: str | None) -> None:
    main = _main(title)
    assert (main.attacker, main.attribution) == (attacker, attribution)


def test_a_total_since_a_date_is_no_strike_toll() -> None:
    assert cas.figures("at least 17 journalists have been killed in Ukraine since 2022") == ()


def test_a_toll_of_last_weeks_strike_stays_with_that_strike() -> None:
    main = _main("Five wounded as Russian missiles strike Odesa",
                 "Separately, 19 soldiers were killed in a strike on a ceremony last week, Ukrainian officials said.")
    assert main.settlement == "Odesa" and main.killed is None


# --- habitual descriptions beside a dated strike -----------------------------------------------------------

def test_a_strike_told_before_a_relentless_descriptor_is_kept() -> None:
    main = _main("Russia hits Kyiv in pre-dawn attack as air defences strain under relentless bombardment")
    assert main.settlement == "Kyiv"


@pytest.mark.parametrize(("title", "text"), [
    ("Kherson lives under relentless Russian shelling", ""),
    ("Ukraine holds Bakhmut as Russia attacks relentlessly", ""),
    # an ongoing state, a period, a habit
    ("Life in a city under fire", "Our reporter is near Sumy, where shelling is taking place a few miles away."),
    ("Life in a city under fire", "A mother recalls the weeks when Russian forces bombed Sumy."),
    ("Life in a city under fire", "As Russian guns shelled Sumy, a baker kept his shop open for forty days."),
    ("Life in a city under fire", "Residents of Sumy live with nightly attacks by Russian drones."),
])
def test_relentless_ongoing_or_period_attacks_are_no_dated_strike(title: str, text: str) -> None:
    assert _extract(title, text) == []


# --- subordinate clauses, effects a day later, compound adjectives ------------------------------------------

def test_an_aid_frame_in_a_subordinate_clause_does_not_cancel_the_main_strike() -> None:
    main = _main("Russia rains ballistic missiles on Kyiv as Zelensky pleads for more military aid")
    assert main.settlement == "Kyiv" and "ballistic_missile" in main.weapons
    assert _main("The strikes on Melitopol make sense, analysts say, because they could help to cut the land "
                 "bridge").settlement == "Melitopol"


@pytest.mark.parametrize("title", ["Ukraine received missiles as part of a military aid package",
                                   "The package includes rockets capable of striking Crimea"])
def test_an_aid_frame_in_the_main_clause_still_cancels(title: str) -> None:
    assert _extract(title) == []


def test_what_a_strike_left_a_day_later_dates_the_strike_a_day_before() -> None:
    # published Tuesday 9 May: the digging is on Sunday 7 May, the attack a day before it
    main = _main("Toll rises", "Rescue workers were still digging through the rubble of a building in the city of "
                 "Dnipro on Sunday, a day after a Russian missile attack.")
    assert main.settlement == "Dnipro" and str(main.date) == "2023-05-06"
    main = _main("Rescue in Dnipro", "A woman is rescued from the debris of a building in Dnipro, a day after it "
                 "was hit by a Russian missile strike.")
    assert str(main.date) == "2023-05-08"


def test_a_hyphenated_country_adjective_is_no_strike_on_that_country() -> None:
    # "Russia-controlled city": the city is in occupied Ukraine, not a strike on Russia
    reports = _extract("Blasts hit Russia-controlled city in Ukraine", "The strikes on Melitopol went on overnight.")
    assert reports and {r.country for r in reports} == {"UA"}


def test_a_threat_ends_where_a_subordinate_clause_tells_a_placed_strike() -> None:
    main = _main("Energy chief warns of disaster", "The energy minister warned that the world is on the brink of "
                 "disaster as shelling knocked the Zaporizhzhia nuclear power plant offline.")
    assert main.settlement == "Enerhodar" and "artillery" in main.weapons
    assert _extract("Officials warn of new attacks as Russia masses missiles near Kharkiv") == []
    assert _extract("Officials warn of attacks such as drones on Kharkiv") == []


@pytest.mark.parametrize(("title", "text", "place"), [
    ("Port reopens after energy network hit", "The port of Odesa has resumed operations after Russian strikes "
     "against the city on Saturday.", "Odesa"),
    ("President's hometown floods after Russian missile strikes break dam", "Flooded streets in Kryvyi Rih began to "
     "dry after crews worked through the night.", "Kryvyi Rih"),
])
def test_a_port_resuming_or_a_town_flooding_after_strikes_is_where_they_hit(title: str, text: str, place: str) -> None:
    assert _main(title, text).settlement == place


@pytest.mark.parametrize(("title", "centre"), [
    ("Missile hits the centre of the northern city of Chernihiv", True),
    ("Russian shells hit the centre of Kherson", True),
    ("Drone strike on Sumy at the centre of a row over air defence", False),
])
def test_the_centre_of_a_town_is_a_target_the_centre_of_a_row_is_not(title: str, centre: bool) -> None:
    assert ("city_centre" in _main(title).targets) is centre


# --- other wars and other senses -----------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["At least nine dead in Syria airstrike that activists say Russia launched",
                                   "Israeli strikes on Gaza kill 30 as Russia calls for a ceasefire",
                                   "An airstrike on a market in northwestern Syria killed nine, Russia denies role"])
def test_a_strike_placed_in_another_war_is_not_reported(title: str) -> None:
    assert _extract(title) == []


@pytest.mark.parametrize(("title", "place"), [
    ("Russian missile kills 3 in Kharkiv as Turkey offers talks", "Kharkiv"),
    ("Russia strikes Ukraine with drones made in Iran", None),
])
def test_a_foreign_country_named_beside_a_strike_in_scope_keeps_it(title: str, place: str | None) -> None:
    main = _main(title)
    assert main.country == "UA" and main.settlement == place


@pytest.mark.parametrize("title", ["Kremlin blasts Biden's Putin-Hamas comparison",
                                   "'Imminent large-scale attack' on Ukraine feared as bombers gather"])
def test_criticism_and_an_imminent_attack_are_no_strike(title: str) -> None:
    assert _extract(title) == []


def test_the_day_told_with_the_place_beats_one_a_placeless_lead_clause_lent() -> None:
    # published Tuesday 9 May: the title's "on Friday" waits for a place; the body's clause naming
    # the region tells its own day (Sunday 7 May)
    main = _main("Russian shelling kills 4 as Ukraine prepares to mark the holiday on Friday",
                 "Russian shelling in the Kherson region killed four people on Sunday.")
    assert main.admin1 == "Kherson Oblast" and str(main.date) == "2023-05-07"


# --- abbreviations and photo captions ----------------------------------------------------------------------

def test_an_abbreviation_full_stop_ends_no_sentence() -> None:
    from streams.core.extract import text as tx

    assert tx.sentences("A drone hit Kyiv on Oct. 17, 2022. Gen. Ivan Petrenko spoke. Blasts in St. Petersburg.") == [
        "A drone hit Kyiv on Oct. 17, 2022.", "Gen. Ivan Petrenko spoke.", "Blasts in St. Petersburg."]
    assert tx.sentences("U.S. Will Send Air Defence to Ukraine. The U.N. agency spoke.") == [
        "U.S. Will Send Air Defence to Ukraine.", "The U.N. agency spoke."]


def test_a_file_photo_caption_does_not_date_the_story() -> None:
    # published 9 May 2023: a caption of a strike months earlier is a file photo, neither the story's day nor its
    # strike (the story is about export curbs)
    body = ("A building damaged by a Russian drone in Kyiv, Ukraine, on Oct. 17, 2022. (Ivan Petrenko/Reuters)\n"
            "Washington said on Tuesday it would curb exports.")
    assert _extract("US curbs exports of drone parts to Russia", body) == []
    main = _main("Russian drone hits Kyiv again", body)
    assert main.settlement == "Kyiv" and str(main.date) != "2022-10-17"


def test_a_caption_of_the_day_dates_the_strike() -> None:
    body = "Rescuers at a building hit by a Russian missile in Dnipro, Ukraine, on May 8, 2023. (Ivan Petrenko/AP)"
    assert str(_main("Missile strike on Dnipro kills three", body).date) == "2023-05-08"


@pytest.mark.parametrize(("title", "place"), [
    ("Russian drones strike Ukrainian capital", "Kyiv"),
    ("Russia targets Ukraine's capital with a barrage of drones", "Kyiv"),
    ("Drone attacks shut the Russian capital's airports", "Moscow"),
])
def test_a_capital_named_by_its_country_is_that_capital(title: str, place: str) -> None:
    assert _main(title).settlement == place


def test_preparation_for_an_attack_is_no_attack() -> None:
    assert _extract("Kyiv hands out iodine pills in preparation for a nuclear attack on Ukraine's capital") == []


# --- the relevance gate and the Ukrainian press's own words ------------------------------------------------

@pytest.mark.parametrize(("title", "place", "attacker"), [
    ("The invaders hit Pavlograd with rockets: a woman was killed and seven others were injured", "Pavlohrad", "RU"),
    ("One person died as a result of shelling in Vovchansk", "Vovchansk", None),
    ("Occupiers shelled Nikopol overnight, one injured", "Nikopol", "RU"),
    ("Armed Forces of Ukraine hit a column of enemy equipment at the crossing in Nova Kakhovka", "Nova Kakhovka", "UA"),
])
def test_a_town_the_gate_list_lacks_and_the_invaders_as_attacker(title: str, place: str, attacker: str | None) -> None:
    main = _main(title)
    assert main.settlement == place
    if attacker:
        assert main.attacker == attacker


@pytest.mark.parametrize("title", ["Joe Rogan blasts Tara Reade over comments in Marks interview",
                                   "Crimea hit by 'worst storm in history'",
                                   "Powerful winds battered Crimea on Saturday, knocking down trees",
                                   "Inflation, rates and the Ukraine war all hit global markets",
                                   "New sanctions would hit Russian trade with the EU",
                                   "Life without power in Kyiv after months of repeated Russian strikes"])
def test_names_weather_markets_and_habits_are_no_strike(title: str) -> None:
    assert _extract(title) == []


def test_a_placeless_headline_item_takes_no_place_from_the_next_item_after_a_semicolon() -> None:
    # live-blog headlines list items with semicolons: "Putin speaks in Moscow" does not place the missiles
    assert all(r.settlement != "Moscow" for r in _extract("Ukraine latest: Russian missiles downed; Putin speaks in "
                                                          "Moscow"))
    assert _main("Russian missiles downed over Kyiv; Putin speaks in Moscow").settlement == "Kyiv"


def test_russia_as_the_subject_of_killed_tells_an_attack() -> None:
    main = _main("Russia killed three civilians of the Donetsk region in one day")
    assert (main.admin1, main.attacker) == ("Donetsk Oblast", "RU") and main.killed == Casualty(3, "exact")


@pytest.mark.parametrize(("title", "region"), [
    ("Two civilians killed by shelling in Mykolaivka, the DPR says", "Donetsk Oblast"),
    ("Two civilians killed by shelling in Mykolaivka, the LPR says", "Luhansk Oblast"),
])
def test_a_self_proclaimed_republic_named_in_the_text_ranks_namesakes_in_its_oblast(title: str, region: str) -> None:
    assert _main(title).admin1 == region


@pytest.mark.parametrize(("title", "reported"), [
    ("Prosecutor says focus is mass killings in Bucha and attacks on civilians", False),
    ("Kherson residents tell of torture during the occupation, shelled homes", False),
    ("Missiles hit Kharkiv hotel where officers who planned the execution of the attack stayed, Moscow says", True),
])
def test_atrocities_are_no_strike_but_the_execution_of_an_attack_is(title: str, reported: bool) -> None:
    assert bool(_extract(title)) is reported


def test_troops_massing_for_an_assault_are_no_strike() -> None:
    assert _extract("Russian convoy near Kyiv waits for guns to arrive for an assault on the Ukrainian capital") == []


# --- officials' jurisdictions ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "admin1"), [
    ("Shells hit a farm in a village overnight, the governor of the Bryansk region said.", "Bryansk Oblast"),
    ("Shells hit a farm in a village overnight, Bryansk governor Ivan Petrov said.", "Bryansk Oblast"),
    ("Shells hit a farm in a village overnight, Bryansk region governor Ivan Petrov said.", "Bryansk Oblast"),
    ("Russian artillery wounded three people in a village, Sumy regional governor Petro Ivanenko said.", "Sumy Oblast"),
    ("Russian shelling wounded three people in a village, the head of the Sumy regional military administration "
     "said.",
     "Sumy Oblast"),
])
def test_a_governor_places_a_placeless_strike_in_the_region_he_governs(text: str, admin1: str) -> None:
    main = _main("Villages shelled overnight", text)
    assert (main.settlement, main.admin1) == (None, admin1)


@pytest.mark.parametrize("text", [
    "A Russian missile hit a warehouse on Tuesday morning, the mayor of Poltava said.",
    "A Russian missile hit a warehouse on Tuesday morning, Poltava mayor Olena Shevchenko said.",
    "A Russian missile hit a warehouse on Tuesday morning, Poltava's mayor said.",
])
def test_a_mayor_places_a_placeless_strike_in_the_city(text: str) -> None:
    main = _main("Warehouse burns after missile hit", text)
    assert (main.settlement, main.admin1) == ("Poltava", "Poltava Oblast")


def test_an_official_is_no_place_hit_when_the_strike_names_its_own() -> None:
    reports = _extract("Shelling wounds two",
                       "Sumy governor Petro Ivanenko said Russian shelling hit Shostka overnight, wounding two.")
    assert [r.settlement for r in reports] == ["Shostka"]


def test_a_governor_does_not_move_a_strike_already_placed_inside_his_region() -> None:
    reports = _extract("Russian shells hit Shostka",
                       "Two people were wounded when shells hit a shop, Sumy governor Petro Ivanenko said.")
    assert [(r.settlement, r.injured) for r in reports] == [("Shostka", Casualty(2, "exact"))]


def test_a_nationwide_barrage_told_by_a_mayor_stays_nationwide() -> None:
    main = _main("Russia fires dozens of missiles at Ukraine",
                 "Russia fired 30 missiles at Ukraine overnight, Lviv mayor Andriy Sadovyi said.")
    assert (main.settlement, main.admin1, main.country) == (None, None, "UA")


def test_a_death_an_official_announces_without_an_attack_is_not_placed_in_his_region() -> None:
    # the governor of a Russian region announcing a native's death at the front: no strike there
    assert not [r for r in _extract("Officer from Bryansk killed in Ukraine",
                                    "The governor of the Bryansk region said the officer died at a combat post.")
                if r.admin1 == "Bryansk Oblast"]


@pytest.mark.parametrize("title", ["Moscow attacks Odesa port for a second night", "Kyiv strikes Sevastopol bay"])
def test_a_capital_as_headline_subject_of_a_present_tense_attack_verb_is_the_attacker(title: str) -> None:
    reports = _extract(title)
    assert reports and all(r.settlement not in ("Moscow", "Kyiv") for r in reports)


def test_separatist_officials_telling_a_ukrainian_strike_make_it_russias_claim() -> None:
    main = _main("Ukrainian shelling kills three in Horlivka, separatist officials say",
                 "Three people died when Ukrainian shells hit a bus stop in Horlivka, separatist officials said.")
    assert (main.settlement, main.attacker, main.attribution) == ("Horlivka", "UA", "claimed by RU")


def test_a_toll_followed_by_after_and_its_attack_is_one_strike() -> None:
    # the injuries are what the attack after "after" did, not an earlier event's
    reports = _extract("Three injured in Russian attack on Chernihiv",
                       "Three people were injured on Wednesday after a Russian drone hit a warehouse in Chernihiv.")
    assert len(reports) == 1
    assert (reports[0].settlement, reports[0].injured, reports[0].date) == (
        "Chernihiv", Casualty(3, "exact"), date(2023, 5, 3))


@pytest.mark.parametrize("text", ["Russian artillery shelled the Marhanets district eight times on Tuesday.",
                                  "Russian artillery shelled Marhanets raion eight times on Tuesday."])
def test_a_district_named_after_its_town_is_in_the_towns_oblast(text: str) -> None:
    main = _main("Shelling in the south", text)
    assert (main.settlement, main.admin1) == (None, "Dnipropetrovsk Oblast")


@pytest.mark.parametrize("text", ["A Russian drone hit a house in the Kyiv district of Kharkiv on Tuesday.",
                                  "A Russian drone hit a house in a Kharkiv district on Tuesday."])
def test_a_city_district_is_no_district_named_after_a_town(text: str) -> None:
    assert _main("Drone hits house", text).settlement == "Kharkiv"


def test_a_capitals_possessive_before_one_of_its_districts_is_the_capital() -> None:
    main = _main("Night attack on the capital",
                 "A Russian missile hit an office block in Kyiv's Solomianskyi district overnight, injuring two.")
    assert main.settlement == "Kyiv"


def test_falling_debris_is_a_strike_where_it_fell() -> None:
    main = _main("Air defences busy overnight",
                 "Falling debris from a downed Russian drone damaged a roof in Poltava overnight.")
    assert main.settlement == "Poltava"


def test_a_military_target_hit_in_an_occupied_town_is_ukraines_strike() -> None:
    main = _main("Blasts in occupied Melitopol",
                 "Explosions rocked Melitopol overnight, the exiled mayor said, adding that an ammunition depot "
                 "had been hit.")
    assert (main.settlement, main.attacker) == ("Melitopol", "UA")
    # a civilian target there with no side named stays unknown
    assert _main("Blasts in occupied Melitopol", "Explosions damaged a school in Melitopol overnight.").attacker \
        == "unknown"



def test_a_headline_blast_the_lead_tells_as_a_planted_bomb_is_no_strike() -> None:
    assert _extract("Explosion at Kursk cafe injures 12",
                    "An improvised explosive device went off in a cafe in Kursk, injuring 12, police said.") == []
    # a headline blast the lead tells as a drone's stays a strike
    assert _main("Explosion at Kursk cafe injures 12",
                 "A Ukrainian drone crashed into a cafe in Kursk, injuring 12, police said.").settlement == "Kursk"


def test_russian_official_style_names_the_ukrainian_attacker_and_the_claim() -> None:
    # "the Kiev regime" in Russian official English is Ukraine; a DPR body telling it is Russia's side's claim
    main = _main("Kiev regime strikes Gorlovka",
                 "The Kiev regime's forces struck Gorlovka overnight, wounding two civilians, the DPR mission said.")
    assert (main.settlement, main.attacker, main.attribution) == ("Horlivka", "UA", "claimed by RU")
    # an unmanned aerial vehicle destroyed over a region is a strike aimed there
    main = _main("Air defences down UAV", "Air defence systems destroyed a Ukrainian unmanned aerial vehicle over "
                 "the Kursk Region, the Russian Defence Ministry said.")
    assert (main.admin1, main.attacker) == ("Kursk Oblast", "UA")


def test_the_one_town_a_headline_names_places_the_storys_placeless_strike() -> None:
    text = ("Olha and Petro ran a bakery before the war. They fed their neighbours for months. Two of their friends "
            "died after a Russian strike on a shopping centre.")
    main = _main("The bakers who stayed: a love story from Kremenchuk", text)
    assert (main.settlement, main.targets) == ("Kremenchuk", ("mall",))
    # a toll of a placeless strike likewise
    main = _main("Kremenchuk mourns", "Nine people were killed in a Russian missile strike on Monday.")
    assert main.settlement == "Kremenchuk" and main.killed == Casualty(9, "exact")
    # a target merely beside an attack word is no strike's target
    assert _extract("Life underground in Kremenchuk",
                    "Families have been sheltering from attacks in a metro station for days.") == []


def test_a_blast_where_the_headline_tells_a_planted_bomb_is_no_strike() -> None:
    assert _extract("Cafe bomb in Kursk kills military blogger",
                    "The blogger was killed on Sunday by a blast as he spoke to an audience in Kursk.") == []
    # a placeless planted-bomb item beside a strike in one headline leaves the strike
    main = _main("Russian strikes kill 11, officials say; woman held in alleged plot to assassinate the president")
    assert main.killed == Casualty(11, "exact")


@pytest.mark.parametrize("text", [
    "Ukrainian forces have used the town of Orikhiv to launch attacks on Russian supply lines.",
    "Moscow has used Crimea as a launch pad for strikes on southern Ukraine.",
])
def test_a_place_attacks_start_from_is_no_place_hit(text: str) -> None:
    assert all(r.settlement != "Orikhiv" and r.admin1 != "Crimea" for r in _extract("Front line shifts", text))


def test_a_weapon_that_has_become_a_staple_of_war_is_no_dated_strike() -> None:
    assert _extract("Drones in the battle for Orikhiv",
                    "Using drones to direct artillery fire has become a staple of the fight for Orikhiv.") == []


def test_two_towns_a_strike_clause_joins_with_and_are_both_hit() -> None:
    reports = _extract("Russia shells towns across the reservoir",
                       "Russian forces shelled Nikopol and Marhanets with Grad rockets overnight, injuring three.")
    assert [(r.settlement, r.injured) for r in reports] == [("Nikopol", Casualty(3, "exact")), ("Marhanets", None)]
    assert all(set(r.weapons) == {"mlrs", "rocket"} for r in reports)


def test_a_progressive_hit_on_a_neighbour_is_a_spill_over_strike() -> None:
    main = _main("Minister concerned by reports of Russian missiles hitting Poland")
    assert (main.country, main.settlement) == ("PL", None)


def test_the_occupiers_of_a_town_russia_holds_are_not_its_attackers() -> None:
    main = _main("Ukrainian drone attack on Crimea",
                 "Yesterday's drone strike in Crimea was part of the fight against the Russian invaders, he said.")
    assert (main.admin1, main.attacker) == ("Crimea", "UA")


def test_a_town_named_first_name_before_a_surname_in_apposition_is_a_person() -> None:
    assert all(r.settlement != "Roman" for r in _extract(
        "Officer behind sabotage named",
        "Roman Chervenko, a colonel in the special forces, coordinated the explosion of a pipeline, reports say."))


@pytest.mark.parametrize(("title", "text"), [
    ("Prisoner attacked in Russian jail", "The American was punched by a fellow inmate in a camp east of Moscow."),
    ("Skiers return to Kyiv slopes", "Residents of Kyiv flocked to the slopes as Russian missile strikes have eased."),
])
def test_a_prison_assault_or_a_lull_in_strikes_is_no_strike(title: str, text: str) -> None:
    assert _extract(title, text) == []


def test_a_target_named_beside_a_weapon_but_not_struck_is_no_strike() -> None:
    # a target counts for a strike that states nothing happening only when a strike word hits it
    assert _extract("Drone army planned", "He has now set up a drone pilot school in Russia's Tula region.") == []
    assert _main("Missile fragments hit Kyiv apartment block",
                 "Missile fragments fell on an apartment building in Kyiv.").settlement == "Kyiv"


def test_missiles_aimed_at_a_city_tell_a_strike_there() -> None:
    assert _main("Putin defiant on Victory Day after Russia aims missiles at Kyiv").settlement == "Kyiv"


def test_a_countrys_adjective_before_a_facility_names_the_country_hit_not_the_attacker() -> None:
    main = _main("Ukraine war: Drone attack on Russian bomber base leaves three dead")
    assert (main.country, main.attacker) == ("RU", "unknown")
    main = _main("Eight killed in Russian strike in Lyman",
                 "Another five people were wounded in the Russian shelling in the Donetsk town, officials say.")
    assert (main.settlement, main.injured) == ("Lyman", Casualty(5, "exact"))  # "the Donetsk town" is Lyman's region


def test_a_file_photo_caption_places_no_strike_unless_the_headline_names_its_place() -> None:
    # published 9 May: a caption dated weeks earlier shows another day and place
    caption = ("A dog walks past a building burned in a strike in Bakhmut, Ukraine, on March 26, 2023. "
               "(Ivan Petrenko/Reuters)")
    main = _main("Russian missiles strike across Ukraine as offensive grinds on", caption)
    assert main.settlement is None and main.country == "UA"
    assert _main("Russia strikes Bakhmut again", caption).settlement == "Bakhmut"


@pytest.mark.parametrize("title", ["Moscow undergoes second drone attack in a week",
                                   "Kyiv faces another night of drone attacks",
                                   "Kharkiv suffers heavy shelling overnight"])
def test_a_place_that_undergoes_or_suffers_an_attack_is_the_place_hit(title: str) -> None:
    assert _main(title).settlement == title.split()[0]


def test_a_capital_that_thwarts_an_attack_on_another_place_is_not_that_place() -> None:
    assert all(r.settlement != "Moscow" for r in _extract("Moscow thwarts Ukrainian drone attack on Crimea"))


def test_a_capital_modifying_what_was_damaged_is_the_place_hit() -> None:
    assert _main("Several Moscow buildings damaged in drone attack, mayor says").settlement == "Moscow"


def test_the_black_sea_fleet_and_its_headquarters_are_in_sevastopol() -> None:
    main = _main("Ukraine launches biggest attack on Russia's Black Sea Fleet headquarters in occupied Crimea")
    assert (main.settlement, main.attacker) == ("Sevastopol", "UA")


@pytest.mark.parametrize("title", ["Strike kills over 100 Russian soldiers in Soledar, Ukraine says",
                                   "Video shows Wagner fighters attacked by a drone in Soledar"])
def test_forces_named_as_what_was_hit_are_the_other_sides_target(title: str) -> None:
    assert _main(title).attacker == "UA"
    # forces as the agent stay the attacker
    assert _main("Russian soldiers killed a family in Soledar with artillery fire").attacker == "RU"


def test_a_launched_attack_on_a_named_capital_is_the_capitals() -> None:
    main = _main("Russia launched largest drone attack on Ukrainian capital before Kyiv Day; one killed")
    assert (main.settlement, main.attacker) == ("Kyiv", "RU")
    assert _main("Ukraine shoots down more than a dozen Russian-launched drones").attacker == "RU"


def test_a_side_that_targets_a_place_tells_a_strike_there_but_helping_to_target_does_not() -> None:
    assert _main("Russia targets Kyiv for the tenth time this month",
                 "The attacks come as a counteroffensive looms.").settlement == "Kyiv"
    assert _extract("US warms to helping Ukraine target Crimea") == []


# --- session 8: nuclear plant forms, consequences, mutual blame, genres, periods ----------------------------

@pytest.mark.parametrize("title", ["Shelling cuts power to Europe's largest nuclear plant",
                                   "Strike near Ukraine’s biggest nuclear power station condemned by watchdog"])
def test_the_largest_nuclear_plant_is_the_zaporizhzhia_plant_at_enerhodar(title: str) -> None:
    main = _main(title, "Ukraine's nuclear agency reported the damage on Sunday.")
    assert (main.settlement, main.admin1) == ("Enerhodar", "Zaporizhzhia Oblast")


@pytest.mark.parametrize("title", ["Nuclear plant in Enerhodar disconnected from the grid after shelling",
                                   "Kharkiv hospital runs on generators after Russian missile strike",
                                   "Odesa switches to emergency power after drone attack"])
def test_a_power_consequence_followed_by_a_placeless_strike_places_it(title: str) -> None:
    assert _main(title).settlement in {"Enerhodar", "Kharkiv", "Odesa"}


@pytest.mark.parametrize(("text", "attacker"), [
    ("Moscow and Kyiv traded blame over the shelling of Enerhodar on Sunday.", "unknown"),
    ("Russia and Ukraine accused each other of the strike on the Enerhodar plant on Sunday.", "unknown"),
    # a general accusation is no dispute over this attack
    ("Russian drones hit Kharkiv overnight, as the two sides accused each other of targeting civilians.", "RU"),
])
def test_each_side_blaming_the_other_for_the_attack_leaves_the_attacker_unknown(text: str, attacker: str) -> None:
    assert _main("Explosions reported", text).attacker == attacker


@pytest.mark.parametrize("title", ["Siege of Mariupol review – a harrowing film about the shelled city",
                                   "‘Kyiv Nights’ Review: A Documentary of Missile Strikes and Shelters"])
def test_a_critics_review_tells_no_strike(title: str) -> None:
    assert _extract(title, "Russian missiles struck Mariupol, killing dozens, as the film shows.") == []
    # the word review alone does not make a review
    assert _extract("Pentagon review finds Russian missile hit Kyiv hospital on Monday")


_WAR_LOSSES = "The general staff said 600 Russian soldiers were killed, bringing the total to 150,000."


@pytest.mark.parametrize(("title", "text"), [
    pytest.param("Russian artillery has shelled Kupiansk 40 times since Monday", "", id="count-over-a-period"),
    pytest.param("Russian drones attacked Kherson dozens of times this week", "", id="count-this-week"),
    pytest.param("A surge in Ukrainian drone attacks worries Moscow's residents", "", id="trend"),
    pytest.param("A year on, Russian bombs still rain down on Kherson", "", id="state-that-goes-on"),
    pytest.param("Russia's troop death toll passes 150,000, Kyiv says", _WAR_LOSSES, id="war-losses"),
    pytest.param("Ukraine puts Russian personnel losses at 600 in a day", _WAR_LOSSES, id="personnel-losses"),
    pytest.param("Ukrainian troops test home-made attack drones near Bakhmut", "", id="weapons-test"),
    pytest.param("Russia test-fires hypersonic missile in the Barents Sea, Moscow says", "", id="test-fire"),
    pytest.param("Kyiv ramps up production of drones as missile strikes on Ukraine go on", "", id="arms-production"),
    pytest.param("Ukraine retakes village near Bakhmut with help of artillery strikes", "", id="retaking-a-village"),
    pytest.param("Russian forces seized the town of Marinka after months of shelling", "", id="seizing-a-town"),
    pytest.param("How Kyiv copes", "The drones that hit Kyiv every week are cheap to make.", id="every-week"),
    pytest.param("How many missiles are left?", "Moscow has fired more than 5,000 missiles at Ukraine since February.",
                 id="weapons-fired-since"),
    pytest.param("Drone sightings close airport in Kazan", "Flights stopped for two hours; no attack was reported.",
                 id="sightings-no-attack"),
    pytest.param("A year of life under constant attack in Kharkiv", "", id="under-constant-attack"),
    pytest.param("Sappers clear undetonated bombs left near Chernihiv", "", id="undetonated"),
    pytest.param("Tech founder attacks Kremlin's barbaric war on Ukraine", "", id="criticism"),
    pytest.param("Senator slams Moscow's missile strategy in Ukraine", "", id="criticism-slams"),
])
def test_periods_trends_losses_weapons_tests_and_ground_gains_tell_no_dated_strike(title: str, text: str) -> None:
    assert _extract(title, text) == []


def test_a_toll_counted_over_the_last_days_is_a_total() -> None:
    assert _extract("Nearly 900 Russian soldiers killed in the last three days of fighting, Kyiv says") == []
    assert _main("Russian strike killed 9 in Kramatorsk on Tuesday").killed == Casualty(9, "exact")


def test_missiles_that_slam_into_a_city_hit_it() -> None:
    main = _main("Russian missiles slam into Odesa port facilities")
    assert (main.settlement, main.attacker) == ("Odesa", "RU")


@pytest.mark.parametrize(("title", "attacker"), [
    ("Ukraine says it struck a Russian command post in the Zaporizhzhia region", "UA"),
    ("Russia says it hit a Ukrainian ammunition depot in the Kharkiv region", "RU"),
])
def test_a_side_that_says_it_struck_names_itself_as_the_attacker(title: str, attacker: str) -> None:
    assert _main(title).attacker == attacker


def test_an_air_force_that_shoots_down_drones_is_not_their_attacker() -> None:
    said = _main("Ukraine's air force says it shot down 13 drones over the Mykolaiv region overnight")
    told = _main("Ukraine's air force intercepted 20 drones over the Odesa region")
    assert said.attacker != "UA" and told.attacker != "UA"


@pytest.mark.parametrize(("title", "text", "place"), [
    pytest.param("Ukraine says Russia used cluster munitions", "Officials said Russian forces fired cluster munitions "
                 "into central Kherson on Tuesday, wounding four.", "Kherson", id="fired-weapons-into"),
    pytest.param("'Like an earthquake'", "Residents of Sloviansk recalled how a Russian missile tore through their "
                 "block on Friday.", "Sloviansk", id="tore-through"),
])
def test_weapons_fired_into_a_town_and_a_missile_that_tore_through_hit_it(title: str, text: str, place: str) -> None:
    main = _main(title, text)
    assert (main.settlement, main.attacker) == (place, "RU")


def test_a_ship_that_hit_a_mine_or_a_blast_inside_a_gift_is_no_strike() -> None:
    assert _extract("Ukraine says cargo ship hit mine in Black Sea, wounding 2") == []
    assert _extract("Officer dies in Kyiv blast", "A charge went off inside one of his birthday presents, "
                    "killing him at home, officials said.") == []


def test_a_vague_time_in_a_comparison_or_of_another_event_leaves_the_publication_day() -> None:
    compared = _main("Missiles hit Kyiv", "It was one of the deadliest attacks on Kyiv since the strikes of last week.")
    other = _main("Russian missiles hit Kyiv", "The attack came after Moscow left Kherson last week.")
    assert compared.date == other.date == date(2023, 5, 9)


@pytest.mark.parametrize("title", ["Ukraine came under renewed attack from Russian drones early on Monday",
                                   "Ukraine hit by dozens of Russian missiles overnight"])
def test_the_country_as_the_struck_subject_is_a_country_report(title: str) -> None:
    main = _main(title)
    assert (main.country, main.precision, main.attacker) == ("UA", "country", "RU")
    # a place near the country is no country hit
    assert all(r.country == "RU" for r in _extract("Russian airfield near Ukraine hit by drones, Moscow says"))


def test_missiles_knocking_out_a_citys_water_hit_the_city() -> None:
    assert _main("Russian missiles bring new misery to Kyiv, knocking out tap water").settlement == "Kyiv"


def test_for_months_after_a_superlative_is_a_comparison_not_a_habit() -> None:
    main = _main("Russia tries a rare missile", "The overnight attack showered Ukraine with missiles, in one of "
                 "Moscow's biggest aerial assaults for months.")
    assert (main.country, main.precision, main.attacker) == ("UA", "country", "RU")
    assert _extract("Kharkiv has been shelled for months, residents say") == []


@pytest.mark.parametrize(("title", "text"), [
    ("Russia claims Ukraine tried to kill Putin in a drone strike on the Kremlin", ""),
    ("Zelensky: 'We do not attack Moscow'", "Russia said Ukraine had attempted a drone strike on the Kremlin."),
])
def test_one_side_saying_the_other_struck_names_the_other_as_its_claim(title: str, text: str) -> None:
    main = _main(title, text)
    assert (main.settlement, main.attacker, main.attribution) == ("Moscow", "UA", "claimed by RU")


def test_a_drone_exploding_above_the_kremlin_is_over_moscow() -> None:
    assert _main("Video shows a drone exploding above the Kremlin").settlement == "Moscow"


def test_a_district_of_a_city_region_is_the_city() -> None:
    main = _main("Kyiv's Darnytsia district hit by Russian missiles")
    assert (main.settlement, main.admin1, main.precision) == ("Kyiv", "Kyiv City", "settlement")


def test_the_countrys_south_hit_is_a_country_report_and_an_energy_grid_is_an_energy_target() -> None:
    south = _main("Ukraine's south hit by a wave of Russian drones")
    grid = _main("Russia launches a fresh missile barrage at Ukraine's energy grid")
    assert (south.precision, south.attacker) == ("country", "RU") and "energy" in grid.targets
    # fighting in the country's east is no strike there
    assert all(r.country == "RU" for r in _extract("Russia says it downed 36 Ukrainian drones over Bryansk as "
                                                   "fighting grinds on in Ukraine's east"))


@pytest.mark.parametrize(("title", "attacker", "attribution"), [
    pytest.param("Enemy launches missile attack on Zaporizhzhia, infrastructure facility hit", "RU", None,
                 id="headline-enemy"),
    pytest.param("Kiev regime attempts to attack Crimea with 10 UAVs - MoD", "UA", "claimed by RU",
                 id="kiev-regime-attempts"),
    pytest.param("Ukrainian Armed Forces shell Donetsk, three civilians injured - DPR", "UA", "claimed by RU",
                 id="separatist-source-tag"),
])
def test_official_english_of_either_side_names_the_attacker_and_the_voice(title: str, attacker: str,
                                                                           attribution: str | None) -> None:
    main = _main(title)
    assert (main.attacker, main.attribution) == (attacker, attribution)


def test_mortars_fired_at_border_communities_are_a_strike() -> None:
    main = _main("In Sumy region, enemy fired mortars at border communities")
    assert (main.admin1, main.attacker, main.weapons) == ("Sumy Oblast", "RU", ("artillery",))


@pytest.mark.parametrize(("title", "targets"), [
    pytest.param("Russia bombards the port city of Odesa", (), id="port-city-of"),
    pytest.param("Russia bombards Ukrainian grain port Odesa", (), id="port-before-the-name"),
    pytest.param("Russia strikes the industrial city of Zaporizhzhia", (), id="industrial-city"),
    pytest.param("Russian missiles hit the port of Odesa", ("port",), id="the-port-itself"),
])
def test_a_citys_descriptor_is_no_target(title: str, targets: tuple[str, ...]) -> None:
    assert _main(title).targets == targets


def test_bombs_as_a_verb_names_no_weapon() -> None:
    assert _main("Moscow bombs Odesa after Ukraine sinks a Russian warship").weapons == ("unknown",)
    assert _main("Russian bombs hit Kharkiv overnight").weapons == ("aerial_bomb",)


@pytest.mark.parametrize("title", ["Russia launched a large and complex air attack on Ukraine",
                                   "Russia launches massive air attack on Ukraine overnight"])
def test_a_large_air_attack_on_the_country_in_a_headline_is_the_days_event(title: str) -> None:
    main = _main(title)
    assert (main.country, main.precision, main.attacker) == ("UA", "country", "RU")


@pytest.mark.parametrize("title", ["Russia could launch more heavy strikes on Ukraine, Zelensky warns",
                                   "Putin says no more massive strikes on Ukraine for now",
                                   "Russian bank hit by a massive DDoS attack"])
def test_a_possible_or_denied_barrage_and_a_ddos_attack_are_no_strike(title: str) -> None:
    assert _extract(title) == []


def test_drones_on_a_neighbours_territory_and_a_bylines_names_are_no_town() -> None:
    spill = _main("Ukraine says Russian drones crashed on Romanian territory overnight")
    column = _main("The Russian missile blast stirs fear in Poland | Anna Nowak and Jarosław Lis")
    assert (spill.country, spill.attacker) == ("RO", "RU")
    assert (column.country, column.settlement) == ("PL", None)


@pytest.mark.parametrize("title", ["Russian missile hits a postal depot in Kharkiv, killing six",
                                   "Russian strike hits a petrol station in Dnipro",
                                   "Drone hits a cinema in Chernihiv"])
def test_postal_depots_petrol_stations_and_cinemas_are_other_civilian_targets(title: str) -> None:
    assert _main(title).targets == ("other_civilian",)


def test_a_region_headline_is_placed_at_the_one_town_of_that_region_its_lead_names() -> None:
    main = _main("Fuel tanks ablaze in Crimea after drone strike",
                 "A large fire broke out at a fuel depot in Sevastopol, the city's Russian-installed head said.")
    assert (main.settlement, main.admin1) == ("Sevastopol", "Sevastopol City")
    # a town that only lends its name to the region it stands for stays the region
    region = _main("Drones downed over Russia's Kaluga region, Moscow says",
                   "Kaluga lies south-west of the Moscow region.")
    assert (region.settlement, region.admin1) == (None, "Kaluga Oblast")


def test_a_consequence_headline_places_an_attack_whose_side_only_guessed_the_country() -> None:
    main = _main("Crimea oil depot burns after suspected Ukrainian drone attack")
    assert (main.country, main.admin1, main.attacker) == ("UA", "Crimea", "UA")
    # the country named outright stays the country
    named = _main("Kharkiv left without power after new wave of Russian missile strikes across the country")
    assert (named.country, named.settlement) == ("UA", None)


@pytest.mark.parametrize("title", ["Russia launches massive strike hitting apartment block in Ukraine",
                                   "Russia fires barrage of missiles at targets in Ukraine"])
def test_headline_present_tense_of_a_launch_names_the_country_hit(title: str) -> None:
    main = _main(title)
    assert (main.country, main.precision, main.attacker) == ("UA", "country", "RU")


def test_a_placeless_headline_whose_weapon_hit_a_named_kind_of_target_is_a_country_report() -> None:
    main = _main("Ukrainian drone strike hits oil refinery far behind the front",
                 "Officials gave no location for the facility.")
    assert (main.country, main.precision, main.attacker, main.targets) == ("RU", "country", "UA", ("energy",))


@pytest.mark.parametrize("title", ["Russia fires anti-ship missiles at a mock target in the Sea of Japan",
                                   "Russia launches drills of its nuclear missile forces",
                                   "Russian warships fire cruise missiles during a training exercise"])
def test_drills_and_exercises_are_no_strike(title: str) -> None:
    assert _extract(title) == []


def test_the_crimean_peninsula_is_crimea() -> None:
    main = _main("Missiles hit a bridge far behind the front",
                 "The strike damaged a road bridge on the Russian-occupied Crimean Peninsula.")
    assert (main.country, main.admin1) == ("UA", "Crimea")


def test_a_toll_told_before_its_cause_in_an_after_clause_is_the_strikes_toll() -> None:
    main = _main("Rescuers search the rubble",
                 "At least 14 died after a Russian missile struck a nine-storey apartment building on Saturday.")
    assert (main.country, main.precision, main.attacker) == ("UA", "country", "RU")
    assert main.killed == Casualty(14, "at_least") and main.targets == ("apartment_building",)


def test_a_placeless_headline_attack_takes_the_lead_toll_and_the_one_place_whose_officials_speak() -> None:
    main = _main("Air defence downs 60 drones in the largest attack on the capital",
                 "Kyiv's city administration said four people were injured, including a teenager.")
    assert (main.settlement, main.injured) == ("Kyiv", Casualty(4, "exact"))
    # an official of one country telling of a death in the other does not place it
    other = _main("Deputy commander killed in a drone attack in Ukraine",
                  "The governor of Russia's Voronezh region said the officer died in eastern Ukraine.")
    assert other.country == "UA" and other.admin1 is None


@pytest.mark.parametrize("title", ["Drones hit glitzy Moscow buildings overnight",
                                   "Drone again hits a Moscow skyscraper housing ministries"])
def test_a_capital_named_before_a_building_noun_is_the_place_hit(title: str) -> None:
    main = _main(title)
    assert (main.country, main.settlement) == ("RU", "Moscow")


def test_a_foreign_towns_name_before_an_east_slavic_surname_is_a_first_name() -> None:
    reports = _extract("Drone operator Yaroslav Petrenko films a strike",
                       "Yaroslav Petrenko and his crew hit a Russian tank with an attack drone on Monday.")
    assert all(r.country != "PL" for r in reports)


def test_a_past_when_clause_is_still_the_strike() -> None:
    main = _main("Scores feared dead in Mykolaiv",
                 "Up to 200 soldiers were in the Mykolaiv barracks when missiles hit.")
    assert main.settlement == "Mykolaiv"


@pytest.mark.parametrize("title, text", [
    ("Dozens of animals die at a Crimean zoo", "The animals in Sevastopol were killed by storm damage, local TV said."),
    ("Soldier kills his commander", "The sergeant killed the lieutenant in Kherson with his assault rifle on Monday."),
    ("Kyiv accused of poisoning officials",
     "Moscow says Kyiv used toxic chemicals in attacks on officials in Melitopol."),
    ("Strange light over Kyiv", "A flash lit the sky above Kyiv, a city accustomed to Russian missile attacks."),
    ("Iran supplied Russia with drones, study finds",
     "Iran supplied Russia with modified drones to damage Ukraine's energy grid, researchers found."),
    ("Iranian instructors in Crimea training Russians on drone strikes", ""),
    ("What we know about the drones", "Russia has used the drones to strike cities across Ukraine."),
    ("Kharkiv opens an underground school",
     "Pupils in Kharkiv study safely underground during Russian attacks, the city's mayor says."),
    ("Air defence systems erected on Moscow rooftops", ""),
    ("Air raid sirens sound across Kyiv", "Residents went to shelters as the air raid alert lasted two hours."),
    ("The last residents of Avdiivka live under continual bombardment", ""),
    ("A family in Moscow bombarded with messages after a crime", "Relatives were bombarded with questions online."),
    ("Rights group urges an end to cluster bombs",
     "The group called on Russia and Ukraine to stop using cluster bombs in Kharkiv and Donetsk."),
    ("What are cluster bombs and why are they sent to Ukraine?", ""),
    ("UN envoy speaks", "She called on Moscow to cease attacking grain facilities in Odesa."),
    ("Moscow condemns the delivery of long-range ballistic missiles to Kyiv", ""),
])
def test_storms_shootings_poisonings_habits_circumstances_supply_and_training_are_no_strike(title: str,
                                                                                           text: str) -> None:
    assert _extract(title, text) == []


def test_a_rifle_brigade_is_a_unit_not_a_shooting() -> None:
    main = _main("Ukraine hits Russian brigade", "Ukrainian artillery struck a motorised rifle brigade near Bakhmut.")
    assert main.settlement == "Bakhmut"


@pytest.mark.parametrize("title", ["Russian strikes cause blackouts as Kyiv's troops advance",
                                   "Russian strikes cut power supply to thousands",
                                   "Russia strikes multiple Ukrainian cities on Putin's birthday"])
def test_a_placeless_headline_telling_what_strikes_did_is_the_days_event(title: str) -> None:
    main = _main(title)
    assert (main.country, main.precision, main.attacker) == ("UA", "country", "RU")


@pytest.mark.parametrize("title", ["Russia mounts major attack on key city in the east",
                                   "Ukraine's biggest mobile operator suffers massive hacker attack"])
def test_a_major_attack_without_a_deed_stays_no_report(title: str) -> None:
    assert _extract(title) == []


def test_a_region_headline_is_placed_at_the_city_whose_official_the_lead_quotes() -> None:
    main = _main("Drone attack on Crimea foiled, Russia says",
                 "A man was hurt by falling debris, the Russian-installed head of Sevastopol said.")
    assert (main.settlement, main.admin1) == ("Sevastopol", "Sevastopol City")


def test_a_missile_that_hits_belarus_is_a_spill_over_but_a_launch_from_belarus_is_not() -> None:
    spill = _main("Ukrainian missile hits Belarus, Minsk says")
    launch = _main("Russian missiles launched from Belarus hit Kyiv")
    assert (spill.country, spill.attacker) == ("BY", "UA")
    assert (launch.country, launch.settlement) == ("UA", "Kyiv")


@pytest.mark.parametrize("text", ["Ukrainian marines staged raids across the Dnipro overnight.",
                                  "Russian shelling hit positions on the east bank of the Dnipro.",
                                  "Troops crossed the Dnipro River under Russian shelling."])
def test_a_river_named_like_a_city_is_no_strike_on_the_city(text: str) -> None:
    assert all(r.settlement != "Dnipro" for r in _extract("Fighting on the river", text))

