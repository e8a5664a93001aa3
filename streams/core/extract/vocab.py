"""Weapon and target vocabularies loaded from ``streams/data/{weapons,targets}.json``, with a validator.

A vocabulary file has ``vocabulary`` (the classes the spec allows) and ``patterns``: each a
case-insensitive regular expression and the classes it gives. Matches resolve overlaps by one rule:
longest first, then earliest (spaCy's span ruler convention).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from streams.core.extract import prefilter

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

WEAPONS: tuple[str, ...] = (
    "drone", "shahed", "missile", "ballistic_missile", "cruise_missile", "hypersonic_missile",
    "glide_bomb", "aerial_bomb", "artillery", "mlrs", "cluster_munition", "rocket", "unknown",
)
TARGETS: tuple[str, ...] = (
    "residential", "apartment_building", "house", "cafe_restaurant", "shop_market", "mall", "hotel",
    "office", "hospital", "school_university", "church", "sports_venue", "energy", "port", "rail",
    "industrial", "military", "government", "city_centre", "other_civilian",
)
SIDES: tuple[str, ...] = ("RU", "UA")  # the attacking sides the attacker vocabulary names
SPEC_VOCABULARIES = {"weapons": WEAPONS, "targets": TARGETS, "attackers": SIDES}


class VocabularyError(ValueError):
    """A vocabulary data file is malformed or uses a class outside the spec."""


@dataclass(frozen=True, slots=True)
class Rule:
    classes: tuple[str, ...]
    generic: bool


@dataclass(frozen=True, slots=True)
class Vocabulary:
    name: str
    regex: re.Pattern[str]
    rules: tuple[Rule, ...]
    singles: tuple[re.Pattern[str], ...] = ()  # each rule alone, to find the longest match at a start
    # per rule, lower-case words one of which every match of it contains (None: unknown); a rule whose words
    # a text lacks cannot match it (see prefilter.py)
    words: tuple[tuple[str, ...] | None, ...] = ()
    _seen: dict[str, list[tuple[int, int, Rule]]] = field(default_factory=dict, compare=False, repr=False)

    def find(self, text: str) -> list[tuple[int, int, Rule]]:
        """Non-overlapping matches (start, end, rule): longest first, then earliest (cached per text: the
        extractor asks about a clause or the whole text more than once)."""
        seen = self._seen.get(text)
        if seen is None:
            if len(self._seen) >= 256:
                self._seen.clear()
            seen = self._seen[text] = self._find(text)
        return list(seen)

    def _live(self, text: str) -> list[int]:
        """The rules that may match somewhere in ``text``."""
        if not self.words:
            return list(range(len(self.singles)))
        folded = prefilter.fold(text)
        return [j for j, words in enumerate(self.words) if words is None or any(w in folded for w in words)]

    def _find(self, text: str) -> list[tuple[int, int, Rule]]:
        found: list[tuple[int, int, int]] = []
        live: list[int] | None = None
        for m in self.regex.finditer(text):
            if live is None:
                live = self._live(text)
            group = m.lastgroup
            if group is None:
                continue
            start, end, idx = m.start(), m.end(), int(group[1:])
            # the alternation takes the first rule that matches here ("cathedral"); a later rule may match
            # longer at the same start ("cathedral square")
            for j in live:
                if j != idx:
                    longer = self.singles[j].match(text, start)
                    if longer is not None and longer.end() > end:
                        end, idx = longer.end(), j
            found.append((start, end, idx))
        # the alternation already prefers the earliest start; among overlapping spans keep the longest
        found.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
        taken: list[tuple[int, int, Rule]] = []
        for start, end, idx in found:
            if any(start < e and s < end for s, e, _ in taken):
                continue
            taken.append((start, end, self.rules[idx]))
        taken.sort(key=lambda t: t[0])
        return taken


def validate(name: str, data: Any) -> list[str]:
    """Problems in one vocabulary file's parsed JSON (empty when it is well formed)."""
    problems: list[str] = []
    allowed = SPEC_VOCABULARIES.get(name)
    if allowed is None:
        return [f"unknown vocabulary {name!r}"]
    if not isinstance(data, dict):
        return ["top level is not an object"]
    vocab = data.get("vocabulary")
    if not isinstance(vocab, list) or set(vocab) != set(allowed):
        problems.append("'vocabulary' differs from the spec's list")
    patterns = data.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        return [*problems, "'patterns' missing or empty"]
    for i, entry in enumerate(patterns):
        if not isinstance(entry, dict):
            problems.append(f"pattern {i}: not an object")
            continue
        pattern, classes = entry.get("pattern"), entry.get("classes")
        if not isinstance(pattern, str) or not pattern:
            problems.append(f"pattern {i}: 'pattern' missing")
        else:
            try:
                compiled = re.compile(pattern, re.I)
            except re.error as exc:
                problems.append(f"pattern {i}: bad regex: {exc}")
            else:
                if compiled.groups:
                    problems.append(f"pattern {i}: capturing groups are not allowed (use (?:...))")
                if compiled.match(""):
                    problems.append(f"pattern {i}: matches the empty string")
        if not isinstance(classes, list) or not classes:
            problems.append(f"pattern {i}: 'classes' missing")
        else:
            bad = [c for c in classes if c not in allowed]
            if bad:
                problems.append(f"pattern {i}: classes outside the spec: {bad}")
        extra = set(entry) - {"pattern", "classes", "generic"}
        if extra:
            problems.append(f"pattern {i}: unknown keys {sorted(extra)}")
        if "generic" in entry and not isinstance(entry["generic"], bool):
            problems.append(f"pattern {i}: 'generic' must be a boolean")
    return problems


def _compile(name: str, data: dict[str, Any]) -> Vocabulary:
    problems = validate(name, data)
    if problems:
        raise VocabularyError(f"{name}: " + "; ".join(problems))
    parts = []
    rules = []
    for i, entry in enumerate(data["patterns"]):
        parts.append(f"(?P<p{i}>{entry['pattern']})")
        rules.append(Rule(tuple(entry["classes"]), bool(entry.get("generic", False))))
    regex = re.compile(_wrap("|".join(parts)), re.I)
    singles = tuple(re.compile(r"(?:" + entry["pattern"] + r")(?![\w-])", re.I) for entry in data["patterns"])
    words = tuple(w if w is None else tuple(sorted(w, key=len))
                  for w in (prefilter.required_words(rx) for rx in singles))
    return Vocabulary(name, prefilter.gate_alternatives(regex, parts, _wrap), tuple(rules), singles, words)


def _wrap(alternation: str) -> str:
    return r"(?<![\w-])(?:" + alternation + r")(?![\w-])"


@lru_cache(maxsize=4)
def load(name: str) -> Vocabulary:
    """The compiled vocabulary ``weapons``, ``targets`` or ``attackers`` (loaded once)."""
    path = DATA_DIR / f"{name}.json"
    return _compile(name, json.loads(path.read_text(encoding="utf-8")))
