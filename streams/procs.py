"""Child processes the CLI, the tests, the benchmarks and the fault suite start: stop them, wait for /ready,
read /ready's status and /metrics."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable


def stop_process(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def wait_ready(
    web: str,
    process: subprocess.Popen[bytes],
    timeout: float,
    *,
    describe: Callable[[], str] = lambda: "",
    interval: float = 0.05,
) -> float:
    """Seconds until ``GET {web}/ready`` answers 200; RuntimeError (with ``describe()``) otherwise."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited with code {process.returncode}\n{describe()}")
        try:
            with urllib.request.urlopen(f"{web}/ready", timeout=1.0) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(interval)
    raise RuntimeError(f"worker not ready within {timeout:.0f} s\n{describe()}")


def http_status(url: str, timeout: float = 1.0) -> int | None:
    """The HTTP status ``url`` answers with (503 included), or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return None


def scrape(url: str, timeout: float = 1.0) -> str | None:
    """The body at ``url``, or None when it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def metric_sum(text: str, name: str) -> float:
    """Sum of every sample named ``name`` (all label sets) in a Prometheus text exposition."""
    total = 0.0
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        if head.split("{", 1)[0].strip() == name:
            try:
                total += float(value)
            except ValueError:
                continue
    return total
