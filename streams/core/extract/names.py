"""Name normalisation shared by the gazetteer builder, the runtime lookups and the scorer."""

from __future__ import annotations

import unicodedata


def norm(name: str) -> str:
    """The index form of a name: NFKD without marks, lower case, apostrophes removed, spaces single."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("'", "").replace("’", "").replace("ʼ", "").replace("`", "")
    return " ".join(stripped.lower().replace("-", " - ").split()).replace(" - ", "-")
