"""Session-wide fixtures shared by the test modules (each runs once per test session and worker)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def earlier_lineup(tmp_path_factory) -> Path:
    """A copy of the shipped catalog with an earlier, six-plan CloudBase lineup in force until
    2021-07-01 (tests/fixtures/lineup_catalog.py)."""
    from fixtures.lineup_catalog import earlier_lineup_catalog
    return earlier_lineup_catalog(tmp_path_factory.mktemp("lineup") / "catalog")
