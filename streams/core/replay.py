"""Offline replay: articles in publication order through extraction and the same dedup as the agents.

No Kafka: the blocks live in a dict, exactly as the agents keep them in a table keyed by
:func:`streams.core.dedup.block_key`. Before a report is applied to its block, events of that block idle
past ``close_after`` plus ``expiry_grace`` are closed (the agents' expiry timer does the same, only on a
schedule), so the result equals the streaming result for any timer period shorter than the gaps between
articles.

Summaries: as the dedup agent does, every change of a located event sends its
:class:`~streams.core.dedup.Summary` to its country block (``"UA/*"``), which absorbs it
(:func:`route`); here it arrives right after the report that caused it, on the agents a little later,
which changes no final link (links are re-evaluated whenever a summary or a country-level event changes).
A report of a country-level event linked to a located event is assigned that located event's id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from streams.core.dedup import (
    DEFAULT,
    BlockState,
    DedupConfig,
    absorb,
    block_key,
    expire,
    merged_event,
    step,
    summaries,
)
from streams.core.models import Alert, Article, StrikeEvent, StrikeReport

ExtractFn = Callable[[Article, datetime], list[StrikeReport]]
#: What one report did: (block, state before, state after, outputs, ids of events closed by expiry) for
#: its own block and then for each country block a summary of its versions reached.
Change = tuple[str, BlockState | None, BlockState, list[StrikeEvent | Alert], list[str]]

__all__ = ["Change", "ExtractFn", "ReplayResult", "replay", "route"]


@dataclass(slots=True)
class ReplayResult:
    """What a replay produced.

    ``assignments``: every extracted report with the id of the event it ended in, in processing order
    (a re-clustering that moves a report to another event, or renames its event, updates it).
    ``events``: the last version of every event (open or closed), by id, without the ids a later event
    superseded. ``versions``: every emitted
    event version in order. ``alerts``: every alert in order. ``closed``: ids of events closed by expiry.
    ``states``: the open blocks at the end. ``redelivered``: reports already merged when they came
    again (the same article twice); what they re-emitted (the current version, same ids) is not listed,
    as a consumer drops it by id.
    """

    assignments: list[tuple[StrikeReport, str]] = field(default_factory=list)
    events: dict[str, StrikeEvent] = field(default_factory=dict)
    versions: list[StrikeEvent] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    states: dict[str, BlockState] = field(default_factory=dict)
    articles: int = 0
    reports: int = 0
    redelivered: int = 0

    def event_of(self, article_id: str, index: int) -> str | None:
        for report, event_id in self.assignments:
            if report.article_id == article_id and report.index == index:
                return event_id
        return None


def _track(result: ReplayResult, before: BlockState | None, after: BlockState, where: dict[tuple[str, int], int]
           ) -> None:
    """Record the events of ``after`` that are new or changed since ``before`` (the core keeps an
    unchanged event as the same object), and the event each of their members is now in."""
    unchanged = {id(oe) for oe in before.events} if before is not None else set()
    for oe in after.events:
        if id(oe) in unchanged:
            continue
        event = oe.event
        if event.merged_into is None:
            result.events[event.event_id] = event
        else:  # an account of a located event: consumers drop it
            result.events.pop(event.event_id, None)
        for gone in event.supersedes:
            if all(other.event.event_id != gone for other in after.events):
                result.events.pop(gone, None)
        for m in oe.members:
            pos = where.get((m.report.article_id, m.report.index))
            if pos is not None:
                report, _ = result.assignments[pos]
                result.assignments[pos] = (report, event.merged_into or event.event_id)


def route(
    states: dict[str, BlockState], report: StrikeReport, now: datetime, config: DedupConfig = DEFAULT
) -> list[Change]:
    """Apply ``report`` to its block in ``states`` and deliver the summaries of the versions it emitted to
    their country block, each block expired first as the agents' timer would: what changed, in order."""
    key = block_key(report)
    state, closed = _expired(states, key, now, config)
    after, outputs = step(state, report, now, config)
    states[key] = after
    changes: list[Change] = [(key, state, after, outputs, closed)]
    for summary in summaries(state, after, outputs, config):
        country = summary.country_block
        held, closed = _expired(states, country, now, config)
        absorbed, out = absorb(held, summary, now, config)
        states[country] = absorbed
        changes.append((country, held, absorbed, out, closed))
    return changes


def _expired(states: dict[str, BlockState], key: str, now: datetime, config: DedupConfig
             ) -> tuple[BlockState | None, list[str]]:
    """The block ``key`` with its idle events closed (and dropped from ``states`` when nothing is left)."""
    state = states.get(key)
    if state is None:
        return None, []
    state, closed = expire(state, now, config)
    if state is None:
        del states[key]
    else:
        states[key] = state
    return state, [e.event_id for e in closed]


def replay(
    items: Iterable[tuple[Article, datetime]],
    extract_fn: ExtractFn,
    config: DedupConfig = DEFAULT,
) -> ReplayResult:
    """Run ``items`` ((article, reference_time) in publication order) through extraction and dedup.

    ``now`` of each step is the article's ``published_at``, or the reference time when it has none.
    """
    result = ReplayResult()
    states = result.states
    where: dict[tuple[str, int], int] = {}  # report key -> its first position in assignments
    for article, reference_time in items:
        result.articles += 1
        now = article.published_at or reference_time
        if now.tzinfo is None:
            raise ValueError(f"naive time for article {article.id}")
        for report in extract_fn(article, reference_time):
            result.reports += 1
            key = block_key(report)
            state, closed = _expired(states, key, now, config)
            result.closed.extend(closed)
            again = merged_event(state, report) is not None
            result.redelivered += again
            where.setdefault((report.article_id, report.index), len(result.assignments))
            result.assignments.append((report, ""))
            for n, (_, before, after, outputs, closed) in enumerate(route(states, report, now, config)):
                result.closed.extend(closed)
                for out in [] if again and n == 0 else outputs:
                    if isinstance(out, StrikeEvent):
                        result.versions.append(out)
                    else:
                        result.alerts.append(out)
                _track(result, before, after, where)
            if not result.assignments[-1][1]:  # a redelivered report: the event it is in
                holder = merged_event(states[key], report)
                assert holder is not None, "a stepped report is in no open event of its block"
                result.assignments[-1] = (report, holder.event.merged_into or holder.event.event_id)
    return result
