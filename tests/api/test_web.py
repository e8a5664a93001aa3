"""The HTTP layer in process, over a real SQLite file filled directly (no Kafka): status codes, JSON
errors, GeoJSON, the alert stream, /metrics and /ready."""

from __future__ import annotations

import asyncio
import shutil
import subprocess

import pytest
from yarl import URL

from streams.api.store import Record
from tests.api.conftest import Served
from tests.api.factory import make_alert, make_event


async def test_the_list_is_newest_first_without_sources(served: Served) -> None:
    response = await served.client.get("/api/events")
    assert response.status == 200
    body = await response.json()
    assert [e["event_id"] for e in body["events"]] == ["ev_kharkiv", "ev_dnipro", "ev_nowhere"]
    assert body["next_cursor"] is None
    assert body["events"][0]["version"] == 2 and "sources" not in body["events"][0]


async def test_filters_and_cursor_over_http(served: Served) -> None:
    body = await (await served.client.get("/api/events", params={"min_killed": "10"})).json()
    assert [e["event_id"] for e in body["events"]] == ["ev_dnipro"]
    first = await (await served.client.get("/api/events", params={"limit": "1"})).json()
    assert first["next_cursor"]
    params = {"limit": "1", "cursor": first["next_cursor"]}
    second = await (await served.client.get("/api/events", params=params)).json()
    assert [e["event_id"] for e in second["events"]] == ["ev_dnipro"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/events?since=2023-13-01", "since"),
        ("/api/events?bbox=1,2,3", "bbox"),
        ("/api/events.geojson?attacker=XX", "attacker"),
        ("/api/events?colour=red", "colour"),
        ("/api/events/" + "x" * 201, "event_id"),
    ],
)
async def test_a_bad_request_is_a_400_naming_the_parameter(served: Served, path: str, parameter: str) -> None:
    response = await served.client.get(path)
    assert response.status == 400
    body = await response.json()
    assert body["error"] == "bad_request" and body["parameter"] == parameter and body["message"]


async def test_an_unknown_event_or_path_is_a_json_404(served: Served) -> None:
    for path in ("/api/events/ev_none", "/api/nothing"):
        response = await served.client.get(path)
        assert response.status == 404
        assert (await response.json())["error"] == "not_found"
    response = await served.client.post("/api/events")
    assert response.status == 405


async def test_the_event_has_sources_quotes_history_and_alerts(served: Served) -> None:
    response = await served.client.get("/api/events/ev_kharkiv")
    assert response.status == 200
    event = await response.json()
    assert event["sources"][0]["evidence"]
    assert [h["version"] for h in event["history"]] == [1, 2]
    assert [(h["killed"]["value"]) for h in event["history"]] == [1, 2]
    assert [a["alert_id"] for a in event["alerts"]] == ["ev_kharkiv:v2"]


async def test_geojson_has_points_with_what_a_map_needs(served: Served) -> None:
    response = await served.client.get("/api/events.geojson")
    assert response.status == 200 and response.content_type == "application/geo+json"
    body = await response.json()
    assert body["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in body["features"]}
    assert set(by_id) == {"ev_kharkiv", "ev_dnipro"}  # the unlocated event is not a point
    dnipro = by_id["ev_dnipro"]
    assert dnipro["geometry"] == {"type": "Point", "coordinates": [35.04, 48.45]}
    assert {"killed", "attacker", "settlement", "date", "weapons", "version"} <= set(dnipro["properties"])
    assert dnipro["properties"]["killed"] == 40


async def test_ready_is_503_until_caught_up(served: Served) -> None:
    assert (await served.client.get("/ready")).status == 503
    served.state.ready = True
    response = await served.client.get("/ready")
    assert response.status == 200 and (await response.json())["ready"] is True


async def test_metrics_count_requests_by_route(served: Served) -> None:
    await served.client.get("/api/events/ev_kharkiv")
    await served.client.get("/api/events/ev_none")
    text = await (await served.client.get("/metrics")).text()
    assert 'strikewatch_api_requests_total{method="GET",route="/api/events/{event_id}",status="200"} 1.0' in text
    assert 'strikewatch_api_requests_total{method="GET",route="/api/events/{event_id}",status="404"} 1.0' in text
    assert "strikewatch_api_events_stored 3.0" in text


async def test_the_page_and_its_files_are_served(served: Served) -> None:
    page = await served.client.get("/")
    assert page.status == 200 and "text/html" in page.content_type
    html = await page.text()
    for asset in ("/static/app.js", "/static/style.css", "/static/vendor/topojson-client.min.js"):
        assert asset in html
        assert (await served.client.get(asset)).status == 200
    assert (await served.client.get("/static/vendor/countries-50m.json")).status == 200
    # nothing outside static/ (the service's own code) is served
    escaped = await served.client.get(URL("/static/..%2fservice.py", encoded=True))
    assert escaped.status in (403, 404)


async def test_the_alert_stream_sends_each_alert_as_an_event(served: Served) -> None:
    response = await served.client.get("/api/alerts/stream")
    assert response.status == 200 and response.content_type == "text/event-stream"
    assert (await response.content.readuntil(b"\n\n")).startswith(b"retry: 3000")
    alert = make_alert(make_event("ev_live", 1))
    for _ in range(50):  # the handler subscribes after sending its first lines
        if served.hub.clients:
            break
        await asyncio.sleep(0.01)
    served.hub.publish(alert)
    frame = await asyncio.wait_for(response.content.readuntil(b"\n\n"), timeout=5)
    assert frame.startswith(b"id: ev_live:v1\nevent: alert\ndata: {")
    response.close()


async def test_the_alert_stream_replays_what_a_reconnecting_client_missed(served: Served) -> None:
    v3 = make_event("ev_kharkiv", 3, killed=5)
    served.store.apply([Record("alert", "t.alerts", 0, 1, make_alert(v3, "casualties_rose"))])
    response = await served.client.get("/api/alerts/stream", headers={"Last-Event-ID": "ev_kharkiv:v2"})
    await response.content.readuntil(b"\n\n")
    frame = await asyncio.wait_for(response.content.readuntil(b"\n\n"), timeout=5)
    assert frame.startswith(b"id: ev_kharkiv:v3\n")
    response.close()


async def test_metrics_pass_promtool_check_metrics(served: Served) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (bash .ci/install-prometheus.sh installs it)")
    await served.client.get("/api/events")
    text = await (await served.client.get("/metrics")).text()
    checked = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and not (checked.stdout + checked.stderr).strip(), checked.stdout + checked.stderr
