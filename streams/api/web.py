"""The HTTP side of `strikewatch serve` (aiohttp, which faust already runs on): the API, the page,
/openapi.json, /metrics and /ready.

Handlers read the database on a pool of reader threads (WAL: readers never wait for the writer).
Errors are JSON: 400 names the parameter that was wrong, 404 says what was not found.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import orjson
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.api.ingest import AlertHub, IngestState
from streams.api.metrics import ApiMetrics
from streams.api.query import BadRequest, EventQuery, parse_query
from streams.api.store import Store

log = logging.getLogger("strikewatch.api")

T = TypeVar("T")

API_DIR = Path(str(resources.files("streams.api")))
STATIC_DIR = API_DIR / "static"
OPENAPI_PATH = API_DIR / "openapi.json"
MAX_EVENT_ID = 200
KEEPALIVE_SECONDS = 15.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(data: Any, status: int = 200, content_type: str = "application/json") -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type=content_type)


def error(status: int, code: str, message: str, **extra: str) -> web.Response:
    return json_response({"error": code, "message": message, **extra}, status=status)


class Api:
    """The handlers, with what they read: the store (through the reader pool), the ingest state, the hub."""

    def __init__(
        self, store: Store, state: IngestState, hub: AlertHub, metrics: ApiMetrics, readers: ThreadPoolExecutor
    ) -> None:
        self.store = store
        self.state = state
        self.hub = hub
        self.metrics = metrics
        self.readers = readers
        self.openapi = OPENAPI_PATH.read_bytes()
        metrics.events_stored.set_function(lambda: float(self.store.count_events()))
        metrics.sse_clients.set_function(lambda: float(self.hub.clients))

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.readers, fn, *args)

    def query(self, request: web.Request, *, located_only: bool = False) -> EventQuery:
        return parse_query(list(request.query.items()), located_only=located_only)

    # ------------------------------------------------------------------ the API

    async def events(self, request: web.Request) -> web.Response:
        page = await self.read(self.store.list_events, self.query(request))
        return json_response({"events": page.events, "next_cursor": page.next_cursor})

    async def events_geojson(self, request: web.Request) -> web.Response:
        page = await self.read(self.store.list_events, self.query(request, located_only=True))
        collection = {
            "type": "FeatureCollection",
            "features": [feature(event) for event in page.events],
            "next_cursor": page.next_cursor,
        }
        return json_response(collection, content_type="application/geo+json")

    async def event(self, request: web.Request) -> web.Response:
        event_id = request.match_info["event_id"]
        if len(event_id) > MAX_EVENT_ID:
            raise BadRequest("event_id", f"event_id is longer than {MAX_EVENT_ID} characters")
        found = await self.read(self.store.get_event, event_id)
        if found is None:
            return error(404, "not_found", f"no event {event_id!r}")
        return json_response(found)

    async def alerts_stream(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: one ``alert`` event per alert as it arrives, its id the alert id. A client
        that reconnects with Last-Event-ID first gets the alerts stored after that one."""
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        )
        await response.prepare(request)
        sub = self.hub.subscribe()
        try:
            await response.write(b"retry: 3000\n: alerts of StrikeWatch\n\n")
            sent: set[str] = set()
            last = request.headers.get("Last-Event-ID", "").strip()
            if last:
                missed = await self.read(self.store.alerts_after, last)
                for missed_alert in missed or []:
                    sent.add(missed_alert["alert_id"])
                    await response.write(sse_frame(missed_alert))
            while True:
                try:
                    async with asyncio.timeout(KEEPALIVE_SECONDS):
                        alert = await sub.queue.get()
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if alert is None:
                    break
                if alert["alert_id"] in sent:
                    continue
                await response.write(sse_frame(alert))
                if sub.overflowed and sub.queue.empty():
                    break  # fell behind: it reconnects with Last-Event-ID
        except (ConnectionResetError, ConnectionError):
            pass
        finally:
            self.hub.unsubscribe(sub)
        return response

    # ------------------------------------------------------------------ the rest

    async def openapi_json(self, request: web.Request) -> web.Response:
        return web.Response(body=self.openapi, content_type="application/json")

    async def metrics_page(self, request: web.Request) -> web.Response:
        body = await self.read(generate_latest, self.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def ready(self, request: web.Request) -> web.Response:
        body = {"ready": self.state.ready, "caught_up": self.state.caught_up, "lag": self.state.lag}
        return json_response(body, status=200 if self.state.ready else 503)

    async def index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


def feature(event: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON point with what a map draws and says: place, date, attacker, weapons and the toll."""
    killed, injured = event.get("killed") or {}, event.get("injured") or {}
    return {
        "type": "Feature",
        "id": event["event_id"],
        "geometry": {"type": "Point", "coordinates": [event["lon"], event["lat"]]},
        "properties": {
            "event_id": event["event_id"],
            "version": event["version"],
            "date": event.get("date"),
            "time_of_day": event.get("time_of_day"),
            "country": event.get("country"),
            "admin1": event.get("admin1"),
            "settlement": event.get("settlement"),
            "precision": event.get("precision"),
            "attacker": event.get("attacker"),
            "weapons": event.get("weapons", []),
            "targets": event.get("targets", []),
            "killed": killed.get("value"),
            "killed_qualifier": killed.get("qualifier"),
            "injured": injured.get("value"),
            "injured_qualifier": injured.get("qualifier"),
            "source_count": event.get("source_count"),
            "last_updated": event.get("last_updated"),
        },
    }


def sse_frame(alert: dict[str, Any]) -> bytes:
    return b"id: " + alert["alert_id"].encode("utf-8") + b"\nevent: alert\ndata: " + orjson.dumps(alert) + b"\n\n"


def _route_of(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


def build_web_app(api: Api) -> web.Application:
    metrics = api.metrics

    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        route = _route_of(request)
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except BadRequest as exc:
            status = 400
            return json_response(exc.as_json(), status=400)
        except web.HTTPException as exc:
            status = exc.status
            if exc.status == 404:
                return error(404, "not_found", f"no such path: {request.path}")
            if exc.status == 405:
                return error(405, "method_not_allowed", f"{request.method} is not allowed on {request.path}")
            raise
        except Exception:
            log.exception("%s %s failed", request.method, request.path_qs)
            return error(500, "internal", "the service failed to answer; see its log")
        finally:
            metrics.requests.labels(route=route, method=request.method, status=str(status)).inc()
            metrics.request_seconds.labels(route=route).observe(time.perf_counter() - started)

    app = web.Application(middlewares=[observe])
    app.router.add_get("/", api.index)
    app.router.add_get("/api/events", api.events)
    app.router.add_get("/api/events.geojson", api.events_geojson)
    app.router.add_get("/api/events/{event_id}", api.event)
    app.router.add_get("/api/alerts/stream", api.alerts_stream)
    app.router.add_get("/openapi.json", api.openapi_json)
    app.router.add_get("/metrics", api.metrics_page)
    app.router.add_get("/ready", api.ready)
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
    return app
