"""Casualty figures in a clause: killed/injured with the spec's qualifiers.

Numbers count only when tied to a casualty verb or a person noun; "122 missiles" or "30 kilometres"
never become casualties. Vague words keep a lower bound (``dozens`` -> 24 vague); nothing invents an
exact number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from word2number import w2n

from streams.core.extract import lang, prefilter
from streams.core.models import Casualty, Qualifier

_WORDS = lang.load("en").words  # number words, qualifiers and vague quantities live in streams/data/lang/en.json
_UNITS = _WORDS.number_units
_TENS = _WORDS.number_tens
_NUMWORD = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_UNITS[1:10]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"|a hundred|one hundred|hundred)"
)
NUM = r"(?P<num>\d{1,3}(?:,\d{3})*|\d+|" + _NUMWORD + r")(?!\s+dozen)"  # ("two dozen" is a counted word)
_Q = r"(?P<q>" + "|".join(re.escape(q) for q in _WORDS.casualty_qualifiers) + r")?\s*"
_PEOPLE = (
    r"(?:(?:more |other |others |further |additional |ukrainian |russian |local |innocent |of |the )?"
    r"(?:people|persons|civilians|residents|others|children|adults|individuals|victims|men|women|"
    r"soldiers|servicemen|rescuers|firefighters|journalists|teenagers|kids|person|civilian|lives|bodies|"
    # "two farm workers", "five railway employees": a one-word modifier before a people noun
    r"Russians|Ukrainians|"
    r"(?:[a-z]+\s+)?(?:workers|employees|passengers|miners|students|pupils|patients|medics|volunteers|"
    r"police officers|policemen|pensioners|shoppers|guests|staff)))"
)
_BE = (
    r"(?:(?:were|was|have been|has been|had been|are|is|got|being|been|are known to have been|"
    r"are said to have been|were said to have been|reportedly|reported|later|also|confirmed|now)\s+){0,3}"
)
_KILL_PASSIVE = (
    r"(?P<kw>killed|dead|died|dies|dying|perished|lost their lives|slain|were found dead|found dead)"
)
# "four residents sustained injuries": a verb of receiving with the injury noun says the same as "injured"
_INJ_PASSIVE = r"(?P<kw>injured|wounded|hurt|hospitali[sz]ed|feriti|(?:sustained|suffered|received) (?:\w+ )?injuries)"

# "14 people - including two children - were killed", "23 people including six children were killed"
_INCLUDING = r"(?:\s*[-–—,(]\s*including [^.;()]{1,40}?[-–—,)]|\s+including\s+[\w-]+(?:\s+[\w-]+){0,2}?)?"
_KILLED_1 = re.compile(
    r"(?<![\w-])" + _Q + NUM + r"(?:\s+" + _PEOPLE + r")?" + _INCLUDING + r"\s+"
    + _BE + _KILL_PASSIVE + r"(?![\w-])", re.I,
)
_INJURED_1 = re.compile(
    r"(?<![\w-])" + _Q + NUM + r"(?:\s+" + _PEOPLE + r")?" + _INCLUDING + r"\s+"
    + _BE + _INJ_PASSIVE + r"(?![\w-])", re.I,
)
# "causing injuries to at least 28 people", "resulting in 22 reported injuries"
_INJURIES_NOUN = re.compile(
    r"(?<![\w-])(?:injur(?:ies|y)|wounds)\s+to\s+" + _Q + NUM + r"\s+" + _PEOPLE + r"(?![\w-])"
    r"|(?<![\w-])" + _Q.replace("?P<q>", "?P<q2>") + NUM.replace("?P<num>", "?P<num2>")
    + r"\s+(?:reported\s+|more\s+|further\s+|civilian\s+)?(?:injuries|people injured|people wounded)(?![\w-])",
    re.I,
)
_KILLED_2 = re.compile(
    r"(?<![\w-])(?:killing|killed|kills|kill|claimed|claiming|claims|claim|left|leaving|leaves|took the lives of|"
    r"(?:claimed|claiming|claims|took|taking|takes) the lives of)\s+"
    + _Q + NUM + r"(?:\s+" + _PEOPLE + r")?(?:\s+(?:dead|lives))?(?![\w-])", re.I,
)
_KILLED_2_REQ_NOUN = re.compile(r"claim|claimed|claiming|claims|left|leaving|leaves", re.I)
# "5 fatalities", "at least 12 reported deaths": the death noun counted like the injury noun
# "the killing of at least 19 soldiers", "the deaths of 12 civilians": the toll as the object of a death noun
_DEATHS_OF = re.compile(
    r"(?<![\w-])(?:killing|killings|deaths?)\s+of\s+" + _Q + NUM + r"\s+" + _PEOPLE + r"(?![\w-])", re.I,
)
_DEATHS_NOUN = re.compile(
    r"(?<![\w-])" + _Q + NUM + r"\s+(?:reported\s+|more\s+|further\s+|civilian\s+|confirmed\s+)?"
    r"(?:deaths|fatalities)(?![\w-])", re.I,
)
_INJURED_2 = re.compile(
    r"(?<![\w-])(?:injuring|injured|injures|wounding|wounded|wounds|hurting|hurt)\s+" + _Q + NUM
    + r"(?:\s+" + _PEOPLE + r")?(?![\w-])", re.I,
)
_TOLL = re.compile(
    r"(?P<kind>death toll|toll|number of (?:people killed|dead|deaths|fatalities|victims)|number of injured|"
    r"number of wounded|number of (?:the )?injured)[^.;]{0,160}?"
    r"(?:rose|rises|risen|climbed|climbs|increased|increases|reached|reaches|stands|stood|jumped|grew|is now|hit)"
    r"\s+(?:to|at)\s+" + _Q + NUM
    # "bringing the death toll to 31": the toll as the object of a verb of raising
    + r"|(?:bringing|raising|pushing|taking|brings|raises|pushes|takes|brought|raised|pushed|took)\s+the\s+"
    r"(?P<kind3>death toll|toll|number of (?:dead|deaths|fatalities|victims|injured|wounded))\s+(?:to|at)\s+"
    + _Q.replace("?P<q>", "?P<q3>") + NUM.replace("?P<num>", "?P<num3>")
    + r"|(?P<kind2>death toll|toll) includ\w*\s+" + _Q.replace("?P<q>", "?P<q2>") + NUM.replace("?P<num>", "?P<num2>"),
    re.I,
)
_ADULTS_CHILDREN = re.compile(
    r"(?<![\w-])" + NUM.replace("num", "a") + r"\s+adults?\s+and\s+" + NUM.replace("num", "c")
    + r"\s+children\s+(?:were|have been|had been)\s+(?P<kw>killed|injured|wounded)", re.I,
)
_ONE_PERSON = (
    r"(?:man|woman|person|child|boy|girl|civilian|resident|teenager|pensioner|baby|infant|driver|rescuer|"
    r"journalist|reporter|photographer|cameraman|correspondent|coordinator|volunteer|aid worker|medic|paramedic|"
    r"doctor|nurse|teacher|student|priest|police officer|policeman|cop|guard|firefighter|worker|employee|farmer|"
    # ("a 3-year-old", "a three-year-old", "a twenty-one-year-old")
    r"citizen|newborn|actress|actor|(?:\d+|[a-z]+(?:-[a-z]+)?)-year-old)"
)
# an active verb with one person as its object, the article optional in headline style: "killing a
# civilian", "strike kills actress", "Killing Newborn"
_SINGLE = re.compile(
    r"(?<![\w-])(?P<verb>killed|killing|kills|injured|injuring|injures|wounded|wounding|wounds)\s+(?:(?:a|an|one)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:" + _ONE_PERSON + r"|soldier|serviceman)(?![\w-])", re.I,
)
_SINGLE_PASSIVE = re.compile(
    r"(?<![\w-])(?:a|an|one)\s+(?:[\w-]+\s+){0,2}?" + _ONE_PERSON + r"\s+(?:was\s+|has\s+|had\s+)?"
    r"(?:also\s+)?(?P<kw>killed|died|dies|injured|wounded|hurt)(?![\w-])", re.I,
)
# one person named by role or name: "AFP journalist killed", "French reporter killed by rocket fire",
# "Pete Reed, 34, was killed", "Arman Soldin ... died in Bakhmut" (a singular noun or a full name, no number)
_ONE_NAMED = re.compile(
    r"(?:(?<![\w-])(?:the\s+|his\s+|her\s+|its\s+|their\s+)?(?:[A-Z][\w-]*\s+){0,3}"
    r"(?i:" + _ONE_PERSON + r")|\b[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,2}(?:,\s*\d{1,3},)?)"
    r"\s+(?:(?:was|has been|had been|is)\s+)?(?P<kw>killed|died|dies)(?![\w-])",
)
_VAGUE = re.compile(
    r"(?<![\w-])(?:(?P<verb>killing|killed|kills|leaving|left|leaves|injuring|injured|injures|wounding|wounded|wounds|"
    r"claim|claims|claimed|"
    r"claiming)\s+)?"
    # "at least a dozen": a qualifier before a counted word ("a dozen") bounds it as it bounds a number
    r"(?:(?P<q>" + "|".join(re.escape(q) for q in _WORDS.casualty_qualifiers) + r")\s+)?"
    r"(?P<word>" + _WORDS.alternation(_WORDS.vague_quantities) + r")(?:\s+(?:more|of))?"
    r"(?:\s+(?P<noun>people|civilians|others|residents|lives))?(?:\s+(?:were|have been|are|had been))?"
    r"(?:\s+(?:said to have been|reported))?(?:\s+(?P<kw>killed|dead|injured|wounded|hurt))?(?![\w-])",
    re.I,
)
_LEFT_STATE = re.compile(r"(?:\s+[\w'’-]+){1,3}?\s+(?P<kw>dead|injured|wounded|hurt)(?![\w-])", re.I)
_PLURAL_CIV = re.compile(
    r"(?<![\w-])(?:civilians|civili)\s+(?:were\s+)?(?P<kw>killed|injured|wounded|feriti|morti)(?![\w-])", re.I
)
# "shelling kills civilians": plural civilians as the object of a finite verb, a lower bound of two like the
# passive ("drones killing civilians" is as often a habit as an event)
_CIV_OBJECT = re.compile(
    r"(?<![\w-])(?P<kw>kills|killed|wounds|wounded|injures|injured)\s+(?:several\s+)?civilians(?![\w-])", re.I
)
_DEATHS_PLURAL = re.compile(r"there were (?:deaths|casualties|fatalities)", re.I)
# "there are dead": the noun has no number; its lower bound is one death, as for "deadly"
_THERE_ARE_DEAD = re.compile(r"there (?:are|were|is) (?:(?:also|some) )?dead(?![\w-])", re.I)
# Military loss claims are not a place's strike toll: a combined "N killed and wounded", "lost N (killed)",
# "killed up to N servicemen of the ... brigade", "N killed, M wounded soldiers of the Armed Forces".
_COMBINED_LOSS = re.compile(r"^(?:\s+(?:soldiers|servicemen|people|troops|military personnel))?\s+killed and wounded",
                            re.I)
_LOST_BEFORE = re.compile(r"\b(?:lost|losses\b[^.;]{0,60}?\b(?:amounted to|exceeded|of))\s*$", re.I)
_FIGHTERS = re.compile(
    r"(?<![\w-])(?:soldiers|servicemen|troops|military personnel|military|invaders|occupiers|militants|"
    r"mercenaries|nationalists|fighters|personnel)(?![\w-])", re.I,
)
_UNIT = re.compile(
    r"(?<![\w-])(?:brigades?|battalions?|regiments?|units?|armed forces|APU|AFU|direction|foreign legion|"
    r"formations?)(?![\w-])", re.I,
)
_NO_CASUALTIES = re.compile(
    r"(?<!without mentioning )(?<!without reporting )(?:there (?:were|was|are) no (?:casualties|victims)|"
    r"no casualties (?:were|have been) reported|"
    r"no casualties|without casualties|no one was (?:killed|injured|hurt)|nobody was (?:killed|injured|hurt)|"
    r"no (?:deaths|injuries|fatalities) (?:were|have been) reported)", re.I,
)
_SHARED_Q = re.compile(
    r"(at least|more than|over)\s+\S+\s+(?:[\w-]+\s+){0,6}?(?:killed|dead)(?:\s+\w+){0,2}\s+and\s*$", re.I
)
_TOTAL_AFTER = re.compile(
    r"^[^.;]*?\b(?:since (?:the (?:start|beginning)|\d{4}|[A-Z][a-z]+ \d{4}|February)|so far this|to date|in total)\b"
)
_DEADLY = re.compile(r"(?<![\w-])(?:deadly|deadliest|fatal|lethal)(?![\w-])", re.I)

_QUALIFIERS: dict[str, Qualifier] = _WORDS.casualty_qualifiers  # type: ignore[assignment]
_VAGUE_VALUES: dict[str, tuple[int, Qualifier]] = _WORDS.vague_quantities  # type: ignore[assignment]


def parse_number(token: str) -> int | None:
    """An integer from digits ('1,200') or English number words ('twenty-eight'); None if neither."""
    token = token.strip().lower()
    if token[:1].isdigit():
        try:
            return int(token.replace(",", ""))
        except ValueError:
            return None
    if token in ("a hundred", "one hundred", "hundred"):
        return 100
    try:
        return int(w2n.word_to_num(token.replace("-", " ")))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Figure:
    kind: str  # "killed" | "injured"
    casualty: Casualty
    start: int
    vague: bool = False


_KILL_PREFIXES = (
    "kill", "dead", "die", "dying", "perish", "lost", "slain", "found", "claim", "left", "leav", "took", "morti",
)


def _kind(word: str) -> str:
    w = word.lower()
    return "killed" if w.startswith(_KILL_PREFIXES) else "injured"


def _qual(q: str | None) -> Qualifier:
    return _QUALIFIERS.get((q or "").lower(), "exact")


# every pattern _figures() looks for in a clause
_FIGURE_CUES = prefilter.Family(
    _NO_CASUALTIES, _ADULTS_CHILDREN, _TOLL, _KILLED_1, _KILLED_2, _INJURED_1, _INJURED_2, _INJURIES_NOUN, _DEATHS_NOUN,
    _DEATHS_OF, _SINGLE, _SINGLE_PASSIVE, _ONE_NAMED, _VAGUE, _PLURAL_CIV, _CIV_OBJECT, _DEATHS_PLURAL,
    _THERE_ARE_DEAD, _DEADLY,
)


@lru_cache(maxsize=2048)
def figures(clause: str) -> tuple[Figure, ...]:
    """All casualty figures stated in ``clause``, in text order (cached: a clause is asked several times)."""
    return tuple(_figures(clause))


def _figures(clause: str) -> list[Figure]:
    if not _FIGURE_CUES.may(clause):
        return []  # (no word that any figure needs)
    out: list[Figure] = []
    spans: list[tuple[int, int]] = []

    def add(kind: str, value: int | None, qualifier: Qualifier, start: int, end: int, vague: bool = False) -> None:
        if value is None or value > 100_000:
            return
        if not vague and value > 0 and _military_loss(clause, start, end):
            return
        if _TOTAL_AFTER.search(clause[end:end + 80]):
            return  # "17 journalists have been killed since 2022": a total, no strike's toll
        if any(start < e and s < end for s, e in spans):
            return
        spans.append((start, end))
        out.append(Figure(kind, Casualty(value, qualifier), start, vague))

    for m in _NO_CASUALTIES.finditer(clause):
        text = m.group(0).lower()
        if "killed" in text or "deaths" in text or "fatalities" in text:
            add("killed", 0, "exact", m.start(), m.end())
        elif "injur" in text or "hurt" in text:
            add("injured", 0, "exact", m.start(), m.end())
        else:
            out.append(Figure("killed", Casualty(0, "exact"), m.start()))
            out.append(Figure("injured", Casualty(0, "exact"), m.start()))
            spans.append((m.start(), m.end()))
    for m in _ADULTS_CHILDREN.finditer(clause):
        a, c = parse_number(m.group("a")), parse_number(m.group("c"))
        if a is not None and c is not None:
            add(_kind(m.group("kw")), a + c, "exact", m.start(), m.end())
    for m in _TOLL.finditer(clause):
        if m.group("kind2"):
            add("killed", parse_number(m.group("num2")), _qual(m.group("q2")), m.start(), m.end())
            continue
        if m.group("kind3"):
            k3 = m.group("kind3").lower()
            add("injured" if ("injur" in k3 or "wound" in k3) else "killed", parse_number(m.group("num3")),
                _qual(m.group("q3")), m.start(), m.end())
            continue
        kind = "injured" if ("injur" in m.group("kind").lower() or "wound" in m.group("kind").lower()) else "killed"
        add(kind, parse_number(m.group("num")), _qual(m.group("q")), m.start(), m.end())
    killed_1 = list(_KILLED_1.finditer(clause))
    for m in killed_1:
        add("killed", parse_number(m.group("num")), _qual(m.group("q")), m.start(), m.end())
    for m in _KILLED_2.finditer(clause):
        verb = m.group(0).split(None, 1)[0]
        people = re.search(_PEOPLE + r"|dead|lives", m.group(0)[len(verb):], re.I)
        if _KILLED_2_REQ_NOUN.fullmatch(verb) and not people:
            continue
        if re.match(r"\s+(?:were\s+|are\s+)?(?:injured|wounded|hurt|homeless|without|trapped|in hospital|"
                    r"hospitali[sz]ed)", clause[m.end():m.end() + 20], re.I):
            continue  # "left 5 people injured": the participle, not the verb, says what happened
        tail = clause[m.end():m.end() + 6]
        if not people and not m.group("q") and not re.match(r"\s*(?:and|,|\.|$|in|on|at|when|as|after)", tail):
            continue
        add("killed", parse_number(m.group("num")), _qual(m.group("q")), m.start(), m.end())
    for m in _INJURED_1.finditer(clause):
        qualifier = _qual(m.group("q"))
        # "At least 21 people were killed and 73 others wounded": the qualifier covers both numbers
        if not m.group("q"):
            before = clause[max(0, m.start() - 120):m.start()]
            k = _SHARED_Q.search(before)
            if k:
                qualifier = _qual(k.group(1))
        add("injured", parse_number(m.group("num")), qualifier, m.start(), m.end())
    for m in _INJURED_2.finditer(clause):
        add("injured", parse_number(m.group("num")), _qual(m.group("q")), m.start(), m.end())
    for m in _INJURIES_NOUN.finditer(clause):
        if m.group("num2"):
            add("injured", parse_number(m.group("num2")), _qual(m.group("q2")), m.start(), m.end())
        else:
            add("injured", parse_number(m.group("num")), _qual(m.group("q")), m.start(), m.end())
    for m in _DEATHS_NOUN.finditer(clause):
        add("killed", parse_number(m.group("num")), _qual(m.group("q")), m.start(), m.end())
    for m in _DEATHS_OF.finditer(clause):
        add("killed", parse_number(m.group("num")), _qual(m.group("q")), m.start(), m.end())
    for m in _SINGLE.finditer(clause):
        add("killed" if m.group("verb").lower().startswith("kill") else "injured", 1, "exact", m.start(), m.end())
    for m in _SINGLE_PASSIVE.finditer(clause):
        add(_kind(m.group("kw")), 1, "exact", m.start(), m.end())
    if not any(f.kind == "killed" for f in out):
        for m in _ONE_NAMED.finditer(clause):
            add("killed", 1, "exact", m.start(), m.end())
            break
    for m in _VAGUE.finditer(clause):
        verb, kw = m.group("verb"), m.group("kw")
        word = m.group("word").lower()
        if not verb and not kw:
            continue
        if verb and verb.lower().startswith("claim") and not kw and not m.group("noun"):
            continue  # "Moscow claims dozens of drones downed": a claim counts lives only when it says so
        if verb and verb.lower().startswith("le") and not kw:
            # "left dozens homeless": what a strike leaves is a casualty only when the word says so ("left
            # dozens of Russian troops dead")
            state = _LEFT_STATE.match(clause, m.end())
            if state is None:
                continue
            kw = state.group("kw")
        if kw and kw.lower() in ("killed", "dead"):
            kind = "killed"
        elif kw:
            kind = "injured"
        else:
            kind = _kind(verb or "")
        if kind == "killed" and verb and verb.lower() in ("injuring", "injured", "wounding", "wounded"):
            kind = "injured"
        value, qualifier = _VAGUE_VALUES[word]
        if qualifier != "vague" and m.group("q"):
            qualifier = _qual(m.group("q"))
        add(kind, value, qualifier, m.start(), m.end(), vague=qualifier == "vague")
    for m in _PLURAL_CIV.finditer(clause):
        add(_kind(m.group("kw")), 2, "vague", m.start(), m.end(), vague=True)
    for m in _CIV_OBJECT.finditer(clause):
        add(_kind(m.group("kw")), 2, "vague", m.start(), m.end(), vague=True)
    for m in _DEATHS_PLURAL.finditer(clause):
        add("killed", 2, "vague", m.start(), m.end(), vague=True)
    for m in _THERE_ARE_DEAD.finditer(clause):
        add("killed", 1, "vague", m.start(), m.end(), vague=True)
    if not any(f.kind == "killed" for f in out):
        deadly = _DEADLY.search(clause)
        if deadly:
            add("killed", 1, "vague", deadly.start(), deadly.end(), vague=True)
    out.sort(key=lambda f: f.start)
    return out


def _military_loss(clause: str, start: int, end: int) -> bool:
    """Whether the figure at ``clause[start:end]`` is a claim of military losses rather than a strike toll."""
    after = clause[end:end + 40]
    combined = _COMBINED_LOSS.match(after) or re.match(r"\s*and\s+wounded\b", after, re.I)
    if combined or _LOST_BEFORE.search(clause[max(0, start - 90):start]):
        return True
    window = clause[start:end + 60]
    fighters = _FIGHTERS.search(window)
    return fighters is not None and _UNIT.search(clause) is not None


def better(current: Casualty | None, new: Casualty, new_vague: bool, current_vague: bool) -> bool:
    """Whether ``new`` should replace ``current``: numbers beat vague words; the larger (later) toll wins."""
    if current is None:
        return True
    if current_vague != new_vague:
        return not new_vague
    if {new.qualifier, current.qualifier} == {"exact", "about"} and _same_size(new.value, current.value):
        return new.qualifier == "exact"  # "nearly a dozen" then "11 were wounded": the exact count of that toll
    return new.value >= current.value


def _same_size(a: int, b: int) -> bool:
    """Whether a rounded count and an exact one can be the same toll told twice (12 "about" and 11 exact)."""
    return abs(a - b) <= max(2, max(a, b) // 10)


# every pattern above behind its literal prefilter (same answers; skipped when a text lacks the words it needs)
prefilter.gate_all(globals())
