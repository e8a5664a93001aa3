"""A git revision of this repository as a tree on disk, for the scripts that compare outputs against it
(bench/extract_same.py, bench/dedup_same.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def export_revision(rev: str, into: Path) -> Path:
    """The files of ``rev`` (``git archive``) unpacked in ``into``/base-tree; that directory."""
    tree = into / "base-tree"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    archive_path = into / "base.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(tree, filter="data")
    return tree


def run_in(tree: Path, script: Path, *args: str) -> str:
    """The output of ``script`` run with ``args`` and the package of ``tree`` on the path (outside the
    repository, so that nothing else is imported by accident)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run([sys.executable, str(script.resolve()), *args], env=env, cwd=tempfile.gettempdir(),
                          capture_output=True, text=True, check=True)
    return proc.stdout
