"""Data integrity of streams/core/dedup_data.json: the weapon families and target rarity the matcher
weighs cover exactly the schema's weapon and target vocabularies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from streams.core import dedup

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dedup.DATA_FILE.read_text(encoding="utf-8"))
    return data


def enum(name: str) -> set[str]:
    defs = json.loads((SCHEMAS / "common.schema.json").read_text(encoding="utf-8"))["$defs"]
    return set(defs[name]["enum"])


def entries(section: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in section.items() if not k.startswith("_")}


def test_the_file_is_well_formed() -> None:
    assert dedup.validate_dedup_data(load()) == []


def test_the_weapons_and_targets_are_exactly_the_schema_enums() -> None:
    data = load()
    assert set(entries(data["weapon_families"])) == enum("weapon")
    assert set(entries(data["target_rarity"])) == enum("target")


def test_every_section_says_why() -> None:
    data = load()
    assert data["weapon_families"]["_why"] and data["target_rarity"]["_why"]
    assert data["home_attacker_misread"]["_why"]


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ([], "not an object"),
        ({"weapon_families": {"drone": "uav"}, "target_rarity": {"mall": "rare"}}, "list of names"),
        ({"weapon_families": {"drone": ["uav"]}, "target_rarity": {"mall": "unique"}}, "is not one of"),
        ({"target_rarity": {"mall": "rare"}}, "weapon_families"),
        ({"weapon_families": {"drone": ["uav"]}, "target_rarity": {"mall": "rare"},
          "home_attacker_misread": {"Russia": "accidents"}}, "two-letter country code"),
        ({"weapon_families": {"drone": ["uav"]}, "target_rarity": {"mall": "rare"},
          "home_attacker_misread": ["RU"]}, "object of country codes"),
    ],
)
def test_the_validator_names_what_is_wrong(bad: Any, problem: str) -> None:
    assert any(problem in p for p in dedup.validate_dedup_data(bad))


def test_the_matcher_reads_the_file() -> None:
    assert dedup._families(["shahed", "rocket"]) == frozenset({"uav", "missile", "artillery"})
    vocabulary = dedup._vocabulary()
    assert vocabulary.generic_targets == frozenset({"residential", "other_civilian", "city_centre"})
    assert "mall" not in vocabulary.common_targets and "energy" in vocabulary.common_targets
    assert vocabulary.home_misread == frozenset({"RU"})
