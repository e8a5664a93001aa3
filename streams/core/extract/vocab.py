"""Weapon and target vocabularies loaded from ``streams/data/{weapons,targets}.json``, with a validator.

A vocabulary file has ``vocabulary`` (the classes the spec allows) and ``patterns``: each a
case-insensitive regular expression and the classes it gives. Matches resolve overlaps by one rule:
longest first, then earliest (spaCy's span ruler convention). A pattern's optional ``not_after`` (a
regular expression ending with $) names what may not stand right before a match of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
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
    # what may not stand right before a match ("died in hospital": the hospital is where the wounded are treated,
    # not what was hit); read on the 60 characters before it, so it ends with $
    not_after: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    name: str
    regex: re.Pattern[str]
    rules: tuple[Rule, ...]
    singles: tuple[re.Pattern[str], ...] = ()  # each rule alone, to find the longest match at a start
    sources: tuple[str, ...] = ()  # each rule's pattern, for the scan tables (built on first use)
    _tables: list[_Scan | None] = field(default_factory=list, compare=False, repr=False)
    _seen: dict[str, list[tuple[int, int, Rule]]] = field(default_factory=dict, compare=False, repr=False)

    def find(self, text: str) -> list[tuple[int, int, Rule]]:
        """Non-overlapping matches (start, end, rule): longest first, then earliest (cached per text: the
        extractor asks about a clause or the whole text more than once)."""
        seen = self._seen.get(text)
        if seen is None:
            if len(self._seen) >= 256:
                self._seen.clear()
            tables = self.prepare()
            seen = self._seen[text] = [
                (start, end, rule) for start, end, rule in self._resolve(
                    self._matches(text) if tables is None else self._scan(text, tables))
                if rule.not_after is None or not rule.not_after.search(text[max(0, start - 60):start])]
        return list(seen)

    def prepare(self) -> _Scan | None:
        """The scan tables, built on first use."""
        if not self._tables:
            self._tables.append(_scan_tables(self.sources) if self.sources else None)
        return self._tables[0]

    def _matches(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, rule index) of each match of the alternation, widened to the longest rule there."""
        found: list[tuple[int, int, int]] = []
        for m in self.regex.finditer(text):
            group = m.lastgroup
            if group is None:
                continue
            found.append(self._longest(text, m.start(), m.end(), int(group[1:]), range(len(self.singles))))
        return found

    def _longest(self, text: str, start: int, end: int, idx: int, rules: Iterable[int]) -> tuple[int, int, int]:
        # the alternation takes the first rule that matches here ("cathedral"); a later rule may match
        # longer at the same start ("cathedral square")
        for j in rules:
            if j != idx:
                longer = self.singles[j].match(text, start)
                if longer is not None and longer.end() > end:
                    end, idx = longer.end(), j
        return start, end, idx

    def _scan(self, text: str, tables: _Scan) -> list[tuple[int, int, int]]:
        """What ``_matches`` gives, trying rules only where one of them may start (where the alternation's
        start condition holds and the text goes on with one of the rule's first strings): where the
        alternation matches, the first rule (in order) that matches there alone is the one it takes, and it
        goes on from that rule's end."""
        folded = prefilter.fold(text)
        at: dict[int, tuple[int, ...]] = {}
        by_longest = tables.by_longest
        find = folded.find
        # the places where the start condition holds (\w is the same folded) and a first string of 3 characters
        # or more begins, found by one pattern with the longest such string there: the rules of every first
        # string that begins it
        hit = tables.opener_at_start.match(folded)
        if hit is not None:
            at[0] = by_longest[hit.group(1)]
        for hit in tables.opener.finditer(folded):
            at[hit.start(1)] = by_longest[hit.group(1)]
        for first, j in tables.short_firsts:
            i = find(first)
            while i >= 0:
                at[i] = (*at.get(i, ()), j)
                i = find(first, i + 1)
        alone_rules = tables.alone_rules
        starts = sorted(at)
        nexts = [-1] * len(alone_rules)
        for k, j in enumerate(alone_rules):
            m = tables.alones[j].search(text)  # type: ignore[union-attr]
            nexts[k] = -1 if m is None else m.start()
        found: list[tuple[int, int, int]] = []
        pos = i = 0
        while True:
            while i < len(starts) and starts[i] < pos:
                i += 1
            here = starts[i] if i < len(starts) else -1
            for k, j in enumerate(alone_rules):
                if 0 <= nexts[k] < pos:
                    m = tables.alones[j].search(text, pos)  # type: ignore[union-attr]
                    nexts[k] = -1 if m is None else m.start()
                if nexts[k] >= 0 and (here < 0 or nexts[k] < here):
                    here = nexts[k]
            if here < 0:
                return found
            pos = here + 1
            if not _OPEN.match(text, here):
                continue  # the alternation's own start condition
            rules = at.get(here, ())
            if alone_rules or tables.short_firsts:
                rules = tuple(sorted({*rules, *(j for k, j in enumerate(alone_rules) if nexts[k] == here)}))
            for j in rules:
                m = self.singles[j].match(text, here)
                if m is not None:
                    # only the rules that may start here can match longer here
                    found.append(self._longest(text, here, m.end(), j, rules))
                    pos = m.end()
                    break

    def _resolve(self, found: list[tuple[int, int, int]]) -> list[tuple[int, int, Rule]]:
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
        after = entry.get("not_after")
        if after is not None:
            try:
                compiled_after = re.compile(after, re.I) if isinstance(after, str) else None
            except re.error as exc:
                problems.append(f"pattern {i}: bad not_after regex: {exc}")
            else:
                if compiled_after is None or not after.endswith("$") or compiled_after.groups:
                    problems.append(f"pattern {i}: not_after must be a pattern without capturing groups that ends "
                                    "with $ (it reads the text right before a match)")
        extra = set(entry) - {"pattern", "classes", "generic", "not_after"}
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
        after = entry.get("not_after")
        rules.append(Rule(tuple(entry["classes"]), bool(entry.get("generic", False)),
                          re.compile(after, re.I) if after else None))
    regex = re.compile(_wrap("|".join(parts)), re.I)
    singles = tuple(re.compile(r"(?:" + entry["pattern"] + r")(?![\w-])", re.I) for entry in data["patterns"])
    return Vocabulary(name, regex, tuple(rules), singles, tuple(entry["pattern"] for entry in data["patterns"]))


@dataclass(frozen=True, slots=True)
class _Scan:
    """Per rule: the rule alone with the alternation's boundaries, as its own alternatives and prefiltered
    (for a rule without first strings; else None); for each first string of 3 characters or more, the rules
    (in order) one of whose first strings it starts with; shorter first strings, as (string, rule); the rules
    without first strings."""

    alones: tuple[re.Pattern[str] | None, ...]
    by_longest: dict[str, tuple[int, ...]]
    short_firsts: tuple[tuple[str, int], ...]
    alone_rules: tuple[int, ...]
    # where the start condition holds and a first string of 3 characters or more begins, capturing the longest one
    # there (a key of by_longest): the character before such a place (no word character or hyphen, which re skips
    # to by itself), or the start of the text
    opener: re.Pattern[str]
    opener_at_start: re.Pattern[str]


def _scan_tables(sources: tuple[str, ...]) -> _Scan | None:
    """The tables of ``Vocabulary._scan``; None when a rule may match the empty string (the scan needs
    matches that are never empty)."""
    wrapped = [re.compile(_wrap(source), re.I) for source in sources]
    if any(prefilter.may_be_empty(rx) for rx in wrapped):
        return None
    firsts = [prefilter.first_strings(rx) for rx in wrapped]
    by_key: dict[str, list[tuple[str, int]]] = {}
    short: list[tuple[str, int]] = []
    for j, first in enumerate(firsts):
        for s in sorted(first or ()):
            if len(s) >= 3:
                by_key.setdefault(s[:3], []).append((s, j))
            else:
                short.append((s, j))
    alones = tuple(None if first is not None else prefilter.gate(re.compile(
        "|".join(_wrap(part) for part in prefilter.alternatives(source)), re.I))
        for source, first in zip(sources, firsts, strict=True))
    long_firsts = [pair for pairs in by_key.values() for pair in pairs]
    by_longest = {s: tuple(sorted({j for first, j in long_firsts if s.startswith(first)})) for s, _ in long_firsts}
    keys = _longest_trie(sorted(by_longest)) if by_longest else "(?!)"
    opener = re.compile(r"[^\w-](?=(" + keys + "))")
    return _Scan(alones, by_longest, tuple(short), tuple(j for j, first in enumerate(firsts) if first is None), opener,
                 re.compile(r"(?=(" + keys + "))"))


def _longest_trie(strings: list[str]) -> str:
    """A pattern (case-sensitive) that matches the longest of ``strings`` that the text goes on with: a trie
    whose ends are optional continuations (tried first, given up only when no longer string follows)."""
    heads: dict[str, list[str]] = {}
    for w in strings:
        heads.setdefault(w[0], []).append(w[1:])
    alts = []
    for c, rests in heads.items():
        tails = [r for r in rests if r]
        if not tails:
            alts.append(re.escape(c))
            continue
        inner = _longest_trie(tails)
        alts.append(re.escape(c) + ("(?:" + inner + ")?" if len(tails) < len(rests) else inner))
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _wrap(alternation: str) -> str:
    return r"(?<![\w-])(?:" + alternation + r")(?![\w-])"


_OPEN = re.compile(r"(?<![\w-])", re.I)  # the alternation's start condition: no word character or hyphen before


@lru_cache(maxsize=4)
def load(name: str) -> Vocabulary:
    """The compiled vocabulary ``weapons``, ``targets`` or ``attackers`` (loaded once)."""
    path = DATA_DIR / f"{name}.json"
    return _compile(name, json.loads(path.read_text(encoding="utf-8")))
