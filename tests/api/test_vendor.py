"""The vendored front-end files are the ones the vendor README names, with their licences beside them."""

from __future__ import annotations

import hashlib
import re

from streams.api.web import STATIC_DIR

VENDOR = STATIC_DIR / "vendor"


def test_every_vendored_file_is_listed_with_its_hash_and_licence() -> None:
    readme = (VENDOR / "README.md").read_text()
    listed = dict((name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M))
    files = {p.name for p in VENDOR.iterdir() if p.suffix in (".js", ".json")}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    for package in ("world-atlas", "topojson-client"):
        assert (VENDOR / f"LICENSE.{package}").read_text().startswith("Copyright"), package
        assert package in readme


def test_the_page_fetches_nothing_from_outside() -> None:
    for name in ("index.html", "app.js", "style.css"):
        text = (STATIC_DIR / name).read_text()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), name
        assert not re.search(r"""fetch\(["']https?:""", text), name
