"""What a worker does before it is ready: the extraction core is not imported then (it is imported and
prepared on a thread once the worker is ready, see ``streams.app.load_extraction``)."""

from __future__ import annotations

import subprocess
import sys


def test_building_the_worker_imports_no_extraction_code() -> None:
    code = (
        "import sys\n"
        "from streams.app import create_app\n"
        "from streams.settings import Settings\n"
        "create_app(Settings(extract_consumer='plain'))\n"
        "create_app(Settings(extract_consumer='faust', app_id='other'))\n"
        "print(sorted(m for m in sys.modules if m.startswith('streams.core.extract')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_loader_gives_the_extraction_entry_point() -> None:
    from streams.app import load_extraction
    from streams.core.extract import extract

    assert load_extraction() is extract
