"""The fault suite's short version (`make chaos` runs the full one): a few cases of bench/chaos.py on
small inputs, each compared with a clean run of the same real articles on an embedded broker."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import chaos

pytestmark = [pytest.mark.integration, pytest.mark.shared, pytest.mark.chaos]


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[chaos.Suite]:
    if not (chaos.DEV_REPORTS.is_file() and chaos.STRIKE_POOL.is_file()):
        pytest.skip("../shared/data is absent (a user's fresh clone has none of it)")
    lines: list[str] = []
    with chaos.Suite(chaos.QUICK, tmp_path_factory.mktemp("chaos"), lines.append) as running:
        asyncio.run(running.run_clean())
        yield running


@pytest.mark.parametrize("case", chaos.QUICK.cases)
def test_a_fault_loses_nothing_and_sends_no_second_new_strike(suite: chaos.Suite, case: str, tmp_path: Path) -> None:
    lines: list[str] = []
    suite.print = lines.append
    result = asyncio.run(suite.case(case))
    assert result.passed, "\n".join(lines)
    assert result.figures["real articles dead-lettered"] == 0
