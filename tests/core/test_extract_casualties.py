"""Casualty figure rules and text cleaning, on sentences written for these tests."""

from __future__ import annotations

from streams.core.extract.casualties import figures
from streams.core.extract.text import clean
from streams.core.models import Casualty


def _figs(text: str) -> list[tuple[str, Casualty]]:
    return [(f.kind, f.casualty) for f in figures(text)]


def test_injured_with_an_including_aside() -> None:
    assert _figs("Another 40 people, including 6 children, were injured.") == [("injured", Casualty(40, "exact"))]


def test_injuries_as_a_noun() -> None:
    assert _figs("The blast caused injuries to at least 12 people.") == [("injured", Casualty(12, "at_least"))]
    assert _figs("Nine missiles hit the port, resulting in 9 reported injuries.") == [("injured", Casualty(9, "exact"))]


def test_left_people_injured_is_not_killed() -> None:
    assert _figs("The drone attack left 5 people injured.") == [("injured", Casualty(5, "exact"))]
    assert _figs("Shelling killed 4 people and left 11 people homeless.") == [("killed", Casualty(4, "exact"))]
    assert _figs("The strike left 3 people dead.") == [("killed", Casualty(3, "exact"))]


def test_glued_page_label_is_split_from_the_lead() -> None:
    cleaned = clean("UpdateAt least two people were killed in Sumy.")
    assert cleaned.startswith("Update At least two")
    assert _figs(cleaned) == [("killed", Casualty(2, "at_least"))]
    assert clean("YouTube and McDonald stay whole") == "YouTube and McDonald stay whole"


def test_total_with_an_unpunctuated_including_clause_is_the_figure() -> None:
    from streams.core.extract import casualties as cas

    figs = cas.figures("Officials said 23 people including six children had been killed in Uman")
    assert [(f.kind, f.casualty.value) for f in figs] == [("killed", 23)]
    figs = cas.figures("34 people including three children were wounded in Lviv")
    assert [(f.kind, f.casualty.value) for f in figs] == [("injured", 34)]


def test_there_are_dead_is_one_vague_death_and_deaths_plural_stays_two() -> None:
    found = [(f.kind, f.casualty.value, f.casualty.qualifier) for f in figures("Shells hit the market, there are dead")]
    assert found == [("killed", 1, "vague")]
    found = [(f.kind, f.casualty.value) for f in figures("The school was hit and there were deaths")]
    assert found == [("killed", 2)]


def test_military_loss_claims_are_not_strike_tolls() -> None:
    for clause in (
        "The enemy brigade lost up to 80 soldiers killed and wounded near the river",
        "Kyiv's forces lost 2,500 killed on the southern front",
        "Artillery killed about 40 servicemen of a Ukrainian battalion in the Lyman direction",
        "Daily losses of the defenders amounted to 70 people killed and wounded",
    ):
        assert [f for f in figures(clause) if f.kind == "killed"] == [], clause
    # soldiers killed in a strike on a place still count
    assert [f.casualty.value for f in figures("Three soldiers were killed when a missile hit the depot")] == [3]


def test_an_age_written_in_words_is_one_person() -> None:
    assert _figs("A three-year-old killed in missile strikes on the city.") == [("killed", Casualty(1, "exact"))]
    assert _figs("A twenty-one-year-old was wounded.") == [("injured", Casualty(1, "exact"))]


def test_a_qualifier_bounds_a_counted_word_as_it_bounds_a_number() -> None:
    assert _figs("Strikes on the city killed at least a dozen people.") == [("killed", Casualty(12, "at_least"))]
    assert _figs("More than a dozen people were injured.") == [("injured", Casualty(12, "more_than"))]
    assert _figs("The shelling wounded two dozen residents.") == [("injured", Casualty(24, "about"))]
    assert _figs("Half a dozen people were killed.") == [("killed", Casualty(6, "about"))]


def test_strikes_claim_lives_counts_the_dead_but_a_claim_of_other_things_does_not() -> None:
    assert _figs("Overnight missile strikes claim at least a dozen lives.") == [("killed", Casualty(12, "at_least"))]
    assert _figs("Drone strikes claim 7 lives in the south.") == [("killed", Casualty(7, "exact"))]
    assert _figs("Moscow claims dozens of drones were shot down.") == []
    assert _figs("Kyiv claims several villages back.") == []


def test_an_exact_count_beats_a_rounded_count_of_the_same_toll() -> None:
    from streams.core.extract.casualties import better
    rounded, exact = Casualty(12, "about"), Casualty(11, "exact")
    assert better(rounded, exact, False, False) and not better(exact, rounded, False, False)
    # a rounded count well above the exact one is a larger (later) toll
    assert better(exact, Casualty(40, "about"), False, False)


def test_what_a_strike_leaves_is_a_casualty_only_when_the_word_says_so() -> None:
    assert _figs("The barrage leaves dozens dead.") == [("killed", Casualty(24, "vague"))]
    assert _figs("The barrage left dozens of families homeless.") == []
    assert _figs("The strike wounds over 2 dozen more.") == [("injured", Casualty(24, "more_than"))]


def test_a_death_noun_with_its_count_is_a_toll() -> None:
    assert _figs("The army was shaken by the killing of at least 19 soldiers in a missile strike.") == [
        ("killed", Casualty(19, "at_least"))]
    assert _figs("The strike led to the deaths of 7 civilians.") == [("killed", Casualty(7, "exact"))]


def test_plural_civilians_as_the_object_of_a_finite_verb_are_at_least_two() -> None:
    assert _figs("Russian shelling kills civilians in the east.") == [("killed", Casualty(2, "vague"))]
    assert _figs("Drones able to reach cities and killing civilians, critics say.") == []
