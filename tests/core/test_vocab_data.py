"""Data integrity of the vocabulary and place files in streams/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.core.extract import vocab

DATA = Path(__file__).resolve().parents[2] / "streams" / "data"


@pytest.mark.parametrize("name", ["weapons", "targets", "attackers"])
def test_vocabulary_file_is_well_formed(name: str) -> None:
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    assert vocab.validate(name, data) == []
    assert set(data["vocabulary"]) == set(vocab.SPEC_VOCABULARIES[name])
    vocab.load(name)  # compiles


def test_validator_rejects_bad_classes_and_regexes() -> None:
    bad = {"vocabulary": list(vocab.WEAPONS), "patterns": [{"pattern": "(", "classes": ["laser"]}]}
    problems = vocab.validate("weapons", bad)
    assert any("bad regex" in p for p in problems)
    assert any("outside the spec" in p for p in problems)
    assert vocab.validate("weapons", {"vocabulary": [], "patterns": []})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a Shahed drone", {"shahed", "drone"}),
        ("Kh-101 cruise missiles", {"cruise_missile", "missile"}),
        ("Kindzhal", {"hypersonic_missile", "missile"}),
        ("an Iskander", {"missile"}),
        ("glide bombs", {"glide_bomb"}),
        ("Grad rockets", {"mlrs", "rocket"}),
        ("cluster munitions", {"cluster_munition"}),
    ],
)
def test_weapon_patterns(text: str, expected: set[str]) -> None:
    found = {c for _, _, rule in vocab.load("weapons").find(text) for c in rule.classes}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a pizzeria", "cafe_restaurant"),
        ("the ice rink", "sports_venue"),
        ("a cathedral", "church"),
        ("an apartment block", "apartment_building"),
        ("a clinic", "hospital"),
        ("the central square", "city_centre"),
    ],
)
def test_target_patterns(text: str, expected: str) -> None:
    found = {c for _, _, rule in vocab.load("targets").find(text) for c in rule.classes}
    assert expected in found


def test_place_aliases_file() -> None:
    data = json.loads((DATA / "place_aliases.json").read_text(encoding="utf-8"))
    for form, entry in data["settlements"].items():
        canonical, cc = entry[0], entry[1]
        assert form and canonical and len(cc) == 2 and len(entry) in (2, 3)
        if len(entry) == 3:  # a GeoNames admin1 code of that country's table
            assert entry[2] in data["admin1"][cc]
    for cc, table in data["admin1"].items():
        assert len(cc) == 2
        for code, entry in table.items():
            assert code.isdigit() and entry["name"] and entry["iso"].startswith(cc + "-")


def test_the_longest_rule_wins_at_the_same_start() -> None:
    from streams.core.extract import vocab

    found = vocab.load("targets").find("missiles hit the central Cathedral Square of the city")
    classes = {c for _, _, rule in found for c in rule.classes}
    assert "city_centre" in classes and "church" not in classes


def test_named_mlrs_rockets_are_also_rockets_and_vilkha_is_mlrs() -> None:
    from streams.core.extract import vocab

    def classes(text: str) -> set[str]:
        return {c for _, _, rule in vocab.load("weapons").find(text) for c in rule.classes}

    assert classes("Grad rockets hit Kherson") == {"mlrs", "rocket"}
    assert classes("a Vilkha strike") == {"mlrs"}
    assert classes("a Grad launcher") == {"mlrs"}


def test_language_file_is_well_formed() -> None:
    from streams.core.extract import lang

    data = json.loads((DATA / "lang" / "en.json").read_text(encoding="utf-8"))
    assert lang.validate(data) == []
    assert lang.load("en").non_strike_frames


def test_language_validator_rejects_bad_frames() -> None:
    from streams.core.extract import lang

    bad = {"language": "en", "non_strike_frames": [
        {"name": "a", "why": "x", "pattern": "(", "scope": "clause"},
        {"name": "a", "why": "x", "pattern": "(b)", "scope": "everywhere"},
        {"name": "c", "pattern": "d"},
        {"name": "e", "why": "x", "pattern": "f", "scope": "clause", "not_after": "(g)"},
    ]}
    problems = lang.validate(bad)
    assert any("bad regex" in p for p in problems)
    assert any("duplicate name" in p for p in problems)
    assert any("capturing groups" in p for p in problems)
    assert any("scope must be" in p for p in problems)
    assert any("needs name, why, pattern and scope" in p for p in problems)
    assert any("not_after must be" in p for p in problems)


def test_occupied_places_are_gazetteer_names() -> None:
    from streams.core.extract import gazetteer as gz

    data = json.loads((DATA / "occupied.json").read_text(encoding="utf-8"))
    gaz = gz.get()
    for name in data["admin1"]:
        assert gaz.admin1(name) is not None, name
    missing = [n for n in data["settlements"]
               if not any(p.name == n and p.country == "UA" for p in gaz.settlement_candidates(n))]
    assert not missing, f"not the gazetteer's current names: {missing}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a mansion was hit", {"house"}),
        ("shelling hit several cars carrying volunteers", {"other_civilian"}),
        ("cars on fire near the square", set()),
        ("a strike damaged a Russian warship", {"military"}),
        ("at least 20 soldiers were killed", {"military"}),
        ("two drones crashed into the Kremlin", {"government"}),
        ("a Kremlin spokesman said", set()),
        ("a drone hit a grain store", {"industrial"}),
    ],
)
def test_target_phrases(text: str, expected: set[str]) -> None:
    found = {c for _s, _e, rule in vocab.load("targets").find(text) for c in rule.classes}
    assert found == expected


def test_facilities_name_gazetteer_settlements() -> None:
    import re

    from streams.core.extract import gazetteer as gz

    data = json.loads((DATA / "place_aliases.json").read_text(encoding="utf-8"))
    assert data["facilities"]
    for entry in data["facilities"]:
        re.compile(entry["pattern"])
        assert any(p.name == entry["settlement"] and p.country == entry["country"]
                   for p in gz.get().settlement_candidates(entry["settlement"])), entry


def test_language_word_lists_are_validated() -> None:
    from streams.core.extract import lang

    data = json.loads((DATA / "lang" / "en.json").read_text(encoding="utf-8"))
    assert lang.validate({**data, "strike_cues": []})
    assert any("bad regex" in p for p in lang.validate({**data, "attack_words": ["("]}))
    assert lang.load("en").strike_cue.search("a drone struck") and not lang.load("en").attack_word.search("a quiet day")


def test_language_word_tables_are_validated() -> None:
    from streams.core.extract import lang

    data = json.loads((DATA / "lang" / "en.json").read_text(encoding="utf-8"))
    words = data["words"]
    assert lang.validate({**data, "words": {**words, "months": {**words["months"], "smarch": 13}}})
    assert lang.validate({**data, "words": {**words, "time_of_day": {"night": ["overnight"]}}})
    assert lang.validate({**data, "words": {**words, "casualty_qualifiers": {"at least": "loads"}}})
    assert lang.validate({**data, "words": {**words, "vague_quantities": {"dozens": [0, "vague"]}}})
    assert lang.validate({**data, "words": {**words, "named_days": {"victory day": [5, 32]}}})
    assert lang.validate({**data, "words": {**words, "named_days": {"(victory) day": [5, 9]}}})
    assert lang.validate({**data, "words": {**words, "month_only_before": []}})
    # the tables reach the date and casualty rules
    loaded = lang.load("en").words
    assert loaded.months["sept"] == 9 and loaded.relative_days["yesterday"] == 1
    assert dict(loaded.time_of_day)["night"][0] == "overnight"
    assert ("victory day", 5, 9) in loaded.named_days and "in" in loaded.month_only_before
