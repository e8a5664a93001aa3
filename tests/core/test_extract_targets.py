"""Target kinds of extract() and the targets vocabulary, on sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.core.extract import extract, vocab
from streams.core.models import Article

_WHEN = datetime(2023, 9, 12, 7, 30, tzinfo=UTC)


def _targets(title: str | None, text: str) -> set[str]:
    art = Article(id="t1", url="https://example.org/t", title=title, text=text, outlet="Test", published_at=_WHEN)
    reports = extract(art)
    assert reports, "no report"
    return set(reports[0].targets)


def _classes(phrase: str) -> set[str]:
    return {c for _s, _e, rule in vocab.load("targets").find(phrase) for c in rule.classes}


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("residential and administrative buildings", {"residential", "government"}),
        ("residential and infrastructure facilities", {"residential"}),
        ("educational and medical facilities", {"school_university", "hospital"}),
        ("medical and educational institutions", {"hospital", "school_university"}),
        ("energy and port infrastructure", {"energy", "port"}),
        ("residential or commercial premises", {"residential"}),
    ],
)
def test_a_modifier_coordinated_before_one_head_is_a_target_of_its_own(phrase: str, expected: set[str]) -> None:
    assert _classes(phrase) == expected


def test_a_lone_adjective_with_no_head_is_no_target() -> None:
    assert _classes("a residential street was quiet and the educational reform stalled") == set()


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("a thermal power plant", {"energy"}),
        ("the nuclear power plant", {"energy"}),
        ("a hydroelectric power station", {"energy"}),
        ("a combined heat and power plant", {"energy"}),
        ("the Burshtyn TPP", {"energy"}),
        ("a multi-apartment building", {"apartment_building"}),
        ("a nine-storey block", {"apartment_building"}),
        ("13 residential houses", {"house"}),
        ("a grain elevator", {"industrial"}),
        ("a printing house", {"industrial"}),
        ("the city's TV tower", {"other_civilian"}),
    ],
)
def test_compound_names_of_facilities_keep_one_kind(phrase: str, expected: set[str]) -> None:
    """A power plant is energy as a whole (not also an industrial 'plant'); a numbered-storey block is an
    apartment building; 'residential houses' are houses."""
    assert _classes(phrase) == expected


@pytest.mark.parametrize(
    "clause",
    [
        "a woman wounded in the attack later died in hospital",
        "five people were taken to hospital with shrapnel wounds",
        "two children remain in a regional children's hospital",
        "the injured were rushed to the city's main clinic",
    ],
)
def test_the_hospital_where_the_wounded_are_treated_is_no_target(clause: str) -> None:
    assert "hospital" not in _classes(clause)


def test_a_hospital_that_was_hit_stays_a_target() -> None:
    assert _targets(None, "A Russian missile hit a hospital in Dnipro, injuring 12 people, the governor said.") == {
        "hospital"}
    assert _targets(None, "Drones struck Kherson overnight, damaging the regional hospital; two nurses were taken "
                          "to hospital.") == {"hospital"}


def test_toll_with_people_in_hospital_adds_no_hospital_target() -> None:
    assert "hospital" not in _targets(
        "Russian shelling kills three in Kherson",
        "Russian shelling killed three people in Kherson on Tuesday morning; four more were taken to hospital, "
        "the regional governor said.")


def test_a_parade_the_strike_came_ahead_of_is_a_time_not_a_target() -> None:
    assert _classes("the president spoke ahead of a scaled-down military parade") == set()
    assert _classes("the missile struck soldiers gathered for a medal ceremony") == {"military"}


def test_coordinated_targets_in_an_official_style_report() -> None:
    got = _targets(
        "Russian troops shell Nikopol",
        "The enemy shelled Nikopol with heavy artillery overnight. Residential and administrative buildings, a "
        "power line and a gas pipeline were damaged, the head of the regional military administration said.")
    assert got == {"residential", "government", "energy"}


def test_the_validator_rejects_a_context_that_does_not_end_at_the_match() -> None:
    data = {"vocabulary": list(vocab.TARGETS),
            "patterns": [{"pattern": "hospitals?", "classes": ["hospital"], "not_after": "died in "}]}
    assert any("not_after" in p for p in vocab.validate("targets", data))
    data["patterns"][0]["not_after"] = r"\bdied in\s+$"
    assert vocab.validate("targets", data) == []


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("drones hit the Black Sea port of Odesa", set()),
        ("shelling of the Danube port of Izmail", set()),
        ("a strike on Russia's southern port of Novorossiysk", set()),
        ("drones hit the port of Izmail", {"port"}),
        ("Russian missiles damaged port infrastructure in Odesa", {"port"}),
        ("a missile hit a central hotel", {"city_centre", "hotel"}),
        ("Kyiv played a central role in the talks", set()),
        ("the strike on a central Ukrainian city", set()),
    ],
)
def test_a_city_descriptor_is_no_target_but_the_named_facility_is(phrase: str, expected: set[str]) -> None:
    assert _classes(phrase) == expected


@pytest.mark.parametrize(
    "clause",
    ["hundreds of residents fled their homes as the shelling intensified",
     "people were told to stay in their homes during the attack",
     "families returning to their homes after the strike"],
)
def test_homes_people_leave_or_stay_in_are_no_target(clause: str) -> None:
    assert "residential" not in _classes(clause)


def test_homes_that_were_hit_stay_a_target() -> None:
    assert _classes("the missiles damaged homes and a school") == {"residential", "school_university"}


def test_the_historic_centre_is_the_city_centre() -> None:
    assert _targets("Russian strike hits Odesa cathedral",
                    "Russian missiles struck Odesa overnight, damaging the Transfiguration Cathedral in the historic "
                    "centre.") == {"church", "city_centre"}


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("the shelling hit the central market", {"shop_market"}),
        ("a crowded market was struck", {"shop_market"}),
        ("the strike rattled the stock market", set()),
        ("the best drone jammer on the market", set()),
        ("the missile hit a passenger train", {"rail"}),
        ("the allies plan to train Ukrainian pilots", set()),
        ("sea drones damaged a Russian ship", {"military"}),
        ("Iran will ship more drones to Russia", set()),
        ("the minister told the House of Commons", set()),
        ("the house was destroyed by a drone", {"house"}),
    ],
)
def test_words_in_another_sense_are_no_target(phrase: str, expected: set[str]) -> None:
    """The economy's market, 'train' and 'ship' as verbs and a chamber of parliament are no targets."""
    assert _classes(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("the ministry said it struck temporary deployment points of Ukrainian units", {"military"}),
        ("strikes on concentrations of manpower and equipment", {"military"}),
        ("a HIMARS launcher and a radar station were destroyed", {"military"}),
        ("a drone hit the military enlistment office", {"military"}),
        ("the missile struck the headquarters of the 47th brigade", {"military"}),
        ("a fuel and lubricants depot caught fire", {"energy"}),
        ("debris damaged high-voltage lines and a gas processing plant", {"energy"}),
        ("the strike toppled a telecom tower", {"other_civilian"}),
    ],
)
def test_targets_in_the_words_of_military_statements(phrase: str, expected: set[str]) -> None:
    """One side's claimed targets are kept: the wording of defence ministries and general staffs."""
    assert _classes(phrase) == expected


def test_air_defence_that_shoots_down_drones_is_no_target() -> None:
    assert _classes("air defence systems shot down 20 drones over the region") == set()
