"""``prepare()`` loads the extraction core's data once per process, from any thread (a worker calls it on a
thread at start so that its first article does not block the event loop)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from streams.core.extract import core, extract, prepare
from streams.core.models import Article


def test_prepare_from_several_threads_loads_the_data_once_and_extract_works_after() -> None:
    threads = [threading.Thread(target=prepare) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert core._prepared.cache_info().misses == 1  # (one load, whichever thread or test came first)
    reports = extract(Article(id="p", url=None, title="Russian missile strike kills two in Kharkiv", text="",
                              outlet=None, published_at=datetime(2023, 5, 9, 9, tzinfo=UTC)))
    assert [r.settlement for r in reports] == ["Kharkiv"]
