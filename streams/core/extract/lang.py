"""Per-language cue words of the extractor (``streams/data/lang/<code>.json``), validated and compiled once.

A language file holds named frames: a regular expression, a name and the reason it exists. Today the
file carries the non-strike frames (threats, deliveries, habitual attacks, ground combat, planted bombs);
weapons, targets and attackers keep their own vocabularies (``vocab.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from streams.core.extract import prefilter

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "lang"
SECTIONS = ("non_strike_frames",)
WORD_LISTS = ("strike_cues", "attack_words")


class LanguageDataError(ValueError):
    """A language file is malformed."""


SCOPES = ("following", "clause")


@dataclass(frozen=True, slots=True)
class Frame:
    name: str
    why: str
    regex: re.Pattern[str]
    scope: str  # "following": governs the strike words after the match; "clause": the whole clause
    even_with_toll: bool = False  # a toll in the clause does not make it a strike ("shooting kills two")


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    non_strike_frames: tuple[Frame, ...]
    strike_cue: re.Pattern[str]  # any of the strike cue words, on word boundaries
    attack_word: re.Pattern[str]  # any of the attack words, on word boundaries

    def non_strike(self, clause: str, first_cue: int = 0) -> Frame | None:
        """The first non-strike frame that cancels ``clause``, whose first strike word starts at ``first_cue``:
        a "following" frame must start before that word, a "clause" frame anywhere."""
        for frame in self.non_strike_frames:
            m = frame.regex.search(clause)
            if m is not None and (frame.scope == "clause" or m.start() <= first_cue):
                return frame
        return None


def validate(data: Any) -> list[str]:
    """Problems in one language file's parsed JSON (empty when it is well formed)."""
    if not isinstance(data, dict):
        return ["top level is not an object"]
    problems = []
    if not isinstance(data.get("language"), str):
        problems.append("'language' missing")
    for section in SECTIONS:
        frames = data.get(section)
        if not isinstance(frames, list) or not frames:
            problems.append(f"'{section}' missing or empty")
            continue
        names = set()
        for i, frame in enumerate(frames):
            where = f"{section}[{i}]"
            if not isinstance(frame, dict) or not {"name", "why", "pattern", "scope"} <= set(frame) or not set(
                    frame) <= {"name", "why", "pattern", "scope", "even_with_toll"}:
                problems.append(f"{where}: needs name, why, pattern and scope (and optionally even_with_toll)")
                continue
            if not isinstance(frame.get("even_with_toll", False), bool):
                problems.append(f"{where}: even_with_toll must be a boolean")
            if frame["scope"] not in SCOPES:
                problems.append(f"{where}: scope must be one of {SCOPES}")
            if not all(isinstance(frame[k], str) and frame[k].strip() for k in ("name", "why", "pattern")):
                problems.append(f"{where}: name, why and pattern must be non-empty strings")
                continue
            if frame["name"] in names:
                problems.append(f"{where}: duplicate name {frame['name']!r}")
            names.add(frame["name"])
            try:
                compiled = re.compile(frame["pattern"], re.I)
            except re.error as exc:
                problems.append(f"{where}: bad regex: {exc}")
                continue
            if compiled.groups:
                problems.append(f"{where}: capturing groups are not allowed (use (?:...))")
            if compiled.search(""):
                problems.append(f"{where}: matches the empty string")
    for name in WORD_LISTS:
        words = data.get(name)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            problems.append(f"'{name}' must be a non-empty list of patterns")
            continue
        for i, word in enumerate(words):
            try:
                compiled = re.compile(word, re.I)
            except re.error as exc:
                problems.append(f"{name}[{i}]: bad regex: {exc}")
                continue
            if compiled.groups or compiled.match(""):
                problems.append(f"{name}[{i}]: capturing group or empty match")
    return problems


def _words(patterns: list[str]) -> re.Pattern[str]:
    return prefilter.gate(re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])", re.I))


@lru_cache(maxsize=4)
def load(code: str = "en") -> Language:
    data = json.loads((DATA_DIR / f"{code}.json").read_text(encoding="utf-8"))
    problems = validate(data)
    if problems:
        raise LanguageDataError(f"{code}: " + "; ".join(problems))
    frames = tuple(Frame(f["name"], f["why"], prefilter.gate(re.compile(f["pattern"], re.I)), f["scope"],
                         bool(f.get("even_with_toll", False))) for f in data["non_strike_frames"])
    return Language(code, frames, _words(data["strike_cues"]), _words(data["attack_words"]))
