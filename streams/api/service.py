"""`strikewatch serve`: the store, the topic reader and the HTTP server, started and stopped together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web
from prometheus_client import CollectorRegistry

from streams.api.ingest import AlertHub, Ingest
from streams.api.metrics import build_api_metrics
from streams.api.store import Store
from streams.api.web import Api, build_web_app
from streams.settings import Settings

log = logging.getLogger("strikewatch.api")

READER_THREADS = 4


async def run_service(
    settings: Settings, *, registry: CollectorRegistry | None = None, stop: asyncio.Event | None = None
) -> int:
    """Serve until ``stop`` is set (or SIGTERM/SIGINT when ``stop`` is None); 0, or 2 if reading failed."""
    registry = registry if registry is not None else CollectorRegistry()
    metrics = build_api_metrics(registry)
    store = Store(settings.db_path)
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="api-db-writer")
    readers = ThreadPoolExecutor(max_workers=READER_THREADS, thread_name_prefix="api-db-reader")
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(writer, store.open)
    hub = AlertHub()
    ingest = Ingest(settings, store, hub, metrics, writer)
    api = Api(store, ingest.state, hub, metrics, readers)
    runner = web.AppRunner(build_web_app(api), access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    if stop is None:
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    reading = asyncio.create_task(ingest.run(), name="ingest")
    stopping = asyncio.create_task(stop.wait(), name="stop")
    code = 0
    try:
        site = web.TCPSite(runner, settings.api_host, settings.api_port)
        await site.start()
        log.info("serving http://%s:%d/ (database %s)", settings.api_host, settings.api_port, settings.db_path)
        await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if reading.done() and not reading.cancelled() and reading.exception() is not None:
            exc = reading.exception()
            log.error("reading the topics failed: %r", exc, exc_info=exc)
            ingest.state.error = repr(exc)
            code = 2
    finally:
        for task in (reading, stopping):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        hub.close()
        await runner.cleanup()
        await loop.run_in_executor(writer, store.close)
        writer.shutdown(wait=True)
        readers.shutdown(wait=True)
        log.info("stopped")
    return code
