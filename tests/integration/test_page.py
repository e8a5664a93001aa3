"""The map page in a real headless Chromium against `strikewatch serve` and the embedded broker.

A strike produced to strike-events shows as a marker and a list row; its panel shows the evidence
quote; a new version with a higher toll (and its alert) updates the marker, the row, the panel and the
alert feed live, without a reload. A screenshot of each state is left in the test's tmp directory.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from streams.broker import ensure_topics
from streams.settings import Settings
from tests.api.factory import make_alert, make_event
from tests.integration import conftest as harness
from tests.integration.browser import chromium, chromium_binary
from tests.integration.conftest import ServeFactory, produce_json

pytestmark = pytest.mark.integration

EVENT_ID = "ev_page_kharkiv"


def js(selector: str, expression: str) -> str:
    """``expression`` over the element ``selector`` picks (``el``), or null when there is none."""
    return f"(() => {{ const el = document.querySelector({json.dumps(selector)}); return el && ({expression}); }})()"


async def test_the_page_shows_a_strike_and_updates_live_when_the_toll_rises(
    broker: str, tmp_path: Path, serve_factory: ServeFactory
) -> None:
    chromium_binary()  # skip early, with the reason, when it is not installed
    env = harness.worker_env(broker, tmp_path)
    settings = Settings.from_env(env)
    await ensure_topics(settings)
    v1 = make_event(EVENT_ID, 1, killed=2)
    await produce_json(settings, "events", [v1])
    await produce_json(settings, "alerts", [make_alert(v1)])
    served = await asyncio.to_thread(serve_factory.start, env, tmp_path / "events.sqlite3")

    marker = f'circle.marker[data-event-id="{EVENT_ID}"]'
    row = f'.event-row[data-event-id="{EVENT_ID}"]'
    async with chromium(tmp_path) as page:
        await page.goto(f"{served.web}/")
        await page.wait_for("document.body.dataset.loaded === 'true'", "the page to load")
        assert await page.wait_for(js(marker, "el.dataset.killed"), "the marker") == "2"
        assert await page.evaluate(js(marker, "el.classList.contains('RU')")) is True
        assert await page.evaluate("document.querySelectorAll('#countries path').length") > 10
        text = await page.wait_for(js(row, "el.textContent"), "the list row")
        assert "Kharkiv" in text and "killed 2" in text
        await page.wait_for("document.getElementById('status').textContent === 'live'", "the alert stream")

        await page.evaluate(js(row, "el.click() || true"))
        panel = await page.wait_for(js("#panel:not([hidden]) #panel-body", "el.textContent"), "the event panel")
        assert v1["sources"][0]["evidence"] in panel
        await page.screenshot(tmp_path / "page-v1.png")

        v2 = make_event(EVENT_ID, 2, killed=9)
        await produce_json(settings, "events", [v2])
        await produce_json(settings, "alerts", [make_alert(v2, "casualties_rose", ["killed: exact 2 -> exact 9"])])

        await page.wait_for(js(marker, "el.dataset.killed === '9'"), "the marker to show the new toll")
        await page.wait_for(js(row, "el.textContent.includes('killed 9')"), "the list row to show the new toll")
        await page.wait_for(js("#panel-body", "el.dataset.version === '2'"), "the panel to show version 2")
        assert await page.evaluate("document.querySelectorAll('table.history tbody tr').length") == 2
        feed = await page.wait_for(js("#feed li[data-event-id]", "el.textContent"), "the alert in the feed")
        assert "TOLL RISE" in feed and "killed: exact 2 -> exact 9" in feed
        assert await page.evaluate("document.querySelectorAll('circle.marker').length") == 1
        await page.screenshot(tmp_path / "page-v2.png")

        # A filter the API refuses: the page says which parameter and why.
        await page.goto(f"{served.web}/?min_killed=-1")
        error = await page.wait_for(js("#error:not([hidden])", "el.textContent"), "the error message")
        assert error.startswith("min_killed:")
