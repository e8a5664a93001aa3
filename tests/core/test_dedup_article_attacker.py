"""Facts of one article and of one country: two mentions of one article that name the same town are two
strikes (the article told them apart); the struck country named as its own attacker is a misread or an
accident, not another strike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from streams.core.dedup import BlockState, step
from streams.core.models import StrikeReport

NOON = datetime(2024, 1, 2, 10, 0, tzinfo=UTC)


def mention(article: str, index: int, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA",
        "settlement": "Kharkiv",
        "admin1": "Kharkiv Oblast",
        "date": date(2024, 1, 2),
        "date_basis": "relative",
        "attacker": "RU",
        "weapons": ("missile",),
        "url": f"https://example.org/{article}",
        "outlet": "Example",
        "published_at": NOON,
        "evidence": "Kharkiv",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=index, **base)


def grouping(reports: list[StrikeReport]) -> list[list[str]]:
    state: BlockState | None = None
    for n, r in enumerate(reports):
        state, _ = step(state, r, NOON + timedelta(minutes=n))
    assert state is not None
    return sorted(sorted(f"{m.report.article_id}#{m.report.index}" for m in oe.members) for oe in state.events)


def test_an_article_naming_a_town_twice_tells_two_strikes() -> None:
    # "missiles hit Kharkiv in the evening; overnight, drones hit it again": no time of day was read
    evening, night = mention("roundup", 0), mention("roundup", 1, weapons=())
    assert grouping([evening, night]) == [["roundup#0"], ["roundup#1"]]


def test_other_articles_still_join_either_strike() -> None:
    reports = [mention("roundup", 0), mention("roundup", 1, weapons=()), mention("wire", 0)]
    groups = grouping(reports)
    assert len(groups) == 2
    assert ["roundup#0", "wire#0"] in groups or ["roundup#1", "wire#0"] in groups


def test_a_village_named_beside_the_city_is_left_to_the_evidence() -> None:
    # "a strike on a postal depot in Kharkiv ... the depot in the village of Korotych": one strike
    city = mention("depot", 0, targets=("other_civilian",), lat=49.99, lon=36.23)
    village = mention("depot", 1, settlement="Korotych", targets=("other_civilian",), lat=49.95, lon=36.07)
    assert grouping([city, village]) == [["depot#0", "depot#1"]]


# -- the struck country named as its own attacker -------------------------------------------------------------


def on_russian_soil(article: str, attacker: str, minutes: int) -> StrikeReport:
    return mention(article, 0, country="RU", settlement="Belgorod", admin1="Belgorod Oblast", attacker=attacker,
                   weapons=("aerial_bomb",), published_at=NOON + timedelta(minutes=minutes))


def test_russia_named_as_attacker_of_a_russian_town_is_no_other_strike() -> None:
    # "Russia accidentally bombs its own city" and "Ukraine blamed for the blast in Belgorod", same day
    accident, blamed = on_russian_soil("own-jet", "RU", 0), on_russian_soil("blamed", "UA", 30)
    assert grouping([accident, blamed]) == [["blamed#0", "own-jet#0"]]


def test_opposite_attackers_on_ukrainian_soil_still_part_the_accounts() -> None:
    # occupied places are shelled by both sides: Ukraine named for one account is another strike
    russian = mention("russian-shelling", 0, settlement="Donetsk", admin1="Donetsk Oblast", attacker="RU")
    ukrainian = mention("ukrainian-shelling", 0, settlement="Donetsk", admin1="Donetsk Oblast", attacker="UA",
                        published_at=NOON + timedelta(minutes=30))
    assert len(grouping([russian, ukrainian])) == 2
