"""The faust floor: a minimal faust agent (raw bytes -> orjson decode -> send) with the worker's settings.

    STRIKEWATCH_* env ... python -m bench.faust_floor --src TOPIC --dst TOPIC

The app is built from ``streams.app.faust_settings(Settings.from_env())``, so it runs with exactly the
broker, producer and consumer settings of the worker's profile, and has the same /ready page logic
(200 once started and not rebalancing). No StrikeWatch logic, metrics or sensors.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

import faust
import orjson

from streams.app import faust_settings
from streams.settings import Settings


def build(settings: Settings, src: str, dst: str) -> faust.App:
    app = faust.App(settings.app_id, **faust_settings(settings))
    raw: dict[str, Any] = dict(key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
    src_topic = app.topic(src, **raw)
    dst_topic = app.topic(dst, **raw)
    state = {"ready": False}

    @app.agent(src_topic, concurrency=1, name="floor")
    async def floor(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            document = orjson.loads(event.value)
            await dst_topic.send(key=event.key, value=orjson.dumps(document))

    @app.page("/ready")
    async def ready(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        ok = state["ready"] and not app.rebalancing
        return web.json({"ready": ok}, status=200 if ok else 503)

    def mark() -> None:
        if not app.rebalancing:
            state["ready"] = True

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]
    async def on_rebalance_complete(sender: Any, *args: Any, **kwargs: Any) -> None:
        mark()

    @app.task
    async def on_started() -> None:
        mark()

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", required=True)
    parser.add_argument("--dst", required=True)
    args = parser.parse_args()
    settings = Settings.from_env()
    logging.basicConfig(level="WARNING")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app = build(settings, args.src, args.dst)
    faust.Worker(app, loop=loop, loglevel="warning", quiet=True, redirect_stdouts=False).execute_from_commandline()


if __name__ == "__main__":
    main()
