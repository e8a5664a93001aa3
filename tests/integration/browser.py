"""A real headless Chromium (Debian's package), driven over the DevTools protocol with aiohttp's
WebSocket client: navigate, evaluate JavaScript in the page, take a screenshot. Nothing from npm.

Chromium starts with the flags this machine needs (no sandbox as root, no background networking on a
closed network) and a fresh profile directory; ``--remote-debugging-port=0`` lets it pick a free port,
which it writes to ``DevToolsActivePort`` in the profile.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import shutil
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--window-size=1400,1000",
    "--remote-debugging-port=0",
)


def chromium_binary() -> str:
    """Path of chromium, or skip with the reason (.ci/run installs it, and says so when it cannot)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("chromium is not installed and the page test needs a real browser "
                "(bash .ci/install-chromium.sh installs Debian's package)")


class Page:
    """One page target over its DevTools WebSocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self._ids)
        await self.ws.send_json({"id": message_id, "method": method, "params": params})
        while True:
            message = await self.ws.receive_json(timeout=30)
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, what: str, timeout: float = 20.0) -> Any:
        """The value of ``expression`` once it is truthy; AssertionError after ``timeout`` seconds. An
        expression that throws (the page is still navigating) counts as not yet."""
        deadline = time.monotonic() + timeout
        value: Any = None
        while time.monotonic() < deadline:
            try:
                value = await self.evaluate(expression)
            except RuntimeError as exc:
                value = exc
            if value and not isinstance(value, Exception):
                return value
            await asyncio.sleep(0.2)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last value {value!r})")

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))


@contextlib.asynccontextmanager
async def chromium(workdir: Path) -> AsyncIterator[Page]:
    """A fresh headless Chromium with one blank page; stopped (and its profile left in ``workdir``) after."""
    binary = chromium_binary()
    profile = workdir / "chromium-profile"
    profile.mkdir(parents=True)
    log = open(workdir / "chromium.log", "wb")
    process = subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        port = await _devtools_port(profile, process)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t.get("type") == "page")
            async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                yield Page(ws)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


async def _devtools_port(profile: Path, process: subprocess.Popen[bytes], timeout: float = 30.0) -> int:
    active = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"chromium exited with {process.returncode}")
        if active.exists():
            lines = active.read_text().splitlines()
            if lines and lines[0].isdigit():
                return int(lines[0])
        await asyncio.sleep(0.1)
    raise AssertionError("chromium did not open its DevTools port")
