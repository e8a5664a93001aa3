"""Cheap text cleaning and splitting: HTML stripped by bounded regexes, page furniture dropped.

Every regex here is linear (no nested quantifiers over overlapping classes) and the input is capped
at ``MAX_CHARS`` so that a 1 MB article costs the same as a long news page.
"""

from __future__ import annotations

import html
import re

from streams.core.extract import lang, prefilter

MAX_CHARS = 20_000

_SCRIPT = re.compile(r"<(script|style)\b[^>]{0,2000}>.{0,20000}?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^<>]{0,2000}>")
_BR = re.compile(r"<(?:br|/p|p|/li|li|/div|div|/h\d|h\d)\b[^<>]{0,500}>", re.I)
_MD_LINK = re.compile(r"\[([^\[\]]{0,300})\]\([^()\s]{0,500}\)")
_MD_LINK_ANGLE = re.compile(r"<https?://[^<>\s]{0,500}>")
_URL = re.compile(r"https?://\S{1,500}")
_EMPH = re.compile(r"\*{1,3}|_{2,3}")
_DATE_PREFIX = re.compile(r"^\s*date \d{4}(?:-\d{2}){0,2}\s+")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_FURNITURE = re.compile(
    r"^(?:support the moscow times!?|spread the love|advertisement:?|read (?:full article|more)\b.*|"
    r"continue reading\.*|related article:.*|see also\b.*|also read\b.*|\(also read:.*|"
    r"leave a reply|your email address will not be published.*|donate subscribe.*|"
    r"icon-.*|share this.*|original url:?|cover:.*|credit:.*|breaking news|ua en ru|"
    r"updated on:.*|last updated:?.*|by \[?\w+\]?.*|support up or become our patron!?|"
    r"insubcontinent exclusive:?)$",
    re.I,
)
_FURNITURE_INLINE = re.compile(
    r"read full article at [\w.]{1,40}|continue reading\.{0,3}|advertisement:|support up or become our patron!?",
    re.I,
)
# page labels glued to the first word of the lead ("UpdateAt least three ...", "BREAKINGRussian ...")
_GLUED_LABEL = re.compile(
    r"(?<![\w-])(Update|Updated|Breaking|BREAKING|Live|LIVE|Watch|Video|Photos?|Exclusive|Analysis|Explainer|"
    r"Listen|Latest)(?=[A-Z][a-z])"
)
# a full stop after an abbreviation of the language ("Oct. 17", "Gen. Zaluzhny", "St. Petersburg") ends no sentence
_NOT_AFTER = "".join(r"(?<!\b" + re.escape(a) + r"\.)" for a in lang.load("en").words.abbreviations) + (
    r"(?<!\b[A-Z]\.[A-Z]\.)"  # nor one after a dotted initialism ("U.S. Will Provide ...", "the U.N. agency")
)
_SENT_SPLIT = re.compile(
    r"(?<=[.!?…])" + _NOT_AFTER + r"[\"”’)]?\s+(?=[\"“‘(\[]?[A-Z0-9А-ЯІЇЄ])|\n+"
    r"|(?<=[a-z0-9]{3}[.!?])(?=[A-Z])|(?<=[a-z0-9][.!?][\"”’'])(?=[A-Z])"  # sentences glued by a lost space
)


def clean(raw: str | None) -> str:
    """Plain text from a title or body that may hold HTML, markdown links and page furniture."""
    if not raw:
        return ""
    text = raw[:MAX_CHARS]
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _BR.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINK_ANGLE.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _EMPH.sub("", text)
    text = _DATE_PREFIX.sub("", text)
    text = _GLUED_LABEL.sub(r"\1 ", text)
    text = _FURNITURE_INLINE.sub(" ", text)
    lines: list[str] = []
    seen: set[str] = set()
    for line in text.split("\n"):
        line = _spaces(line).strip()
        if not line:
            continue
        if lines and line[0].islower() and lines[-1][-1] not in ".!?:;\"”’)]":
            # a sentence broken by the page's line wrapping ("northeastern\ncity of X"; "controversial\nby
            # Russia, ..." is no byline)
            lines[-1] += " " + line
            continue
        if _FURNITURE.match(line):
            continue
        key = line.lower()
        if key in seen:  # repeated headline blocks in page excerpts
            continue
        seen.add(key)
        lines.append(line)
    return "\n".join(lines)


def _spaces(line: str) -> str:
    """``_SPACES.sub(" ", line)``, skipped when every run of spaces is already one plain space."""
    if "  " in line or "\t" in line or "\u00a0" in line or "\u2009" in line or "\u202f" in line:
        return _SPACES.sub(" ", line)
    return line


def sentences(text: str) -> list[str]:
    """Sentences (and lines) of cleaned text; short fragments are kept, empty ones dropped."""
    return [s.strip() for s in _SENT_SPLIT.split(text) if s and s.strip()]


def lead(text: str, size: int = 300) -> str:
    """The first ~``size`` characters of cleaned text, cut at a word boundary, on one line."""
    flat = " ".join(text.split())
    if len(flat) <= size:
        return flat
    cut = flat.rfind(" ", 0, size)
    return flat[: cut if cut > size // 2 else size]


# every pattern above behind its literal prefilter (same answers; skipped when a text lacks the words it needs)
prefilter.gate_all(globals())
