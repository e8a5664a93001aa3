"""Runtime gazetteer: settlement and region lookups over the compact ``gazetteer.json.gz`` artefact.

Loaded lazily once per process (``get()``); lookups are dictionary hits on normalised names, so the
cost per article is proportional to its capitalised words.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from streams.core.extract.names import norm

GAZETTEER_PATH = Path(__file__).resolve().parents[2] / "data" / "gazetteer.json.gz"


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: a settlement, a first-level region or a whole country."""

    level: str  # "settlement" | "admin1" | "country"
    country: str
    name: str | None  # settlement name (level settlement only)
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    admin1_key: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        if self.level == "settlement":
            return ("settlement", self.country, self.name or "")
        if self.level == "admin1":
            return ("admin1", self.country, self.admin1 or "")
        return ("country", self.country, "")


class Gazetteer:
    def __init__(self, data: dict[str, object]) -> None:
        self._places: list[list[object]] = data["places"]  # type: ignore[assignment]
        self._index: dict[str, list[int]] = data["index"]  # type: ignore[assignment]
        self._admin1: dict[str, list[object]] = data["admin1"]  # type: ignore[assignment]
        self._admin1_index: dict[str, str] = data["admin1_index"]  # type: ignore[assignment]
        self._countries: dict[str, list[object]] = data["countries"]  # type: ignore[assignment]
        self.max_words = max(k.count(" ") + 1 for k in self._index)
        self._candidates: dict[str, tuple[Place, ...]] = {}  # lookups by normalised name, built once each
        self._spans: dict[str, int] = {}  # a word -> the most words of a name it begins (see name_span)
        self._starts: dict[str, int] | None = None

    # -- lookups -------------------------------------------------------------------------------
    def settlement_candidates(self, name: str) -> list[Place]:
        key = norm(name)
        cached = self._candidates.get(key)
        if cached is None:
            if len(self._candidates) >= 65536:
                self._candidates.clear()
            cached = self._candidates[key] = tuple(self._build_candidates(key))
        return list(cached)

    def _build_candidates(self, key: str) -> list[Place]:
        out = []
        for pid in self._index.get(key, ()):
            pname, cc, a1key, lat, lon, pop = self._places[pid]
            a1 = self._admin1.get(str(a1key)) if a1key else None
            out.append(
                Place(
                    "settlement", str(cc), str(pname), str(a1[0]) if a1 else None,
                    float(lat), float(lon), int(pop), str(a1key) if a1key else None,  # type: ignore[arg-type,call-overload]
                )
            )
        return out

    def prepare(self) -> None:
        """Build the lookup tables made on first use now (``name_span``'s)."""
        self.name_span("")

    def name_span(self, word: str) -> int:
        """The most words of a settlement name (index form) that begins with ``word`` as written, or with it
        less a final "'s"; 0 when none does: then no ``settlement_candidates`` lookup of a name starting
        with that word finds anything (the normalised form of "A B" is that of "A", a space, that of "B")."""
        span = self._spans.get(word)
        if span is None:
            starts = self._starts
            if starts is None:
                starts = self._starts = {}
                for key in self._index:
                    first, _, rest = key.partition(" ")
                    n = rest.count(" ") + 2 if rest else 1
                    if n > starts.get(first, 0):
                        starts[first] = n
            span = starts.get(norm(word), 0)
            if word.endswith(("'s", "’s")) and starts.get(norm(word[:-2]), 0):
                span = max(span, 1)  # the possessive comes off a name of one word
            if len(self._spans) >= 65536:
                self._spans.clear()
            self._spans[word] = span
        return span

    def is_exact_name(self, place: Place, surface: str) -> bool:
        return place.name is not None and norm(place.name) == norm(surface)

    def admin1(self, form: str) -> Place | None:
        key = self._admin1_index.get(norm(form))
        if key is None:
            return None
        return self.admin1_by_key(key)

    def admin1_by_key(self, key: str) -> Place | None:
        entry = self._admin1.get(key)
        if entry is None:
            return None
        name, cc, lat, lon = entry
        return Place("admin1", str(cc), None, str(name), float(lat), float(lon), 0, key)  # type: ignore[arg-type]

    def city_of(self, region: Place) -> Place | None:
        """The city a city-level region is ("Kyiv City" -> Kyiv, "Sevastopol City" -> Sevastopol), else None."""
        name = region.admin1 or ""
        if region.level != "admin1" or not name.endswith(" City"):
            return None
        return next((p for p in self.settlement_candidates(name[:-len(" City")])
                     if p.admin1_key == region.admin1_key and p.name == name[:-len(" City")]), None)

    @property
    def country_codes(self) -> frozenset[str]:
        """The countries the gazetteer covers (those in scope and their neighbours)."""
        return frozenset(self._countries)

    def country(self, cc: str) -> Place:
        entry = self._countries.get(cc)
        lat = float(entry[1]) if entry else None  # type: ignore[arg-type]
        lon = float(entry[2]) if entry else None  # type: ignore[arg-type]
        return Place("country", cc, None, None, lat, lon)

    def has_name(self, key: str) -> bool:
        return key in self._index

    def has_admin1_form(self, key: str) -> bool:
        return key in self._admin1_index

    def admin1_stems(self) -> dict[str, str]:
        """First word(s) of region forms ('kharkiv' -> 'UA.07'), used to pick homonyms by context."""
        stems: dict[str, str] = {}
        for form, key in self._admin1_index.items():
            for suffix in (" oblast region", " region", " oblast", " province"):
                if form.endswith(suffix):
                    stems.setdefault(form[: -len(suffix)], key)
        return stems


@lru_cache(maxsize=1)
def get(path: Path = GAZETTEER_PATH) -> Gazetteer:
    """The process-wide gazetteer (loaded on first use)."""
    with gzip.open(path, "rb") as fh:
        return Gazetteer(json.loads(fh.read()))


_WORD = re.compile(r"[A-Za-zÀ-žʼ’'\-]+")
