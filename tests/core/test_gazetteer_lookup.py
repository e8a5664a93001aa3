"""The compact gazetteer artefact: load time, press forms, homonyms, regeneration."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

from streams.core.extract import build_gazetteer, gazetteer
from streams.core.extract.core import _PlaceFinder


def test_loads_within_a_second() -> None:
    gazetteer.get.cache_clear()
    start = time.perf_counter()
    gazetteer.get()
    assert time.perf_counter() - start < 1.0


def test_press_forms_resolve_to_current_names() -> None:
    gaz = gazetteer.get()
    for form, name in [("Kharkov", "Kharkiv"), ("Odessa", "Odesa"), ("Nikolaev", "Mykolaiv"),
                       ("Dnepropetrovsk", "Dnipro"), ("Artemivsk", "Bakhmut"), ("Kostyantynivka", "Kostiantynivka")]:
        assert gaz.settlement_candidates(form)[0].name == name, form
    region = gaz.admin1("Kharkivska oblast")
    assert region is not None and region.admin1 == "Kharkiv Oblast"
    assert gaz.admin1("Kharkiv region") == region
    crimea = gaz.admin1("Crimea")
    assert crimea is not None and crimea.country == "UA"


def test_homonyms_follow_context() -> None:
    gaz = gazetteer.get()
    ua = _PlaceFinder(gaz, "Shelling in Donetsk region hit Pokrovsk.").find("Shelling hit Pokrovsk.")[0][0]
    assert ua.country == "UA" and ua.admin1 == "Donetsk Oblast"
    ru = _PlaceFinder(gaz, "The Belgorod governor said Krasnoye was shelled.").find("Krasnoye was shelled.")[0][0]
    assert ru.country == "RU" and ru.admin1 == "Belgorod Oblast"


def test_builder_is_deterministic(tmp_path: Path) -> None:
    out = build_gazetteer.write(tmp_path / "g.json.gz")
    assert out.read_bytes() == gazetteer.GAZETTEER_PATH.read_bytes()
    data = json.loads(gzip.decompress(out.read_bytes()))
    assert {"UA", "RU", "BY", "MD", "PL", "RO"} <= set(data["countries"])
