"""Fuzz: no input crashes extract(), and time per article stays bounded."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core.extract import extract
from streams.core.models import Article

WORDS = st.sampled_from(
    ["missile", "Kharkiv", "killed", "at least", "dozens", "<p>", "</b>", "&amp;", "on Saturday", "Kyiv", "12",
     "Russian", "drone", "strike", "overnight", "(", ")", ",", ".", "Belgorod region", "twenty-eight", "\n", "—"]
)


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=200), text=st.text(max_size=2000))
def test_random_unicode_never_crashes(title: str, text: str) -> None:
    extract(Article(id="f", title=title, text=text, published_at=datetime(2023, 1, 1, tzinfo=UTC)))


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORDS, max_size=300))
def test_strike_like_word_salad_never_crashes(words: list[str]) -> None:
    text = " ".join(words)
    for report in extract(Article(id="f", title=text[:100], text=text)):
        assert report.country is not None
        assert report.index >= 0


def test_empty_and_none_text() -> None:
    assert extract(Article(id="e")) == []
    assert extract(Article(id="e", title="", text="")) == []


def test_one_megabyte_text_is_bounded() -> None:
    chunk = "Russian missiles struck Kharkiv and killed at least 3 people on Saturday. <b>" + "a" * 50 + "</b> "
    text = chunk * (1_000_000 // len(chunk))
    start = time.perf_counter()
    reports = extract(Article(id="big", title="Strike", text=text, published_at=datetime(2023, 1, 1, tzinfo=UTC)))
    assert time.perf_counter() - start < 5.0
    assert reports and reports[0].settlement == "Kharkiv"


def test_pathological_html_is_bounded() -> None:
    text = "<" * 200_000 + "missile Kyiv " + "<a " * 100_000
    start = time.perf_counter()
    extract(Article(id="p", title="missile attack on Kyiv", text=text))
    assert time.perf_counter() - start < 5.0
