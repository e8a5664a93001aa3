"""Name normalisation shared by the gazetteer builder, the runtime lookups and the scorer."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def norm(name: str) -> str:
    """The index form of a name: NFKD without marks, lower case, apostrophes removed, spaces single."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("'", "").replace("’", "").replace("ʼ", "").replace("`", "")
    return " ".join(stripped.lower().replace("-", " - ").split()).replace(" - ", "-")


_VOWELS = "aeiouy"


def _ua_word(word: str) -> str:
    # GeoNames writes Ukrainian names in BGN/PCGN romanisation; the press and Ukraine's national system
    # (2010) write я/є/ю/ї/й after a letter as ia/ie/iu/i/i and drop the soft sign: Dzhankoy -> Dzhankoi,
    # Yenakiyeve -> Yenakiieve, Kryvyy -> Kryvyi, Mykolayiv -> Mykolaiv, Khmel'nyts'kyy -> Khmelnytskyi.
    # Word-initial forms stay (Yalta, Yuzhne), and so does и before ї after a consonant (Kyiv).
    word = word.replace("’", "").replace("'", "").replace("ʹ", "")
    out = []
    for i, c in enumerate(word):
        prev = word[i - 1].lower() if i > 0 else ""
        nxt = word[i + 1].lower() if i + 1 < len(word) else ""
        if c != "y" or not prev.isalpha():
            out.append(c)
        elif nxt in ("a", "e", "u"):
            out.append("i")  # ya, ye, yu -> ia, ie, iu
        elif nxt == "i":
            out.append("" if prev in _VOWELS else c)  # Izmayil -> Izmail, Kyyiv -> Kyiv; Kyiv stays
        elif prev in _VOWELS and (not nxt or nxt not in _VOWELS):
            out.append("i")  # й after a vowel: Dzhankoy, Kryvyy, Pervomaysk
        else:
            out.append(c)
    return "".join(out)


def _ru_word(word: str) -> str:
    # BGN/PCGN's Russian "yy" (ый) is "y" in the press (Staryy Oskol -> Stary Oskol); soft signs are dropped;
    # its "ë" (ё) is "yo" (Tëtkino -> Tyotkino)
    word = word.replace("Ë", "Yo").replace("ë", "yo").replace("yyo", "yo")
    return word.replace("yy", "y").replace("’", "").replace("ʹ", "")


def press_form(name: str, country: str) -> str:
    """The current English (press) spelling of a GeoNames main name of Ukraine or Russia; other names as given."""
    if country == "UA":
        convert = _ua_word
    elif country == "RU":
        convert = _ru_word
    else:
        return name
    parts = name.replace("-", " - ").split(" ")
    return " ".join(convert(p) if p != "-" else p for p in parts).replace(" - ", "-")
