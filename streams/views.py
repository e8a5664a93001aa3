"""What the commands print: an alert as one line a duty officer can act on, and the alert follower."""

from __future__ import annotations

import contextlib
from typing import Any

import orjson

from streams import kafka_io
from streams.core.models import Alert
from streams.settings import Settings


def format_alert(alert: dict[str, Any]) -> str:
    """One line a duty officer can act on."""
    a = Alert.from_dict(alert)
    place = ", ".join(p for p in (a.settlement, a.admin1, a.country) if p) or "unknown place"
    kind = {"new_strike": "NEW STRIKE", "casualties_rose": "TOLL RISE", "details_added": "DETAILS"}.get(
        a.kind, a.kind
    )

    def fig(f: Any, word: str) -> str:
        if f is None:
            return f"{word} ?"
        prefix = {"at_least": ">=", "more_than": ">", "about": "~", "vague": ">=", "exact": ""}[f.qualifier]
        return f"{word} {prefix}{f.value}"

    weapons = "/".join(w for w in a.weapons if w != "unknown") or "unknown weapon"
    parts = [
        f"[{kind}]",
        place,
        str(a.date or "date ?"),
        weapons,
        fig(a.killed, "killed"),
        fig(a.injured, "injured"),
        f"attacker {a.attacker}" + (f" ({a.attribution})" if a.attribution else ""),
        f"{a.source_count} source{'s' if a.source_count != 1 else ''}",
    ]
    line = " | ".join(parts)
    if a.changes:
        line += " | " + "; ".join(a.changes)
    line += f" | {a.event_id} v{a.version}"
    if a.supersedes:
        line += " (replaces " + ", ".join(a.supersedes) + ")"
    return line


async def print_alerts(
    settings: Settings, *, as_json: bool, from_beginning: bool, max_count: int | None, timeout: float | None
) -> int:
    """Print alerts as they arrive (a line each, or their JSON) until ``max_count`` or ``timeout``.

    The readable lines drop a repeated alert id, as a consumer should (a redelivered report re-emits its
    event's current version with the same id); ``as_json`` prints the topic as it is.
    """
    seen = 0
    printed: set[str] = set()
    if max_count is not None and max_count <= 0:
        return seen
    alerts = kafka_io.follow(settings, "alerts", from_beginning=from_beginning, timeout=timeout)
    async with contextlib.aclosing(alerts):
        async for message in alerts:
            value = message.value or b""
            if as_json:
                print(value.decode("utf-8", errors="replace"), flush=True)
            else:
                try:
                    alert = orjson.loads(value)
                    alert_id = str(alert.get("alert_id", "")) if isinstance(alert, dict) else ""
                    if alert_id and alert_id in printed:
                        continue
                    printed.add(alert_id)
                    print(format_alert(alert), flush=True)
                except Exception as exc:  # a foreign message on the topic: show, don't die
                    print(f"[unreadable alert at offset {message.offset}: {exc!r}]", flush=True)
            seen += 1
            if max_count is not None and seen >= max_count:
                break
    return seen
