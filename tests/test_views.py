"""The readable alert view drops repeated alert ids, as the alert contract asks consumers to."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from streams import views
from streams.settings import Settings

EXAMPLE = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "examples" / "alert.json").read_text())


async def test_a_redelivered_alert_is_printed_once(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    second = {**EXAMPLE, "alert_id": EXAMPLE["event_id"] + ":v9", "version": 9}
    stream = [EXAMPLE, EXAMPLE, second]

    async def follow(*_args: Any, **_kwargs: Any) -> AsyncIterator[Any]:
        for offset, value in enumerate(stream):
            yield SimpleNamespace(value=json.dumps(value).encode(), offset=offset)

    monkeypatch.setattr(views.kafka_io, "follow", follow)
    seen = await views.print_alerts(Settings.from_env(), as_json=False, from_beginning=True, max_count=None,
                                    timeout=None)
    lines = capsys.readouterr().out.strip().splitlines()
    assert seen == 2 and len(lines) == 2
    assert lines[0].endswith(f"v{EXAMPLE['version']}") and lines[1].endswith("v9")


def test_an_alert_line_says_which_event_ids_it_replaces() -> None:
    assert "replaces" not in views.format_alert(EXAMPLE)
    renamed = {**EXAMPLE, "supersedes": ["ev_0000000000000001"]}
    assert views.format_alert(renamed).endswith(f"v{EXAMPLE['version']} (replaces ev_0000000000000001)")
