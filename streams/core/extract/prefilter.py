"""Literal prefilters for the extractor's regular expressions: same answers, far fewer positions tried.

Python's ``re`` tries a pattern at every position of a text, and a case-insensitive alternation of words
(most of our rules) gets none of its start-of-match shortcuts; a rule that cannot match a clause still
walks all of it. From a compiled pattern's parse tree this module derives, for each top-level
alternative of the pattern:

- the *required words*: lower-case literals one of which every match contains (the alternative is not
  tried when the folded text holds none of them);
- the *first strings*: lower-case literals one of which every match starts with (its leftmost match can
  only start where one of them occurs).

``Prefiltered.search`` walks the positions where a match may start (where a first string occurs, found by
one case-sensitive literal pattern on the folded text, up to the leftmost match of an alternative searched
alone) and asks the original pattern to ``match`` there, in order: the first success is exactly what
``pattern.search`` returns, groups included. ``match`` first tests that the text goes on with a first string
at the place it tries. ``finditer``, ``split`` and
``sub`` are built on that search for patterns whose matches are never empty (the only case where
repeated searching is what ``re`` does); other patterns keep their own methods behind the word test.

Modules apply ``gate_all(globals())`` after their patterns are defined: every module-level pattern (and
patterns in module-level tuples) is wrapped, so a rule added or edited later is prefiltered by its own
text. Nothing is assumed about a rule beyond its regex.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, MutableMapping
from functools import cache, lru_cache
from typing import Any

_c: Any
_p: Any
try:  # the parser of the standard library's re (Python 3.11+); without it nothing is prefiltered
    _c = importlib.import_module("re._constants")
    _p = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover
    _c = _p = None

_ac: Any
try:  # Aho-Corasick in Rust: whether a text holds one of many words, found by one pass (see holds_any)
    _ac = importlib.import_module("ahocorasick_rs")
except ImportError:  # pragma: no cover - then the words are looked for one by one
    _ac = None

_EXTRA_CASES: Any
try:  # the letters re.IGNORECASE matches beyond their case pair ("в" and "ᲀ"); without the table none is trusted
    _EXTRA_CASES = importlib.import_module("re._casefix")._EXTRA_CASES
except (ImportError, AttributeError):  # pragma: no cover
    _EXTRA_CASES = None
_WORD_MAX = 8  # longest word kept in a required set
_LONG_WORDS = 20  # a word list this long is not tested before a starter search (see Prefiltered._prepare)
_FEW_WORDS = 24  # a family with at most this many words tests them one by one (faster than one literal pattern)
_SHORT_FIRST = 2  # a lone alternative that may start with a string this short is left to re (see Prefiltered._prepare)
_LIMIT = 64  # largest set of exact strings a sub-pattern keeps before it counts as "any text"
# characters that re.IGNORECASE matches to an ASCII letter but str.lower() does not turn into it (and
# U+0130, the one character whose lower case is two characters: folding keeps every position)
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT) if _p is not None else ()
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) if _p is not None else ()

_Words = frozenset[str] | None
_Info = tuple[_Words, _Words]  # (the exact strings a sub-pattern matches, words every match contains)


@cache
def _parse(src: str, flags: int) -> Any:
    """``re``'s parse tree of a pattern, worked out once (the prefilters of a pattern and of the families and
    alternatives it is part of read the same trees; nothing here changes a tree)."""
    return _p.parse(src, flags)


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """``text`` lower-cased, same length, so that every place where a pattern matches an ASCII literal
    case-insensitively holds that literal in lower case."""
    if not text.isascii() and ("\u0130" in text or "\u0131" in text or "\u017f" in text):
        text = text.translate(_FOLD)
    return text.lower()


def _char(code: int) -> str | None:
    c = chr(code)
    if code < 128:
        return c.lower()
    low = c.lower()
    if low == c == c.upper():
        return c  # an uncased character matches only itself
    if _EXTRA_CASES is not None and len(low) == 1 and code not in _EXTRA_CASES and ord(low) not in _EXTRA_CASES:
        # a cased letter that re.IGNORECASE matches only to the letters of its own case pair ("г", "Г"): its
        # lower case is in the folded text wherever it matches
        return low
    return None


def _minimal(words: frozenset[str]) -> frozenset[str]:
    """Drop words that contain another word of the set (the shorter one is found whenever the longer is)."""
    return frozenset(w for w in words if not any(o != w and o in w for o in words))


def _best(cands: list[frozenset[str]]) -> _Words:
    usable = [c for c in cands if c and "" not in c]
    if not usable:
        return None
    best = max(usable, key=lambda c: (min(min(len(w) for w in c), 4), -len(c)))
    # the start of a word every match contains is in every match too: a few short words test faster than
    # many long ones ("zaporizhzhia nuclear power plant" and its spellings -> "zaporizh", "zaporozh")
    return _minimal(frozenset(w[:_WORD_MAX] for w in best))


def _product(left: set[str] | frozenset[str], right: frozenset[str]) -> set[str]:
    return {a + b for a in left for b in right}


def _seq(items: Any) -> _Info:
    exact, cands = _seq_cands(items)
    return exact, _best(cands)


def _also(cands: list[frozenset[str]], best: _Words, most: int = 2) -> tuple[tuple[str, ...], ...]:
    """Other word sets every match of a sequence holds one of, besides ``best`` (a text must hold one word of
    each): "\\s+[—–]\\s+(?=and\\s)" needs "and" and a dash."""
    out: list[tuple[str, ...]] = []
    for c in cands:
        if c and "" not in c:
            words = _minimal(frozenset(w[:_WORD_MAX] for w in c))
            if words != best and tuple(sorted(words, key=len)) not in out:
                out.append(tuple(sorted(words, key=len)))
    out.sort(key=lambda ws: (len(ws), -min(map(len, ws))))
    return tuple(out[:most])


def _seq_cands(items: Any) -> tuple[_Words, list[frozenset[str]]]:
    """The exact strings a sequence matches (None when unknown) and the word sets one word of each of which
    every match holds."""
    cands: list[frozenset[str]] = []
    run: set[str] | None = {""}
    exact_all = True
    for op, av in items:
        if op is _c.ASSERT:
            side = _seq(av[1])[1]  # a positive lookaround's text is in the string too
            if side is not None:
                cands.append(side)
            continue
        ex, words = _node(op, av)
        if ex is not None:
            if run is None:
                run = set(ex)
            else:
                product = _product(run, ex)
                if len(product) > _LIMIT:
                    cands.append(frozenset(run))
                    run, exact_all = set(ex), False
                else:
                    run = product
            continue
        exact_all = False
        if run is not None:
            cands.append(frozenset(run))
            run = None
        if words is not None:
            cands.append(words)
    if run is not None:
        cands.append(frozenset(run))
    return (frozenset(run) if exact_all and run is not None else None), cands


def _chars(av: Any) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, v in av:
        if op is _c.LITERAL:
            codes = [v]
        elif op is _c.RANGE and v[1] - v[0] < 8:
            codes = list(range(v[0], v[1] + 1))
        else:
            return None
        for code in codes:
            c = _char(code)
            if c is None:
                return None
            chars.add(c)
    return frozenset(chars) if 0 < len(chars) <= 8 else None


def _node(op: Any, av: Any) -> _Info:
    if op is _c.LITERAL:
        c = _char(av)
        return (None if c is None else frozenset({c})), None
    if op is _c.IN:
        return _chars(av), None
    if op in _ZERO_WIDTH:
        return frozenset({""}), None  # zero width: neither consumes nor breaks a literal run
    if op is _c.SUBPATTERN:
        return _seq(av[3])
    if op is _c.ATOMIC_GROUP:
        return _seq(av)
    if op is _c.BRANCH:
        infos = [_seq(branch) for branch in av[1]]
        exact = None
        if all(ex is not None for ex, _ in infos):
            union = frozenset().union(*(ex for ex, _ in infos if ex is not None))
            exact = union if len(union) <= _LIMIT else None
        if any(words is None for _, words in infos):
            return exact, None
        return exact, _minimal(frozenset().union(*(words for _, words in infos if words is not None)))
    if op in _REPEATS:
        lo, hi, body = av
        ex, words = _seq(body)
        if lo == 0:
            return (ex | {""} if ex is not None and hi == 1 else None), None
        return (ex if lo == hi == 1 else None), words
    return None, None  # any character, a class, a back reference: unknown text


def _fit(strings: set[str]) -> set[str] | None:
    """``strings`` cut short enough that at most ``_LIMIT`` remain (a match that starts with a string starts with
    its start too), or None when even their first characters are too many."""
    if len(strings) <= _LIMIT:
        return strings
    for n in range(max(map(len, strings)) - 1, 0, -1):
        cut = {w[:n] for w in strings}
        if len(cut) <= _LIMIT:
            return cut
    return None


def _first(items: Any) -> _Words:
    """Strings one of which every match of the sequence starts with (None when unknown)."""
    prefix: set[str] = {""}
    items = list(items)
    for k, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        ex = _node(op, av)[0]
        if ex is not None:
            product = _product(prefix, ex)
            if len(product) > _LIMIT:
                break
            prefix = product
            continue
        inner: _Words = None
        if op is _c.SUBPATTERN:
            inner = _first(av[3])
        elif op is _c.ATOMIC_GROUP:
            inner = _first(av)
        elif op is _c.BRANCH:
            firsts = [_first(branch) for branch in av[1]]
            if all(f is not None for f in firsts):
                inner = frozenset().union(*(f for f in firsts if f is not None))
        elif op in _REPEATS and av[0] >= 1:
            inner = _first(av[2])
        elif op in _REPEATS:
            # an optional part: a match starts with it or with what follows it
            body, rest = _first(av[2]), _first(items[k + 1:])
            if body is not None and rest is not None:
                inner = body | rest
        if inner is not None:
            # (many alternatives: their first strings cut to a common length)
            prefix = _fit(_product(prefix, inner)) or prefix
        break
    if "" in prefix:
        return None
    # a string that starts with another one of the set starts where that one is found
    return frozenset(w for w in prefix if not any(o != w and w.startswith(o) for o in prefix))


def alternatives(src: str) -> list[str]:
    """The top-level alternatives of a pattern's source (the whole source when it has none)."""
    out: list[str] = []
    depth = start = i = 0
    n = len(src)
    while i < n:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i += 1
            if i < n and src[i] == "^":
                i += 1
            if i < n and src[i] == "]":
                i += 1
            while i < n and src[i] != "]":
                i += 2 if src[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(src[start:i])
            start = i + 1
        i += 1
    out.append(src[start:])
    return out


def required_words(pattern: re.Pattern[str]) -> _Words:
    """Lower-case strings one of which every match of ``pattern`` contains (None when unknown)."""
    if _p is None or not isinstance(pattern.pattern, str):
        return None
    try:
        return _seq(list(_parse(pattern.pattern, pattern.flags)))[1]
    except Exception:  # an unparsable pattern is simply not prefiltered
        return None


def first_strings(pattern: re.Pattern[str]) -> _Words:
    """Lower-case strings one of which every match of ``pattern`` starts with (None when unknown)."""
    if _p is None or not isinstance(pattern.pattern, str):
        return None
    try:
        return _first(list(_parse(pattern.pattern, pattern.flags)))
    except Exception:  # likewise
        return None


def unbounded(alternation: str, flags: int = 0) -> re.Pattern[str] | None:
    """``alternation`` compiled without the word boundaries its callers wrap it in, for a test on a whole text
    whose parts they search: where it finds nothing in the text, no part (a substring) holds a match of the
    wrapped pattern. None when that cannot be promised (an alternative looks outside its own match: an anchor,
    a lookaround or a back reference)."""
    if _p is None:
        return None
    try:
        tree = _parse(alternation, flags)
    except Exception:  # an unparsable pattern: no promise
        return None
    if _looks_outside(tree):
        return None
    return gate(re.compile(alternation, flags))


def _looks_behind(items: Any) -> bool:
    """Whether a parsed pattern holds a positive lookbehind (whose text may precede the match)."""
    return _any_node(items, lambda op, av: op is _c.ASSERT and av[0] < 0)


def _looks_outside(items: Any) -> bool:
    """Whether a parsed pattern looks outside its match: an anchor, a lookaround or a back reference."""
    return _any_node(items, lambda op, av: op in _ZERO_WIDTH or op is _c.GROUPREF or op is _c.GROUPREF_EXISTS)


def _any_node(items: Any, test: Callable[[Any, Any], bool]) -> bool:
    """Whether ``test(op, av)`` holds for a node of a parsed pattern, at any depth (in lookarounds too)."""
    for op, av in items:
        if test(op, av):
            return True
        inner: list[Any] = []
        if op is _c.ASSERT or op is _c.ASSERT_NOT:
            inner = [av[1]]
        elif op is _c.SUBPATTERN:
            inner = [av[3]]
        elif op is _c.ATOMIC_GROUP:
            inner = [av]
        elif op is _c.BRANCH:
            inner = list(av[1])
        elif op in _REPEATS:
            inner = [av[2]]
        elif op is _c.GROUPREF_EXISTS:
            inner = [part for part in av[1:] if part is not None]
        if any(_any_node(part, test) for part in inner):
            return True
    return False


_Branch = tuple[tuple[str, ...] | None, tuple[str, ...] | None, re.Pattern[str] | None]
_Also = tuple[tuple[str, ...], ...]  # further word sets a match holds one word of each of
_Alone = tuple[tuple[str, ...] | None, _Also, re.Pattern[str]]


class Prefiltered:
    """A compiled pattern behind its prefilters, with the methods the extractor uses and the same answers.

    ``branches`` holds per top-level alternative (required words, first strings, the alternative compiled
    alone when it has no first strings and the pattern has several alternatives).
    """

    __slots__ = ("ahead", "alone_words", "also", "branches", "fast", "flags", "groupindex", "groups", "heads", "native",
                 "nonempty", "pattern", "quick", "ready", "regex", "simple", "starter", "starters", "walk_after",
                 "walk_firsts", "walk_scan", "weak", "words")

    def __init__(self, regex: re.Pattern[str]) -> None:
        _MADE.append(self)
        self.regex = regex
        self.fast = regex  # the pattern re searches with (see lead_checked; matches at a given place use regex)
        self.pattern = regex.pattern
        self.flags = regex.flags
        self.groups = regex.groups
        self.groupindex = regex.groupindex
        self.ready = False  # the parse tree is read on first use, not at import
        self.branches: tuple[_Branch, ...] = ((None, None, None),)
        self.words: tuple[str, ...] | None = None
        self.nonempty = False
        self.simple = True
        self.starter: re.Pattern[str] | None = None
        self.heads: tuple[str, ...] | None = None
        self.native = False
        self.quick = False  # a native pattern with a few words: the word test still goes first
        self.alone_words: tuple[_Alone, ...] = ()
        self.also: _Also = ()  # one alternative without first strings: its further word sets
        self.walk_scan: re.Pattern[str] | None = None  # see _walk
        self.walk_firsts: tuple[str, ...] = ()
        self.walk_after: frozenset[str] = frozenset()
        # alternatives with a first string of one or two letters ("on", "at": found all over a text), as (bit, the
        # words one of which each match of it holds), and the starter without those (bits) the text cannot match
        self.weak: tuple[tuple[int, tuple[str, ...]], ...] = ()
        self.starters: dict[int, re.Pattern[str] | None] = {}
        # the weak alternatives with short words for first strings and without a positive lookbehind (their words
        # start no earlier than their matches)
        self.ahead = 0

    def _prepare(self) -> None:
        self.ready = True
        src = self.pattern
        parts = [src] if self.flags & re.VERBOSE or "(?#" in src else alternatives(src)
        try:
            with_also = _branches(parts, self.flags)
            branches = [branch for branch, _, _ in with_also]
            self.nonempty = _parse(src, self.flags).getwidth()[0] >= 1
        except Exception:  # a pattern the prefilter cannot read runs as it is
            return
        self.branches = tuple(branches)
        every = [w for w, _, _ in branches]
        self.words = None if any(w is None for w in every) else tuple(
            sorted({x for w in every if w for x in w}, key=len))
        # one alternative without first strings: the word test, then the pattern's own methods; so too one that may
        # start with a string of one or two characters ("in", "at", or first strings cut that short): such a string
        # is found all over a text, and a walk from one of its places to the next costs more than re's own scan
        self.simple = len(branches) == 1 and (branches[0][1] is None or min(map(len, branches[0][1])) <= _SHORT_FIRST)
        if self.simple:
            self.also = with_also[0][1]
        elif not self.nonempty and all(first is not None or after is not None
                                       for (_, first, _), _, after in with_also):
            # a pattern that may match empty text, each of whose alternatives starts with a first string or right
            # after one of a few characters: the places where a match may start are found by one character class
            self.walk_firsts = tuple(sorted({s for (_, first, _), _, _ in with_also for s in first or ()}))
            self.walk_after = frozenset(c for _, _, after in with_also for c in after or ())
            self.walk_scan = re.compile(
                "[" + "".join(sorted(re.escape(c) for c in {s[0] for s in self.walk_firsts} | self.walk_after)) + "]")
        if all(first is not None for _, first, _ in branches):
            # what a match at a given place starts with: ``match`` tests that place alone
            self.heads = tuple(sorted({s for _, first, _ in branches if first is not None for s in first}))
        self.native = _scans_natively(self.regex, self.heads)
        self.fast = self.regex if self.native else lead_checked(self.regex)
        # re scans for a pattern like "\\*{1,3}|_{2,3}" on its own (by its first characters), but a text without
        # "*" or "_" is told faster (a pattern re finds by a literal prefix or only at the start is left to it)
        self.quick = (self.native and self.words is not None and len(self.words) <= 3
                      and not self.pattern.startswith("^") and not _literal_prefix(self.regex))
        if self.heads is not None and self.words is not None and len(self.words) >= _LONG_WORDS:
            # every alternative has first strings: the starter's one search finds no place in a text without them,
            # faster than testing a long list of words first
            self.words = None
        if not self.simple:
            # every alternative's first strings in one literal pattern (searched in C on the folded text), and
            # the alternatives without first strings searched alone (each behind its own words)
            firsts = {s for _, first, _ in branches if first is not None for s in first}
            self.starter = literal_pattern(firsts) if firsts else None
            self.alone_words = tuple((w, also, a) for (w, first, a), also, _ in with_also
                                     if first is None and a is not None)
            self.weak = tuple((1 << b, w) for b, (w, first, _) in enumerate(branches)
                              if first is not None and w is not None and min(map(len, first)) <= 2)
            # (worth its word search where the first strings are short words, found all over a text; not for a comma)
            self.ahead = sum(bit for bit, _ in self.weak
                             if any(s.isalpha() for s in branches[bit.bit_length() - 1][1] or ())
                             and not _looks_behind(_parse(parts[bit.bit_length() - 1], self.flags)))
            for k in range(1, 1 << len(self.weak)) if len(self.weak) <= 4 else ():
                # the starter without each combination of weak alternatives, made now rather than mid-stream
                self._starter_without(sum(bit for j, (bit, _) in enumerate(self.weak) if k >> j & 1))

    @property
    def bare(self) -> bool:
        """Whether the prefilter has nothing to test before re's own work: no word and no start to look for, or
        a pattern re scans fast itself with no quick word test first (the wrapper then only costs its calls)."""
        return self.ready and ((self.simple and self.words is None and self.walk_scan is None)
                               or (self.native and not self.quick))

    def _steps(self, folded: str) -> list[tuple[int, re.Pattern[str] | None]]:
        """The starter patterns to search the folded text with, each as (the last place it serves, pattern): the
        starter less the first strings of the weak alternatives none of whose words the text holds (such an
        alternative matches nowhere in it), and past the last place where one of an alternative's words starts,
        less that alternative's too (a match or its lookahead holds one of its words, so it starts at or before
        that place; not so for the words of an alternative with a lookbehind)."""
        out = 0
        lasts: list[tuple[int, int]] = []
        for bit, words in self.weak:
            if not bit & self.ahead:
                for w in words:
                    if w in folded:
                        break
                else:
                    out |= bit
                continue
            last = -1
            for w in words:
                i = folded.rfind(w)
                if i > last:
                    last = i
            if last < 0:
                out |= bit
            else:
                lasts.append((last, bit))
        steps: list[tuple[int, re.Pattern[str] | None]] = []
        lasts.sort()
        for last, bit in lasts:
            steps.append((last, self._starter_without(out) if out else self.starter))
            out |= bit
        steps.append((len(folded), self._starter_without(out) if out else self.starter))
        return steps

    def _starter_without(self, out: int) -> re.Pattern[str] | None:
        if out not in self.starters:
            firsts = {s for b, (_, first, _) in enumerate(self.branches) if not out >> b & 1 and first is not None
                      for s in first}
            self.starters[out] = literal_pattern(firsts) if firsts else None
        return self.starters[out]

    def _may(self, text: str) -> bool:
        if self.words is None:
            return True
        folded = fold(text)
        for w in self.words:
            if w in folded:
                break
        else:
            return False
        return not self.also or _holds_each(folded, self.also)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        if not self.ready:
            self._prepare()
        if self.native:
            return None if self.quick and not self._may(text) else self.regex.search(text, pos)
        if self.simple:
            return self.fast.search(text, pos) if self._may(text) else None
        return self._search_starts(text, pos) if self._may(text) else None

    def _alone_starts(self, text: str, folded: str, pos: int) -> tuple[list[re.Pattern[str]], list[int]]:
        """The alternatives without first strings whose words ``text`` holds, and where each next matches."""
        alones: list[re.Pattern[str]] = []
        nexts: list[int] = []
        for words, also, alone in self.alone_words:
            if words is not None:
                for w in words:
                    if w in folded:
                        break
                else:
                    continue
                if also and not _holds_each(folded, also):
                    continue
            m = alone.search(text, pos)
            alones.append(alone)
            nexts.append(-1 if m is None else m.start())
        return alones, nexts

    def _search_starts(self, text: str, pos: int) -> re.Match[str] | None:
        # the places where a first string starts, in order, up to the leftmost match of an alternative
        # searched alone: the first place where the pattern matches is where its search finds it
        folded = fold(text)
        limit = -1
        if self.alone_words:
            for nxt in self._alone_starts(text, folded, pos)[1]:
                if nxt >= 0 and (limit < 0 or nxt < limit):
                    limit = nxt
        match = self.regex.match
        steps = self._steps(folded) if self.weak else [(len(folded), self.starter)]
        step = 0
        upto, starter = steps[0]
        while starter is not None:
            s = starter.search(folded, pos)
            if s is None:
                break
            at = s.start()
            if at > upto:  # past the words of the next weak alternative: search on without it
                step += 1
                upto, starter = steps[step]
                continue
            if 0 <= limit <= at:
                break
            m = match(text, at)
            if m is not None:
                return m
            pos = at + 1
        if limit < 0:
            return None
        m = match(text, limit)
        if m is None:  # (an alternative that matches alone but not within the pattern: search on)
            return next(self._iter(text, limit + 1), None) if self.nonempty else self.fast.search(text, limit + 1)
        return m

    def _iter(self, text: str, pos: int) -> Iterator[re.Match[str]]:
        # matches are never empty, so re's finditer searches again where the last match ended: the next first
        # string's place (found by the starter pattern) or an alternative's next match searched alone
        folded = fold(text)
        alones, nexts = self._alone_starts(text, folded, pos) if self.alone_words else ([], [])
        steps = self._steps(folded) if self.weak else [(len(folded), self.starter)]
        step = 0
        upto, starter = steps[0]
        nfirst = -2  # the next first string's place at or after pos (-2: not looked for yet, -1: none)
        match = self.regex.match
        while True:
            while starter is not None and (nfirst == -2 or 0 <= nfirst < pos):
                s = starter.search(folded, pos)
                nfirst = -1 if s is None else s.start()
                if nfirst > upto:  # past the words of the next weak alternative: search on without it
                    step += 1
                    upto, starter = steps[step]
                    nfirst = -2
            best = nfirst
            for k, alone in enumerate(alones):
                nxt = nexts[k]
                if 0 <= nxt < pos:
                    m = alone.search(text, pos)
                    nxt = nexts[k] = -1 if m is None else m.start()
                if nxt >= 0 and (best < 0 or nxt < best):
                    best = nxt
            if best < 0:
                return
            m = match(text, best)
            if m is None:
                pos = best + 1
                continue
            yield m
            pos = m.end()

    def _walk(self, text: str, pos: int) -> Iterator[re.Match[str]]:
        # what re's finditer gives, for a pattern that may match empty text: the places where a match may start
        # (at a first string, or right after one of the characters an alternative's lookbehind ends with) are
        # tried in order; after an empty match re's own iteration goes on (it then wants a longer match there)
        folded = fold(text)
        match = self.regex.match
        firsts, after = self.walk_firsts, self.walk_after
        tried = -1
        for hit in self.walk_scan.finditer(folded, max(0, pos - 1)):  # type: ignore[union-attr]
            i = hit.start()
            for at in (i, i + 1):
                if at < pos or at <= tried:
                    continue
                if not (folded.startswith(firsts, at) if at == i else folded[i] in after):
                    continue
                tried = at
                m = match(text, at)
                if m is None:
                    continue
                yield m
                if m.end() == at:
                    rest = self.fast.finditer(text, at)
                    next(rest)
                    yield from rest
                    return
                pos = m.end()

    def _may_at(self, text: str, args: tuple[int, ...]) -> bool:
        """Whether a match may start at the place ``match(text, *args)`` tries."""
        heads = self.heads
        if heads is None or (args and args[0] < 0):
            return self._may(text)
        return fold(text).startswith(heads, *args)

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        if not self.ready:
            self._prepare()
        return self.regex.match(text, *args) if self._may_at(text, args) else None

    def fullmatch(self, text: str, *args: int) -> re.Match[str] | None:
        if not self.ready:
            self._prepare()
        return self.regex.fullmatch(text, *args) if self._may_at(text, args) else None

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        if not self.ready:
            self._prepare()
        if self.native:
            return iter(()) if self.quick and not self._may(text) else self.regex.finditer(text, pos)
        if self.walk_scan is not None:
            return self._walk(text, pos) if self._may(text) else iter(())
        if self.simple or not self.nonempty:
            return self.fast.finditer(text, pos) if self._may(text) else iter(())
        return self._iter(text, pos) if self._may(text) else iter(())

    def findall(self, text: str, *args: int) -> list[Any]:
        if not self.ready:
            self._prepare()
        if self.native:
            return [] if self.quick and not self._may(text) else self.regex.findall(text, *args)
        return self.fast.findall(text, *args) if self._may(text) else []

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        if not self.ready:
            self._prepare()
        if self.native:
            return [text] if self.quick and not self._may(text) else self.regex.split(text, maxsplit)
        if self.simple or (not self.nonempty and self.walk_scan is None):
            return self.fast.split(text, maxsplit) if self._may(text) else [text]
        out: list[str | Any] = []
        last = done = 0
        for m in self.finditer(text):
            out.append(text[last:m.start()])
            out.extend(m.groups())
            last = m.end()
            done += 1
            if done == maxsplit:
                break
        out.append(text[last:])
        return out

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        if not self.ready:
            self._prepare()
        if self.native:
            return text if self.quick and not self._may(text) else self.regex.sub(repl, text, count)
        if self.simple or not self.nonempty:
            return self.fast.sub(repl, text, count) if self._may(text) else text
        # a template ("\\1 ") is expanded per match as re.sub does it
        template = repl if isinstance(repl, str) and "\\" in repl else None
        pieces: list[str] = []
        last = done = 0
        for m in self.finditer(text):
            pieces.append(text[last:m.start()])
            if template is not None:
                pieces.append(m.expand(template))
            else:
                pieces.append(repl if isinstance(repl, str) else repl(m))
            last = m.end()
            done += 1
            if done == count:
                break
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)

    def __repr__(self) -> str:
        return f"Prefiltered({self.regex!r})"


def _holds_each(folded: str, sets: _Also) -> bool:
    """Whether ``folded`` holds a word of each set."""
    for words in sets:
        for w in words:
            if w in folded:
                break
        else:
            return False
    return True


def _branches(parts: list[str], flags: int) -> list[tuple[_Branch, _Also, frozenset[str] | None]]:
    out: list[tuple[_Branch, _Also, frozenset[str] | None]] = []
    for part in parts:
        tree = list(_parse(part, flags))
        cands = _seq_cands(tree)[1]
        words, first = _best(cands), _first(tree)
        alone = lead_checked(re.compile(part, flags)) if first is None and len(parts) > 1 else None
        out.append(((None if words is None else tuple(sorted(words, key=len)),
                     None if first is None else tuple(sorted(first)), alone),
                    () if words is None else _also(cands, words), _after(tree)))
    return out


def _after(items: Any) -> frozenset[str] | None:
    """The characters one of which every match of the sequence comes right after, when it opens with a
    lookbehind that ends with one of a few characters ("(?<=[.!?])"); else None."""
    for op, av in items:
        if op is _c.ASSERT and av[0] == -1 and av[1]:
            last_op, last_av = list(av[1])[-1]
            if last_op is _c.LITERAL:
                c = _char(last_av)
                return None if c is None else frozenset({c})
            return _chars(last_av) if last_op is _c.IN else None
        if op not in _ZERO_WIDTH:
            return None
    return None


def lead_checked(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` behind a lookahead for the characters one of which each of its matches starts with, when it
    opens with an assertion (a lookbehind, a word boundary): ``re`` gets no start shortcut from such a pattern
    and runs its assertions at every position of a text, while the one-character test turns most positions
    down at once. The matches are the same, groups included (the lookahead consumes and captures nothing);
    ``regex`` itself when no such set of characters is known (a match may be empty or start with anything)."""
    if _p is None or not isinstance(regex.pattern, str) or regex.flags & (re.VERBOSE | re.LOCALE):
        return regex
    try:
        tree = _parse(regex.pattern, regex.flags)
        if not tree.data or tree.data[0][0] not in _ZERO_WIDTH or tree.getwidth()[0] < 1 or (
                tree.data[0][0] is _c.AT and tree.data[0][1] in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING)):
            return regex  # (re tries a pattern anchored at the start at one place only)
        op, av = tree.data[0]
        behind = list(av[1]) if op is _c.ASSERT and av[0] < 0 else []
        if len(behind) == 1 and behind[0][0] in (_c.IN, _c.LITERAL):
            return regex  # a lookbehind for one character of a class ("(?<=[.!?])") turns positions down as fast
        items, nullable = _lead(tree.data)
        if items is None or nullable:
            return regex
        fast = re.compile("(?=[" + "".join(sorted(items)) + "])(?:" + regex.pattern + ")", regex.flags)
    except Exception:  # a pattern this cannot read or rewrite (inline global flags): as it is
        return regex
    if fast.groups != regex.groups or fast.groupindex != regex.groupindex:
        return regex  # pragma: no cover
    return fast


_CLASS_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
} if _p is not None else {}


def _class_char(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _lead(items: Any) -> tuple[set[str] | None, bool]:
    """The character-class items one of which a match of the sequence starts with (None when unknown), and
    whether the sequence may match empty text (then what follows it may start the match)."""
    found: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        part, nullable = _lead_node(op, av)
        if part is None:
            return None, False
        found |= part
        if not nullable:
            return found, False
    return found, True


def _lead_node(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    if op is _c.LITERAL:
        return {_class_char(av)}, False
    if op is _c.IN:
        out: set[str] = set()
        for iop, iav in av:
            if iop is _c.LITERAL:
                out.add(_class_char(iav))
            elif iop is _c.RANGE:
                out.add(_class_char(iav[0]) + "-" + _class_char(iav[1]))
            elif iop is _c.CATEGORY and iav in _CLASS_CATEGORIES:
                out.add(_CLASS_CATEGORIES[iav])
            else:  # a negated set (or anything else): no union of sets can say it
                return None, False
        return out, False
    if op is _c.SUBPATTERN:
        if av[1] or av[2]:  # a group with flags of its own ("(?i:...)"): the class would be read otherwise
            return None, False
        return _lead(av[3])
    if op is _c.ATOMIC_GROUP:
        return _lead(av)
    if op is _c.BRANCH:
        out, empty = set(), False
        for branch in av[1]:
            part, nullable = _lead(branch)
            if part is None:
                return None, False
            out |= part
            empty = empty or nullable
        return out, empty
    if op in _REPEATS:
        part, nullable = _lead(av[2])
        return part, part is not None and (nullable or av[0] == 0)
    return None, False  # any character, a negated literal, a back reference: anything may start it


def _scans_natively(regex: re.Pattern[str], heads: tuple[str, ...] | None) -> bool:
    """Whether ``re`` finds this pattern's matches at least as fast on its own: it only matches at the start
    of the text, or ``re`` skips to its start by a literal prefix or a set of first characters, or every match
    starts with one character of a few (the prefilter's walk would stop at the same places)."""
    try:
        tree = _parse(regex.pattern, regex.flags)
        if tree.getwidth()[0] == 0:
            return False
        first = tree.data[0] if tree.data else None
        if first is not None and first[0] is _c.AT and first[1] in (_c.AT_BEGINNING_STRING, _c.AT_BEGINNING) and not (
                regex.flags & re.MULTILINE and first[1] is _c.AT_BEGINNING):
            return True
        compiler = importlib.import_module("re._compiler")
        if compiler._get_literal_prefix(tree, regex.flags)[0] or compiler._get_charset_prefix(tree, regex.flags):
            return True
    except Exception:  # internals of another Python version: prefilter as usual
        return False
    return heads is not None and all(len(h) == 1 for h in heads)


def _literal_prefix(regex: re.Pattern[str]) -> bool:
    """Whether ``re`` finds this pattern's matches by a literal prefix (True when that cannot be told)."""
    try:
        compiler = importlib.import_module("re._compiler")
        return bool(compiler._get_literal_prefix(_parse(regex.pattern, regex.flags), regex.flags)[0])
    except Exception:  # internals of another Python version: leave the pattern to re
        return True


def literal_pattern(strings: set[str] | frozenset[str]) -> re.Pattern[str]:
    """A case-sensitive pattern that matches where one of ``strings`` (non-empty) starts, written as a trie so
    that ``re`` skips by the first characters and never tries a string twice."""
    # a string that starts with another one starts where that one does
    kept = sorted(w for w in strings if not any(o != w and w.startswith(o) for o in strings))
    return re.compile(_trie(kept))


def _trie(strings: list[str]) -> str:
    heads: dict[str, list[str]] = {}
    for w in strings:
        heads.setdefault(w[0], []).append(w[1:])
    alts = [re.escape(c) + ("" if rest == [""] else _trie(rest)) for c, rest in heads.items()]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


_MADE: list[Prefiltered] = []  # every wrapper made, for prepare_all()
_GATED: list[tuple[MutableMapping[str, Any], str]] = []  # the module-level names gate_all() wrapped patterns at
_FAMILIES: list[Family] = []


def prepare_all() -> None:
    """Work out the prefilters of every wrapped pattern now (else each on its first use); a module-level pattern
    whose prefilter has nothing to test before re's own work (see ``Prefiltered.bare``) is put back as it is, so
    its calls skip the wrapper."""
    for wrapped in _MADE:
        if not wrapped.ready:
            wrapped._prepare()
    for family in _FAMILIES:
        if not family.ready:
            family.prepare()
    for namespace, name in _GATED:
        namespace[name] = _bare_value(namespace[name])
    _parse.cache_clear()  # (the trees are not needed once the prefilters are made)


def _bare_value(value: Any) -> Any:
    if isinstance(value, Prefiltered):
        return value.fast if value.bare else value
    if isinstance(value, tuple):
        return tuple(_bare_value(v) for v in value)
    return value


def gate(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` behind its prefilters (worked out on first use)."""
    if _p is None or not isinstance(regex.pattern, str):
        return regex
    # the wrapper answers every method the extractor calls on a pattern exactly as the pattern does
    return Prefiltered(regex)  # type: ignore[return-value]


class Family:
    """Several patterns a function tries on the same text, behind one test: the text may hold a match of one of
    them only if it holds one of the words their matches need, looked for one by one when they are few, else by
    one literal pattern (a function that finds nothing when none matches can return at once when ``may`` is
    False)."""

    __slots__ = ("finder", "patterns", "ready", "words")

    def __init__(self, *patterns: re.Pattern[str]) -> None:
        self.patterns = patterns
        self.ready = False
        self.finder: Callable[[str], re.Match[str] | None] | None = None
        self.words: tuple[str, ...] | None = None  # the words, when a few substring tests beat the literal pattern
        _FAMILIES.append(self)

    def prepare(self) -> None:
        self.ready = True
        words: set[str] = set()
        for pattern in self.patterns:
            need = required_words(getattr(pattern, "regex", pattern))
            if need is None:
                return  # a pattern that needs no known word: always try them
            words |= need
        few = _minimal(frozenset(words))
        if 0 < len(few) <= _FEW_WORDS:
            self.words = tuple(sorted(few, key=len))
        self.finder = literal_pattern(words).search if words else None

    def may(self, text: str) -> bool:
        if not self.ready:
            self.prepare()
        if self.words is not None:
            folded = fold(text)
            for w in self.words:
                if w in folded:
                    return True
            return False
        return self.finder is None or self.finder(fold(text)) is not None


def may_be_empty(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` may match the empty string somewhere (True when that cannot be told)."""
    try:
        return bool(_parse(pattern.pattern, pattern.flags).getwidth()[0] == 0)
    except Exception:  # an unreadable pattern: assume the worst
        return True


def _gate_value(value: Any) -> Any:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        return gate(value)
    if isinstance(value, tuple):
        return tuple(_gate_value(v) for v in value)
    return value


def gate_all(namespace: MutableMapping[str, Any], skip: tuple[str, ...] = ()) -> None:
    """Wrap every compiled pattern bound to a private module-level name (directly or inside tuples), except
    the names in ``skip``."""
    for name, value in list(namespace.items()):
        if name.startswith("_") and not name.startswith("__") and name not in skip:
            gated = _gate_value(value)
            if gated is not value:
                namespace[name] = gated
                _GATED.append((namespace, name))


def holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words`` (non-empty strings) as a substring: one pass of an Aho-Corasick
    automaton over the text rather than one substring search per word (a text that holds none of a long list
    costs the whole list otherwise); one by one without ahocorasick_rs or for a text it cannot take."""
    finder = _any_finder(words)
    if finder is not None:
        try:
            return bool(finder(text))
        except (UnicodeError, ValueError, TypeError):  # (a lone surrogate: no UTF-8 for Rust) one by one below
            pass
    for word in words:  # a loop: cheaper than any() over a generator for a text that holds none
        if word in text:
            return True
    return False


@cache
def _any_finder(words: tuple[str, ...]) -> Callable[[str], list[tuple[int, int, int]]] | None:
    if _ac is None or not words or not all(words):
        return None
    finder: Callable[[str], list[tuple[int, int, int]]] = _ac.AhoCorasick(list(words)).find_matches_as_indexes
    return finder
