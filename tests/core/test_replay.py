"""Offline replay: a fake extractor, the real dedup."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from streams.core.dedup import DedupConfig
from streams.core.models import Article, Casualty, StrikeReport
from streams.core.replay import replay

T0 = datetime(2023, 12, 30, 15, 0, tzinfo=UTC)


def article(aid: str, hours: float, text: str) -> Article:
    return Article(
        id=aid, url=f"https://example.org/{aid}", title=text, text=text, published_at=T0 + timedelta(hours=hours)
    )


def fake_extract(a: Article, reference_time: datetime) -> list[StrikeReport]:
    """Reads 'city:killed' pairs from the title; city 'Ukraine' is a country-level report."""
    out = []
    for index, part in enumerate((a.title or "").split()):
        city, _, killed = part.partition(":")
        country_level = city == "Ukraine"
        out.append(
            StrikeReport(
                article_id=a.id,
                index=index,
                country="UA",
                settlement=None if country_level else city,
                admin1=None if country_level else f"{city} Oblast",
                date=(a.published_at or reference_time).date(),
                date_basis="publication",
                attacker="RU",
                killed=Casualty(int(killed), "at_least") if killed else None,
                url=a.url,
                published_at=a.published_at,
            )
        )
    return out


def test_replay_groups_by_block_and_assigns_every_report() -> None:
    items = [
        (article("a1", 0, "Ukraine:20 Kyiv:10"), T0),
        (article("a2", 1, "Kyiv:12"), T0),
        (article("a3", 2, "Ukraine:31 Dnipro:2"), T0),
    ]
    result = replay(items, fake_extract)
    assert result.articles == 3 and result.reports == 5
    ids = {(r.article_id, r.index): e for r, e in result.assignments}
    assert ids[("a1", 1)] == ids[("a2", 0)]  # Kyiv
    assert ids[("a1", 0)] == ids[("a3", 0)]  # the barrage
    assert ids[("a1", 0)] != ids[("a1", 1)]  # the barrage does not swallow Kyiv
    assert len(result.events) == 3
    kinds = [a.kind for a in result.alerts]
    assert kinds.count("new_strike") == 3 and kinds.count("casualties_rose") == 2
    assert result.events[ids[("a1", 1)]].killed is not None
    assert result.events[ids[("a1", 1)]].killed.value == 12
    assert result.event_of("a3", 1) == ids[("a3", 1)]


def test_replay_is_deterministic_and_redelivery_is_a_no_op() -> None:
    items = [(article("a1", 0, "Kyiv:10"), T0), (article("a2", 1, "Kyiv:12"), T0)]
    first = replay(items, fake_extract)
    again = replay([*items, items[0], items[1]], fake_extract)
    assert [e for _, e in first.assignments] == [e for _, e in again.assignments][:2]
    assert again.alerts == first.alerts and again.versions == first.versions


def test_now_is_the_publication_time_else_the_reference_time() -> None:
    undated = Article(id="u", url="https://example.org/u", title="Kyiv:3")
    result = replay([(undated, T0 + timedelta(days=3))], fake_extract)
    (event,) = result.events.values()
    assert event.first_seen == T0 + timedelta(days=3)
    assert event.date == date(2024, 1, 2)


def test_replay_closes_idle_events_before_stepping_their_block() -> None:
    items = [(article("a1", 0, "Kyiv:10"), T0), (article("a2", 24 * 10, "Kyiv:12"), T0)]
    result = replay(items, fake_extract, DedupConfig(close_after=timedelta(days=7)))
    first_id = result.assignments[0][1]
    assert result.closed == [first_id]
    assert result.assignments[1][1] != first_id
