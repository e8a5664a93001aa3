"""The compact gazetteer artefact: load time, press forms, homonyms, regeneration."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

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


def test_name_span_covers_every_name_a_lookup_finds() -> None:
    gaz = gazetteer.get()
    for surface in ["Kyiv", "Kyiv's", "Kryvyi Rih", "Staryi Oskol", "Rostov-on-Don", "Velyka Novosilka",
                    "Nova Kakhovka", "Bila Tserkva", "Zaporizhzhia", "Odesa’s"]:
        words = surface.split(" ")
        lookup = surface[:-2] if len(words) == 1 and surface.endswith(("'s", "’s")) else surface
        if gaz.settlement_candidates(lookup):
            assert gaz.name_span(words[0]) >= len(words), surface
    for word in ["The", "President", "Monday", "Officials"]:
        assert gaz.name_span(word) == 0 or gaz.settlement_candidates(word), word
        if gaz.name_span(word) == 0:
            assert not gaz.settlement_candidates(word + " Street")


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


def _place_of(sentence: str) -> tuple[str | None, str | None, str]:
    place = _PlaceFinder(gazetteer.get(), sentence).find(sentence)[0][0]
    return place.name, place.admin1, place.country


def test_a_city_beats_a_village_that_bears_its_exact_spelling() -> None:
    # a Chernihiv village and a Kharkiv village carry the exact spellings of two big Donbas/Dnipro cities
    assert _place_of("Shells fell on Makiivka at dawn.")[:2] == ("Makiivka", "Donetsk Oblast")
    assert _place_of("A shell landed in Nikopol overnight.")[:2] == ("Nikopol", "Dnipropetrovsk Oblast")
    assert _place_of("Rockets struck Zaporizhzhia.")[:2] == ("Zaporizhzhia", "Zaporizhzhia Oblast")
    # an oblast named in the text still picks the village
    assert _place_of("In Chernihiv region, a drone hit Makiivka.")[1] == "Chernihiv Oblast"


def test_region_qualified_aliases_pick_the_right_namesake() -> None:
    for form, name, admin1 in [
        ("Slavyansk", "Sloviansk", "Donetsk Oblast"), ("Sloviansk", "Sloviansk", "Donetsk Oblast"),
        ("Gorlovka", "Horlivka", "Donetsk Oblast"), ("Chuguiev", "Chuhuiv", "Kharkiv Oblast"),
        ("Energodar", "Enerhodar", "Zaporizhzhia Oblast"), ("Zaporozhye", "Zaporizhzhia", "Zaporizhzhia Oblast"),
        ("Ugledar", "Vuhledar", "Donetsk Oblast"), ("Snigirevka", "Snihurivka", "Mykolaiv Oblast"),
    ]:
        assert _place_of(f"Artillery shelled {form} again.")[:2] == (name, admin1), form


def test_a_former_russian_name_is_not_a_ukrainian_village() -> None:
    # Elista was once called Stepnoy; the press uses the name for Ukrainian villages
    assert gazetteer.get().settlement_candidates("Stepnoy") == []
    # a similar spelling of a Russian town still resolves
    assert _place_of("Drones flew over Bilgorod.")[:3] == ("Belgorod", "Belgorod Oblast", "RU")


def test_the_exact_spelling_still_beats_an_alternate_name_of_a_bigger_town() -> None:
    assert _place_of("Missiles hit Pokrovsk.")[2] == "UA"


@pytest.mark.parametrize(
    ("geonames", "country", "press"),
    [("Dzhankoy", "UA", "Dzhankoi"), ("Yenakiyeve", "UA", "Yenakiieve"), ("Kryvyy Rih", "UA", "Kryvyi Rih"),
     ("Izmayil", "UA", "Izmail"), ("Khmel’nyts’kyy", "UA", "Khmelnytskyi"), ("Kyiv", "UA", "Kyiv"),
     ("Yalta", "UA", "Yalta"), ("Staryy Oskol", "RU", "Stary Oskol"), ("Ryazan’", "RU", "Ryazan"),
     ("Tëtkino", "RU", "Tyotkino"), ("Ëlkino", "RU", "Yolkino"), ("Warszawa", "PL", "Warszawa")],
)
def test_press_form_of_geonames_spellings(geonames: str, country: str, press: str) -> None:
    from streams.core.extract.names import press_form

    assert press_form(geonames, country) == press


@pytest.mark.parametrize(("asked", "shown"), [("Izmayil", "Izmail"), ("Staryy Oskol", "Stary Oskol"),
                                              ("Feodosiya", "Feodosia"), ("Dzhankoy", "Dzhankoi")])
def test_the_gazetteer_shows_the_current_spelling_and_finds_the_old(asked: str, shown: str) -> None:
    assert gazetteer.get().settlement_candidates(asked)[0].name == shown


@pytest.mark.parametrize(("alt", "main", "dropped"), [
    ("Luck", "lutsk", True),           # the Polish name of Lutsk is a common English word
    ("Cambridge", "kamyanobridskyi", True),
    ("Cop", "chop", True),             # a common word even beside a common main name
    ("he er song", "kherson", True),   # a romanisation in lower case
    ("IEV", "kyiv", True),             # an airport code
    ("Kharkov", "kharkiv", False),     # the Russian spelling the press still uses
    ("Rostov", "rostov-on-don", False),
    ("Petersburg", "saint petersburg", False),  # common because of the city itself
])
def test_alternate_names_that_are_english_words_or_codes_are_not_kept(alt: str, main: str, dropped: bool) -> None:
    assert build_gazetteer._unlike_a_place(alt, main) is dropped


def test_english_words_do_not_resolve_to_places() -> None:
    gaz = gazetteer.get()
    for word in ("Blast", "Luck", "Human", "Cambridge", "Roy", "Alexandria"):
        assert not any(p.country == "UA" or p.name == "Plast" for p in gaz.settlement_candidates(word)), word
