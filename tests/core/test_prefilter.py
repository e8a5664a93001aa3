"""The regex prefilters change what a rule costs, never what it answers."""

from __future__ import annotations

import re

import pytest

from streams.core.extract import casualties, core, dates, lang, prefilter, text, vocab

TEXTS = [
    "",
    "Russian missiles hit Kyiv overnight, killing at least 12 people and injuring 40 others.",
    "The death toll from the strike on Dnipro rose to 45 on Monday, officials said; rescuers searched the rubble.",
    "After the attack on the Kerch bridge, Russia launched a barrage across Ukraine in retaliation for it.",
    "Ukrainian drones attacked the Belgorod region and the Russian border town of Shebekino — and hit a depot.",
    "Explosions were heard in Odesa as air raid sirens sounded; no casualties were reported.",
    "KYİV WAS HIT, the İnjured were taken away; ſhelling of Kherſon; Kyıv; the \u212aremlin said.",
    "Zelensky said Moscow's forces shelled Nikopol and Marhanets, killing two, three and one people respectively.",
    "Breaking: 3 dead after a Shahed-136 drone struck an apartment block in Zaporizhzhia on 29 December 2023.",
    "ukraine’s cities were targeted by 70 Ukrainian drones; a Crimean fuel depot burned",
    "no damage, nothing at all",
    "Удар «ГЕРАНЬ-2» по Харкову; ракета Х-101 влучила, герань збита, ᲀ ВЕЖА",
]


def _same(regex: re.Pattern[str], wrapped: re.Pattern[str], sample: str) -> None:
    def key(m: re.Match[str] | None) -> object:
        return None if m is None else (m.span(), m.groups(), m.lastgroup)

    assert key(wrapped.search(sample)) == key(regex.search(sample))
    assert key(wrapped.search(sample, 7)) == key(regex.search(sample, 7))
    assert key(wrapped.match(sample)) == key(regex.match(sample))
    for pos in (1, 7, len(sample) // 2, -3):
        assert key(wrapped.match(sample, pos)) == key(regex.match(sample, pos))
    assert key(wrapped.match(sample, 2, 12)) == key(regex.match(sample, 2, 12))
    assert key(wrapped.fullmatch(sample)) == key(regex.fullmatch(sample))
    assert [key(m) for m in wrapped.finditer(sample)] == [key(m) for m in regex.finditer(sample)]
    assert [key(m) for m in wrapped.finditer(sample, 5)] == [key(m) for m in regex.finditer(sample, 5)]
    assert wrapped.split(sample) == regex.split(sample)
    assert wrapped.split(sample, 1) == regex.split(sample, 1)
    assert wrapped.sub(" ", sample) == regex.sub(" ", sample)
    assert wrapped.sub(r"[\g<0>\n]", sample) == regex.sub(r"[\g<0>\n]", sample)  # a template, expanded per match
    if regex.groups:
        assert wrapped.sub(r"<\1>", sample, 2) == regex.sub(r"<\1>", sample, 2)
    assert wrapped.sub(lambda m: m.group(0).upper(), sample, 1) == regex.sub(lambda m: m.group(0).upper(), sample, 1)
    assert wrapped.findall(sample) == regex.findall(sample)


def _extractor_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    out = []

    def collect(name: str, value: object) -> None:
        if isinstance(value, prefilter.Prefiltered):
            out.append((name, value.regex, value))  # type: ignore[arg-type]
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                collect(f"{name}[{i}]", item)

    for module in (core, casualties, dates, text):
        for name, value in vars(module).items():
            collect(f"{module.__name__}.{name}", value)
    language = lang.load("en")
    for frame in language.non_strike_frames:
        collect(frame.name, frame.regex)
    collect("strike_cue", language.strike_cue)
    collect("attack_word", language.attack_word)
    for name in ("weapons", "targets", "attackers"):
        collect(name, vocab.load(name).regex)
    return out


def test_most_extractor_patterns_are_prefiltered() -> None:
    assert len(_extractor_patterns()) > 100


@pytest.mark.parametrize("sample", TEXTS)
def test_every_prefiltered_extractor_pattern_answers_like_its_regex(sample: str) -> None:
    for name, regex, wrapped in _extractor_patterns():
        try:
            _same(regex, wrapped, sample)
        except AssertionError as exc:
            raise AssertionError(f"{name} on {sample!r}") from exc


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"(?<![\w-])(?:attack|strike)s?(?![\w-])", re.I),
        (r"(?P<verb>killed|injured)\s+(?P<n>\d+)|(?P<toll>toll) rose", re.I),
        (r"\s*;\s*|,\s+(?=(?:which|while)\s)|(?<!\bin)\s+(?=revenge for\s)", re.I),
        (r"Kyiv|Kremlin", 0),
        (r"(?:ab)*c?", 0),  # may match empty: the pattern's own methods run
        (r"ſtrike|kyiv", re.I),
        (r"^(?:after|strikes)\s", re.I),  # re itself only tries the start: the pattern runs as it is
        (r"[ \t\u00a0]+", 0),  # likewise for a pattern whose matches start with one of a few characters
        # alternatives that start with a short word ("on", "at") are left out of the walk where their other words
        # are missing ("Ukrainian cities" holds no "ukraine")
        (r"(?:on|at|in)\s+(?:the\s+)?Ukraine(?![\w'’])|Ukrainian (?:cities|targets)|strikes? on Russia", re.I),
        # an alternative searched alone only where the text holds a word of each set it needs ("and" and a dash)
        (r"\s*;\s*|\s+[—–]\s+(?=and\s)|\s+and\s+(?=(?:hit|struck)\s)", re.I),
        # matches that may be empty, starting right after a character a lookbehind ends with: the sentence splitter
        (r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+|(?<=[a-z0-9]{3}[.!?])(?=[A-Z])"
         r"|(?<=[a-z0-9][.!?][\"”’'])(?=[A-Z])", 0),
        (r"(?<=[.!?])(?=[A-Z])|\n|(?<=[a-z])(?=\d)", 0),
        # a short-word alternative is searched for only up to the last place where its word starts (in its match
        # or its lookahead), but everywhere when the word may stand in a lookbehind before the match
        (r"(?:in|on)\s+(?:the\s+)?Russia(?![\w'’])|Russian (?:regions|border)", re.I),
        (r"(?:in|on)\s+(?=(?:\w+\s+)?Moscow\b)|Moscow region", re.I),
        (r"(?<=Moscow )(?:in|on)\s+\w+|Moscow region", re.I),
    ],
)
def test_prefiltered_pattern_answers_like_its_regex(pattern: str, flags: int) -> None:
    regex = re.compile(pattern, flags)
    wrapped = prefilter.gate(regex)
    for sample in [*TEXTS, "Strikes; which were, which while revenge for it", "aab abc ababc KREMLIN kremlin",
                   "on Ukrainian cities at night, strikes on Russia", "in the Ukraine at on",
                   "Russian forces in the east struck in Russia on Sunday, in Russian regions and on the border",
                   "Moscow on fire; drones in Moscow, a blast on the outskirts in the Moscow region on Monday",
                   "drones over Moscow on Monday",
                   "rain and snow — and then and struck", "a — b and c; and hit",
                   'Kyiv hit.Then "Odesa." Next!"Yes" said.\n\nNew?”Fine. (A) b9 x1.A…B. C', ".A.B\n\n.C", "a1b2.C3"]:
        _same(regex, wrapped, sample)


def test_a_family_says_no_only_when_none_of_its_patterns_matches() -> None:
    families = [dates._CUES, casualties._FIGURE_CUES, core._REGION_CUES, lang.load("en").frame_cues]
    samples = [*TEXTS, "Crimea", "the DPR", "Kharkiv region", "region of Kherson", "dozens were hurt", "on Monday",
               "2023-12-29", "threatened to strike", "the day before", "plain words only"]
    for family in families:
        assert family is not None
        for sample in samples:
            if not family.may(sample):
                assert not any(p.search(sample) for p in family.patterns), sample
    assert not core._REGION_CUES.may("missiles hit the city overnight")
    assert core._REGION_CUES.may("shelling in the Kharkiv region")
    assert not casualties._FIGURE_CUES.may("missiles hit the city overnight")


def test_patterns_re_scans_fast_itself_are_left_to_re() -> None:
    assert prefilter.gate(re.compile(r"^(?:after|following)\s", re.I)).search("After it") is not None
    assert [p for p in (r"^(?:after|following)\s", r"<[^<>]{0,20}>", r"[ \t]+", r"(?:kyiv|lviv) hit")
            if _prepared(p).native] == [r"^(?:after|following)\s", r"<[^<>]{0,20}>", r"[ \t]+"]


def _prepared(pattern: str) -> prefilter.Prefiltered:
    wrapped = prefilter.gate(re.compile(pattern, re.I))
    wrapped.search("")
    assert isinstance(wrapped, prefilter.Prefiltered)
    return wrapped


def test_literal_pattern_matches_where_a_string_starts() -> None:
    rx = prefilter.literal_pattern({"ab", "abc", "b", "xyz", "xyw", "a.c"})
    text = "zzabcz xyw a.c xyq b"
    found = [m.start() for m in re.finditer(r"(?=" + rx.pattern + r")", text)]
    expected = sorted({i for w in ("ab", "abc", "b", "xyz", "xyw", "a.c") for i in range(len(text))
                       if text.startswith(w, i)})
    assert found == expected


def test_sub_with_a_template_expands_groups() -> None:
    regex = re.compile(r"(?P<w>Update|Live)(?=[A-Z][a-z])")
    wrapped = prefilter.gate(regex)
    assert wrapped.sub(r"\1 ", "UpdateAt least LiveNow") == "Update At least Live Now"


def test_required_words_and_first_strings() -> None:
    rx = re.compile(r"(?<![\w-])(?:heavy\s+)?(?:shelling|bombing) (?:of|in) [A-Z]\w+", re.I)
    assert prefilter.required_words(rx) == frozenset({"shelling", "bombing "})  # cut to 8
    # a match starts with the optional "heavy" or with what follows it
    assert prefilter.first_strings(rx) == frozenset(
        {"heavy", "shelling of ", "shelling in ", "bombing of ", "bombing in "})
    assert prefilter.first_strings(re.compile(r"(?:heavy\s+)?\w+ (?:of|in)", re.I)) is None  # what follows is any word
    # many alternatives: their first strings cut to a common length (at most 64 of them)
    many = prefilter.first_strings(re.compile(r"\b(?:" + "|".join(f"w{i:03d}x" for i in range(100)) + r")\b"))
    assert many == frozenset(f"w{i:02d}" for i in range(10))
    assert prefilter.first_strings(re.compile(r"\b(?:Russia|Moscow)['’]s\b", re.I)) == frozenset(
        {"russia's", "russia’s", "moscow's", "moscow’s"})
    assert prefilter.required_words(re.compile(r"\w+ty-\w+")) == frozenset({"ty-"})
    assert prefilter.required_words(re.compile(r"[A-Z]\w+")) is None


def test_fold_keeps_positions_and_the_letters_ignorecase_matches() -> None:
    sample = "KYİV, Kyıv and ſhelling near the \u212aremlin"
    folded = prefilter.fold(sample)
    assert len(folded) == len(sample)
    assert "kyiv, kyiv" in folded and "shelling" in folded and "kremlin" in folded


@pytest.mark.parametrize(
    "sample",
    [*TEXTS, "a parking lot and car parks were hit; Kh-101 and Х-101 missiles; герань drones; Shahed-136s",
     "Russian forces shelled the cathedral square and a cathedral; Ukrainian HIMARS struck a Russian base"],
)
def test_vocabulary_scan_finds_what_the_alternation_finds(sample: str) -> None:
    for name in ("weapons", "targets", "attackers"):
        vocabulary = vocab.load(name)
        assert vocabulary._scan(sample, vocab._scan_tables(vocabulary.sources)) == vocabulary._matches(sample), name


def test_an_unbounded_alternation_finds_in_the_whole_text_what_any_part_holds() -> None:
    words = r"strikes?|shell(?:ing|ed)|shot down"
    bounded = re.compile(r"(?<![\w-])(?:" + words + r")(?![\w-])", re.I)
    anywhere = prefilter.unbounded(words, re.I)
    assert anywhere is not None
    for sample in TEXTS:
        if bounded.search(sample):
            assert anywhere.search(sample)
    assert anywhere.search("Shot down over the sea") and not anywhere.search("shot at, then down")
    # an alternative that looks outside its own match gives no such promise
    assert prefilter.unbounded(r"hit(?! by)|strike", re.I) is None
    assert prefilter.unbounded(r"\bhit|strike", re.I) is None
    assert prefilter.unbounded(r"(a|b)\1", 0) is None


def test_lead_checked_finds_the_same_matches() -> None:
    # a pattern opening with lookbehinds is searched behind a one-character lookahead; matches, groups and
    # spans are those of the pattern itself
    regex = re.compile(r"(?<!\bday)(?<!\btwo),?\s+(?P<w>after|following)\s", re.I)
    fast = prefilter.lead_checked(regex)
    assert fast.pattern != regex.pattern
    text = "Two days after the strike, and, after it, two after three, day after day; Following\tthat after"
    assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == [
        (m.span(), m.groupdict()) for m in regex.finditer(text)]
    assert fast.sub("|", text) == regex.sub("|", text)


def test_lead_checked_leaves_patterns_it_cannot_bound() -> None:
    for src in (r"\bx?", r"(?<!a)(?i:b)c", r"\b[^a]b", r"^\s*after", r"(?<=[.!?])\s+", r"plain words"):
        regex = re.compile(src)
        assert prefilter.lead_checked(regex) is regex


@pytest.mark.parametrize("text", [
    "", "a quiet day in the garden", "Drone debris fell", "missiles", "xx shot down", "the shell", "ab\ud800 strike",
    "ab\ud800 calm", "a strike\u00e9", "ukrainian", "shot\ndown",
])
def test_holds_any_says_what_a_substring_test_of_each_word_says(text: str) -> None:
    words = ("missile", "strike", "shot down", "drone", "shell")
    assert prefilter.holds_any(text, words) == any(w in text for w in words)
    assert prefilter.holds_any(text.lower(), words) == any(w in text.lower() for w in words)
