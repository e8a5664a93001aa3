"""Strike events and alerts in the shape of schemas/ (built on its examples, checked against the schemas)."""

from __future__ import annotations

import copy
import json
from typing import Any

from streams.contracts import SCHEMA_DIR, schema_errors

_EVENT = json.loads((SCHEMA_DIR / "examples" / "strike-event.json").read_text())
_ALERT = json.loads((SCHEMA_DIR / "examples" / "alert.json").read_text())


def make_event(event_id: str, version: int = 1, *, killed: int | None = 2, **fields: Any) -> dict[str, Any]:
    """A valid strike event; ``fields`` replace the example's (Kharkiv, 2023-12-31, RU, drones)."""
    event = copy.deepcopy(_EVENT)
    event.update(event_id=event_id, version=version, last_updated=f"2023-12-31T14:{version:02d}:00+00:00")
    event["killed"] = None if killed is None else {"value": killed, "qualifier": "exact", "article_id": "a-1"}
    event.update(fields)
    errors = schema_errors("strike-event", event)
    assert not errors, errors
    return event


def make_alert(event: dict[str, Any], kind: str = "new_strike", changes: list[str] | None = None) -> dict[str, Any]:
    """The alert the worker would send for ``event``'s current version."""
    alert = copy.deepcopy(_ALERT)
    for key in ("event_id", "version", "country", "settlement", "admin1", "lat", "lon", "date", "attacker",
                "attribution", "weapons", "targets", "killed", "injured", "source_count"):
        alert[key] = event[key]
    alert.update(
        alert_id=f"{event['event_id']}:v{event['version']}",
        kind=kind,
        created_at=event["last_updated"],
        sources=[s["url"] for s in event["sources"] if s["url"]],
        changes=changes or [],
    )
    errors = schema_errors("alert", alert)
    assert not errors, errors
    return alert
