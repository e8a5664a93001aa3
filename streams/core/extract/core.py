"""Article -> strike reports: match places and cues per clause, resolve them, build one report per strike.

Pipeline (pure, no I/O after the data files are loaded once):
1. clean the title and text, gate on cheap keywords (most firehose items stop here);
2. split into sentences and clauses; per clause find places (settlement, region, country-level),
   strike cues, casualty figures, weapons, targets, date and time-of-day cues;
3. assign each clause to a strike keyed by its place (clauses without a place go to the strike under
   discussion), merge facts (latest/larger tolls win, specific weapons beat generic words);
4. order: the headline's strike first, then by first mention.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from streams.core.extract import casualties as cas
from streams.core.extract import dates as dt
from streams.core.extract import gazetteer as gz
from streams.core.extract import lang, prefilter, vocab
from streams.core.extract import text as tx
from streams.core.models import Article, Attacker, Casualty, DateBasis, StrikeReport, TimeOfDay

# --------------------------------------------------------------------------------------- gating
_GATE_STRIKE = re.compile(
    r"missile|drone|shell|strike|struck|attack|bomb|rocket|killed|kills|killing|dead|wounded|injured|explosion|"
    r"under fire|died|destroyed|"
    r"barrage|shahed|artillery|blast|shot down|intercept|assault|raid|missili|attacco|colpit|fired at|fired on| hit|"
    r"munition|wounding|injuring|mortar",
)
_GATE_WAR = re.compile(
    r"ukrain|russia|kyiv|kiev|moscow|kremlin|crimea|donbas|donetsk|luhansk|kharkiv|kharkov|odesa|odessa|"
    r"zaporizh|kherson|dnipro|lviv|mykolaiv|sumy|chernihiv|belgorod|bryansk|kursk|kramatorsk|bakhmut|"
    r"putin|zelensk|shahed|ucrain|russ[io]|"
    # Russian spellings and front-line towns that headlines name without the country
    r"nikolaev|zaporozh|dnepr|gorlovka|horlivka|makeevka|makiivka|slavyansk|sloviansk|nikopol|izyum|izium|"
    r"kupyansk|kupiansk|krivoy rog|kryvyi rih|energodar|enerhodar|melitopol|mariupol|avdiivka|toretsk|"
    r"chernigov|chuguev|chuhuiv|sevastopol|(?<![a-z])[dl]pr(?![a-z])|"
    # weapon systems named only in this war
    r"iskander|kalibr|kinzhal|kindzhal|himars|atacms|storm shadow|lancet|geran",
)

_GATE_STRIKE_WORDS = tuple(_GATE_STRIKE.pattern.split("|"))
# plain words only: holding one of them is matching _GATE_STRIKE (its search would only say the same again)
_GATE_STRIKE_PLAIN = all(re.fullmatch(r"[a-z ]+", w) for w in _GATE_STRIKE_WORDS)
# every alternative of _GATE_WAR contains one of these ("russ" stands for russia, russi, russo)
_GATE_WAR_WORDS = (*(w for w in _GATE_WAR.pattern.split("|") if w.isalpha() and not w.startswith("russ")),
                   "russ", "krivoy", "kryvyi", "dpr", "lpr", "storm shadow")
# the plain words of _GATE_WAR: a text that holds one matches it (no search needed to say so)
_GATE_WAR_PLAIN = tuple(w for w in _GATE_WAR.pattern.split("|") if re.fullmatch(r"[a-z ]+", w))

# --------------------------------------------------------------------------------------- clause cues
_STRIKE_CUE = lang.load("en").strike_cue  # the cue words live in streams/data/lang/en.json
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s*|,\s+(?!and\s+[A-Z][\w'’ʼ-]+\s+(?:regions|oblasts|provinces)\b)"  # "A, B, and C regions" is one list
    r"(?=(?:which|while|as|making|amid|whereas|and)\s)"
    r"|(?<!\bday)(?<!\bdays)(?<!\bhours)(?<!\bweeks)(?<!\btwo)(?<!\bthree)(?<!\bfour)(?<!\bfive)(?<!\bsix)"
    r"(?<!\bseven)(?<![2-7]),?\s+(?=(?:days after|hours after|weeks after)\s)"
    r"|(?<!\bday)(?<!\bdays)(?<!\bhours)(?<!\bweeks),?\s+"
    r"(?=(?:after|following|follows|followed|a day after|the day after|"
    r"one day after|in retaliation for|in response to|in revenge for|in reprisal for|responded to|responding to|"
    r"retaliating for|amid)\s)"
    # "..., two days after the strike on X": the number stays with its "days after"
    r"|(?<!\btwo)(?<!\bthree)(?<!\bfour)(?<!\bfive)(?<!\bsix)(?<!\bseven)(?<!\bfew)(?<!\bseveral)(?<![0-9])"
    r",?\s+(?=(?:two|three|four|five|six|seven|[2-7])\s+days\s+after\s)"
    r"|,\s+(?=(?:have|has|had|killing|leaving|left|injuring|wounding)\s)|\s+[—–]\s+(?=and\s)"
    r"|\s+and\s+(?=(?:then\s+|also\s+|later\s+)?(?:hit|struck|attacked|shelled|targeted|bombed|pounded)\s)"
    r"|(?<!\bin)(?<!\ba)\s+(?=(?:retaliation|revenge|reprisal) for\s)",  # "... the retaliation for X"
    re.I,
)
_PRIOR_CONNECTOR = re.compile(
    r"^(?:after|following|follows|followed|in retaliation for|in response to|in revenge for|in reprisal for|"
    r"responded to|responding to|retaliating for|retaliation for|revenge for|reprisal for|days after|hours after|"
    r"weeks after)\s",
    re.I,
)
_FRONTED_PRIOR = re.compile(
    r"^((?:after|following|days after|hours after|weeks after)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+),\s+"
    r"(?=(?:the|a|an|russian|ukrainian|russia|ukraine|moscow|kyiv|troops|forces|occupiers|they|it|[A-Z]\w+)\s)",
    re.I,
)
_DAMAGE = re.compile(r"(?<![\w-])damage(?![\w-])", re.I)
_NO_DAMAGE = re.compile(r"\b(?:no|not cause any|not cause|without(?: any)?|little|minor) damage\b", re.I)
_LATER = re.compile(r"^followed by\s+(?:a\s+|another\s+)?(?:[\w-]+\s+){0,2}?(?:attacks?|strikes?|waves?|barrages?)\b",
                    re.I)
# connectors that always introduce another, earlier event (plain "after" may give the cause of this one)
_OTHER_EVENT = re.compile(
    r"^(?:follows|followed|days after|hours after|weeks after|in retaliation for|in response to|in revenge for|"
    r"in reprisal for|responded to|responding to|retaliating for|retaliation for|revenge for|reprisal for)\s",
    re.I,
)
_RETALIATION = re.compile(
    r"^(?:in retaliation for|in response to|in revenge for|in reprisal for|responded to|responding to|"
    r"retaliating for|retaliation for|revenge for|reprisal for)\s", re.I,
)
# "Putin spoke hours after Russian missiles hit Kyiv": an event hours before the news is the same news day's
_HOURS_BEFORE = re.compile(r"^(?:hours|just hours|only hours|mere hours)\s+(?:after|following)\s", re.I)
_RESUME = re.compile(r"^(?:have|has|had|killing|leaving|left|injuring|wounding)\s", re.I)
_DAY_AFTER = re.compile(r"^(?P<n>a|the|one|two|three|four|five|six|seven|[2-7])\s+days?\s+after\s", re.I)


def _days_after(clause: str) -> int:
    """How many days after an earlier event a clause opening "two days after ..." is told (0: none)."""
    m = _DAY_AFTER.match(clause)
    if m is None:
        return 0
    n = m.group("n").lower()
    if n.isdigit():
        return int(n)
    # "a day after", "the day after": one; else the number word's place in the language's number words
    return 1 if n in ("a", "the") else lang.load("en").words.number_units.index(n)
# hearing an attack is no strike, unless the clause has a strike word of its own besides
_HEARD = re.compile(
    r"heard (?:\w+ )?explosions?|explosions? (?:were|was) heard|air raid (?:alerts?|sirens?)|sirens? (?:sounded|wailed)"
    r"|missile threat alert",
    re.I,
)
_NON_STRIKE = re.compile(
    _HEARD.pattern + r"|regularly attacks|has been suffering|cyber\w*|ddos|heart attack|panic attack"
    r"|(?:plann?(?:ed|ing|s)?|intend(?:ed|ing|s)?|prepar(?:ed|ing)|going|about|set|ready) (?:to|for) "
    r"(?:\w+[ -]){0,3}?(?:launch|carry out|stage|attacks?|strikes?|raids?|incursions?|assaults?)\b",
    re.I,
)
LEAD_SENTENCES = 4
_SMALL_HOURS_END = 4  # Kyiv local hour: from then on, reports of the night come in
_STRONG_COUNTRY = re.compile(
    r"across (?:the country|ukraine|russia)|barrages?|bombardment|nationwide|"
    r"(?:biggest|largest|massive|massed|combined|"
    r"most massive|huge|major) (?:\w+ ){0,2}(?:attacks?|assaults?|strikes?|raids?|waves?)|\d+ (?:\w+ ){0,2}"
    r"(?:missiles|drones)|(?:several|multiple|many|various|major|other) (?:ukrainian |russian )?(?:cities|regions)|"
    r"ukrainian cities|russian regions|shot down|shoots down|intercepted|downed|regions",
    re.I,
)
_ANAPHORA = re.compile(r"\b(?:the|this|that) (?:city|town|village)\b", re.I)
# a capital named by its country: "Ukraine's capital", "the Russian capital"
_COUNTRY_CAPITAL = re.compile(
    r"(?P<ua>\bUkraine(?:['’]s)? capital|\bUkrainian capital)|(?P<ru>\bRussia(?:['’]s)? capital|\bRussian capital)",
    re.I)
_CAPITALS = {"UA": "Kyiv", "RU": "Moscow"}
# a compass part of a country ("eastern", "south-east", "central") before its name
_COMPASS = r"(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+|central\s+)"
_UA_COUNTRY = re.compile(
    r"(?:across|on|against|at|over|throughout|into|attacked|attacks|struck|strikes|hit|hits|hammers|pounded|"
    r"pounds|targeting|bombarded|bombards|launched)\s+(?:the whole of |all of |much of |the )?"
    + _COMPASS + r"?Ukraine(?![\w'’])"
    # "killed by rocket fire in eastern Ukraine": a part of the country, not the war's name ("war in Ukraine")
    # ("a city in eastern Ukraine" is an unnamed place of the story, not the country)
    r"|(?<!city )(?<!town )(?<!village )\bin\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|central)\s+Ukraine(?![\w'’])"
    # "Ukraine's south hit by drones": a part of the country named by its compass point, as the struck subject
    r"|(?:across |on )?Ukraine['’]s (?:far[- ])?(?:south|east|north|west|centre|center)(?:-?(?:east|west))?"
    r"(?:\s+(?:was\s+|is\s+)?(?:hit|struck|targeted|pounded|battered|pummell?ed|shelled)\b|\s+(?:came|comes)\s+under\b)"
    r"|across (?:the )?country|(?:Ukrainian|Ukraine['’]s) (?:[\w-]+ )?(?:cities|targets|regions|territory|energy|"
    r"infrastructure|grid|power plants|power stations)"
    # "Ukraine downs 30 drones": the country's air defence against an attack on it
    r"|(?:Ukraine|Ukrainian air defen[cs]es?|Ukraine['’]s air defen[cs]es?)\s+(?:downs|downed|shoots down|shot down|"
    r"intercepts|intercepted)"
    r"|(?:pummel(?:s|ed|led)?|batter(?:s|ed)?|shower(?:s|ed)?|rains? (?:\w+ ){0,3}on)\s+Ukraine(?![\w'’])"
    # "Ukraine came under renewed attack from drones", "Ukraine hit by missiles": the country as the struck subject
    r"|(?<![\w'’-])(?<!near )(?<!with )(?<!from )(?<!to )(?<!of )Ukraine\s+"
    r"(?:(?:came|comes|was|is|has been)\s+(?:\w+\s+)?under\s+(?:\w+\s+){0,2}?(?:attack|fire|bombardment)"
    r"|(?:was\s+|is\s+)?(?:hit|struck|targeted|pummell?ed|battered)\s+(?:by|with)\b)"
    r"|(?:several|multiple|many|various|major|other) (?:Ukrainian )?cities|regions of Ukraine|Ukraine war"
    r"|(?:launched|fired) by Russian forces|Russian (?:drones|missiles) (?:over|across)"
    # "the attack on Ukraine", "Russia's assault on Ukraine": the invasion itself, not one strike
    r"|(?:bombardment|barrage|shelling|attacks|strikes?|(?<!the )(?<!its )(?<!Russia['’]s )(?<!Moscow['’]s )"
    r"(?<!Putin['’]s )(?:attack|assault|onslaught)) (?:of|on|against) Ukraine(?![\w'’])",
    re.I,
)
def _neighbour(name: str, adjective: str, where: bool = True) -> re.Pattern[str]:
    # (``where=False``: a country where troops stand and from which missiles are fired, Belarus, counts only as
    # struck or landed on, not as where something is)
    return re.compile(
        (r"(?:\bin|\binto|\bon|\binside|" if where else r"(?:")
        + r"\bhit|\bhits|\bhitting|\bstruck|\bstrikes|\bstriking|\blanded in|"
        r"\b(?:fell|falling) (?:in|on)|\bcrashed in)"
        r"\s+(?:(?:eastern|southeastern|south-eastern|northern|southern)\s+)?" + name + r"(?![\w'’])"
        # where it came down, not what it flew over ("passed through Polish airspace" is no strike)
        r"|\b" + adjective + r"\s+(?:village|soil|town|farm|border town|territory|land|port|river port|riverbank)s?\b"
        r"|\b" + name + r"(?:['’]s)?\s+(?:missile|drone|rocket)\s+(?:strike|blast|explosion|incident)",
        re.I,
    )


# spill-over of the war into a neighbour: "missile fell in a Polish village", "drone debris in Romania"
_NEIGHBOUR_COUNTRY = (
    ("PL", _neighbour("Poland", "Polish")),
    ("MD", _neighbour("Moldova", "Moldovan")),
    ("RO", _neighbour("Romania", "Romanian")),
    ("BY", _neighbour("Belarus", "Belarusian", where=False)),
)
# words every match of a country pattern contains (a prefilter; a test holds them to the patterns)
_NEIGHBOUR_WORDS = ("poland", "polish", "romania", "moldova", "belarus")
_UA_COUNTRY_WORDS = ("ukrain", "country", "cities", "regions", "russian")
_RU_COUNTRY_WORDS = ("russia", "ukrainian drone")
# what makes a neighbour a place hit rather than a launch site or a base: something came down there
_CAME_DOWN = re.compile(
    r"\b(?:fell|falls|falling|landed|lands|landing|crashed|crashes|crashing|hit|hits|hitting|struck|striking|exploded|"
    r"explodes|explosion|blast|debris|"
    r"fragments|wreckage|impact|kill|kills|killed|killing)\b", re.I,
)
_FACILITY = (
    r"(?:airfields?|air ?bases?|(?:bomber |army |navy |military |naval )?bases?|airports?|oil depots?|fuel depots?|"
    r"oil terminals?|refiner(?:y|ies)|"
    r"(?:ammunition|ammo|arms|weapons|fuel|oil) (?:depots?|dumps?|stores?|warehouses?)|military bases?|naval bases?|"
    r"ports?|power plants?|substations?|"
    r"cities|city|towns?|villages?)"
)
_RU_COUNTRY = re.compile(
    r"(?:over|across|inside|into|on|in|hit|hits|struck|strikes)\s+(?:the\s+)?"
    + _COMPASS + r"?Russia(?![\w'’-])(?!\s+since)|(?:several|multiple|various|four|three|five|two)"
    r" Russian regions|Russian (?:regions|territory)(?!\s+since)|(?:\d+|thirty-two|\w+ty-\w+) Ukrainian drones"
    r"|Ukrainian drones? (?:swarm|attack)s?|(?:a |the )?Russian border (?:city|town|region|village|area)s?"
    # a strike on a facility named by its country ("strike on Russian airfields", "Russian oil depot hit")
    r"|(?:on|at|against|hit|hits|struck|strike|strikes|attack|attacks|attacked|targeted|targeting|blows up|blew up|"
    r"destroys|destroyed|damages|damaged)\s+"
    r"(?:a |an |the |two |three |several )?"
    r"Russian\s+(?:[\w-]+\s+){0,2}" + _FACILITY + r"|Russian\s+(?:[\w-]+\s+)?" + _FACILITY
    + r"\s+(?:(?:was|were|is|are|has been|have been)\s+)?(?:hit|attacked|struck|targeted|ablaze|on fire)",
    re.I,
)
_RUSSIA_LAUNCHED = re.compile(
    # (the headline's present tense too: "Russia launches", "Moscow fires")
    r"(?:Russia|Moscow|Russian (?:forces|troops|military))\s+(?:has\s+|had\s+)?"
    r"(?:launched|launches|fired|fires|attacked|attacks|unleashed|unleashes)"
    r"|(?:Russia|Moscow)['’]s (?:\w+\s+){0,3}(?:attacks?|bombardment|barrage|strikes)",
    re.I,
)
_REGION = re.compile(
    r"(?<![\w-])(?P<stem>[A-Z][\w'’ʼ-]+(?:[ -][A-Z][\w'’ʼ-]+)?)\s+(?P<kind>[Rr]egions?|[Oo]blasts?|[Pp]rovinces?|"
    r"Oblast region)(?![\w-])"
)
_REGION_OF = re.compile(
    r"(?<![\w-])(?:[Rr]egion|[Oo]blast|[Pp]rovince)\s+of\s+(?P<stem>[A-Z][\w'’ʼ-]+)(?![\w'’ʼ-])"
)
_REGION_LIST = re.compile(
    r"(?P<list>(?:[A-Z][\w'’ʼ-]+,\s+){1,6}(?:and\s+)?[A-Z][\w'’ʼ-]+,?\s+(?:and\s+)?(?:[A-Z][\w'’ʼ-]+\s+)?"
    r"|[A-Z][\w'’ʼ-]+\s+and\s+[A-Z][\w'’ʼ-]+\s+)"  # "the Kharkiv and Donetsk regions": two share the plural
    r"(?:regions|oblasts|provinces)(?![\w-])"
)
# a capitalised name of up to three words; a word may carry hyphenated parts, lowercase ones inside
# ("Rostov-on-Don", "Ivano-Frankivsk") but never a dangling hyphen
_CAPWORD = r"[A-Z][a-zà-žʼ'’]+(?:-(?:[a-zà-ž]+-)*[A-Z]?[a-zà-žʼ'’]+)*"
_CAPSEQ = re.compile(r"(?<![\w'’-])" + _CAPWORD + r"(?: " + _CAPWORD + r"){0,2}")
_SEPARATIST = (
    (re.compile(r"(?<![\w-])(?:DPR|DNR|Donetsk People['’]s Republic)(?![\w-])"), "Donetsk Oblast"),
    (re.compile(r"(?<![\w-])(?:LPR|LNR|Luhansk People['’]s Republic|Lugansk People['’]s Republic)(?![\w-])"),
     "Luhansk Oblast"),
)
_CRIMEA = re.compile(
    r"(?<![\w-])Crimea(?:n [Pp]eninsula)?(?![\w-])"
    # "a Crimean fuel depot", "the Crimean bridge": the adjective of a place on the peninsula
    r"|(?<![\w-])Crimean(?=\s+(?:[\w-]+\s+)?(?:[Bb]ridge|[Pp]ort|[Ff]uel|[Oo]il|[Dd]epot|[Aa]irfield|[Aa]ir [Bb]ase|"
    r"[Cc]oast|[Cc]ity|[Tt]own|[Cc]apital|[Ss]hipyard|[Bb]ase|[Nn]aval|[Ss]ubstation|[Pp]ower|[Aa]irport|[Rr]ailway))"
)
# the region patterns _PlaceFinder.find tries first (most clauses hold no word any of them needs)
_REGION_CUES = prefilter.Family(_REGION_LIST, _REGION, _REGION_OF, *(rx for rx, _ in _SEPARATIST), _CRIMEA)
_ACTOR_AFTER = re.compile(
    r"^(?:['’]s?\s)?\s*(?:says|said|say|has said|had said|claims|claimed|accused|accuses|blamed|denied|vowed|"
    r"officials|authorities|regime|government|reported|insists|announced|responded|would|will|is|was|has|had|"
    r"and Kyiv|and Moscow|launched|fired|attacked)\b"
)
# "the envoy claimed Kyiv targeted a sports centre": the capital as the subject of an attack verb (not after
# "attacks on Moscow targeted ...", not a passive "Kyiv hit by ...")
_ACTOR_VERB_AFTER = re.compile(
    r"^\s*(?:used|deployed|carried out|targeted|shelled|bombed|struck|hit)"
    r"(?!\s+(?:by|overnight|again|on|in|early|late|with|at)\b)\b"
    # a headline's present tense with its object ("Moscow attacks Odesa", "Kyiv strikes Crimea"), unlike a compound
    # noun ("Kyiv strikes kill three", "Moscow attacks: what we know")
    r"|^\s*(?:attacks|strikes|hits|pounds|targets|shells|bombs|bombards|launches)\s+(?:the\s+)?[A-Z]"
)
# "the Kremlin drone attack", "a Moscow blast": the capital as the modifier of a strike noun is the place hit
_ATTACK_COMPOUND_AFTER = re.compile(
    r"^\s+(?:[Dd]rone\s+|[Mm]issile\s+)?(?:[Aa]ttacks?|[Ss]trikes?|[Ee]xplosions?|[Bb]lasts?|[Bb]ombings?)\b"
    # "Moscow airport", "Kyiv power plant": a facility named by its city
    r"|^\s+(?:[Aa]irports?|[Oo]il [Rr]efinery|[Rr]efinery|[Pp]ower [Pp]lant|[Pp]ower [Ss]tation|"
    r"[Bb]usiness [Cc]ent(?:er|re)|[Rr]ailway [Ss]tation|[Ss]ubstation|[Oo]il [Dd]epot|[Ff]uel [Dd]epot|[Bb]uildings?|"
    r"[Ss]kyscrapers?|[Tt]ower [Bb]locks?|[Oo]ffice [Tt]owers?)\b"
)
_HIT_PARTICIPLE = (
    r"(?:hit|struck|shelled|attacked|bombed|bombarded|pounded|rocked|targeted|hammered|battered|pummelled|pummeled|"
    r"damaged|destroyed)"
)
# what may follow a participle that takes no object
_NO_OBJECT = (r"(?=\s+(?:by|again|overnight|on|in|at|during|as|amid|with|early|late|twice|repeatedly)\b"
              r"|\s*[,:;.!?]|\s*$"
              # a frequency adverbial ("Vuhledar Shelled 40 Times", "hit dozens of times")
              r"|\s+(?:\d+|several|many|multiple|dozens of|hundreds of|[a-z]+)\s+times\b)")
# with an auxiliary ("Kyiv was hit", "came under drone attack") or, headline style, a bare participle that takes
# no object ("Vovchansk Shelled Again", "Kyiv hit by drones"; not "Kyiv attacked Russian border city")
_PASSIVE_HIT_AFTER = re.compile(
    # (an apposition may stand between: "The Kremlin, the heart of Russian power, targeted by drones")
    r"(?:,\s+(?:the|a|an)\s+[^,]{3,60},)?"
    r"\s+(?:(?:(?:is|was|were|has been|had been|have been|is being|was being)\s+(?:again\s+|once again\s+)?)"
    + _HIT_PARTICIPLE + r"|(?:(?:came|comes|come|is|was|were|remains?)\s+)?under\s+(?:(?:new|fresh|another|massive|"
    r"heavy|drone|missile|rocket|artillery|russian|ukrainian|overnight)\s+){0,4}(?:attack|fire|shelling|bombardment)|"
    # "Moscow undergoes second drone attack", "Kharkiv suffers heavy shelling": the place as the one enduring it
    r"(?:undergoes|underwent|suffers|suffered|endures|endured|faces|faced)\s+(?:(?:a|an|the|new|fresh|another|second|"
    r"third|massive|heavy|major|drone|missile|rocket|artillery|russian|ukrainian|overnight|aerial|(?:night|day|wave|"
    r"round|hours?) of)\s+){0,5}"
    r"(?:attacks?|strikes?|shelling|bombardment|barrage)|"
    # "Kyiv fends off latest Russian air attack": the place that repels an air attack is the one it was aimed at
    r"(?:fends? off|fended off|repels?|repelled|repulses|repulsed|thwarts?|thwarted|beats? back|beat back)\s+"
    r"(?:(?:the|a|an|latest|new|fresh|another|massive|russian|ukrainian|overnight|night|air|aerial|drone|missile|"
    r"combined)\s+){0,5}(?:attacks?|strikes?|barrages?|raids?|missiles|drones)(?!\s+(?:on|against|in|at|over)\s)|"
    + _HIT_PARTICIPLE
    + _NO_OBJECT + r")\b",
    re.I,
)
# "Moscow business centre hit in drone attack": the place names what was hit, a participle follows
_MODIFIED_HIT_AFTER = re.compile(
    r"\s+(?!(?:says|said|claims|claimed|accuses|accused|blames|blamed|denies|denied|reports|reported|warns|warned|"
    r"vows|vowed|officials|authorities)\b)(?:[A-Za-z-]+\s+){1,3}?(?:was\s+|were\s+|is\s+|are\s+|has been\s+)?"
    + _HIT_PARTICIPLE + _NO_OBJECT,
    re.I,
)
_OBJECT_BEFORE = re.compile(r"\b(?:on|against|at|in|into|over|toward|towards|of)\s+(?:the\s+)?$", re.I)
_DISTRICT_AFTER = re.compile(r"\s+(?:district|raion|neighbou?rhood)\b", re.I)
_REGION_NOUN_AFTER = re.compile(r"\s+(?:town|village|settlement|hamlet|community|frontline town|front-line town)s?\b",
                                re.I)
_THE_BEFORE = re.compile(r"\b(?:the|a)\s+(?:(?:eastern|southern|northern|western|small|frontline|front-line)\s+)?$",
                         re.I)
_RAION_AFTER = re.compile(r"\s+(?:district|raion)\b", re.I)
# city districts are named after the capitals and the river in many cities (Kharkiv's and Odesa's "Kyiv district",
# Kherson's "Dnipro district"): those names before "district" are no district named after its town
_DISTRICT_NAMESAKES = frozenset({"Kyiv", "Moscow", "Dnipro"})
# a district is named after its centre, a town (not a village or a locality that shares a city district's name);
# an adjective form ("Shevchenkivskyi district") is the district's own name
_DISTRICT_TOWN = 10000
_DISTRICT_ADJECTIVE = ("skyi", "sky", "skiy", "skyy", "ske")
# "a Kharkiv district", "one of Kyiv's districts": a part of the city, not the district named after it
_ONE_OF_BEFORE = re.compile(r"\b(?:a|an|one|another|several|two|three|many|every|each)\s+$", re.I)
# "Kyiv's Solomianskyi district", "Moscow's southern outskirts": a part of the city after its possessive
_CITY_PART_AFTER = re.compile(
    r"^\s+(?:[A-Z][\w'’-]+\s+|(?:northern|southern|eastern|western|central|south-?eastern|south-?western|"
    r"north-?eastern|north-?western)\s+)?(?:districts?|neighbou?rhoods?|suburbs?|outskirts|(?:city\s+)?cent(?:re|er))\b"
)
# "Shevchenko City Garden", "Pushkin Street": a name that begins a street's or a park's name is no settlement
# "used Vuhledar to launch attacks", "Crimea as a launch pad for strikes": where attacks start from, not where they hit
_LAUNCH_SITE_AFTER = re.compile(
    r"\s+(?:to (?:launch|stage|mount|carry out|fire)|as (?:a |an )?(?:launch ?pad|launching pad|"
    r"staging (?:ground|post|area)|springboard|base) (?:for|to))\b", re.I)
# a river that shares its name with a town ("raids across the Dnipro", "the east bank of the Dnipro", "the Desna
# river"): the river, not the town
_RIVERS = frozenset({"Dnipro", "Dnieper", "Desna", "Inhulets", "Oskil", "Donets"})
_RIVER_AFTER = re.compile(r"\s+[Rr]iver\b")
_RIVER_BEFORE = re.compile(
    r"(?:\bacross|\bcross(?:es|ed|ing)?|\balong|\bbanks? of|\bcrossings? (?:of|over)|\bbridgeheads? (?:on|across))"
    r"\s+(?:the\s+)?$", re.I,
)
_STREET_AFTER = re.compile(
    r"\s+(?:City\s+)?(?:Street|Avenue|Boulevard|Garden|Gardens|Park|Prospekt|Lane|Embankment|[Pp]ipeline)\b"
)
# words that put a name where a place is expected ("in Marks", "hit Plast"): a small namesake of a common
# word in a capitalised headline counts only after one of them
_SMALL_IN_TITLE_CASE = 50000
_METONYMS = {"Moscow", "Kyiv", "Kiev", "Minsk", "Warsaw", "Kremlin"}
_LOCATIVE_BEFORE = re.compile(
    r"(?:\bin|\bon|\bat|\bover|\babove|\bnear|\boutside|\baround|\bof|\bto|\btoward|\btowards|\bhit|\bhits|\bstruck|"
    r"\btargeted|\battacked|\bstrikes|\bstrike|\battack|\bagainst|\bacross|\binto|\bcapital|\bcity|\bfrom|"
    # the struck city as the object of an attack verb in any tense ("Russia pounds Kyiv", "targets Kyiv again")
    r"\btargets?|\btargeting|\battacks|\bpounds?|\bpounded|\bhammer(?:s|ed)?|\bbombards?|\bbombarded|\bshell(?:s|ed)?|"
    r"\brock(?:s|ed)?|\bbatter(?:s|ed)?|\bpummel(?:s|ed|led)?|\bblitz(?:es|ed)?)\s+"
    r"(?:the\s+)?(?:(?:Ukrainian|Russian|Ukraine['’]s|Russia['’]s|capital|city|town|village|centre|center|"
    r"northeastern|northern|southern|eastern|western|central|southeastern|northwestern|southwestern|border|"
    r"regional|provincial|frontline|front-line|of)\s+){0,4}$",
    re.I,
)
_FROM_BEFORE = re.compile(
    r"(?:(?:fired|launched|flying|flew|coming|came|launch)\s+from|(?:governor|administration|head|authorities|police|"
    r"mayor|chief) of)\s+(?:the\s+)?(?:(?!(?:hit|hits|struck|strike|strikes|targeted|on|at|into|against)\s)"
    r"[\w'’-]+\s+){0,2}$"
    # "missiles fired from a multiple rocket launcher in Ukraine's Kharkiv region": the launch site
    r"|(?:fired|launched)\s+from\s+(?:(?!(?:hit|hits|struck|strike|strikes|targeted|on|at|into|against)\s)"
    r"[\w'’-]+\s+){1,6}$",
    re.I,
)
# an official's jurisdiction: "the governor of the Belgorod region", "the mayor of Dnipro", "head of Sevastopol"
# before the place, "Kharkiv governor", "Bryansk region governor", "Melitopol's exiled mayor" after it. The official
# speaks for the place; it is no place hit, but it places a strike its sentence leaves without one (a governor's
# region, a mayor's city)
_OFFICIAL_OF_BEFORE = re.compile(
    r"\b(?P<role>governor|administration|head|mayor|chief|council)\s+of\s+(?:the\s+)?(?P<mod>(?:[\w'’-]+\s+){0,2})$",
    re.I,
)
_OFFICIAL_AFTER = re.compile(
    r"(?:['’]s)?\s+(?P<mod>(?:(?:exiled|acting|regional|region|oblast|province|provincial|city|military|"
    r"(?:Russian|Moscow|Kremlin|Russia)-(?:installed|appointed)|Ukrainian-appointed)\s+){0,3})"
    r"(?P<role>governor|mayor|head|administration|council)\b",
    re.I,
)
_REGIONAL_ROLE = re.compile(r"governor|region|oblast|provinc", re.I)


def _voice_place(gaz: gz.Gazetteer, place: gz.Place, roles: str) -> gz.Place:
    """The jurisdiction an official of ``place`` speaks for: a governor's (or a regional body's) oblast, else the
    place itself (a mayor's or a city head's city). ``roles``: the title words around the name."""
    if place.level == "settlement" and place.admin1_key and _REGIONAL_ROLE.search(roles):
        return gaz.admin1_by_key(place.admin1_key) or place
    return place


# "no immediate comment from Kyiv", "a response from Moscow": the capital speaks for its government
_VOICE_FROM = re.compile(
    r"\b(?:comments?|responses?|reactions?|word|statements?|confirmation|denials?|claims?|reply|answer|"
    r"signals?|message|officials|sources)\s+(?:(?:was|were|is|came)\s+)?(?:\w+\s+){0,2}?from\s+(?:the\s+)?$",
    re.I,
)
# "670 kilometers south of Moscow", "30 km from Kharkiv": a reference point for a distance, not a place hit
_DISTANCE_BEFORE = re.compile(
    r"\d[\d,.]*\s*(?:km|kilometers|kilometres|miles|mi)\)?\s+(?:\([^()]{0,20}\)\s+)?(?:(?:north|south|east|west)"
    r"(?:-?(?:east|west))?(?:ern)?\s+)?(?:of|from)\s+(?:the\s+)?(?:city\s+of\s+|capital\s+)?$",
    re.I,
)
_NEAR_BEFORE = re.compile(r"(?:\bnear|\boutside|\bclose to|\bon the outskirts of)\s+(?:the\s+)?(?:city of\s+)?$", re.I)
_NEGATED_BEFORE = re.compile(r"(?:\bnot|\bno|\bnear|\bclose to|\bnext to|\bbeside)\s+(?:\w+\s+){0,2}$", re.I)
_TOLL_DATE = re.compile(r"(?:rose|rises|risen|climbed|increased|reached) to [^.;]{0,40}$", re.I)

# attacker cues
_RU_ACTOR = re.compile(
    r"(?<![\w-])(?:russia|russian|russians|moscow|kremlin|putin|occupiers|shahed|russi|russo|aggressor)(?![\w-])", re.I
)
_UA_ACTOR = re.compile(
    r"Ukrainian (?:strikes?|attacks?|drones?|missiles?|shelling|bombing|bombardment|rockets?|air assault|forces|"
    r"military|army|armed forces|drone swarm)|Ukraine['’]s (?:strikes?|attacks?|rocket|military|drone|forces)|"
    r"(?:Kyiv|Kiev)(?:['’]s)? (?:attacked|struck|targeted|used|launched|fired|carried out|forces|regime)|"
    r"accused (?:Kyiv|Kiev|Ukraine)|accuses (?:Kyiv|Kiev|Ukraine)|blam\w+ (?:on )?(?:the )?(?:Kyiv|Kiev|Ukraine|"
    r"Armed Forces of Ukraine|Ukrainian)|by (?:Kyiv|Kiev|Ukraine)|retaliat\w+ for|in revenge for|"
    r"Kyiv regime|Kiev regime|Ukraine attack",
    re.I,
)
_RU_CLAIM = re.compile(
    r"(?:Russia|Moscow|Kremlin|Putin|Peskov|Shoigu|Lavrov|Zakharova|"
    r"Russian (?:officials|authorities|defen[cs]e ministry|military|emergency|envoy|"
    r"foreign ministry)|(?:Russia['’]s|the) (?:defen[cs]e|emergency situations|foreign) ministry|"
    r"Defen[cs]e Ministry)\s+(?:\w+\s+){0,3}?(?:says|say|said|claims|claim|claimed|accused|accuses|blamed|blame|"
    r"has said|reported|alleged|told)|what (?:it|Moscow|Russia) (?:called|calls|says|said)|"
    r"according to (?:Russia|Moscow|the Russian)|Russia accuses|vowed (?:revenge|to retaliate)|"
    r"local authorities blame|officials in Moscow|"
    r"purported|allegedly|(?:says|said|claims|claimed) (?:Russia|Moscow|the Kremlin|Russian officials)|"
    r"Russian air defen[cs]es?|(?:blaming|blamed|accusing|accused) (?:Ukraine|Kyiv|Kiev|Ukrainian forces)"
    # Russian official English ("the Kiev regime"), and a headline's source tag of the separatist republics ("- DPR")
    r"|\b(?:Kyiv|Kiev|Zelensky|Zelenskyy|Zelenskiy) regime\b|[-–—]\s*(?:DPR|LPR|DNR|LNR)\b",
    re.I,
)
# a lead clause without a strike word that names a city through its official or inside a quote ("the mayor
# of Ukraine's city of X said"): under a pending country framing ("Russia strikes Ukraine") it is the city hit
_OFFICIAL_OR_QUOTE = re.compile(
    r"\b(?:mayor|governor|head of the (?:\w+ )?(?:military )?administration|city council|city authorities|"
    r"regional authorities)\b",
    re.I,
)
_FRAMING = re.compile(
    r"(?:Russia|Moscow|Russian (?:forces|troops|military)|Ukraine|Kyiv)\s+(?:\w+\s+)?(?:strikes|attacks|hits|pounds|"
    r"bombards|launches|fires|targets|struck|attacked|hit|pounded|bombarded|launched|fired|targeted)\b",
    re.I,
)
_HEADLINE = re.compile(r"^(?=.{15,160}$)[\"“‘'A-Z0-9][^\n]*[^.!?:;,\s]$")  # short, capitalised, no final stop
_RU_ASSERTED = re.compile(r"Russian (?:strike|attack|missile|rocket|drone|airstrike|bombing|shelling)", re.I)


@dataclass
class _Clause:
    text: str
    unit: int
    is_title: bool
    places: list[gz.Place]
    is_list: bool
    country_level: str | None
    strike: bool
    prior: bool = False
    day_after: int = 0  # "two days after ...": the clause tells an event that many days before its anchor
    resume: bool = False
    target: _Strike | None = None
    caption: bool = False  # a photo caption (a credit "(Name/Agency)" ends it or follows it)
    segment: int = 0  # the semicolon-separated part of its sentence ("Missiles downed; Putin speaks in Moscow")
    voices: list[gz.Place] = field(default_factory=list)  # jurisdictions of the officials it names


@dataclass
class _Strike:
    place: gz.Place
    order: int
    in_title: bool
    first_unit: int
    date_cue: dt.DateCue | None = None
    date_offset_from: _Strike | None = None
    date_offset_days: int = 0  # days before ``date_offset_from`` (or the reference day when it is None)
    tod: TimeOfDay | None = None
    weapons: list[tuple[int, vocab.Rule]] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    killed: Casualty | None = None
    killed_vague: bool = False
    injured: Casualty | None = None
    injured_vague: bool = False
    evidence: str = ""
    field_evidence: dict[str, str] = field(default_factory=dict)
    clauses: list[str] = field(default_factory=list)
    own_clauses: list[str] = field(default_factory=list)  # not "after ..." clauses about an earlier event
    prior_only: bool = True  # every clause about it was an "after ..." clause (an earlier event)
    title_main: bool = False  # a title clause that is not an "after ..." clause is about it
    date_borrowed: bool = False  # its day came from a waiting placeless clause, not one naming its place


def _is_relevant(low: str) -> bool:
    # plain substring checks (C speed) before the regexes: a literal alternation makes re try every position
    return _has_strike_word(low) and (_holds_any(low, _GATE_WAR_PLAIN) or (
        _holds_any(low, _GATE_WAR_WORDS) and _GATE_WAR.search(low) is not None))


@functools.lru_cache(maxsize=2)
def _has_strike_word(low: str) -> bool:
    """Whether ``low`` matches _GATE_STRIKE (kept for the text: the gate and then the town test ask)."""
    return _holds_any(low, _GATE_STRIKE_WORDS) and (_GATE_STRIKE_PLAIN or _GATE_STRIKE.search(low) is not None)


_LEAD_CHARS = 400
# "... poses hard questions for Nato | Karolina Wigura and Jarosław Kuisz": a headline's byline after a bar names
# its authors, whose names may be towns' names too
_NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}"
_BYLINE = re.compile(r"\s+\|\s+" + _NAME + r"(?:\s+and\s+" + _NAME + r")?\s*$")
# a capitalised name where a struck place stands: "shelling in Vovchansk", "hit Pavlograd", "the town of Kupiansk"
_TOWN_WORD = re.compile(
    r"\b(?:in|on|at|near|outside|hit|hits|shelled|shells|struck|strikes|attacked|attacks|targeted|targets|bombed|"
    r"pounded|of)\s+(?:the\s+(?:city|town|village)\s+of\s+)?(?P<name>[A-Z][a-zà-žʼ'’-]{3,})(?![\w'’-])"
)


def _names_a_town_at_war(low: str, head: str) -> bool:
    """A strike word and, in the title or the lead, a town of Ukraine or Russia the gate's short list lacks
    ("The invaders hit Pavlograd with rockets", "One person died as a result of shelling in Vovchansk")."""
    if not _has_strike_word(low):
        return False
    gaz = gz.get()
    return any(p.country in ("UA", "RU") for m in _TOWN_WORD.finditer(head)
               for p in gaz.settlement_candidates(m.group("name")))


def _may_tell_attack(*texts: str) -> bool:
    """Whether an attack word may stand in some part of ``texts`` (False: no clause of them holds one)."""
    anywhere = lang.load("en").attack_anywhere
    return anywhere is None or any(anywhere.search(t) is not None for t in texts)


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    return prefilter.holds_any(text, words)  # (one pass over the text for all the words)


# --------------------------------------------------------------------------------------- places
class _PlaceFinder:
    def __init__(self, gaz: gz.Gazetteer, context: str) -> None:
        self.gaz = gaz
        self.context_low = context.lower()
        self.context_raw = context
        self._stems: dict[str, str] | None = None  # found when first needed (most articles never rank homonyms)
        self._context_keys: set[str] | None = None
        self.resolved: dict[str, gz.Place | None] = {}  # one article names the same places clause after clause

    @property
    def stems(self) -> dict[str, str]:
        """The region stems the article names, with their region keys."""
        if self._stems is None:
            self._stems = _stems_in(self.gaz, self.context_low)
        return self._stems

    @property
    def context_keys(self) -> set[str]:
        if self._context_keys is None:
            keys = set(self.stems.values())
            # "the village of Luganskoye in the DPR": the self-proclaimed republics name their oblasts
            for rx, region_name in _SEPARATIST:
                region = self.gaz.admin1(region_name) if rx.search(self.context_raw) else None
                if region is not None and region.admin1_key:
                    keys.add(region.admin1_key)
            self._context_keys = keys
        return self._context_keys

    def _resolve(self, surface: str) -> gz.Place | None:
        """The place a name stands for in this article (the gazetteer's candidates ranked by the regions the
        article names, the exact spelling, the country and the population)."""
        if surface in self.resolved:
            return self.resolved[surface]
        place = self.resolved[surface] = self._rank(surface)
        return place

    def _rank(self, surface: str) -> gz.Place | None:
        cands = self.gaz.settlement_candidates(surface)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]  # (nothing to rank)
        context_keys = self.context_keys
        pref = {"UA": 2, "RU": 1}
        top = max(p.population for p in cands)

        def score(p: gz.Place) -> tuple[int, int, int, int]:
            # the exact spelling beats an alternate name ("Pokrovsk" is not Engels), unless the exact namesake is
            # a village beside a city known by that name ("Makiivka" is the city of 340,000)
            exact = self.gaz.is_exact_name(p, surface) and not (top >= _BIG_TOWN and p.population * 20 < top)
            return (
                1 if p.admin1_key in context_keys else 0,
                1 if exact else 0,
                pref.get(p.country, 0),
                p.population,
            )

        return max(cands, key=score)

    def _context_region(self) -> gz.Place | None:
        """The one region the article names, if it names exactly one."""
        keys = set(self.stems.values())
        return self.gaz.admin1_by_key(next(iter(keys))) if len(keys) == 1 else None

    def find(self, clause: str, headline: bool = False) -> tuple[list[gz.Place], bool, list[gz.Place]]:
        """Places in the clause (text order), whether they form a bare list of several places, and the
        jurisdictions of the officials it names (``_OFFICIAL_AFTER``); a ``headline`` clause may open with its
        place as a label ("Kyiv: ...", unlike a body's dateline)."""
        found: list[tuple[int, gz.Place]] = []
        voices: list[gz.Place] = []
        taken: list[tuple[int, int]] = []
        is_list = False
        regions = _REGION_CUES.may(clause)
        for m in _REGION_LIST.finditer(clause) if regions else ():
            is_list = True
            taken.append((m.start(), m.end()))
            first = re.split(r",|\s+and\s+", m.group("list"))[0].strip()
            place = self.gaz.admin1(first + " region")
            if place is not None:
                found.append((m.start(), self.gaz.country(place.country)))
        for m in _REGION.finditer(clause) if regions else ():
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            stem = m.group("stem")
            words = stem.split()
            place = None
            for i in range(len(words)):
                place = self.gaz.admin1(" ".join(words[i:]) + " region")
                if place is not None:
                    break
            if place is None:
                place = self.gaz.admin1(stem + " " + m.group("kind").lower())
            if place is None:
                continue
            if m.group("kind").lower().endswith("s"):
                is_list = True
            before = clause[max(0, m.start() - 80):m.start()]
            if _LAUNCH_SITE_AFTER.match(clause, m.end()):
                taken.append((m.start(), m.end()))
                continue
            if _FROM_BEFORE.search(before) or _OFFICIAL_AFTER.match(clause, m.end()):
                taken.append((m.start(), m.end()))
                if _OFFICIAL_OF_BEFORE.search(before) or _OFFICIAL_AFTER.match(clause, m.end()):
                    voices.append(place)
                continue
            taken.append((m.start(), m.end()))
            city = _CITY_PART_OF.match(clause, m.end())
            if city and not m.group("kind").lower().endswith("s"):
                part_of = self._resolve(city.group(1))
                if part_of is not None and part_of.population >= _BIG_TOWN:
                    continue  # "the Kiev region of Donetsk": a district of the city, which the city match gives
            found.append((m.start(), place))
        for rx, place in _facilities(self.gaz) if _may_name_facility(self.gaz, clause) else ():
            # "shelling near the Zaporizhzhia nuclear plant": the installation's town, not the city it is named after
            for m in rx.finditer(clause):
                if not any(m.start() < e and st < m.end() for st, e in taken):
                    taken.append((m.start(), m.end()))
                    found.append((m.start(), place))
        for m in _REGION_OF.finditer(clause) if regions else ():
            # "the southern region of Kherson": the oblast named after its capital, said the other way round
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            place = self.gaz.admin1(m.group("stem") + " region")
            if place is not None:
                taken.append((m.start(), m.end()))
                found.append((m.start(), place))
        for rx, region_name in _SEPARATIST if regions else ():
            # "shelling in the DPR": the self-proclaimed republics stand for their oblasts
            for m in rx.finditer(clause):
                place = self.gaz.admin1(region_name)
                if place is not None and not any(m.start() < e and st < m.end() for st, e in taken):
                    taken.append((m.start(), m.end()))
                    found.append((m.start(), place))
        for m in _CRIMEA.finditer(clause) if regions else ():
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if _LAUNCH_SITE_AFTER.match(clause, m.end()):
                taken.append((m.start(), m.end()))
                continue
            place = self.gaz.admin1("Crimea")
            if place is not None:
                taken.append((m.start(), m.end()))
                found.append((m.start(), place))
        for m in _CAPSEQ.finditer(clause):
            tokens = m.group(0).split(" ")
            positions = []
            pos = m.start()
            for tok in tokens:
                positions.append(pos)
                pos += len(tok) + 1
            i = 0
            while i < len(tokens):
                hit = None
                # (no lookup when no settlement name of that many words starts with the token)
                for j in range(min(len(tokens), i + min(3, self.gaz.name_span(tokens[i]))), i, -1):
                    start = positions[i]
                    end = positions[j - 1] + len(tokens[j - 1])
                    if any(start < e and s < end for s, e in taken):
                        continue
                    surface = _POSSESSIVE.sub("", " ".join(tokens[i:j]))
                    place = self._resolve(surface)
                    if place is not None:
                        hit = (start, end, place, surface, j)
                        break
                if hit is None:
                    i += 1
                    continue
                start, end, place, surface, i = hit
                before = clause[max(0, start - 60):start]
                after = clause[end:end + 25]
                possessive = tokens[i - 1].endswith(("'s", "’s"))
                metonym = surface in _METONYMS or place.name in ("Kyiv", "Moscow", "Minsk", "Warsaw")
                officials = [o for o in (_OFFICIAL_OF_BEFORE.search(before), _OFFICIAL_AFTER.match(clause, end)) if o]
                if officials:
                    # "the head of the Donetsk regional military administration": either side may say regional
                    # ("Kyiv's city administration": a capital's own officials speak for it, not for the state)
                    roles = " ".join(f"{o.group('role')} {o.group('mod') or ''}" for o in officials)
                    voices.append(_voice_place(self.gaz, place, roles))
                    taken.append((start, end))
                    continue
                # "Kyiv was hit", "Vovchansk Shelled Again": the struck place as the subject of a passive
                struck = not possessive and (_PASSIVE_HIT_AFTER.match(clause, end) is not None or (
                    not _ACTOR_AFTER.match(after) and _MODIFIED_HIT_AFTER.match(clause, end) is not None))
                if metonym and not struck and (_ACTOR_AFTER.match(after) or possessive) and not (
                        possessive and _CITY_PART_AFTER.match(after)):
                    continue  # (but "Kyiv's Solomianskyi district", "Moscow's outskirts": a part of the city)
                if metonym and _ACTOR_VERB_AFTER.match(after) and not _OBJECT_BEFORE.search(before):
                    continue
                # "Kyiv: drones attack before dawn": a headline that opens with the place as its label
                label = headline and start == 0 and after.startswith(":")
                compound = struck or label or (not possessive and _ATTACK_COMPOUND_AFTER.match(after) is not None)
                if metonym and not compound and (not _LOCATIVE_BEFORE.search(before) or "officials in" in before[-14:]
                                                 or _VOICE_FROM.search(before)):
                    continue
                if (_REGION_NOUN_AFTER.match(after) and _THE_BEFORE.search(before) and place.admin1_key
                        and (place.admin1 or "").startswith(place.name or "?")):
                    # "in the Donetsk town", "the Kharkiv village of ...": the region's name as an adjective places
                    # a strike like an official's jurisdiction does (when the story's strike is not already in it)
                    region = self.gaz.admin1_by_key(place.admin1_key)
                    if region is not None:
                        taken.append((start, end))
                        voices.append(region)
                        continue
                if (_RAION_AFTER.match(after) and not possessive and not _ONE_OF_BEFORE.search(before)
                        and place.name not in _DISTRICT_NAMESAKES and place.population >= _DISTRICT_TOWN
                        and not surface.lower().endswith(_DISTRICT_ADJECTIVE)):
                    # "shelled the Nikopol district", "in Nikopol raion": the district named after its town is in
                    # the town's oblast ("a Kharkiv district" is a part of the city, which the city match gives)
                    region = self.gaz.admin1_by_key(place.admin1_key) if place.admin1_key else None
                    # (a district of a city that is a region of its own, "Kyiv's Darnytsia district", is that city)
                    region = (self.gaz.city_of(region) or region) if region is not None else None
                    if region is not None and not _DISTANCE_BEFORE.search(before) and not _FROM_BEFORE.search(before):
                        taken.append((start, end))
                        found.append((start, region))
                    continue
                if _FROM_BEFORE.search(before) or _DISTANCE_BEFORE.search(before):
                    continue
                if _DISTRICT_AFTER.match(after) and not _ONE_OF_BEFORE.search(before):
                    continue
                if _STREET_AFTER.match(after) or _LAUNCH_SITE_AFTER.match(clause, end) or (
                        surface in _RIVERS and (_RIVER_AFTER.match(after) or _RIVER_BEFORE.search(before))):
                    continue
                if _person_name(clause, start, end, foreign=place.country not in _AT_WAR):
                    continue
                if (" " not in surface and place.population < _SMALL_IN_TITLE_CASE and not struck
                        and not _LOCATIVE_BEFORE.search(before) and _is_title_case(clause)):
                    continue  # "Russia Marks Victory Day": in a headline every word is capitalised
                taken.append((start, end))
                found.append((start, place))
        for m in _VILLAGE_OF.finditer(clause):
            # "the village of Hroza in the Kharkiv region": a settlement too small for the gazetteer keeps its
            # name, and its region when the clause or the article names one (no invented coordinates)
            if any(m.start("name") < e and st < m.end("name") for st, e in taken):
                continue
            region = next((p for _, p in found if p.level == "admin1"), None) or self._context_region()
            cc = region.country if region is not None else ("UA" if m.group("ua") else None)
            if cc is None:
                continue
            taken.append((m.start("name"), m.end("name")))
            found.append((m.start("name"), gz.Place("settlement", cc, m.group("name"),
                                                    region.admin1 if region else None, None, None, 0,
                                                    region.admin1_key if region else None)))
        found.sort(key=lambda t: t[0])
        places = [p for _, p in found]
        settlements = {p.key for p in places if p.level == "settlement"}
        if len(settlements) >= 3:
            is_list = True
        return places, is_list, voices


_BIG_TOWN = 20000
_POSSESSIVE = re.compile(r"['’]s$")
_VILLAGE_OF = re.compile(
    r"\b(?P<ua>Ukrainian\s+)?(?:village|hamlet|settlement|town)\s+of\s+(?P<name>[A-Z][a-zà-žʼ'’-]+(?:\s+[A-Z][a-zà-žʼ'’-]+)?)"
    r"(?![\w'’-])"
)
_WORD = re.compile(r"[A-Za-z][a-z'’-]{3,}")


_AT_WAR = frozenset({"UA", "RU"})
# the endings of East Slavic surnames ("-enko", "-chuk", "-skyi", "-ov", "-ova", "-vich")
_SLAVIC_SURNAME = re.compile(r"(?:enko|chuk|yuk|ski|sky|skyi|skiy|ska|ov|ova|ev|eva|yov|vich|vych|yak)$")
_SURNAME_AFTER = re.compile(r"\s+[A-Z][a-zà-ž'’-]+(?![\w'’-]*\s+(?:[Rr]egion|[Oo]blast|[Cc]ity|[Dd]istrict))")
_FIRST_NAME_BEFORE = re.compile(r"(?<![\w'’-])[A-Z][a-zà-ž'’-]+\s+$")
_APPOSITION_AFTER = re.compile(r",\s+(?:a|an|the)\s+[a-z]|\s+(?:said|says|told|wrote)\b")
_AGE_AFTER = re.compile(r",\s*(?:aged\s+)?\d{1,3},")


def _person_name(clause: str, start: int, end: int, foreign: bool = False) -> bool:
    """Whether a place name is a person's first name: after a title and before a surname ("Governor Roman
    Starovoit", "Mayor Anna ..."), or with an age in apposition ("Marina, 34,"); a ``foreign`` town's name (not
    of the countries at war) also before a surname of East Slavic shape ("Yaroslav Pilunskiy")."""
    if _AGE_AFTER.match(clause, end):
        return True
    title = lang.load("en").person_title
    surname = _SURNAME_AFTER.match(clause, end)
    if surname is not None and (title.search(clause, max(0, start - 30), start) is not None
                                or _APPOSITION_AFTER.match(clause, surname.end()) is not None):
        return True  # ("Roman Chervinsky, a colonel in Ukraine's special forces": Roman is also a Romanian town)
    if foreign and surname is not None and _SLAVIC_SURNAME.search(surname.group(0)):
        return True  # "Cinematographer Yaroslav Pilunskiy": a first name before a surname of its shape
    # a surname after a title and a first name ("mayor Olena Shevchenko"): Shevchenko is also a village
    window = clause[max(0, start - 20):start]
    first = _FIRST_NAME_BEFORE.search(window)
    if first is None:
        return False
    at = start - len(window) + first.start()
    return title.search(clause, max(0, at - 30), at) is not None


def _is_title_case(text: str) -> bool:
    """Whether most words of four letters or more are capitalised (a headline in title case)."""
    words = _WORD.findall(text)
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) >= 0.7 * len(words)
# "the Kiev region of Donetsk" (a city district named after a region): the city follows
_CITY_PART_OF = re.compile(r"\s+of\s+(?:the\s+city\s+of\s+)?([A-Z][\w'’ʼ-]+)(?![\w'’ʼ-]*\s+(?:[Rr]egion|[Oo]blast))")
_STEMS_CACHE: dict[int, dict[str, str]] = {}


@functools.cache
def _place_aliases() -> dict[str, Any]:
    """``streams/data/place_aliases.json``, read once (facilities and the territories of other wars)."""
    data: dict[str, Any] = json.loads((vocab.DATA_DIR / "place_aliases.json").read_text(encoding="utf-8"))
    return data


@functools.cache
def _facilities(gaz: gz.Gazetteer) -> tuple[tuple[re.Pattern[str], gz.Place], ...]:
    """Named installations (place_aliases.json "facilities") with the settlement each stands in."""
    data = _place_aliases()
    out = []
    for entry in data.get("facilities", []):
        place = next((p for p in gaz.settlement_candidates(entry["settlement"]) if p.country == entry["country"]), None)
        if place is not None:
            out.append((prefilter.gate(re.compile(r"(?<![\w-])(?:" + entry["pattern"] + r")(?![\w-])", re.I)), place))
    return tuple(out)


@functools.cache
def _foreign_names(gaz: gz.Gazetteer) -> frozenset[str]:
    """Country names from pycountry out of the gazetteer's scope and territories of other wars (place_aliases.json
    "foreign_places")."""
    import pycountry  # only here: the one-time set-up of the first extract call

    names = set(_place_aliases()["foreign_places"])
    for c in pycountry.countries:
        if c.alpha_2 in gaz.country_codes:
            continue
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name:
                names.add(name.split(",")[0].strip())
    return frozenset(names)


@functools.cache
def _foreign_name(gaz: gz.Gazetteer) -> re.Pattern[str]:
    """Where one of the foreign names starts, as written (every match of ``_foreign_war`` holds one: a clause
    without one is not searched with that long pattern)."""
    return prefilter.literal_pattern(_foreign_names(gaz))


@functools.cache
def _foreign_war(gaz: gz.Gazetteer) -> re.Pattern[str]:
    """A clause placing its strike in a country out of the gazetteer's scope or a territory of another war
    ("an airstrike in Syria", "Israeli strikes on Gaza", "Gaza strikes")."""
    alt = "|".join(re.escape(n) for n in sorted(_foreign_names(gaz), key=len, reverse=True))
    return re.compile(
        r"(?i:\b(?:in|on|over|across|into|inside|against)\s+(?:the\s+)?"
        + _COMPASS + r"?)(?:" + alt + r")(?![\w'’-])"
        r"|(?<![\w'’-])(?:" + alt + r")(?:['’]s)?\s+(?:[\w-]+\s+)?"
        r"(?i:air ?strikes?|strikes?|attacks?|bombings?|raids?)\b"
    )


def _may_name_facility(gaz: gz.Gazetteer, clause: str) -> bool:
    """Whether ``clause`` holds a word that some facility pattern needs (see prefilter.Family)."""
    return _facility_family(gaz).may(clause)


@functools.cache
def _facility_family(gaz: gz.Gazetteer) -> prefilter.Family:
    return prefilter.Family(*(rx for rx, _ in _facilities(gaz)))


def _stems_in(gaz: gz.Gazetteer, low: str) -> dict[str, str]:
    """``{stem: key for stem, key in _stems(gaz).items() if stem in low}``, testing each stem only when the
    first characters it shares with others are in ``low``."""
    found = [entry for head, entries in _stem_heads(gaz).items() if head in low
             for entry in entries if entry[1] in low]
    found.sort()
    return {stem: key for _, stem, key in found}


_HEAD = 4


@functools.cache
def _stem_heads(gaz: gz.Gazetteer) -> dict[str, list[tuple[int, str, str]]]:
    """The stems by their first ``_HEAD`` characters, each with its place in ``_stems`` order."""
    heads: dict[str, list[tuple[int, str, str]]] = {}
    for i, (stem, key) in enumerate(_stems(gaz).items()):
        heads.setdefault(stem[:_HEAD], []).append((i, stem, key))
    return heads


def _stems(gaz: gz.Gazetteer) -> dict[str, str]:
    cached = _STEMS_CACHE.get(id(gaz))
    if cached is None:
        cached = gaz.admin1_stems()
        _STEMS_CACHE[id(gaz)] = cached
    return cached


# --------------------------------------------------------------------------------------- main
_PREPARE_LOCK = threading.Lock()
_ready = False


def prepare() -> None:
    """Load and compile everything ``extract`` uses, once per process; safe to call from several threads (a
    worker calls it on a thread at start, so that its first article does not block the event loop for the
    seconds this takes, and ``extract`` waits for it instead of doing the work twice)."""
    global _ready
    if not _ready:
        with _PREPARE_LOCK:
            if not _ready:
                _prepared()
                _ready = True


@functools.cache
def _prepared() -> bool:
    """Everything ``extract`` uses, made ready at its first call: the data files, the vocabularies' scan
    tables and the regex prefilters (so that no later article pays for them)."""
    gaz = gz.get()
    gaz.prepare()
    _facilities(gaz)
    _facility_family(gaz)
    _foreign_war(gaz)
    _foreign_name(gaz)
    for name in ("weapons", "targets", "attackers"):
        vocab.load(name).prepare()
    lang.load("en")
    prefilter.prepare_all()
    return True


def extract(article: Article, reference_time: datetime | None = None) -> list[StrikeReport]:
    """The strikes an article states, most salient first (index 0 = the headline's strike).

    ``reference_time`` (the Kafka timestamp) resolves relative dates only when the article has no
    ``published_at``; with neither, relative dates resolve to None with basis "unknown".
    """
    prepare()
    raw_title = (article.title or "")[: tx.MAX_CHARS]
    raw_text = (article.text or "")[: tx.MAX_CHARS]
    low = (raw_title + "\n" + raw_text).lower()
    if not _is_relevant(low) and not (  # (the head is not put together for a text without a strike word)
            _has_strike_word(low) and _names_a_town_at_war(low, raw_title + "\n" + raw_text[:_LEAD_CHARS])):
        return []
    title = _BYLINE.sub("", tx.clean(raw_title))
    body = tx.clean(raw_text)
    if (not title and not body) or _REVIEW_MARKER.search(title):
        return []  # (a critic's review tells no strike of its own, whatever war its work depicts)
    lead = tx.lead(body or title)
    if not title:
        # a page excerpt without a title field: its first line, when it reads as a headline, is the title
        first, _, rest = body.partition("\n")
        if rest and _HEADLINE.match(first) and _STRIKE_CUE.search(first):
            title, body = first, rest
    if not _may_tell_attack(title, body, lead):
        return []  # the attack-word test before the reports (title, lead, strike clauses) would drop them all
    moment = article.published_at or reference_time
    if moment is not None and moment.tzinfo is None:
        moment = None  # naive timestamps are not trusted
    ref = dt.local_date(moment)
    if ref is None:
        # a page excerpt's own dateline stands in for the publication time; failing that, the latest
        # complete date the page states (a caption's "December 29, 2023")
        ref = dt.dateline(raw_text) or dt.latest_full_date(raw_title + "\n" + raw_text)
    yhint = dt.year_hint(article.url) if ref is None else None
    wref = dt.week_anchor(raw_title + "\n" + raw_text) if ref is None and yhint is None else None

    units: list[tuple[str, bool]] = [(s, True) for s in tx.sentences(title)]
    units += [(s, False) for s in tx.sentences(body)]
    units = units[:400]
    gaz = gz.get()
    finder = _PlaceFinder(gaz, title + "\n" + body)
    weapons_vocab = vocab.load("weapons")
    targets_vocab = vocab.load("targets")
    language = lang.load("en")

    strikes: list[_Strike] = []
    by_key: dict[tuple[str, str, str], list[_Strike]] = {}
    current: _Strike | None = None
    follow_up = language.follow_up.search(title + " " + body) is not None
    first_body_unit = next((i for i, (_, t) in enumerate(units) if not t), len(units))
    window_end = first_body_unit + LEAD_SENTENCES
    # weak country-level framing ("Russia strikes Ukraine") and placeless lead clauses wait here until
    # the lead names a city of that country (then they are that city's strike) or the lead ends.
    pending: list[tuple[_Clause, str | None]] = []

    def new_strike(place: gz.Place, cl: _Clause) -> _Strike:
        st = _Strike(place=place, order=len(strikes), in_title=cl.is_title, first_unit=cl.unit)
        st.evidence = _evidence(cl.text, place)
        strikes.append(st)
        by_key.setdefault(place.key, []).append(st)
        if not _RETALIATION.match(cl.text):  # "in revenge for an attack on X": X is not the framed strike
            flush(st, cl.unit)
        return st

    def flush(st: _Strike, unit: int) -> None:
        keep: list[tuple[_Clause, str | None]] = []
        for pcl, cc in pending:
            if (cc is None or cc == st.place.country) and (st.place.level != "country" or unit >= window_end
                                                            or cc is None):
                into = st
                if cc is not None and st.place.level != "country" and not pcl.is_title and not (
                        cas.figures(pcl.text) or targets_vocab.find(pcl.text)):
                    # the lead already built the nationwide strike ("shot down 21 of 49 drones launched by
                    # Russian forces overnight"): a weak "Russia launched a drone assault on Ukraine" is that one
                    nationwide = by_key.get(gaz.country(cc).key)
                    if nationwide:
                        into = nationwide[0]
                _absorb(into, pcl, ref, yhint, wref, weapons_vocab, targets_vocab, own=False)
                if pcl.is_title:
                    st.in_title = True
                    st.title_main = st.title_main or not (pcl.prior or pcl.day_after)
                    st.first_unit = min(st.first_unit, pcl.unit)
            else:
                keep.append((pcl, cc))
        pending[:] = keep

    def get_strike(place: gz.Place, cl: _Clause, cue_date: date | None) -> _Strike:
        existing = by_key.get(place.key)
        if not existing:
            return new_strike(place, cl)
        if (cl.prior or cl.day_after) and cue_date is None and all(
                st.date_cue is not None and st.date_cue.value is not None and not st.prior_only for st in existing):
            # "X happened the day after an attack on <same place>": that attack is an earlier event than the
            # dated one already built for the place
            return new_strike(place, cl)
        if cue_date is not None:
            for st in reversed(existing):
                known = (st.date_cue.value if st.date_cue is not None and not st.date_cue.offset_days
                         and not st.date_cue.statement else None)
                if known is None and st.date_cue is None and st.date_offset_from is not None:
                    acue = st.date_offset_from.date_cue  # "the day after an attack on X": a day before its anchor
                    if acue is not None and acue.value is not None and not acue.offset_days:
                        known = acue.value - timedelta(days=st.date_offset_days)
                if known is None or known == cue_date:
                    break
            else:
                return new_strike(place, cl)  # same place, another day: a separate strike
        st = existing[-1]
        if cl.is_title:
            st.in_title = True
        return st

    def effect_strike(effect: _Clause, cl: _Clause, cue_date: date | None) -> _Strike:
        cl.prior = False
        target = get_strike(_effect_places(effect)[0], cl, cue_date)
        effect.target = target
        undated = target.date_cue is None
        _absorb(target, effect, ref, yhint, wref, weapons_vocab, targets_vocab)
        if cl.day_after and undated:
            # "rescuers dug through the rubble in Dnipro on Sunday, a day after a missile attack": the
            # attack is that many days before the day of what it left (told, or the publication day)
            seen = target.date_cue.value if target.date_cue is not None else ref
            if seen is not None:
                target.date_cue = dt.DateCue(seen - timedelta(days=cl.day_after), "relative", 0, cl.text)
        return target

    def end_window() -> None:
        # headline and lead are one story: a placeless strike headline ("Russian strike on Zelensky's home city
        # kills six") waiting at the end of the lead is the strike on the one settlement the lead names
        title_cls = [pcl for pcl, c in pending if c is None and pcl.is_title and pcl.strike and not pcl.prior
                     and (weapons_vocab.find(pcl.text) or _STRIKE_NOUN.search(pcl.text))]
        named = {p.key: p for p in lead_places}
        if title_cls and len(named) == 1 and not any(st.place.level == "settlement" for st in strikes):
            flush(new_strike(next(iter(named.values())), title_cls[0]), window_end)
        for cc in sorted({c for _, c in pending if c is not None}):
            country = gaz.country(cc)
            existing = by_key.get(country.key)
            if existing:
                # the lead named no city: the waiting country framing is the country strike already built
                flush(existing[0], window_end)
                continue
            cl = next(pcl for pcl, c in pending if c == cc)
            flush(new_strike(country, cl), window_end)  # the lead is over: its country framing is this strike

    lead_places: list[gz.Place] = []  # settlements the lead's body sentences name, strike words or not
    # the same by their own name outside captions, not the namesake of their region ("Kaluga borders Moscow")
    lead_named: list[gz.Place] = []
    title_places: list[gz.Place] = []  # settlements the headline names
    title_strike = False  # whether a headline clause tells a strike
    planted: list[set[tuple[str, str, str]]] = []  # places of lead clauses that tell a planted bomb or a crash
    planted_frame = _planted_frame()
    named_on: dict[tuple[str, str, str], dt.DateCue] = {}  # a place named in a dated strike clause: that date
    window_closed = False
    for u, (sentence, is_title) in enumerate(units):
        if not window_closed and u >= window_end:
            end_window()
            window_closed = True
        parts: list[tuple[str, int]] = []  # a clause and its segment (a semicolon starts the next segment)
        for segment, piece in enumerate(sentence.split(";")):
            for p in _CLAUSE_SPLIT.split(piece):
                if not p or not p.strip():
                    continue
                fronted = _FRONTED_PRIOR.match(p)
                if fronted:  # "after the tragedy, troops attacked X": only the short fronted phrase is earlier
                    parts += [(fronted.group(1), segment), (p[fronted.end():], segment)]
                else:
                    parts.append((p, segment))
        clauses: list[_Clause] = []
        caption = not is_title and (_CREDIT.search(sentence) is not None or (
            u + 1 < len(units) and _CREDIT.fullmatch(units[u + 1][0].strip()) is not None))
        for part, segment in parts:
            places, is_list, voices = finder.find(part, is_title)
            country_level = None
            # cheap word checks first: the country patterns are long alternations that most clauses fail
            part_low = part.lower()
            spill = launched = None
            if any(w in part_low for w in _NEIGHBOUR_WORDS) and _CAME_DOWN.search(part):
                spill = next((cc for cc, rx in _NEIGHBOUR_COUNTRY if rx.search(part)), None)
            if spill is not None:
                country_level = spill  # a missile or drone that came down across the border
            elif any(w in part_low for w in _UA_COUNTRY_WORDS) and (ua := _UA_COUNTRY.search(part)) and not (
                    # "Ukraine war: drone attack on Russian bomber base": the war's label yields to the place named
                    ua.group(0).lower() == "ukraine war" and any(w in part_low for w in _RU_COUNTRY_WORDS)
                    and _RU_COUNTRY.search(part)):
                country_level = "UA"
            elif any(w in part_low for w in _RU_COUNTRY_WORDS) and _RU_COUNTRY.search(part):
                country_level = "RU"
            elif (not places and not voices and _RUSSIA_LAUNCHED.search(part) and not _ANAPHORA.search(part)
                  and _COUNTRY_CAPITAL.search(part) is None):
                country_level = launched = "UA"  # inferred from who launched, not named
            cue_match = _STRIKE_CUE.search(part)
            strike = cue_match is not None or (
                # "damage to a maternity hospital in Dnipro": damage at a named place (not "across the country")
                _DAMAGE.search(part) is not None and any(p.level != "country" for p in places))
            if strike and _NO_DAMAGE.search(part) and not _STRIKE_CUE.search(_NO_DAMAGE.sub(" ", part)):
                strike = False  # "did not cause any damage" is the only cue
            if (strike and country_level == launched and not any(p.level != "country" for p in places)
                    and _foreign_name(gaz).search(part) and _foreign_war(gaz).search(part)):
                strike, country_level = False, None  # "an airstrike in Syria", "strikes on Gaza": another war
            if strike:
                frame = language.non_strike(part, cue_match.start() if cue_match else 0,
                                            placed=any(p.level != "country" for p in places))
                # "explosions were heard in Kyiv, marking the fifth aerial attack": a strike word outside the
                # non-strike phrase still tells a strike
                non_strike = _NON_STRIKE.search(part) is not None and (
                    not _HEARD.search(part) or not _STRIKE_CUE.search(_HEARD.sub(" ", part)))
                if (non_strike or frame) and (
                        (frame is not None and frame.even_with_toll) or not cas.figures(part)):
                    strike = False  # a threat, a delivery, a habit, a battle or a planted bomb: no strike of its own
            if u < window_end and planted_frame is not None and planted_frame.search(part):
                keys = {p.key for p in places if p.level != "country"}
                if keys or not is_title:  # (a placeless headline part may be another item: "...; woman held in plot")
                    planted.append(keys)
            clauses.append(
                _Clause(
                    part, u, is_title, places, is_list, country_level, strike,
                    prior=_PRIOR_CONNECTOR.match(part) is not None and not _LATER.match(part),
                    day_after=_days_after(part),
                    resume=_RESUME.match(part) is not None,
                    caption=caption,
                    segment=segment,
                    voices=voices,
                )
            )
        if caption and (shot := dt.find(sentence, ref, yhint, wref)) is not None and _file_photo(shot, ref) and not any(
                (p.name or p.admin1 or "?") in title for c in clauses for p in c.places):
            # "A dog walks past a building burned in Bakhmut on Dec. 26, 2022. (Name/Agency)" under a story of
            # weeks later: a file photo shows an earlier day and place, not the story's strike (unless the headline
            # names its place: then it may be a picture of the story's strike)
            continue
        in_window = u < window_end
        for prev, cl in itertools.pairwise(clauses):
            if cl.prior and _PLAIN_AFTER.match(cl.text) and (
                    (not prev.strike and _CONSEQUENCE.search(prev.text))
                    # "three people were injured on Wednesday after a drone hit Chernihiv": a toll without an
                    # attack or a place of its own is what the attack after it did
                    or (not prev.places and not prev.prior and not _ATTACK_WORD.search(prev.text)
                        and cas.figures(prev.text))):
                cl.prior = False  # "huge fire after drone hit on a fuel depot": the attack is this story's event
        if u < window_end and not is_title:
            lead_places.extend(p for c in clauses for p in c.places if p.level == "settlement")
            if not caption:  # (a photo caption may show a file picture of another day)
                # (a city whose own officials the lead quotes counts: "the Russian-installed head of Sevastopol")
                lead_named.extend(p for c in clauses for p in (*c.places, *c.voices) if p.level == "settlement"
                                  and p.name and p.name in c.text and not _namesake_of_region(p))
        if is_title:
            title_places.extend(p for c in clauses for p in c.places if p.level == "settlement")
            title_strike = title_strike or any(c.strike for c in clauses)
        for ci, cl in enumerate(clauses):
            target: _Strike | None = None
            specific = _within_first([p for p in cl.places if p.level != "country"])
            cue = dt.find(cl.text, ref, yhint, wref)
            cue_date = cue.value if cue is not None and not cue.offset_days and not cue.statement else None
            if cue is not None and cl.caption and _file_photo(cue, ref):
                cue, cue_date = None, None
            if (cl.strike and not cl.prior and not cl.day_after and cue is not None and cue_date is not None
                    and not _TOLL_DATE.search(cl.text[: cue.start])):
                for p in specific:  # "missiles hit Kharkiv and Zaporizhzhia overnight": the day of each place named
                    named_on.setdefault(p.key, cue)
            if cue is not None and cue.offset_days and (cl.prior or cl.day_after):
                # "in retaliation for the attack the day before on X": a day before the sentence's own strike
                anchor = _last_target(clauses, ci) or current
                acue = anchor.date_cue if anchor is not None else None
                if acue is not None and acue.value is not None and not acue.offset_days:
                    cue_date = acue.value + timedelta(days=cue.offset_days)
            shares = _distributed(cl.text, [p for p in specific if p.level == "settlement"]) if cl.strike else None
            if shares:
                # "shelling killed two in Kherson and one in Nikopol": each place its own strike and figure
                for place, kind, figure in shares:
                    st = get_strike(place, cl, cue_date)
                    _absorb(st, cl, ref, yhint, wref, weapons_vocab, targets_vocab, figures=False)
                    if kind == "killed" and cas.better(st.killed, figure, False, st.killed_vague):
                        st.killed, st.killed_vague = figure, False
                        st.field_evidence["killed"] = cl.text
                    elif kind == "injured" and cas.better(st.injured, figure, False, st.injured_vague):
                        st.injured, st.injured_vague = figure, False
                        st.field_evidence["injured"] = cl.text
                    cl.target = current = st
                continue
            if not cl.strike:
                if not specific and current is not None and _has_facts(cl.text, weapons_vocab, targets_vocab):
                    target = _last_target(clauses, ci) or current
                elif in_window and not cl.is_title and specific and _OFFICIAL_OR_QUOTE.search(cl.text):
                    framed = [p for p in specific if any(cc == p.country and pcl.is_title and _FRAMING.search(pcl.text)
                                                         for pcl, cc in pending)]
                    if framed and len({p.key for p in framed}) == 1 and not any(
                            st.place.level != "country" and st.place.country == framed[0].country and not st.prior_only
                            for st in strikes):
                        target = get_strike(framed[0], cl, cue_date)
            elif not specific and not cl.is_list and not cl.country_level and _LATER.match(cl.text) and (
                    (before := _last_target(clauses, ci) or current) is not None
                    and before.place.level == "settlement"):
                # "the missile strike was followed by drone attacks on housing blocks": a second strike there
                target = new_strike(before.place, cl)
            elif specific and not cl.is_list:
                target = get_strike(specific[0], cl, cue_date)
                second = _paired(cl, specific, finder) if cl.strike and not cl.prior else None
                if second is not None:
                    # "Russian forces shelled Nikopol and Marhanets overnight": both towns were hit (a toll told once
                    # stays with the first)
                    _absorb(get_strike(second, cl, cue_date), cl, ref, yhint, wref, weapons_vocab, targets_vocab,
                            figures=False)
            elif cl.country_level and not cl.is_list and not _NAMES_COUNTRY.search(cl.text) and not _UA_COUNTRY.search(
                    cl.text) and (
                    effect := _effect_before(clauses, ci)) is not None:
                # "Crimea oil depot burns after suspected Ukrainian drone attack": the country guessed from who
                # attacked yields to the place where the attack's consequence is told
                target = effect_strike(effect, cl, cue_date)
            elif cl.is_list or cl.country_level:
                # a list of named places is in their country ("Russia's Belgorod and Bryansk regions"), whatever
                # the clause's framing words say ("Russia-Ukraine war live: ...")
                cc = cl.places[0].country if cl.is_list and cl.places else (cl.country_level or "UA")
                if in_window and not _STRONG_COUNTRY.search(cl.text):
                    pending.append((cl, cc))
                else:
                    target = get_strike(gaz.country(cc), cl, cue_date)
            else:
                effect = _effect_before(clauses, ci)
                if effect is not None:
                    # "fire engulfs Crimea oil depot after drone attack": the attack caused what happened there
                    target = effect_strike(effect, cl, cue_date)
                elif not any(c.places for c in clauses) and (capital := _capital_named(cl.text)) is not None:
                    # "Russian drones strike Ukrainian capital": the capital its country names
                    target = get_strike(capital, cl, cue_date)
                elif cl.prior and not _has_facts(cl.text, weapons_vocab, targets_vocab,
                                                 figures=not _OTHER_EVENT.match(cl.text)):
                    # "after an attack" on something unnamed: another event, no place; its toll ("follows the
                    # deadliest attack on civilians") is not the sentence's strike's either
                    target = None
                elif cl.resume:
                    target = next((c.target for c in clauses[:ci] if not c.prior and c.target is not None), None)
                    target = target or current
                    if target is None:
                        # "missile hits a ward, killing two": the toll waits with its sentence's placeless strike
                        pending.extend([(cl, cc) for pcl, cc in pending if pcl.unit == u][:1])
                elif (voice := _voice(clauses, ci, pending)) is not None and _ATTACK_WORD.search(cl.text) and (
                        (focus := _focus(clauses, ci, current)) is None or focus.place.level == "country"
                        or focus.place.admin1_key != voice.admin1_key):
                    # "shells hit a village, the governor of the Belgorod region said": the official's region
                    target = get_strike(voice, cl, cue_date)
                elif ci > 0 and _last_target(clauses, ci) is not None:
                    target = _last_target(clauses, ci)
                elif in_window and any(c is not None for _, c in pending):
                    pending.append((cl, next(c for _, c in pending if c is not None)))
                else:
                    ahead = _lookahead(clauses, ci)
                    if ahead is not None and (current is None or current.place.level == "country"):
                        target = get_strike(ahead, cl, cue_date)
                    elif current is not None and _OTHER_TIME.search(cl.text):
                        target = None  # "19 soldiers were killed in a strike last week": another, earlier event
                    elif current is not None:
                        target = _toll_side(cl.text, current, strikes)
                    elif ahead is not None:
                        target = get_strike(ahead, cl, cue_date)
                    else:
                        pending.append((cl, None))
            cl.target = target
            if target is None:
                continue
            if cl.day_after:
                anchor = _last_target(clauses, ci) or current
                if anchor is not target and target.date_cue is None:
                    target.date_offset_from = anchor
                    target.date_offset_days = cl.day_after
            _absorb(target, cl, ref, yhint, wref, weapons_vocab, targets_vocab)
            if not cl.day_after or current is None or target is current:
                current = target  # "the day after a barrage ...": the earlier event does not take the focus
    if not window_closed:
        end_window()
    strikes = _fold_headline_region(strikes, window_end, lead_named)
    for st in strikes:
        if st.date_cue is None and not st.date_offset_days and st.place.key in named_on:
            # "In Zaporizhzhia, a hospital was damaged" after "missiles hit Kharkiv and Zaporizhzhia overnight"
            st.date_cue = named_on[st.place.key]

    if not strikes:
        # no place named at all: a placeless strike clause with a fact of its own ("20 soldiers killed in a
        # Russian missile attack") is a report of the country hit, found from who attacked
        # (an "after ..." clause counts here: with nothing else in the article it is the article's strike)
        # the toll may follow in a participle clause of the same sentence ("missile strikes a ward, killing two")
        def _toll(pcl: _Clause) -> bool:
            return any(f.casualty.value > 0 for f in cas.figures(pcl.text))

        waiting = [pcl for pcl, _ in pending]
        named = {p.key: p for p in title_places}
        # "Kherson couple recall ..." over "two friends died after a strike on a shopping centre": the one town the
        # headline names is where the story's placeless strike happened, and a target hit is a fact of it
        home = next(iter(named.values())) if len(named) == 1 else None
        # "Kyiv's city administration said five were injured": the one place whose officials the lead quotes
        spoken = {p.key: p for q in waiting if not q.is_title and q.unit < window_end for p in q.voices}
        voice = next(iter(spoken.values())) if not named and len(spoken) == 1 else None
        # headline and lead are one story: a toll the lead gives (no attack word of its own) is the headline's
        lead_tolls = [q for q in waiting if not q.is_title and q.unit < window_end and not q.prior and _toll(q)]
        position = {id(q): i for i, q in enumerate(waiting)}
        factual = [pcl for pcl in waiting if pcl.strike and _ATTACK_WORD.search(pcl.text) and (
            (pcl.is_title and not pcl.prior and (lead_tolls or _EVENT_DEEDS.search(pcl.text))) or
            _toll(pcl) or any(q.unit == pcl.unit and q.resume and _toll(q) for q in waiting)
            # "at least 21 died after a missile struck an apartment building": the toll before its cause
            or (_PLAIN_AFTER.match(pcl.text) and any(q.unit == pcl.unit and _toll(q) and not q.prior
                                                    for q in waiting[:position[id(pcl)]]))
            or (home is not None and not title_strike and _target_struck(pcl.text, targets_vocab))
            # "drone strike hits oil refinery": a headline whose weapon hit a named kind of target
            or (pcl.is_title and _target_struck(pcl.text, targets_vocab) and not _foreign_name(gaz).search(pcl.text)
                and any(not r.generic for _, _, r in weapons_vocab.find(pcl.text))))]
        factual += [q for q in waiting if q not in factual and (q.resume or not q.prior) and _toll(q)
                    and any(f.unit == q.unit or (f.is_title and q in lead_tolls) for f in factual)]
        if factual:
            hit = _country_hit(title + "\n" + body, factual[0].text)
            if home is None and voice is not None and voice.country == hit:
                home = voice  # (not an official of one country telling of a death in the other)
            st = new_strike(home if home is not None else gaz.country(hit), factual[0])
            for pcl in factual[1:]:
                _absorb(st, pcl, ref, yhint, wref, weapons_vocab, targets_vocab)
    if not strikes:
        return []
    # a death or an injury told with no word of an attack anywhere in the title or the lead ("bodies of dead
    # soldiers found near Kyiv", "aid worker killed in Bakhmut while helping civilians") reports no strike
    if not _ATTACK_WORD.search(title) and not _ATTACK_WORD.search(lead) and not any(
            _ATTACK_WORD.search(c) for st in strikes for c in st.clauses):
        return []

    if all(st.place.level == "country" and not st.killed and not st.injured and not st.targets
           and not any(not r.generic for _, r in st.weapons) and not _event_headline(st) for st in strikes):
        return []  # only a vague country-level framing ("after Russia attacked"): not a strike report
    # a weapon named beside a place with nothing happening ("Ukrainian drones watch over Bakhmut", "a baby among the
    # bombs") is no strike: a strike needs a word of something happening to the place, a toll or a target hit
    strikes = [st for st in strikes if st.killed or st.injured or any(language.event.search(c) for c in st.clauses)
               or (st.targets and any(_target_struck(c, targets_vocab) for c in st.clauses))]
    # "Explosion at Moscow cafe injures 25" over "an improvised explosive device went off in a cafe in Moscow": the
    # lead tells that the headline's blast was a planted bomb (or a crash), no strike; so is a blast at the place a
    # headline or lead tells of a planted bomb ("bomb suspect charged over blogger's killing in St Petersburg")
    strikes = [st for st in strikes if any(not r.generic for _, r in st.weapons) or not any(
        st.place.key in keys or (st.in_title and not keys) for keys in planted)]
    if not strikes:
        return []

    def _bare(st: _Strike) -> bool:
        explicit = st.date_cue is not None and st.date_cue.basis == "explicit"  # "on 29 December, Russia ..."
        return (st.place.level == "country" and not st.killed and not st.injured and not st.targets
                and not any(not r.generic for _, r in st.weapons) and not explicit)

    # "the strike, and others elsewhere across Ukraine, ...": a factless country mention beside a city strike
    # of that country is the same framing, not another event
    placed = {st.place.country for st in strikes if st.place.level != "country"}
    strikes = [st for st in strikes if not (_bare(st) and st.place.country in placed)]

    # the headline's own strike first, then one the headline names as an earlier event, then text order
    ordered = sorted(strikes, key=lambda s: (0 if s.title_main else 1 if s.in_title else 2, s.order))
    main = ordered[0]
    if main.place.level == "country" and main.date_cue is None and not main.date_offset_days:
        # an article about a nationwide barrage with no day of its own: the one day its city parts are given
        days = {c.date_cue.value for c in strikes if c.place.level != "country" and c.place.country ==
                main.place.country and c.date_cue is not None and c.date_cue.value is not None
                and not c.date_cue.offset_days and not c.date_cue.statement and not c.prior_only}
        if len(days) == 1:
            dated = next(c for c in strikes if c.date_cue is not None and c.date_cue.value in days)
            main.date_cue = dated.date_cue
    # bare region totals are not attached to a city strike: region strikes that only carry figures
    # while a city strike of the same region exists keep their figures to themselves (nothing to do);
    # drop region strikes that state nothing but a figure already covered by a city in that region.
    reports: list[StrikeReport] = []
    # an item published in the small hours (Kyiv) with no time word tells the day before's or the evening's
    # news: its publication day is not the strike's
    small_hours = moment is not None and moment.astimezone(dt.KYIV).hour < _SMALL_HOURS_END
    follow_up = follow_up or small_hours
    main_date = _resolve_date(main, main, ref, first_body_unit, follow_up, small_hours=small_hours)[0]
    for idx, st in enumerate(ordered):
        day, basis = _resolve_date(st, main, ref, first_body_unit, follow_up, main_date, small_hours=small_hours)
        attacker, attribution = _attacker(st, title + "\n" + body)
        weapons = _weapons(st)
        if idx == 0:
            weapons = _kind_from_lead(weapons, weapons_vocab.find(title + "\n" + lead))
        place = st.place
        precision = place.level
        reports.append(
            StrikeReport(
                article_id=article.id,
                index=idx,
                country=place.country,
                settlement=place.name if place.level == "settlement" else None,
                admin1=place.admin1,
                lat=place.lat,
                lon=place.lon,
                precision=precision,  # type: ignore[arg-type]
                date=day,
                date_basis=basis,
                time_of_day=st.tod,
                attacker=attacker,
                attribution=attribution,
                weapons=weapons,
                killed=st.killed,
                injured=st.injured,
                targets=tuple(st.targets),
                evidence=st.evidence,
                field_evidence=dict(st.field_evidence),
                url=article.url,
                outlet=article.outlet,
                published_at=article.published_at,
                title=article.title,
                lead=lead,
            )
        )
    return reports


_LOCAL_SOURCE = r" (?:authorities|officials|emergency|health|regional|local)\b"
_SIDE_SOURCE = (
    ("RU", re.compile(r"\b(?:Russian|Russia['’]s)" + _LOCAL_SOURCE, re.I)),
    ("UA", re.compile(r"\b(?:Ukrainian|Ukraine['’]s)" + _LOCAL_SOURCE, re.I)),
)


_OTHER_TIME = re.compile(
    r"\blast (?:week|month|year)\b|\b(?:weeks|months|years) ago\b|\bearlier this (?:week|month|year)\b", re.I
)
_PLANTED_FRAME = "terror_or_accident"  # streams/data/lang/en.json: the non-strike frame of planted bombs and crashes


@functools.cache
def _planted_frame() -> re.Pattern[str] | None:
    """The pattern of the planted-bomb and crash frame (looked up once, not per article)."""
    return next((f.regex for f in lang.load("en").non_strike_frames if f.name == _PLANTED_FRAME), None)
_PLAIN_AFTER = re.compile(r"^(?:after|following)\s", re.I)
_CONSEQUENCE = lang.load("en").consequence  # streams/data/lang/en.json "consequence_words"
_STRIKE_NOUN = re.compile(r"(?<![\w-])(?:strikes?|airstrikes?|shelling|bombing|bombardment|barrage)(?![\w-])", re.I)
_ATTACK_WORD = lang.load("en").attack_word  # streams/data/lang/en.json "attack_words"
_MUTUAL_BLAME = lang.load("en").mutual_blame  # streams/data/lang/en.json "mutual_blame"
_REVIEW_MARKER = lang.load("en").review_marker  # streams/data/lang/en.json "review_markers"


# "Russian strikes hit southern Ukraine", "new strikes on Ukraine": plural strikes as an event of the day,
# not the war itself ("Putin's attack on Ukraine")
_EVENT_WORDS = re.compile(
    r"\b(?:new|fresh|latest|overnight|wave of|waves of|massive|barrage of|large|huge|major|heavy|biggest|largest|"
    r"complex|combined)\s+(?:[\w-]+\s+){0,2}?(?:strikes?|attacks?|airstrikes?|air raids?|missiles|drones|bombardment|"
    r"barrage)\b|\b(?:strikes|missiles|drones|rockets|airstrikes)\s+(?:hit|hits|pound|pounds|"
    r"rain|rains|slam|slams|strike|target|targets|batter|batters)\b",
    re.I,
)
# a placeless headline telling strikes by what they did that day is the day's event ("Russian strikes cause
# blackouts", "Russia strikes multiple Ukrainian cities")
_EVENT_DEEDS = re.compile(
    r"\b(?:strikes|attacks|shelling|missiles|drones|airstrikes|barrage)\s+(?:cause|causes|caused|trigger|triggers|"
    r"triggered|knock out|knocks out|knocked out|cut|cuts|leave|leaves|left)\s+(?:[\w-]+\s+){0,2}?(?:blackouts?|"
    r"power cuts?|outages?|power|electricity|fires?|damage)\b"
    # "Russia strikes multiple Ukrainian cities": one wave on many places
    r"|\b(?:strikes|struck|hits|hit|targets|targeted|pounds|pounded|attacked)\s+(?:multiple|several|many|"
    r"numerous|dozens of|a string of|a number of)\s+(?:[\w-]+\s+)?(?:cities|towns|regions)\b",
    re.I,
)


def _event_headline(st: _Strike) -> bool:
    """Whether a factless country strike is told in a headline as the day's event."""
    return st.in_title and any(_EVENT_WORDS.search(c) or _EVENT_DEEDS.search(c) for c in st.own_clauses)


# "in occupied Ukraine", "in a Russian-controlled area of eastern Ukraine", "in Ukraine": where the strike was
_IN_UKRAINE = re.compile(
    r"\bin\s+(?:an?\s+|the\s+)?(?:(?:Russian-|Moscow-)?(?:occupied|controlled|held|annexed)\s+)?"
    r"(?:(?:area|part|region|territory)\s+of\s+)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+)?"
    r"Ukraine(?![\w'’])"
    r"|\bin\s+(?:the\s+)?(?:Russian-)?(?:occupied|annexed)\s+(?:territor(?:y|ies)|areas?|parts?|regions?|south|east)\b",
    re.I,
)


_STRUCK_BEFORE = re.compile(r"(?:\b(?:strikes?|attacks?|airstrikes?|shelling|bombing)\s+(?:on|of|against|at)\b"
                            r"|\b(?:hit|hits|struck|targeted|targeting|shelled|bombed)\b)[^.;:]{0,60}$", re.I)


def _target_struck(clause: str, targets_vocab: vocab.Vocabulary) -> bool:
    """Whether a target is named as what a strike word hit ("after a strike on a shopping centre"), not only
    beside one ("people sheltering from attacks in a metro station", "destroyed schools")."""
    return any(_STRUCK_BEFORE.search(clause[:start]) for start, _end, _rule in targets_vocab.find(clause))


def _country_hit(text: str, clause: str = "") -> str:
    """The country a placeless strike hit: the one its clause places it in ("killed two in occupied Ukraine"),
    else from the side named as attacking: Russia attacks Ukraine unless only a Ukrainian attacker is named."""
    if _IN_UKRAINE.search(clause):
        return "UA"
    return "RU" if _sides(text, "") == {"UA"} else "UA"


def _toll_side(text: str, current: _Strike, strikes: list[_Strike]) -> _Strike:
    """A placeless toll told by one side's local authorities belongs to that side's latest strike."""
    if not cas.figures(text):
        return current
    for cc, rx in _SIDE_SOURCE:
        if cc != current.place.country and rx.search(text):
            other = [st for st in strikes if st.place.country == cc and st.place.level != "country"]
            return other[-1] if other else current
    return current


# the city of Sevastopol is its own region on the Crimean peninsula
_REGION_HOLDS = {"Crimea": frozenset({"Crimea", "Sevastopol City"})}


# a photo credit: "(Valentyn Ogirenko/Reuters)", "(AP Photo/Efrem Lukatsky)", "PIC/AP"
_CREDIT = re.compile(r"\((?:[^()/]{2,60})/(?:[^()/]{2,60})\)\.?\s*$|\bPIC/[A-Z]{2,}\b")


def _file_photo(cue: dt.DateCue, ref: date | None) -> bool:
    """Whether a caption's date is a file photo's: told in full and more than a day before publication."""
    return (cue.basis == "explicit" and cue.value is not None and ref is not None
            and (ref - cue.value).days > 1)


def _fold_headline_region(strikes: list[_Strike], window_end: int, lead_places: list[gz.Place]) -> list[_Strike]:
    """Headline and lead are one story: a headline's strike on a region ("Ukraine strikes Crimea") whose lead
    names the strike on one settlement in that region ("explosions rocked Sevastopol") is that settlement's
    strike, told less precisely. So is a region strike whose lead names one settlement of that region and no
    strike elsewhere in it ("a huge blaze broke out in Sevastopol"): the lead says where in the region."""
    out = list(strikes)
    for region in strikes:
        if region.place.level != "admin1" or not region.title_main:
            continue
        holds = _REGION_HOLDS.get(region.place.admin1 or "", frozenset({region.place.admin1}))
        inner = {st.place.key: st for st in out if st.place.level == "settlement" and st.place.admin1 in holds
                 and st.place.country == region.place.country and st.first_unit < window_end and not st.prior_only}
        if not inner and not any(st.place.level == "settlement" and st.place.admin1 in holds for st in out):
            named = {p.key: p for p in lead_places if p.admin1 in holds and p.country == region.place.country}
            if len(named) == 1:
                region.place = next(iter(named.values()))
            continue
        if len(inner) != 1:
            continue
        city = next(iter(inner.values()))
        rcue, ccue = region.date_cue, city.date_cue
        if rcue is not None and ccue is not None and rcue.value != ccue.value:
            continue  # the headline dates another day: another strike
        city.in_title = True
        city.title_main = True
        city.order = min(city.order, region.order)
        city.first_unit = min(city.first_unit, region.first_unit)
        city.date_cue = ccue or rcue
        city.tod = city.tod or region.tod
        city.weapons += region.weapons
        city.targets += [t for t in region.targets if t not in city.targets]
        if region.killed and cas.better(city.killed, region.killed, region.killed_vague, city.killed_vague):
            city.killed, city.killed_vague = region.killed, region.killed_vague
        if region.injured and cas.better(city.injured, region.injured, region.injured_vague, city.injured_vague):
            city.injured, city.injured_vague = region.injured, region.injured_vague
        for key, text in region.field_evidence.items():
            city.field_evidence.setdefault(key, text)
        city.clauses += region.clauses
        city.own_clauses += region.own_clauses
        out.remove(region)
    return out


_TWO_TOWNS = re.compile(r"\b(?P<a>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) and (?:the (?:city|town|village) of )?"
                        r"(?P<b>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)")


def _paired(cl: _Clause, specific: list[gz.Place], finder: _PlaceFinder) -> gz.Place | None:
    """The second of two settlements a strike clause joins with "and" ("shelled Nikopol and Marhanets"), when the
    clause names no other settlement."""
    towns = [p for p in specific if p.level == "settlement"]
    if len(towns) != 2 or len(specific) != 2:
        return None
    for m in _TWO_TOWNS.finditer(cl.text):
        a, b = finder.resolved.get(m.group("a")), finder.resolved.get(m.group("b"))
        if a is not None and b is not None and {a.key, b.key} == {towns[0].key, towns[1].key}:
            return towns[1]
    return None


def _namesake_of_region(place: gz.Place) -> bool:
    """Whether a town is named like its oblast ("Kaluga" of Kaluga Oblast), so that its name may stand for the
    region; a city that is a region of its own ("Sevastopol City", "Kyiv City") is the city."""
    admin1 = place.admin1 or ""
    return bool(place.name) and admin1.startswith(place.name or "") and not admin1.endswith(" City")


def _effect_places(effect: _Clause) -> list[gz.Place]:
    return effect.places[:1] if effect.is_list else [p for p in effect.places if p.level != "country"]


def _effect_before(clauses: list[_Clause], ci: int) -> _Clause | None:
    """The clause before an "after ..." (or "a day after ...") attack clause that tells what the attack left at a
    place ("fire engulfs an oil depot in Crimea", "rescuers search the rubble in Dnipro"), if there is one."""
    cl = clauses[ci]
    effect = clauses[ci - 1] if ci > 0 else None
    if (effect is not None and effect.target is None and not effect.strike and _effect_places(effect)
            and (_PLAIN_AFTER.match(cl.text) or cl.day_after) and _CONSEQUENCE.search(effect.text)):
        return effect
    return None


# the country itself named (not a side's adjective: "Ukrainian drone attack" guesses Russia as the place hit)
_NAMES_COUNTRY = re.compile(r"\b(?:Ukraine|Russia)(?![\w-])", re.I)


def _within_first(places: list[gz.Place]) -> list[gz.Place]:
    """Places of a clause with a region dropped when a settlement inside it is also named ("a fuel depot in
    Crimea's Sevastopol", "Kupiansk in the Kharkiv region"): the settlement is the place hit."""
    regions = [p for p in places if p.level == "admin1"]
    if not regions:
        return places
    inner = {p.admin1 for p in places if p.level == "settlement"}
    return [p for p in places
            if not (p.level == "admin1" and inner & _REGION_HOLDS.get(p.admin1 or "", frozenset({p.admin1})))]


_NUMW = r"(?:\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty(?:-[a-z]+)?)"
_CAPNAME = r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?"
# "killed two people in Kherson and one in Nikopol", "three in Kherson, two in Nikopol and one in Beryslav"
_PAIR = r"(?:" + _NUMW + r")\s+(?:[a-z]+\s+){0,2}?in\s+(?:" + _CAPNAME + r")"
_PAIRED = re.compile(
    r"\b(?P<verb>killed|killing|kills|injured|injuring|wounded|wounding)\s+(?P<pairs>" + _PAIR
    + r"(?:\s*,\s+(?!and\b)" + _PAIR + r")*\s*,?\s+and\s+(?:another\s+)?" + _PAIR + r")"
)
_ONE_PAIR = re.compile(r"(?P<n>" + _NUMW + r")\s+(?:[a-z]+\s+){0,2}?in\s+(?P<p>" + _CAPNAME + r")")
# "strikes on Kherson, Nikopol and Beryslav killed three, two and one people (respectively)"
_RESPECTIVELY = re.compile(
    r"(?P<places>" + _CAPNAME + r"(?:,\s+" + _CAPNAME + r")*,?\s+and\s+" + _CAPNAME + r")\s+(?:[a-z]+\s+){0,3}?"
    r"(?P<verb>killed|killing|kills|left|injured|injuring|wounded|wounding)\s+(?P<nums>" + _NUMW + r"(?:,\s+" + _NUMW
    + r")*,?\s+and\s+" + _NUMW + r")\b"
)


def _distributed(clause: str, settlements: list[gz.Place]) -> list[tuple[gz.Place, str, Casualty]] | None:
    """Figures a clause deals out to several places one by one, with the place each goes to; None when the
    clause does not (then its figures belong to its one strike)."""
    if len(settlements) < 2:
        return None
    m = _PAIRED.search(clause)
    if m is not None:
        pairs = list(_ONE_PAIR.finditer(m.group("pairs")))
        names, numbers = [p.group("p") for p in pairs], [p.group("n") for p in pairs]
    else:
        m = _RESPECTIVELY.search(clause)
        if m is None:
            return None
        names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("places")) if n.strip()]
        numbers = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("nums")) if n.strip()]
    if len(names) != len(numbers):
        return None
    kind = "killed" if m.group("verb").lower().startswith(("kill", "left")) else "injured"
    out = []
    gaz = gz.get()
    for name, number in zip(names, numbers, strict=True):
        keys = {c.key for c in gaz.settlement_candidates(name)}
        place = next((p for p in settlements if p.key in keys), None)
        value = cas.parse_number(number)
        if place is None or value is None:
            return None
        out.append((place, kind, Casualty(value, "exact")))
    return out


def _focus(clauses: list[_Clause], ci: int, current: _Strike | None) -> _Strike | None:
    """The strike clause ``ci`` continues: the last one its part of the sentence told, or in a sentence's first part
    the story's current strike (after a semicolon a live blog's next item begins)."""
    segment = clauses[ci].segment
    for prev in reversed(clauses[:ci]):
        if prev.target is not None and prev.segment == segment:
            return prev.target
    return current if segment == 0 else None


def _last_target(clauses: list[_Clause], ci: int) -> _Strike | None:
    for prev in reversed(clauses[:ci]):
        if prev.target is not None:
            return prev.target
    return None


def _capital_named(clause: str) -> gz.Place | None:
    """The capital a placeless clause names by its country ("an attack on Ukraine's capital" is Kyiv)."""
    m = _COUNTRY_CAPITAL.search(clause)
    if m is None:
        return None
    cc = "UA" if m.group("ua") else "RU"
    return next((p for p in gz.get().settlement_candidates(_CAPITALS[cc]) if p.country == cc), None)


def _voice(clauses: list[_Clause], ci: int, pending: list[tuple[_Clause, str | None]]) -> gz.Place | None:
    """The one jurisdiction the officials of a clause's part of its sentence (up to a semicolon) speak for, in the
    country a waiting framing names."""
    segment = clauses[ci].segment
    voices = {v.key: v for c in clauses if c.segment == segment for v in c.voices}
    if len(voices) != 1:
        return None
    voice = next(iter(voices.values()))
    framed = {cc for _, cc in pending if cc is not None}
    return voice if not framed or framed == {voice.country} else None


def _lookahead(clauses: list[_Clause], ci: int) -> gz.Place | None:
    """The place of a later, non-'after' clause of the same sentence (sentence-level focus), before a semicolon
    ("Missiles downed; Putin speaks in Moscow" are two items)."""
    for later in clauses[ci + 1:]:
        if later.segment != clauses[ci].segment:
            break
        if later.prior or later.day_after or later.is_list:
            continue
        specific = [p for p in later.places if p.level != "country"]
        if specific:
            return specific[0]
    return None


def _has_facts(text: str, weapons_vocab: vocab.Vocabulary, targets_vocab: vocab.Vocabulary,
               figures: bool = True) -> bool:
    return bool(targets_vocab.find(text) or (figures and cas.figures(text)) or
                any(not r.generic for _, _, r in weapons_vocab.find(text)))


def _evidence(clause: str, place: gz.Place) -> str:
    text = " ".join(clause.split())
    return text if len(text) <= 200 else text[:200].rsplit(" ", 1)[0]


def _absorb(
    st: _Strike, cl: _Clause, ref: date | None, yhint: date | None, wref: date | None,
    weapons_vocab: vocab.Vocabulary, targets_vocab: vocab.Vocabulary, figures: bool = True, own: bool = True,
) -> None:
    """Adds what clause ``cl`` tells to ``st``; ``own`` is False for a waiting placeless clause handed to the
    first strike of its country (its day gives way to one the strike's own clauses tell)."""
    text = cl.text
    st.clauses.append(text)
    if not cl.prior and not cl.day_after:
        st.own_clauses.append(text)
        st.prior_only = False
        if cl.is_title:
            st.title_main = True
    cue = dt.find(text, ref, yhint, wref)
    if cue is not None and cl.caption and _file_photo(cue, ref):
        cue = None
    if cue is not None and _TOLL_DATE.search(text[: cue.start]):
        cue = None  # "the toll rose to 30 on Sunday" dates the toll, not the strike
    if cue is not None and (st.date_cue is None or (st.date_cue.basis == "relative" and cue.basis == "explicit"
                                                    and st.date_cue.value is None)
                            # "hit over the weekend ... hit on Saturday": a time of no one day gives way to a day
                            or (st.date_cue.basis == "unknown" and cue.value is not None and not cue.statement
                                and not cue.offset_days)
                            or (st.date_cue.statement and not cue.statement)
                            or (own and st.date_borrowed and cue.value is not None and not cue.offset_days
                                and not cue.statement and not cl.prior and not cl.day_after)):
        # "Russia kept up its onslaught on Saturday with an attack on Dnipro": the day the clause naming the
        # place tells beats one a waiting lead clause ("the shutdown on Wednesday") lent it
        st.date_cue = cue
        st.date_borrowed = not own
        st.field_evidence["date"] = text
    if st.tod is None:
        tod = dt.time_of_day(text)
        if tod is not None:
            st.tod = tod
            st.field_evidence["time_of_day"] = text
    for start, _end, rule in weapons_vocab.find(text):
        st.weapons.append((start, rule))
        st.field_evidence.setdefault("weapons", text)
    for start, _end, rule in targets_vocab.find(text):
        if _NEGATED_BEFORE.search(text[max(0, start - 25):start]):
            continue
        for c in rule.classes:
            if c not in st.targets:
                st.targets.append(c)
        st.field_evidence.setdefault("targets", text)
    for fig in cas.figures(text) if figures else ():
        if fig.kind == "killed":
            if cas.better(st.killed, fig.casualty, fig.vague, st.killed_vague):
                st.killed, st.killed_vague = fig.casualty, fig.vague
                st.field_evidence["killed"] = text
        elif cas.better(st.injured, fig.casualty, fig.vague, st.injured_vague):
            st.injured, st.injured_vague = fig.casualty, fig.vague
            st.field_evidence["injured"] = text


def _weapons(st: _Strike) -> tuple[str, ...]:
    specific: list[str] = []
    generic: list[str] = []
    for _start, rule in st.weapons:
        bucket = generic if rule.generic else specific
        for c in rule.classes:
            if c not in bucket:
                bucket.append(c)
    if specific:
        return tuple(specific)
    if "artillery" in generic:
        return ("artillery",)
    return ("unknown",)


_KINDS = {"missile": ("cruise_missile", "ballistic_missile", "hypersonic_missile"), "drone": ("shahed",)}


def _kind_from_lead(weapons: tuple[str, ...], lead_found: list[tuple[int, int, vocab.Rule]]) -> tuple[str, ...]:
    """Headline and lead are one story: the main strike's "missiles" are the "cruise missiles" the lead names,
    when it names one kind of that family only."""
    out = list(weapons)
    named = {c for _s, _e, rule in lead_found for c in rule.classes}
    for family, kinds in _KINDS.items():
        if family in out and not any(k in out for k in kinds):
            found = [k for k in kinds if k in named]
            if len(found) == 1:
                out.insert(out.index(family), found[0])
    return tuple(out)


def _resolve_date(
    st: _Strike, main: _Strike, ref: date | None, first_body_unit: int, follow_up: bool,
    main_date: date | None = None, small_hours: bool = False,
) -> tuple[date | None, DateBasis]:
    cue = st.date_cue
    if cue is not None and cue.offset_days == 0:
        if small_hours and cue.day_gone_by_small_hours and cue.value is not None:
            return cue.value - timedelta(days=1), cue.basis  # "this evening" in an item of 01:30 Kyiv time
        return cue.value, (cue.basis if cue.value is not None else "unknown")
    anchor_date = main_date if st is not main else None
    if cue is not None and cue.offset_days:
        base = anchor_date or ref
        return (base + timedelta(days=cue.offset_days), "relative") if base else (None, "unknown")
    if st.date_offset_days:
        anchor_cue = st.date_offset_from.date_cue if st.date_offset_from is not None else None
        base = anchor_cue.value if anchor_cue is not None and anchor_cue.offset_days == 0 else ref
        if base is not None:
            return base - timedelta(days=st.date_offset_days), "relative"
    # "Russia vows punishment after strike on Belgorod kills 14": a headline's after-clause that is the article's
    # main strike is today's news like any other
    fresh = not st.prior_only or (st is main and st.in_title) or any(_HOURS_BEFORE.match(c) for c in st.clauses)
    if ref is not None and not follow_up and fresh and (st.in_title or st.first_unit <= first_body_unit):
        return ref, "publication"
    return None, "unknown"


_RU_INSTALLED = re.compile(
    r"\b(?:Russia|Russian|Moscow|Kremlin)[- ](?:installed|appointed|backed)\b|\bpro-Russian (?:officials?|authorities)"
    # the self-proclaimed republics' officials ("separatist officials said") speak for Russia's side
    r"|\bseparatist (?:officials?|authorities|leaders?|administration|media)\b"
    r"|\b(?:DPR|LPR|DNR|LNR)(?:['’]s)? (?:mission|officials?|authorities|militia|people['’]s militia|headquarters|"
    r"leader|head|ombudsman|representative|office)\b",
    re.I,
)


@functools.cache
def _occupied_names() -> tuple[frozenset[str], frozenset[str]]:
    data = json.loads((vocab.DATA_DIR / "occupied.json").read_text(encoding="utf-8"))
    return frozenset(data["admin1"]), frozenset(data["settlements"])


_ENEMY = re.compile(
    r"\benemy['’]?\s+(?:drones?|uavs?|missiles?|rockets?|shelling|strikes?|attacks?|aircraft)\b"
    # "the enemy shelled Bakhmut", headline-ese "Enemy launches missile attack": the enemy as an attack verb's subject
    r"|\b(?:the\s+)?enemy\s+(?:forces\s+|troops\s+|army\s+)?(?:has\s+|have\s+|had\s+|again\s+)?(?:shelled|struck|attacked|hit|"
    r"launched|fired|bombed|targeted|shells|strikes|attacks|hits|launches|fires|bombs|targets)\b", re.I)


def _occupied(place: gz.Place) -> bool:
    admin1, settlements = _occupied_names()
    return place.admin1 in admin1 or (place.level == "settlement" and place.name in settlements)


# "Ukraine claims strike on Russian airfields": Ukraine's own claim of its strike
_UA_CLAIM = re.compile(
    r"\b(?:Ukraine|Kyiv|Kiev|Ukrainian (?:military|officials|forces|army|navy|air force|intelligence|"
    r"security service|commanders?|general staff))\s+(?:\w+\s+){0,2}?(?:claims?|claimed|claiming)\b"
    # "a source in Ukraine's security service said": Ukraine's services speaking of their own strike
    r"|\bsources? (?:in|at|within|from) (?:Ukraine['’]s|the Ukrainian|Ukrainian) (?:security service|SBU|"
    r"military intelligence|defen[cs]e intelligence|intelligence|GUR|HUR|navy|military)"
    r"|\b(?:SBU|GUR|HUR)\b(?:\s+\w+){0,2}\s+(?:said|says|told|claimed|claims)\b"
    # "Ukraine says its forces hit ...", "Ukraine's military intelligence says it struck ...": its own strike, told
    r"|\b(?:Ukraine|Kyiv|Kiev|(?:Ukraine['’]s|Ukrainian) (?:military|army|navy|air force|general staff|"
    r"(?:military |defen[cs]e )?intelligence|security service|special forces|officials))\s+(?:say|says|said)\s+"
    r"(?:that\s+)?(?:it|its|they|their)\b",
    re.I,
)


_OCCUPIERS = re.compile(r"\b(?:the\s+)?(?:Russian\s+)?(?:invaders|occupiers|occupying forces|occupation forces)\b",
                        re.I)


def _ua_attribution(full: str) -> str | None:
    """Whose claim a Ukrainian strike is: Russia's ("Moscow said", "Russian-installed officials said"), Ukraine's own
    ("Kyiv claims"), or none."""
    if _RU_CLAIM.search(full) or _RU_INSTALLED.search(full):
        return "claimed by RU"
    if _UA_CLAIM.search(full):
        return "claimed by UA"
    return None


_FORCES = r"(?:soldiers|troops|forces|servicemen|fighters|mercenaries|positions|units|personnel|conscripts|recruits)"
_HIT_VERBS = (r"(?:kill(?:s|ed|ing)?|hit|hits|hitting|struck|strikes?|striking|target(?:s|ed|ing)?|"
              r"destroy(?:s|ed|ing)?|wound(?:s|ed|ing)?|pound(?:s|ed|ing)?|bombard(?:s|ed|ing)?|shell(?:s|ed|ing)?)")
_HIT_FORCES = tuple(
    (side, re.compile(
        _HIT_VERBS + r" (?:over |more than |at least |about |some |nearly |up to )?(?:\d[\d,]* |dozens of |hundreds "
        r"of |scores of )?(?:the )?" + names + r" (?:[\w-]+ )?" + _FORCES + r"\b"
        # a passive ("Russian troops were shelled"), or headline-style a bare participle with no object after it
        r"|\b" + names + r"\s+(?:[\w-]+\s+)?" + _FORCES + r"\s+(?:(?:(?:were|was|are|is|have been|has been)\s+)"
        r"(?:attacked|bombarded|hit|struck|shelled|targeted|killed|wounded|pounded)\b|"
        r"(?:attacked|bombarded|hit|struck|shelled|targeted|killed|wounded|pounded)(?=\s+(?:by|in|as|during|near|at|"
        r"when|overnight)\b|\s*[,.:;]|\s*$))", re.I))
    for side, names in (("RU", r"(?:Russian|Russia['’]s|Wagner|Chechen)"), ("UA", r"(?:Ukrainian|Ukraine['’]s)"))
)


def _sides(text: str, home: str, patients: bool = False) -> set[str]:
    """The sides the attacker vocabulary names as agents of a strike in ``text``: those named with a strike or
    weapon word, else those whose forces are named (never as the attacker of their own territory ``home``). With
    ``patients`` (a strike's own clauses), forces named as what was hit count for the other side."""
    found = vocab.load("attackers").find(text)
    strong = {c for _s, _e, rule in found if not rule.generic for c in rule.classes}
    if strong:
        # a strike word names the agent; a side's forces beside it ("a Russian ship", "under the control of
        # Russian forces") are where it landed, not who fired
        return strong
    generic = {c for _s, _e, rule in found for c in rule.classes if c != home}
    # "strike kills over 100 Russian soldiers", "Wagner troops bombarded with mortars": a side's forces named as
    # what was hit are the other side's target, not the attacker
    hit = {side for side, rx in _HIT_FORCES if rx.search(text)} if patients else set()
    if hit:
        generic -= hit
        if not generic and len(hit) == 1:
            generic = {"UA" if hit == {"RU"} else "RU"}
    return generic


def _attacker(st: _Strike, full: str) -> tuple[Attacker, str | None]:
    """Who attacked: the side named as the agent in the strike's own clauses, else in the whole text, else
    (for a place in Ukraine) Russia when the text frames the war at all. A side named only through the
    other side's claim ("Moscow said a Ukrainian strike ...") keeps that attribution."""
    cc = st.place.country
    if cc == "UA" and _MUTUAL_BLAME.search(full) and not _RU_ASSERTED.search(full):
        return "unknown", "disputed: each side blames the other"
    if st.prior_only and any(_RETALIATION.match(c) for c in st.clauses):
        # "Russia strikes Ukraine in revenge for the Crimean bridge attack": the avenged attack was the other side's
        avenger = _sides(full, "")
        if avenger == {"RU"}:
            return "UA", _ua_attribution(full)
        if avenger == {"UA"}:
            return "RU", None
    holder = "RU" if cc == "UA" and _occupied(st.place) else cc  # whose forces are there
    own = "\n".join(st.own_clauses)
    if holder == "RU" and cc == "UA":
        # in a town Russia holds, "the Russian occupiers" are the ones there ("a drone strike in Crimea against the
        # Russian invaders"), not who attacked it
        own, full = _OCCUPIERS.sub(" ", own), _OCCUPIERS.sub(" ", full)
    local = _sides(own, holder)
    if not local and st.own_clauses:
        # "Strike kills over 100 Russian soldiers in Soledar": the forces its first clause names as hit
        local = _sides(st.own_clauses[0], holder, patients=True)
    whole = _sides(full, holder) - {cc, holder}  # elsewhere in the text a side's own name is its attacks on the other
    for named in (local, whole):
        if len(named) == 1:
            side = next(iter(named))
            if side == "UA":
                return "UA", _ua_attribution(full)
            return "RU", None
        if len(named) == 2:
            other = "RU" if cc == "UA" else "UA" if cc == "RU" else None
            if other is not None:
                if other == "UA":
                    return "UA", _ua_attribution(full)
                return "RU", None
    if _ENEMY.search(" ".join(st.own_clauses)) or (st.in_title and _ENEMY.search(full.partition("\n")[0])):
        # "an 'enemy' drone shot down over Kursk": each side's officials call the other side the enemy
        if cc not in ("UA", "RU"):
            return "unknown", None
        if cc == "RU" or _occupied(st.place):
            return "UA", _ua_attribution(full)
        return "RU", None
    if cc == "UA" and _occupied(st.place):
        # held by Russia: no side named and a Russian voice telling it is Ukraine's strike as Russia's claim
        if _RU_CLAIM.search(full) or _RU_INSTALLED.search(full):
            return "UA", "claimed by RU"
        if "military" in st.targets:
            # "a depot was hit in occupied Melitopol": the military there is Russia's, so the strike is Ukraine's
            return "UA", _ua_attribution(full)
        return "unknown", None
    if cc == "UA":
        if _RU_ACTOR.search(full):
            return "RU", None
        return "unknown", None
    if cc == "RU":
        if _UA_ACTOR.search(" ".join(st.clauses)) or _UA_ACTOR.search(full):
            return "UA", ("claimed by RU" if _RU_CLAIM.search(full) else None)
        return "unknown", None
    return "unknown", None


# every pattern above behind its literal prefilter (same answers; skipped when a text lacks the words it needs);
# the relevance gates have their own word checks
prefilter.gate_all(globals(), skip=("_GATE_STRIKE", "_GATE_WAR", "_POSSESSIVE"))
