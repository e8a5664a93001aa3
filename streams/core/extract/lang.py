"""Per-language cue words of the extractor (``streams/data/lang/<code>.json``), validated and compiled once.

A language file holds named frames (a regular expression, a name and the reason it exists: the non-strike
frames of threats, deliveries, habitual attacks, ground combat, planted bombs), word lists of cue words
(strike, attack, event, follow-up, person titles) and plain word tables (months, weekdays, relative days,
times of day, number words, casualty qualifiers, vague quantities). Weapons, targets and attackers keep
their own vocabularies (``vocab.py``). Another language is another file of the same shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from streams.core.extract import prefilter

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "lang"
SECTIONS = ("non_strike_frames",)
WORD_LISTS = ("strike_cues", "attack_words", "person_titles", "follow_up_cues", "event_words", "consequence_words",
              "past_event_connectors", "subordinators", "mutual_blame", "review_markers")


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
    # a match right after this (a comparison: "the biggest attack for months") is no frame
    not_after: re.Pattern[str] | None = None

    def find(self, clause: str) -> re.Match[str] | None:
        """The frame's first match in ``clause`` that does not stand right after ``not_after``."""
        if self.not_after is None:
            return self.regex.search(clause)
        for m in self.regex.finditer(clause):
            if self.not_after.search(clause[max(0, m.start() - 60):m.start()]) is None:
                return m
        return None


TIMES_OF_DAY = ("night", "evening", "morning", "afternoon")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "vague")


@dataclass(frozen=True, slots=True)
class Words:
    """Plain word tables of a language (``words`` in its file)."""

    months: dict[str, int]  # "sept" -> 9
    weekdays: dict[str, int]  # "monday" -> 0
    relative_days: dict[str, int]  # "yesterday" -> 1 (days back from the reference day)
    day_gone_by_small_hours: tuple[str, ...]  # "this evening": the day before for an item of the Kyiv small hours
    previous_day: tuple[str, ...]  # "the day before"
    vague_past: tuple[str, ...]  # "last week", "in recent days": a past time of no one day
    month_only_before: tuple[str, ...]  # "in", "back in": before a month named without a day ("in March")
    named_days: tuple[tuple[str, int, int], ...]  # ("victory day", 5, 9): a pattern naming a day of the year
    abbreviations: tuple[str, ...]  # "Oct", "Gen", "St": written with a full stop that ends no sentence
    time_of_day: tuple[tuple[str, tuple[str, ...]], ...]  # ("night", ("overnight", "dawn", ...)), in order
    number_units: tuple[str, ...]  # "zero" ... "nineteen"
    number_tens: tuple[str, ...]  # "twenty" ... "ninety"
    casualty_qualifiers: dict[str, str]  # "at least" -> "at_least", in the order they are tried
    vague_quantities: dict[str, tuple[int, str]]  # "dozens" -> (24, "vague")

    @staticmethod
    def alternation(words: Iterable[str]) -> str:
        """A regex alternation of literal words, longest first."""
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    non_strike_frames: tuple[Frame, ...]
    strike_cue: re.Pattern[str]  # any of the strike cue words, on word boundaries
    attack_word: re.Pattern[str]  # any of the attack words, on word boundaries
    person_title: re.Pattern[str]  # a title or role word ending right before a person's name ("Governor ")
    follow_up: re.Pattern[str]  # any cue of an item told after the day of its strike
    event: re.Pattern[str]  # any word telling that something happened to a place
    consequence: re.Pattern[str]  # any word telling what a strike left at a place (fire, blackout, rubble)
    past_event: re.Pattern[str]  # a connector introducing an event that already happened ("revenge for")
    subordinator: re.Pattern[str]  # a word opening a subordinate clause ("because", "while", temporal "as")
    mutual_blame: re.Pattern[str]  # each side blames the other ("blame each other", "trade accusations")
    review_marker: re.Pattern[str]  # a headline's mark of a critic's review ("<title> review –")
    words: Words
    frame_cues: prefilter.Family | None = None  # the words some non-strike frame needs (one test for all)
    # the attack words without their word boundaries: nothing found in a whole text, no clause of it holds an
    # attack word (None when an attack word looks outside its match)
    attack_anywhere: re.Pattern[str] | None = None

    def non_strike(self, clause: str, first_cue: int = 0, placed: bool = False) -> Frame | None:
        """The first non-strike frame that cancels ``clause``, whose first strike word starts at ``first_cue``:
        a "following" frame must start before that word, and in a ``placed`` clause (one naming where) with no
        connector to a past event or subordinator between them ("vows to retaliate for the Moscow drone attack" tells an
        attack there); a "clause" frame anywhere but in a subordinate clause opened after that word ("... as
        Zelensky pleads for military aid")."""
        if self.frame_cues is not None and not self.frame_cues.may(clause):
            return None  # (no frame can match)
        for frame in self.non_strike_frames:
            m = frame.find(clause)
            if m is None:
                continue
            if frame.scope == "clause":
                if m.start() <= first_cue or not _opens_before(self.subordinator, clause, first_cue, m.start()):
                    return frame
            elif m.start() <= first_cue and (not placed or not (
                    _opens_before(self.past_event, clause, m.end(), first_cue)
                    or _opens_before(self.subordinator, clause, m.end(), first_cue))):
                return frame
        return None


def _opens_before(words: re.Pattern[str], clause: str, start: int, end: int) -> bool:
    """Whether one of ``words`` starts in ``clause[start:end]`` (it may look ahead past ``end``)."""
    m = words.search(clause[start:])
    return m is not None and m.start() < end - start


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
                    frame) <= {"name", "why", "pattern", "scope", "even_with_toll", "not_after"}:
                problems.append(f"{where}: needs name, why, pattern and scope (and optionally even_with_toll, "
                                "not_after)")
                continue
            if "not_after" in frame:
                try:
                    after = re.compile(frame["not_after"], re.I)
                except (re.error, TypeError) as exc:
                    problems.append(f"{where}: bad not_after regex: {exc}")
                else:
                    if not frame["not_after"] or after.groups or not frame["not_after"].endswith("$"):
                        problems.append(f"{where}: not_after must be a non-empty pattern without capturing groups "
                                        "that ends with $ (it reads the text right before a match)")
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
    problems += _validate_words(data.get("words"))
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


def _validate_words(words: Any) -> list[str]:
    if not isinstance(words, dict):
        return ["'words' missing"]
    problems = []

    def ints(name: str, low: int, high: int) -> None:
        table = words.get(name)
        if not isinstance(table, dict) or not table or not all(
                isinstance(k, str) and k and isinstance(v, int) and low <= v <= high for k, v in table.items()):
            problems.append(f"words.{name} must map words to integers {low}..{high}")

    ints("months", 1, 12)
    ints("weekdays", 0, 6)
    ints("relative_days", 0, 7)
    for name in ("previous_day", "vague_past", "month_only_before", "abbreviations", "number_units", "number_tens",
                 "day_gone_by_small_hours"):
        seq = words.get(name)
        if not isinstance(seq, list) or not seq or not all(isinstance(w, str) and w for w in seq):
            problems.append(f"words.{name} must be a non-empty list of words")
    named = words.get("named_days")
    if not isinstance(named, dict) or not named:
        problems.append("words.named_days must map patterns to [month, day]")
    else:
        for pattern, day in named.items():
            try:
                compiled = re.compile(pattern, re.I)
            except re.error as exc:
                problems.append(f"words.named_days {pattern!r}: bad regex: {exc}")
                continue
            if compiled.groups or compiled.match("") or not (
                    isinstance(day, list) and len(day) == 2 and all(isinstance(x, int) for x in day)
                    and _valid_day(day[0], day[1])):
                problems.append(f"words.named_days {pattern!r}: needs a pattern without capturing groups and a "
                                "valid [month, day]")
    tod = words.get("time_of_day")
    if not isinstance(tod, dict) or set(tod) != set(TIMES_OF_DAY) or not all(
            isinstance(v, list) and v and all(isinstance(w, str) and w for w in v) for v in tod.values()):
        problems.append(f"words.time_of_day must list words for each of {TIMES_OF_DAY}")
    quals = words.get("casualty_qualifiers")
    if not isinstance(quals, dict) or not quals or not all(v in QUALIFIERS for v in quals.values()):
        problems.append(f"words.casualty_qualifiers must map phrases to one of {QUALIFIERS}")
    vague = words.get("vague_quantities")
    if not isinstance(vague, dict) or not vague or not all(
            isinstance(v, list) and len(v) == 2 and isinstance(v[0], int) and v[0] > 0 and v[1] in QUALIFIERS
            for v in vague.values()):
        problems.append("words.vague_quantities must map words to [lower bound > 0, qualifier]")
    return problems


def _valid_day(month: int, day: int) -> bool:
    try:
        date(2024, month, day)  # a leap year: 29 February is a day of the year
    except ValueError:
        return False
    return True


def _words(patterns: list[str]) -> re.Pattern[str]:
    return prefilter.gate(re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])", re.I))


@lru_cache(maxsize=4)
def load(code: str = "en") -> Language:
    data = json.loads((DATA_DIR / f"{code}.json").read_text(encoding="utf-8"))
    problems = validate(data)
    if problems:
        raise LanguageDataError(f"{code}: " + "; ".join(problems))
    frames = tuple(Frame(f["name"], f["why"], prefilter.gate(re.compile(f["pattern"], re.I)), f["scope"],
                         bool(f.get("even_with_toll", False)),
                         re.compile(f["not_after"], re.I) if "not_after" in f else None)
                   for f in data["non_strike_frames"])
    titles = re.compile(r"(?<![\w-])(?:" + "|".join(data["person_titles"]) + r")\.?\s+$", re.I)
    return Language(
        code, frames, strike_cue=_words(data["strike_cues"]), attack_word=_words(data["attack_words"]),
        person_title=titles, follow_up=_words(data["follow_up_cues"]), event=_words(data["event_words"]),
        consequence=_words(data["consequence_words"]), past_event=_words(data["past_event_connectors"]),
        subordinator=_words(data["subordinators"]), mutual_blame=_words(data["mutual_blame"]),
        review_marker=re.compile(r"(?<![\w-])(?:" + "|".join(data["review_markers"]) + ")", re.I),
        words=_word_tables(data["words"]), frame_cues=prefilter.Family(*(frame.regex for frame in frames)),
        attack_anywhere=prefilter.unbounded("|".join(data["attack_words"]), re.I))


def _word_tables(w: dict[str, Any]) -> Words:
    return Words(
        months=dict(w["months"]), weekdays=dict(w["weekdays"]), relative_days=dict(w["relative_days"]),
        day_gone_by_small_hours=tuple(w["day_gone_by_small_hours"]),
        previous_day=tuple(w["previous_day"]), vague_past=tuple(w["vague_past"]),
        month_only_before=tuple(w["month_only_before"]),
        named_days=tuple((k, int(v[0]), int(v[1])) for k, v in w["named_days"].items()),
        abbreviations=tuple(w["abbreviations"]),
        time_of_day=tuple((t, tuple(w["time_of_day"][t])) for t in TIMES_OF_DAY),
        number_units=tuple(w["number_units"]), number_tens=tuple(w["number_tens"]),
        casualty_qualifiers=dict(w["casualty_qualifiers"]),
        vague_quantities={k: (int(v[0]), str(v[1])) for k, v in w["vague_quantities"].items()},
    )
