"""Evidence as data: named features with weights and reasons, a named decision, and the merge reason
each source of an event carries (checked against the event schema)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from streams.contracts import schema_errors
from streams.core.dedup import FEATURES, BlockState, Match, decide, merge_reason, step
from streams.core.models import Casualty, StrikeEvent, StrikeReport

T0 = datetime(2024, 7, 8, 9, 0, tzinfo=UTC)


def rep(article: str, **kw: Any) -> StrikeReport:
    base: dict[str, Any] = {
        "country": "UA", "settlement": "Kyiv", "admin1": "Kyiv City", "date": date(2024, 7, 8),
        "date_basis": "explicit", "attacker": "RU", "weapons": ("missile",), "url": f"https://example.org/{article}",
        "published_at": T0, "evidence": "strike on Kyiv",
    }
    base.update(kw)
    return StrikeReport(article_id=article, index=0, **base)


def test_every_feature_is_named_weighted_explained_and_coded_once() -> None:
    names = [f.name for f in FEATURES]
    codes = [f.code for f in FEATURES]
    assert len(set(names)) == len(names) and len(set(codes)) == len(codes)
    assert all(len(c) == 2 and c.isalpha() for c in codes)
    assert all(f.why and f.name.isidentifier() for f in FEATURES)
    # conflicts weigh against, agreement for; a time-of-day conflict outweighs a stated date and weapons
    weight = {f.name: f.weight for f in FEATURES}
    assert weight["time_of_day_conflict"] < -(weight["same_date"] + weight["weapons_agree"] + weight["rare_target"])
    assert weight["drones_vs_missiles"] < 0 < weight["near_duplicate_text"]


def test_the_decision_is_a_named_record_with_the_features_that_fired() -> None:
    state, _ = step(None, rep("a", targets=("hospital",), killed=Casualty(2)), T0)
    match = decide(state, rep("b", targets=("hospital",), killed=Casualty(2)), T0 + timedelta(minutes=5))
    assert isinstance(match, Match) and match.rule == "evidence" and match.position == 0
    fired = dict(match.evidence.fired)
    assert fired == {"same_date": 2.0, "rare_target": 2.0, "equal_figure": 1.0, "weapons_agree": 1.5}
    assert match.score == match.evidence.score == 6.5 and match.evidence.specific == 3.0
    assert match.evidence.contrary == 0.0 and not match.evidence.override
    # another strike that day: the conflict is on the record and no event is joined
    night = rep("n", weapons=("shahed",), time_of_day="night")
    assert decide(state, night, T0) is None
    assert decide(None, night, T0) is None


def test_each_merged_source_says_why_and_the_event_validates_against_its_schema() -> None:
    state, _ = step(None, rep("a", targets=("hospital",), time_of_day="morning"), T0)
    state, out = step(state, rep("b", targets=("hospital",), killed=Casualty(3)), T0 + timedelta(minutes=5))
    (event,) = [o for o in out if isinstance(o, StrikeEvent)]
    first, second = event.sources
    assert first.merge_reason is None  # it created the event
    assert second.merge_reason == "same_date, rare_target, weapons_agree"
    document = event.to_dict()
    assert schema_errors("strike-event", document) == []
    assert document["sources"][1]["merge_reason"] == second.merge_reason
    assert StrikeEvent.from_dict(orjson.loads(orjson.dumps(document))) == event
    # the table keeps the reason as codes and gives it back whole
    restored = BlockState.from_dict(orjson.loads(orjson.dumps(state.to_dict())))
    assert restored == state
    assert b"sdrtwa" in orjson.dumps(state.to_dict())


def test_an_undated_excerpt_joining_the_lone_event_of_its_place_says_so() -> None:
    state, _ = step(None, rep("a", killed=Casualty(3, "exact")), T0)
    excerpt = rep("x", date=None, date_basis="unknown", published_at=None, weapons=())
    match = decide(state, excerpt, T0 + timedelta(hours=1))
    assert match is not None and match.rule == "lone_candidate"
    state, _ = step(state, excerpt, T0 + timedelta(hours=1))
    assert state.events[0].event.sources[1].merge_reason == "lone_candidate" == merge_reason("lc")
